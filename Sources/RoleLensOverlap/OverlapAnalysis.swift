import Dispatch
import RoleLensClassify

/// What the overlap stage needs of one posting.
public struct OverlapDocument: Sendable {
  /// The role the posting was classified as.
  public var role: Role
  /// The posting's term and bigram counts (`TermCounter`), as ids of the run's `Vocabulary`.
  public var vector: TermVector
  /// Skill categories the posting mentions (indices into the lexicon's skills).
  public var skills: [Int]
  /// Roles whose score passes the classification threshold for this posting.
  public var scoresAs: [Role]
  /// The posting's cluster (the same posting in substance: reposts, per-city copies); postings
  /// of one role and one cluster are one resampling unit. `nil`: a cluster of its own.
  public var cluster: Int?
  /// The top role read from the body alone, title hidden (for the cross-reading shares).
  public var bodyRole: Role
  /// The posting's group label for `OverlapOptions.groupBy` (`2021`, a company); `nil` when it
  /// has no value for the key (the none group).
  public var group: String?

  /// A document; `bodyRole` defaults to `role`, `cluster` to a cluster of its own.
  public init(
    role: Role, vector: TermVector, skills: [Int], scoresAs: [Role], cluster: Int? = nil, bodyRole: Role? = nil,
    group: String? = nil
  ) {
    self.role = role
    self.vector = vector
    self.skills = skills
    self.scoresAs = scoresAs
    self.cluster = cluster
    self.bodyRole = bodyRole ?? role
    self.group = group
  }
}

/// Options of the overlap analysis.
public struct OverlapOptions: Sendable, Hashable {
  /// The first role of the pair compared in detail (default technical-project-manager).
  public var roleA: Role = .technicalProjectManager
  /// The second role of the pair (default product-manager).
  public var roleB: Role = .productManager
  /// How many top terms per role the top-term Jaccard compares.
  public var topK = 100
  /// Cluster-bootstrap replicates for the 95% intervals (0 turns intervals off).
  public var replicates = 1000
  /// Label permutations for the p-values (0 turns tests off).
  public var permutations = 1000
  /// Folds of the cross-validation behind `separability_auc`.
  public var folds = 5
  /// How many times the cross-validation is repeated with new folds.
  public var crossValidationRepeats = 5
  /// Random draws of the size-matched descriptive figures.
  public var draws = 100
  /// Seed of every random stream (bootstrap, permutations, folds, draws): the same seed gives
  /// the same figures, whatever `jobs` is.
  public var seed: UInt64 = 20_240_601
  /// Below this many clusters a role's figures are flagged `insufficient`; it is also the size
  /// (clusters per side) at which the descriptive figures are size-matched.
  public var minimumClusters = 10
  /// α0 of the informative Dirichlet prior: the prior counts sum to this, spread over terms
  /// by their share of the whole corpus.
  public var priorStrength = 1000.0
  /// Terms must occur in at least this many clusters of the pair to be listed in terms.csv.
  public var minimumTermDocuments = 2
  /// q-value (Benjamini-Hochberg) below which a term is distinctive of one side.
  public var termFalseDiscoveryRate = 0.05
  /// Threads for the resampling (results do not depend on it).
  public var jobs = 1
  /// What postings are grouped by for the per-group figures (`OverlapDocument.group`); `nil`:
  /// no grouping.
  public var groupBy: GroupKey?

  /// The defaults listed above: technical-project-manager vs product-manager, 1000 replicates
  /// and 1000 permutations.
  public init() {}
}

/// One headline figure for the chosen pair, with its interval and test.
public struct OverlapFigure: Sendable, Hashable {
  /// The metric's id, one of `OverlapAnalysis.metrics` (`overlap_index`, `separability_auc`...).
  public var metric: String
  /// `nil` when the figure cannot be computed (see `note`).
  public var value: Double?
  /// Lower end of the 95% cluster-bootstrap percentile interval (Wilson interval for the shares);
  /// `nil` when there is none (intervals off, or too few defined replicates).
  public var ciLow: Double?
  /// Upper end of the same interval as `ciLow`.
  public var ciHigh: Double?
  /// One-sided permutation p-value of "A and B are exchangeable", where the figure has a test.
  public var pValue: Double?
  /// Caveats for a reader ("insufficient: …", what the figure was computed on); "" when none.
  public var note: String

  /// A figure of `metric` with its value, interval, p-value and note.
  public init(
    metric: String, value: Double?, ciLow: Double? = nil, ciHigh: Double? = nil, pValue: Double? = nil,
    note: String = ""
  ) {
    self.metric = metric
    self.value = value
    self.ciLow = ciLow
    self.ciHigh = ciHigh
    self.pValue = pValue
    self.note = note
  }
}

/// A term's contrast between the two roles of the pair.
public struct TermContrast: Sendable, Hashable {
  /// The term or bigram ("roadmap", "product roadmap").
  public var term: String
  /// Occurrences of the term in all postings of role A.
  public var countA: Int
  /// Occurrences of the term in all postings of role B.
  public var countB: Int
  /// Postings of role A using the term.
  public var documentsA: Int
  /// Postings of role B using the term.
  public var documentsB: Int
  /// Clusters (resampling units) of role A using the term.
  public var clustersA: Int
  /// Clusters (resampling units) of role B using the term.
  public var clustersB: Int
  /// Log-odds ratio with informative Dirichlet prior over cluster-mean counts: positive means
  /// more typical of role A.
  public var logOdds: Double
  /// The z-score of `logOdds`: positive means typical of role A, negative of role B.
  public var z: Double
  /// Two-sided Fisher exact test of the term's cluster shares.
  public var pValue: Double
  /// The Benjamini-Hochberg q-value of `pValue` over every listed term.
  public var qValue: Double
}

/// Similarity of a pair of roles, for every pair with postings.
public struct RoleSimilarity: Sendable, Hashable {
  /// The first role of the pair (earlier in `Role.allCases`).
  public var roleA: Role
  /// The second role of the pair.
  public var roleB: Role
  /// Clusters (resampling units) of `roleA`.
  public var clustersA: Int
  /// Clusters (resampling units) of `roleB`.
  public var clustersB: Int
  /// The size-free overlap index (`nil` when either role has fewer than 2 clusters).
  public var overlapIndex: Double?
  /// Cosine of the cluster-weighted TF-IDF centroids: a raw figure, which depends on the
  /// roles' sizes; `nil` when a centroid is zero.
  public var cosine: Double?
  /// Jaccard index of the two roles' top `OverlapOptions.topK` terms: a raw figure, which
  /// depends on the roles' sizes.
  public var jaccard: Double?
  /// Caveats ("insufficient: …", why the overlap index is missing); "" when none.
  public var note: String
}

/// The result of the overlap stage.
public struct OverlapResult: Sendable {
  /// The options the stage ran with.
  public var options: OverlapOptions
  /// Term, skill and scored-as statistics of each role with postings.
  public var statistics: [Role: RoleStatistics]
  /// Clusters (resampling units) of each role.
  public var clusters: [Role: Int]
  /// The headline figures of the pair, in `OverlapAnalysis.metrics` order.
  public var figures: [OverlapFigure]
  /// The terms used by at least `options.minimumTermDocuments` clusters of the pair, by z-score
  /// from most typical of role A to most typical of role B.
  public var terms: [TermContrast]
  /// Similarity of every pair of roles with postings, pairs in `Role.allCases` order.
  public var similarities: [RoleSimilarity]
  /// The pair's figures per group, when the options group postings.
  public var grouped: GroupedOverlap? = nil

  /// Postings of `role` counted by the stage; 0 when it has none.
  public func postings(_ role: Role) -> Int { statistics[role]?.postings ?? 0 }
  /// Clusters (resampling units) of `role`; 0 when it has none.
  public func clusterCount(_ role: Role) -> Int { clusters[role] ?? 0 }

  /// Whether either role of the pair has fewer clusters than `options.minimumClusters`.
  public var isInsufficient: Bool {
    min(clusterCount(options.roleA), clusterCount(options.roleB)) < options.minimumClusters
  }

  /// The side a term is distinctive of, or `nil` when it is shared (q ≥ the false discovery
  /// rate, or the z-score and the cluster shares disagree in direction).
  public func side(_ term: TermContrast) -> Role? {
    guard term.qValue < options.termFalseDiscoveryRate else { return nil }
    let shareA = Double(term.clustersA) / Double(max(clusterCount(options.roleA), 1))
    let shareB = Double(term.clustersB) / Double(max(clusterCount(options.roleB), 1))
    if term.z > 0 && shareA > shareB { return options.roleA }
    if term.z < 0 && shareB > shareA { return options.roleB }
    return nil
  }

  /// The distinctive terms of `role` (one of the pair), strongest first.
  public func distinctive(_ role: Role, limit: Int = 15) -> [TermContrast] {
    let list = terms.filter { side($0) == role }
    return Array((role == options.roleA ? list : list.reversed()).prefix(limit))
  }

  /// The shared core of the pair: terms common in both roles (ranked by the smaller of their
  /// two cluster shares) that are not distinctive of either.
  public func sharedCore(limit: Int = 15) -> [TermContrast] {
    let kA = Double(max(clusterCount(options.roleA), 1))
    let kB = Double(max(clusterCount(options.roleB), 1))
    func prevalence(_ term: TermContrast) -> Double { min(Double(term.clustersA) / kA, Double(term.clustersB) / kB) }
    return terms.filter { side($0) == nil && $0.clustersA > 0 && $0.clustersB > 0 }
      .sorted { prevalence($0) != prevalence($1) ? prevalence($0) > prevalence($1) : $0.term < $1.term }
      .prefix(limit).map { $0 }
  }

  /// The figure with the id `metric`, or `nil` when there is none.
  public func figure(_ metric: String) -> OverlapFigure? { figures.first { $0.metric == metric } }
}

/// Measures how much roles overlap, from per-posting term vectors and classifications.
///
/// The unit of every resampling, test and cross-validation split is the cluster: the postings
/// of one role that are the same posting in substance count once, as their mean.
public struct OverlapAnalysis: Sendable {
  /// Metric ids, in report order.
  public static let metrics = [
    "overlap_index", "similarity_between", "similarity_within_a", "similarity_within_b", "separability_auc",
    "share_a_reads_as_b", "share_b_reads_as_a", "jaccard_top_terms", "weighted_jaccard", "cosine_tfidf_centroid",
    "jensen_shannon_divergence", "skill_overlap_coefficient",
  ]

  /// The pair, resampling counts, seed and threads of the analysis.
  public var options: OverlapOptions
  /// The number of skill categories (the lexicon's `skills`) that documents' skill indices
  /// refer to.
  public var skillCount: Int

  /// An analysis with `options`, for documents whose skills index a list of `skillCount`.
  public init(options: OverlapOptions, skillCount: Int) {
    self.options = options
    self.skillCount = skillCount
  }

  /// Runs the analysis on postings held in memory (tests and small inputs).
  ///
  /// - Parameters:
  ///   - documents: The postings counted (duplicates already left out by the caller).
  ///   - vocabulary: The term ids' strings.
  public func run(_ documents: [OverlapDocument], vocabulary: Vocabulary) -> OverlapResult {
    var accumulator = OverlapAccumulator(spillDirectory: nil, grouping: options.groupBy != nil)
    for document in documents { accumulator.add(document) }
    do {
      return try run(accumulator, vocabulary: vocabulary)
    } catch {
      preconditionFailure("an accumulator without a spill directory does no I/O, yet: \(error)")
    }
  }

  /// Runs the analysis on the postings of an accumulator, reading them back once.
  ///
  /// - Parameters:
  ///   - accumulator: The postings counted (duplicates already left out by the caller).
  ///   - vocabulary: The term ids' strings.
  /// - Throws: `OverlapError.spillFile` when the accumulator's temporary file cannot be read.
  /// - Complexity: O(T + V · r + (R + P) · e) for T term occurrences in the corpus, V terms, r
  ///   roles, R replicates and P permutations over the e entries of the pair's clusters.
  public func run(_ accumulator: OverlapAccumulator, vocabulary: Vocabulary) throws -> OverlapResult {
    let statistics = accumulator.statistics
    let n = accumulator.count
    let idf = accumulator.documentFrequencies(vocabulary: vocabulary).map {
      OverlapMetrics.idf(documentFrequency: $0, documents: n)
    }
    var roles = RoleSums(vocabularySize: vocabulary.count, statistics: statistics)
    var groupedSpace: UnitSpace?
    let space = try pairSpace(accumulator, vocabulary: vocabulary, roles: &roles, idf: idf, grouped: &groupedSpace)
    let clusters = Dictionary(uniqueKeysWithValues: roles.present.map { ($0, roles.units[$0.index]) })
    let figures = pairFigures(space)
    let terms = contrasts(space: space, statistics: statistics, vocabulary: vocabulary)
    let similarities = roles.similarities(topK: options.topK, minimumClusters: options.minimumClusters)
    var grouped: GroupedOverlap?
    if let key = options.groupBy, let groupedSpace {
      grouped = groupFigures(groupedSpace, key: key, accumulator: accumulator)
    }
    return OverlapResult(
      options: options, statistics: statistics, clusters: clusters, figures: figures, terms: terms,
      similarities: similarities, grouped: grouped)
  }

  /// Reads the accumulator's postings back once, in input order, into their units: the pair's
  /// units (returned) and every role's sums (`roles`).
  ///
  /// When the options group postings, `grouped` receives the pair's units split by group too:
  /// the postings of one role, one cluster and one group (a cluster reposted across years is a
  /// unit in each year), each unit's group in `UnitSpace.unitGroups`.
  func pairSpace(
    _ accumulator: OverlapAccumulator, vocabulary: Vocabulary, roles: inout RoleSums, idf: [Double],
    grouped: inout UnitSpace?
  ) throws -> UnitSpace {
    let (roleA, roleB) = (UInt8(options.roleA.index), UInt8(options.roleB.index))
    var pair = UnitSpace.Builder(roleA: roleA, roleB: roleB)
    var units = UnitCollector(sizes: accumulator.unitSizes)
    let grouping = options.groupBy != nil
    var groupedPair = UnitSpace.Builder(roleA: roleA, roleB: roleB)
    var groupedUnits = UnitCollector(sizes: accumulator.groupedUnitSizes, grouped: true)
    // The pair's posting entries (a posting's terms with a positive count): each role's
    // statistics count every term's postings.
    let entries = Set([options.roleA, options.roleB]).reduce(0) { sum, role in
      sum + (accumulator.statistics[role]?.terms.reduce(0) { $0 + $1.postings } ?? 0)
    }
    pair.reserve(postingEntries: entries)
    if grouping { groupedPair.reserve(postingEntries: entries) }
    try accumulator.store.forEach { posting in
      let (weights, norm) = OverlapMetrics.tfidfWithNorm(posting.vector) { idf[Int($0)] }
      let unit = units.add(posting, weights: weights)
      pair.addPosting(ids: units.lastIDs, counts: units.lastCounts, norm: norm, key: units.lastKey)
      if grouping && (posting.role == roleA || posting.role == roleB) {
        let groupedUnit = groupedUnits.add(posting, weights: weights)
        groupedPair.addPosting(
          ids: groupedUnits.lastIDs, counts: groupedUnits.lastCounts, norm: norm, key: groupedUnits.lastKey)
        if let groupedUnit { groupedPair.add(groupedUnit) }
      }
      guard let unit else { return }
      roles.add(unit)
      pair.add(unit)
    }
    if grouping { grouped = groupedPair.build(vocabulary: vocabulary, skillCount: skillCount, idf: idf) }
    return pair.build(vocabulary: vocabulary, skillCount: skillCount, idf: idf)
  }

  /// The pair's units alone (tests).
  func pairSpace(_ accumulator: OverlapAccumulator, vocabulary: Vocabulary) throws -> UnitSpace {
    var roles = RoleSums(vocabularySize: vocabulary.count, statistics: accumulator.statistics)
    let idf = accumulator.documentFrequencies(vocabulary: vocabulary).map {
      OverlapMetrics.idf(documentFrequency: $0, documents: accumulator.count)
    }
    var grouped: UnitSpace?
    return try pairSpace(accumulator, vocabulary: vocabulary, roles: &roles, idf: idf, grouped: &grouped)
  }

  /// The random stream `replicate` of the stream family `stream` (bootstrap, permutations,
  /// folds, draws): a generator seeded with a hash of the run's seed and both numbers, so that
  /// replicates can run on several threads and the numbers do not depend on how many.
  package static func generator(seed: UInt64, stream: UInt64 = 0, replicate: Int) -> SeededGenerator {
    var mixer = SeededGenerator(
      seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(replicate) &* 0xD1B5_4A32_D192_ED03))
    return SeededGenerator(seed: mixer.next())
  }

  /// `body(index)` for every index in `0..<count`, on up to `jobs` threads; results in index
  /// order.
  package static func parallelMap<T>(_ count: Int, jobs: Int, _ body: (Int) -> T) -> [T] {
    parallelMap(count, jobs: jobs, state: { () }, { (_: inout Void, index: Int) in body(index) })
  }

  /// `body(&state, index)` for every index in `0..<count`, on up to `jobs` threads, each thread
  /// with its own `state` (buffers reused between indices); results in index order, and the
  /// same whatever `jobs` is as long as `body`'s result does not depend on the state's history.
  static func parallelMap<T, State>(
    _ count: Int, jobs: Int, state makeState: () -> State, _ body: (inout State, Int) -> T
  ) -> [T] {
    guard count > 0 else { return [] }
    var results = [T?](repeating: nil, count: count)
    let workers = max(1, min(jobs, count))
    withoutActuallyEscaping(makeState) { makeState in
      withoutActuallyEscaping(body) { body in
        results.withUnsafeMutableBufferPointer { buffer in
          // Each slot is written by exactly one worker.
          nonisolated(unsafe) let slots = buffer
          nonisolated(unsafe) let body = body
          nonisolated(unsafe) let makeState = makeState
          DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var state = makeState()
            for index in stride(from: worker, to: count, by: workers) { slots[index] = body(&state, index) }
          }
        }
      }
    }
    return results.map { result in
      guard let result else { preconditionFailure("parallelMap left slot unfilled") }
      return result
    }
  }
}
