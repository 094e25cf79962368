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

  /// Runs the analysis.
  ///
  /// - Parameters:
  ///   - documents: The postings counted (duplicates already left out by the caller).
  ///   - vocabulary: The term ids' strings.
  /// - Complexity: O(T + R · (n_A + n_B) · t) for T term occurrences in the corpus, R bootstrap
  ///   replicates and t distinct terms per posting.
  public func run(_ documents: [OverlapDocument], vocabulary: Vocabulary) -> OverlapResult {
    var statistics: [Role: RoleStatistics] = [:]
    var documentFrequency: [Int32: Int] = [:]
    for document in documents {
      statistics[document.role, default: RoleStatistics()].add(document.vector, skills: document.skills, scoresAs: document.scoresAs)
      for id in document.vector.ids { documentFrequency[id, default: 0] += 1 }
    }
    let n = documents.count
    let idf: (Int32) -> Double = { OverlapMetrics.idf(documentFrequency: documentFrequency[$0] ?? 0, documents: n) }

    var byRole: [Role: [Int]] = [:]
    for (index, document) in documents.enumerated() { byRole[document.role, default: []].append(index) }

    let pairA = byRole[options.roleA] ?? []
    let pairB = byRole[options.roleB] ?? []
    let pairSpace = Space(documents: documents, idf: idf, subset: pairA + pairB, skillCount: skillCount, topK: options.topK)
    let figures = pairFigures(space: pairSpace, a: pairA, b: pairB)
    let terms = contrasts(documents: documents, statistics: statistics, vocabulary: vocabulary)

    var similarities: [RoleSimilarity] = []
    let present = Role.allCases.filter { (byRole[$0]?.count ?? 0) > 0 }
    // Per-role term counts and TF-IDF centroids over the whole vocabulary (indexed by term id),
    // accumulated posting by posting: no per-posting weight vectors are kept.
    let dimension = vocabulary.count
    var profiles: [Role: (centroid: [Double], top: Set<Int>)] = [:]
    for role in present {
      let indices = byRole[role] ?? []
      var counts = [Double](repeating: 0, count: dimension)
      var centroid = [Double](repeating: 0, count: dimension)
      for index in indices {
        let vector = documents[index].vector
        for (id, count) in zip(vector.ids, vector.counts) { counts[Int(id)] += Double(count) }
        for (id, weight) in OverlapMetrics.tfidf(vector, idf: idf) { centroid[Int(id)] += weight }
      }
      let size = Double(max(indices.count, 1))
      profiles[role] = (centroid.map { $0 / size }, OverlapMetrics.topTerms(counts, k: options.topK))
    }
    for (i, a) in present.enumerated() {
      for b in present[(i + 1)...] {
        guard let pa = profiles[a], let pb = profiles[b] else { continue }
        let enough = (byRole[a]?.count ?? 0) >= options.minimumPostings && (byRole[b]?.count ?? 0) >= options.minimumPostings
        similarities.append(
          RoleSimilarity(
            roleA: a, roleB: b, cosine: enough ? OverlapMetrics.cosine(pa.centroid, pb.centroid) : nil,
            jaccard: enough ? OverlapMetrics.jaccard(pa.top, pb.top) : nil,
            note: enough ? "" : "too few postings (at least \(options.minimumPostings) per role are needed)"))
      }
    }
    return OverlapResult(options: options, statistics: statistics, figures: figures, terms: terms, similarities: similarities)
  }

  // MARK: - Pair figures

  /// The postings of an analysis as dense vectors over the terms they use, so that point
  /// estimates and thousands of bootstrap replicates add arrays instead of hashing.
  struct Space {
    /// Per document (by index into the analysis' documents): positions into the dense space
    /// and counts; empty for documents outside the subset.
    var counts: [[(Int, Double)]]
    var weights: [[(Int, Double)]]
    var dimension: Int
    var documents: [OverlapDocument]
    var skillCount: Int
    var topK: Int

    /// - Parameter subset: The documents the space covers; term positions follow term ids, so
    ///   ties in top-term rankings go to the term seen first in the input.
    init<S: Sequence<Int>>(documents: [OverlapDocument], idf: (Int32) -> Double, subset: S, skillCount: Int, topK: Int) {
      let members = Array(subset)
      var ids = Set<Int32>()
      for index in members { ids.formUnion(documents[index].vector.ids) }
      let sorted = ids.sorted()
      var position: [Int32: Int] = [:]
      for (offset, id) in sorted.enumerated() { position[id] = offset }
      var counts = [[(Int, Double)]](repeating: [], count: documents.count)
      var weights = [[(Int, Double)]](repeating: [], count: documents.count)
      for index in members where counts[index].isEmpty {
        let vector = documents[index].vector
        counts[index] = zip(vector.ids, vector.counts).compactMap { id, count in position[id].map { ($0, Double(count)) } }
        weights[index] = OverlapMetrics.tfidf(vector, idf: idf).compactMap { id, weight in position[id].map { ($0, weight) } }
      }
      self.counts = counts
      self.weights = weights
      dimension = sorted.count
      self.documents = documents
      self.skillCount = skillCount
      self.topK = topK
    }

    func termCounts(_ indices: [Int]) -> [Double] {
      var sum = [Double](repeating: 0, count: dimension)
      for index in indices {
        for (position, count) in counts[index] { sum[position] += count }
      }
      return sum
    }

    /// Mean of the postings' L2-normalised TF-IDF vectors.
    func centroid(_ indices: [Int]) -> [Double] {
      var sum = [Double](repeating: 0, count: dimension)
      for index in indices {
        for (position, weight) in weights[index] { sum[position] += weight }
      }
      let n = Double(max(indices.count, 1))
      return sum.map { $0 / n }
    }

    func skillShares(_ indices: [Int]) -> [Double] {
      var counts = [Int](repeating: 0, count: skillCount)
      for index in indices {
        for skill in documents[index].skills where skill < skillCount { counts[skill] += 1 }
      }
      let n = Double(max(indices.count, 1))
      return counts.map { Double($0) / n }
    }

    func share(_ indices: [Int], scoringAs role: Role) -> Double {
      guard !indices.isEmpty else { return 0 }
      let hits = indices.filter { documents[$0].scoresAs.contains(role) }.count
      return Double(hits) / Double(indices.count)
    }

    /// Every metric of `OverlapAnalysis.metrics`, in order, for the postings `a` and `b`.
    func metrics(a: [Int], b: [Int], roleA: Role, roleB: Role) -> [Double] {
      let countsA = termCounts(a)
      let countsB = termCounts(b)
      return [
        OverlapMetrics.jaccard(OverlapMetrics.topTerms(countsA, k: topK), OverlapMetrics.topTerms(countsB, k: topK)),
        OverlapMetrics.weightedJaccard(countsA, countsB),
        OverlapMetrics.cosine(centroid(a), centroid(b)),
        OverlapMetrics.jensenShannon(countsA, countsB),
        OverlapMetrics.overlapCoefficient(skillShares(a), skillShares(b)),
        share(a, scoringAs: roleB),
        share(b, scoringAs: roleA),
        separability(a: a, b: b),
      ]
    }

    /// How well body text alone tells A from B: the cross-validated AUC of a nearest-centroid
    /// classifier (score = cosine to A's TF-IDF centroid − cosine to B's, centroids from the
    /// other folds). 0.5 = indistinguishable, 1 = perfectly separable. A posting's fold follows
    /// its index, so a posting drawn twice by the bootstrap never trains and tests itself.
    func separability(a: [Int], b: [Int]) -> Double {
      let folds = OverlapAnalysis.folds
      func sums(_ indices: [Int]) -> (total: [Double], byFold: [[Double]], counts: [Int]) {
        var total = [Double](repeating: 0, count: dimension)
        var byFold = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: folds)
        var counts = [Int](repeating: 0, count: folds)
        for index in indices {
          let fold = index % folds
          counts[fold] += 1
          for (position, weight) in weights[index] {
            total[position] += weight
            byFold[fold][position] += weight
          }
        }
        return (total, byFold, counts)
      }
      let sumsA = sums(a)
      let sumsB = sums(b)
      func norm(_ vector: [Double]) -> Double { vector.reduce(0) { $0 + $1 * $1 }.squareRoot() }
      var scoresA: [Double] = []
      var scoresB: [Double] = []
      for fold in 0..<folds {
        let trainA = zip(sumsA.total, sumsA.byFold[fold]).map { $0 - $1 }
        let trainB = zip(sumsB.total, sumsB.byFold[fold]).map { $0 - $1 }
        let normA = norm(trainA)
        let normB = norm(trainB)
        guard normA > 0, normB > 0 else { continue }
        func score(_ index: Int) -> Double {
          var dotA = 0.0
          var dotB = 0.0
          for (position, weight) in weights[index] {
            dotA += weight * trainA[position]
            dotB += weight * trainB[position]
          }
          // Document vectors are unit length, so these are cosines.
          return dotA / normA - dotB / normB
        }
        for index in a where index % folds == fold { scoresA.append(score(index)) }
        for index in b where index % folds == fold { scoresB.append(score(index)) }
      }
      return OverlapMetrics.auc(positives: scoresA, negatives: scoresB)
    }
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
    let point = space.metrics(a: a, b: b, roleA: roleA, roleB: roleB)
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
        for replicate in stride(from: worker, to: count, by: workers) {
          var generator = Self.generator(seed: seed, replicate: replicate)
          let sampleA = a.map { _ in a[generator.nextIndex(below: a.count)] }
          let sampleB = b.map { _ in b[generator.nextIndex(below: b.count)] }
          slots[replicate] = space.metrics(a: sampleA, b: sampleB, roleA: roleA, roleB: roleB)
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

  func contrasts(documents: [OverlapDocument], statistics: [Role: RoleStatistics], vocabulary: Vocabulary) -> [TermContrast] {
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
