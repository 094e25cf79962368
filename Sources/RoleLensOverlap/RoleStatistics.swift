import RoleLensClassify

/// Corpus statistics of one role: what overlap metrics need, accumulated posting by posting.
///
/// The statistics are sums, so they are mergeable: statistics gathered on separate parts of a
/// corpus (threads, machines) and merged equal those gathered on the whole, exactly (counts are
/// integers; the TF-IDF centroid is summed only after the corpus-wide document frequencies are
/// known, in `OverlapAnalysis`).
public struct RoleStatistics: Sendable, Hashable {
  /// Postings counted.
  public var postings = 0
  /// Occurrences of each term id.
  public var termCounts: [Int32: Int] = [:]
  /// Postings containing each term id.
  public var documentFrequency: [Int32: Int] = [:]
  /// Postings mentioning each skill category (index into the lexicon's skills).
  public var skillPostings: [Int: Int] = [:]
  /// Postings whose score for each role passes the threshold (indexed by `Role.index`).
  public var scoresAs: [Int]

  /// Empty statistics: no postings.
  public init() {
    scoresAs = [Int](repeating: 0, count: Role.allCases.count)
  }

  /// Total term occurrences.
  public var totalTerms: Int { termCounts.values.reduce(0, +) }

  /// Adds one posting.
  public mutating func add(_ vector: TermVector, skills: [Int], scoresAs roles: [Role]) {
    postings += 1
    for (id, count) in zip(vector.ids, vector.counts) {
      termCounts[id, default: 0] += Int(count)
      documentFrequency[id, default: 0] += 1
    }
    for skill in skills { skillPostings[skill, default: 0] += 1 }
    for role in roles { scoresAs[role.index] += 1 }
  }

  /// Adds another part's statistics to these.
  public mutating func merge(_ other: RoleStatistics) {
    postings += other.postings
    termCounts.merge(other.termCounts, uniquingKeysWith: +)
    documentFrequency.merge(other.documentFrequency, uniquingKeysWith: +)
    skillPostings.merge(other.skillPostings, uniquingKeysWith: +)
    for index in scoresAs.indices { scoresAs[index] += other.scoresAs[index] }
  }
}
