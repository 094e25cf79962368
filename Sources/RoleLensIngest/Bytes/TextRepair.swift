/// Repairs of text that scrapers commonly damage: UTF-8 decoded twice ("mojibake") and HTML
/// entities escaped twice.
package enum TextRepair {
  /// The byte each character came from when UTF-8 was misread as Windows-1252 or as
  /// ISO-8859-1 (whose 0x80...0x9F are the C1 controls U+0080...U+009F).
  static let windows1252Bytes: [UInt32: UInt8] = {
    var table: [UInt32: UInt8] = [:]
    for value in UInt32(0x80)...0x9F { table[value] = UInt8(value) }
    for (offset, scalar) in TextDecoding.windows1252High.enumerated() { table[scalar] = UInt8(0x80 + offset) }
    for value in UInt32(0xA0)...0xFF { table[value] = UInt8(value) }
    return table
  }()

  /// Repairs UTF-8 that was decoded as Windows-1252 or ISO-8859-1 ("â€™" -> "’", "Ã©" -> "é").
  ///
  /// Runs of characters that are Windows-1252 high bytes are turned back into bytes, and every
  /// valid multi-byte UTF-8 sequence among them is decoded; anything else is kept as it was,
  /// so text that is not mojibake ("café") is never changed.
  ///
  /// - Returns: The text and the number of sequences repaired.
  /// - Complexity: O(n).
  package static func repairMojibake(_ text: String) -> (text: String, repairs: Int) {
    guard mayContainMojibake(text) else { return (text, 0) }
    var result = String.UnicodeScalarView()
    var repairs = 0
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      guard let lead = windows1252Bytes[scalar.value], lead >= 0xC2, lead <= 0xF4 else {
        result.append(scalar)
        index += 1
        continue
      }
      let length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2)
      var bytes = [lead]
      var next = index + 1
      while bytes.count < length, next < scalars.count,
        let byte = windows1252Bytes[scalars[next].value], byte >= 0x80, byte <= 0xBF
      {
        bytes.append(byte)
        next += 1
      }
      if bytes.count == length, let decoded = String(validating: bytes, as: UTF8.self),
        let repaired = decoded.unicodeScalars.first, repaired.value >= 0x80
      {
        result.append(repaired)
        repairs += 1
        index = next
      } else {
        result.append(scalar)
        index += 1
      }
    }
    return (String(result), repairs)
  }

  /// Whether `text` may hold mojibake: a lead character U+00C2...U+00F4 (UTF-8 `C3 82`...`C3 B4`)
  /// directly followed by a character that a misread continuation byte becomes: U+0080...U+00BF
  /// (`C2 xx`) or a Windows-1252 special (`C5`, `C6`, `CB` or `E2` lead bytes). A byte scan, so
  /// clean text, including text with ordinary accents, costs one cheap pass.
  static func mayContainMojibake(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { bytes in
      guard bytes.count >= 4 else { return false }
      var index = 0
      let end = bytes.count - 2
      while index < end {
        if bytes[index] == 0xC3 {
          let second = bytes[index + 1]
          if second >= 0x82 && second <= 0xB4 {
            let next = bytes[index + 2]
            if next == 0xC2 || next == 0xC5 || next == 0xC6 || next == 0xCB || next == 0xE2 { return true }
          }
        }
        index += 1
      }
      return false
    }
  }

  /// Named entities decoded by `decodeEntities` (the ones found in scraped titles and text).
  static let namedEntities: [String: String] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "ndash": "–",
    "mdash": "—", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "hellip": "…",
    "bull": "•", "middot": "·", "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£",
    "eacute": "é", "egrave": "è", "aacute": "á", "agrave": "à", "iacute": "í", "oacute": "ó",
    "uacute": "ú", "ntilde": "ñ", "ccedil": "ç", "uuml": "ü", "ouml": "ö", "auml": "ä", "szlig": "ß",
    "laquo": "«", "raquo": "»",
  ]

  /// Decodes numeric (`&#8211;`, `&#x2013;`) and common named (`&amp;`) entities, up to
  /// `passes` times, so that a double-escaped `&amp;#8211;` becomes "–". Unknown entities and
  /// a bare `&` are kept.
  package static func decodeEntities(_ text: String, passes: Int = 2) -> String {
    var current = text
    for _ in 0..<passes {
      // A byte scan first: text without an ampersand (most) never reaches `contains`.
      guard current.utf8.contains(0x26), current.contains("&") else { break }
      let decoded = decodeOnce(current)
      if decoded == current { break }
      current = decoded
    }
    return current
  }

  private static func decodeOnce(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let ampersand = rest.firstIndex(of: "&") {
      result += rest[..<ampersand]
      let afterAmpersand = rest.index(after: ampersand)
      let candidate = rest[afterAmpersand...].prefix(12)
      if let semicolon = candidate.firstIndex(of: ";"), let value = entityValue(candidate[..<semicolon]) {
        result += value
        rest = rest[rest.index(after: semicolon)...]
      } else {
        result += "&"
        rest = rest[afterAmpersand...]
      }
    }
    result += rest
    return result
  }

  private static func entityValue(_ name: Substring) -> String? {
    var code: UInt32?
    if name.hasPrefix("#x") || name.hasPrefix("#X") {
      code = UInt32(name.dropFirst(2), radix: 16)
    } else if name.hasPrefix("#") {
      code = UInt32(name.dropFirst())
    } else {
      return namedEntities[String(name)]
    }
    guard var value = code, value != 0 else { return nil }
    // As in browsers (the HTML standard's numeric reference table): 0x80...0x9F name the
    // Windows-1252 characters ("&#150;" is "–"), not C1 controls.
    if value >= 0x80 && value <= 0x9F { value = TextDecoding.windows1252High[Int(value - 0x80)] }
    return Unicode.Scalar(value).map { String(Character($0)) }
  }
}
