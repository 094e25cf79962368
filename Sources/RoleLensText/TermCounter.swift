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
}
