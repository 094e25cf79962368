import Foundation
import RoleLensClassify

extension OverlapAnalysis {
  /// Random stream families, so that each kind of resampling draws its own numbers.
  enum Stream: UInt64 {
    case bootstrap = 1
    case indexPermutation, folds, aucPermutation, aucBootstrap, draws, trendPermutation
  }

  // MARK: - The pair's figures

  /// Every figure of `metrics` for the pair, with intervals, tests and notes.
  func pairFigures(_ space: UnitSpace) -> [OverlapFigure] {
    var replicates: [Double?] = []
    return pairFigures(space, indexReplicates: &replicates)
  }

  /// `pairFigures(_:)`, also handing out the bootstrap replicates of `overlap_index` (none when
  /// it is undefined), for the trend over groups.
  func pairFigures(_ space: UnitSpace, indexReplicates: inout [Double?]) -> [OverlapFigure] {
    let (a, b) = (space.unitsA, space.unitsB)
    var flag = ""
    if min(a.count, b.count) < options.minimumClusters {
      flag = "insufficient: \(a.count) and \(b.count) clusters, at least \(options.minimumClusters) per role are needed"
    }
    func noted(_ note: String) -> String { [flag, note].filter { !$0.isEmpty }.joined(separator: "; ") }
    var figures: [OverlapFigure] = []
    figures += indexFigures(space, replicatesOut: &indexReplicates).map { figure in
      var figure = figure
      figure.note = noted(figure.note)
      return figure
    }
    var auc = separabilityFigure(space)
    auc.note = noted(auc.note)
    figures.append(auc)
    figures += shareFigures(space).map { figure in
      var figure = figure
      figure.note = noted(figure.note)
      return figure
    }
    figures += descriptiveFigures(space).map { figure in
      var figure = figure
      figure.note = noted(figure.note)
      return figure
    }
    return figures
  }

  // MARK: - Overlap index

  /// Sums of one sample of units: S = Σ w_u·u, |S|², Σ w_u²·|u|², k and k² − Σ w_u².
  struct SampleSums {
    var sum: [Double]
    var square = 0.0
    var selfSquares = 0.0
    var draws = 0.0
    var pairs = 0.0

    init(dimension: Int) { sum = [Double](repeating: 0, count: dimension) }

    /// Replaces the sums by those of units drawn `multiplicity[u]` times (the listed units).
    mutating func fill(_ units: [Int], multiplicities: [Double], space: UnitSpace) {
      for index in sum.indices { sum[index] = 0 }
      selfSquares = 0
      draws = 0
      var squaredDraws = 0.0
      for (unit, w) in zip(units, multiplicities) where w > 0 {
        space.add(unit, times: w, weightsInto: &sum)
        selfSquares += w * w * space.selfSquares[unit]
        draws += w
        squaredDraws += w * w
      }
      square = OverlapMetrics.dot(sum, sum)
      pairs = draws * draws - squaredDraws
    }
  }

  /// The overlap index and its three similarities for two samples.
  static func similarities(_ x: SampleSums, _ y: SampleSums) -> OverlapMetrics.Similarities {
    OverlapMetrics.similarities(
      dotAB: OverlapMetrics.dot(x.sum, y.sum), drawsA: x.draws, drawsB: y.draws, squareA: x.square,
      selfA: x.selfSquares, pairsA: x.pairs, squareB: y.square, selfB: y.selfSquares, pairsB: y.pairs)
  }

  /// `overlap_index` and the similarities behind it, with percentile intervals from a cluster
  /// bootstrap (units resampled within each role; pairs of draws of the same unit left out of
  /// the within-role means, so replicates are not biased by repeats) and a one-sided
  /// permutation p-value for the index (units' roles permuted).
  func indexFigures(_ space: UnitSpace, replicatesOut: inout [Double?]) -> [OverlapFigure] {
    let names = ["overlap_index", "similarity_between", "similarity_within_a", "similarity_within_b"]
    let (a, b) = (space.unitsA, space.unitsB)
    guard a.count >= 2, b.count >= 2 else {
      return names.map { OverlapFigure(metric: $0, value: nil, note: "needs at least 2 clusters per role") }
    }
    let ones = { (count: Int) in [Double](repeating: 1, count: count) }
    var x = SampleSums(dimension: space.dimension)
    var y = SampleSums(dimension: space.dimension)
    x.fill(a, multiplicities: ones(a.count), space: space)
    y.fill(b, multiplicities: ones(b.count), space: space)
    let point = Self.similarities(x, y)
    func values(_ s: OverlapMetrics.Similarities) -> [Double?] { [s.index, s.between, s.withinA, s.withinB] }

    let seed = options.seed
    let replicates = Self.parallelMap(options.replicates, jobs: options.jobs) { replicate -> [Double?] in
      var generator = Self.generator(seed: seed, stream: Stream.bootstrap.rawValue, replicate: replicate)
      var wa = [Double](repeating: 0, count: a.count)
      var wb = [Double](repeating: 0, count: b.count)
      for _ in a.indices { wa[generator.nextIndex(below: a.count)] += 1 }
      for _ in b.indices { wb[generator.nextIndex(below: b.count)] += 1 }
      var x = SampleSums(dimension: space.dimension)
      var y = SampleSums(dimension: space.dimension)
      x.fill(a, multiplicities: wa, space: space)
      y.fill(b, multiplicities: wb, space: space)
      return values(Self.similarities(x, y))
    }
    replicatesOut = replicates.map { $0[0] }
    var pValue: Double?
    if let observed = point.index, options.permutations > 0 {
      let all = a + b
      var total = [Double](repeating: 0, count: space.dimension)
      var selfTotal = 0.0
      for unit in all {
        space.add(unit, times: 1, weightsInto: &total)
        selfTotal += space.selfSquares[unit]
      }
      let (kA, kB) = (Double(a.count), Double(b.count))
      let permuted = Self.parallelMap(options.permutations, jobs: options.jobs) { permutation -> Bool in
        var generator = Self.generator(seed: seed, stream: Stream.indexPermutation.rawValue, replicate: permutation)
        let drawn = Self.sample(all, count: a.count, using: &generator)
        var x = SampleSums(dimension: space.dimension)
        x.fill(drawn, multiplicities: ones(drawn.count), space: space)
        // B's sums are the rest: the total less A's.
        var other = [Double](repeating: 0, count: space.dimension)
        for index in other.indices { other[index] = total[index] - x.sum[index] }
        let square = OverlapMetrics.dot(other, other)
        let s = OverlapMetrics.similarities(
          dotAB: OverlapMetrics.dot(x.sum, other), drawsA: kA, drawsB: kB, squareA: x.square, selfA: x.selfSquares,
          pairsA: kA * (kA - 1), squareB: square, selfB: selfTotal - x.selfSquares, pairsB: kB * (kB - 1))
        return (s.index ?? .infinity) <= observed
      }
      pValue = Double(1 + permuted.filter { $0 }.count) / Double(1 + options.permutations)
    }
    let pointValues = values(point)
    // With 2 units a role's within-similarity is defined only in replicates that draw both,
    // where it equals the point estimate: the percentile interval would have no width, which
    // is not an interval. None is given below 3 units per role.
    let tooFew = min(a.count, b.count) < 3
    return names.indices.map { index in
      var interval = Self.percentile(replicates.compactMap { $0[index] }, expected: replicates.count)
      if tooFew { interval = (nil, nil, 0) }
      var note = ""
      if index == 0 {
        note =
          "size-free: mean A-B similarity over the geometric mean of the within-role ones (1 = exchangeable); 95% cluster-bootstrap percentile interval; p: one-sided permutation test of exchangeable roles"
        if pointValues[0] == nil { note = "no within-role similarity (postings share no terms)" }
      } else {
        note =
          "mean dot product of cluster-mean TF-IDF vectors" + (index == 1 ? " (A with B)" : " (two different clusters)")
      }
      if interval.missing > 0 { note += "; \(interval.missing) replicates undefined" }
      if tooFew && !replicates.isEmpty { note += "; no interval with fewer than 3 clusters per role" }
      return OverlapFigure(
        metric: names[index], value: pointValues[index], ciLow: interval.low, ciHigh: interval.high,
        pValue: index == 0 ? pValue : nil, note: note)
    }
  }

  // MARK: - Separability

  /// `separability_auc`: how well body text tells A's postings from B's, clusters weighing one
  /// each. A nearest-centroid classifier (a posting's score = cos(x, c_A) − cos(x, c_B), with
  /// the centroids of the training clusters' mean vectors) is cross-validated with stratified
  /// folds of whole clusters, repeated; a posting's score is its mean over repeats. The AUC is
  /// the probability that a random posting of a random A cluster scores above one of a random
  /// B cluster (ties half), so six reposts of a posting count as that posting once. Interval:
  /// percentile of a cluster bootstrap of the scores; p: one-sided permutation test (roles
  /// permuted over clusters, the whole cross-validation redone once per permutation).
  func separabilityFigure(_ space: UnitSpace) -> OverlapFigure {
    let metric = "separability_auc"
    let (a, b) = (space.unitsA, space.unitsB)
    guard a.count >= 2, b.count >= 2 else {
      return OverlapFigure(metric: metric, value: nil, note: "needs at least 2 clusters per role")
    }
    let folds = max(2, min(options.folds, a.count, b.count))
    let repeats = max(options.crossValidationRepeats, 1)
    let seed = options.seed
    let postingCount = space.postingUnit.count
    let grams = CrossValidation.grams(space)
    var cv = CrossValidation(space: space, folds: folds, grams: grams)
    var meanScores = [Double](repeating: 0, count: postingCount)
    for repeatIndex in 0..<repeats {
      var generator = Self.generator(seed: seed, stream: Stream.folds.rawValue, replicate: repeatIndex)
      let scores = cv.scores(isB: space.isB, using: &generator)
      for index in scores.indices { meanScores[index] += scores[index] / Double(repeats) }
    }
    // Each unit's postings' scores, with their weights (1 / unit size).
    var byUnit = [[Double]](repeating: [], count: space.unitCount)
    for (posting, unit) in space.postingUnit.enumerated() { byUnit[unit].append(meanScores[posting]) }
    func auc(_ unitsA: [Int], _ unitsB: [Int]) -> Double {
      func weighted(_ units: [Int]) -> [(Double, Double)] {
        units.flatMap { unit in byUnit[unit].map { ($0, 1 / Double(byUnit[unit].count)) } }
      }
      return OverlapMetrics.weightedAUC(positives: weighted(unitsA), negatives: weighted(unitsB))
    }
    let value = auc(a, b)
    let bootstrap = Self.parallelMap(options.replicates, jobs: options.jobs) { replicate -> Double in
      var generator = Self.generator(seed: seed, stream: Stream.aucBootstrap.rawValue, replicate: replicate)
      let sa = a.indices.map { _ in a[generator.nextIndex(below: a.count)] }
      let sb = b.indices.map { _ in b[generator.nextIndex(below: b.count)] }
      return auc(sa, sb)
    }
    let interval = Self.percentile(bootstrap, expected: bootstrap.count)
    var pValue: Double?
    if options.permutations > 0 {
      let all = a + b
      let exceed = Self.parallelMap(
        options.permutations, jobs: options.jobs, state: { CrossValidation(space: space, folds: folds, grams: grams) }
      ) {
        cv, permutation -> Bool in
        var generator = Self.generator(seed: seed, stream: Stream.aucPermutation.rawValue, replicate: permutation)
        let drawn = Self.sample(all, count: a.count, using: &generator)
        var isB = [Bool](repeating: true, count: space.unitCount)
        for unit in drawn { isB[unit] = false }
        let scores = cv.scores(isB: isB, using: &generator)
        var weighted = ([(Double, Double)](), [(Double, Double)]())
        for (posting, unit) in space.postingUnit.enumerated() {
          let entry = (scores[posting], 1 / Double(byUnit[unit].count))
          if isB[unit] { weighted.1.append(entry) } else { weighted.0.append(entry) }
        }
        return OverlapMetrics.weightedAUC(positives: weighted.0, negatives: weighted.1) >= value
      }
      pValue = Double(1 + exceed.filter { $0 }.count) / Double(1 + options.permutations)
    }
    return OverlapFigure(
      metric: metric, value: value, ciLow: interval.low, ciHigh: interval.high, pValue: pValue,
      note:
        "body only, every role's title phrases masked; \(folds)-fold stratified cross-validation of whole clusters, \(repeats) repeats; clusters weigh one each; 0.5 = indistinguishable"
    )
  }

  /// Cross-validated nearest-centroid scores, from per-fold sums over the positions the units
  /// use (dense buffers, of which only the touched positions are read and cleared).
  struct CrossValidation {
    let space: UnitSpace
    let folds: Int
    /// Per role (A, B) and fold: the sums of that fold's units, `dimension` apart; and the sums
    /// over every fold. Zero outside a call.
    var foldSums: [[Double]]
    var totals: [[Double]]
    /// The positions each fold's units use, each once (`seen` marks them).
    var touched: [[Int]]
    var seen: [Int]
    var seenAny: [Int]
    var stamp = 0
    /// Dot products of every posting with every unit (posting-major) and of every unit with
    /// every unit, when both fit in `gramLimit` entries: a call then costs O(P·U + U²) instead
    /// of touching every entry.
    let postingGram: [Double]
    let unitGram: [Double]
    static let gramLimit = 4_000_000

    /// The Gram matrices of `space`, or empty ones when they would be too large.
    static func grams(_ space: UnitSpace, limit: Int = gramLimit) -> (posting: [Double], unit: [Double]) {
      let (p, u) = (space.postingUnit.count, space.unitCount)
      guard p * u + u * u <= limit, u > 0 else { return ([], []) }
      var postingGram = [Double](repeating: 0, count: p * u)
      var unitGram = [Double](repeating: 0, count: u * u)
      var dense = [Double](repeating: 0, count: space.dimension)
      for v in 0..<u {
        for entry in space.starts[v]..<space.starts[v + 1] { dense[Int(space.positions[entry])] = space.weights[entry] }
        for posting in 0..<p {
          var dot = 0.0
          let norm = space.postings.norms[posting]
          for entry in space.postings.starts[posting]..<space.postings.starts[posting + 1] {
            dot += space.postings.weight(entry, norm: norm) * dense[Int(space.postings.positions[entry])]
          }
          postingGram[posting * u + v] = dot
        }
        for w in 0..<u {
          var dot = 0.0
          for entry in space.starts[w]..<space.starts[w + 1] {
            dot += space.weights[entry] * dense[Int(space.positions[entry])]
          }
          unitGram[v * u + w] = dot
        }
        for entry in space.starts[v]..<space.starts[v + 1] { dense[Int(space.positions[entry])] = 0 }
      }
      return (postingGram, unitGram)
    }

    init(space: UnitSpace, folds: Int, grams: (posting: [Double], unit: [Double])) {
      self.space = space
      self.folds = folds
      postingGram = grams.posting
      unitGram = grams.unit
      // With the Gram matrices no dense buffer is read.
      let dense = grams.posting.isEmpty ? space.dimension : 0
      foldSums = [[Double]](repeating: [Double](repeating: 0, count: dense * folds), count: 2)
      totals = [[Double]](repeating: [Double](repeating: 0, count: dense), count: 2)
      touched = [[Int]](repeating: [], count: folds)
      seen = [Int](repeating: -1, count: dense * folds)
      seenAny = [Int](repeating: -1, count: dense)
    }

    /// The held-out score of every posting of the space (cos to A's training centroid − cos to
    /// B's), with `isB` as the units' roles and folds of whole units assigned at random within
    /// each role.
    ///
    /// - Complexity: O(e) for the e entries of the units and postings, not O(folds · dimension).
    mutating func scores(isB: [Bool], using generator: inout SeededGenerator) -> [Double] {
      let d = space.dimension
      let units = space.unitCount
      var fold = [Int](repeating: 0, count: units)
      // Stratified: each role's units are shuffled and dealt to the folds in turn, B continuing
      // where A stopped, so every fold holds both roles whenever each has `folds` units.
      var next = 0
      for role in [false, true] {
        var members = (0..<units).filter { isB[$0] == role }
        OverlapAnalysis.shuffle(&members, using: &generator)
        for member in members {
          fold[member] = next % folds
          next += 1
        }
      }
      if !postingGram.isEmpty { return gramScores(isB: isB, fold: fold) }
      stamp += 1
      for f in 0..<folds { touched[f].removeAll(keepingCapacity: true) }
      for unit in 0..<units {
        let side = isB[unit] ? 1 : 0
        let f = fold[unit]
        for entry in space.starts[unit]..<space.starts[unit + 1] {
          let position = Int(space.positions[entry])
          foldSums[side][f * d + position] += space.weights[entry]
          totals[side][position] += space.weights[entry]
          if seen[f * d + position] != stamp {
            seen[f * d + position] = stamp
            touched[f].append(position)
          }
        }
      }
      // |total − fold|² = |total|² − Σ_touched (2·total·fold − fold²), per role and fold.
      var squares = [0.0, 0.0]
      for f in 0..<folds {
        for position in touched[f] where seenAny[position] != stamp {
          seenAny[position] = stamp
          for side in 0..<2 { squares[side] += totals[side][position] * totals[side][position] }
        }
      }
      var norms = [[Double]](repeating: [Double](repeating: 0, count: folds), count: 2)
      for side in 0..<2 {
        for f in 0..<folds {
          var square = squares[side]
          for position in touched[f] {
            let part = foldSums[side][f * d + position]
            square -= 2 * totals[side][position] * part - part * part
          }
          norms[side][f] = max(square, 0).squareRoot()
        }
      }
      // A posting's TF-IDF vector has unit length, so its cosine to a centroid is its dot
      // product with the centroid's direction.
      var scores = [Double](repeating: 0, count: space.postingUnit.count)
      for (posting, unit) in space.postingUnit.enumerated() {
        let f = fold[unit]
        var dots = (0.0, 0.0)
        let norm = space.postings.norms[posting]
        for entry in space.postings.starts[posting]..<space.postings.starts[posting + 1] {
          let position = Int(space.postings.positions[entry])
          let weight = space.postings.weight(entry, norm: norm)
          dots.0 += weight * (totals[0][position] - foldSums[0][f * d + position])
          dots.1 += weight * (totals[1][position] - foldSums[1][f * d + position])
        }
        let cosA = norms[0][f] > 0 ? dots.0 / norms[0][f] : 0
        let cosB = norms[1][f] > 0 ? dots.1 / norms[1][f] : 0
        scores[posting] = cosA - cosB
      }
      // Clear what this call wrote.
      for f in 0..<folds {
        for position in touched[f] {
          for side in 0..<2 {
            foldSums[side][f * d + position] = 0
            totals[side][position] = 0
          }
        }
      }
      return scores
    }

    /// `scores(isB:using:)` from the Gram matrices, the folds already dealt.
    private func gramScores(isB: [Bool], fold: [Int]) -> [Double] {
      let u = space.unitCount
      // Per role and pair of folds: Σ u_v·u_w over v in the first fold, w in the second.
      var blocks = [Double](repeating: 0, count: 2 * folds * folds)
      for v in 0..<u {
        let side = isB[v] ? 1 : 0
        for w in 0..<u where isB[w] == isB[v] {
          blocks[(side * folds + fold[v]) * folds + fold[w]] += unitGram[v * u + w]
        }
      }
      var norms = [Double](repeating: 0, count: 2 * folds)
      for side in 0..<2 {
        for f in 0..<folds {
          var square = 0.0
          for g in 0..<folds where g != f {
            for h in 0..<folds where h != f { square += blocks[(side * folds + g) * folds + h] }
          }
          norms[side * folds + f] = max(square, 0).squareRoot()
        }
      }
      var scores = [Double](repeating: 0, count: space.postingUnit.count)
      var sums = [Double](repeating: 0, count: 2 * folds)
      for (posting, unit) in space.postingUnit.enumerated() {
        for index in sums.indices { sums[index] = 0 }
        let row = posting * u
        for v in 0..<u { sums[(isB[v] ? folds : 0) + fold[v]] += postingGram[row + v] }
        let f = fold[unit]
        var dots = (0.0, 0.0)
        for g in 0..<folds where g != f {
          dots.0 += sums[g]
          dots.1 += sums[folds + g]
        }
        let cosA = norms[f] > 0 ? dots.0 / norms[f] : 0
        let cosB = norms[folds + f] > 0 ? dots.1 / norms[folds + f] : 0
        scores[posting] = cosA - cosB
      }
      return scores
    }
  }

  // MARK: - Cross-reading

  /// `share_a_reads_as_b` and `share_b_reads_as_a`: with titles hidden, the share of A's
  /// clusters whose postings' body-only top role is B (a cluster counts as the share of its
  /// postings), with a Wilson 95% interval over clusters.
  func shareFigures(_ space: UnitSpace) -> [OverlapFigure] {
    [("share_a_reads_as_b", space.unitsA), ("share_b_reads_as_a", space.unitsB)].map { metric, units in
      guard !units.isEmpty else { return OverlapFigure(metric: metric, value: nil, note: "no clusters") }
      let hits = units.reduce(0) { $0 + space.readsAsOther[$1] }
      let n = Double(units.count)
      let interval = OverlapMetrics.wilson(successes: hits, n: n)
      return OverlapFigure(
        metric: metric, value: hits / n, ciLow: interval.low, ciHigh: interval.high,
        note: "titles hidden; Wilson 95% interval over \(units.count) clusters")
    }
  }

  // MARK: - Descriptive figures

  /// The descriptive vocabulary figures, size-matched: each is the mean over `draws` random
  /// draws of m clusters of A and m of B (without replacement), m = `minimumClusters` (or the
  /// smaller role's clusters when fewer), so that pairs and corpora of any size are compared at
  /// the same m. They have no interval; `overlap_index` is the figure for inference.
  func descriptiveFigures(_ space: UnitSpace) -> [OverlapFigure] {
    let names = [
      "jaccard_top_terms", "weighted_jaccard", "cosine_tfidf_centroid", "jensen_shannon_divergence",
      "skill_overlap_coefficient",
    ]
    let (a, b) = (space.unitsA, space.unitsB)
    guard !a.isEmpty, !b.isEmpty else {
      return names.map { OverlapFigure(metric: $0, value: nil, note: "no clusters") }
    }
    let m = min(options.minimumClusters, a.count, b.count)
    // One draw is enough when both sides are taken whole.
    let draws = a.count == m && b.count == m ? 1 : max(options.draws, 1)
    let seed = options.seed
    let topK = options.topK
    let samples = Self.parallelMap(draws, jobs: options.jobs) { draw -> [Double] in
      var generator = Self.generator(seed: seed, stream: Stream.draws.rawValue, replicate: draw)
      let sampleA = a.count == m ? a : Self.sample(a, count: m, using: &generator)
      let sampleB = b.count == m ? b : Self.sample(b, count: m, using: &generator)
      var countsA = [Double](repeating: 0, count: space.dimension)
      var countsB = countsA
      var weightsA = countsA
      var weightsB = countsA
      for unit in sampleA {
        space.add(unit, countsInto: &countsA)
        space.add(unit, times: 1, weightsInto: &weightsA)
      }
      for unit in sampleB {
        space.add(unit, countsInto: &countsB)
        space.add(unit, times: 1, weightsInto: &weightsB)
      }
      return [
        OverlapMetrics.jaccard(
          sorted: OverlapMetrics.topTermIndices(countsA, k: topK), OverlapMetrics.topTermIndices(countsB, k: topK)),
        OverlapMetrics.weightedJaccard(countsA, countsB),
        OverlapMetrics.cosine(weightsA, weightsB),
        OverlapMetrics.jensenShannon(countsA, countsB),
        OverlapMetrics.overlapCoefficient(Self.skillShares(sampleA, space), Self.skillShares(sampleB, space)),
      ]
    }
    let note =
      "descriptive, size-matched: \(m) clusters per side, mean of \(draws) draw\(draws == 1 ? "" : "s"); no interval (use overlap_index)"
    return names.indices.map { index in
      let mean = samples.reduce(0) { $0 + $1[index] } / Double(samples.count)
      return OverlapFigure(
        metric: names[index], value: mean,
        note: index == 0 ? note + "; top \(topK) terms by count" : note)
    }
  }

  static func skillShares(_ units: [Int], _ space: UnitSpace) -> [Double] {
    var shares = [Double](repeating: 0, count: space.skillCount)
    for unit in units {
      for entry in space.skillStarts[unit]..<space.skillStarts[unit + 1]
      where space.skills[entry] >= 0 && space.skills[entry] < space.skillCount {
        shares[space.skills[entry]] += space.skillShares[entry]
      }
    }
    let n = Double(max(units.count, 1))
    return shares.map { $0 / n }
  }

  // MARK: - Distinctive terms

  /// Terms of the pair used by at least `minimumTermDocuments` clusters: the log-odds ratio
  /// with informative Dirichlet prior over cluster-mean counts (effect size, ranking), and a
  /// two-sided Fisher exact test of the share of A's and B's clusters using the term, with
  /// Benjamini-Hochberg q-values over every listed term. Sorted by z, ties by term.
  func contrasts(space: UnitSpace, statistics: [Role: RoleStatistics], vocabulary: Vocabulary) -> [TermContrast] {
    let (a, b) = (space.unitsA, space.unitsB)
    guard !a.isEmpty || !b.isEmpty else { return [] }
    let d = space.dimension
    var countsA = [Double](repeating: 0, count: d)
    var countsB = countsA
    var clustersA = [Int](repeating: 0, count: d)
    var clustersB = clustersA
    // A cluster uses a term when at least half of its postings do (a word swapped in one
    // repost of six does not make the cluster use it).
    let share = space.termShares()
    for unit in a {
      space.add(unit, countsInto: &countsA)
      for entry in space.starts[unit]..<space.starts[unit + 1] where share[entry] >= 0.5 {
        clustersA[Int(space.positions[entry])] += 1
      }
    }
    for unit in b {
      space.add(unit, countsInto: &countsB)
      for entry in space.starts[unit]..<space.starts[unit + 1] where share[entry] >= 0.5 {
        clustersB[Int(space.positions[entry])] += 1
      }
    }

    var background = TermTallies()
    for stats in statistics.values {
      for tally in stats.terms { background.add(tally.id, occurrences: tally.occurrences, postings: 0) }
    }
    let backgroundTotal = Double(background.reduce(0) { $0 + $1.occurrences })
    let statsA = statistics[options.roleA] ?? RoleStatistics()
    let statsB = statistics[options.roleB] ?? RoleStatistics()
    let nA = countsA.reduce(0, +)
    let nB = countsB.reduce(0, +)
    let alpha0 = options.priorStrength
    var result: [TermContrast] = []
    for position in 0..<d where clustersA[position] + clustersB[position] >= options.minimumTermDocuments {
      let id = space.termIDs[position]
      let alpha = backgroundTotal > 0 ? alpha0 * Double(background[id]?.occurrences ?? 0) / backgroundTotal : 0
      let (delta, z) = OverlapMetrics.logOdds(
        countA: countsA[position], totalA: nA, countB: countsB[position], totalB: nB, alpha: alpha, alpha0: alpha0)
      result.append(
        TermContrast(
          term: vocabulary.term(id), countA: statsA.terms[id]?.occurrences ?? 0,
          countB: statsB.terms[id]?.occurrences ?? 0, documentsA: statsA.terms[id]?.postings ?? 0,
          documentsB: statsB.terms[id]?.postings ?? 0,
          clustersA: clustersA[position], clustersB: clustersB[position], logOdds: delta, z: z,
          pValue: OverlapMetrics.fisherExact(clustersA[position], of: a.count, clustersB[position], of: b.count),
          qValue: 1))
    }
    let q = OverlapMetrics.benjaminiHochberg(result.map(\.pValue))
    for index in result.indices { result[index].qValue = q[index] }
    return result.sorted { $0.z != $1.z ? $0.z > $1.z : $0.term < $1.term }
  }

  // MARK: - Sampling

  /// `count` elements of `values` drawn without replacement (a partial Fisher-Yates shuffle).
  static func sample(_ values: [Int], count: Int, using generator: inout SeededGenerator) -> [Int] {
    var pool = values
    let count = min(count, pool.count)
    for index in 0..<count {
      let other = index + generator.nextIndex(below: pool.count - index)
      pool.swapAt(index, other)
    }
    return Array(pool[0..<count])
  }

  package static func shuffle(_ values: inout [Int], using generator: inout SeededGenerator) {
    guard values.count > 1 else { return }
    for index in 0..<(values.count - 1) {
      values.swapAt(index, index + generator.nextIndex(below: values.count - index))
    }
  }

  /// The 2.5% and 97.5% quantiles of the defined replicates (percentile interval); none when
  /// fewer than 20 replicates are defined.
  static func percentile(_ values: [Double], expected: Int) -> (low: Double?, high: Double?, missing: Int) {
    let missing = expected - values.count
    guard values.count >= 20 else { return (nil, nil, missing) }
    let sorted = values.sorted()
    return (OverlapMetrics.quantile(sorted, 0.025), OverlapMetrics.quantile(sorted, 0.975), missing)
  }
}
