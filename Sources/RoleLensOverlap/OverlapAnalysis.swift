import Dispatch
import RoleLensClassify

/// What the overlap stage needs of one posting.
public struct OverlapDocument: Sendable {
  public var role: Role
  public var vector: TermVector
  /// Skill categories the posting mentions (indices into the lexicon's skills).
  public var skills: [Int]
  /// Roles whose score passes the classification threshold for this posting.
  public var scoresAs: [Role]

  public init(role: Role, vector: TermVector, skills: [Int], scoresAs: [Role]) {
    self.role = role
    self.vector = vector
    self.skills = skills
    self.scoresAs = scoresAs
  }
}

/// Options of the overlap analysis.
public struct OverlapOptions: Sendable, Hashable {
  /// The pair compared in detail (default technical-project-manager vs product-manager).
  public var roleA: Role = .technicalProjectManager
  public var roleB: Role = .productManager
  /// How many top terms per role the top-term Jaccard compares.
  public var topK = 100
  /// Bootstrap replicates for the 95% intervals (0 turns intervals off).
  public var replicates = 1000
  public var seed: UInt64 = 20_240_601
  /// A role with fewer postings than this gets no figures (left empty, with a note).
  public var minimumPostings = 5
  /// α0 of the informative Dirichlet prior: the prior counts sum to this, spread over terms
  /// by their share of the whole corpus.
  public var priorStrength = 1000.0
  /// Terms must occur in at least this many postings of the pair to be listed in terms.csv.
  public var minimumTermDocuments = 2
  /// Threads for the bootstrap (results do not depend on it).
  public var jobs = 1

  public init() {}
}

/// One headline figure for the chosen pair, with its bootstrap interval.
public struct OverlapFigure: Sendable, Hashable {
  public var metric: String
  /// `nil` when the sample is too small for the figure to mean anything (see `note`).
  public var value: Double?
  public var ciLow: Double?
  public var ciHigh: Double?
  public var note: String
}

/// A term's log-odds contrast between the two roles of the pair.
public struct TermContrast: Sendable, Hashable {
  public var term: String
  public var countA: Int
  public var countB: Int
  public var documentsA: Int
  public var documentsB: Int
  public var logOdds: Double
  public var z: Double
}

/// Similarity of a pair of roles, for every pair with postings.
public struct RoleSimilarity: Sendable, Hashable {
  public var roleA: Role
  public var roleB: Role
  /// `nil` when either role has fewer postings than the minimum (see `note`).
  public var cosine: Double?
  public var jaccard: Double?
  public var note: String
}

/// The result of the overlap stage.
public struct OverlapResult: Sendable {
  public var options: OverlapOptions
  public var statistics: [Role: RoleStatistics]
  public var figures: [OverlapFigure]
  public var terms: [TermContrast]
  public var similarities: [RoleSimilarity]

  public func postings(_ role: Role) -> Int { statistics[role]?.postings ?? 0 }

  /// The shared core of the pair: terms common in both roles (ranked by the smaller of their
  /// two document shares) whose log-odds z-score is not significant (|z| < 1.96).
  public func sharedCore(limit: Int = 15) -> [TermContrast] {
    let nA = Double(max(postings(options.roleA), 1))
    let nB = Double(max(postings(options.roleB), 1))
    func prevalence(_ term: TermContrast) -> Double { min(Double(term.documentsA) / nA, Double(term.documentsB) / nB) }
    return terms.filter { abs($0.z) < 1.96 && $0.documentsA > 0 && $0.documentsB > 0 }
      .sorted { prevalence($0) != prevalence($1) ? prevalence($0) > prevalence($1) : $0.term < $1.term }
      .prefix(limit).map { $0 }
  }
  public func figure(_ metric: String) -> OverlapFigure? { figures.first { $0.metric == metric } }
}

/// Measures how much roles overlap, from per-posting term vectors and classifications.
public struct OverlapAnalysis: Sendable {
  /// Metric ids, in report order.
  public static let metrics = [
    "jaccard_top_terms", "weighted_jaccard", "cosine_tfidf_centroid", "jensen_shannon_divergence",
    "skill_overlap_coefficient", "share_a_scoring_as_b", "share_b_scoring_as_a", "separability_auc",
  ]

  /// Folds of the cross-validation behind `separability_auc`.
  public static let folds = 5

  public var options: OverlapOptions
  public var skillCount: Int

  public init(options: OverlapOptions, skillCount: Int) {
    self.options = options
    self.skillCount = skillCount
  }

  /// Runs the analysis on postings held in memory (tests and small inputs).
  ///
  /// - Parameters:
  ///   - documents: The postings counted (duplicates already left out by the caller).
  ///   - vocabulary: The term ids' strings.
  /// - Complexity: O(T + R · (n_A + n_B) · t) for T term occurrences in the corpus, R bootstrap
  ///   replicates and t distinct terms per posting.
  public func run(_ documents: [OverlapDocument], vocabulary: Vocabulary) -> OverlapResult {
    var accumulator = OverlapAccumulator(spillDirectory: nil)
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
  /// - Complexity: O(T + R · ((n_A + n_B) · t + d)) for T term occurrences in the corpus, R
  ///   bootstrap replicates, t distinct terms per posting and d distinct terms in the pair.
  public func run(_ accumulator: OverlapAccumulator, vocabulary: Vocabulary) throws -> OverlapResult {
    let statistics = accumulator.statistics
    let n = accumulator.count
    let idf = accumulator.documentFrequencies(vocabulary: vocabulary).map {
      OverlapMetrics.idf(documentFrequency: $0, documents: n)
    }
    let present = Role.allCases.filter { (statistics[$0]?.postings ?? 0) > 0 }
    // Per-role TF-IDF centroids over the whole vocabulary (indexed by term id), summed posting by
    // posting in input order; the pair's postings are kept for the bootstrap as well.
    var centroids = [[Double]](repeating: [], count: Role.allCases.count)
    for role in present { centroids[role.index] = [Double](repeating: 0, count: vocabulary.count) }
    var pair = Space.Builder(roleA: UInt8(options.roleA.index), roleB: UInt8(options.roleB.index))
    let pairStatistics = [options.roleA, options.roleB].compactMap { statistics[$0] }
    pair.reserve(
      postings: pairStatistics.reduce(0) { $0 + $1.postings },
      entries: pairStatistics.reduce(0) { $0 + $1.documentFrequency.values.reduce(0, +) })
    var index = 0
    try accumulator.store.forEach { posting in
      let weights = OverlapMetrics.tfidf(posting.vector) { idf[Int($0)] }
      let role = Int(posting.role)
      for (id, weight) in weights { centroids[role][Int(id)] += weight }
      pair.add(posting, index: index, weights: weights)
      index += 1
    }
    let pairSpace = pair.build(vocabularySize: vocabulary.count, skillCount: skillCount, topK: options.topK)
    let figures = pairFigures(space: pairSpace, a: pair.postingsA, b: pair.postingsB)
    let terms = contrasts(statistics: statistics, vocabulary: vocabulary)

    var profiles: [Role: (centroid: [Double], top: Set<Int>)] = [:]
    for role in present {
      let roleStatistics = statistics[role] ?? RoleStatistics()
      // Counts are integers, so the corpus-wide sums are exact whatever the order.
      var counts = [Double](repeating: 0, count: vocabulary.count)
      for (id, count) in roleStatistics.termCounts { counts[Int(id)] = Double(count) }
      let size = Double(max(roleStatistics.postings, 1))
      profiles[role] = (centroids[role.index].map { $0 / size }, OverlapMetrics.topTerms(counts, k: options.topK))
    }
    var similarities: [RoleSimilarity] = []
    for (i, a) in present.enumerated() {
      for b in present[(i + 1)...] {
        guard let pa = profiles[a], let pb = profiles[b] else { continue }
        let enough = (statistics[a]?.postings ?? 0) >= options.minimumPostings
          && (statistics[b]?.postings ?? 0) >= options.minimumPostings
        similarities.append(
          RoleSimilarity(
            roleA: a, roleB: b, cosine: enough ? OverlapMetrics.cosine(pa.centroid, pb.centroid) : nil,
            jaccard: enough ? OverlapMetrics.jaccard(pa.top, pb.top) : nil,
            note: enough ? "" : "too few postings (at least \(options.minimumPostings) per role are needed)"))
      }
    }
    return OverlapResult(options: options, statistics: statistics, figures: figures, terms: terms, similarities: similarities)
  }

  /// Point estimates and 95% bootstrap intervals for the pair.
  ///
  /// Resampling postings with replacement repeats postings, which shrinks vocabularies and so
  /// biases vocabulary measures (JSD up, Jaccard down) in the replicates. The interval is
  /// therefore the percentile interval moved by the bootstrap estimate of that bias
  /// (b = mean of replicates − estimate): [q2.5 − b, q97.5 − b], clipped to [0, 1].
  func pairFigures(space: Space, a: [Int], b: [Int]) -> [OverlapFigure] {
    let (roleA, roleB) = (options.roleA, options.roleB)
    guard a.count >= options.minimumPostings, b.count >= options.minimumPostings else {
      let note = "too few postings: \(roleA.rawValue) \(a.count), \(roleB.rawValue) \(b.count); at least \(options.minimumPostings) each are needed"
      return Self.metrics.map { OverlapFigure(metric: $0, value: nil, ciLow: nil, ciHigh: nil, note: note) }
    }
    var scratch = Scratch(space: space)
    let point = space.metrics(a: a, b: b, roleA: roleA, roleB: roleB, scratch: &scratch)
    // Replicate r draws from its own generator, seeded from (seed, r), so replicates can run on
    // several threads and the numbers do not depend on how many.
    var byReplicate = [[Double]](repeating: [], count: options.replicates)
    let seed = options.seed
    let count = options.replicates
    let workers = max(1, min(options.jobs, count))
    byReplicate.withUnsafeMutableBufferPointer { buffer in
      // Each replicate's slot is written by exactly one worker.
      nonisolated(unsafe) let slots = buffer
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var scratch = Scratch(space: space)
        for replicate in stride(from: worker, to: count, by: workers) {
          var generator = Self.generator(seed: seed, replicate: replicate)
          let sampleA = a.map { _ in a[generator.nextIndex(below: a.count)] }
          let sampleB = b.map { _ in b[generator.nextIndex(below: b.count)] }
          slots[replicate] = space.metrics(a: sampleA, b: sampleB, roleA: roleA, roleB: roleB, scratch: &scratch)
        }
      }
    }
    var replicates = [[Double]](repeating: [], count: Self.metrics.count)
    for values in byReplicate {
      for (index, value) in values.enumerated() { replicates[index].append(value) }
    }
    return Self.metrics.enumerated().map { index, metric in
      let sorted = replicates[index].sorted()
      var note = ""
      if metric == "jaccard_top_terms" { note = "top \(options.topK) terms by count" }
      guard let low = OverlapMetrics.quantile(sorted, 0.025), let high = OverlapMetrics.quantile(sorted, 0.975) else {
        return OverlapFigure(metric: metric, value: point[index], ciLow: nil, ciHigh: nil, note: note)
      }
      let bias = sorted.reduce(0, +) / Double(sorted.count) - point[index]
      return OverlapFigure(
        metric: metric, value: point[index], ciLow: min(max(low - bias, 0), 1), ciHigh: min(max(high - bias, 0), 1),
        note: note)
    }
  }

  /// The random stream of bootstrap replicate `replicate`: a generator seeded with a hash of
  /// the run's seed and the replicate number.
  public static func generator(seed: UInt64, replicate: Int) -> SeededGenerator {
    var mixer = SeededGenerator(seed: seed ^ (UInt64(replicate) &* 0xD1B5_4A32_D192_ED03))
    return SeededGenerator(seed: mixer.next())
  }

  // MARK: - Distinctive terms

  func contrasts(statistics: [Role: RoleStatistics], vocabulary: Vocabulary) -> [TermContrast] {
    guard let a = statistics[options.roleA], let b = statistics[options.roleB] else { return [] }
    var background: [Int32: Int] = [:]
    for stats in statistics.values { background.merge(stats.termCounts, uniquingKeysWith: +) }
    let backgroundTotal = Double(background.values.reduce(0, +))
    let nA = Double(a.totalTerms)
    let nB = Double(b.totalTerms)
    let alpha0 = options.priorStrength
    var result: [TermContrast] = []
    for id in Set(a.termCounts.keys).union(b.termCounts.keys).sorted() {
      let docsA = a.documentFrequency[id] ?? 0
      let docsB = b.documentFrequency[id] ?? 0
      guard docsA + docsB >= options.minimumTermDocuments, backgroundTotal > 0 else { continue }
      let yA = Double(a.termCounts[id] ?? 0)
      let yB = Double(b.termCounts[id] ?? 0)
      let alpha = alpha0 * Double(background[id] ?? 0) / backgroundTotal
      let (delta, z) = OverlapMetrics.logOdds(countA: yA, totalA: nA, countB: yB, totalB: nB, alpha: alpha, alpha0: alpha0)
      result.append(
        TermContrast(
          term: vocabulary.term(id), countA: Int(yA), countB: Int(yB), documentsA: docsA, documentsB: docsB,
          logOdds: delta, z: z))
    }
    return result.sorted { $0.z != $1.z ? $0.z > $1.z : $0.term < $1.term }
  }
}
