import RoleLensText

@testable import RoleLensClassify

extension ReferenceScorer {
  // MARK: - Role names in bodies

  /// `tokens` without the words of any role's title pattern ("technical project manager",
  /// "product manager", "tpm"; patterns with a wildcard such as "lead * engineer" and `other`'s
  /// generic patterns such as "engineer" are kept): a body that names its own role would otherwise tell the overlap statistics the
  /// title. The token after a removed run starts after a break, so no bigram spans the gap.
  ///
  /// - Complexity: O(n · p) for n tokens and the few patterns p sharing a token's first word.
  func maskingTitlePhrases(_ tokens: [Token]) -> [Token] {
    guard !titlePatternsByFirstWord.isEmpty else { return tokens }
    var words: [String]?
    var coveredUntil = 0
    var result: [Token] = []
    var pendingBreak = false
    for (index, token) in tokens.enumerated() {
      if index >= coveredUntil, let candidates = titlePatternsByFirstWord[token.text] {
        let all = words ?? tokens.map(\.text)
        words = all
        for segments in candidates {
          if let end = match(segments, in: all, at: index), end > coveredUntil { coveredUntil = end }
        }
      }
      if index < coveredUntil {
        pendingBreak = true
        continue
      }
      var kept = token
      if pendingBreak {
        kept.breakBefore = true
        pendingBreak = false
      }
      result.append(kept)
    }
    return result
  }

  /// The top role of `posting` read from its body alone: the title is hidden, as in
  /// `eval --body-only`.
  func bodyReading(_ posting: TokenizedPosting) -> Role {
    classify(TokenizedPosting(title: [], sections: posting.sections)).role
  }
}
