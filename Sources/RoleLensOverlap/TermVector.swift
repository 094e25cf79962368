import RoleLensText

/// Interns term strings as dense integer ids, in first-seen order.
///
/// Ids depend only on the order terms are added; the pipeline adds postings in input order, so
/// ids (and every sum over them) are the same on every run. Terms are equal when their Strings
/// are (`==`), as dictionary keys are; they are looked up by their UTF-8 bytes (`WordTable`).
public struct Vocabulary: Sendable {
  /// The terms' bytes: entry ids are term ids, as only terms new as Strings are added. A term's
  /// String is made from its bytes when asked for (the table is the only copy: at a million
  /// terms a `String` each would be some 40 MB more).
  private var table = WordTable(capacity: 1 << 12)

  /// An empty vocabulary.
  public init() {}

  /// The number of terms interned.
  public var count: Int { table.count }

  /// The terms in id order: `terms[Int(id)]` is the term of `id` (made on each access).
  public var terms: [String] { (0..<table.count).map { table.string(Int32($0)) } }

  /// The id of `term`, adding it if new.
  public mutating func intern(_ term: String) -> Int32 {
    if let id = table.findEqual(term) { return id }
    return table.intern(term)
  }

  /// The id of the term of `bytes` (hashed to `hash`, FNV-1a), or `nil` when it was never
  /// interned.
  func id(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? { table.findEqual(bytes, hash: hash) }

  /// Adds the term of `bytes` (hashed to `hash`, valid UTF-8), which must not be equal as a
  /// String to any term interned; returns its id.
  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
    let before = table.count
    let id = table.intern(bytes, hash: hash)
    precondition(Int(id) == before, "Vocabulary.add of a term already interned")
    return id
  }

  /// The id of `term`, or `nil` when it was never interned.
  public func id(_ term: String) -> Int32? { table.findEqual(term) }
  /// The term of `id`, which must have been returned by `intern(_:)`.
  public func term(_ id: Int32) -> String { table.string(id) }
}

/// A posting's term counts as a sparse vector, sorted by term id.
public struct TermVector: Sendable, Hashable {
  /// The term ids, ascending; parallel to `counts`.
  public var ids: [Int32]
  /// The occurrences of each term of `ids`.
  public var counts: [Int32]

  /// A vector from ids (ascending) and their counts; the two must have the same length.
  public init(ids: [Int32] = [], counts: [Int32] = []) {
    precondition(ids.count == counts.count, "TermVector ids and counts must pair up")
    self.ids = ids
    self.counts = counts
  }

  /// Interns `counts` into `vocabulary`, adding new terms in sorted order (so ids do not depend
  /// on dictionary iteration order).
  public init(_ counts: [String: Int], vocabulary: inout Vocabulary) {
    var pairs: [(Int32, Int32)] = []
    pairs.reserveCapacity(counts.count)
    for term in counts.keys.sorted() {
      pairs.append((vocabulary.intern(term), Int32(clamping: counts[term] ?? 0)))
    }
    pairs.sort { $0.0 < $1.0 }
    ids = pairs.map(\.0)
    self.counts = pairs.map(\.1)
  }

  /// Interns a posting's `counts` into `vocabulary`, as `init(_:vocabulary:)` of their
  /// dictionary would: known terms are found by their bytes, and new ones are added in sorted
  /// order of their Strings (the only terms made into Strings here).
  ///
  /// - Complexity: O(t) for t distinct terms, plus O(k log k) for k new ones.
  public init(_ counts: TermCounts, vocabulary: inout Vocabulary) {
    var pairs: [(Int32, Int32)] = []
    pairs.reserveCapacity(counts.count)
    counts.withStorage { bytes, starts in
      func term(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(starts[index])..<Int(starts[index + 1])])
      }
      var new: [Int] = []
      for index in 0..<counts.count {
        if let known = vocabulary.id(term(index), hash: counts.hashes[index]) {
          pairs.append((known, counts.counts[index]))
        } else {
          new.append(index)
        }
      }
      guard !new.isEmpty else { return }
      // String order: for ASCII (NFC already) it is the order of the bytes; other terms are
      // compared as Strings.
      let isASCII = new.map { index in !term(index).contains { $0 >= 0x80 } }
      var order = Array(new.indices)
      order.sort { a, b in
        let x = term(new[a])
        let y = term(new[b])
        if isASCII[a] && isASCII[b] { return x.lexicographicallyPrecedes(y) }
        return String(decoding: x, as: UTF8.self) < String(decoding: y, as: UTF8.self)
      }
      for position in order {
        let index = new[position]
        pairs.append((vocabulary.add(term(index), hash: counts.hashes[index]), counts.counts[index]))
      }
    }
    pairs.sort { $0.0 < $1.0 }
    ids = pairs.map(\.0)
    self.counts = pairs.map(\.1)
  }

  /// Whether the vector has no terms.
  public var isEmpty: Bool { ids.isEmpty }
  /// Term occurrences in all: the sum of `counts`.
  public var total: Int { counts.reduce(0) { $0 + Int($1) } }
}
