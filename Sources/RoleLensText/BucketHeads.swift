/// The latest posting of each bucket of one band: a hash table from 32-bit bucket keys to
/// posting numbers, in one array of 8-byte slots (open addressing, linear probing).
///
/// The near-duplicate index keeps one per band, with an entry for every distinct bucket, so it
/// is a large share of the index's memory. A `Dictionary` grows by doubling at three quarters
/// full, so it is between 3/8 and 3/4 full; this table grows by half at 13/16 full, so it stays
/// between 13/24 and 13/16 full (about a fifth less memory on average) and holds its old and new
/// slots at once only for a growth of half its size.
struct BucketHeads: Sendable {
  /// `key << 32 | (posting + 1)`, or 0 for an empty slot.
  private var slots: [UInt64] = []
  /// Entries held.
  private(set) var count = 0

  /// The latest posting of bucket `key`, or -1.
  ///
  /// - Complexity: O(1) expected (the slots probed from the key's home slot to an empty one).
  @inline(__always)
  func head(_ key: UInt32) -> Int32 {
    guard !slots.isEmpty else { return -1 }
    return slots.withUnsafeBufferPointer { slots in
      var slot = Self.home(key, capacity: slots.count)
      while true {
        let entry = slots[slot]
        if entry == 0 { return -1 }
        if UInt32(truncatingIfNeeded: entry >> 32) == key { return Self.posting(entry) }
        slot = slot + 1 == slots.count ? 0 : slot + 1
      }
    }
  }

  /// Makes `posting` the latest posting of bucket `key`.
  mutating func setHead(_ key: UInt32, _ posting: Int32) {
    precondition(posting >= 0, "a bucket's head is a posting")
    if (count + 1) * 16 > slots.count * 13 { grow() }
    let entry = UInt64(key) << 32 | UInt64(UInt32(posting) + 1)
    slots.withUnsafeMutableBufferPointer { slots in
      var slot = Self.home(key, capacity: slots.count)
      while true {
        let current = slots[slot]
        if current == 0 {
          slots[slot] = entry
          count += 1
          return
        }
        if UInt32(truncatingIfNeeded: current >> 32) == key {
          slots[slot] = entry
          return
        }
        slot = slot + 1 == slots.count ? 0 : slot + 1
      }
    }
  }

  @inline(__always)
  private static func posting(_ entry: UInt64) -> Int32 { Int32(truncatingIfNeeded: (entry & 0xFFFF_FFFF) - 1) }

  /// The key's home slot: its position scaled to the capacity (keys are hash values, uniform
  /// over 32 bits, so any capacity works, not only powers of two).
  @inline(__always)
  private static func home(_ key: UInt32, capacity: Int) -> Int {
    Int((UInt64(key) &* UInt64(capacity)) >> 32)
  }

  private mutating func grow() {
    let old = slots
    slots = [UInt64](repeating: 0, count: max(16, old.count + old.count / 2))
    count = 0
    for entry in old where entry != 0 {
      setHead(UInt32(truncatingIfNeeded: entry >> 32), Self.posting(entry))
    }
  }
}
