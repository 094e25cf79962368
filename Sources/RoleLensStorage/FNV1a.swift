/// FNV-1a, 64 bits: the one cheap, stable byte hash of the package (lexicon hashes, duplicate
/// fingerprints, shingle hashes, tag names). Stable across runs and platforms, unlike `Hasher`.
/// Its members are inlinable, so a loop in another module hashes without a call per byte.
public struct FNV1a: Sendable {
  /// The FNV-1a 64-bit offset basis.
  @inlinable public static var offsetBasis: UInt64 { 0xcbf2_9ce4_8422_2325 }
  /// The FNV-1a 64-bit prime.
  @inlinable public static var prime: UInt64 { 0x100_0000_01b3 }

  /// The hash of the bytes combined so far.
  public var value: UInt64

  /// A hash of no bytes yet (the offset basis), or continuing from `value`.
  @inlinable
  public init(value: UInt64 = FNV1a.offsetBasis) {
    self.value = value
  }

  /// Combines one byte.
  @inlinable @inline(__always)
  public mutating func combine(_ byte: UInt8) {
    value = (value ^ UInt64(byte)) &* Self.prime
  }

  /// Combines every byte of `bytes`, in order.
  @inlinable @inline(__always)
  public mutating func combine(_ bytes: some Sequence<UInt8>) {
    for byte in bytes { combine(byte) }
  }

  /// The FNV-1a hash of `bytes`.
  @inlinable
  public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hasher = FNV1a()
    hasher.combine(bytes)
    return hasher.value
  }

  /// The hash as 16 lowercase hex digits.
  package static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
