import RoleLensClassify
import RoleLensStorage

extension OverlapAnalysis {
  // MARK: - Figures per group

  /// The pair's figures in every group, and for periods the trend of `overlap_index`.
  ///
  /// A group's units are the postings of one role, one cluster and one group, so a cluster
  /// reposted in two years is a unit in each; within a group everything is computed as for the
  /// whole run (`pairFigures`), with the group's own random streams (the run's seed mixed with
  /// the group's label), so a group's figures do not depend on which other groups exist.
  ///
  /// - Parameters:
  ///   - space: The pair's units split by group (`pairSpace(_:vocabulary:roles:idf:grouped:)`).
  ///   - accumulator: The run's postings, with the group labels and per-group counts.
  func groupFigures(_ space: UnitSpace, key: GroupKey, accumulator: OverlapAccumulator) -> GroupedOverlap {
    let labels = accumulator.groups
    let postings = accumulator.groupPostings
    let clusters = accumulator.groupClusters()
    let (indexA, indexB) = (options.roleA.index, options.roleB.index)
    let order = Self.reportOrder(labels, key: key) { postings[$0][indexA] + postings[$0][indexB] }

    var unitsByGroup = [[Int]](repeating: [], count: labels.count)
    for unit in 0..<space.unitCount where space.unitGroups[unit] >= 0 {
      unitsByGroup[Int(space.unitGroups[unit])].append(unit)
    }
    var postingsByUnit = [[Int]](repeating: [], count: space.unitCount)
    for (posting, unit) in space.postingUnit.enumerated() { postingsByUnit[unit].append(posting) }
    var scratch = [Int32](repeating: -1, count: space.dimension)

    var groups: [GroupOverlap] = []
    var replicates: [Int: [Double?]] = [:]
    for group in order {
      let sub = space.subspace(unitsByGroup[group], postingsByUnit: postingsByUnit, scratch: &scratch)
      var analysis = self
      analysis.options.seed = Self.groupSeed(options.seed, label: labels[group])
      var indexReplicates: [Double?] = []
      let figures = analysis.pairFigures(sub, indexReplicates: &indexReplicates)
      replicates[group] = indexReplicates
      let roles = Role.allCases.filter { postings[group][$0.index] > 0 }.map {
        GroupRoleCount(role: $0, postings: postings[group][$0.index], clusters: clusters[group][$0.index])
      }
      groups.append(
        GroupOverlap(
          group: labels[group], roles: roles, figures: figures,
          isInsufficient: min(clusters[group][indexA], clusters[group][indexB]) < options.minimumClusters))
    }
    guard key.isTime else { return GroupedOverlap(key: key, groups: groups, trend: nil, trendGroups: []) }

    // The trend: periods with enough clusters of both roles and a defined index.
    var fitted: [(group: Int, time: Double, value: Double)] = []
    for (position, group) in order.enumerated() {
      guard let time = key.time(of: labels[group]), !groups[position].isInsufficient,
        let value = groups[position].figure("overlap_index")?.value
      else { continue }
      fitted.append((group, time, value))
    }
    let trend = trendFigure(fitted, key: key, space: space, units: unitsByGroup, replicates: replicates)
    return GroupedOverlap(
      key: key, groups: groups, trend: trend, trendGroups: fitted.map { labels[$0.group] })
  }

  /// Group indices in report order: periods in time order, other keys by `size` (most first,
  /// ties by label); the none group last.
  static func reportOrder(_ labels: [String], key: GroupKey, size: (Int) -> Int) -> [Int] {
    var order = labels.indices.filter { labels[$0] != GroupKey.noneLabel }
    if key.isTime {
      // Period labels (2021, 2021-Q1, 2021-03) sort as text in time order.
      order.sort { labels[$0] < labels[$1] }
    } else {
      order.sort { size($0) != size($1) ? size($0) > size($1) : labels[$0] < labels[$1] }
    }
    if let none = labels.firstIndex(of: GroupKey.noneLabel) { order.append(none) }
    return order
  }

  /// A group's seed: the run's, mixed with a hash of the group's label.
  static func groupSeed(_ seed: UInt64, label: String) -> UInt64 {
    var mixer = SeededGenerator(seed: seed ^ FNV1a.hash(label.utf8))
    return mixer.next()
  }

  // MARK: - Trend

  /// `trend_per_year`: the least-squares slope of the periods' `overlap_index` on their start
  /// (in years). Interval: percentile of the slopes refitted on each bootstrap replicate (each
  /// period's units resampled within each role, as for its own interval). p: two-sided
  /// permutation test of no trend, the periods' labels shuffled over the units within each role
  /// (so each period keeps its number of clusters of each role) and every period's index
  /// recomputed.
  func trendFigure(
    _ fitted: [(group: Int, time: Double, value: Double)], key: GroupKey, space: UnitSpace, units: [[Int]],
    replicates: [Int: [Double?]]
  ) -> OverlapFigure {
    let metric = "trend_per_year"
    let needed = 3
    let unit = key == .year ? "year" : (key == .quarter ? "quarter" : "month")
    guard fitted.count >= needed else {
      return OverlapFigure(
        metric: metric, value: nil,
        note:
          "insufficient: needs at least \(needed) \(unit)s with \(options.minimumClusters) clusters per role; \(fitted.count) have"
      )
    }
    let times = fitted.map(\.time)
    guard let slope = Self.slope(times, fitted.map(\.value)) else {
      return OverlapFigure(metric: metric, value: nil, note: "the periods' times do not vary")
    }
    // Bootstrap: replicate r of every period together.
    let count = fitted.map { replicates[$0.group]?.count ?? 0 }.min() ?? 0
    var slopes: [Double] = []
    for replicate in 0..<count {
      let values = fitted.compactMap { replicates[$0.group]?[replicate] }
      guard values.count == fitted.count, let value = Self.slope(times, values) else { continue }
      slopes.append(value)
    }
    let interval = Self.percentile(slopes, expected: count)

    var pValue: Double?
    if options.permutations > 0 {
      var unitsA: [Int] = []
      var unitsB: [Int] = []
      var labelsA: [Int] = []
      var labelsB: [Int] = []
      for (position, entry) in fitted.enumerated() {
        for member in units[entry.group] {
          if space.isB[member] {
            unitsB.append(member)
            labelsB.append(position)
          } else {
            unitsA.append(member)
            labelsA.append(position)
          }
        }
      }
      let seed = options.seed
      let periods = fitted.count
      let observed = abs(slope)
      let exceed = Self.parallelMap(
        options.permutations, jobs: options.jobs, state: { PeriodSums(dimension: space.dimension) }
      ) { sums, permutation -> Bool in
        var generator = Self.generator(seed: seed, stream: Stream.trendPermutation.rawValue, replicate: permutation)
        var shuffledA = labelsA
        var shuffledB = labelsB
        Self.shuffle(&shuffledA, using: &generator)
        Self.shuffle(&shuffledB, using: &generator)
        var membersA = [[Int]](repeating: [], count: periods)
        var membersB = [[Int]](repeating: [], count: periods)
        for (member, period) in zip(unitsA, shuffledA) { membersA[period].append(member) }
        for (member, period) in zip(unitsB, shuffledB) { membersB[period].append(member) }
        var values: [Double] = []
        for period in 0..<periods {
          guard let value = sums.index(membersA[period], membersB[period], space: space) else { return false }
          values.append(value)
        }
        guard let permuted = Self.slope(times, values) else { return false }
        // A relative tolerance, so that the identity permutation counts whatever the order
        // of summation.
        return abs(permuted) >= observed * (1 - 1e-9)
      }
      pValue = Double(1 + exceed.filter { $0 }.count) / Double(1 + options.permutations)
    }
    var note =
      "least-squares slope of overlap_index per year over \(fitted.count) \(unit)s with at least \(options.minimumClusters) clusters per role; 95% interval: cluster bootstrap within each \(unit); p: two-sided permutation test, \(unit)s shuffled over clusters within each role"
    if interval.missing > 0 { note += "; \(interval.missing) replicates undefined" }
    return OverlapFigure(
      metric: metric, value: slope, ciLow: interval.low, ciHigh: interval.high, pValue: pValue, note: note)
  }

  /// The least-squares slope of `y` on `x`; `nil` when `x` does not vary.
  static func slope(_ x: [Double], _ y: [Double]) -> Double? {
    guard x.count == y.count, x.count >= 2 else { return nil }
    let n = Double(x.count)
    let meanX = x.reduce(0, +) / n
    let meanY = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    for (xi, yi) in zip(x, y) {
      sxy += (xi - meanX) * (yi - meanY)
      sxx += (xi - meanX) * (xi - meanX)
    }
    return sxx > 0 ? sxy / sxx : nil
  }

  /// The overlap index of a period's units, from sparse sums: the cost is the units' entries,
  /// not the dimension (a permutation recomputes every period).
  struct PeriodSums {
    var a: [Double]
    var b: [Double]
    var touchedA: [Int32] = []
    var touchedB: [Int32] = []
    /// Per position and side: whether it is in `touchedA` / `touchedB`.
    var inA: [Bool]
    var inB: [Bool]

    init(dimension: Int) {
      a = [Double](repeating: 0, count: dimension)
      b = a
      inA = [Bool](repeating: false, count: dimension)
      inB = inA
    }

    mutating func index(_ unitsA: [Int], _ unitsB: [Int], space: UnitSpace) -> Double? {
      let (kA, kB) = (Double(unitsA.count), Double(unitsB.count))
      guard unitsA.count >= 2, unitsB.count >= 2 else { return nil }
      var selfA = 0.0
      var selfB = 0.0
      for unit in unitsA {
        Self.add(unit, space: space, into: &a, touched: &touchedA, marks: &inA)
        selfA += space.selfSquares[unit]
      }
      for unit in unitsB {
        Self.add(unit, space: space, into: &b, touched: &touchedB, marks: &inB)
        selfB += space.selfSquares[unit]
      }
      var squareA = 0.0
      var dot = 0.0
      for position in touchedA {
        squareA += a[Int(position)] * a[Int(position)]
        dot += a[Int(position)] * b[Int(position)]
      }
      var squareB = 0.0
      for position in touchedB { squareB += b[Int(position)] * b[Int(position)] }
      for position in touchedA {
        a[Int(position)] = 0
        inA[Int(position)] = false
      }
      for position in touchedB {
        b[Int(position)] = 0
        inB[Int(position)] = false
      }
      touchedA.removeAll(keepingCapacity: true)
      touchedB.removeAll(keepingCapacity: true)
      return OverlapMetrics.similarities(
        dotAB: dot, drawsA: kA, drawsB: kB, squareA: squareA, selfA: selfA, pairsA: kA * (kA - 1),
        squareB: squareB, selfB: selfB, pairsB: kB * (kB - 1)
      ).index
    }

    private static func add(
      _ unit: Int, space: UnitSpace, into sums: inout [Double], touched: inout [Int32], marks: inout [Bool]
    ) {
      for entry in space.starts[unit]..<space.starts[unit + 1] {
        let position = Int(space.positions[entry])
        if !marks[position] {
          marks[position] = true
          touched.append(space.positions[entry])
        }
        sums[position] += space.weights[entry]
      }
    }
  }
}
