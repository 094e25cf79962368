import RoleLensStorage

/// Distinct byte strings (normalised words, terms) interned as dense ids in first-seen order,
/// their UTF-8 bytes back to back in one buffer and their FNV-1a hashes kept: a text's tokens
/// become ids into one table instead of a `String` each.
///
/// Ids are byte-exact: two spellings with different bytes get different ids, as the MinHash
/// shingles and fingerprints, which hash bytes, need. Each id also has a `canonical` id, the
/// first interned spelling whose `String` is equal (`==`, Unicode canonical equivalence), for
/// what compares words as Strings (term counts, phrase matching). ASCII bytes are equal as
/// Strings exactly when they are equal as bytes, so only words with other scalars are looked up
/// through a `String`, once per distinct spelling.
///
/// A word table is a value: a copy interns on its own.
public struct WordTable: Sendable {
  /// The bytes of every entry, in id order.
  private var storage: [UInt8] = []
  /// Where each entry's bytes start in `storage`, then the end of the last one.
  private var starts: [Int32] = [0]
  /// The FNV-1a hash of each entry's bytes.
  package private(set) var hashes: [UInt64] = []
  /// Per entry: the first entry whose String equals it (itself for every ASCII entry).
  package private(set) var canonical: [Int32] = []
  /// Open addressing by hash, 0 for an empty slot. A slot holds `tag << 24 | (id + 1)` while
  /// `id + 1` fits 24 bits, `tag` being the hash's top 7 bits (`tag(of:)`), so that most probes
  /// of another entry are told apart without reading the entry's hash (a cache miss in a large
  /// table); a later entry's slot holds `-(id + 1)` and is checked through `hashes`.
  private var slots: [Int32]
  /// `slots.count - 1` (the count is a power of 2).
  private var mask: Int
  /// The first entry of each String of non-ASCII bytes, by that String.
  private var unicodeClasses: [String: Int32] = [:]

  /// Ids below this are stored with a tag in their slot (`1 << 24 - 1`, or less for tests).
  private let taggedLimit: Int32

  /// An empty table with room for about `capacity` entries before it grows.
  public init(capacity: Int = 64) { self.init(capacity: capacity, taggedLimit: 1 << 24 - 1) }

  /// An empty table whose ids from `taggedLimit` on are stored untagged (for tests of that path).
  package init(capacity: Int, taggedLimit: Int32) {
    precondition(taggedLimit > 0 && taggedLimit < 1 << 24, "tagged ids must fit 24 bits")
    self.taggedLimit = taggedLimit
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: 0, count: size)
    mask = size - 1
  }

  /// The number of entries.
  public var count: Int { hashes.count }

  /// The FNV-1a hash of `bytes`, as `hashes` holds.
  @inline(__always)
  package static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash = FNV1a.offsetBasis
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* FNV1a.prime }
    return hash
  }

  /// Continues the FNV-1a hash `hash` over the words of `tokens`, each followed by
  /// `separator`: the hash of the token texts joined and ended by the separator.
  ///
  /// - Complexity: O(total bytes of the tokens' words).
  package func combine(_ tokens: [WordToken], separator: UInt8, into hash: inout UInt64) {
    var value = hash
    storage.withUnsafeBufferPointer { bytes in
      starts.withUnsafeBufferPointer { starts in
        for token in tokens {
          for offset in Int(starts[Int(token.word)])..<Int(starts[Int(token.word) + 1]) {
            value = (value ^ UInt64(bytes[offset])) &* FNV1a.prime
          }
          value = (value ^ UInt64(separator)) &* FNV1a.prime
        }
      }
    }
    hash = value
  }

  /// The id of `bytes`, adding an entry when no entry has these bytes.
  ///
  /// - Parameter hash: `WordTable.hash(bytes)`.
  /// - Complexity: O(length of `bytes`) expected; O(length) more, and a `String`, for the first
  ///   occurrence of a non-ASCII spelling.
  @inline(__always)
  package mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
    var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if let id = match(entry, bytes, hash: hash) { return id }
      slot = (slot + 1) & mask
    }
    let id = Int32(count)
    storage.append(contentsOf: bytes)
    starts.append(Int32(storage.count))
    hashes.append(hash)
    slots[slot] = slotValue(id, hash: hash)
    if bytes.contains(where: { $0 >= 0x80 }) {
      let text = String(decoding: bytes, as: UTF8.self)
      if let first = unicodeClasses[text] {
        canonical.append(first)
      } else {
        unicodeClasses[text] = id
        canonical.append(id)
      }
    } else {
      canonical.append(id)
    }
    if count * 2 > slots.count { grow() }
    return id
  }

  /// The id of `text`'s bytes, adding an entry when no entry has them.
  package mutating func intern(_ text: String) -> Int32 {
    var text = text
    return text.withUTF8 { intern($0, hash: Self.hash($0)) }
  }

  /// The id of the entry with exactly `bytes`, or `nil`.
  ///
  /// - Parameter hash: `WordTable.hash(bytes)`.
  package func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
    var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { return nil }
      if let id = match(entry, bytes, hash: hash) { return id }
      slot = (slot + 1) & mask
    }
  }

  /// The top 7 bits of a hash.
  @inline(__always)
  private static func tag(of hash: UInt64) -> Int32 { Int32(truncatingIfNeeded: hash >> 57) }

  /// The slot value of entry `id` with `hash`.
  @inline(__always)
  private func slotValue(_ id: Int32, hash: UInt64) -> Int32 {
    id < taggedLimit ? Self.tag(of: hash) << 24 | (id + 1) : -(id + 1)
  }

  /// The id of the entry in slot value `entry` (not 0) if it has exactly `bytes` (hashed to
  /// `hash`).
  @inline(__always)
  private func match(_ entry: Int32, _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
    if entry > 0 {
      guard entry >> 24 == Self.tag(of: hash) else { return nil }
      let id = (entry & 0xFF_FFFF) - 1
      return equals(Int(id), bytes) ? id : nil
    }
    let id = -entry - 1
    return hashes[Int(id)] == hash && equals(Int(id), bytes) ? id : nil
  }

  /// The first entry whose String equals the String of `bytes` (canonical equivalence), or
  /// `nil`: the entry a `[String: _]` dictionary would have found.
  ///
  /// - Parameter hash: `WordTable.hash(bytes)`.
  package func findEqual(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
    if let id = find(bytes, hash: hash) { return canonical[Int(id)] }
    guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
    return unicodeClasses[String(decoding: bytes, as: UTF8.self)]
  }

  /// The first entry whose String equals `text`, or `nil`.
  package func findEqual(_ text: String) -> Int32? {
    var text = text
    return text.withUTF8 { findEqual($0, hash: Self.hash($0)) }
  }

  /// Calls `body` with the bytes of entry `id`.
  @inline(__always)
  package func withBytes<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    let start = Int(starts[Int(id)])
    let end = Int(starts[Int(id) + 1])
    return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
  }

  /// Calls `body` with every entry's bytes back to back and the start offsets (`count + 1` of
  /// them: entry `id` is `bytes[starts[id]..<starts[id + 1]]`).
  package func withStorage<R>(
    _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ starts: UnsafeBufferPointer<Int32>) throws -> R
  ) rethrows -> R {
    try storage.withUnsafeBufferPointer { bytes in try starts.withUnsafeBufferPointer { try body(bytes, $0) } }
  }

  /// The byte length of entry `id`.
  package func length(_ id: Int32) -> Int { Int(starts[Int(id) + 1] - starts[Int(id)]) }

  /// Entry `id` as a String.
  public func string(_ id: Int32) -> String {
    withBytes(id) { String(decoding: $0, as: UTF8.self) }
  }

  private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = Int(starts[id])
    let end = Int(starts[id + 1])
    guard end - start == bytes.count else { return false }
    return storage.withUnsafeBufferPointer { stored in
      guard let base = stored.baseAddress, let other = bytes.baseAddress else { return bytes.isEmpty }
      return memcmpEqual(base + start, other, bytes.count)
    }
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [Int32](repeating: 0, count: size)
    mask = size - 1
    for (index, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = slotValue(Int32(index), hash: hash)
    }
  }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  for index in 0..<count where a[index] != b[index] { return false }
  return true
}
