import Foundation

/// The overlap measures, as pure functions of per-role aggregates, so each can be checked by hand.
package enum OverlapMetrics {
  /// The indices of the `k` largest counts (ties go to the lower index, which follows input
  /// order); zero counts are never top terms.
  package static func topTerms(_ counts: [Double], k: Int) -> Set<Int> {
    Set(topTermIndices(counts, k: k))
  }

  /// `topTerms(_:k:)` in ascending order of index, by selection: one pass keeping the best `k`
  /// so far in a heap whose root is the worst of them.
  ///
  /// - Complexity: O(d log k) for d counts.
  static func topTermIndices(_ counts: [Double], k: Int) -> [Int] {
    guard k > 0 else { return [] }
    var heap: [Int] = []
    heap.reserveCapacity(min(k, counts.count))
    // Whether the term at index i ranks below the one at j (a smaller count, or the same count
    // and a higher index).
    func below(_ i: Int, _ j: Int) -> Bool { counts[i] != counts[j] ? counts[i] < counts[j] : i > j }
    func siftDown(_ start: Int) {
      var parent = start
      while true {
        let left = 2 * parent + 1
        guard left < heap.count else { return }
        var lowest = left
        if left + 1 < heap.count && below(heap[left + 1], heap[left]) { lowest = left + 1 }
        guard below(heap[lowest], heap[parent]) else { return }
        heap.swapAt(parent, lowest)
        parent = lowest
      }
    }
    for index in counts.indices where counts[index] > 0 {
      if heap.count < k {
        heap.append(index)
        var child = heap.count - 1
        while child > 0 {
          let parent = (child - 1) / 2
          guard below(heap[child], heap[parent]) else { break }
          heap.swapAt(child, parent)
          child = parent
        }
      } else if counts[index] > counts[heap[0]] {
        // Indices come in increasing order, so an equal count ranks below every kept term.
        heap[0] = index
        siftDown(0)
      }
    }
    return heap.sorted()
  }

  /// Jaccard index of two sets given as sorted arrays without repeats (as `jaccard(_:_:)`).
  static func jaccard(sorted a: [Int], _ b: [Int]) -> Double {
    var shared = 0
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
      if a[i] == b[j] {
        shared += 1
        i += 1
        j += 1
      } else if a[i] < b[j] {
        i += 1
      } else {
        j += 1
      }
    }
    let union = a.count + b.count - shared
    return union == 0 ? 0 : Double(shared) / Double(union)
  }

  /// Jaccard index of two sets: |A ∩ B| / |A ∪ B| (0 when both are empty).
  package static func jaccard<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
    let union = a.union(b).count
    return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
  }

  /// Weighted Jaccard (Ruzicka similarity) of two term distributions:
  /// Σ min(p_A(w), p_B(w)) / Σ max(p_A(w), p_B(w)), with p a term's share of the role's terms.
  /// `a` and `b` are counts aligned by term.
  package static func weightedJaccard(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "weightedJaccard needs aligned vectors")
    let totalA = a.reduce(0, +)
    let totalB = b.reduce(0, +)
    guard totalA > 0, totalB > 0 else { return 0 }
    var minimum = 0.0
    var maximum = 0.0
    for index in a.indices {
      let p = a[index] / totalA
      let q = b[index] / totalB
      minimum += min(p, q)
      maximum += max(p, q)
    }
    return maximum == 0 ? 0 : minimum / maximum
  }

  /// Jensen-Shannon divergence of two term distributions, in bits (0 = identical, 1 = disjoint):
  /// JSD = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q). `a` and `b` are counts aligned by term.
  package static func jensenShannon(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "jensenShannon needs aligned vectors")
    let totalA = a.reduce(0, +)
    let totalB = b.reduce(0, +)
    guard totalA > 0, totalB > 0 else { return 1 }
    var divergence = 0.0
    for index in a.indices {
      let p = a[index] / totalA
      let q = b[index] / totalB
      let m = (p + q) / 2
      if p > 0 { divergence += 0.5 * p * log2(p / m) }
      if q > 0 { divergence += 0.5 * q * log2(q / m) }
    }
    return min(max(divergence, 0), 1)
  }

  /// Cosine similarity of two aligned vectors (0 when either is zero).
  package static func cosine(_ a: [Double], _ b: [Double]) -> Double {
    cosine(a, dividedBy: 1, b, dividedBy: 1)
  }

  /// Cosine similarity of `a / scaleA` and `b / scaleB`, elementwise (dividing by 1 is exact), so
  /// that means can be compared from sums without allocating them.
  static func cosine(_ a: [Double], dividedBy scaleA: Double, _ b: [Double], dividedBy scaleB: Double) -> Double {
    precondition(a.count == b.count, "cosine needs aligned vectors")
    var dot = 0.0
    var normA = 0.0
    var normB = 0.0
    for index in a.indices {
      let x = a[index] / scaleA
      let y = b[index] / scaleB
      dot += x * y
      normA += x * x
      normB += y * y
    }
    return normA == 0 || normB == 0 ? 0 : dot / (normA.squareRoot() * normB.squareRoot())
  }

  /// Inverse document frequency, smoothed: ln((1 + N) / (1 + df)) + 1.
  package static func idf(documentFrequency df: Int, documents n: Int) -> Double {
    log(Double(1 + n) / Double(1 + df)) + 1
  }

  /// The term-frequency factor of a TF-IDF weight, 1 + ln count.
  @inline(__always)
  package static func termFrequencyFactor(count: Int32) -> Double { 1 + log(Double(count)) }

  /// A posting's TF-IDF vector, L2-normalised: (1 + ln count) × idf per term.
  package static func tfidf(_ vector: TermVector, idf: (Int32) -> Double) -> [(Int32, Double)] {
    tfidfWithNorm(vector, idf: idf).weights
  }

  /// `tfidf(_:idf:)` and the norm its weights were divided by (0, and no weights, when every
  /// weight is 0). Each weight is `termFrequencyFactor(count:) * idf / norm`, computed in that
  /// order (`PostingEntries` recomputes weights the same way).
  package static func tfidfWithNorm(
    _ vector: TermVector, idf: (Int32) -> Double
  ) -> (weights: [(Int32, Double)], norm: Double) {
    var weights: [(Int32, Double)] = []
    weights.reserveCapacity(vector.ids.count)
    var norm = 0.0
    for (id, count) in zip(vector.ids, vector.counts) where count > 0 {
      let weight = termFrequencyFactor(count: count) * idf(id)
      weights.append((id, weight))
      norm += weight * weight
    }
    norm = norm.squareRoot()
    guard norm > 0 else { return ([], 0) }
    return (weights.map { ($0.0, $0.1 / norm) }, norm)
  }

  /// Overlap coefficient of skill prevalence: Σ_s min(a_s, b_s) / min(Σ a_s, Σ b_s), where a_s
  /// and b_s are the shares of A and B postings mentioning skill s (1 = the smaller profile is
  /// contained in the larger).
  package static func overlapCoefficient(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "skill share vectors must have the same length")
    let minimum = zip(a, b).reduce(0.0) { $0 + min($1.0, $1.1) }
    let denominator = min(a.reduce(0, +), b.reduce(0, +))
    return denominator == 0 ? 0 : minimum / denominator
  }

  /// Log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eqs. 16
  /// and 22) for one term:
  ///
  ///   δ = ln[(y_A + α_w) / (n_A + α0 − y_A − α_w)] − ln[(y_B + α_w) / (n_B + α0 − y_B − α_w)]
  ///   σ²(δ) ≈ 1/(y_A + α_w) + 1/(y_B + α_w),  z = δ / σ
  ///
  /// - Returns: (δ, z); positive means more typical of A.
  package static func logOdds(
    countA yA: Double, totalA nA: Double, countB yB: Double, totalB nB: Double, alpha: Double, alpha0: Double
  ) -> (delta: Double, z: Double) {
    let delta = log((yA + alpha) / (nA + alpha0 - yA - alpha)) - log((yB + alpha) / (nB + alpha0 - yB - alpha))
    let variance = 1 / (yA + alpha) + 1 / (yB + alpha)
    return (delta, delta / variance.squareRoot())
  }

  /// Area under the ROC curve: the probability that a random positive scores above a random
  /// negative, ties counting half (the Mann-Whitney U statistic over n₊·n₋). 0.5 when either
  /// side is empty.
  ///
  /// - Complexity: O((n₊ + n₋) log(n₊ + n₋)).
  package static func auc(positives: [Double], negatives: [Double]) -> Double {
    guard !positives.isEmpty, !negatives.isEmpty else { return 0.5 }
    let all = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
    // Ranks with ties averaged.
    var rankSumPositive = 0.0
    var index = 0
    while index < all.count {
      var end = index
      while end + 1 < all.count && all[end + 1].0 == all[index].0 { end += 1 }
      let rank = Double(index + end) / 2 + 1
      for k in index...end where all[k].1 { rankSumPositive += rank }
      index = end + 1
    }
    let n1 = Double(positives.count)
    let n0 = Double(negatives.count)
    return (rankSumPositive - n1 * (n1 + 1) / 2) / (n1 * n0)
  }

  /// Weighted area under the ROC curve: Σ w_i w_j [s_i > s_j] (ties half) over positives i and
  /// negatives j, divided by Σ w_i · Σ w_j. 0.5 when either side is empty or weightless.
  ///
  /// - Complexity: O((n₊ + n₋) log(n₊ + n₋)).
  package static func weightedAUC(positives: [(Double, Double)], negatives: [(Double, Double)]) -> Double {
    let totalPositive = positives.reduce(0) { $0 + $1.1 }
    let totalNegative = negatives.reduce(0) { $0 + $1.1 }
    guard totalPositive > 0, totalNegative > 0 else { return 0.5 }
    let all = (positives.map { ($0.0, $0.1, true) } + negatives.map { ($0.0, $0.1, false) }).sorted { $0.0 < $1.0 }
    var negativeBelow = 0.0
    var sum = 0.0
    var index = 0
    while index < all.count {
      var end = index
      while end + 1 < all.count && all[end + 1].0 == all[index].0 { end += 1 }
      var tiedPositive = 0.0
      var tiedNegative = 0.0
      for k in index...end {
        if all[k].2 { tiedPositive += all[k].1 } else { tiedNegative += all[k].1 }
      }
      sum += tiedPositive * (negativeBelow + tiedNegative / 2)
      negativeBelow += tiedNegative
      index = end + 1
    }
    return sum / (totalPositive * totalNegative)
  }

  /// The q-quantile (0...1) of sorted values, by linear interpolation (R's type 7).
  package static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
    guard let first = sorted.first else { return nil }
    guard sorted.count > 1 else { return first }
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }

  // MARK: - Size-free overlap

  /// Dot product of two aligned vectors.
  package static func dot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "dot needs aligned vectors")
    var sum = 0.0
    for index in a.indices { sum += a[index] * b[index] }
    return sum
  }

  /// Mean similarity between and within two roles' units, and the overlap index.
  package struct Similarities: Sendable, Hashable {
    /// Mean dot product of an A unit and a B unit: x̄_A · x̄_B.
    package var between: Double
    /// Mean dot product of two different units of A (of B).
    package var withinA: Double
    package var withinB: Double
    /// between / √(withinA · withinB); `nil` when a within-role similarity is not positive.
    package var index: Double?
  }

  /// The overlap index from sums of unit vectors: with S = Σ w_u·u over units drawn w_u times
  /// (w = 1 for the data themselves),
  ///
  ///   between = S_A·S_B / (k_A k_B),  within_A = (|S_A|² − Σ w_u²|u|²) / (k_A² − Σ w_u²),
  ///
  /// that is, the mean dot product over pairs of draws that are different units: an unbiased
  /// estimate of |μ_A|² where |x̄_A|² would overstate it by the sampling variance. The index
  /// estimates the cosine of the two roles' population centroids, μ_A·μ_B / (|μ_A||μ_B|):
  /// near 1 when A's and B's units are exchangeable, whatever the sample sizes.
  package static func similarities(
    dotAB: Double, drawsA kA: Double, drawsB kB: Double, squareA: Double, selfA: Double, pairsA: Double,
    squareB: Double, selfB: Double, pairsB: Double
  ) -> Similarities {
    let between = kA > 0 && kB > 0 ? dotAB / (kA * kB) : 0
    let withinA = pairsA > 0 ? (squareA - selfA) / pairsA : 0
    let withinB = pairsB > 0 ? (squareB - selfB) / pairsB : 0
    let index = withinA > 0 && withinB > 0 ? between / (withinA * withinB).squareRoot() : nil
    return Similarities(between: between, withinA: withinA, withinB: withinB, index: index)
  }

  /// The overlap index of two roles from their unit sums (each unit once).
  ///
  /// - Returns: The index, or `nil` with the reason.
  static func overlapIndex(
    between: Double, squareA: Double, selfA: Double, unitsA kA: Double, squareB: Double, selfB: Double,
    unitsB kB: Double
  ) -> (value: Double?, reason: String) {
    guard kA >= 2, kB >= 2 else { return (nil, "overlap index needs at least 2 clusters per role") }
    let result = similarities(
      dotAB: between, drawsA: kA, drawsB: kB, squareA: squareA, selfA: selfA, pairsA: kA * (kA - 1),
      squareB: squareB, selfB: selfB, pairsB: kB * (kB - 1))
    return (result.index, result.index == nil ? "no within-role similarity (postings share no terms)" : "")
  }

  // MARK: - Intervals and tests

  /// The Wilson score interval for a proportion: `successes` of `n` (successes may be
  /// fractional: shares of clusters), at 95% (z = 1.959964). It never has zero width for n > 0.
  package static func wilson(successes: Double, n: Double, z: Double = 1.959_964) -> (low: Double, high: Double) {
    guard n > 0 else { return (0, 1) }
    let p = min(max(successes / n, 0), 1)
    let z2 = z * z
    let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
    return (max(centre - half, 0), min(centre + half, 1))
  }

  /// Two-sided Fisher exact test of a 2×2 table: `a` of `n1` units of one group and `b` of `n2`
  /// of the other have the property. The p-value sums the probabilities of every table with the
  /// same margins that is no more likely than the one observed (R's `fisher.test`).
  ///
  /// - Complexity: O(min(n1, a + b)).
  package static func fisherExact(_ a: Int, of n1: Int, _ b: Int, of n2: Int) -> Double {
    let total = n1 + n2
    let with = a + b
    guard total > 0, with > 0, with < total else { return 1 }
    let low = max(0, with - n2)
    let high = min(n1, with)
    func logChoose(_ n: Int, _ k: Int) -> Double {
      lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
    let logTotal = logChoose(total, n1)
    let observed = logChoose(with, a) + logChoose(total - with, n1 - a) - logTotal
    // From the lowest table up, by the ratio of consecutive hypergeometric terms.
    var value = logChoose(with, low) + logChoose(total - with, n1 - low) - logTotal
    var p = 0.0
    for x in low...high {
      // Relative tolerance, as R's fisher.test (1e-7), so ties in probability count.
      if value <= observed + 1e-7 { p += exp(value) }
      if x < high {
        value += log(Double((with - x) * (n1 - x))) - log(Double((x + 1) * (n2 - with + x + 1)))
      }
    }
    return min(p, 1)
  }

  /// Benjamini-Hochberg q-values of `pValues`, in their order.
  package static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
    let m = pValues.count
    guard m > 0 else { return [] }
    let order = pValues.indices.sorted { pValues[$0] != pValues[$1] ? pValues[$0] < pValues[$1] : $0 < $1 }
    var q = [Double](repeating: 1, count: m)
    var running = 1.0
    for rank in stride(from: m - 1, through: 0, by: -1) {
      let index = order[rank]
      running = min(running, pValues[index] * Double(m) / Double(rank + 1))
      q[index] = min(running, 1)
    }
    return q
  }
}
