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
  /// - Parameter maxTitleLength: Lines longer than this (in characters) are never the title
  ///   or a field's value.
  static func extract(_ text: String, maxTitleLength: Int = IngestOptions().maxTitleLength) -> Result {
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
      .map { normalizeSpace(String($0)) }
    var title: String?
    var titleLine: Int?
    var company: String?
    var location: String?
    var datePosted: String?
    var metadataLines = Set<Int>()
    let frontMatter = frontMatterLines(lines)
    for (index, line) in lines.prefix(metadataWindow).enumerated() {
      // A field is short: a "Location: Remote. We are hiring..." line whose value runs on is
      // the body (a dataset description with its line breaks gone).
      guard line.count <= maxTitleLength, let (key, written) = metadata(line) else { continue }
      let value = frontMatter.contains(index) ? yamlScalar(written) : written
      switch key {
      case "title", "job title", "position": if title == nil { title = value; titleLine = index }
      case "company", "employer", "organization", "organisation": company = company ?? value
      case "location": location = location ?? value
      case "date posted", "posted", "date": datePosted = datePosted ?? value
      default: continue
      }
      metadataLines.insert(index)
    }
    // A first line too long for a title (a whole posting on one line) is body text, and the
    // posting has no title.
    if title == nil, let first = lines.firstIndex(where: { !$0.isEmpty }), lines[first].count <= maxTitleLength {
      title = stripMarkup(lines[first])
      titleLine = first
    }
    var body = lines.enumerated().filter { index, _ in index != titleLine && !metadataLines.contains(index) }.map(\.element)
    if body.allSatisfy(\.isEmpty) && !metadataLines.subtracting([titleLine].compactMap { $0 }).isEmpty {
      // Nothing but fields: their lines are the text ("Location: Remote. You will own the
      // roadmap." is a description, not only a location).
      body = lines.enumerated().filter { index, _ in index != titleLine }.map(\.element)
    }
    return Result(
      title: title ?? "", company: company, location: location, datePosted: datePosted,
      sections: sections(ofLines: body))
  }

  /// Sections of a plain-text body (no title line): heading lines start sections.
  static func bodySections(_ text: String) -> [PostingSection] {
    sections(ofLines: text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
      .map { normalizeSpace(String($0)) })
  }

  private static func sections(ofLines lines: [String]) -> [PostingSection] {
    var builder = SectionBuilder()
    for raw in lines where !raw.isEmpty {
      if let heading = heading(in: raw) {
        builder.startSection(heading: heading)
      } else {
        let line = stripBullet(stripMarkup(raw))
        if !line.isEmpty { builder.add(line: line) }
      }
    }
    return builder.build()
  }

  /// The indices of the lines inside YAML front matter: between a `---` line within the first
  /// lines (the very first, or after a title line) and the next `---` or `...` line.
  static func frontMatterLines(_ lines: [String]) -> Range<Int> {
    let window = lines.prefix(metadataWindow)
    guard let open = window.firstIndex(of: "---"), open <= 2,
      let close = lines[(open + 1)...].firstIndex(where: { $0 == "---" || $0 == "..." })
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
        guard index + 1 < scalars.count, let (unescaped, length) = yamlEscape(scalars, at: index + 1) else { return value }
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

  /// A `Key: value` line with a known key.
  static func metadata(_ line: String) -> (String, String)? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    let key = stripMarkup(String(line[..<colon])).lowercased()
    let value = stripMarkup(String(line[line.index(after: colon)...]))
    let keys: Set<String> = [
      "title", "job title", "position", "company", "employer", "organization", "organisation",
      "location", "date posted", "posted", "date",
    ]
    guard keys.contains(key), !value.isEmpty else { return nil }
    return (key, value)
  }

  /// The heading text if `line` is a heading line.
  static func heading(in line: String) -> String? {
    if isATXHeading(line) {
      let text = stripMarkup(line)
      return text.isEmpty ? nil : text
    }
    let unbolded = line.hasPrefix("**") && line.hasSuffix("**") && line.count > 4
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
  func replacingOccurrences(of target: String, with replacement: String) -> String {
    guard !target.isEmpty, contains(target) else { return self }
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
}
