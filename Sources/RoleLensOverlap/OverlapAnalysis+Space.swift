import RoleLensClassify

extension OverlapAnalysis {
  // MARK: - The pair's postings

  /// The postings of the pair as sparse vectors over the terms they use, stored flat, so that
  /// point estimates and thousands of bootstrap replicates add into dense arrays instead of
  /// hashing or allocating.
  ///
  /// Postings are numbered 0..<n in input order; `starts[p]..<starts[p + 1]` are posting p's
  /// entries in `positions`, `counts` and `weights` (its term vector's order; the weight of an
  /// entry with no positive count is 0, which adds nothing to any sum).
  ///
  /// The space is the largest thing a run holds at its end (13 bytes per entry), so a count
  /// takes one byte: counts of 0–254 are stored as they are, and any other count as 255 with
  /// its value in `largeCounts`.
  struct Space: Sendable {
    /// Distinct terms of the pair's postings; positions follow term ids, so ties in top-term
    /// rankings go to the term seen first in the input.
    var dimension: Int
    var skillCount: Int
    var topK: Int
    var starts: [Int]
    var positions: [Int32]
    /// Term counts up to 254; 255 means the count is in `largeCounts`.
    var counts: [UInt8]
    /// Counts that do not fit in a byte, by entry.
    var largeCounts: [Int: Int32]
    /// L2-normalised TF-IDF weights.
    var weights: [Double]
    /// Cross-validation fold of each posting (its index in the whole run, modulo `folds`).
    var folds: [UInt8]
    /// Bit `role.index` is set for each role the posting scores as.
    var scoresAs: [UInt32]
    /// `skillStarts[p]..<skillStarts[p + 1]` are posting p's skills in `skills`.
    var skillStarts: [Int]
    var skills: [Int]

    /// A space with no postings.
    static let empty = Space(
      dimension: 0, skillCount: 0, topK: 0, starts: [0], positions: [], counts: [], largeCounts: [:], weights: [],
      folds: [], scoresAs: [], skillStarts: [0], skills: [])

    /// The byte that stands for counts kept in `largeCounts`.
    static let largeCount = UInt8.max

    /// The count of entry `entry`.
    func count(_ entry: Int) -> Int32 {
      let small = counts[entry]
      return small == Self.largeCount ? largeCounts[entry] ?? 0 : Int32(small)
    }

    /// Collects the pair's postings as they are read back, in input order.
    struct Builder {
      let roleA: UInt8
      let roleB: UInt8
      /// Role A's and B's postings (indices into the pair's postings).
      var postingsA: [Int] = []
      var postingsB: [Int] = []
      private var space = Space.empty
      var entryCount: Int { space.positions.count }

      init(roleA: UInt8, roleB: UInt8) {
        self.roleA = roleA
        self.roleB = roleB
      }

      /// Sizes the arrays for `postings` postings with `entries` term entries in all, so they
      /// are allocated once, at their final size (the space is the bootstrap's largest memory).
      mutating func reserve(postings: Int, entries: Int) {
        space.positions.reserveCapacity(entries)
        space.counts.reserveCapacity(entries)
        space.weights.reserveCapacity(entries)
        space.starts.reserveCapacity(postings + 1)
        space.folds.reserveCapacity(postings)
        space.scoresAs.reserveCapacity(postings)
        space.skillStarts.reserveCapacity(postings + 1)
      }

      /// Keeps `posting` if it belongs to the pair.
      ///
      /// - Parameters:
      ///   - index: The posting's position in the run.
      ///   - weights: Its TF-IDF weights (`OverlapMetrics.tfidf`).
      mutating func add(_ posting: SpilledPosting, index: Int, weights: [(Int32, Double)]) {
        guard posting.role == roleA || posting.role == roleB else { return }
        let number = space.folds.count
        if posting.role == roleA { postingsA.append(number) }
        if posting.role == roleB { postingsB.append(number) }
        space.folds.append(UInt8(index % OverlapAnalysis.folds))
        space.scoresAs.append(posting.scoresAs)
        space.skills += posting.skills
        space.skillStarts.append(space.skills.count)
        // tfidf keeps the entries with a positive count, in order, or none when all weigh 0.
        var next = weights.startIndex
        for (id, count) in zip(posting.vector.ids, posting.vector.counts) {
          if count >= 0 && count < Int32(Space.largeCount) {
            space.counts.append(UInt8(count))
          } else {
            space.largeCounts[space.positions.count] = count
            space.counts.append(Space.largeCount)
          }
          space.positions.append(id)
          if count > 0 && next < weights.endIndex {
            space.weights.append(weights[next].1)
            next += 1
          } else {
            space.weights.append(0)
          }
        }
        space.starts.append(space.positions.count)
      }

      /// The space, with term ids replaced by positions among the pair's distinct terms; moved
      /// out of the builder (no second copy of its arrays).
      mutating func build(vocabularySize: Int, skillCount: Int, topK: Int) -> Space {
        var space = Space.empty
        swap(&space, &self.space)
        var position = [Int32](repeating: -1, count: vocabularySize)
        for id in space.positions { position[Int(id)] = 0 }
        var dimension: Int32 = 0
        for id in position.indices where position[id] == 0 {
          position[id] = dimension
          dimension += 1
        }
        for entry in space.positions.indices { space.positions[entry] = position[Int(space.positions[entry])] }
        space.dimension = Int(dimension)
        space.skillCount = skillCount
        space.topK = topK
        return space
      }
    }

    // MARK: - Metrics

    /// Every metric of `OverlapAnalysis.metrics`, in order, for the samples `a` and `b` (postings,
    /// repeated when the bootstrap draws them more than once).
    ///
    /// - Parameter scratch: Buffers of `dimension` terms, reused between calls.
    /// - Complexity: O((|a| + |b|) · t + d) for t terms per posting and d = `dimension`.
    func metrics(a: [Int], b: [Int], roleA: Role, roleB: Role, scratch: inout Scratch) -> [Double] {
      scratch.a.add(a, of: self)
      scratch.b.add(b, of: self)
      let separability = separability(a: a, b: b, scratch: &scratch)
      let topA = OverlapMetrics.topTermIndices(scratch.a.counts, k: topK)
      let topB = OverlapMetrics.topTermIndices(scratch.b.counts, k: topK)
      return [
        OverlapMetrics.jaccard(sorted: topA, topB),
        OverlapMetrics.weightedJaccard(scratch.a.counts, scratch.b.counts),
        // The centroids are the mean weight vectors.
        OverlapMetrics.cosine(
          scratch.a.total, dividedBy: Double(max(a.count, 1)), scratch.b.total, dividedBy: Double(max(b.count, 1))),
        OverlapMetrics.jensenShannon(scratch.a.counts, scratch.b.counts),
        OverlapMetrics.overlapCoefficient(skillShares(a), skillShares(b)),
        share(a, scoringAs: roleB),
        share(b, scoringAs: roleA),
        separability,
      ]
    }

    func skillShares(_ sample: [Int]) -> [Double] {
      var postings = [Int](repeating: 0, count: skillCount)
      for posting in sample {
        for skill in skills[skillStarts[posting]..<skillStarts[posting + 1]] where skill >= 0 && skill < skillCount {
          postings[skill] += 1
        }
      }
      let n = Double(max(sample.count, 1))
      return postings.map { Double($0) / n }
    }

    func share(_ sample: [Int], scoringAs role: Role) -> Double {
      guard !sample.isEmpty else { return 0 }
      let bit = UInt32(1) << UInt32(role.index)
      let hits = sample.reduce(0) { $0 + (scoresAs[$1] & bit != 0 ? 1 : 0) }
      return Double(hits) / Double(sample.count)
    }

    /// How well body text alone tells A from B: the cross-validated AUC of a nearest-centroid
    /// classifier (score = cosine to A's TF-IDF centroid − cosine to B's, centroids from the
    /// other folds). 0.5 = indistinguishable, 1 = perfectly separable. A posting's fold follows
    /// its index, so a posting drawn twice by the bootstrap never trains and tests itself.
    ///
    /// - Parameter scratch: The samples' sums, from `Sums.add(_:of:)`.
    func separability(a: [Int], b: [Int], scratch: inout Scratch) -> Double {
      let folds = OverlapAnalysis.folds
      let normsA = scratch.a.trainingNorms()
      let normsB = scratch.b.trainingNorms()
      // A posting drawn more than once has the same score each time: score it once.
      scratch.generation += 1
      let generation = scratch.generation
      var scoresA: [Double] = []
      var scoresB: [Double] = []
      scoresA.reserveCapacity(a.count)
      scoresB.reserveCapacity(b.count)
      for fold in 0..<folds {
        guard normsA[fold] > 0, normsB[fold] > 0 else { continue }
        var unscored: [Int] = []
        for posting in a where Int(self.folds[posting]) == fold && scratch.scored[posting] != generation {
          scratch.scored[posting] = generation
          unscored.append(posting)
        }
        for posting in b where Int(self.folds[posting]) == fold && scratch.scored[posting] != generation {
          scratch.scored[posting] = generation
          unscored.append(posting)
        }
        for pair in stride(from: 0, to: unscored.count, by: 2) {
          let p = unscored[pair]
          let q = pair + 1 < unscored.count ? unscored[pair + 1] : nil
          let (scoreP, scoreQ) = scores(p, q, fold: fold, scratch: scratch)
          // Document vectors are unit length, so these are cosines.
          scratch.score[p] = scoreP.a / normsA[fold] - scoreP.b / normsB[fold]
          if let q { scratch.score[q] = scoreQ.a / normsA[fold] - scoreQ.b / normsB[fold] }
        }
        for posting in a where Int(self.folds[posting]) == fold { scoresA.append(scratch.score[posting]) }
        for posting in b where Int(self.folds[posting]) == fold { scoresB.append(scratch.score[posting]) }
      }
      return OverlapMetrics.auc(positives: scoresA, negatives: scoresB)
    }

    /// The dot products of postings `p` and `q` with A's and B's training sums of `fold` (the
    /// sums over the other folds), each summed in entry order. Two postings at a time, so that
    /// the processor overlaps their four chains of additions.
    private func scores(_ p: Int, _ q: Int?, fold: Int, scratch: Scratch)
      -> (p: (a: Double, b: Double), q: (a: Double, b: Double))
    {
      var (dotPA, dotPB, dotQA, dotQB) = (0.0, 0.0, 0.0, 0.0)
      // Unchecked access, as in `Sums.add`: positions are below the sums' dimension.
      scratch.a.cells.withUnsafeBufferPointer { cellsA in
        scratch.b.cells.withUnsafeBufferPointer { cellsB in
          positions.withUnsafeBufferPointer { positions in
            weights.withUnsafeBufferPointer { weights in
              func training(_ entry: Int) -> (a: Double, b: Double) {
                let cell = Int(positions[entry]) &* Sums.stride
                let slot = cell &+ Sums.foldOffset &+ fold
                return (cellsA[cell &+ Sums.totalOffset] - cellsA[slot], cellsB[cell &+ Sums.totalOffset] - cellsB[slot])
              }
              var i = starts[p]
              let endP = starts[p + 1]
              var j = q.map { starts[$0] } ?? 0
              let endQ = q.map { starts[$0 + 1] } ?? 0
              while i < endP && j < endQ {
                let (trainP, trainQ) = (training(i), training(j))
                dotPA += weights[i] * trainP.a
                dotPB += weights[i] * trainP.b
                dotQA += weights[j] * trainQ.a
                dotQB += weights[j] * trainQ.b
                i &+= 1
                j &+= 1
              }
              while i < endP {
                let train = training(i)
                dotPA += weights[i] * train.a
                dotPB += weights[i] * train.b
                i &+= 1
              }
              while j < endQ {
                let train = training(j)
                dotQA += weights[j] * train.a
                dotQB += weights[j] * train.b
                j &+= 1
              }
            }
          }
        }
      }
      return ((dotPA, dotPB), (dotQA, dotQB))
    }
  }

  // MARK: - Scratch buffers

  /// A sample's sums over the space, by term position.
  struct Sums {
    /// Doubles per position in `cells`: the TF-IDF weight total (the un-normalised centroid),
    /// the total of each fold's postings, the term count, and padding, so that everything
    /// summed for a position lies together (one 64-byte cache line with 5 folds).
    static let stride = OverlapAnalysis.folds + 3
    static let totalOffset = 0
    static let foldOffset = 1
    static let countOffset = OverlapAnalysis.folds + 1

    let dimension: Int
    /// The sums, `stride` per position.
    var cells: [Double]
    /// Term counts, by position (copied out of `cells` for the metric functions).
    var counts: [Double]
    /// TF-IDF weight totals, by position (copied out of `cells`).
    var total: [Double]

    init(dimension: Int) {
      self.dimension = dimension
      cells = [Double](repeating: 0, count: dimension * Self.stride)
      counts = [Double](repeating: 0, count: dimension)
      total = counts
    }

    /// Replaces the sums by those of `sample`, adding its postings in sample order (the order
    /// every position's sum follows).
    ///
    /// - Complexity: O(|sample| · t + d) for t terms per posting and d = `dimension`.
    mutating func add(_ sample: [Int], of space: Space) {
      // Unchecked access in the hottest loop of the bootstrap: every position is below
      // `dimension` (the space maps term ids to positions) and every fold below `folds`.
      cells.withUnsafeMutableBufferPointer { cells in
        cells.update(repeating: 0)
        space.positions.withUnsafeBufferPointer { positions in
          space.weights.withUnsafeBufferPointer { weights in
            space.counts.withUnsafeBufferPointer { counts in
              for posting in sample {
                let fold = Self.foldOffset &+ Int(space.folds[posting])
                for entry in space.starts[posting]..<space.starts[posting + 1] {
                  let cell = Int(positions[entry]) &* Self.stride
                  let weight = weights[entry]
                  cells[cell &+ Self.totalOffset] += weight
                  cells[cell &+ fold] += weight
                  let count = counts[entry]
                  cells[cell &+ Self.countOffset] +=
                    count == Space.largeCount ? Double(space.count(entry)) : Double(count)
                }
              }
            }
          }
        }
      }
      for position in 0..<dimension {
        counts[position] = cells[position * Self.stride + Self.countOffset]
        total[position] = cells[position * Self.stride + Self.totalOffset]
      }
    }

    /// For each fold, the L2 norm of the sums over every other fold (the training centroid's
    /// norm, up to the number of postings), each summed in position order; one pass for all.
    func trainingNorms() -> [Double] {
      let folds = OverlapAnalysis.folds
      var squares = [Double](repeating: 0, count: folds)
      for position in 0..<dimension {
        let cell = position * Self.stride
        for fold in 0..<folds {
          let training = cells[cell + Self.totalOffset] - cells[cell + Self.foldOffset + fold]
          squares[fold] += training * training
        }
      }
      return squares.map { $0.squareRoot() }
    }
  }

  /// One worker's buffers for the metrics of a pair of samples.
  struct Scratch {
    var a: Sums
    var b: Sums
    /// Separability score of each posting of the space, valid where `scored` equals `generation`.
    var score: [Double]
    var scored: [Int]
    var generation = 0

    init(space: Space) {
      a = Sums(dimension: space.dimension)
      b = a
      score = [Double](repeating: 0, count: space.folds.count)
      scored = [Int](repeating: 0, count: space.folds.count)
    }
  }
}
