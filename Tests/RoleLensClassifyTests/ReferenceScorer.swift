import Foundation
import RoleLensIngest
import RoleLensText

@testable import RoleLensClassify

/// The keyword scorer as it was before word ids, matching phrases on Strings: the reference
/// the id path is checked against.
///
/// For each role: the title score is the best surviving title-pattern match (a pattern whose
/// match lies inside a longer match of another role is dropped: "technical project manager"
/// beats "project manager") times `title_weight`; the body score sums, over the role's phrases,
/// weight × BM25-saturated count, where each occurrence counts with its section's weight and the
/// saturation also normalises for length; that raw sum is squashed into [0, `body_max`). The
/// `other` role scores `threshold` plus its own title score. Confidences are a softmax of the
/// scores at `temperature`.
struct ReferenceScorer: Sendable {
  /// The lexicon the scorer reads.
  let lexicon: Lexicon
  private let table: ReferencePhraseTable
  /// The UTF-8 length of the longest acronym: longer tokens need no acronym lookup.
  private let longestAcronym: Int
  /// The title patterns of every role but `other`, by their first word, for masking role names
  /// out of bodies (`maskingTitlePhrases(_:)`).
  let titlePatternsByFirstWord: [String: [[[String]]]]

  /// A scorer for `lexicon`; its phrase tables are built here, once, so reuse one scorer for
  /// many postings.
  init(lexicon: Lexicon) {
    self.lexicon = lexicon
    table = ReferencePhraseTable(lexicon)
    longestAcronym = lexicon.acronyms.keys.map(\.utf8.count).max() ?? 0
    var patterns: [String: [[[String]]]] = [:]
    for entry in lexicon.roles where entry.role != .other {
      // Patterns with a wildcard ("lead * engineer") describe titles loosely; in a body their
      // words are ordinary content, so they stay.
      for pattern in entry.titles where pattern.segments.count == 1 {
        guard let first = pattern.segments.first?.first else { continue }
        patterns[first, default: []].append(pattern.segments)
      }
    }
    titlePatternsByFirstWord = patterns
  }

  /// Classifies a tokenised posting.
  ///
  /// - Parameter explain: Whether to fill `Classification.evidence`.
  /// - Complexity: O(n) in the number of tokens (times the few phrases sharing a first token).
  func classify(_ posting: TokenizedPosting, explain: Bool = false) -> Classification {
    classify(posting, explain: explain, readingBody: false).classification
  }

  /// Classifies a tokenised posting and, with `readingBody`, also reads its body alone: the top
  /// role `classify` would give the posting without its title, at the cost of one more body
  /// pass only when the title changes how an acronym reads.
  func classify(_ posting: TokenizedPosting, explain: Bool = false, readingBody: Bool)
    -> (classification: Classification, bodyRole: Role?)
  {
    let roleCount = Role.allCases.count
    let scoring = lexicon.scoring
    var evidence: [Evidence] = []

    // Acronyms read in context, then expanded in the title (and three-letter ones in the body).
    let readings = resolveAcronyms(posting)
    let title = expand(posting.title, readings: readings, minimumLength: 1)
    let sections = posting.sections.map { ($0.kind, expand($0.tokens, readings: readings, minimumLength: 3)) }

    // Title.
    var titleScores = [Double](repeating: 0, count: roleCount)
    for match in titleMatches(title) {
      // The role named first in a title is its main one ("Technical Project Manager / Delivery
      // Manager"): each word before the match costs 2% of the title score, at most 20%.
      let position = 1 - 0.02 * Double(min(match.start, 10))
      let score = scoring.titleWeight * match.pattern.weight * position
      if score > titleScores[match.role.index] { titleScores[match.role.index] = score }
      if explain {
        evidence.append(
          Evidence(
            role: match.role, source: .title, phrase: match.pattern.text, count: 1, weight: match.pattern.weight,
            contribution: score))
      }
    }

    // Body.
    let body = bodyEvidence(sections, explain: explain)
    evidence += body.evidence
    let raw = body.raw
    let skillHits = body.skills

    var scores = [Double](repeating: 0, count: roleCount)
    for role in Role.allCases {
      let evidence = max(raw[role.index], 0)
      let body = scoring.bodyMax * evidence / (evidence + scoring.bodyHalf)
      scores[role.index] = role == .other ? scoring.threshold + titleScores[role.index] : titleScores[role.index] + body
    }
    let classification = decide(scores: scores, skills: skillHits.sorted(), readings: readings, evidence: evidence)
    return (classification, readingBody ? bodyRole(posting, readings: readings, raw: raw) : nil)
  }

  /// Body evidence of tokenized sections: each role's raw (unsquashed) evidence, the skills
  /// mentioned and, when `explain`, the phrases behind it.
  func bodyEvidence(_ sections: [(SectionKind, [Token])], explain: Bool) -> (
    raw: [Double], skills: Set<Int>, evidence: [Evidence]
  ) {
    let roleCount = Role.allCases.count
    let scoring = lexicon.scoring
    var evidence: [Evidence] = []
    var counts: [ReferencePhraseTable.Owner: Double] = [:]
    var kindsSeen: [ReferencePhraseTable.Owner: SectionKind] = [:]
    var skillHits = Set<Int>()
    var length = 0
    for (kind, tokens) in sections {
      let sectionWeight = lexicon.sectionWeights[kind] ?? 0
      guard sectionWeight > 0 else { continue }
      length += tokens.count
      table.matches(in: tokens) { entry in
        for owner in entry.owners {
          if case .skill(let index) = owner {
            skillHits.insert(index)
          } else {
            counts[owner, default: 0] += sectionWeight
            if kindsSeen[owner] == nil { kindsSeen[owner] = kind }
          }
        }
      }
    }
    let lengthFactor = scoring.bm25K1 * (1 - scoring.bm25B + scoring.bm25B * Double(length) / scoring.averageLength)
    var raw = [Double](repeating: 0, count: roleCount)
    // Summed in a fixed order: dictionary order varies between runs, and floating-point sums
    // depend on order.
    for (owner, count) in counts.sorted(by: { $0.key.sortKey < $1.key.sortKey }) {
      let saturated = count * (scoring.bm25K1 + 1) / (count + lengthFactor)
      switch owner {
      case .role(let role, let phrase):
        let weight = lexicon.roles[role].phrases[phrase].weight
        raw[role] += weight * saturated
        if explain {
          evidence.append(
            Evidence(
              role: Role.allCases[role], source: .body(kindsSeen[owner] ?? .general),
              phrase: lexicon.roles[role].phrases[phrase].text, count: count, weight: weight,
              contribution: weight * saturated))
        }
      case .negative(let role, let phrase):
        let weight = lexicon.roles[role].negative[phrase].weight
        raw[role] -= weight * saturated
        if explain {
          evidence.append(
            Evidence(
              role: Role.allCases[role], source: .negative(kindsSeen[owner] ?? .general),
              phrase: lexicon.roles[role].negative[phrase].text, count: count, weight: weight,
              contribution: -weight * saturated))
        }
      case .skill:
        break
      }
    }
    return (raw, skillHits, evidence)
  }

  /// The top role of the body alone (title hidden), as `classify` of the posting without its
  /// title would give, reusing `raw` when the acronyms read the same without the title.
  func bodyRole(_ posting: TokenizedPosting, readings: [String: [String]], raw: [Double]) -> Role {
    let bodyReadings =
      posting.title.isEmpty ? readings : resolveAcronyms(TokenizedPosting(title: [], sections: posting.sections))
    var evidence = raw
    if bodyReadings != readings {
      let sections = posting.sections.map { ($0.kind, expand($0.tokens, readings: bodyReadings, minimumLength: 3)) }
      evidence = bodyEvidence(sections, explain: false).raw
    }
    let scoring = lexicon.scoring
    var best = Role.allCases[0]
    var bestScore = -Double.infinity
    for role in Role.allCases {
      let positive = max(evidence[role.index], 0)
      let score = role == .other ? scoring.threshold : scoring.bodyMax * positive / (positive + scoring.bodyHalf)
      // Ties go to the role listed first, as in `decide`.
      if score > bestScore {
        best = role
        bestScore = score
      }
    }
    return best
  }

  /// Turns scores into the top role, runner-up, confidences and review flag.
  func decide(scores: [Double], skills: [Int], readings: [String: [String]], evidence: [Evidence]) -> Classification {
    let scoring = lexicon.scoring
    let top = scores.max() ?? 0
    let exponentials = scores.map { exp(($0 - top) / scoring.temperature) }
    let total = exponentials.reduce(0, +)
    let confidences = exponentials.map { $0 / total }
    // Ties go to the role listed first, so results never depend on dictionary order.
    let ranked = Role.allCases.sorted { lhs, rhs in
      scores[lhs.index] != scores[rhs.index] ? scores[lhs.index] > scores[rhs.index] : lhs.index < rhs.index
    }
    let role = ranked[0]
    let runnerUp = ranked[1]
    let margin = confidences[role.index] - confidences[runnerUp.index]
    let needsReview = confidences[role.index] < scoring.reviewConfidence || margin < scoring.reviewMargin
    return Classification(
      scores: scores, confidences: confidences, role: role, runnerUp: runnerUp, needsReview: needsReview,
      skills: skills, acronymReadings: readings.mapValues { $0.joined(separator: " ") }, evidence: evidence)
  }

  /// Whether `role` passes the classification threshold in `classification`: used for
  /// cross-classification ("share of A postings that also score as B").
  func scoresAs(_ classification: Classification, _ role: Role) -> Bool {
    classification.scores[role.index] >= lexicon.scoring.threshold
  }

  // MARK: - Title patterns

  struct TitleMatch {
    var role: Role
    var pattern: Lexicon.TitlePattern
    var start: Int
    var end: Int
  }

  /// Title-pattern matches that are not inside a longer match of another role. The `other`
  /// role's patterns ("engineer", "sales") count only when no other role's pattern matched.
  func titleMatches(_ title: [Token]) -> [TitleMatch] {
    let words = title.map(\.text)
    var matches: [TitleMatch] = []
    for entry in lexicon.roles {
      for pattern in entry.titles {
        for start in words.indices {
          if let end = match(pattern.segments, in: words, at: start) {
            matches.append(TitleMatch(role: entry.role, pattern: pattern, start: start, end: end))
          }
        }
      }
    }
    let namesRole = matches.contains { $0.role != .other }
    return matches.filter { candidate in
      !(namesRole && candidate.role == .other)
        && !matches.contains { other in
          other.role != candidate.role && other.start <= candidate.start && candidate.end <= other.end
            && (other.end - other.start) > (candidate.end - candidate.start)
        }
    }
  }

  /// The end of a match of `segments` starting at `start`, wildcards standing for 0-2 words.
  func match(_ segments: [[String]], in words: [String], at start: Int) -> Int? {
    func matchSegment(_ segment: [String], at position: Int) -> Bool {
      guard position + segment.count <= words.count else { return false }
      for (offset, word) in segment.enumerated() where words[position + offset] != word { return false }
      return true
    }
    func rest(_ index: Int, at position: Int) -> Int? {
      if index == segments.count { return position }
      let gaps = index == 0 ? 0...0 : 0...2
      for gap in gaps {
        let at = position + gap
        if matchSegment(segments[index], at: at), let end = rest(index + 1, at: at + segments[index].count) {
          return end
        }
      }
      return nil
    }
    return rest(0, at: start)
  }

  // MARK: - Acronyms

  /// For each lexicon acronym present in the posting, the reading whose cues occur most often
  /// (the first reading on a tie).
  func resolveAcronyms(_ posting: TokenizedPosting) -> [String: [String]] {
    var present = Set<String>()
    for token in posting.title where isAcronym(token.text) { present.insert(token.text) }
    for section in posting.sections {
      for token in section.tokens where token.text.hasAtLeastCharacters(3) && isAcronym(token.text) {
        present.insert(token.text)
      }
    }
    guard !present.isEmpty else { return [:] }
    let words = (posting.title + posting.sections.flatMap(\.tokens)).map(\.text)
    var result: [String: [String]] = [:]
    for acronym in present.sorted() {
      guard let readings = lexicon.acronyms[acronym], let first = readings.first else { continue }
      var best = first
      var bestCount = -1
      for reading in readings {
        let count = reading.cues.reduce(0) { $0 + occurrences(of: $1, in: words) }
        if count > bestCount {
          best = reading
          bestCount = count
        }
      }
      result[acronym] = best.expansion
    }
    return result
  }

  /// Whether `word` is an acronym of the lexicon.
  private func isAcronym(_ word: String) -> Bool {
    word.utf8.count <= longestAcronym && lexicon.acronyms[word] != nil
  }

  private func occurrences(of phrase: [String], in words: [String]) -> Int {
    guard let first = phrase.first, phrase.count <= words.count else { return 0 }
    var count = 0
    for index in 0...(words.count - phrase.count) where words[index] == first {
      if phrase.count == 1 || Array(words[index..<(index + phrase.count)]) == phrase { count += 1 }
    }
    return count
  }

  private func expand(_ tokens: [Token], readings: [String: [String]], minimumLength: Int) -> [Token] {
    guard !readings.isEmpty else { return tokens }
    var result: [Token] = []
    result.reserveCapacity(tokens.count)
    for token in tokens {
      if token.text.hasAtLeastCharacters(minimumLength), let expansion = readings[token.text] {
        for (offset, word) in expansion.enumerated() {
          result.append(Token(word, breakBefore: offset == 0 ? token.breakBefore : false))
        }
      } else {
        result.append(token)
      }
    }
    return result
  }
}
