/// The pair's postings as sparse TF-IDF vectors, for the separability scores, in 5 bytes per
/// entry where the weights themselves would take 12.
///
/// A posting's weight for a term is `(1 + ln count) × idf / norm` (`OverlapMetrics.tfidf`). It
/// is recomputed on use from the term's position, a one-byte count code and the posting's norm,
/// by the same operations in the same order, so it is the same `Double` `tfidf` returns: the
/// figures do not change. Counts below 255 are their own code; a larger count (rare: a term
/// written 255 times in one posting) is code 255, its factor `1 + ln count` kept aside by entry.
///
/// `starts[p]..<starts[p + 1]` are posting p's entries. Positions are term ids while the
/// postings are read and the terms' positions in the pair's space once it is built (`idfs` is
/// then indexed by position).
struct PostingEntries: Sendable {
  var starts: [Int] = [0]
  var positions: [Int32] = []
  var codes: [UInt8] = []
  /// `1 + ln count` of the entries whose count is 255 or more, by entry.
  var largeFactors: [Int: Double] = [:]
  /// Each posting's norm, `.infinity` for a posting whose weights are all 0 (any finite
  /// numerator divided by it is 0).
  var norms: [Double] = []
  /// The idf of each position.
  var idfs: [Double] = []

  /// `1 + ln count` for the counts below 255 (code 0 is never used: entries have a count).
  static let factors: [Double] = (0..<255).map { OverlapMetrics.termFrequencyFactor(count: Int32($0)) }
  static let largeCode: UInt8 = 255

  /// Postings stored.
  var count: Int { norms.count }

  mutating func reserve(entries: Int) {
    positions.reserveCapacity(entries)
    codes.reserveCapacity(entries)
  }

  /// Appends a posting: its term ids and counts (the entries with a positive count, ascending)
  /// and the norm `OverlapMetrics.tfidfWithNorm` divided its weights by (0 when it had none).
  mutating func append(ids: [Int32], counts: [Int32], norm: Double) {
    precondition(ids.count == counts.count, "a posting's ids and counts must pair up")
    for (id, count) in zip(ids, counts) {
      if count >= 0 && count < Int32(Self.largeCode) {
        codes.append(UInt8(count))
      } else {
        largeFactors[positions.count] = OverlapMetrics.termFrequencyFactor(count: count)
        codes.append(Self.largeCode)
      }
      positions.append(id)
    }
    starts.append(positions.count)
    norms.append(norm > 0 ? norm : .infinity)
  }

  /// Appends entries `range` of `other` as one posting, positions mapped through `position`
  /// (a group's subspace).
  mutating func append(_ other: PostingEntries, posting: Int, position: (Int32) -> Int32) {
    for entry in other.starts[posting]..<other.starts[posting + 1] {
      if other.codes[entry] == Self.largeCode { largeFactors[positions.count] = other.largeFactors[entry] }
      codes.append(other.codes[entry])
      positions.append(position(other.positions[entry]))
    }
    starts.append(positions.count)
    norms.append(other.norms[posting])
  }

  /// The weight of entry `entry`, of a posting whose norm is `norm`.
  @inline(__always)
  func weight(_ entry: Int, norm: Double) -> Double {
    let code = codes[entry]
    let factor = code == Self.largeCode ? largeFactors[entry] ?? 0 : Self.factors[Int(code)]
    return factor * idfs[Int(positions[entry])] / norm
  }
}
