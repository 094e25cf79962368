import Foundation

@testable import RoleLensText

/// The tokenizer as it was before its UTF-8 fast path: a scan over an array of Unicode scalars,
/// kept as the reference the fast path is checked against.
enum ReferenceTokenizer {
  /// Tokenises `text` the straightforward way.
  static func tokens(_ text: String) -> [Token] {
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
      if !ascii { text = Tokenizer.fold(text) } else { text = ReferenceTokenizer.lowercaseASCII(text) }
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
      case "+" where !word.isEmpty && word.count <= 2 && ReferenceTokenizer.startsWithLetter(word):
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
      case "." where nextIsWord && (!word.isEmpty || ReferenceTokenizer.startsDotWord(scalars, at: index + 1)):
        // node.js, asp.net, .net, 3.5, u.s (but not "end.Next": see continuesDottedWord).
        if word.isEmpty || ReferenceTokenizer.continuesDottedWord(scalars, at: index + 1, wordLength: word.count) {
          word.append(".")
          index += 1
          continue
        }
      case "/" where !word.isEmpty && word.count <= 4 && nextIsWord,
        "&" where !word.isEmpty && word.count <= 4 && nextIsWord:
        let length = ReferenceTokenizer.wordLength(scalars, from: index + 1)
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

  static func wordLength(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
    var end = start
    while end < scalars.count && Tokenizer.isWordScalar(scalars[end]) { end += 1 }
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
    let length = ReferenceTokenizer.wordLength(scalars, from: start)
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

  static func lowercaseASCII(_ text: String) -> String {
    var bytes = Array(text.utf8)
    var changed = false
    for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A {
      bytes[i] += 0x20
      changed = true
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : text
  }

}
