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

  public init(size: Int = 64, shingleLength: Int = 5) {
    precondition(size > 0 && shingleLength > 0, "MinHash needs a positive size and shingle length")
    self.size = size
    self.shingleLength = shingleLength
    var state: UInt64 = 0x5EED_0F_D0C5
    seeds = (0..<size).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      return Self.mix(state)
    }
  }

  /// The signature of a token sequence, or `nil` when it has fewer tokens than one shingle.
  ///
  /// - Complexity: O(n · size) for n tokens.
  public func signature(_ tokens: [String]) -> [UInt64]? {
    guard tokens.count >= shingleLength else { return nil }
    var minimums = [UInt64](repeating: .max, count: size)
    for start in 0...(tokens.count - shingleLength) {
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for token in tokens[start..<(start + shingleLength)] {
        for byte in token.utf8 {
          hash ^= UInt64(byte)
          hash = hash &* 0x100_0000_01b3
        }
        hash ^= 0x1F
        hash = hash &* 0x100_0000_01b3
      }
      for index in 0..<size {
        let value = Self.mix(hash ^ seeds[index])
        if value < minimums[index] { minimums[index] = value }
      }
    }
    return minimums
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
public struct NearDuplicateIndex: Sendable {
  /// Estimated Jaccard similarity at or above which a posting is a duplicate.
  public let threshold: Double
  private let bands: Int
  private var buckets: [[UInt64: [Int]]]
  private var signatures: [[UInt64]] = []
  private var originals: [Int] = []

  /// - Parameters:
  ///   - threshold: Similarity that makes a duplicate (default 0.8).
  ///   - bands: Bands of the signature; with 64 positions, 16 bands of 4 find pairs above
  ///     about 0.5 similarity with high probability, and the threshold then decides.
  public init(threshold: Double = 0.8, bands: Int = 16) {
    self.threshold = threshold
    self.bands = bands
    buckets = [[UInt64: [Int]]](repeating: [:], count: bands)
  }

  /// Adds a signature; returns the index (in order of addition) of the earliest posting it
  /// duplicates, or `nil` when it is new.
  public mutating func add(_ signature: [UInt64]) -> Int? {
    let index = signatures.count
    let rows = max(signature.count / bands, 1)
    var keys: [UInt64] = []
    var best: Int?
    for band in 0..<bands {
      var key: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
      for position in (band * rows)..<min((band + 1) * rows, signature.count) {
        key = MinHash.mix(key ^ signature[position])
      }
      keys.append(key)
      for candidate in buckets[band][key] ?? [] where best == nil || originals[candidate] < best ?? .max {
        if MinHash.similarity(signature, signatures[candidate]) >= threshold {
          best = originals[candidate]
        }
      }
    }
    signatures.append(signature)
    originals.append(best ?? index)
    // Duplicates are indexed too, so a posting near a duplicate (C near B near A) finds its
    // original through it.
    for (band, key) in keys.enumerated() { buckets[band][key, default: []].append(index) }
    return best
  }
}
