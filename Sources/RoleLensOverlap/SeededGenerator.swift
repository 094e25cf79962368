/// A small, fast, seedable random number generator (SplitMix64), so that bootstrap intervals
/// are the same for the same seed on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// A generator whose stream is fixed by `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits of the stream (SplitMix64).
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound` (bound > 0), by Lemire's multiply-shift, which is
  /// deterministic given the stream (unlike `Int.random(in:using:)`, whose algorithm may change).
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0, "nextIndex(below:) needs a positive bound")
    let product = next().multipliedFullWidth(by: UInt64(bound))
    return Int(product.high)
  }
}
