import Foundation

/// Splits text into normalised word tokens.
///
/// - Words are runs of letters and digits (Unicode-aware); each CJK ideograph is a word of its
///   own, since those scripts do not separate words with spaces.
/// - Lowercased and diacritic-folded ("Zürich" -> "zurich", "café" -> "cafe").
/// - Technical tokens stay whole: `c++`, `c#`, `f#`, `.net`, `node.js`, `asp.net`, `ci/cd`,
///   `a/b`, `ui/ux`, `r&d`, `p&l`. Hyphenated words split ("cross-functional" -> "cross",
///   "functional"), as lexicon phrases are tokenised the same way.
/// - Apostrophes inside words are kept ("you'll"); a possessive "'s" is dropped.
/// - Sentence and clause punctuation and line breaks set `breakBefore` on the next token.
public struct Tokenizer: Sendable {
  /// Words longer than this many characters are dropped (and break phrases and bigrams).
  public static let maximumWordLength = 64

  /// A tokenizer; it holds no state, so one can be shared and reused.
  public init() {}

  /// Tokenises `text`.
  ///
  /// - Complexity: O(n) in the length of `text`.
  public func tokens(_ text: String) -> [Token] {
    var result: [Token] = []
    appendTokens(of: text, to: &result)
    return result
  }

  /// Appends the tokens of `text` to `tokens`.
  ///
  /// Scans the UTF-8 bytes once; an ASCII word becomes its token's `String` directly, so only
  /// words with other letters pay for Unicode folding.
  ///
  /// - Parameters:
  ///   - text: The text to tokenise.
  ///   - tokens: The tokens so far, appended to in order.
  ///   - breakBefore: Whether the first token appended follows a break (a new section does).
  /// - Complexity: O(n) in the length of `text`.
  public func appendTokens(of text: String, to tokens: inout [Token], breakBefore: Bool = false) {
    var sink = TokenSink()
    swap(&sink.tokens, &tokens)
    scan(text, into: &sink, breakBefore: breakBefore)
    swap(&sink.tokens, &tokens)
  }

  /// Appends the tokens of `text` to `tokens` as ids of `words`, interning each word's
  /// normalised bytes: the same tokens as `appendTokens(of:to:breakBefore:)`, without a
  /// `String` per token (`words.string(token.word)` is the token's text).
  ///
  /// - Parameters:
  ///   - text: The text to tokenise.
  ///   - tokens: The tokens so far, appended to in order.
  ///   - words: The table the tokens' ids refer to, added to.
  ///   - breakBefore: Whether the first token appended follows a break (a new section does).
  /// - Complexity: O(n) in the length of `text`.
  public func appendWords(
    of text: String, to tokens: inout [WordToken], words: inout WordTable, breakBefore: Bool = false
  ) {
    var sink = WordTokenSink(words: WordTable(capacity: 0))
    swap(&sink.tokens, &tokens)
    swap(&sink.words, &words)
    scan(text, into: &sink, breakBefore: breakBefore)
    swap(&sink.tokens, &tokens)
    swap(&sink.words, &words)
  }

  /// Runs one `Scan` of `text` into `sink`.
  private func scan<Sink: WordSink>(_ text: String, into sink: inout Sink, breakBefore: Bool) {
    var text = text
    text.withUTF8 { bytes in
      // An ASCII word is at most `maximumWordLength` scalars of at most 3 bytes (a curly
      // apostrophe), and normalising never lengthens it.
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 * Tokenizer.maximumWordLength) { scratch in
        var scan = Scan<Sink>(bytes: bytes, scratch: scratch, pendingBreak: breakBefore)
        scan.run(into: &sink)
      }
    }
  }

  /// One pass over a text's UTF-8 bytes.
  ///
  /// The current word is always the bytes from `wordStart` up to the scan position: every
  /// scalar joined to a word is the next one in the text. A curly apostrophe joins as a
  /// straight one, which `emitWord` writes.
  private struct Scan<Sink: WordSink> {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Room for one normalised ASCII word.
    let scratch: UnsafeMutableBufferPointer<UInt8>
    var pendingBreak: Bool
    var index = 0
    var wordStart = 0
    /// Unicode scalars in the current word (0: no word).
    var wordScalars = 0
    /// Whether the current word is ASCII once its apostrophes are straightened.
    var wordIsASCII = true
    /// Whether the current word holds only letters and digits, no joined punctuation.
    var wordIsPlain = true

    init(bytes: UnsafeBufferPointer<UInt8>, scratch: UnsafeMutableBufferPointer<UInt8>, pendingBreak: Bool) {
      self.bytes = bytes
      self.scratch = scratch
      self.pendingBreak = pendingBreak
    }

    mutating func run(into tokens: inout Sink) {
      let count = bytes.count
      while index < count {
        let byte = bytes[index]
        let scalar: Unicode.Scalar
        let width: Int
        if byte < 0x80 {
          if Tokenizer.isASCIIWordByte(byte) {
            join(width: 1, isWord: true)
            continue
          }
          scalar = Unicode.Scalar(byte)
          width = 1
        } else {
          (scalar, width) = decode(at: index)
          if Tokenizer.isIdeograph(scalar) {
            emitWord(into: &tokens)
            // Each ideograph is a word of its own.
            wordStart = index
            wordScalars = 1
            wordIsASCII = false
            index += width
            emitWord(into: &tokens)
            continue
          }
          if Tokenizer.isWordScalar(scalar) {
            wordIsASCII = false
            join(width: width, isWord: true)
            continue
          }
        }
        if joinsWord(scalar, width: width) { continue }
        emitWord(into: &tokens)
        if Tokenizer.isBreak(scalar) { pendingBreak = true }
        index += width
      }
      emitWord(into: &tokens)
    }

    /// Adds the scalar at `index`, `width` bytes long, to the current word.
    private mutating func join(width: Int, isWord: Bool) {
      if wordScalars == 0 { wordStart = index }
      wordScalars += 1
      if !isWord { wordIsPlain = false }
      index += width
    }

    /// Joins the punctuation `scalar` at `index` to the current word when it belongs to a
    /// technical token (c++, c#, .net, node.js, ci/cd, r&d) or a contraction (you'll).
    private mutating func joinsWord(_ scalar: Unicode.Scalar, width: Int) -> Bool {
      let next = index + width
      switch scalar {
      case "+" where wordScalars > 0 && wordScalars <= 2 && startsWithLetter():
        // c++, g++: keep the pluses (but "5+ years" is a number, not a term "5+").
        while index < bytes.count && bytes[index] == UInt8(ascii: "+") { join(width: 1, isWord: false) }
        return true
      case "#" where wordScalars > 0 && wordScalars <= 2 && !isWord(at: next):
        join(width: 1, isWord: false)
        return true
      case "." where isWord(at: next) && (wordScalars > 0 || startsDotWord(at: next)):
        // node.js, asp.net, .net, 3.5, u.s (but not "end.Next": see continuesDottedWord).
        if wordScalars == 0 || continuesDottedWord(at: next) {
          join(width: 1, isWord: false)
          return true
        }
      case "/" where wordScalars > 0 && wordScalars <= 4 && isWord(at: next),
        "&" where wordScalars > 0 && wordScalars <= 4 && isWord(at: next):
        let (length, after) = wordRun(from: next)
        // Only plain words join ("ci/cd"): "C/C++" and "C++/C#" are two languages each, not
        // "c/c" and "c++/c".
        let endsThere = after >= bytes.count || !"/&+#".utf8.contains(bytes[after])
        if length <= 4 && endsThere && wordIsPlain {
          join(width: 1, isWord: false)
          return true
        }
      case "'" where wordScalars > 0 && isWord(at: next), "\u{2019}" where wordScalars > 0 && isWord(at: next):
        join(width: width, isWord: false)
        return true
      default:
        break
      }
      return false
    }

    /// Appends the current word (the bytes from `wordStart` to `index`) as a token, if it is
    /// one, and starts a new word.
    private mutating func emitWord(into tokens: inout Sink) {
      defer {
        wordScalars = 0
        wordIsASCII = true
        wordIsPlain = true
      }
      guard wordScalars > 0 else { return }
      // Longer "words" are not words (base64 blobs, minified code, a 5 MB line of 'x').
      guard wordScalars <= Tokenizer.maximumWordLength else {
        pendingBreak = true
        return
      }
      let word = UnsafeBufferPointer(rebasing: bytes[wordStart..<index])
      if wordIsASCII {
        var length = Tokenizer.straighten(word, into: scratch, lowercase: true)
        // A possessive "'s", then a closing apostrophe.
        if length >= 2 && scratch[length - 2] == UInt8(ascii: "'") && scratch[length - 1] == UInt8(ascii: "s") {
          length -= 2
        }
        if length >= 1 && scratch[length - 1] == UInt8(ascii: "'") { length -= 1 }
        guard length > 0 else { return }
        tokens.append(UnsafeBufferPointer(rebasing: scratch[0..<length]), breakBefore: pendingBreak)
      } else {
        var folded = Tokenizer.fold(
          String(unsafeUninitializedCapacity: word.count) { Tokenizer.straighten(word, into: $0, lowercase: false) })
        if folded.hasSuffix("'s") { folded.removeLast(2) }
        if folded.hasSuffix("'") { folded.removeLast() }
        guard !folded.isEmpty else { return }
        folded.withUTF8 { tokens.append($0, breakBefore: pendingBreak) }
      }
      pendingBreak = false
    }

    // MARK: Looking ahead

    /// The scalar starting at byte `offset` and its length in bytes.
    private func decode(at offset: Int) -> (scalar: Unicode.Scalar, width: Int) {
      Tokenizer.decode(bytes, at: offset)
    }

    /// Whether a letter or digit starts at byte `offset`.
    private func isWord(at offset: Int) -> Bool {
      guard offset < bytes.count else { return false }
      let byte = bytes[offset]
      return byte < 0x80 ? Tokenizer.isASCIIWordByte(byte) : Tokenizer.isWordScalar(decode(at: offset).scalar)
    }

    /// Whether the current word starts with a letter (c++, not 5+).
    private func startsWithLetter() -> Bool {
      decode(at: wordStart).scalar.properties.isAlphabetic
    }

    /// The number of word scalars from byte `start`, counting at most 5 (callers only tell
    /// short runs apart), and the byte offset where the counted ones end.
    private func wordRun(from start: Int) -> (length: Int, end: Int) {
      var end = start
      var length = 0
      while length < 5 && isWord(at: end) {
        end += decode(at: end).width
        length += 1
      }
      return (length, end)
    }

    /// ".net" at the start of a word.
    private func startsDotWord(at start: Int) -> Bool {
      let (length, end) = wordRun(from: start)
      guard length == 3 else { return false }
      let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
      if word.count == 3 {
        return word.elementsEqual("net".utf8) { ($0 | 0x20) == $1 }
      }
      return String(decoding: word, as: UTF8.self).lowercased() == "net"
    }

    /// Whether the word after a dot continues a dotted token (node.js, 3.5, asp.net) rather
    /// than starting a new sentence without a space ("end.Next").
    ///
    /// The part after the dot (at most 4 characters) continues the token when it starts with
    /// a lowercase letter or digit (node.js, 3.5); when it is all capitals (ASP.NET, Node.JS; a
    /// single capital only after a short word: U.S, Ph.D); or, capitalised, after a single
    /// letter (M.Sc). A capitalised word after a longer word starts a sentence.
    private func continuesDottedWord(at start: Int) -> Bool {
      let (length, end) = wordRun(from: start)
      guard length > 0, length <= 4 else { return false }
      let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
      let isLower: (UInt8) -> Bool = { $0 >= 0x61 && $0 <= 0x7A }
      let isUpper: (UInt8) -> Bool = { $0 >= 0x41 && $0 <= 0x5A }
      let first = bytes[start]
      if isLower(first) || isDigit(first) { return true }
      // Multi-byte scalars are neither capitals nor digits: their bytes are all 0x80 or more.
      if bytes[start..<end].allSatisfy({ isUpper($0) || isDigit($0) }) {
        return length >= 2 || wordScalars <= 2
      }
      return wordScalars == 1
    }
  }

  // MARK: - Sinks

  /// Appends tokens as `Token`s.
  private struct TokenSink: WordSink {
    var tokens: [Token] = []

    mutating func append(_ word: UnsafeBufferPointer<UInt8>, breakBefore: Bool) {
      tokens.append(Token(String(decoding: word, as: UTF8.self), breakBefore: breakBefore))
    }
  }

  /// Appends tokens as ids of a word table.
  private struct WordTokenSink: WordSink {
    var tokens: [WordToken] = []
    var words: WordTable

    @inline(__always)
    mutating func append(_ word: UnsafeBufferPointer<UInt8>, breakBefore: Bool) {
      let id = words.intern(word, hash: WordTable.hash(word))
      tokens.append(WordToken(word: id, breakBefore: breakBefore))
    }
  }

  // MARK: - Character classes

  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
      let v = scalar.value
      return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
    }
    let properties = scalar.properties
    return properties.isAlphabetic || properties.numericType != nil
      || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
  }

  /// Whether `scalar` is a CJK ideograph or kana, which is a word on its own.
  package static func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value >= 0x2E80 && (scalar.properties.isIdeographic || (0x3040...0x30FF).contains(scalar.value))
  }

  static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case ".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "{", "}", "\n", "\r", "|", "\u{2022}",
      "\u{2013}", "\u{2014}", "\"", "\u{201C}", "\u{201D}", "\u{00B7}", "\t", "\u{3002}", "\u{FF0C}",
      "\u{3001}", "\u{FF1A}", "\u{FF1B}", "\u{FF01}", "\u{FF1F}", "\u{FF08}", "\u{FF09}":
      return true
    default:
      return false
    }
  }

  /// Whether an ASCII byte is a letter or digit (`isWordScalar` for ASCII).
  @inline(__always)
  static func isASCIIWordByte(_ byte: UInt8) -> Bool {
    let folded = byte | 0x20
    return (folded >= 0x61 && folded <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
  }

  /// The scalar starting at byte `offset` of valid UTF-8 and its length in bytes.
  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (scalar: Unicode.Scalar, width: Int) {
    let lead = UInt32(bytes[offset])
    if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
    let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    var value = lead & (0x7F >> UInt32(width))
    for position in (offset + 1)..<(offset + width) { value = value << 6 | UInt32(bytes[position] & 0x3F) }
    // A String's bytes are valid UTF-8, so the value is a scalar.
    return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
  }

  // MARK: - Normalisation

  /// Copies a word's UTF-8 bytes to `output`, a curly apostrophe (U+2019) as a straight one,
  /// ASCII capitals lowercased when `lowercase` is set; returns the number of bytes written.
  static func straighten(
    _ word: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>, lowercase: Bool
  ) -> Int {
    var read = 0
    var written = 0
    while read < word.count {
      let byte = word[read]
      if byte == 0xE2 && read + 2 < word.count && word[read + 1] == 0x80 && word[read + 2] == 0x99 {
        output[written] = UInt8(ascii: "'")
        read += 3
      } else {
        output[written] = lowercase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        read += 1
      }
      written += 1
    }
    return written
  }

  /// Lowercases and removes diacritics ("Zürich" -> "zurich").
  static func fold(_ text: String) -> String {
    text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
  }
}

/// Where a tokenizer scan puts the words it finds.
private protocol WordSink {
  /// Appends a word's normalised UTF-8 bytes (never empty), with `Token.breakBefore`.
  mutating func append(_ word: UnsafeBufferPointer<UInt8>, breakBefore: Bool)
}
