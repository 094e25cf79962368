import RoleLensText

/// All lexicon phrases (role phrases, negative phrases, skill phrases) indexed by first token,
/// for greedy longest-match phrase matching over token sequences.
struct PhraseTable: Sendable {
  enum Owner: Sendable, Hashable {
    case role(Int, phrase: Int)
    case negative(Int, phrase: Int)
    case skill(Int)

    /// A total order for deterministic iteration.
    var sortKey: Int {
      switch self {
      case .role(let role, let phrase): return role << 20 | phrase
      case .negative(let role, let phrase): return 1 << 40 | role << 20 | phrase
      case .skill(let skill): return 2 << 40 | skill
      }
    }
  }

  struct Entry: Sendable {
    /// The phrase's tokens, as lexicon word ids.
    var tokens: [Int32]
    var owners: [Owner]
  }

  /// Entries by the lexicon word id of their first token, longest first.
  private var byFirstToken: [[Entry]]

  /// The phrases of `lexicon`, their words looked up in `words` (which must hold them all).
  init(_ lexicon: Lexicon, words: LexiconWords) {
    var entries: [[String]: [Owner]] = [:]
    for entry in lexicon.roles {
      for (index, phrase) in entry.phrases.enumerated() {
        entries[phrase.tokens, default: []].append(.role(entry.role.index, phrase: index))
      }
      for (index, phrase) in entry.negative.enumerated() {
        entries[phrase.tokens, default: []].append(.negative(entry.role.index, phrase: index))
      }
    }
    for (index, skill) in lexicon.skills.enumerated() {
      for phrase in skill.phrases { entries[phrase.tokens, default: []].append(.skill(index)) }
    }
    var byFirst: [String: [(tokens: [String], owners: [Owner])]] = [:]
    for (tokens, owners) in entries {
      guard let first = tokens.first else { continue }
      byFirst[first, default: []].append((tokens, owners))
    }
    byFirstToken = [[Entry]](repeating: [], count: words.count)
    for (first, list) in byFirst {
      let sorted = list.sorted {
        $0.tokens.count != $1.tokens.count
          ? $0.tokens.count > $1.tokens.count : $0.tokens.lexicographicallyPrecedes($1.tokens)
      }
      let id = words.id(first)
      precondition(id >= 0, "PhraseTable needs every lexicon word interned")
      byFirstToken[Int(id)] = sorted.map { Entry(tokens: $0.tokens.map(words.id), owners: $0.owners) }
    }
  }

  /// Calls `body` for each phrase found in `tokens`, scanning left to right and taking the
  /// longest phrase at each position; a matched phrase's tokens are not matched again.
  /// Phrases do not cross punctuation breaks.
  ///
  /// - Parameter tokens: Tokens as lexicon word ids (-1 for words of no phrase).
  /// - Complexity: O(n · k) for n tokens and k phrases sharing a first token.
  func matches(in tokens: [WordToken], _ body: (Entry) -> Void) {
    var index = 0
    while index < tokens.count {
      let first = tokens[index].word
      guard first >= 0, !byFirstToken[Int(first)].isEmpty else {
        index += 1
        continue
      }
      let candidates = byFirstToken[Int(first)]
      var matched: Entry?
      for candidate in candidates where candidate.tokens.count <= tokens.count - index {
        var ok = true
        for offset in 1..<max(candidate.tokens.count, 1) {
          let token = tokens[index + offset]
          if token.breakBefore || token.word != candidate.tokens[offset] {
            ok = false
            break
          }
        }
        if ok {
          matched = candidate
          break
        }
      }
      if let matched {
        body(matched)
        index += matched.tokens.count
      } else {
        index += 1
      }
    }
  }
}
