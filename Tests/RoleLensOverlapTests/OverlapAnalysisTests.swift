import Foundation
import RoleLensClassify
import Testing

@testable import RoleLensOverlap

/// A small corpus of the pair (TPM vs PM) plus two other roles, given as term counts.
private struct Corpus {
  var documents: [OverlapDocument] = []
  var vocabulary = Vocabulary()
  var raw: [(role: Role, counts: [String: Int], cluster: Int?)] = []

  mutating func add(
    _ role: Role, _ counts: [String: Int], skills: [Int] = [], cluster: Int? = nil, bodyRole: Role? = nil
  ) {
    raw.append((role, counts, cluster))
    documents.append(
      OverlapDocument(
        role: role, vector: TermVector(counts, vocabulary: &vocabulary), skills: skills, scoresAs: [role],
        cluster: cluster, bodyRole: bodyRole))
  }

  func run(_ options: OverlapOptions) -> OverlapResult {
    OverlapAnalysis(options: options, skillCount: 3).run(documents, vocabulary: vocabulary)
  }

  /// Postings drawn from two vocabularies: A's from `termsA`, B's from `termsB`, a few terms
  /// each, seeded.
  static func generated(countA: Int, countB: Int, termsA: [String], termsB: [String], seed: UInt64) -> Corpus {
    var corpus = Corpus()
    var generator = SeededGenerator(seed: seed)
    func posting(_ terms: [String]) -> [String: Int] {
      var counts: [String: Int] = [:]
      for _ in 0..<6 {
        counts[terms[generator.nextIndex(below: terms.count)], default: 0] += 1 + generator.nextIndex(below: 2)
      }
      return counts
    }
    for _ in 0..<countA {
      corpus.add(.technicalProjectManager, posting(termsA), skills: [generator.nextIndex(below: 3)])
    }
    for _ in 0..<countB { corpus.add(.productManager, posting(termsB), skills: [generator.nextIndex(below: 3)]) }
    corpus.add(.engineeringManager, ["code": 2, "delivery": 1])
    return corpus
  }
}

/// A generated corpus (14 postings per role of the pair, plus two other roles) for the
/// accumulator tests: varied enough that resampling moves every figure.
func bootstrapCorpus() -> (documents: [OverlapDocument], vocabulary: Vocabulary) {
  var vocabulary = Vocabulary()
  var documents: [OverlapDocument] = []
  for i in 0..<14 {
    var a: [String: Int] = ["delivery": 1 + i % 3, "schedule": 1 + i % 2]
    if i % 2 == 0 { a["risk"] = 1 + i % 4 }
    if i % 4 == 0 { a["roadmap"] = 1 }
    if i % 5 == 0 { a["stakeholders"] = 2 }
    if i % 3 == 1 { a["jira"] = 1 }
    documents.append(
      OverlapDocument(
        role: .technicalProjectManager, vector: TermVector(a, vocabulary: &vocabulary),
        skills: i % 2 == 0 ? [0, 2] : [0], scoresAs: [.technicalProjectManager], cluster: i % 7 == 0 ? 1000 : nil,
        bodyRole: i % 3 == 0 ? .productManager : .technicalProjectManager))
    var b: [String: Int] = ["roadmap": 1 + i % 3, "discovery": 1 + i % 2]
    if i % 3 == 0 { b["customers"] = 1 + i % 2 }
    if i % 4 == 1 { b["delivery"] = 1 }
    if i % 5 == 2 { b["stakeholders"] = 1 }
    if i % 2 == 1 { b["metrics"] = 2 }
    documents.append(
      OverlapDocument(
        role: .productManager, vector: TermVector(b, vocabulary: &vocabulary),
        skills: i % 3 == 0 ? [1, 2] : [1], scoresAs: [.productManager]))
  }
  documents.append(
    OverlapDocument(
      role: .deliveryManager, vector: TermVector(["delivery": 3, "agile": 1], vocabulary: &vocabulary), skills: [],
      scoresAs: [.deliveryManager]))
  documents.append(
    OverlapDocument(role: .other, vector: TermVector(["sales": 2], vocabulary: &vocabulary), skills: [], scoresAs: []))
  return (documents, vocabulary)
}

func bootstrapOptions(seed: UInt64 = 7, replicates: Int = 400) -> OverlapOptions {
  var options = OverlapOptions()
  options.seed = seed
  options.replicates = replicates
  options.permutations = 200
  options.topK = 4
  return options
}

private let shared = ["delivery", "roadmap", "stakeholders", "risk", "customers", "metrics", "schedule", "jira"]
private let onlyA = ["migration", "cutover", "vendor", "budget", "infrastructure", "release", "testing", "raid"]
private let onlyB = ["discovery", "pricing", "experiments", "personas", "market", "growth", "retention", "funnel"]

private func options(replicates: Int = 200, permutations: Int = 200, seed: UInt64 = 11) -> OverlapOptions {
  var options = OverlapOptions()
  options.replicates = replicates
  options.permutations = permutations
  options.seed = seed
  options.topK = 5
  return options
}

// MARK: - Independent reference

/// The overlap index computed from scratch: TF-IDF vectors of every posting (idf over the whole
/// corpus), cluster means, and the mean dot product over pairs of different clusters.
private func referenceIndex(_ corpus: Corpus, _ a: Role, _ b: Role) -> Double {
  let n = Double(corpus.raw.count)
  var df: [String: Double] = [:]
  for posting in corpus.raw { for term in posting.counts.keys { df[term, default: 0] += 1 } }
  func vector(_ counts: [String: Int]) -> [String: Double] {
    var v: [String: Double] = [:]
    for (term, count) in counts where count > 0 {
      v[term] = (1 + log(Double(count))) * (log((1 + n) / (1 + df[term]!)) + 1)
    }
    let norm = v.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return v.mapValues { $0 / norm }
  }
  func units(_ role: Role) -> [[String: Double]] {
    var groups: [Int: [[String: Double]]] = [:]
    var order: [Int] = []
    for (index, posting) in corpus.raw.enumerated() where posting.role == role {
      let key = posting.cluster ?? -1 - index
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(vector(posting.counts))
    }
    return order.map { key in
      let members = groups[key]!
      var mean: [String: Double] = [:]
      for member in members {
        for (term, weight) in member { mean[term, default: 0] += weight / Double(members.count) }
      }
      return mean
    }
  }
  func dot(_ x: [String: Double], _ y: [String: Double]) -> Double { x.reduce(0) { $0 + $1.value * (y[$1.key] ?? 0) } }
  func meanDot(_ xs: [[String: Double]], _ ys: [[String: Double]], distinct: Bool) -> Double {
    var sum = 0.0
    var pairs = 0.0
    for (i, x) in xs.enumerated() {
      for (j, y) in ys.enumerated() where !(distinct && i == j) {
        sum += dot(x, y)
        pairs += 1
      }
    }
    return sum / pairs
  }
  let (ua, ub) = (units(a), units(b))
  return meanDot(ua, ub, distinct: false)
    / (meanDot(ua, ua, distinct: true) * meanDot(ub, ub, distinct: true)).squareRoot()
}

@Suite("OverlapAnalysis")
struct OverlapAnalysisTests {
  @Test("every metric gets a figure, in report order")
  func everyMetricHasAFigure() {
    let corpus = Corpus.generated(countA: 15, countB: 15, termsA: shared + onlyA, termsB: shared + onlyB, seed: 1)
    let result = corpus.run(options())
    #expect(result.figures.map(\.metric) == OverlapAnalysis.metrics)
    for figure in result.figures { #expect(figure.value != nil, "\(figure.metric) has no value") }
  }

  @Test("overlap_index agrees with an independent computation over pairs of different clusters")
  func overlapIndexByReference() throws {
    var corpus = Corpus.generated(countA: 12, countB: 9, termsA: shared + onlyA, termsB: shared + onlyB, seed: 2)
    // Two clusters of copies, so cluster means and the same-cluster exclusion both matter.
    corpus.add(.technicalProjectManager, ["migration": 3, "delivery": 1], cluster: 900)
    corpus.add(.technicalProjectManager, ["migration": 2, "vendor": 1], cluster: 900)
    corpus.add(.productManager, ["pricing": 1, "growth": 2], cluster: 901)
    corpus.add(.productManager, ["pricing": 2, "growth": 2], cluster: 901)
    let result = corpus.run(options(replicates: 0, permutations: 0))
    let value = try #require(result.figure("overlap_index")?.value)
    #expect(abs(value - referenceIndex(corpus, .technicalProjectManager, .productManager)) < 1e-12)
    #expect(result.clusterCount(.technicalProjectManager) == 13)
    #expect(result.clusterCount(.productManager) == 10)
    let similarity = try #require(
      result.similarities.first { $0.roleA == .technicalProjectManager && $0.roleB == .productManager })
    #expect(abs((similarity.overlapIndex ?? 0) - value) < 1e-12)
  }

  @Test("one role split at random looks exchangeable; two different roles do not")
  func nullAndPower() throws {
    let null = Corpus.generated(countA: 25, countB: 25, termsA: shared + onlyA, termsB: shared + onlyA, seed: 3).run(
      options())
    let index = try #require(null.figure("overlap_index"))
    #expect((index.ciLow ?? 2) <= 1 && 1 <= (index.ciHigh ?? 0), "null index \(index)")
    #expect((index.pValue ?? 0) >= 0.05)
    #expect((null.figure("separability_auc")?.pValue ?? 0) >= 0.05)
    #expect(null.terms.filter { $0.qValue < 0.05 }.count <= 1)

    let power = Corpus.generated(countA: 25, countB: 25, termsA: shared + onlyA, termsB: shared + onlyB, seed: 3).run(
      options())
    let different = try #require(power.figure("overlap_index"))
    #expect((different.ciHigh ?? 1) < 1)
    #expect((different.pValue ?? 1) < 0.05)
    let auc = try #require(power.figure("separability_auc"))
    #expect((auc.value ?? 0) > 0.9 && (auc.pValue ?? 1) < 0.05)
    #expect(power.distinctive(.technicalProjectManager).contains { onlyA.contains($0.term) })
    #expect(power.distinctive(.productManager).contains { onlyB.contains($0.term) })
  }

  @Test("the overlap index does not drift with sample size")
  func indexDoesNotDriftWithSize() throws {
    var small: [Double] = []
    var large: [Double] = []
    for seed in 0..<6 {
      let terms = shared + Array(onlyA.prefix(4))
      small.append(
        try #require(
          Corpus.generated(countA: 10, countB: 60, termsA: terms, termsB: shared + onlyB, seed: 100 + UInt64(seed))
            .run(options(replicates: 0, permutations: 0)).figure("overlap_index")?.value))
      large.append(
        try #require(
          Corpus.generated(countA: 60, countB: 60, termsA: terms, termsB: shared + onlyB, seed: 200 + UInt64(seed))
            .run(options(replicates: 0, permutations: 0)).figure("overlap_index")?.value))
    }
    let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
    #expect(abs(mean(small) - mean(large)) < 0.1, "\(mean(small)) vs \(mean(large))")
  }

  @Test("six copies of every posting in one cluster each give the figures of the postings once")
  func copiesDoNotInflate() throws {
    let once = Corpus.generated(countA: 15, countB: 15, termsA: shared + onlyA, termsB: shared + onlyB, seed: 4)
    var copies = Corpus()
    for (index, posting) in once.raw.enumerated() {
      for _ in 0..<6 { copies.add(posting.role, posting.counts, skills: once.documents[index].skills, cluster: index) }
    }
    let a = once.run(options())
    let b = copies.run(options())
    for metric in ["overlap_index", "separability_auc", "weighted_jaccard", "cosine_tfidf_centroid"] {
      let x = try #require(a.figure(metric)?.value)
      let y = try #require(b.figure(metric)?.value)
      #expect(abs(x - y) < 0.02, "\(metric): \(x) once, \(y) with copies")
    }
    let width = { (r: OverlapResult) in
      (r.figure("separability_auc")?.ciHigh ?? 0) - (r.figure("separability_auc")?.ciLow ?? 0)
    }
    #expect(width(b) >= 0.6 * width(a))
    #expect(b.clusterCount(.technicalProjectManager) == 15)
    #expect(a.terms.filter { $0.qValue < 0.05 }.count == b.terms.filter { $0.qValue < 0.05 }.count)
  }

  @Test("cross-reading shares count body-only readings per cluster, with Wilson intervals of width")
  func readingShares() throws {
    var corpus = Corpus()
    for i in 0..<6 {
      corpus.add(.technicalProjectManager, ["delivery": 1, "risk": 1], bodyRole: i < 2 ? .productManager : .other)
    }
    for _ in 0..<20 { corpus.add(.productManager, ["roadmap": 1, "discovery": 1], bodyRole: .productManager) }
    let result = corpus.run(options())
    let ab = try #require(result.figure("share_a_reads_as_b"))
    #expect(abs((ab.value ?? 0) - 2.0 / 6.0) < 1e-12)
    let wilson = OverlapMetrics.wilson(successes: 2, n: 6)
    #expect(abs((ab.ciLow ?? 0) - wilson.low) < 1e-12 && abs((ab.ciHigh ?? 0) - wilson.high) < 1e-12)
    let ba = try #require(result.figure("share_b_reads_as_a"))
    #expect(ba.value == 0 && (ba.ciHigh ?? 0) > 0.1)
    #expect(ab.note.hasPrefix("insufficient"))
  }

  @Test("a pair below the minimum number of clusters is flagged insufficient but still computed")
  func insufficientFlag() {
    let corpus = Corpus.generated(countA: 5, countB: 30, termsA: shared + onlyA, termsB: shared + onlyB, seed: 5)
    let result = corpus.run(options())
    #expect(result.isInsufficient)
    for figure in result.figures {
      #expect(figure.note.hasPrefix("insufficient"), "\(figure.metric): \(figure.note)")
      #expect(figure.value != nil)
    }
  }

  @Test("a role with one cluster gets no index or AUC, with a note")
  func singleCluster() {
    var corpus = Corpus()
    corpus.add(.technicalProjectManager, ["delivery": 1])
    corpus.add(.productManager, ["roadmap": 1])
    corpus.add(.productManager, ["roadmap": 2, "delivery": 1])
    let result = corpus.run(options())
    #expect(result.figure("overlap_index")?.value == nil)
    #expect(result.figure("separability_auc")?.value == nil)
    #expect(result.figure("overlap_index")?.note.contains("2 clusters") == true)
  }

  @Test("the same seed gives the same figures whatever the number of threads; another seed moves only intervals")
  func determinism() {
    let corpus = Corpus.generated(countA: 15, countB: 12, termsA: shared + onlyA, termsB: shared + onlyB, seed: 6)
    var one = options()
    one.jobs = 1
    var two = options()
    two.jobs = 3
    #expect(corpus.run(one).figures == corpus.run(two).figures)
    #expect(corpus.run(one).terms == corpus.run(two).terms)
    let other = corpus.run(options(seed: 99))
    let base = corpus.run(one)
    for (x, y) in zip(base.figures, other.figures)
    where !["separability_auc"].contains(x.metric) && !x.metric.hasPrefix("jaccard") && !x.metric.hasPrefix("weighted")
      && !x.metric.hasPrefix("cosine") && !x.metric.hasPrefix("jensen") && !x.metric.hasPrefix("skill")
    {
      #expect(x.value == y.value, "\(x.metric)")
    }
    #expect(base.figures.map(\.ciLow) != other.figures.map(\.ciLow))
  }

  @Test("descriptive figures taken on whole sides equal the formulas on the cluster sums")
  func descriptiveByHand() throws {
    var corpus = Corpus()
    corpus.add(.technicalProjectManager, ["delivery": 2, "roadmap": 1], skills: [0])
    corpus.add(.technicalProjectManager, ["delivery": 1, "risk": 1], skills: [0, 1])
    corpus.add(.productManager, ["roadmap": 2, "discovery": 1], skills: [1])
    corpus.add(.productManager, ["roadmap": 1, "discovery": 1], skills: [1])
    var o = options(replicates: 0, permutations: 0)
    o.minimumClusters = 2
    o.topK = 2
    let result = corpus.run(o)
    // A: delivery 3, roadmap 1, risk 1 (of 5); B: roadmap 3, discovery 2 (of 5).
    let wj = (0.2) / (0.6 + 0.6 + 0.2 + 0.4)
    #expect(abs((result.figure("weighted_jaccard")?.value ?? 0) - wj) < 1e-12)
    // Top 2: A {delivery, roadmap or risk: the tie goes to the term that sorts first, risk},
    // B {roadmap, discovery}: no term shared.
    #expect(result.figure("jaccard_top_terms")?.value == 0)
    // Skills: A shares (1, 0.5, 0), B (0, 1, 0): Σ min = 0.5 over min(1.5, 1) = 0.5.
    #expect(abs((result.figure("skill_overlap_coefficient")?.value ?? 0) - 0.5) < 1e-12)
  }

  @Test("terms: Fisher exact p over clusters, Benjamini-Hochberg q, sorted by z then term")
  func termTests() throws {
    #expect(abs(OverlapMetrics.fisherExact(3, of: 4, 1, of: 4) - 0.4857142857) < 1e-9)
    #expect(abs(OverlapMetrics.fisherExact(10, of: 10, 0, of: 10) - 1.082509e-05) < 1e-9)
    let q = OverlapMetrics.benjaminiHochberg([0.01, 0.04, 0.03, 0.5])
    #expect(zip(q, [0.04, 0.16 / 3, 0.16 / 3, 0.5]).allSatisfy { abs($0 - $1) < 1e-12 })
    let corpus = Corpus.generated(countA: 20, countB: 20, termsA: shared + onlyA, termsB: shared + onlyB, seed: 7)
    let result = corpus.run(options())
    #expect(result.terms == result.terms.sorted { $0.z != $1.z ? $0.z > $1.z : $0.term < $1.term })
    for term in result.terms {
      #expect(term.qValue >= term.pValue)
      if let side = result.side(term) {
        #expect(term.qValue < 0.05 && (side == .technicalProjectManager) == (term.z > 0))
      }
    }
  }

  @Test("weighted AUC: pairs weighted, ties half")
  func weightedAUCByHand() {
    #expect(OverlapMetrics.weightedAUC(positives: [(2, 1), (1, 1)], negatives: [(0, 1), (1, 1)]) == 0.875)
    #expect(OverlapMetrics.weightedAUC(positives: [(2, 0.5), (0, 0.5)], negatives: [(1, 1)]) == 0.5)
    #expect(OverlapMetrics.weightedAUC(positives: [], negatives: [(1, 1)]) == 0.5)
  }

  @Test("the Wilson interval matches published values and never has zero width")
  func wilsonValues() {
    let zero = OverlapMetrics.wilson(successes: 0, n: 5)
    #expect(abs(zero.low) < 1e-12 && abs(zero.high - 0.4345) < 1e-4)
    let half = OverlapMetrics.wilson(successes: 5, n: 10)
    #expect(abs(half.low - 0.2366) < 1e-4 && abs(half.high - 0.7634) < 1e-4)
  }

  @Test("cross-validation scores from the Gram matrices equal those from the fold sums")
  func gramAndDirectScoresAgree() throws {
    let corpus = Corpus.generated(countA: 14, countB: 11, termsA: shared + onlyA, termsB: shared + onlyB, seed: 8)
    var accumulator = OverlapAccumulator(spillDirectory: nil)
    for document in corpus.documents { accumulator.add(document) }
    let analysis = OverlapAnalysis(options: options(), skillCount: 3)
    let space = try analysis.pairSpace(accumulator, vocabulary: corpus.vocabulary)
    var gram = OverlapAnalysis.CrossValidation(
      space: space, folds: 5, grams: OverlapAnalysis.CrossValidation.grams(space))
    var direct = OverlapAnalysis.CrossValidation(
      space: space, folds: 5, grams: OverlapAnalysis.CrossValidation.grams(space, limit: 0))
    #expect(!gram.postingGram.isEmpty && direct.postingGram.isEmpty)
    for round in 0..<3 {
      var g1 = SeededGenerator(seed: UInt64(round))
      var g2 = SeededGenerator(seed: UInt64(round))
      let x = gram.scores(isB: space.isB, using: &g1)
      let y = direct.scores(isB: space.isB, using: &g2)
      #expect(x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) < 1e-12 })
    }
  }
}
