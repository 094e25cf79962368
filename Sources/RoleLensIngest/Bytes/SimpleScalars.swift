/// The Unicode scalars whose text the byte-level text path reads from UTF-8 bytes alone.
///
/// Swift counts and compares a `String` by `Character` (an extended grapheme cluster, compared
/// with canonical equivalence), so `"#\u{20E3}"` is one Character that is not `"#"`, and
/// U+037E GREEK QUESTION MARK equals `";"`. Heading tests, bullets and markup stripping were
/// written against Characters. For text made only of ASCII (without carriage return, since
/// CR LF is one Character) and the scalars accepted here, every Character is one scalar and no
/// Character equals a different scalar's Character among those the path looks for (ASCII marks,
/// bullets, apostrophes); the lowercase of each is again such text, with no ASCII in it. So
/// counting scalar starts counts Characters, comparing bytes compares Characters, and
/// lowercasing only ASCII bytes finds the same ASCII phrases as `lowercased()`.
///
/// Left out are combining marks and every other scalar that joins its neighbours into one
/// Character (ZWJ, variation selectors, Hangul jamo, regional indicators, prepended marks,
/// emoji modifiers), scalars canonically equivalent to another (U+0374, U+037E, U+0387,
/// U+212A KELVIN SIGN), U+0130 (its lowercase is two scalars) and C1 controls. A line holding
/// any other scalar takes the `String` path, which is the original implementation.
/// `SimpleScalarsTests` checks every accepted scalar against the Character API.
enum SimpleScalars {
  /// Whether `value`, a scalar at or above U+0080, is one the byte path reads.
  static func accepts(_ value: UInt32) -> Bool {
    switch value {
    case 0xA0...0x2FF: return value != 0x130
    case 0x370...0x3FF: return value != 0x374 && value != 0x37E && value != 0x387
    case 0x400...0x482, 0x48A...0x52F: return true
    case 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0: return true
    case 0x2190...0x2328, 0x232B...0x23FF, 0x2460...0x27BF: return true
    case 0x3001...0x3029, 0x3030...0x303F, 0x3041...0x3096, 0x309B...0x30FF: return true
    case 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF5E: return true
    default: return false
    }
  }

  /// Whether every scalar of the valid UTF-8 `bytes` is ASCII other than carriage return, or
  /// accepted by `accepts(_:)`.
  ///
  /// - Complexity: O(n), one pass; ASCII bytes cost one comparison each.
  static func isSimple(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if byte < 0x80 {
        if byte == 0x0D { return false }
        index += 1
        continue
      }
      let (value, length) = UTF8Text.scalar(in: bytes, at: index)
      if !accepts(value) { return false }
      index += length
    }
    return true
  }
}
