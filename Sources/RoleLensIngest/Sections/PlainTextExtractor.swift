/// Extracts a posting from plain text or Markdown.
///
/// The title is the first non-empty line unless a `Title:` line near the top says otherwise;
/// `Company:`, `Location:` and `Date posted:` lines near the top fill those fields. A line
/// too long to be a title or a field (a paragraph, or a whole posting on one line) is body
/// text. Inside YAML front matter (`---` lines, as Jekyll and Hugo postings have) values are
/// YAML scalars: `title: "A: B"` is the title `A: B`. Headings are Markdown `#` lines, lines
/// in bold alone, or short lines that read as headings ("Responsibilities:", "WHAT YOU WILL
/// DO").
enum PlainTextExtractor {
  struct Result {
    var title: String
    var company: String?
    var location: String?
    var datePosted: String?
    var sections: [PostingSection]
  }

  /// How many lines from the top may hold `Title:`-style metadata.
  static let metadataWindow = 15

  /// Extracts title, fields and sections.
  ///
  /// The text is read as UTF-8 bytes: lines are split and their white space collapsed in one
  /// pass, and each line of simple text (`SimpleScalars`, nearly every line) is tested for a
  /// heading, stripped of markup and added to its section without a `String` of its own; a
  /// line with other scalars takes the `String` functions below, which define the behaviour.
  ///
  /// - Parameter maxTitleLength: Lines longer than this (in characters) are never the title
  ///   or a field's value.
  /// - Complexity: O(n) in the UTF-8 length.
  static func extract(_ text: String, maxTitleLength: Int = IngestOptions().maxTitleLength) -> Result {
    var copy = text
    let lines = copy.withUTF8 { NormalizedLines($0) }
    return lines.bytes.withUnsafeBufferPointer { extract(lines, $0, maxTitleLength: maxTitleLength) }
  }

  /// `extract` of lines split and normalized, `bytes` being `lines.bytes`.
  private static func extract(
    _ lines: NormalizedLines, _ bytes: UnsafeBufferPointer<UInt8>, maxTitleLength: Int
  ) -> Result {
    let ranges = lines.lines
    var title: String?
    var titleLine: Int?
    var company: String?
    var location: String?
    var datePosted: String?
    var metadataLines: [Int] = []
    let frontMatter = frontMatterLines(ranges, bytes)
    for index in 0..<min(metadataWindow, ranges.count) where mayBeMetadata(bytes, ranges[index]) {
      let line = UTF8Text.string(bytes, ranges[index])
      // A field is short: a "Location: Remote. We are hiring..." line whose value runs on is
      // the body (a dataset description with its line breaks gone).
      guard line.count <= maxTitleLength, let (key, written) = metadata(line) else { continue }
      let value = frontMatter.contains(index) ? yamlScalar(written) : written
      switch key {
      case "title", "job title", "position":
        if title == nil {
          title = value
          titleLine = index
        }
      case "company", "employer", "organization", "organisation": company = company ?? value
      case "location": location = location ?? value
      case "date posted", "posted", "date": datePosted = datePosted ?? value
      default: continue
      }
      metadataLines.append(index)
    }
    // A first line too long for a title (a whole posting on one line) is body text, and the
    // posting has no title.
    if title == nil, let first = ranges.firstIndex(where: { !$0.isEmpty }),
      fits(bytes, ranges[first], simple: lines.isASCII[first], maxCharacters: maxTitleLength)
    {
      title = stripMarkup(bytes, ranges[first], simple: lines.isASCII[first])
      titleLine = first
    }
    var body = ranges.indices.filter { $0 != titleLine && !metadataLines.contains($0) }
    if body.allSatisfy({ ranges[$0].isEmpty }) && metadataLines.contains(where: { $0 != titleLine }) {
      // Nothing but fields: their lines are the text ("Location: Remote. You will own the
      // roadmap." is a description, not only a location).
      body = ranges.indices.filter { $0 != titleLine }
    }
    return Result(
      title: title ?? "", company: company, location: location, datePosted: datePosted,
      sections: sections(lines, bytes, body))
  }

  /// Sections of a plain-text body (no title line): heading lines start sections.
  static func bodySections(_ text: String) -> [PostingSection] {
    var copy = text
    let lines = copy.withUTF8 { NormalizedLines($0) }
    return lines.bytes.withUnsafeBufferPointer { sections(lines, $0, lines.lines.indices) }
  }

  /// The sections of the lines at `indices`: heading lines start sections, other lines are
  /// stripped of bullets and markup and added to the current one.
  private static func sections(
    _ lines: NormalizedLines, _ bytes: UnsafeBufferPointer<UInt8>, _ indices: some Sequence<Int>
  ) -> [PostingSection] {
    var builder = SectionBuilder()
    for index in indices {
      let range = lines.lines[index]
      if range.isEmpty { continue }
      if lines.isASCII[index] || SimpleScalars.isSimple(UnsafeBufferPointer(rebasing: bytes[range])) {
        if let heading = heading(simple: bytes, range) {
          builder.startSection(heading: heading)
        } else {
          withStrippedMarkup(simple: bytes, range) { stripped, strippedRange in
            let line = withoutBullet(simple: stripped, strippedRange)
            if !line.isEmpty { builder.add(line: stripped, line) }
          }
        }
        continue
      }
      let raw = UTF8Text.string(bytes, range)
      if let heading = heading(in: raw) {
        builder.startSection(heading: heading)
      } else {
        let line = stripBullet(stripMarkup(raw))
        if !line.isEmpty { builder.add(line: line) }
      }
    }
    return builder.build()
  }

  /// The keys of `metadata` without their spaces.
  private static let compactKeys: Set<String> = [
    "title", "jobtitle", "position", "company", "employer", "organization", "organisation", "location",
    "dateposted", "posted", "date",
  ]

  /// Whether the normalized line `bytes[range]` may be a `metadata` line: it holds a colon and
  /// what comes before the first is letters, spaces and markup (`#`, `*`, `_`) whose letters
  /// spell a key. `metadata` answers for the lines that pass.
  private static func mayBeMetadata(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 13) { letters in
      var count = 0
      for index in range {
        let byte = bytes[index]
        switch byte {
        case 0x3A:
          return compactKeys.contains(
            String(decoding: UnsafeBufferPointer(rebasing: letters[0..<count]), as: UTF8.self))
        case 0x41...0x5A, 0x61...0x7A:
          // No key has more than 12 letters.
          guard count < 12 else { return false }
          letters[count] = byte | 0x20
          count += 1
        case 0x20, 0x23, 0x2A, 0x5F: continue
        default: return false
        }
      }
      return false
    }
  }

  /// Whether the normalized line `bytes[range]` has at most `maxCharacters` Characters.
  private static func fits(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, simple: Bool, maxCharacters: Int
  ) -> Bool {
    if range.count <= maxCharacters { return true }
    if simple || SimpleScalars.isSimple(UnsafeBufferPointer(rebasing: bytes[range])) {
      return UTF8Text.scalarCount(bytes, range) <= maxCharacters
    }
    return UTF8Text.string(bytes, range).count <= maxCharacters
  }

  /// `stripMarkup` of the normalized line `bytes[range]`.
  private static func stripMarkup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, simple: Bool) -> String {
    if simple || SimpleScalars.isSimple(UnsafeBufferPointer(rebasing: bytes[range])) {
      return withStrippedMarkup(simple: bytes, range) { UTF8Text.string($0, $1) }
    }
    return stripMarkup(UTF8Text.string(bytes, range))
  }

  /// The indices of the lines inside YAML front matter: between a `---` line within the first
  /// lines (the very first, or after a title line) and the next `---` or `...` line.
  static func frontMatterLines(_ lines: [Range<Int>], _ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
    let dashes = Array("---".utf8)
    let dots = Array("...".utf8)
    let window = lines.prefix(metadataWindow)
    guard let open = window.firstIndex(where: { UTF8Text.equals(bytes, $0, dashes) }), open <= 2,
      let close = lines[(open + 1)...].firstIndex(where: {
        UTF8Text.equals(bytes, $0, dashes) || UTF8Text.equals(bytes, $0, dots)
      })
    else { return 0..<0 }
    return (open + 1)..<close
  }

  /// The value of a YAML scalar written as `value`: a double-quoted scalar (`"A: \"B\""`)
  /// with its escapes read, or a single-quoted one (`'It''s'`); anything else as it is, so a
  /// title that merely contains or starts with quotes (`"Staff" Product Manager "Growth"`) is
  /// kept. A quoted scalar with an escape YAML does not know is kept as written.
  static func yamlScalar(_ value: String) -> String {
    let scalars = Array(value.unicodeScalars)
    guard scalars.count >= 2, let quote = scalars.first, quote == "\"" || quote == "'" else { return value }
    var result = String.UnicodeScalarView()
    var index = 1
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == quote {
        if quote == "'", index + 1 < scalars.count, scalars[index + 1] == "'" {
          result.append("'")
          index += 2
          continue
        }
        // The closing quote: the scalar is the whole value only if nothing follows it.
        return index == scalars.count - 1 ? normalizeSpace(String(result)) : value
      }
      if quote == "\"", scalar == "\\" {
        guard index + 1 < scalars.count, let (unescaped, length) = yamlEscape(scalars, at: index + 1) else {
          return value
        }
        result.append(unescaped)
        index += 1 + length
        continue
      }
      result.append(scalar)
      index += 1
    }
    return value  // no closing quote
  }

  /// The character a YAML double-quoted escape stands for, the escape starting at `index`
  /// (just after its backslash), and how many scalars it takes; `nil` for an unknown escape.
  private static func yamlEscape(_ scalars: [Unicode.Scalar], at index: Int) -> (Unicode.Scalar, Int)? {
    let simple: [Unicode.Scalar: Unicode.Scalar] = [
      "0": "\u{0}", "a": "\u{7}", "b": "\u{8}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{B}", "f": "\u{C}",
      "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\", "N": "\u{85}", "_": "\u{A0}",
      "L": "\u{2028}", "P": "\u{2029}",
    ]
    let letter = scalars[index]
    if let value = simple[letter] { return (value, 1) }
    let digits: Int
    switch letter {
    case "x": digits = 2
    case "u": digits = 4
    case "U": digits = 8
    default: return nil
    }
    guard index + digits < scalars.count else { return nil }
    let hex = scalars[(index + 1)...(index + digits)]
    guard hex.allSatisfy({ $0.properties.isASCIIHexDigit }),
      let code = UInt32(String(String.UnicodeScalarView(hex)), radix: 16), let value = Unicode.Scalar(code)
    else { return nil }
    return (value, 1 + digits)
  }

  /// The keys `metadata` knows.
  static let metadataKeys: Set<String> = [
    "title", "job title", "position", "company", "employer", "organization", "organisation",
    "location", "date posted", "posted", "date",
  ]

  /// A `Key: value` line with a known key.
  static func metadata(_ line: String) -> (String, String)? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    let key = stripMarkup(String(line[..<colon])).lowercased()
    let value = stripMarkup(String(line[line.index(after: colon)...]))
    guard metadataKeys.contains(key), !value.isEmpty else { return nil }
    return (key, value)
  }

  /// The heading text if `line` is a heading line.
  static func heading(in line: String) -> String? {
    if isATXHeading(line) {
      let text = stripMarkup(line)
      return text.isEmpty ? nil : text
    }
    let unbolded =
      line.hasPrefix("**") && line.hasSuffix("**") && line.count > 4
      ? String(line.dropFirst(2).dropLast(2)) : nil
    if let unbolded, unbolded.count <= 80, !unbolded.has("**") {
      return stripTrailingColon(unbolded)
    }
    if SectionClassifier.looksLikeHeading(line), !isBullet(line) {
      return stripTrailingColon(stripMarkup(line))
    }
    return nil
  }

  /// Whether `line` is a Markdown heading: one to six `#` then a space or the end of the line
  /// (`#StartYourStory` is a hashtag opening a paragraph, not a heading).
  static func isATXHeading(_ line: String) -> Bool {
    let marks = line.prefix(while: { $0 == "#" }).count
    guard (1...6).contains(marks) else { return false }
    let rest = line.dropFirst(marks)
    return rest.isEmpty || rest.first == " " || rest.first == "\t"
  }

  static func isBullet(_ line: String) -> Bool {
    guard let first = line.first else { return false }
    return "-*•·–▪◦●".contains(first) && line.dropFirst().first == " "
  }

  static func stripBullet(_ line: String) -> String {
    isBullet(line) ? String(line.dropFirst(2)).trimmingWhitespace() : line
  }

  /// Removes Markdown heading marks and emphasis.
  static func stripMarkup(_ line: String) -> String {
    var text = Substring(line)
    if isATXHeading(line) { text = text.drop(while: { $0 == "#" }) }
    var result = String(text).replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
    result = result.trimmingWhitespace()
    return result
  }

  static func stripTrailingColon(_ text: String) -> String {
    var result = text.trimmingWhitespace()
    while result.hasSuffix(":") { result.removeLast() }
    return result.trimmingWhitespace()
  }
}

extension String {
  /// Replaces every occurrence of `target`; a small stand-in so the stage needs no Foundation.
  ///
  /// Text whose bytes do not hold `target`'s (most) is returned after one byte scan; only
  /// otherwise is `contains` asked, which is Foundation's where the module imports it (no
  /// scalar is canonically equivalent to an ASCII one, so the byte test never says no where
  /// `contains` would say yes).
  func replacingOccurrences(of target: String, with replacement: String) -> String {
    guard !target.isEmpty, Self.bytes(of: self, hold: target), contains(target) else { return self }
    var result = ""
    var rest = Substring(self)
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    result += rest
    return result
  }

  /// Whether the UTF-8 of `text` holds that of `target`.
  private static func bytes(of text: String, hold target: String) -> Bool {
    var text = text
    var target = target
    return text.withUTF8 { hay in target.withUTF8 { UTF8Text.contains(hay, 0..<hay.count, $0) } }
  }
}
