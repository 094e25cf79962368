import RoleLensText

/// The lexicon word id of each word of a posting's `WordTable` (-1 for words of no phrase or
/// pattern), looked up once per posting and shared by classification and masking.
public struct LexiconIDs: Sendable {
  /// By posting word id.
  let ids: [Int32]
}

extension Scorer {
  // MARK: - Role names in bodies

  /// `tokens` without the words of any role's title pattern ("technical project manager",
  /// "product manager", "tpm"; patterns with a wildcard such as "lead * engineer" and `other`'s
  /// generic patterns such as "engineer" are kept): a body that names its own role would otherwise tell the overlap statistics the
  /// title. The token after a removed run starts after a break, so no bigram spans the gap.
  ///
  /// - Complexity: O(n · p) for n tokens and the few patterns p sharing a token's first word.
  public func maskingTitlePhrases(_ tokens: [Token]) -> [Token] {
    masking(tokens, breakBefore: \.breakBefore) { words.id($0.text) }
  }

  /// `tokens` (ids of `words`, whose lexicon ids are `lexiconIDs`) without the words of any
  /// role's title pattern, as `maskingTitlePhrases(_:)` of their Strings.
  ///
  /// - Complexity: O(n · p) for n tokens and the few patterns p sharing a token's first word.
  public func maskingTitlePhrases(_ tokens: [WordToken], lexiconIDs: LexiconIDs) -> [WordToken] {
    masking(tokens, breakBefore: \.breakBefore) { lexiconIDs.ids[Int($0.word)] }
  }

  /// The lexicon word ids of a posting's words, for `maskingTitlePhrases(_:lexiconIDs:)` and
  /// `classify(_:lexiconIDs:explain:readingBody:)`.
  public func lexiconIDs(of posting: PostingWords) -> LexiconIDs { LexiconIDs(ids: words.ids(of: posting.words)) }

  /// `tokens` without the runs that match a title pattern, `lexiconID` giving each token's
  /// lexicon word id.
  private func masking<T>(_ tokens: [T], breakBefore: WritableKeyPath<T, Bool>, lexiconID: (T) -> Int32) -> [T] {
    guard masksTitlePatterns else { return tokens }
    var words: [Int32]?
    var coveredUntil = 0
    var result: [T] = []
    result.reserveCapacity(tokens.count)
    var pendingBreak = false
    for (index, token) in tokens.enumerated() {
      if index >= coveredUntil {
        let id = lexiconID(token)
        if id >= 0, !titlePatternsByFirstWord[Int(id)].isEmpty {
          let all = words ?? tokens.map(lexiconID)
          words = all
          for segments in titlePatternsByFirstWord[Int(id)] {
            if let end = match(segments, in: all, at: index), end > coveredUntil { coveredUntil = end }
          }
        }
      }
      if index < coveredUntil {
        pendingBreak = true
        continue
      }
      var kept = token
      if pendingBreak {
        kept[keyPath: breakBefore] = true
        pendingBreak = false
      }
      result.append(kept)
    }
    return result
  }

  /// The top role of `posting` read from its body alone: the title is hidden, as in
  /// `eval --body-only`.
  public func bodyReading(_ posting: TokenizedPosting) -> Role {
    classify(TokenizedPosting(title: [], sections: posting.sections)).role
  }
}
