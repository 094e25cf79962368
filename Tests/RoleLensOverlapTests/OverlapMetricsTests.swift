import Foundation
import Testing

@testable import RoleLensOverlap

@Suite("OverlapMetrics")
struct OverlapMetricsTests {
  // MARK: - Top terms and Jaccard

  @Test("top terms are the k largest counts")
  func topTermsLargest() {
    // Counts by index: 3, 5, 5, 0, 1 -> the two largest are indices 1 and 2.
    #expect(OverlapMetrics.topTerms([3, 5, 5, 0, 1], k: 2) == [1, 2])
  }

  @Test("a tie at the cut-off goes to the term seen first")
  func topTermsTie() {
    // 5 at index 1 is first; 2 at indices 0, 2 and 3 tie for the second place: index 0 wins.
    #expect(OverlapMetrics.topTerms([2, 5, 2, 2], k: 2) == [1, 0])
  }

  @Test("a term with a zero count is never a top term")
  func topTermsSkipZero() {
    #expect(OverlapMetrics.topTerms([0, 0, 1], k: 3) == [2])
    #expect(OverlapMetrics.topTerms([0, 0], k: 5).isEmpty)
  }

  @Test("top terms by selection equal the full ranking's first k, ties and all", arguments: [1, 3, 10, 40])
  func topTermsMatchFullRanking(k: Int) {
    var generator = SeededGenerator(seed: UInt64(k))
    for _ in 0..<50 {
      // Few distinct values, so that ties at the cut-off are common.
      let counts = (0..<30).map { _ in Double(generator.nextIndex(below: 5)) }
      let ranked = counts.indices.filter { counts[$0] > 0 }
        .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
      #expect(OverlapMetrics.topTerms(counts, k: k) == Set(ranked.prefix(k)), "\(counts)")
    }
  }

  @Test("Jaccard of sorted arrays equals Jaccard of the sets")
  func jaccardSorted() {
    #expect(OverlapMetrics.jaccard(sorted: [1, 2, 3], [2, 3, 4, 5]) == 0.4)
    #expect(OverlapMetrics.jaccard(sorted: [], []) == 0)
    #expect(OverlapMetrics.jaccard(sorted: [1], [2]) == 0)
  }

  @Test("Jaccard is the intersection over the union")
  func jaccard() {
    // {1,2,3} ∩ {2,3,4,5} = {2,3}; ∪ = {1,2,3,4,5}: 2 / 5.
    #expect(OverlapMetrics.jaccard(Set([1, 2, 3]), Set([2, 3, 4, 5])) == 0.4)
  }

  @Test("Jaccard of two empty sets is 0, of equal sets 1, of disjoint sets 0")
  func jaccardLimits() {
    #expect(OverlapMetrics.jaccard(Set<Int>(), Set<Int>()) == 0)
    #expect(OverlapMetrics.jaccard(Set([1, 2]), Set([2, 1])) == 1)
    #expect(OverlapMetrics.jaccard(Set([1]), Set([2])) == 0)
  }

  // MARK: - Weighted Jaccard

  @Test("weighted Jaccard is Σ min / Σ max of the term shares")
  func weightedJaccard() {
    // Shares: p = 2/4, 2/4, 0 and q = 1/4, 0, 3/4.
    // Σ min = 0.25 + 0 + 0 = 0.25; Σ max = 0.5 + 0.5 + 0.75 = 1.75; 0.25 / 1.75 = 1/7.
    #expect(abs(OverlapMetrics.weightedJaccard([2, 2, 0], [1, 0, 3]) - 1.0 / 7.0) < 1e-12)
  }

  @Test("weighted Jaccard compares shares, not raw counts")
  func weightedJaccardScaleFree() {
    // Shares 1/3, 2/3 on both sides although B has twice A's counts.
    #expect(abs(OverlapMetrics.weightedJaccard([1, 2], [2, 4]) - 1) < 1e-12)
  }

  @Test("weighted Jaccard of disjoint vocabularies or an empty side is 0")
  func weightedJaccardLimits() {
    #expect(OverlapMetrics.weightedJaccard([1, 0], [0, 1]) == 0)
    #expect(OverlapMetrics.weightedJaccard([0, 0], [0, 1]) == 0)
  }

  // MARK: - Jensen-Shannon

  @Test("Jensen-Shannon divergence of identical distributions is 0")
  func jensenShannonIdentical() {
    #expect(abs(OverlapMetrics.jensenShannon([1, 2, 3], [2, 4, 6])) < 1e-12)
  }

  @Test("Jensen-Shannon divergence of disjoint distributions is 1 bit")
  func jensenShannonDisjoint() {
    #expect(abs(OverlapMetrics.jensenShannon([3, 0, 1], [0, 5, 0]) - 1) < 1e-12)
  }

  @Test("Jensen-Shannon divergence is measured in bits")
  func jensenShannonByHand() {
    // P = (1, 0), Q = (1/2, 1/2), M = (3/4, 1/4).
    // KL(P‖M) = 1·log2(1 / 0.75) = log2(4/3) = 0.4150375
    // KL(Q‖M) = 0.5·log2(0.5/0.75) + 0.5·log2(0.5/0.25) = 0.5·(−0.5849625) + 0.5·1 = 0.2075187
    // JSD = ½·0.4150375 + ½·0.2075187 = 0.3112781
    #expect(abs(OverlapMetrics.jensenShannon([2, 0], [3, 3]) - 0.311_278_124_459_132_8) < 1e-12)
  }

  @Test("Jensen-Shannon divergence is symmetric")
  func jensenShannonSymmetric() {
    let a: [Double] = [5, 1, 0, 2]
    let b: [Double] = [1, 1, 4, 0]
    #expect(abs(OverlapMetrics.jensenShannon(a, b) - OverlapMetrics.jensenShannon(b, a)) < 1e-15)
  }

  // MARK: - Cosine and TF-IDF

  @Test("cosine is the dot product over the product of the norms")
  func cosine() {
    // (1,2,0)·(2,1,1) = 4; |a| = √5, |b| = √6; 4 / √30 = 0.7302967.
    #expect(abs(OverlapMetrics.cosine([1, 2, 0], [2, 1, 1]) - 0.730_296_743_340_221_4) < 1e-12)
  }

  @Test("cosine of parallel vectors is 1 and with a zero vector 0")
  func cosineLimits() {
    #expect(abs(OverlapMetrics.cosine([1, 2], [3, 6]) - 1) < 1e-12)
    #expect(OverlapMetrics.cosine([0, 0], [1, 1]) == 0)
  }

  @Test("idf is ln((1 + N) / (1 + df)) + 1")
  func idf() {
    // N = 3, df = 1: ln(4/2) + 1 = 1.6931472.
    #expect(abs(OverlapMetrics.idf(documentFrequency: 1, documents: 3) - 1.693_147_180_559_945_4) < 1e-12)
    // A term in every posting still weighs 1: ln(4/4) + 1.
    #expect(OverlapMetrics.idf(documentFrequency: 3, documents: 3) == 1)
  }

  @Test("a posting's TF-IDF vector uses 1 + ln count and is L2-normalised")
  func tfidfByHand() throws {
    // counts 1 and 3, idf 1 each: weights 1 + ln 1 = 1 and 1 + ln 3 = 2.0986123;
    // norm = √(1 + 2.0986123²) = 2.3246878; normalised 0.4301653, 0.9027501.
    let weights = OverlapMetrics.tfidf(TermVector(ids: [4, 7], counts: [1, 3]), idf: { _ in 1 })
    try #require(weights.count == 2)
    #expect(weights[0].0 == 4)
    #expect(weights[1].0 == 7)
    #expect(abs(weights[0].1 - 0.430_165_282_498_796) < 1e-12)
    #expect(abs(weights[1].1 - 0.902_750_148_010_362_4) < 1e-12)
  }

  @Test("TF-IDF weighs a term by its idf before normalising")
  func tfidfUsesIdf() throws {
    // counts 1 and 1, idf 1 and 2: weights 1, 2; norm √5.
    let weights = OverlapMetrics.tfidf(TermVector(ids: [0, 1], counts: [1, 1]), idf: { $0 == 0 ? 1 : 2 })
    try #require(weights.count == 2)
    #expect(abs(weights[0].1 - 1 / 5.0.squareRoot()) < 1e-12)
    #expect(abs(weights[1].1 - 2 / 5.0.squareRoot()) < 1e-12)
  }

  @Test("an empty posting has an empty TF-IDF vector")
  func tfidfEmpty() {
    #expect(OverlapMetrics.tfidf(TermVector(), idf: { _ in 1 }).isEmpty)
  }

  @Test(
    "the pair's postings, stored as counts, give back exactly the TF-IDF weights, large counts and empty postings included"
  )
  func postingEntriesRecomputeWeights() {
    // Realistic counts (mostly 1-3) and a few of 255 or more, idfs of a 1,000-posting corpus.
    let idf = (0..<500).map { OverlapMetrics.idf(documentFrequency: 1 + $0 * 7 % 900, documents: 1_000) }
    var entries = PostingEntries()
    var expected: [[Double]] = []
    for posting in 0..<60 {
      let ids = (0..<(posting * 7 % 90)).map { Int32(($0 * 37 + posting) % 500) }.sorted()
      let unique = Array(Set(ids)).sorted()
      var counts = unique.map { Int32(1 + ($0 + Int32(posting)) % 3) }
      if posting % 10 == 3, !counts.isEmpty { counts[0] = 255 + Int32(posting) }
      if posting % 10 == 4, !counts.isEmpty { counts[counts.count - 1] = 254 }
      let vector = TermVector(ids: unique, counts: counts)
      let (weights, norm) = OverlapMetrics.tfidfWithNorm(vector) { idf[Int($0)] }
      #expect(weights.map(\.1) == OverlapMetrics.tfidf(vector) { idf[Int($0)] }.map(\.1))
      entries.append(ids: unique, counts: counts, norm: norm)
      expected.append(weights.isEmpty ? [Double](repeating: 0, count: unique.count) : weights.map(\.1))
    }
    entries.idfs = idf
    #expect(entries.count == 60 && entries.largeFactors.count == 6)
    var wrong = 0
    for posting in 0..<entries.count {
      let norm = entries.norms[posting]
      for (offset, entry) in (entries.starts[posting]..<entries.starts[posting + 1]).enumerated() {
        // Bit for bit: the figures computed from these weights must not move.
        if entries.weight(entry, norm: norm).bitPattern != expected[posting][offset].bitPattern { wrong += 1 }
      }
    }
    #expect(wrong == 0)
    // A posting with no terms at all has no entries and weighs nothing.
    #expect(entries.starts[1] == entries.starts[0] && entries.norms[0] == .infinity)
  }

  // MARK: - Overlap coefficient

  @Test("the skill overlap coefficient is Σ min over the smaller profile's total")
  func overlapCoefficient() {
    // Σ min(a, b) = 0.25 + 0.2 + 0 = 0.45; Σ a = 0.7, Σ b = 1.45; 0.45 / 0.7 = 0.6428571.
    let value = OverlapMetrics.overlapCoefficient([0.5, 0.2, 0], [0.25, 0.4, 0.8])
    #expect(abs(value - 0.45 / 0.7) < 1e-12)
  }

  @Test("a skill profile contained in the other has overlap coefficient 1")
  func overlapCoefficientContained() {
    #expect(abs(OverlapMetrics.overlapCoefficient([0.2, 0], [0.5, 0.5]) - 1) < 1e-12)
  }

  @Test("no skills on one side give overlap coefficient 0")
  func overlapCoefficientEmpty() {
    #expect(OverlapMetrics.overlapCoefficient([0, 0], [0.5, 0.5]) == 0)
  }

  // MARK: - Quantile

  @Test(
    "quantiles interpolate linearly between order statistics (R type 7)",
    arguments: [
      // h = (n − 1)·q over 10, 20, 30, 40: q 0.25 -> h 0.75 -> 10 + 0.75·10 = 17.5.
      (0.25, 17.5),
      // h = 1.5 -> 20 + 0.5·10 = 25.
      (0.5, 25.0),
      // h = 2.925 -> 30 + 0.925·10 = 39.25.
      (0.975, 39.25),
      // h = 0.075 -> 10 + 0.075·10 = 10.75.
      (0.025, 10.75),
      (0.0, 10.0),
      (1.0, 40.0),
    ])
  func quantileType7(q: Double, expected: Double) throws {
    let value = try #require(OverlapMetrics.quantile([10, 20, 30, 40], q))
    #expect(abs(value - expected) < 1e-12)
  }

  @Test("the quantile of one value is that value, of none nil")
  func quantileLimits() {
    #expect(OverlapMetrics.quantile([7], 0.3) == 7)
    #expect(OverlapMetrics.quantile([], 0.5) == nil)
  }

  // MARK: - Log-odds

  @Test("log-odds and z follow Monroe, Colaresi & Quinn (2008), eqs. 16 and 22")
  func logOddsByHand() {
    // y_A = 10, n_A = 100, y_B = 2, n_B = 80, α_w = 5, α0 = 50.
    // δ = ln[(10 + 5) / (100 + 50 − 10 − 5)] − ln[(2 + 5) / (80 + 50 − 2 − 5)]
    //   = ln(15 / 135) − ln(7 / 123) = −2.1972246 + 2.8663168 = 0.6690496
    // σ² = 1/15 + 1/7 = 0.2095238, σ = 0.4577377; z = 0.6690496 / 0.4577377 = 1.4616441
    let expectedDelta = log(15.0 / 135.0) - log(7.0 / 123.0)
    let expectedZ = expectedDelta / (1.0 / 15.0 + 1.0 / 7.0).squareRoot()
    let (delta, z) = OverlapMetrics.logOdds(countA: 10, totalA: 100, countB: 2, totalB: 80, alpha: 5, alpha0: 50)
    #expect(abs(delta - expectedDelta) < 1e-12)
    #expect(abs(z - expectedZ) < 1e-12)
    #expect(abs(delta - 0.669_049_628_980_884_5) < 1e-9)
    #expect(abs(z - 1.461_644_118_390_209_1) < 1e-9)
  }

  @Test("swapping the roles negates log-odds and z")
  func logOddsAntisymmetric() {
    let forward = OverlapMetrics.logOdds(countA: 10, totalA: 100, countB: 2, totalB: 80, alpha: 5, alpha0: 50)
    let backward = OverlapMetrics.logOdds(countA: 2, totalA: 80, countB: 10, totalB: 100, alpha: 5, alpha0: 50)
    #expect(abs(forward.delta + backward.delta) < 1e-12)
    #expect(abs(forward.z + backward.z) < 1e-12)
  }

  @Test("a term used at the same rate by both roles has log-odds 0")
  func logOddsEqualRates() {
    let (delta, z) = OverlapMetrics.logOdds(countA: 5, totalA: 100, countB: 5, totalB: 100, alpha: 2, alpha0: 40)
    #expect(abs(delta) < 1e-12)
    #expect(abs(z) < 1e-12)
  }

  @Test("AUC is the share of positive-negative pairs ordered correctly, ties counting half")
  func areaUnderCurve() {
    // Pairs (p, n): 0.9>0.5, 0.9>0.3, 0.8>0.5, 0.8>0.3, 0.4<0.5, 0.4>0.3: 5 of 6.
    #expect(abs(OverlapMetrics.auc(positives: [0.9, 0.8, 0.4], negatives: [0.5, 0.3]) - 5.0 / 6.0) < 1e-12)
    // One tie and one win: (0.5 vs 0.5) counts half, (0.5 > 0.1) one: 1.5 of 2.
    #expect(abs(OverlapMetrics.auc(positives: [0.5], negatives: [0.5, 0.1]) - 0.75) < 1e-12)
    #expect(OverlapMetrics.auc(positives: [], negatives: [1]) == 0.5)
    #expect(OverlapMetrics.auc(positives: [0.1, 0.2], negatives: [0.3, 0.4]) == 0)
  }
}
