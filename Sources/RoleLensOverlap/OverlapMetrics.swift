import Foundation

/// The overlap measures, as pure functions of per-role aggregates, so each can be checked by hand.
public enum OverlapMetrics {
  /// The indices of the `k` largest counts (ties go to the lower index, which follows input
  /// order); zero counts are never top terms.
  public static func topTerms(_ counts: [Double], k: Int) -> Set<Int> {
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
  public static func jaccard<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
    let union = a.union(b).count
    return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
  }

  /// Weighted Jaccard (Ruzicka similarity) of two term distributions:
  /// Σ min(p_A(w), p_B(w)) / Σ max(p_A(w), p_B(w)), with p a term's share of the role's terms.
  /// `a` and `b` are counts aligned by term.
  public static func weightedJaccard(_ a: [Double], _ b: [Double]) -> Double {
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
  public static func jensenShannon(_ a: [Double], _ b: [Double]) -> Double {
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
  public static func cosine(_ a: [Double], _ b: [Double]) -> Double {
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
  public static func idf(documentFrequency df: Int, documents n: Int) -> Double {
    log(Double(1 + n) / Double(1 + df)) + 1
  }

  /// A posting's TF-IDF vector, L2-normalised: (1 + ln count) × idf per term.
  public static func tfidf(_ vector: TermVector, idf: (Int32) -> Double) -> [(Int32, Double)] {
    var weights: [(Int32, Double)] = []
    weights.reserveCapacity(vector.ids.count)
    var norm = 0.0
    for (id, count) in zip(vector.ids, vector.counts) where count > 0 {
      let weight = (1 + log(Double(count))) * idf(id)
      weights.append((id, weight))
      norm += weight * weight
    }
    norm = norm.squareRoot()
    guard norm > 0 else { return [] }
    return weights.map { ($0.0, $0.1 / norm) }
  }

  /// Overlap coefficient of skill prevalence: Σ_s min(a_s, b_s) / min(Σ a_s, Σ b_s), where a_s
  /// and b_s are the shares of A and B postings mentioning skill s (1 = the smaller profile is
  /// contained in the larger).
  public static func overlapCoefficient(_ a: [Double], _ b: [Double]) -> Double {
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
  public static func logOdds(
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
  public static func auc(positives: [Double], negatives: [Double]) -> Double {
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

  /// The q-quantile (0...1) of sorted values, by linear interpolation (R's type 7).
  public static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
    guard let first = sorted.first else { return nil }
    guard sorted.count > 1 else { return first }
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }
}
