import RoleLensStorage

/// MinHash signatures of word shingles, for finding near-duplicate postings (the same posting
/// saved once per city, or reposted with a new date).
///
/// The Jaccard similarity of two postings' shingle sets is estimated by the share of signature
/// positions where their minimum hashes agree (Broder 1997).
public struct MinHash: Sendable {
  /// Signature length.
  public let size: Int
  /// Words per shingle.
  public let shingleLength: Int
  private let seeds: [UInt64]
  /// Each seed with the first step of `mix` applied (`s ^ s >> 30`): the shift distributes
  /// over the xor, so `mix(h ^ s)` starts from `(h ^ h >> 30) ^ premixed`, and a shingle's part
  /// of that step is done once rather than once per hash function.
  private let premixed: [UInt64]

  /// A MinHash of `size` hash functions over shingles of `shingleLength` words; both must be
  /// positive. The hash seeds are fixed, so signatures are the same in every run.
  public init(size: Int = 64, shingleLength: Int = 5) {
    precondition(size > 0 && shingleLength > 0, "MinHash needs a positive size and shingle length")
    self.size = size
    self.shingleLength = shingleLength
    var state: UInt64 = 0x5EED_0F_D0C5
    seeds = (0..<size).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      return Self.mix(state)
    }
    premixed = seeds.map { $0 ^ ($0 >> 30) }
  }

  /// The signature of a token sequence, or `nil` when it has fewer tokens than one shingle.
  ///
  /// A shingle's hash is FNV-1a over its tokens' UTF-8 bytes, each followed by 0x1F.
  ///
  /// - Complexity: O(n · size) for n tokens.
  public func signature(_ tokens: [String]) -> [UInt64]? {
    guard tokens.count >= shingleLength else { return nil }
    var minimums = [UInt64](repeating: .max, count: size)
    minimums.withUnsafeMutableBufferPointer { minimums in
      for start in 0...(tokens.count - shingleLength) {
        var hasher = FNV1a()
        for token in tokens[start..<(start + shingleLength)] {
          hasher.combine(token.utf8)
          hasher.combine(0x1F)
        }
        lower(minimums, by: hasher.value)
      }
    }
    return minimums
  }

  /// The signature of a token sequence given as ids of `words`, or `nil` when it has fewer
  /// tokens than one shingle: the same signature as `signature(_:)` of the words' Strings,
  /// hashed from the table's bytes.
  ///
  /// - Complexity: O(n · size) for n tokens.
  public func signature(_ tokens: [Int32], words: WordTable) -> [UInt64]? {
    guard tokens.count >= shingleLength else { return nil }
    var minimums = [UInt64](repeating: .max, count: size)
    let shingleLength = shingleLength
    words.withStorage { bytes, starts in
      tokens.withUnsafeBufferPointer { tokens in
        minimums.withUnsafeMutableBufferPointer { minimums in
          for start in 0...(tokens.count - shingleLength) {
            var hash = FNV1a.offsetBasis
            for token in tokens[start..<(start + shingleLength)] {
              for offset in Int(starts[Int(token)])..<Int(starts[Int(token) + 1]) {
                hash = (hash ^ UInt64(bytes[offset])) &* FNV1a.prime
              }
              hash = (hash ^ 0x1F) &* FNV1a.prime
            }
            lower(minimums, by: hash)
          }
        }
      }
    }
    return minimums
  }

  /// Lowers each position of `minimums` to its hash function's value of a shingle hash:
  /// `mix(hash ^ seed)`, four positions per step.
  @inline(__always)
  private func lower(_ minimums: UnsafeMutableBufferPointer<UInt64>, by hash: UInt64) {
    let shingle = hash ^ (hash >> 30)
    @inline(__always)
    func value(_ premixed: UInt64) -> UInt64 {
      var z = (shingle ^ premixed) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    premixed.withUnsafeBufferPointer { premixed in
      let count = minimums.count
      var index = 0
      while index + 4 <= count {
        minimums[index] = min(minimums[index], value(premixed[index]))
        minimums[index + 1] = min(minimums[index + 1], value(premixed[index + 1]))
        minimums[index + 2] = min(minimums[index + 2], value(premixed[index + 2]))
        minimums[index + 3] = min(minimums[index + 3], value(premixed[index + 3]))
        index += 4
      }
      while index < count {
        minimums[index] = min(minimums[index], value(premixed[index]))
        index += 1
      }
    }
  }

  /// The estimated Jaccard similarity of two signatures.
  public static func similarity(_ a: [UInt64], _ b: [UInt64]) -> Double {
    precondition(a.count == b.count, "signatures must have the same size")
    guard !a.isEmpty else { return 0 }
    var equal = 0
    for index in a.indices where a[index] == b[index] { equal += 1 }
    return Double(equal) / Double(a.count)
  }

  /// SplitMix64's finaliser: a cheap, well-mixed 64-bit hash.
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Finds near-duplicates among signatures added in order, with locality-sensitive hashing:
/// signatures are cut into bands, and only postings sharing a band are compared.
///
/// Memory per posting is kept small, since a run indexes every posting: signatures are stored
/// flat with 32 bits per position (two different minimum hashes agree on their low 32 bits with
/// probability 2⁻³², far below the estimate's own error), each band's postings are chained
/// through flat tables instead of an array per bucket, and the tables grow by whole blocks
/// (`RowBlocks`), never by copying what they hold.
///
/// A bucket's chain also links each posting to the latest earlier one with a smaller original,
/// so that a lookup passes over the postings that cannot lower the original it has found: a
/// thousand copies of one posting are one step, not a thousand (which made lookups quadratic
/// in the number of copies).
public struct NearDuplicateIndex: Sendable {
  /// Estimated Jaccard similarity at or above which a posting is a duplicate.
  public let threshold: Double
  private let bands: Int
  /// Per band: bucket key → the latest posting in that bucket.
  private var latest: [[UInt32: Int32]]
  /// Per posting (row) and band (column): the previous posting in the same bucket, or -1.
  private var previous: RowBlocks<Int32>
  /// Per posting and band: the latest earlier posting in the same bucket whose original is
  /// smaller than this posting's, or -1 (the postings in between have originals at least as
  /// large).
  private var previousSmaller: RowBlocks<Int32>
  /// Signature positions, `size` per posting, truncated to 32 bits.
  private var signatures = RowBlocks<UInt32>(width: 0)
  private var size = 0
  /// Per posting: the earliest posting it duplicates (itself when new).
  private var originals: [Int32] = []
  /// Per posting: the index of the latest posting that compared it and found it dissimilar
  /// (each pair is compared once, however many bands the two share).
  private var checked: [Int32] = []
  /// The fewest equal positions whose share, `Double(equal) / Double(size)`, reaches
  /// `threshold`.
  private var equalNeeded = 0

  /// - Parameters:
  ///   - threshold: Similarity that makes a duplicate (default 0.8).
  ///   - bands: Bands of the signature; with 64 positions, 16 bands of 4 find pairs above
  ///     about 0.5 similarity with high probability, and the threshold then decides.
  public init(threshold: Double = 0.8, bands: Int = 16) {
    self.threshold = threshold
    self.bands = bands
    latest = [[UInt32: Int32]](repeating: [:], count: bands)
    previous = RowBlocks(width: bands)
    previousSmaller = RowBlocks(width: bands)
  }

  /// Postings indexed.
  public var count: Int { originals.count }

  /// Adds a signature; returns the index (in order of addition) of the earliest posting it
  /// duplicates, or `nil` when it is new. Every signature must have the same size.
  public mutating func add(_ signature: [UInt64]) -> Int? {
    if originals.isEmpty {
      size = signature.count
      signatures = RowBlocks(width: size)
      equalNeeded = (0...size).first { Double($0) / Double(max(size, 1)) >= threshold } ?? size + 1
    }
    precondition(signature.count == size, "signatures must have the same size")
    let index = originals.count
    let truncated = signature.map { UInt32(truncatingIfNeeded: $0) }
    let rows = max(size / bands, 1)
    // Per band: the posting's bucket and that bucket's latest posting (-1 when empty).
    var keys: [UInt32] = []
    var heads: [Int32] = []
    keys.reserveCapacity(bands)
    heads.reserveCapacity(bands)
    var best: Int32?
    for band in 0..<bands {
      var key: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
      for position in (band * rows)..<min((band + 1) * rows, size) {
        key = MinHash.mix(key ^ signature[position])
      }
      let bucket = UInt32(truncatingIfNeeded: key)
      let head = latest[band][bucket] ?? -1
      keys.append(bucket)
      heads.append(head)
      // The earliest original among the similar postings, whatever order they are met in: a
      // posting whose original is not below the best found so far cannot lower it, and neither
      // can the postings between it and its `previousSmaller`.
      var candidate = head
      while candidate >= 0 {
        let original = originals[Int(candidate)]
        // A candidate met again in a later band was found dissimilar already (a similar one
        // lowered `best` to its original or below, so it is not compared again either).
        if best.map({ original < $0 }) ?? true, checked[Int(candidate)] != Int32(index) {
          if isSimilar(truncated, Int(candidate)) {
            best = original
          } else {
            checked[Int(candidate)] = Int32(index)
          }
        }
        let passed = best.map { original >= $0 } ?? false
        candidate = passed ? previousSmaller[Int(candidate), band] : previous[Int(candidate), band]
      }
    }
    let original = best ?? Int32(index)
    signatures.append(truncated)
    originals.append(original)
    checked.append(-1)
    // Duplicates are indexed too, so a posting near a duplicate (C near B near A) finds its
    // original through it.
    var smallerRow: [Int32] = []
    for (band, key) in keys.enumerated() {
      // The latest posting of the bucket with a smaller original: each step passes over
      // postings whose originals are at least the step's, so at least this posting's.
      var smaller = heads[band]
      while smaller >= 0 && originals[Int(smaller)] >= original { smaller = previousSmaller[Int(smaller), band] }
      smallerRow.append(smaller)
      latest[band][key] = Int32(index)
    }
    previous.append(heads)
    previousSmaller.append(smallerRow)
    return best.map(Int.init)
  }

  /// Whether `signature` agrees with posting `index`'s in enough positions: the share of equal
  /// positions is at least `threshold` (compared as a count, `equalNeeded`, with the same result).
  @inline(__always)
  private func isSimilar(_ signature: [UInt32], _ index: Int) -> Bool {
    guard size > 0 else { return 0 >= threshold }
    let needed = equalNeeded
    return signatures.withRow(index) { row in
      signature.withUnsafeBufferPointer { signature in
        var equal = 0
        // Branch-free counting, which the compiler vectorises.
        for position in 0..<size { equal &+= row[position] == signature[position] ? 1 : 0 }
        return equal >= needed
      }
    }
  }

}
