/// Collapses runs of white space (including non-breaking and other Unicode spaces) to one
/// space and trims.
///
/// - Complexity: O(n), on the UTF-8 bytes (this runs on every block of every page).
package func normalizeSpace(_ text: String) -> String {
  var copy = text
  return copy.withUTF8 { normalizeSpace(utf8: $0) }
}

/// `normalizeSpace` of UTF-8 bytes.
func normalizeSpace(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
  guard !bytes.isEmpty else { return "" }
  return String(unsafeUninitializedCapacity: bytes.count) { output in
    guard let base = output.baseAddress else { return 0 }
    return normalizeSpace(bytes, 0..<bytes.count, into: base).count
  }
}

/// Writes `normalizeSpace` of `source[range]` to `output`, which has room for `range.count`
/// bytes (the result is never longer).
///
/// White space is ASCII space, tab, LF, VT, FF and CR, and U+0085, U+00A0, U+1680,
/// U+2000–U+200B, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
///
/// - Returns: How many bytes were written, and the bitwise or of them (below 0x80 when all
///   are ASCII).
/// - Complexity: O(n); bytes that are no white space and no lead byte of one are copied in a
///   tight loop.
@inline(__always)
func normalizeSpace(
  _ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: UnsafeMutablePointer<UInt8>
) -> (count: Int, high: UInt8) {
  var written = 0
  var high: UInt8 = 0
  var pendingSpace = false
  var index = range.lowerBound
  let count = range.upperBound
  while index < count {
    let byte = source[index]
    // Printable ASCII and continuation bytes: never white space.
    if byte > 0x20 && byte < 0xC2 {
      if pendingSpace {
        if written > 0 {
          output[written] = 0x20
          written += 1
        }
        pendingSpace = false
      }
      output[written] = byte
      written += 1
      high |= byte
      index += 1
      continue
    }
    // The width of a white-space character starting here, or 0.
    var space = 0
    switch byte {
    case 0x20, 0x0A, 0x09, 0x0D, 0x0B, 0x0C: space = 1
    case 0xC2 where index + 1 < count && (source[index + 1] == 0xA0 || source[index + 1] == 0x85): space = 2
    case 0xE2 where index + 2 < count:
      let b1 = source[index + 1]
      let b2 = source[index + 2]
      if (b1 == 0x80 && (b2 <= 0x8B || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) || (b1 == 0x81 && b2 == 0x9F) {
        space = 3
      }
    case 0xE3 where index + 2 < count && source[index + 1] == 0x80 && source[index + 2] == 0x80: space = 3
    case 0xEF where index + 2 < count && source[index + 1] == 0xBB && source[index + 2] == 0xBF: space = 3
    case 0xE1 where index + 2 < count && source[index + 1] == 0x9A && source[index + 2] == 0x80: space = 3
    default: space = 0
    }
    if space > 0 {
      pendingSpace = true
      index += space
      continue
    }
    if pendingSpace && written > 0 {
      output[written] = 0x20
      written += 1
    }
    pendingSpace = false
    output[written] = byte
    written += 1
    high |= byte
    index += 1
  }
  return (written, high)
}

extension String {
  /// The string without the white-space scalars (Unicode White_Space) at either end.
  func trimmingWhitespace() -> String {
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
