import Foundation
import RoleLensClassify
import Testing

@testable import RoleLensOverlap

/// A small corpus whose figures are worked out by hand in the tests.
///
/// Terms (ids in first-seen order): delivery 0, roadmap 1, risk 2, discovery 3, code 4.
///
/// | posting | role | terms                     | skills | scores as      |
/// |---------|------|---------------------------|--------|----------------|
/// | a1      | TPM  | delivery 2, roadmap 1     | 0      | TPM, PM        |
/// | a2      | TPM  | delivery 1, risk 1        | 0, 1   | TPM            |
/// | a3      | TPM  | delivery 1, roadmap 1     | -      | TPM            |
/// | b1      | PM   | roadmap 2, discovery 1    | 1      | PM             |
/// | b2      | PM   | roadmap 1, discovery 1    | 1      | PM, TPM        |
/// | b3      | PM   | delivery 1, roadmap 1     | -      | PM, TPM        |
/// | e1      | EM   | delivery 1, code 1        | -      | EM             |
/// | t1      | TL   | code 2                    | -      | TL             |
private struct HandCorpus {
  var documents: [OverlapDocument] = []
  var vocabulary = Vocabulary()

  init() {
    add(.technicalProjectManager, ["delivery": 2, "roadmap": 1], skills: [0], scoresAs: [.technicalProjectManager, .productManager])
    add(.technicalProjectManager, ["delivery": 1, "risk": 1], skills: [0, 1], scoresAs: [.technicalProjectManager])
    add(.technicalProjectManager, ["delivery": 1, "roadmap": 1], skills: [], scoresAs: [.technicalProjectManager])
    add(.productManager, ["roadmap": 2, "discovery": 1], skills: [1], scoresAs: [.productManager])
    add(.productManager, ["roadmap": 1, "discovery": 1], skills: [1], scoresAs: [.productManager, .technicalProjectManager])
    add(.productManager, ["delivery": 1, "roadmap": 1], skills: [], scoresAs: [.productManager, .technicalProjectManager])
    add(.engineeringManager, ["delivery": 1, "code": 1], skills: [], scoresAs: [.engineeringManager])
    add(.technicalLead, ["code": 2], skills: [], scoresAs: [.technicalLead])
  }

  mutating func add(_ role: Role, _ counts: [String: Int], skills: [Int], scoresAs: [Role]) {
    documents.append(
      OverlapDocument(role: role, vector: TermVector(counts, vocabulary: &vocabulary), skills: skills, scoresAs: scoresAs))
  }

  /// Options for the hand corpus: intervals off, 3 postings enough, top 2 terms, α0 = 18 (the
  /// corpus' total term count, so that each α_w equals the term's corpus count).
  static var options: OverlapOptions {
    var options = OverlapOptions()
    options.replicates = 0
    options.minimumPostings = 3
    options.topK = 2
    options.priorStrength = 18
    return options
  }

  func run(_ options: OverlapOptions = HandCorpus.options) -> OverlapResult {
    OverlapAnalysis(options: options, skillCount: 2).run(documents, vocabulary: vocabulary)
  }
}

/// A larger generated corpus (14 postings per role of the pair, plus two other roles) for the
/// bootstrap: varied enough that resampling moves every figure.
func bootstrapCorpus() -> (documents: [OverlapDocument], vocabulary: Vocabulary) {
  var vocabulary = Vocabulary()
  var documents: [OverlapDocument] = []
  for i in 0..<14 {
    var a: [String: Int] = ["delivery": 1 + i % 3, "schedule": 1 + i % 2]
    if i % 2 == 0 { a["risk"] = 1 + i % 4 }
    if i % 4 == 0 { a["roadmap"] = 1 }
    if i % 5 == 0 { a["stakeholders"] = 2 }
    if i % 3 == 1 { a["jira"] = 1 }
    let scoresAsA: [Role] = i % 3 == 0 ? [.technicalProjectManager, .productManager] : [.technicalProjectManager]
    documents.append(
      OverlapDocument(
        role: .technicalProjectManager, vector: TermVector(a, vocabulary: &vocabulary),
        skills: i % 2 == 0 ? [0, 2] : [0], scoresAs: scoresAsA))

    var b: [String: Int] = ["roadmap": 1 + i % 3, "discovery": 1 + i % 2]
    if i % 3 == 0 { b["customers"] = 1 + i % 2 }
    if i % 4 == 1 { b["delivery"] = 1 }
    if i % 5 == 2 { b["stakeholders"] = 1 }
    if i % 2 == 1 { b["metrics"] = 2 }
    let scoresAsB: [Role] = i % 4 == 0 ? [.productManager, .technicalProjectManager] : [.productManager]
    documents.append(
      OverlapDocument(
        role: .productManager, vector: TermVector(b, vocabulary: &vocabulary),
        skills: i % 3 == 0 ? [1, 2] : [1], scoresAs: scoresAsB))
  }
  documents.append(
    OverlapDocument(
      role: .deliveryManager, vector: TermVector(["delivery": 3, "agile": 1], vocabulary: &vocabulary), skills: [],
      scoresAs: [.deliveryManager]))
  documents.append(
    OverlapDocument(
      role: .other, vector: TermVector(["sales": 2], vocabulary: &vocabulary), skills: [], scoresAs: []))
  return (documents, vocabulary)
}

func bootstrapOptions(seed: UInt64 = 7, replicates: Int = 400) -> OverlapOptions {
  var options = OverlapOptions()
  options.seed = seed
  options.replicates = replicates
  options.topK = 4
  return options
}

private func runBootstrap(_ options: OverlapOptions) -> OverlapResult {
  let corpus = bootstrapCorpus()
  return OverlapAnalysis(options: options, skillCount: 3).run(corpus.documents, vocabulary: corpus.vocabulary)
}

@Suite("OverlapAnalysis")
struct OverlapAnalysisTests {
  // MARK: - Figures

  @Test("every metric gets a figure, in report order")
  func everyMetricHasAFigure() {
    let result = HandCorpus().run()
    #expect(result.figures.map(\.metric) == OverlapAnalysis.metrics)
    for figure in result.figures {
      #expect(figure.value != nil, "\(figure.metric) has no value")
    }
  }

  @Test("share_a_scoring_as_b is the share of A postings whose B score passes")
  func shareAScoringAsB() throws {
    // TPM postings scoring as PM: a1 only, of a1, a2, a3: 1/3.
    let value = try #require(HandCorpus().run().figure("share_a_scoring_as_b")?.value)
    #expect(abs(value - 1.0 / 3.0) < 1e-12)
  }

  @Test("share_b_scoring_as_a is the share of B postings whose A score passes")
  func shareBScoringAsA() throws {
    // PM postings scoring as TPM: b2 and b3, of b1, b2, b3: 2/3.
    let value = try #require(HandCorpus().run().figure("share_b_scoring_as_a")?.value)
    #expect(abs(value - 2.0 / 3.0) < 1e-12)
  }

  @Test("jaccard_top_terms compares the pair's top-k terms")
  func jaccardTopTerms() throws {
    // Counts A: delivery 4, roadmap 2, risk 1. B: roadmap 4, discovery 2, delivery 1.
    // Top 2: A {delivery, roadmap}, B {roadmap, discovery}: 1 shared of 3: 1/3.
    let value = try #require(HandCorpus().run().figure("jaccard_top_terms")?.value)
    #expect(abs(value - 1.0 / 3.0) < 1e-12)
  }

  @Test("weighted_jaccard compares the pair's term shares")
  func weightedJaccard() throws {
    // Shares (delivery, roadmap, risk, discovery): A 4/7, 2/7, 1/7, 0; B 1/7, 4/7, 0, 2/7.
    // Σ min = 1/7 + 2/7 = 3/7; Σ max = 4/7 + 4/7 + 1/7 + 2/7 = 11/7: 3/11.
    let value = try #require(HandCorpus().run().figure("weighted_jaccard")?.value)
    #expect(abs(value - 3.0 / 11.0) < 1e-12)
  }

  @Test("term counts too large for the pair's one-byte counts are summed in full")
  func largeTermCounts() throws {
    var vocabulary = Vocabulary()
    var documents: [OverlapDocument] = []
    for (role, counts) in [
      (Role.technicalProjectManager, ["release": 300, "risk": 1]), (.technicalProjectManager, ["release": 1, "risk": 1]),
      (.technicalProjectManager, ["risk": 2]), (.productManager, ["release": 70_000]), (.productManager, ["risk": 1]),
      (.productManager, ["roadmap": 255, "risk": 254]),
    ] {
      documents.append(
        OverlapDocument(role: role, vector: TermVector(counts, vocabulary: &vocabulary), skills: [], scoresAs: [role]))
    }
    let result = OverlapAnalysis(options: HandCorpus.options, skillCount: 2).run(documents, vocabulary: vocabulary)
    // Shares (release, risk, roadmap): A (301, 4, 0)/305, B (70000, 255, 255)/70510.
    let a: [Double] = [301.0 / 305, 4.0 / 305, 0]
    let b: [Double] = [70_000.0 / 70_510, 255.0 / 70_510, 255.0 / 70_510]
    let smaller: Double = zip(a, b).map { Swift.min($0, $1) }.reduce(0, +)
    let larger: Double = zip(a, b).map { Swift.max($0, $1) }.reduce(0, +)
    let expected = smaller / larger
    let value = try #require(result.figure("weighted_jaccard")?.value)
    #expect(abs(value - expected) < 1e-12)
  }

  @Test("jensen_shannon_divergence compares the pair's term distributions")
  func jensenShannon() throws {
    // P = (4, 2, 1, 0)/7, Q = (1, 4, 0, 2)/7, M = (5, 6, 1, 2)/14.
    // KL(P‖M) = 4/7·log2(8/5) + 2/7·log2(2/3) + 1/7·log2(2)
    // KL(Q‖M) = 1/7·log2(2/5) + 4/7·log2(4/3) + 2/7·log2(2)
    // JSD = ½(KL(P‖M) + KL(Q‖M)) = 0.3486132
    let klP = 4.0 / 7 * log2(8.0 / 5) + 2.0 / 7 * log2(2.0 / 3) + 1.0 / 7 * log2(2.0)
    let klQ = 1.0 / 7 * log2(2.0 / 5) + 4.0 / 7 * log2(4.0 / 3) + 2.0 / 7 * log2(2.0)
    let value = try #require(HandCorpus().run().figure("jensen_shannon_divergence")?.value)
    #expect(abs(value - (klP + klQ) / 2) < 1e-12)
    #expect(abs(value - 0.348_613_180_088_303_66) < 1e-9)
  }

  @Test("skill_overlap_coefficient compares the share of postings mentioning each skill")
  func skillOverlap() throws {
    // Skill shares: A skill 0 2/3 (a1, a2), skill 1 1/3 (a2); B skill 0 0, skill 1 2/3.
    // Σ min = 0 + 1/3; min(Σ A = 1, Σ B = 2/3) = 2/3: (1/3) / (2/3) = 1/2.
    let value = try #require(HandCorpus().run().figure("skill_overlap_coefficient")?.value)
    #expect(abs(value - 0.5) < 1e-12)
  }

  @Test("cosine_tfidf_centroid is between 0 and 1 and 1 for a pair with the same postings")
  func cosineCentroid() throws {
    let value = try #require(HandCorpus().run().figure("cosine_tfidf_centroid")?.value)
    #expect(value > 0 && value < 1)

    var vocabulary = Vocabulary()
    let documents = [Role.technicalProjectManager, .productManager].flatMap { role in
      (0..<3).map { i in
        OverlapDocument(
          role: role, vector: TermVector(["delivery": 1 + i, "roadmap": 1], vocabulary: &vocabulary), skills: [],
          scoresAs: [role])
      }
    }
    let same = OverlapAnalysis(options: HandCorpus.options, skillCount: 0).run(documents, vocabulary: vocabulary)
    let identical = try #require(same.figure("cosine_tfidf_centroid")?.value)
    #expect(abs(identical - 1) < 1e-12)
  }

  @Test("with too few postings of a role the figures are empty, with a note saying why")
  func tooFewPostings() {
    var options = HandCorpus.options
    options.minimumPostings = 4
    let result = HandCorpus().run(options)
    #expect(result.figures.map(\.metric) == OverlapAnalysis.metrics)
    for figure in result.figures {
      #expect(figure.value == nil)
      #expect(figure.ciLow == nil)
      #expect(figure.ciHigh == nil)
      #expect(figure.note.contains("too few postings"))
      #expect(figure.note.contains("technical-project-manager 3"))
    }
  }

  @Test("a pair role with no postings at all gets empty figures, not a crash")
  func missingRole() {
    var options = HandCorpus.options
    options.roleB = .deliveryManager
    let result = HandCorpus().run(options)
    #expect(result.figures.allSatisfy { $0.value == nil && $0.note.contains("delivery-manager 0") })
    #expect(result.terms.isEmpty)
  }

  // MARK: - Bootstrap

  @Test("the same seed gives the same figures")
  func bootstrapDeterministic() {
    let first = runBootstrap(bootstrapOptions(seed: 42))
    let second = runBootstrap(bootstrapOptions(seed: 42))
    #expect(first.figures == second.figures)
    #expect(first.figures.allSatisfy { $0.ciLow != nil && $0.ciHigh != nil })
  }

  @Test("a different seed gives different intervals, and the same point estimates")
  func bootstrapSeedMatters() {
    let first = runBootstrap(bootstrapOptions(seed: 1))
    let second = runBootstrap(bootstrapOptions(seed: 2))
    #expect(first.figures.map(\.value) == second.figures.map(\.value))
    let intervalsDiffer = zip(first.figures, second.figures).contains {
      $0.ciLow != $1.ciLow || $0.ciHigh != $1.ciHigh
    }
    #expect(intervalsDiffer)
  }

  @Test("the bootstrap does not change the point estimates")
  func bootstrapKeepsPointEstimates() {
    let withIntervals = runBootstrap(bootstrapOptions(replicates: 200))
    let without = runBootstrap(bootstrapOptions(replicates: 0))
    #expect(withIntervals.figures.map(\.value) == without.figures.map(\.value))
  }

  @Test("every interval lies in [0, 1] and contains its point estimate")
  func intervalsContainEstimate() throws {
    for seed: UInt64 in [1, 2, 3, 20_240_601] {
      let result = runBootstrap(bootstrapOptions(seed: seed))
      for figure in result.figures {
        let value = try #require(figure.value)
        let low = try #require(figure.ciLow)
        let high = try #require(figure.ciHigh)
        #expect(0 <= low && high <= 1, "\(figure.metric) seed \(seed): [\(low), \(high)]")
        #expect(low <= value && value <= high, "\(figure.metric) seed \(seed): \(value) not in [\(low), \(high)]")
      }
    }
  }

  @Test("an interval is the percentile interval shifted by the bootstrap bias")
  func intervalIsBiasCorrectedPercentile() throws {
    // Recomputed here for share_a_scoring_as_b on the hand corpus, following the README:
    // replicate r resamples the 3 A postings, then the 3 B postings, with replacement from
    // its own stream OverlapAnalysis.generator(seed:replicate:); the A share is the resampled A
    // postings scoring as B (only a1,
    // posting 0, does) over 3. b = mean of replicates − estimate (1/3); the interval is
    // [q2.5 − b, q97.5 − b] (type-7 quantiles), clipped to [0, 1].
    var options = HandCorpus.options
    options.replicates = 60
    options.seed = 11
    var shares: [Double] = []
    for replicate in 0..<60 {
      var generator = OverlapAnalysis.generator(seed: 11, replicate: replicate)
      let sampleA = (0..<3).map { _ in generator.nextIndex(below: 3) }
      for _ in 0..<3 { _ = generator.nextIndex(below: 3) }
      shares.append(Double(sampleA.filter { $0 == 0 }.count) / 3)
    }
    shares.sort()
    let bias = shares.reduce(0, +) / 60 - 1.0 / 3.0
    let position = (low: 0.025 * 59, high: 0.975 * 59)
    func quantile(_ h: Double) -> Double {
      let lower = Int(h.rounded(.down))
      return shares[lower] + (shares[min(lower + 1, 59)] - shares[lower]) * (h - Double(lower))
    }
    let expectedLow = min(max(quantile(position.low) - bias, 0), 1)
    let expectedHigh = min(max(quantile(position.high) - bias, 0), 1)

    let figure = try #require(HandCorpus().run(options).figure("share_a_scoring_as_b"))
    let low = try #require(figure.ciLow)
    let high = try #require(figure.ciHigh)
    #expect(abs(low - expectedLow) < 1e-12)
    #expect(abs(high - expectedHigh) < 1e-12)
    // Not vacuous: the shift is visible in this sample.
    #expect(abs(bias) > 1e-6)
  }

  @Test("the intervals are not degenerate when postings vary")
  func intervalsHaveWidth() {
    let result = runBootstrap(bootstrapOptions())
    // The toy roles share no document, so separability is 1 in every replicate: a bound, not a
    // degenerate interval.
    for figure in result.figures where figure.metric != "separability_auc" {
      #expect((figure.ciHigh ?? 0) > (figure.ciLow ?? 0), "\(figure.metric) has a zero-width interval")
    }
  }

  @Test("bootstrap intervals are the same whatever the number of threads")
  func intervalsIndependentOfJobs() {
    var one = bootstrapOptions()
    one.jobs = 1
    var four = bootstrapOptions()
    four.jobs = 4
    #expect(runBootstrap(one).figures == runBootstrap(four).figures)
  }

  @Test("zero replicates give point estimates without intervals")
  func noReplicatesNoIntervals() {
    let result = runBootstrap(bootstrapOptions(replicates: 0))
    for figure in result.figures {
      #expect(figure.value != nil)
      #expect(figure.ciLow == nil)
      #expect(figure.ciHigh == nil)
    }
  }

  // MARK: - Distinctive terms

  @Test("distinctive terms are sorted by z, largest first")
  func termsSortedByZ() {
    let terms = runBootstrap(bootstrapOptions(replicates: 0)).terms
    #expect(terms.count > 3)
    #expect(zip(terms, terms.dropFirst()).allSatisfy { $0.z >= $1.z })
  }

  @Test("a term more typical of A has a positive z, one more typical of B a negative z")
  func termSigns() throws {
    let terms = HandCorpus().run().terms
    let delivery = try #require(terms.first { $0.term == "delivery" })
    let roadmap = try #require(terms.first { $0.term == "roadmap" })
    let discovery = try #require(terms.first { $0.term == "discovery" })
    #expect(delivery.z > 0)
    #expect(roadmap.z < 0)
    #expect(discovery.z < 0)
    #expect(terms.map(\.term) == ["delivery", "roadmap", "discovery"])
  }

  @Test("a term's log-odds uses the corpus-wide prior of the published formula")
  func termLogOddsByHand() throws {
    // Corpus counts (all roles): delivery 6, roadmap 6, risk 1, discovery 2, code 3: 18.
    // α0 = 18, so α_delivery = 18 · 6/18 = 6. n_A = 7, n_B = 7, y_A = 4, y_B = 1.
    // δ = ln[(4 + 6) / (7 + 18 − 4 − 6)] − ln[(1 + 6) / (7 + 18 − 1 − 6)]
    //   = ln(10/15) − ln(7/18) = 0.5389965
    // σ² = 1/10 + 1/7, z = δ / σ = 1.0937310
    let delivery = try #require(HandCorpus().run().terms.first { $0.term == "delivery" })
    let expectedDelta = log(10.0 / 15.0) - log(7.0 / 18.0)
    #expect(abs(delivery.logOdds - expectedDelta) < 1e-12)
    #expect(abs(delivery.z - expectedDelta / (1.0 / 10 + 1.0 / 7).squareRoot()) < 1e-12)
    #expect(abs(delivery.z - 1.093_730_958_049_924_4) < 1e-9)
    #expect(delivery.countA == 4)
    #expect(delivery.countB == 1)
    #expect(delivery.documentsA == 3)
    #expect(delivery.documentsB == 1)
  }

  @Test("terms in fewer postings of the pair than the minimum are not listed")
  func rareTermsLeftOut() {
    // risk is in one posting (a2); code is in no posting of the pair.
    let terms = HandCorpus().run().terms.map(\.term)
    #expect(!terms.contains("risk"))
    #expect(!terms.contains("code"))
    var options = HandCorpus.options
    options.minimumTermDocuments = 1
    #expect(HandCorpus().run(options).terms.map(\.term).contains("risk"))
  }

  // MARK: - Role similarities

  @Test("role similarities cover every pair of roles with postings exactly once")
  func similaritiesCoverPairs() {
    let result = HandCorpus().run()
    let pairs = result.similarities.map { Set([$0.roleA, $0.roleB]) }
    let present: [Role] = [.technicalProjectManager, .productManager, .technicalLead, .engineeringManager]
    var expected: [Set<Role>] = []
    for (i, a) in present.enumerated() {
      for b in present[(i + 1)...] { expected.append([a, b]) }
    }
    #expect(pairs.count == 6)
    #expect(Set(pairs) == Set(expected))
    #expect(result.similarities.allSatisfy { $0.roleA != $0.roleB })
  }

  @Test("role similarity values are in [0, 1] and the Jaccard of top terms by hand")
  func similarityValues() throws {
    var options = HandCorpus.options
    options.minimumPostings = 1
    let result = HandCorpus().run(options)
    for similarity in result.similarities {
      #expect((0...1).contains(try #require(similarity.cosine)))
      #expect((0...1).contains(try #require(similarity.jaccard)))
    }
    // Technical lead top terms {code}; engineering manager {delivery, code}: 1/2.
    let leadVsManager = try #require(
      result.similarities.first { Set([$0.roleA, $0.roleB]) == [.technicalLead, .engineeringManager] })
    #expect(abs(try #require(leadVsManager.jaccard) - 0.5) < 1e-12)
    // Technical lead shares no term with product managers.
    let leadVsProduct = try #require(
      result.similarities.first { Set([$0.roleA, $0.roleB]) == [.technicalLead, .productManager] })
    #expect(leadVsProduct.jaccard == 0)
    #expect(leadVsProduct.cosine == 0)
  }

  @Test("role pairs with a role below the minimum number of postings get no similarity, with a note")
  func similaritySmallSample() throws {
    let result = HandCorpus().run()  // minimumPostings 3: technical lead and engineering manager have 1
    let leadVsManager = try #require(
      result.similarities.first { Set([$0.roleA, $0.roleB]) == [.technicalLead, .engineeringManager] })
    #expect(leadVsManager.cosine == nil && leadVsManager.jaccard == nil)
    #expect(leadVsManager.note.contains("too few postings"))
    let projectVsProduct = try #require(
      result.similarities.first { Set([$0.roleA, $0.roleB]) == [.technicalProjectManager, .productManager] })
    #expect(projectVsProduct.cosine != nil && projectVsProduct.note.isEmpty)
  }

  @Test("the shared core lists terms common in both roles without a significant z, most common first")
  func sharedCore() {
    let result = HandCorpus().run()
    let core = result.sharedCore()
    // Only "delivery" and "roadmap" occur in both roles of the pair, and neither is significant
    // on six postings; roadmap is in 2/3 of A and 3/3 of B, delivery in 3/3 of A and 1/3 of B.
    #expect(core.map(\.term) == ["roadmap", "delivery"])
    #expect(core.allSatisfy { abs($0.z) < 1.96 && $0.documentsA > 0 && $0.documentsB > 0 })
  }

  @Test("statistics are reported for every role with postings")
  func statisticsPerRole() {
    let result = HandCorpus().run()
    #expect(result.postings(.technicalProjectManager) == 3)
    #expect(result.postings(.productManager) == 3)
    #expect(result.postings(.technicalLead) == 1)
    #expect(result.postings(.deliveryManager) == 0)
  }
}
