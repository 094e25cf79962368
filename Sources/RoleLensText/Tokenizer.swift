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

  public init() {}

  /// Tokenises `text`.
  ///
  /// - Complexity: O(n) in the length of `text`.
  public func tokens(_ text: String) -> [Token] {
    var result: [Token] = []
    let scalars = Array(text.unicodeScalars)
    var index = 0
    var pendingBreak = false
    var word = String.UnicodeScalarView()
    var wordIsASCII = true

    func emit(_ scalarsOfWord: String.UnicodeScalarView, ascii: Bool) {
      // Longer "words" are not words (base64 blobs, minified code, a 5 MB line of 'x').
      guard !scalarsOfWord.isEmpty, scalarsOfWord.count <= Tokenizer.maximumWordLength else {
        if !scalarsOfWord.isEmpty { pendingBreak = true }
        return
      }
      var text = String(scalarsOfWord)
      if !ascii { text = Tokenizer.fold(text) } else { text = Tokenizer.lowercaseASCII(text) }
      if text.hasSuffix("'s") { text.removeLast(2) }
      if text.hasSuffix("'") { text.removeLast() }
      guard !text.isEmpty else { return }
      result.append(Token(text, breakBefore: pendingBreak))
      pendingBreak = false
    }

    let count = scalars.count
    while index < count {
      let scalar = scalars[index]
      if Tokenizer.isIdeograph(scalar) {
        emit(word, ascii: wordIsASCII)
        word = String.UnicodeScalarView()
        wordIsASCII = true
        var single = String.UnicodeScalarView()
        single.append(scalar)
        emit(single, ascii: false)
        index += 1
        continue
      }
      if Tokenizer.isWordScalar(scalar) {
        word.append(scalar)
        if !scalar.isASCII { wordIsASCII = false }
        index += 1
        continue
      }
      let next: Unicode.Scalar? = index + 1 < count ? scalars[index + 1] : nil
      let nextIsWord = next.map(Tokenizer.isWordScalar) ?? false
      switch scalar {
      case "+" where !word.isEmpty && word.count <= 2 && Tokenizer.startsWithLetter(word):
        // c++, g++: keep the pluses (but "5+ years" is a number, not a term "5+").
        while index < count && scalars[index] == "+" {
          word.append("+")
          index += 1
        }
        continue
      case "#" where !word.isEmpty && word.count <= 2 && !nextIsWord:
        word.append("#")
        index += 1
        continue
      case "." where nextIsWord && (!word.isEmpty || Tokenizer.startsDotWord(scalars, at: index + 1)):
        // node.js, asp.net, .net, 3.5, u.s (but not "end.Next": see continuesDottedWord).
        if word.isEmpty || Tokenizer.continuesDottedWord(scalars, at: index + 1, wordLength: word.count) {
          word.append(".")
          index += 1
          continue
        }
      case "/" where !word.isEmpty && word.count <= 4 && nextIsWord,
        "&" where !word.isEmpty && word.count <= 4 && nextIsWord:
        let length = Tokenizer.wordLength(scalars, from: index + 1)
        let after = index + 1 + length
        // Only plain words join ("ci/cd"): "C/C++" and "C++/C#" are two languages each, not
        // "c/c" and "c++/c".
        let endsThere = after >= count || !["/", "&", "+", "#"].contains(scalars[after])
        if length <= 4 && endsThere && word.allSatisfy(Tokenizer.isWordScalar) {
          word.append(scalar)
          index += 1
          continue
        }
      case "'" where !word.isEmpty && nextIsWord, "\u{2019}" where !word.isEmpty && nextIsWord:
        word.append("'")
        index += 1
        continue
      default:
        break
      }
      emit(word, ascii: wordIsASCII)
      word = String.UnicodeScalarView()
      wordIsASCII = true
      if Tokenizer.isBreak(scalar) { pendingBreak = true }
      index += 1
    }
    emit(word, ascii: wordIsASCII)
    return result
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

  public static func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
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

  static func wordLength(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
    var end = start
    while end < scalars.count && isWordScalar(scalars[end]) { end += 1 }
    return end - start
  }

  /// ".net" at the start of a word.
  static func startsDotWord(_ scalars: [Unicode.Scalar], at start: Int) -> Bool {
    let length = wordLength(scalars, from: start)
    guard length == 3 else { return false }
    let word = String(String.UnicodeScalarView(scalars[start..<(start + 3)])).lowercased()
    return word == "net"
  }

  /// Whether the word after a dot continues a dotted token (node.js, 3.5, asp.net) rather than
  /// starting a new sentence without a space ("end.Next").
  ///
  /// The part after the dot (at most 4 characters) continues the token when it starts with a
  /// lowercase letter or digit (node.js, 3.5); when it is all capitals (ASP.NET, Node.JS; a
  /// single capital only after a short word: U.S, Ph.D); or, capitalised, after a single letter
  /// (M.Sc). A capitalised word after a longer word starts a sentence.
  static func continuesDottedWord(_ scalars: [Unicode.Scalar], at start: Int, wordLength: Int) -> Bool {
    let length = Tokenizer.wordLength(scalars, from: start)
    guard length > 0, length <= 4 else { return false }
    let isDigit: (Unicode.Scalar) -> Bool = { $0.value >= 0x30 && $0.value <= 0x39 }
    let isLower: (Unicode.Scalar) -> Bool = { $0.value >= 0x61 && $0.value <= 0x7A }
    let isUpper: (Unicode.Scalar) -> Bool = { $0.value >= 0x41 && $0.value <= 0x5A }
    let first = scalars[start]
    if isLower(first) || isDigit(first) { return true }
    if scalars[start..<(start + length)].allSatisfy({ isUpper($0) || isDigit($0) }) {
      return length >= 2 || wordLength <= 2
    }
    return wordLength == 1
  }

  /// Whether `word` starts with a letter (c++, not 5+).
  static func startsWithLetter(_ word: String.UnicodeScalarView) -> Bool {
    word.first.map { $0.properties.isAlphabetic } ?? false
  }

  // MARK: - Normalisation

  static func lowercaseASCII(_ text: String) -> String {
    var bytes = Array(text.utf8)
    var changed = false
    for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A {
      bytes[i] += 0x20
      changed = true
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : text
  }

  /// Lowercases and removes diacritics ("Zürich" -> "zurich").
  static func fold(_ text: String) -> String {
    text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
  }
}
