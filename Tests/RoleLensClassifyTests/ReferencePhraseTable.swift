import RoleLensText

@testable import RoleLensClassify

/// The phrase table as it was before word ids (see `ReferenceScorer`): all lexicon phrases (role phrases, negative phrases, skill phrases) indexed by first token,
/// for greedy longest-match phrase matching over token sequences.
struct ReferencePhraseTable: Sendable {
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
    var tokens: [String]
    var owners: [Owner]
  }

  /// Entries by first token, longest first.
  private var byFirstToken: [String: [Entry]] = [:]

  init(_ lexicon: Lexicon) {
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
    for (tokens, owners) in entries {
      guard let first = tokens.first else { continue }
      byFirstToken[first, default: []].append(Entry(tokens: tokens, owners: owners))
    }
    for key in byFirstToken.keys {
      byFirstToken[key]?.sort {
        $0.tokens.count != $1.tokens.count
          ? $0.tokens.count > $1.tokens.count : $0.tokens.lexicographicallyPrecedes($1.tokens)
      }
    }
  }

  /// Calls `body` for each phrase found in `tokens`, scanning left to right and taking the
  /// longest phrase at each position; a matched phrase's tokens are not matched again.
  /// Phrases do not cross punctuation breaks.
  ///
  /// - Complexity: O(n · k) for n tokens and k phrases sharing a first token.
  func matches(in tokens: [Token], _ body: (Entry) -> Void) {
    var index = 0
    while index < tokens.count {
      guard let candidates = byFirstToken[tokens[index].text] else {
        index += 1
        continue
      }
      var matched: Entry?
      for candidate in candidates where candidate.tokens.count <= tokens.count - index {
        var ok = true
        for offset in 1..<max(candidate.tokens.count, 1) {
          let token = tokens[index + offset]
          if token.breakBefore || token.text != candidate.tokens[offset] {
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
