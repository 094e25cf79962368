/// Control characters in text read from inputs, and the visible characters that replace them.
///
/// A title, company, file name or body line is printed to terminals and written into CSV and
/// JSON cells; a raw ESC or BEL there sets the window title or clears the screen of whoever
/// looks at it, and a C1 control (U+0080–U+009F; CSI is U+009B) can do the same. So every
/// C0 control (U+0000–U+001F), DEL (U+007F) and C1 control is replaced, except the few a
/// field may hold as layout: a C0 control or DEL by its Unicode control picture (ESC → `␛`
/// U+241B, BEL → `␇`, NUL → `␀`, DEL → `␡`), which shows which control it was; a C1 control,
/// which has no picture, by U+FFFD `�`. Neither is a word character, so tokens do not change.
package enum ControlCharacters {
  /// The layout controls a multi-line body may keep: line feed and tab.
  package static let bodyLayout: Set<Unicode.Scalar> = ["\n", "\t"]
  /// The controls CSV and JSON escape or quote, which keys (ids, paths) keep verbatim: line
  /// feed, carriage return and tab.
  package static let escapedByFormats: Set<Unicode.Scalar> = ["\n", "\r", "\t"]

  /// Whether `scalar` is a C0 control, DEL or a C1 control.
  package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  /// The visible character that replaces the control `scalar`.
  package static func picture(of scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0..<0x20: return Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}"
    case 0x7F: return "\u{2421}"
    default: return "\u{FFFD}"
    }
  }

  /// `text` with every control not in `keeping` replaced by its visible character, and how many
  /// were replaced.
  ///
  /// - Complexity: O(n) in the UTF-8 length; one pass over the bytes when there is nothing to
  ///   replace (the usual case), and the text is returned as it is.
  package static func replace(in text: String, keeping: Set<Unicode.Scalar> = []) -> (text: String, replaced: Int) {
    guard mayHoldControls(text, keeping: keeping) else { return (text, 0) }
    var result = String.UnicodeScalarView()
    var replaced = 0
    for scalar in text.unicodeScalars {
      if isControl(scalar) && !keeping.contains(scalar) {
        result.append(picture(of: scalar))
        replaced += 1
      } else {
        result.append(scalar)
      }
    }
    return (String(result), replaced)
  }

  /// `text` with every control not in `keeping` replaced by its visible character.
  package static func replacing(_ text: String, keeping: Set<Unicode.Scalar> = []) -> String {
    replace(in: text, keeping: keeping).text
  }

  /// Whether `text` may hold a control to replace: a byte below 0x20 that `keeping` does not
  /// allow, DEL, or the lead byte 0xC2 of U+0080–U+009F followed by 0x80–0x9F.
  ///
  /// - Complexity: O(n), one loop over the UTF-8 bytes with one comparison for most of them.
  private static func mayHoldControls(_ text: String, keeping: Set<Unicode.Scalar>) -> Bool {
    // The C0 controls `keeping` allows, as a bit mask (bit n for U+000n).
    var kept: UInt32 = 0
    for scalar in keeping where scalar.value < 0x20 { kept |= 1 << scalar.value }
    var copy = text
    return copy.withUTF8 { bytes in
      let count = bytes.count
      var index = 0
      /// Whether the byte at `index` starts a control to replace.
      func isControl(at index: Int) -> Bool {
        let byte = bytes[index]
        if byte >= 0x20 && byte != 0x7F && byte != 0xC2 { return false }
        if byte < 0x20 { return kept & (1 << UInt32(byte)) == 0 }
        return byte == 0x7F || (index + 1 < count && bytes[index + 1] & 0xE0 == 0x80)
      }
      // Eight bytes at a time are skipped while none is below 0x20, DEL or 0xC2 (the zero-byte
      // test of "Bit Twiddling Hacks" on the word and on it XORed with each); a word that may
      // hold one is looked at byte by byte.
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      let raw = bytes.baseAddress.map(UnsafeRawPointer.init)
      while index < count {
        if let raw, index + 8 <= count {
          let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
          let below = (word &- ones &* 0x20) & ~word & highs
          let del = word ^ (ones &* 0x7F)
          let c2 = word ^ (ones &* 0xC2)
          if below | ((del &- ones) & ~del & highs) | ((c2 &- ones) & ~c2 & highs) == 0 {
            index += 8
            continue
          }
          for offset in index..<(index + 8) where isControl(at: offset) { return true }
          index += 8
          continue
        }
        if isControl(at: index) { return true }
        index += 1
      }
      return false
    }
  }
}

extension Posting {
  /// Replaces the control characters of every field that is printed or written into a cell,
  /// and adds a warning naming the fields when it replaced any.
  ///
  /// One-line fields (title, company, location, date, headings, warnings) holding a control
  /// first have their white-space controls (tab, line breaks) turned into spaces; the body keeps line feeds and
  /// tabs; `id` and `path` keep what CSV and JSON escape, so they still join with the inputs.
  mutating func replaceControlCharacters() {
    var fields: [String] = []
    var total = 0
    func line(_ value: String, _ name: String) -> String {
      // Untouched when it holds no control at all (the usual case): no white space is trimmed.
      guard ControlCharacters.replace(in: value).replaced > 0 else { return value }
      let (text, count) = ControlCharacters.replace(in: normalizeSpace(value))
      if count > 0 {
        total += count
        if !fields.contains(name) { fields.append(name) }
      }
      return text
    }
    func keep(_ value: String, _ name: String, _ keeping: Set<Unicode.Scalar>) -> String {
      let (text, count) = ControlCharacters.replace(in: value, keeping: keeping)
      if count > 0 {
        total += count
        if !fields.contains(name) { fields.append(name) }
      }
      return text
    }
    id = keep(id, "id", ControlCharacters.escapedByFormats)
    path = keep(path, "path", ControlCharacters.escapedByFormats)
    title = line(title, "title")
    company = company.map { line($0, "company") }
    location = location.map { line($0, "location") }
    datePosted = datePosted.map { line($0, "date") }
    source = source.map { line($0, "source") }
    columns = columns.map { line($0, "columns") }
    for index in sections.indices {
      sections[index].heading = line(sections[index].heading, "headings")
      sections[index].text = keep(sections[index].text, "text", ControlCharacters.bodyLayout)
    }
    warnings = warnings.map { line($0, "warnings") }
    guard total > 0 else { return }
    warnings.append(
      "replaced \(total) control character\(total == 1 ? "" : "s") (C0, DEL, C1) in \(fields.joined(separator: ", ")) "
        + "with visible ones (ESC as \u{241B}, C1 as \u{FFFD})")
  }
}
