/// Character encodings rolelens decodes by itself.
package enum TextEncoding: String, Sendable, Hashable {
  case utf8 = "UTF-8"
  case utf16LE = "UTF-16LE"
  case utf16BE = "UTF-16BE"
  case utf32LE = "UTF-32LE"
  case utf32BE = "UTF-32BE"
  case windows1252 = "Windows-1252"
}

/// Text decoded from bytes, with how it was decoded.
package struct DecodedText: Sendable, Hashable {
  package var text: String
  package var encoding: TextEncoding
  /// Set when the decoder had to guess or overrule a declaration.
  package var warnings: [String]
}

/// Turns bytes into text without ever failing on them.
///
/// The encoding comes from, in order: a byte-order mark; for markup, a `<meta charset>`,
/// `http-equiv` content type or XML declaration in the first 4 KiB; otherwise UTF-8, and
/// Windows-1252 where the bytes are not valid UTF-8 (the usual encoding of legacy Western
/// pages, and a superset of ISO-8859-1 as browsers treat it). A declaration that the bytes
/// contradict (a page declaring Windows-1252 that is valid multi-byte UTF-8) is overruled,
/// with a warning.
package enum TextDecoding {
  /// Why bytes are not text.
  package struct NotText: Error, Sendable, Hashable {
    package var detail: String
  }

  /// Decodes `bytes`.
  ///
  /// - Parameters:
  ///   - bytes: The file's content.
  ///   - isMarkup: Whether to look for HTML/XML encoding declarations.
  /// - Returns: The text, or `NotText` when the bytes look binary (NUL bytes, control
  ///   characters, image or archive signatures).
  /// - Complexity: O(n) in the number of bytes.
  package static func decode(_ bytes: [UInt8], isMarkup: Bool) -> Result<DecodedText, NotText> {
    if let (encoding, bomLength) = byteOrderMark(bytes) {
      let body = bytes[bomLength...]
      return .success(DecodedText(text: decode(body, as: encoding), encoding: encoding, warnings: []))
    }
    if let encoding = utf16WithoutBOM(bytes) {
      return .success(
        DecodedText(
          text: decode(bytes[...], as: encoding), encoding: encoding,
          warnings: ["no byte-order mark; bytes look like \(encoding.rawValue)"]))
    }
    if let detail = binaryReason(bytes) { return .failure(NotText(detail: detail)) }

    let declared = isMarkup ? declaredEncoding(bytes) : nil
    let validUTF8 = String(validating: bytes, as: UTF8.self)
    switch (declared, validUTF8) {
    case (.some(.windows1252), .some(let text)) where bytes.contains(where: { $0 >= 0x80 }):
      return .success(
        DecodedText(
          text: text, encoding: .utf8,
          warnings: ["declared Windows-1252/ISO-8859-1 but the bytes are UTF-8; read as UTF-8"]))
    case (.some(.windows1252), _):
      return .success(DecodedText(text: decodeWindows1252(bytes[...]), encoding: .windows1252, warnings: []))
    case (_, .some(let text)):
      return .success(DecodedText(text: text, encoding: .utf8, warnings: []))
    case (let declared, .none):
      let what = declared == .utf8 ? "declared UTF-8 but is not valid UTF-8" : "not valid UTF-8"
      return .success(
        DecodedText(
          text: decodeWindows1252(bytes[...]), encoding: .windows1252,
          warnings: ["\(what); decoded as Windows-1252"]))
    }
  }

  // MARK: - Byte-order marks and UTF-16/32

  /// Whether ASCII characters are single ASCII bytes in `bytes`' encoding (no UTF-16/32 byte
  /// order mark and no look of BOM-less UTF-16), so markup can be scanned before decoding.
  static func isASCIICompatible(_ bytes: [UInt8]) -> Bool {
    let mark = byteOrderMark(bytes)?.0
    return (mark == nil || mark == .utf8) && utf16WithoutBOM(bytes) == nil
  }

  static func byteOrderMark(_ b: [UInt8]) -> (TextEncoding, Int)? {
    // Byte comparisons rather than `starts(with:)` of array literals: this runs for every file.
    func at(_ index: Int) -> Int { index < b.count ? Int(b[index]) : -1 }
    if at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF { return (.utf8, 3) }
    if at(0) == 0xFF && at(1) == 0xFE && at(2) == 0x00 && at(3) == 0x00 { return (.utf32LE, 4) }
    if at(0) == 0x00 && at(1) == 0x00 && at(2) == 0xFE && at(3) == 0xFF { return (.utf32BE, 4) }
    if at(0) == 0xFF && at(1) == 0xFE { return (.utf16LE, 2) }
    if at(0) == 0xFE && at(1) == 0xFF { return (.utf16BE, 2) }
    return nil
  }

  /// Recognises UTF-16 text without a BOM: in the first 1 KiB, most bytes at even (or odd)
  /// offsets are zero and almost none at the other offsets are.
  static func utf16WithoutBOM(_ b: [UInt8]) -> TextEncoding? {
    let n = min(b.count, 1024) & ~1
    guard n >= 8 else { return nil }
    var zeroEven = 0
    var zeroOdd = 0
    for i in stride(from: 0, to: n, by: 2) {
      if b[i] == 0 { zeroEven += 1 }
      if b[i + 1] == 0 { zeroOdd += 1 }
    }
    let pairs = n / 2
    if zeroOdd * 10 >= pairs * 7 && zeroEven * 20 <= pairs { return .utf16LE }
    if zeroEven * 10 >= pairs * 7 && zeroOdd * 20 <= pairs { return .utf16BE }
    return nil
  }

  static func decode(_ bytes: ArraySlice<UInt8>, as encoding: TextEncoding) -> String {
    switch encoding {
    case .utf8:
      return String(decoding: bytes, as: UTF8.self)
    case .windows1252:
      return decodeWindows1252(bytes)
    case .utf16LE, .utf16BE:
      var units: [UInt16] = []
      units.reserveCapacity(bytes.count / 2)
      var i = bytes.startIndex
      while i + 1 < bytes.endIndex {
        let (lo, hi) = encoding == .utf16LE ? (bytes[i], bytes[i + 1]) : (bytes[i + 1], bytes[i])
        units.append(UInt16(hi) << 8 | UInt16(lo))
        i += 2
      }
      return String(decoding: units, as: UTF16.self)
    case .utf32LE, .utf32BE:
      var scalars = String.UnicodeScalarView()
      var i = bytes.startIndex
      while i + 3 < bytes.endIndex {
        let quad =
          encoding == .utf32LE
          ? [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]
          : [bytes[i + 3], bytes[i + 2], bytes[i + 1], bytes[i]]
        let value = UInt32(quad[0]) | UInt32(quad[1]) << 8 | UInt32(quad[2]) << 16 | UInt32(quad[3]) << 24
        scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        i += 4
      }
      return String(scalars)
    }
  }

  // MARK: - Binary detection

  /// Returns why `b` is not text, or `nil` when it looks like text.
  static func binaryReason(_ b: [UInt8]) -> String? {
    for (name, signature) in signatures where b.starts(with: signature) {
      return "\(name) (starts with its file signature)"
    }
    var controls = 0
    let sampleCount = min(b.count, 8192)
    let found: Int? = b.withUnsafeBufferPointer { bytes in
      for index in 0..<sampleCount {
        let byte = bytes[index]
        if byte >= 0x20 { continue }
        if byte == 0 { return index }
        if byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C { controls += 1 }
      }
      return nil
    }
    if let nul = found { return "NUL byte at offset \(nul)" }
    if controls * 10 > sampleCount { return "\(controls) control bytes in the first \(sampleCount)" }
    return nil
  }

  /// File signatures of the binary formats most often found among saved pages.
  static let signatures: [(String, [UInt8])] = [
    ("PNG image", [0x89, 0x50, 0x4E, 0x47]), ("JPEG image", [0xFF, 0xD8, 0xFF]),
    ("GIF image", Array("GIF8".utf8)), ("PDF document", Array("%PDF".utf8)),
    ("ZIP archive", [0x50, 0x4B, 0x03, 0x04]), ("gzip data", [0x1F, 0x8B]),
    ("WebP/RIFF data", Array("RIFF".utf8)), ("ELF executable", [0x7F, 0x45, 0x4C, 0x46]),
  ]

  // MARK: - Declarations

  /// Finds `charset=` (meta charset or http-equiv content) or `encoding=` (XML declaration)
  /// in the first 4 KiB and maps its label to an encoding rolelens decodes.
  static func declaredEncoding(_ b: [UInt8]) -> TextEncoding? {
    let head = b.prefix(4096).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    for key in ["charset", "encoding"] {
      let keyBytes = Array(key.utf8)
      var i = 0
      while let found = find(keyBytes, in: head, from: i) {
        i = found + keyBytes.count
        var j = i
        while j < head.count && (head[j] == 0x20 || head[j] == 0x3D || head[j] == 0x22 || head[j] == 0x27) {
          j += 1
        }
        guard j > i, head[i..<j].contains(0x3D) else { continue }
        var label: [UInt8] = []
        while j < head.count, label.count < 40, isLabelByte(head[j]) {
          label.append(head[j])
          j += 1
        }
        if let encoding = encoding(forLabel: String(decoding: label, as: UTF8.self)) { return encoding }
      }
    }
    return nil
  }

  static func encoding(forLabel label: String) -> TextEncoding? {
    switch label {
    case "utf-8", "utf8", "unicode-1-1-utf-8": return .utf8
    // The WHATWG Encoding standard maps these labels to windows-1252.
    case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "latin1", "l1",
      "iso_8859-1", "us-ascii", "ascii", "ansi_x3.4-1968":
      return .windows1252
    default: return nil
    }
  }

  private static func isLabelByte(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F || c == 0x2E || c == 0x3A
  }

  private static func find(_ needle: [UInt8], in hay: [UInt8], from start: Int) -> Int? {
    guard needle.count <= hay.count else { return nil }
    var i = start
    while i + needle.count <= hay.count {
      if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i += 1
    }
    return nil
  }

  // MARK: - Windows-1252

  /// The characters Windows-1252 puts at 0x80...0x9F (undefined positions map to the C1
  /// control with the same value, as browsers do).
  static let windows1252High: [UInt32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
  ]

  /// Decodes Windows-1252 bytes; every byte maps to a character, so this never fails.
  package static func decodeWindows1252(_ bytes: ArraySlice<UInt8>) -> String {
    var scalars = String.UnicodeScalarView()
    for byte in bytes {
      let value = byte >= 0x80 && byte <= 0x9F ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
      scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
    }
    return String(scalars)
  }
}
