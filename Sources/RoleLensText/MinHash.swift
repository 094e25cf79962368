import RoleLensStorage

/// MinHash signatures of word shingles, for finding near-duplicate postings (the same posting
/// saved once per city, or reposted with a new date).
///
/// The Jaccard similarity of two postings' shingle sets is estimated by the share of signature
/// positions where their minimum hashes agree (Broder 1997). The signature is a one-permutation
/// MinHash (Li, Owen and Zhang 2012): each shingle is hashed once, the hash's high bits pick one
/// of `size` bins, and each bin keeps its smallest hash. Bins no shingle fell into borrow the
/// value of another bin, found by probing with a fixed hash sequence per bin ("optimal
/// densification", Shrivastava 2017), which keeps the share of equal positions an unbiased
/// estimate of the Jaccard similarity for short texts too. One hash per shingle, where `size`
/// independent hash functions cost `size` hashes per shingle.
public struct MinHash: Sendable {
  /// Signature length.
  public let size: Int
  /// Words per shingle.
  public let shingleLength: Int
  /// Seed of the one hash function over shingle hashes.
  private let seed: UInt64
  /// Seed of the densification probes.
  private let probeSeed: UInt64

  /// A MinHash of `size` bins over shingles of `shingleLength` words; both must be positive.
  /// The seeds are fixed, so signatures are the same in every run.
  public init(size: Int = 64, shingleLength: Int = 5) {
    precondition(size > 0 && shingleLength > 0, "MinHash needs a positive size and shingle length")
    self.size = size
    self.shingleLength = shingleLength
    seed = Self.mix(0x5EED_0F_D0C5 &+ 0x9E37_79B9_7F4A_7C15)
    probeSeed = Self.mix(seed ^ 0xD3E5_17F1_C4A0_B92D)
  }

  /// The signature of a token sequence, or `nil` when it has fewer tokens than one shingle.
  ///
  /// A shingle's hash is FNV-1a over its tokens' UTF-8 bytes, each followed by 0x1F.
  ///
  /// - Complexity: O(n + size) for n tokens (expected; the probes of empty bins).
  public func signature(_ tokens: [String]) -> [UInt64]? {
    guard tokens.count >= shingleLength else { return nil }
    var bins = [UInt64](repeating: .max, count: size)
    bins.withUnsafeMutableBufferPointer { bins in
      for start in 0...(tokens.count - shingleLength) {
        var hasher = FNV1a()
        for token in tokens[start..<(start + shingleLength)] {
          hasher.combine(token.utf8)
          hasher.combine(0x1F)
        }
        lower(bins, by: hasher.value)
      }
    }
    densify(&bins)
    return bins
  }

  /// The signature of a token sequence given as ids of `words`, or `nil` when it has fewer
  /// tokens than one shingle: the same signature as `signature(_:)` of the words' Strings,
  /// hashed from the table's bytes.
  ///
  /// - Complexity: O(n + size) for n tokens (expected).
  public func signature(_ tokens: [Int32], words: WordTable) -> [UInt64]? {
    guard tokens.count >= shingleLength else { return nil }
    var bins = [UInt64](repeating: .max, count: size)
    let shingleLength = shingleLength
    words.withStorage { bytes, starts in
      tokens.withUnsafeBufferPointer { tokens in
        bins.withUnsafeMutableBufferPointer { bins in
          for start in 0...(tokens.count - shingleLength) {
            var hash = FNV1a.offsetBasis
            for token in tokens[start..<(start + shingleLength)] {
              for offset in Int(starts[Int(token)])..<Int(starts[Int(token) + 1]) {
                hash = (hash ^ UInt64(bytes[offset])) &* FNV1a.prime
              }
              hash = (hash ^ 0x1F) &* FNV1a.prime
            }
            lower(bins, by: hash)
          }
        }
      }
    }
    densify(&bins)
    return bins
  }

  /// The bin of a hashed value: its high bits scaled to `0..<size`.
  @inline(__always)
  private func bin(_ value: UInt64) -> Int {
    Int(truncatingIfNeeded: value.multipliedFullWidth(by: UInt64(size)).high)
  }

  /// Lowers the bin of a shingle hash to that hash's value, `mix(hash ^ seed)`, if smaller.
  /// Within a bin the values share their high bits, so the smallest value is the smallest hash.
  @inline(__always)
  private func lower(_ bins: UnsafeMutableBufferPointer<UInt64>, by hash: UInt64) {
    let value = Self.mix(hash ^ seed)
    let index = bin(value)
    if value < bins[index] { bins[index] = value }
  }

  /// Fills each empty bin (still `.max`) with the value of the first non-empty bin in its probe
  /// sequence: `bin(mix(probeSeed ^ bin << 32 ^ attempt))` for attempts 1, 2, …, the same in
  /// every signature. Only values a shingle put there are borrowed. After `4 · size` probes
  /// without a hit (a text of very few shingles), the next non-empty bin in order is taken.
  private func densify(_ bins: inout [UInt64]) {
    let source = bins
    for index in 0..<size where source[index] == .max {
      var found: UInt64?
      for attempt in 1...UInt64(4 * size) {
        let probe = bin(Self.mix(probeSeed ^ (UInt64(index) << 32) ^ attempt))
        if source[probe] != .max {
          found = source[probe]
          break
        }
      }
      if found == nil {
        found = (1..<size).lazy.map { source[(index + $0) % self.size] }.first { $0 != .max }
      }
      // A signature has at least one shingle, so some bin is filled.
      bins[index] = found ?? .max
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
  @inline(__always)
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
/// flat with 16 bits per position (two different minimum hashes agree on their low 16 bits with
/// probability 2⁻¹⁶: a comparison of 64 positions gains a false agreement about once in 5,000
/// comparisons of a pair near the 0.8 threshold, where a position more or less is 0.016 of
/// similarity), each band's postings are chained through flat tables of 16-bit distances
/// (`ChainLinks`) instead of an array per bucket, and the tables grow by whole blocks
/// (`RowBlocks`), never by copying what they hold.
///
/// A bucket's chain also links each posting to the latest earlier one with a smaller original,
/// so that a lookup passes over the postings that cannot lower the original it has found: a
/// thousand copies of one posting are one step, not a thousand (which made lookups quadratic
/// in the number of copies).
///
/// A lookup takes at most `stepLimit` steps along each band's chain, latest postings first, so
/// the cost of adding a posting is bounded whatever the corpus. Below the limit the index finds
/// every similar posting that shares a band; a bucket with more postings than the limit whose
/// originals are earlier than the best found (a band value common to many unrelated postings,
/// such as a shared boilerplate sentence, which carries little evidence of a copy) is searched
/// among its latest postings only, and a copy found through no other band is then missed.
public struct NearDuplicateIndex: Sendable {
  /// Estimated Jaccard similarity at or above which a posting is a duplicate.
  public let threshold: Double
  private let bands: Int
  /// Per band: bucket key → the latest posting in that bucket.
  private var latest: [BucketHeads]
  /// Per posting (row) and band (column): the previous posting in the same bucket, or -1.
  private var previous: ChainLinks
  /// Per posting and band: the latest earlier posting in the same bucket whose original is
  /// smaller than this posting's, or -1 (the postings in between have originals at least as
  /// large). Kept for duplicates only, in the row `smallerRows` gives: a new posting's original
  /// is itself, later than every earlier posting's, so its links are its `previous` ones.
  private var previousSmaller: ChainLinks
  /// Per posting: its row of `previousSmaller`, or -1 when it is new.
  private var smallerRows = BlockArray<Int32>()
  /// Signature positions, `size` per posting, truncated to 16 bits (the bands are keyed by
  /// the whole values): in a temporary file when the index has a spill directory, read back
  /// only for candidates whose sketch agrees often enough.
  private var signatures: RowFile<UInt16>
  /// Per posting: the low 4 bits of each truncated position, two to a byte (`sketchWidth`
  /// bytes, the last half byte 0 when `size` is odd). Two signatures agree in at least as many
  /// sketch positions as truncated ones, so a candidate whose sketch agrees in fewer than
  /// `equalNeeded` positions is not similar, without reading its signature.
  private var sketches = RowBlocks<UInt8>(width: 0)
  private var size = 0
  private var sketchWidth = 0
  private let spillDirectory: String?
  /// Signatures gathered in memory before they are written to the spill file together (tests
  /// make it small, so that a few signatures reach the file).
  var spillRowsPerWrite = 4096
  /// Per posting: the earliest posting it duplicates (itself when new).
  private var originals = BlockArray<Int32>()
  /// The candidates the current lookup compared and found dissimilar (each pair is compared
  /// once, however many bands the two share).
  private var dissimilar = CandidateSet()
  /// The fewest equal positions whose share, `Double(equal) / Double(size)`, reaches
  /// `threshold`.
  private var equalNeeded = 0

  /// Steps a lookup takes at most along one band's chain.
  public let stepLimit: Int

  /// - Parameters:
  ///   - threshold: Similarity that makes a duplicate (default 0.8).
  ///   - bands: Bands of the signature; with 64 positions, 16 bands of 4 find pairs above
  ///     about 0.5 similarity with high probability, and the threshold then decides.
  ///   - stepLimit: Steps along each band's chain per lookup (default 64); `Int.max` searches
  ///     every bucket whole.
  ///   - spillDirectory: Where the signatures go, in a temporary file (unlinked at once), so
  ///     that the index's memory is its links, bucket heads and sketches; `nil` (the default)
  ///     keeps them in memory. The answers are the same.
  public init(threshold: Double = 0.8, bands: Int = 16, stepLimit: Int = 64, spillDirectory: String? = nil) {
    precondition(stepLimit > 0, "a lookup needs at least one step per band")
    self.threshold = threshold
    self.bands = bands
    self.stepLimit = stepLimit
    self.spillDirectory = spillDirectory
    signatures = RowFile(width: 0, directory: nil)
    latest = [BucketHeads](repeating: BucketHeads(), count: bands)
    previous = ChainLinks(width: bands)
    previousSmaller = ChainLinks(width: bands)
  }

  /// Postings indexed.
  public var count: Int { originals.count }

  /// The first failure to read a signature back from the spill file (an I/O error): the
  /// answers since are not to be trusted, and the run should stop with it.
  package var readFailure: SpillFile.Failure? { signatures.failure }

  /// Adds a signature; returns the index (in order of addition) of the earliest posting it
  /// duplicates, or `nil` when it is new. Every signature must have the same size.
  public mutating func add(_ signature: [UInt64]) -> Int? {
    if originals.count == 0 {
      size = signature.count
      sketchWidth = (size + 1) / 2
      signatures = RowFile(
        width: size, directory: spillDirectory, prefix: "rolelens-signatures", rowsPerWrite: spillRowsPerWrite)
      sketches = RowBlocks(width: sketchWidth)
      equalNeeded = (0...size).first { Double($0) / Double(max(size, 1)) >= threshold } ?? size + 1
    }
    precondition(signature.count == size, "signatures must have the same size")
    // The signatures' table is shared by copies of the index: a copy that adds gets its own.
    if !isKnownUniquelyReferenced(&signatures) { signatures = signatures.copy() }
    let index = originals.count
    let truncated = signature.map { UInt16(truncatingIfNeeded: $0) }
    var sketch = [UInt8](repeating: 0, count: sketchWidth)
    for (position, value) in truncated.enumerated() {
      sketch[position / 2] |= UInt8(truncatingIfNeeded: value & 0xF) << (position % 2 == 0 ? 0 : 4)
    }
    let rows = max(size / bands, 1)
    // Per band: the posting's bucket and that bucket's latest posting (-1 when empty).
    var keys: [UInt32] = []
    var heads: [Int32] = []
    keys.reserveCapacity(bands)
    heads.reserveCapacity(bands)
    var best: Int32?
    dissimilar.removeAll()
    for band in 0..<bands {
      var key: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
      for position in (band * rows)..<min((band + 1) * rows, size) {
        key = MinHash.mix(key ^ signature[position])
      }
      let bucket = UInt32(truncatingIfNeeded: key)
      let head = latest[band].head(bucket)
      keys.append(bucket)
      heads.append(head)
      // The earliest original among the similar postings, whatever order they are met in: a
      // posting whose original is not below the best found so far cannot lower it, and neither
      // can the postings between it and its `previousSmaller`.
      var candidate = head
      var steps = 0
      while candidate >= 0 && steps < stepLimit {
        steps += 1
        let original = originals[Int(candidate)]
        // A candidate met again in a later band was found dissimilar already (a similar one
        // lowered `best` to its original or below, so it is not compared again either).
        if best.map({ original < $0 }) ?? true, !dissimilar.contains(candidate) {
          if isSimilar(truncated, sketch: sketch, Int(candidate)) {
            best = original
          } else {
            dissimilar.insert(candidate)
          }
        }
        let passed = best.map { original >= $0 } ?? false
        candidate = passed ? smallerLink(Int(candidate), band) : previous[Int(candidate), band]
      }
    }
    let original = best ?? Int32(index)
    signatures.append(truncated)
    sketches.append(sketch)
    originals.append(original)
    // Duplicates are indexed too, so a posting near a duplicate (C near B near A) finds its
    // original through it.
    var smallerRow: [Int32] = []
    for (band, key) in keys.enumerated() {
      // The latest posting of the bucket with a smaller original: each step passes over
      // postings whose originals are at least the step's, so at least this posting's.
      // Bounded like a lookup: past the limit the link ends the chain (-1), and lookups that
      // pass this posting stop there.
      var smaller = heads[band]
      var steps = 0
      while smaller >= 0 && originals[Int(smaller)] >= original {
        steps += 1
        smaller = steps < stepLimit ? smallerLink(Int(smaller), band) : -1
      }
      smallerRow.append(smaller)
      latest[band].setHead(key, Int32(index))
    }
    previous.append(heads)
    if best == nil {
      assert(smallerRow == heads, "a new posting's smaller links are its previous ones")
      smallerRows.append(-1)
    } else {
      smallerRows.append(Int32(previousSmaller.count))
      previousSmaller.append(smallerRow, from: index)
    }
    return best.map(Int.init)
  }

  /// Posting `posting`'s `previousSmaller` link in `band`.
  @inline(__always)
  private func smallerLink(_ posting: Int, _ band: Int) -> Int32 {
    let row = smallerRows[posting]
    return row < 0 ? previous[posting, band] : previousSmaller[Int(row), band, from: posting]
  }

  /// Whether `signature` agrees with posting `index`'s in enough positions: the share of equal
  /// positions is at least `threshold` (compared as a count, `equalNeeded`, with the same result).
  /// The sketches are compared first; the signature is read only when they agree often enough.
  @inline(__always)
  private func isSimilar(_ signature: [UInt16], sketch: [UInt8], _ index: Int) -> Bool {
    guard size > 0 else { return 0 >= threshold }
    let needed = equalNeeded
    let sketchAgrees = sketches.withRow(index) { row in
      sketch.withUnsafeBufferPointer { sketch in
        var equal = 0
        for byte in 0..<sketchWidth {
          let difference = row[byte] ^ sketch[byte]
          equal &+= (difference & 0x0F == 0 ? 1 : 0) &+ (difference & 0xF0 == 0 ? 1 : 0)
        }
        return equal >= needed
      }
    }
    guard sketchAgrees else { return false }
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
