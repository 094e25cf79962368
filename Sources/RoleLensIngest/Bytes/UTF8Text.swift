/// Small readers of valid UTF-8 bytes for the byte-level text path: scalars, white space,
/// ASCII case folding and ASCII phrase search.
///
/// Every function takes bytes that came out of a `String` (so valid UTF-8) and never reads
/// outside them.
enum UTF8Text {
  /// The scalar starting at `index` (a lead byte) and its length in bytes.
  @inline(__always)
  static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
    let lead = bytes[index]
    if lead < 0x80 { return (UInt32(lead), 1) }
    if lead < 0xE0 {
      return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2)
    }
    if lead < 0xF0 {
      return (
        UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3
      )
    }
    return (
      UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
        | UInt32(bytes[index + 3] & 0x3F), 4
    )
  }

  /// The index of the lead byte of the scalar that ends just before `end`.
  @inline(__always)
  static func scalarStart(in bytes: UnsafeBufferPointer<UInt8>, before end: Int) -> Int {
    var index = end - 1
    while index > 0 && bytes[index] & 0xC0 == 0x80 { index -= 1 }
    return index
  }

  /// How many scalars `bytes[range]` holds (its Characters, for simple text).
  @inline(__always)
  static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
    var count = 0
    for index in range where bytes[index] & 0xC0 != 0x80 { count += 1 }
    return count
  }

  /// Whether `value` has the Unicode White_Space property (what `trimmingWhitespace` trims).
  @inline(__always)
  static func isWhitespace(_ value: UInt32) -> Bool {
    if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
    return Unicode.Scalar(value)?.properties.isWhitespace ?? false
  }

  /// `range` without the white-space scalars at either end.
  static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
    var start = range.lowerBound
    var end = range.upperBound
    while start < end {
      let (value, length) = scalar(in: bytes, at: start)
      guard isWhitespace(value) else { break }
      start += length
    }
    while end > start {
      let lead = scalarStart(in: bytes, before: end)
      guard isWhitespace(scalar(in: bytes, at: lead).value) else { break }
      end = lead
    }
    return start..<end
  }

  /// `byte` lowercased if it is an ASCII capital.
  @inline(__always)
  static func lowerASCII(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
  }

  /// Whether the ASCII-lowercased `bytes[range]` holds `phrase` (lowercase ASCII). Non-ASCII
  /// bytes match nothing in an ASCII phrase, so for text without U+0130 or U+212A (the only
  /// scalars whose lowercase holds ASCII) this is `lowercased().has(phrase)`.
  ///
  /// - Complexity: O(n · m) worst case, linear in practice.
  static func foldedContains(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ phrase: [UInt8]) -> Bool {
    let length = phrase.count
    guard length > 0 else { return true }
    guard length <= range.count else { return false }
    let first = phrase[0]
    var index = range.lowerBound
    let last = range.upperBound - length
    while index <= last {
      if lowerASCII(bytes[index]) == first {
        var offset = 1
        while offset < length && lowerASCII(bytes[index + offset]) == phrase[offset] { offset += 1 }
        if offset == length { return true }
      }
      index += 1
    }
    return false
  }

  /// Whether `bytes[range]` holds `pattern` exactly.
  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ pattern: [UInt8]) -> Bool {
    pattern.withUnsafeBufferPointer { contains(bytes, range, $0) }
  }

  /// Whether `bytes[range]` holds `pattern` exactly.
  static func contains(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ pattern: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    let length = pattern.count
    guard length > 0 else { return true }
    guard length <= range.count else { return false }
    var index = range.lowerBound
    let last = range.upperBound - length
    while index <= last {
      if bytes[index] == pattern[0] {
        var offset = 1
        while offset < length && bytes[index + offset] == pattern[offset] { offset += 1 }
        if offset == length { return true }
      }
      index += 1
    }
    return false
  }

  /// Whether `bytes[range]` is exactly `pattern`.
  @inline(__always)
  static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ pattern: [UInt8]) -> Bool {
    guard range.count == pattern.count else { return false }
    var offset = 0
    while offset < pattern.count {
      if bytes[range.lowerBound + offset] != pattern[offset] { return false }
      offset += 1
    }
    return true
  }

  /// The String of `bytes[range]`.
  @inline(__always)
  static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
