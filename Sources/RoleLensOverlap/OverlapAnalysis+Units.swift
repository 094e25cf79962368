import RoleLensClassify

// MARK: - Resampling units

/// One resampling unit: the postings of one role in one cluster, as their mean.
struct Unit {
  var role: UInt8
  var key: UnitKey
  /// Postings in the unit.
  var size: Int
  /// Term ids in ascending order, with the mean L2-normalised TF-IDF weight and mean count.
  var ids: [Int32] = []
  var weights: [Double] = []
  var counts: [Double] = []
  /// Share of the unit's postings mentioning each skill (skills mentioned at all).
  var skills: [(Int, Double)] = []
  /// Share of the unit's postings whose body-only reading is each role, by role index.
  var bodyRoles: [Double] = []

  /// |u|², the squared norm of the mean weight vector.
  var selfSquare: Double { weights.reduce(0) { $0 + $1 * $1 } }
}

/// Turns postings, read back in input order, into units: a posting alone in its unit is its
/// own unit at once; the postings of a larger unit are summed until its last one is in.
///
/// Memory: only units still waiting for postings are held (sparse sums).
struct UnitCollector {
  private let sizes: [UnitKey: Int32]
  private var open: [UnitKey: Partial] = [:]

  private struct Partial {
    var members = 0
    var sums: [Int32: (weight: Double, count: Double)] = [:]
    var skills: [Int: Int] = [:]
    var bodyRoles: [Int] = []
  }

  /// Whether units are split by group too (the grouped figures' units).
  private let grouped: Bool

  init(sizes: [UnitKey: Int32], grouped: Bool = false) {
    self.sizes = sizes
    self.grouped = grouped
  }

  /// The last posting's entries (term ids with a positive count, and their counts).
  private(set) var lastIDs: [Int32] = []
  private(set) var lastCounts: [Int32] = []
  private(set) var lastKey = UnitKey(role: 0, cluster: 0)

  /// Adds one posting; returns its unit once complete.
  ///
  /// - Parameter weights: The posting's TF-IDF weights (`OverlapMetrics.tfidf`: the entries with
  ///   a positive count, in order, or none when every weight is 0).
  mutating func add(_ posting: SpilledPosting, weights: [(Int32, Double)]) -> Unit? {
    let key = UnitKey(role: posting.role, cluster: posting.cluster, group: grouped ? posting.group : -1)
    let size = Int(sizes[key] ?? 1)
    let roleCount = Role.allCases.count
    var ids: [Int32] = []
    var postingWeights: [Double] = []
    var counts: [Double] = []
    var wholeCounts: [Int32] = []
    ids.reserveCapacity(posting.vector.ids.count)
    wholeCounts.reserveCapacity(posting.vector.ids.count)
    var next = weights.startIndex
    for (id, count) in zip(posting.vector.ids, posting.vector.counts) where count > 0 {
      ids.append(id)
      counts.append(Double(count))
      wholeCounts.append(count)
      if next < weights.endIndex && weights[next].0 == id {
        postingWeights.append(weights[next].1)
        next += 1
      } else {
        postingWeights.append(0)
      }
    }
    (lastIDs, lastCounts, lastKey) = (ids, wholeCounts, key)
    if size <= 1 {
      var bodyRoles = [Double](repeating: 0, count: roleCount)
      if Int(posting.bodyRole) < roleCount { bodyRoles[Int(posting.bodyRole)] = 1 }
      return Unit(
        role: posting.role, key: key, size: 1, ids: ids, weights: postingWeights, counts: counts,
        skills: Set(posting.skills).sorted().map { ($0, 1) }, bodyRoles: bodyRoles)
    }
    var partial = open.removeValue(forKey: key) ?? Partial(bodyRoles: [Int](repeating: 0, count: roleCount))
    partial.members += 1
    for (index, id) in ids.enumerated() {
      let sum = partial.sums[id] ?? (0, 0)
      partial.sums[id] = (sum.weight + postingWeights[index], sum.count + counts[index])
    }
    for skill in Set(posting.skills) { partial.skills[skill, default: 0] += 1 }
    if Int(posting.bodyRole) < roleCount { partial.bodyRoles[Int(posting.bodyRole)] += 1 }
    guard partial.members >= size else {
      open[key] = partial
      return nil
    }
    let scale = 1 / Double(partial.members)
    var unit = Unit(role: posting.role, key: key, size: partial.members)
    for id in partial.sums.keys.sorted() {
      guard let sum = partial.sums[id] else { continue }
      unit.ids.append(id)
      unit.weights.append(sum.weight * scale)
      unit.counts.append(sum.count * scale)
    }
    unit.skills = partial.skills.keys.sorted().map { ($0, Double(partial.skills[$0] ?? 0) * scale) }
    unit.bodyRoles = partial.bodyRoles.map { Double($0) * scale }
    return unit
  }
}

// MARK: - Every role's sums

/// Each role's sum of unit vectors over the whole vocabulary, for `role_similarity.csv`.
struct RoleSums {
  /// By role index: Σ u over the role's units (dense, by term id), Σ |u|², and the unit count.
  var sums: [[Double]]
  var selfSquares: [Double]
  var units: [Int]
  let statistics: [Role: RoleStatistics]
  let present: [Role]

  init(vocabularySize: Int, statistics: [Role: RoleStatistics]) {
    self.statistics = statistics
    present = Role.allCases.filter { (statistics[$0]?.postings ?? 0) > 0 }
    sums = [[Double]](repeating: [], count: Role.allCases.count)
    for role in present { sums[role.index] = [Double](repeating: 0, count: vocabularySize) }
    selfSquares = [Double](repeating: 0, count: Role.allCases.count)
    units = [Int](repeating: 0, count: Role.allCases.count)
  }

  mutating func add(_ unit: Unit) {
    let role = Int(unit.role)
    guard role < sums.count, !sums[role].isEmpty else { return }
    for (id, weight) in zip(unit.ids, unit.weights) { sums[role][Int(id)] += weight }
    selfSquares[role] += unit.selfSquare
    units[role] += 1
  }

  /// The overlap index, raw cosine and raw top-term Jaccard of every pair of present roles.
  func similarities(topK: Int, minimumClusters: Int) -> [RoleSimilarity] {
    var top: [Int: [Int]] = [:]
    var squares: [Int: Double] = [:]
    for role in present {
      var counts = [Double](repeating: 0, count: sums[role.index].count)
      for tally in statistics[role]?.terms ?? TermTallies() { counts[Int(tally.id)] = Double(tally.occurrences) }
      top[role.index] = OverlapMetrics.topTermIndices(counts, k: topK)
      squares[role.index] = OverlapMetrics.dot(sums[role.index], sums[role.index])
    }
    var result: [RoleSimilarity] = []
    for (i, a) in present.enumerated() {
      for b in present[(i + 1)...] {
        let (ka, kb) = (units[a.index], units[b.index])
        let between = OverlapMetrics.dot(sums[a.index], sums[b.index])
        let index = OverlapMetrics.overlapIndex(
          between: between, squareA: squares[a.index] ?? 0, selfA: selfSquares[a.index], unitsA: Double(ka),
          squareB: squares[b.index] ?? 0, selfB: selfSquares[b.index], unitsB: Double(kb))
        let normA = (squares[a.index] ?? 0).squareRoot()
        let normB = (squares[b.index] ?? 0).squareRoot()
        var notes: [String] = []
        if min(ka, kb) < minimumClusters {
          notes.append("insufficient: \(ka) and \(kb) clusters, at least \(minimumClusters) per role are needed")
        }
        if index.value == nil { notes.append(index.reason) }
        result.append(
          RoleSimilarity(
            roleA: a, roleB: b, clustersA: ka, clustersB: kb, overlapIndex: index.value,
            cosine: normA > 0 && normB > 0 ? between / (normA * normB) : nil,
            jaccard: OverlapMetrics.jaccard(sorted: top[a.index] ?? [], top[b.index] ?? []),
            note: notes.joined(separator: "; ")))
      }
    }
    return result
  }
}

// MARK: - The pair's units

/// The units of the pair as sparse vectors over the terms they use, stored flat, so that point
/// estimates, replicates and permutations add into dense arrays instead of hashing.
///
/// Units are numbered 0..<n in the order they complete (input order of their last posting);
/// `starts[u]..<starts[u + 1]` are unit u's entries. Positions follow the terms' alphabetical
/// order, so ties in top-term rankings go to the term that sorts first, never to input order.
struct UnitSpace: Sendable {
  var dimension = 0
  var skillCount = 0
  var starts: [Int] = [0]
  var positions: [Int32] = []
  /// Mean L2-normalised TF-IDF weights and mean counts.
  var weights: [Double] = []
  var counts: [Double] = []
  /// Whether each unit is of role B (else A).
  var isB: [Bool] = []
  var sizes: [Int] = []
  /// |u|² of each unit.
  var selfSquares: [Double] = []
  /// `skillStarts[u]..<skillStarts[u + 1]` are unit u's skills and shares.
  var skillStarts: [Int] = [0]
  var skills: [Int] = []
  var skillShares: [Double] = []
  /// Share of each unit's postings whose body-only reading is the other role of the pair.
  var readsAsOther: [Double] = []
  /// The pair's postings' TF-IDF vectors, for the separability scores, and each posting's unit
  /// (a posting weighs 1/size of its unit there, so that every cluster weighs the same).
  var postings = PostingEntries()
  var postingUnit: [Int] = []
  /// The term id of each position.
  var termIDs: [Int32] = []
  var unitsA: [Int] = []
  var unitsB: [Int] = []
  /// Each unit's group (`OverlapAccumulator.groups` index), -1 when not grouped.
  var unitGroups: [Int32] = []

  var unitCount: Int { isB.count }

  /// Collects the pair's units as they complete.
  struct Builder {
    let roleA: UInt8
    let roleB: UInt8
    private var space = UnitSpace()
    private var unitIndex: [UnitKey: Int] = [:]
    private var postingKeys: [UnitKey] = []

    init(roleA: UInt8, roleB: UInt8) {
      self.roleA = roleA
      self.roleB = roleB
    }

    /// Makes room for `entries` posting entries in all (a hint: the space grows past it if
    /// need be), so that the pair's largest arrays are allocated once at their size instead of
    /// doubling, which holds the old copy and the new at once.
    mutating func reserve(postingEntries entries: Int) {
      space.postings.reserve(entries: entries)
    }

    /// Keeps a posting's entries if it belongs to the pair: its term ids and counts (those with
    /// a positive count) and the norm of its TF-IDF weights (`OverlapMetrics.tfidfWithNorm`).
    mutating func addPosting(ids: [Int32], counts: [Int32], norm: Double, key: UnitKey) {
      guard key.role == roleA || key.role == roleB else { return }
      space.postings.append(ids: ids, counts: counts, norm: norm)
      postingKeys.append(key)
    }

    /// Keeps `unit` if it belongs to the pair.
    mutating func add(_ unit: Unit) {
      guard unit.role == roleA || unit.role == roleB else { return }
      unitIndex[unit.key] = space.isB.count
      let isB = unit.role == roleB
      if isB { space.unitsB.append(space.isB.count) } else { space.unitsA.append(space.isB.count) }
      space.isB.append(isB)
      space.unitGroups.append(unit.key.group)
      space.sizes.append(unit.size)
      space.selfSquares.append(unit.selfSquare)
      space.positions += unit.ids
      space.weights += unit.weights
      space.counts += unit.counts
      space.starts.append(space.positions.count)
      for (skill, share) in unit.skills {
        space.skills.append(skill)
        space.skillShares.append(share)
      }
      space.skillStarts.append(space.skills.count)
      let other = Int(isB ? roleA : roleB)
      space.readsAsOther.append(other < unit.bodyRoles.count ? unit.bodyRoles[other] : 0)
    }

    /// The space, with term ids replaced by positions in the terms' alphabetical order; moved
    /// out of the builder. `idf` is every term's idf, by id.
    mutating func build(vocabulary: Vocabulary, skillCount: Int, idf: [Double]) -> UnitSpace {
      var space = UnitSpace()
      swap(&space, &self.space)
      // Each term made into a String once (terms are distinct as Strings, so the order is total).
      let ids = Set(space.positions).map { ($0, vocabulary.term($0)) }.sorted { $0.1 < $1.1 }.map(\.0)
      var position = [Int32](repeating: -1, count: vocabulary.count)
      for (index, id) in ids.enumerated() { position[Int(id)] = Int32(index) }
      for entry in space.postings.positions.indices {
        space.postings.positions[entry] = position[Int(space.postings.positions[entry])]
      }
      space.postings.idfs = ids.map { idf[Int($0)] }
      space.postingUnit = postingKeys.map { unitIndex[$0] ?? 0 }
      for unit in 0..<space.unitCount {
        let range = space.starts[unit]..<space.starts[unit + 1]
        var entries = range.map { (position[Int(space.positions[$0])], space.weights[$0], space.counts[$0]) }
        entries.sort { $0.0 < $1.0 }
        for (offset, entry) in zip(range, entries) {
          (space.positions[offset], space.weights[offset], space.counts[offset]) = entry
        }
      }
      space.termIDs = ids
      space.dimension = ids.count
      space.skillCount = skillCount
      return space
    }
  }

  /// Adds `multiplicity` × unit `unit`'s weights (and counts, when `counts` is given) into
  /// dense arrays of `dimension`.
  @inline(__always)
  func add(_ unit: Int, times multiplicity: Double, weightsInto sums: inout [Double]) {
    positions.withUnsafeBufferPointer { positions in
      weights.withUnsafeBufferPointer { weights in
        sums.withUnsafeMutableBufferPointer { sums in
          // Unchecked access in the resampling's hottest loop: positions are below `dimension`.
          for entry in starts[unit]..<starts[unit + 1] {
            sums[Int(positions[entry])] += multiplicity * weights[entry]
          }
        }
      }
    }
  }

  func add(_ unit: Int, countsInto sums: inout [Double]) {
    for entry in starts[unit]..<starts[unit + 1] { sums[Int(positions[entry])] += counts[entry] }
  }

  /// For each entry of each unit: the share of the unit's postings that use the term.
  func termShares() -> [Double] {
    var postingsOf = [[Int]](repeating: [], count: unitCount)
    for (posting, unit) in postingUnit.enumerated() { postingsOf[unit].append(posting) }
    var scratch = [Int](repeating: 0, count: dimension)
    var shares = [Double](repeating: 1, count: positions.count)
    for unit in 0..<unitCount where sizes[unit] > 1 {
      for posting in postingsOf[unit] {
        for entry in postings.starts[posting]..<postings.starts[posting + 1] {
          scratch[Int(postings.positions[entry])] += 1
        }
      }
      let members = Double(max(postingsOf[unit].count, 1))
      for entry in starts[unit]..<starts[unit + 1] {
        let position = Int(positions[entry])
        shares[entry] = Double(scratch[position]) / members
        scratch[position] = 0
      }
    }
    return shares
  }
}

// MARK: - A group's units

extension UnitSpace {
  /// The space of `units` alone (ascending unit indices) and their postings, positions
  /// renumbered to the terms they use (in the same alphabetical order).
  ///
  /// - Parameters:
  ///   - postingsByUnit: Each unit's postings (indices into `postingUnit`).
  ///   - scratch: `dimension` entries of -1, returned so (reused across groups, so that many
  ///     small groups cost what their entries cost).
  func subspace(_ units: [Int], postingsByUnit: [[Int]], scratch: inout [Int32]) -> UnitSpace {
    var sub = UnitSpace()
    sub.skillCount = skillCount
    var used: [Int32] = []
    for unit in units {
      for entry in starts[unit]..<starts[unit + 1] where scratch[Int(positions[entry])] < 0 {
        scratch[Int(positions[entry])] = 0
        used.append(positions[entry])
      }
    }
    // The units' postings, in input order (a posting's terms are among its unit's).
    let postingsOf = units.flatMap { postingsByUnit[$0] }.sorted()
    used.sort()
    for (index, position) in used.enumerated() { scratch[Int(position)] = Int32(index) }
    var newIndex: [Int: Int] = [:]
    for unit in units {
      let index = sub.isB.count
      newIndex[unit] = index
      if isB[unit] { sub.unitsB.append(index) } else { sub.unitsA.append(index) }
      sub.isB.append(isB[unit])
      sub.unitGroups.append(unitGroups.isEmpty ? -1 : unitGroups[unit])
      sub.sizes.append(sizes[unit])
      sub.selfSquares.append(selfSquares[unit])
      for entry in starts[unit]..<starts[unit + 1] {
        sub.positions.append(scratch[Int(positions[entry])])
        sub.weights.append(weights[entry])
        sub.counts.append(counts[entry])
      }
      sub.starts.append(sub.positions.count)
      for entry in skillStarts[unit]..<skillStarts[unit + 1] {
        sub.skills.append(skills[entry])
        sub.skillShares.append(skillShares[entry])
      }
      sub.skillStarts.append(sub.skills.count)
      sub.readsAsOther.append(readsAsOther[unit])
    }
    for posting in postingsOf {
      sub.postings.append(postings, posting: posting) { scratch[Int($0)] }
      sub.postingUnit.append(newIndex[postingUnit[posting]] ?? 0)
    }
    sub.postings.idfs = used.map { postings.idfs[Int($0)] }
    sub.termIDs = used.map { termIDs[Int($0)] }
    sub.dimension = used.count
    for position in used { scratch[Int(position)] = -1 }
    return sub
  }
}
