import Foundation
import RoleLensIngest
import RoleLensText

/// A posting's text as the scorer reads it: title tokens and tokens per section.
public struct TokenizedPosting: Sendable {
  /// The title's tokens; empty when the title is left out.
  public var title: [Token]
  /// Each section's kind and tokens (heading, then text), in posting order.
  public var sections: [(kind: SectionKind, tokens: [Token])]

  /// A tokenized posting from tokens already made.
  public init(title: [Token], sections: [(kind: SectionKind, tokens: [Token])]) {
    self.title = title
    self.sections = sections
  }

  /// Tokenises a posting's title and sections.
  ///
  /// A section's heading and its body each start after a break, so phrases do not run from
  /// one into the next.
  public init(_ posting: Posting, tokenizer: Tokenizer = Tokenizer(), includeTitle: Bool = true) {
    title = includeTitle ? tokenizer.tokens(posting.title) : []
    sections = posting.sections.map { section in
      var tokens: [Token] = []
      tokenizer.appendTokens(of: section.heading, to: &tokens, breakBefore: true)
      tokenizer.appendTokens(of: section.text, to: &tokens, breakBefore: true)
      return (section.kind, tokens)
    }
  }
}

/// A posting's text as word ids (title tokens and tokens per section, into one table of the
/// posting's distinct words): what the scorer reads in a run, with no `String` per token.
public struct PostingWords: Sendable {
  /// The distinct words of the title and sections.
  public var words: WordTable
  /// The title's tokens; empty when the title is left out.
  public var title: [WordToken]
  /// Each section's kind and tokens (heading, then text), in posting order.
  public var sections: [(kind: SectionKind, tokens: [WordToken])]

  /// Tokenises a posting's title and sections into word ids: the tokens of
  /// `TokenizedPosting(posting, tokenizer:includeTitle:)`, interned.
  ///
  /// - Complexity: O(n) in the length of the posting's text.
  public init(_ posting: Posting, tokenizer: Tokenizer = Tokenizer(), includeTitle: Bool = true) {
    var words = WordTable(capacity: 256)
    var title: [WordToken] = []
    if includeTitle { tokenizer.appendWords(of: posting.title, to: &title, words: &words) }
    var sections: [(kind: SectionKind, tokens: [WordToken])] = []
    sections.reserveCapacity(posting.sections.count)
    for section in posting.sections {
      var tokens: [WordToken] = []
      tokenizer.appendWords(of: section.heading, to: &tokens, words: &words, breakBefore: true)
      tokenizer.appendWords(of: section.text, to: &tokens, words: &words, breakBefore: true)
      sections.append((section.kind, tokens))
    }
    self.words = words
    self.title = title
    self.sections = sections
  }

  /// The tokens of `tokenized`, interned.
  public init(_ tokenized: TokenizedPosting) {
    var words = WordTable()
    func intern(_ tokens: [Token]) -> [WordToken] {
      tokens.map { WordToken(word: words.intern($0.text), breakBefore: $0.breakBefore) }
    }
    title = intern(tokenized.title)
    sections = tokenized.sections.map { ($0.kind, intern($0.tokens)) }
    self.words = words
  }
}

/// The transparent keyword scorer.
///
/// For each role: the title score is the best surviving title-pattern match (a pattern whose
/// match lies inside a longer match of another role is dropped: "technical project manager"
/// beats "project manager") times `title_weight`; the body score sums, over the role's phrases,
/// weight × BM25-saturated count, where each occurrence counts with its section's weight and the
/// saturation also normalises for length; that raw sum is squashed into [0, `body_max`). The
/// `other` role scores `threshold` plus its own title score. Confidences are a softmax of the
/// scores at `temperature`.
public struct Scorer: Sendable {
  /// The lexicon the scorer reads.
  public let lexicon: Lexicon
  /// Every word of the lexicon as an id: phrases and patterns are matched on ids.
  let words: LexiconWords
  private let table: PhraseTable
  /// The UTF-8 length of the longest acronym: longer tokens need no acronym lookup.
  private let longestAcronym: Int
  /// Per lexicon word id: its acronym's readings, when the word is an acronym.
  private let acronymReadings: [[CompiledReading]?]
  /// Per lexicon word id: whether the word has at least 3 characters (acronyms this short are
  /// not read in bodies).
  private let hasThreeCharacters: [Bool]
  /// Per role entry and title pattern: the pattern's segments as word ids.
  private let titleSegments: [[[[Int32]]]]
  /// The title patterns of every role but `other`, by the word id of their first word, for
  /// masking role names out of bodies (`maskingTitlePhrases(_:)`).
  let titlePatternsByFirstWord: [[[[Int32]]]]
  /// Whether any role has a title pattern to mask.
  let masksTitlePatterns: Bool

  /// An acronym reading with its words as ids.
  struct CompiledReading: Sendable {
    var expansion: [Int32]
    var cues: [[Int32]]
    var text: [String]
  }

  /// A scorer for `lexicon`; its phrase tables are built here, once, so reuse one scorer for
  /// many postings.
  public init(lexicon: Lexicon) {
    self.lexicon = lexicon
    var words = LexiconWords()
    for entry in lexicon.roles {
      for pattern in entry.titles { for segment in pattern.segments { _ = words.intern(segment) } }
      for phrase in entry.phrases + entry.negative { _ = words.intern(phrase.tokens) }
    }
    for skill in lexicon.skills { for phrase in skill.phrases { _ = words.intern(phrase.tokens) } }
    let acronyms = lexicon.acronyms.keys.sorted()
    for acronym in acronyms {
      _ = words.intern(acronym)
      for reading in lexicon.acronyms[acronym] ?? [] {
        _ = words.intern(reading.expansion)
        for cue in reading.cues { _ = words.intern(cue) }
      }
    }
    self.words = words
    table = PhraseTable(lexicon, words: words)
    longestAcronym = lexicon.acronyms.keys.map(\.utf8.count).max() ?? 0
    var readings = [[CompiledReading]?](repeating: nil, count: words.count)
    var three = [Bool](repeating: false, count: words.count)
    for acronym in acronyms {
      let id = Int(words.id(acronym))
      three[id] = acronym.hasAtLeastCharacters(3)
      readings[id] = (lexicon.acronyms[acronym] ?? []).map {
        CompiledReading(
          expansion: $0.expansion.map(words.id), cues: $0.cues.map { $0.map(words.id) }, text: $0.expansion)
      }
    }
    acronymReadings = readings
    hasThreeCharacters = three
    titleSegments = lexicon.roles.map { entry in entry.titles.map { $0.segments.map { $0.map(words.id) } } }
    var patterns = [[[[Int32]]]](repeating: [], count: words.count)
    var masks = false
    for (entryIndex, entry) in lexicon.roles.enumerated() where entry.role != .other {
      // Patterns with a wildcard ("lead * engineer") describe titles loosely; in a body their
      // words are ordinary content, so they stay.
      for (patternIndex, pattern) in entry.titles.enumerated() where pattern.segments.count == 1 {
        let segments = titleSegments[entryIndex][patternIndex]
        guard let first = segments.first?.first else { continue }
        patterns[Int(first)].append(segments)
        masks = true
      }
    }
    titlePatternsByFirstWord = patterns
    masksTitlePatterns = masks
  }

  /// Classifies a tokenised posting.
  ///
  /// - Parameter explain: Whether to fill `Classification.evidence`.
  /// - Complexity: O(n) in the number of tokens (times the few phrases sharing a first token).
  public func classify(_ posting: TokenizedPosting, explain: Bool = false) -> Classification {
    classify(posting, explain: explain, readingBody: false).classification
  }

  /// Classifies a tokenised posting and, with `readingBody`, also reads its body alone: the top
  /// role `classify` would give the posting without its title, at the cost of one more body
  /// pass only when the title changes how an acronym reads.
  public func classify(_ posting: TokenizedPosting, explain: Bool = false, readingBody: Bool)
    -> (classification: Classification, bodyRole: Role?)
  {
    classify(PostingWords(posting), explain: explain, readingBody: readingBody)
  }

  /// Classifies a posting tokenised into word ids, as `classify(_:explain:readingBody:)` of
  /// its tokens would, matching phrases on ids.
  ///
  /// - Complexity: O(n) in the number of tokens (times the few phrases sharing a first token).
  public func classify(_ posting: PostingWords, explain: Bool = false, readingBody: Bool)
    -> (classification: Classification, bodyRole: Role?)
  {
    classify(posting, lexiconIDs: lexiconIDs(of: posting), explain: explain, readingBody: readingBody)
  }

  /// `classify(_:explain:readingBody:)` with the lexicon ids of the posting's words
  /// (`lexiconIDs(of:)`), when the caller needs them too.
  public func classify(_ posting: PostingWords, lexiconIDs ids: LexiconIDs, explain: Bool, readingBody: Bool)
    -> (classification: Classification, bodyRole: Role?)
  {
    let lexiconIDs = ids.ids
    let roleCount = Role.allCases.count
    let scoring = lexicon.scoring
    var evidence: [Evidence] = []

    // Acronyms read in context, then expanded in the title (and three-letter ones in the body).
    let readings = resolveAcronyms(posting, lexiconIDs: lexiconIDs, includeTitle: true)
    let title = expand(posting.title, lexiconIDs: lexiconIDs, readings: readings, bodyOnly: false)
    let sections = posting.sections.map {
      ($0.kind, expand($0.tokens, lexiconIDs: lexiconIDs, readings: readings, bodyOnly: true))
    }

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
    let readingTexts = Dictionary(
      uniqueKeysWithValues: readings.map { (posting.words.string($0.value.spelling), $0.value.reading.text) })
    let classification = decide(scores: scores, skills: skillHits.sorted(), readings: readingTexts, evidence: evidence)
    return (classification, readingBody ? bodyRole(posting, lexiconIDs: lexiconIDs, readings: readings, raw: raw) : nil)
  }

  /// Body evidence of tokenized sections (tokens as lexicon word ids): each role's raw
  /// (unsquashed) evidence, the skills mentioned and, when `explain`, the phrases behind it.
  func bodyEvidence(_ sections: [(SectionKind, [WordToken])], explain: Bool) -> (
    raw: [Double], skills: Set<Int>, evidence: [Evidence]
  ) {
    let roleCount = Role.allCases.count
    let scoring = lexicon.scoring
    var evidence: [Evidence] = []
    var counts: [PhraseTable.Owner: Double] = [:]
    var kindsSeen: [PhraseTable.Owner: SectionKind] = [:]
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
  func bodyRole(_ posting: PostingWords, lexiconIDs: [Int32], readings: Readings, raw: [Double]) -> Role {
    let bodyReadings =
      posting.title.isEmpty ? readings : resolveAcronyms(posting, lexiconIDs: lexiconIDs, includeTitle: false)
    var evidence = raw
    if !Self.sameExpansions(bodyReadings, readings) {
      let sections = posting.sections.map {
        ($0.kind, expand($0.tokens, lexiconIDs: lexiconIDs, readings: bodyReadings, bodyOnly: true))
      }
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
  public func scoresAs(_ classification: Classification, _ role: Role) -> Bool {
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
  func titleMatches(_ title: [WordToken]) -> [TitleMatch] {
    let words = title.map(\.word)
    var matches: [TitleMatch] = []
    for (entryIndex, entry) in lexicon.roles.enumerated() {
      for (patternIndex, pattern) in entry.titles.enumerated() {
        let segments = titleSegments[entryIndex][patternIndex]
        for start in words.indices {
          if let end = match(segments, in: words, at: start) {
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

  /// The end of a match of `segments` starting at `start`, wildcards standing for 0-2 words
  /// (words as lexicon ids).
  func match(_ segments: [[Int32]], in words: [Int32], at start: Int) -> Int? {
    func matchSegment(_ segment: [Int32], at position: Int) -> Bool {
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

  /// The reading chosen for each acronym of a posting, by the acronym's lexicon id, with the
  /// posting's spelling of it (where it first occurs).
  typealias Readings = [Int32: (spelling: Int32, reading: CompiledReading)]

  /// Whether two sets of readings expand the same acronyms to the same words.
  static func sameExpansions(_ a: Readings, _ b: Readings) -> Bool {
    a.count == b.count && a.allSatisfy { b[$0.key]?.reading.expansion == $0.value.reading.expansion }
  }

  /// For each lexicon acronym present in the posting (in the title, when `includeTitle`), the
  /// reading whose cues occur most often (the first reading on a tie).
  func resolveAcronyms(_ posting: PostingWords, lexiconIDs: [Int32], includeTitle: Bool) -> Readings {
    var present: [Int32: Int32] = [:]
    func consider(_ token: WordToken, inBody: Bool) {
      let id = lexiconIDs[Int(token.word)]
      guard id >= 0, acronymReadings[Int(id)] != nil, !inBody || hasThreeCharacters[Int(id)],
        posting.words.length(token.word) <= longestAcronym, present[id] == nil
      else { return }
      present[id] = token.word
    }
    if includeTitle { for token in posting.title { consider(token, inBody: false) } }
    for section in posting.sections {
      for token in section.tokens { consider(token, inBody: true) }
    }
    guard !present.isEmpty else { return [:] }
    var words: [Int32] = []
    if includeTitle { words += posting.title.map { lexiconIDs[Int($0.word)] } }
    for section in posting.sections { words += section.tokens.map { lexiconIDs[Int($0.word)] } }
    var result: Readings = [:]
    for (acronym, spelling) in present {
      guard let readings = acronymReadings[Int(acronym)], let first = readings.first else { continue }
      var best = first
      var bestCount = -1
      for reading in readings {
        let count = reading.cues.reduce(0) { $0 + occurrences(of: $1, in: words) }
        if count > bestCount {
          best = reading
          bestCount = count
        }
      }
      result[acronym] = (spelling, best)
    }
    return result
  }

  private func occurrences(of phrase: [Int32], in words: [Int32]) -> Int {
    guard let first = phrase.first, phrase.count <= words.count else { return 0 }
    var count = 0
    for index in 0...(words.count - phrase.count) where words[index] == first {
      if phrase.count == 1 || words[index..<(index + phrase.count)].elementsEqual(phrase) { count += 1 }
    }
    return count
  }

  /// `tokens` (posting word ids) as lexicon word ids, each acronym with a reading replaced by
  /// its expansion (in the body, only acronyms of 3 characters or more).
  private func expand(_ tokens: [WordToken], lexiconIDs: [Int32], readings: Readings, bodyOnly: Bool) -> [WordToken] {
    var result: [WordToken] = []
    result.reserveCapacity(tokens.count)
    for token in tokens {
      let id = lexiconIDs[Int(token.word)]
      if !readings.isEmpty, id >= 0, !bodyOnly || hasThreeCharacters[Int(id)], let reading = readings[id] {
        for (offset, word) in reading.reading.expansion.enumerated() {
          result.append(WordToken(word: word, breakBefore: offset == 0 ? token.breakBefore : false))
        }
      } else {
        result.append(WordToken(word: id, breakBefore: token.breakBefore))
      }
    }
    return result
  }
}
