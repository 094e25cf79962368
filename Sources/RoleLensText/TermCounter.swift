import RoleLensStorage

/// Counts the terms of a text for corpus statistics: unigrams and bigrams of content words.
///
/// A term is a token that is not a stopword, not a bare number and longer than one character
/// (`c`, `r` and CJK ideographs excepted); a bigram is two such terms side by side with no
/// stopword or punctuation between them ("product roadmap", "stakeholder management").
public enum TermCounter {
  /// Whether a token counts as a term.
  public static func isTerm(_ word: String) -> Bool {
    if Stopwords.contains(word) { return false }
    // Single characters carry no meaning, except the languages C and R and CJK ideographs
    // (those scripts write words without spaces; bigrams of ideographs approximate words).
    if !word.hasAtLeastCharacters(2) && word != "c" && word != "r"
      && !(word.unicodeScalars.first.map(Tokenizer.isIdeograph) ?? false)
    {
      return false
    }
    // Bytes of multi-byte scalars are neither digits nor dots, as those scalars are not.
    return word.utf8.contains { !($0 >= 0x30 && $0 <= 0x39) && $0 != UInt8(ascii: ".") }
  }

  /// Adds the unigram and bigram counts of `tokens` to `counts`.
  ///
  /// - Complexity: O(n) in the number of tokens.
  public static func count(_ tokens: [Token], into counts: inout [String: Int]) {
    var previous: String?
    for token in tokens {
      guard isTerm(token.text) else {
        previous = nil
        continue
      }
      counts[token.text, default: 0] += 1
      if let previous, !token.breakBefore {
        counts[previous + " " + token.text, default: 0] += 1
      }
      previous = token.text
    }
  }

  /// Stopwords as a word table, for `isTerm` of ASCII bytes (every stopword is ASCII).
  private static let stopwordTable: WordTable = {
    var table = WordTable(capacity: Stopwords.all.count)
    for word in Stopwords.all.sorted() { _ = table.intern(word) }
    return table
  }()

  /// Whether word `id` of `words` counts as a term: `isTerm` of its String, answered from the
  /// bytes when they are ASCII.
  static func isTerm(_ id: Int32, of words: WordTable) -> Bool {
    words.withBytes(id) { bytes in
      guard !bytes.contains(where: { $0 >= 0x80 }) else { return isTerm(String(decoding: bytes, as: UTF8.self)) }
      if stopwordTable.find(bytes, hash: words.hashes[Int(id)]) != nil { return false }
      // ASCII words are one character per byte when printable, as word bytes are.
      if bytes.count < 2 && !(bytes.count == 1 && (bytes[0] == UInt8(ascii: "c") || bytes[0] == UInt8(ascii: "r"))) {
        return false
      }
      return bytes.contains { !($0 >= 0x30 && $0 <= 0x39) && $0 != UInt8(ascii: ".") }
    }
  }

  /// The unigram and bigram counts of token runs (the counted sections), as `count(_:into:)`
  /// would give for the tokens' Strings, without a String per term.
  ///
  /// Words with equal Strings (`WordTable.canonical`) are one term, spelt as where the term
  /// first occurs, as a `[String: Int]` key is.
  ///
  /// - Parameters:
  ///   - runs: Token runs; a bigram never spans two runs (each starts after a break).
  ///   - words: The table the tokens' ids refer to.
  /// - Complexity: O(n) in the number of tokens.
  public static func counts(_ runs: [[WordToken]], words: WordTable) -> TermCounts {
    let wordCount = words.count
    let canonical = words.canonical
    // Per canonical word: 1 term, 0 not a term, -1 not yet known.
    var isTerm = [Int8](repeating: -1, count: wordCount)
    var unigramCounts = [Int32](repeating: 0, count: wordCount)
    // Per canonical word: the spelling of its first counted occurrence.
    var spelling = [Int32](repeating: -1, count: wordCount)
    var unigrams: [Int32] = []
    var bigrams = PairCounter(capacity: runs.reduce(0) { $0 + $1.count })
    for run in runs {
      var previous: Int32 = -1
      for token in run {
        let word = canonical[Int(token.word)]
        if isTerm[Int(word)] < 0 { isTerm[Int(word)] = Self.isTerm(word, of: words) ? 1 : 0 }
        guard isTerm[Int(word)] == 1 else {
          previous = -1
          continue
        }
        if unigramCounts[Int(word)] == 0 {
          unigrams.append(word)
          spelling[Int(word)] = token.word
        }
        unigramCounts[Int(word)] += 1
        if previous >= 0 && !token.breakBefore { bigrams.add(previous, token.word, canonical: canonical) }
        previous = token.word
      }
    }
    var result = TermCounts()
    for word in unigrams {
      words.withBytes(spelling[Int(word)]) {
        result.append($0, hash: words.hashes[Int(spelling[Int(word)])], count: unigramCounts[Int(word)])
      }
    }
    bigrams.forEach { first, second, count in
      words.withBytes(first) { a in
        words.withBytes(second) { b in
          var hash = words.hashes[Int(first)]
          hash = (hash ^ 0x20) &* FNV1a.prime
          for byte in b { hash = (hash ^ UInt64(byte)) &* FNV1a.prime }
          result.append(a, b, hash: hash, count: count)
        }
      }
    }
    return result
  }
}

/// Counts of word pairs keyed by their canonical words, with each pair's first spelling: an
/// open-addressing table of 64-bit keys.
private struct PairCounter {
  private var slots: [Int32]
  private var mask: Int
  private var keys: [UInt64] = []
  private var spellings: [(Int32, Int32)] = []
  private var counts: [Int32] = []

  init(capacity: Int) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: 0, count: size)
    mask = size - 1
  }

  /// Counts one occurrence of the pair spelt `first`, `second`.
  @inline(__always)
  mutating func add(_ first: Int32, _ second: Int32, canonical: [Int32]) {
    let key =
      UInt64(UInt32(bitPattern: canonical[Int(first)])) << 32 | UInt64(UInt32(bitPattern: canonical[Int(second)]))
    var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if keys[Int(entry - 1)] == key {
        counts[Int(entry - 1)] += 1
        return
      }
      slot = (slot + 1) & mask
    }
    keys.append(key)
    spellings.append((first, second))
    counts.append(1)
    slots[slot] = Int32(keys.count)
    // The capacity is the number of tokens, so the table never fills past half.
    precondition(keys.count * 2 <= slots.count, "PairCounter sized below its tokens")
  }

  /// Calls `body` with each pair's first spelling and count, in first-seen order.
  func forEach(_ body: (Int32, Int32, Int32) -> Void) {
    for (index, pair) in spellings.enumerated() { body(pair.0, pair.1, counts[index]) }
  }
}

/// A posting's distinct terms (unigrams, and bigrams spelt with one space) and their counts,
/// the terms' UTF-8 bytes back to back: `TermCounter.count(_:into:)`'s dictionary without a
/// String per term.
public struct TermCounts: Sendable {
  /// Every term's bytes, in order.
  package private(set) var bytes: [UInt8] = []
  /// Where each term's bytes start in `bytes`, then the end of the last one.
  package private(set) var starts: [Int32] = [0]
  /// The FNV-1a hash of each term's bytes.
  package private(set) var hashes: [UInt64] = []
  /// The occurrences of each term.
  public private(set) var counts: [Int32] = []

  /// No terms.
  public init() {}

  /// Terms read back from their bytes, start offsets and counts (a run's partial file): the
  /// hashes are computed again, FNV-1a of each term's bytes, as the counter makes them.
  /// `nil` when the offsets do not describe `bytes` (`count + 1` rising offsets from 0 to the end).
  package init?(bytes: [UInt8], starts: [Int32], counts: [Int32]) {
    guard starts.count == counts.count + 1, starts.first == 0, Int(starts[starts.count - 1]) == bytes.count else {
      return nil
    }
    var hashes: [UInt64] = []
    hashes.reserveCapacity(counts.count)
    for index in counts.indices {
      guard starts[index] <= starts[index + 1] else { return nil }
      hashes.append(FNV1a.hash(bytes[Int(starts[index])..<Int(starts[index + 1])]))
    }
    self.bytes = bytes
    self.starts = starts
    self.hashes = hashes
    self.counts = counts
  }

  /// The number of distinct terms.
  public var count: Int { counts.count }

  /// Adds a term of `bytes`.
  package mutating func append(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64, count: Int32) {
    bytes.append(contentsOf: term)
    finish(hash: hash, count: count)
  }

  /// Adds the bigram `first second`.
  package mutating func append(
    _ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>, hash: UInt64, count: Int32
  ) {
    bytes.append(contentsOf: first)
    bytes.append(0x20)
    bytes.append(contentsOf: second)
    finish(hash: hash, count: count)
  }

  private mutating func finish(hash: UInt64, count: Int32) {
    starts.append(Int32(bytes.count))
    hashes.append(hash)
    counts.append(count)
  }

  /// Calls `body` with the bytes of term `index`.
  package func withBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    let start = Int(starts[index])
    let end = Int(starts[index + 1])
    return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
  }

  /// Calls `body` with every term's bytes back to back and the start offsets (`count + 1` of
  /// them: term `index` is `bytes[starts[index]..<starts[index + 1]]`).
  package func withStorage<R>(
    _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ starts: UnsafeBufferPointer<Int32>) throws -> R
  ) rethrows -> R {
    try bytes.withUnsafeBufferPointer { bytes in try starts.withUnsafeBufferPointer { try body(bytes, $0) } }
  }

  /// Term `index` as a String.
  public func term(_ index: Int) -> String { withBytes(index) { String(decoding: $0, as: UTF8.self) } }

  /// The counts as a dictionary by term, as `TermCounter.count(_:into:)` gives them.
  public var dictionary: [String: Int] {
    var result: [String: Int] = [:]
    for index in 0..<count { result[term(index), default: 0] += Int(counts[index]) }
    return result
  }
}
