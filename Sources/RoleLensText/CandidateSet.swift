/// The candidates one lookup of the near-duplicate index compared and found dissimilar, so
/// that each pair is compared once however many bands the two share: a set of posting numbers
/// in open addressing, emptied in O(1) per lookup by stamping (a slot holds the lookup's stamp
/// beside the posting, and slots of earlier stamps are empty).
///
/// It replaces a number per posting (the last lookup that found it dissimilar): its memory is
/// the most candidates one lookup compares, not the run's postings.
struct CandidateSet: Sendable {
  /// `stamp << 32 | posting`; a slot of another stamp is empty.
  private var slots = [UInt64](repeating: 0, count: 256)
  private var stamp: UInt64 = 0
  private var count = 0

  /// Empties the set (a new lookup).
  mutating func removeAll() {
    stamp += 1
    count = 0
  }

  @inline(__always)
  private func home(_ posting: Int32) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: posting)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & (slots.count - 1)
  }

  /// Whether `posting` is in the set.
  @inline(__always)
  func contains(_ posting: Int32) -> Bool {
    let entry = stamp << 32 | UInt64(UInt32(bitPattern: posting))
    var slot = home(posting)
    while true {
      let current = slots[slot]
      if current == entry { return true }
      if current >> 32 != stamp { return false }
      slot = (slot + 1) & (slots.count - 1)
    }
  }

  /// Adds `posting`.
  mutating func insert(_ posting: Int32) {
    if (count + 1) * 2 > slots.count {
      let live = slots.filter { $0 >> 32 == stamp }
      slots = [UInt64](repeating: 0, count: slots.count * 2)
      count = 0
      for entry in live { insert(Int32(bitPattern: UInt32(truncatingIfNeeded: entry))) }
    }
    let entry = stamp << 32 | UInt64(UInt32(bitPattern: posting))
    var slot = home(posting)
    while true {
      let current = slots[slot]
      if current == entry { return }
      if current >> 32 != stamp {
        slots[slot] = entry
        count += 1
        return
      }
      slot = (slot + 1) & (slots.count - 1)
    }
  }
}
