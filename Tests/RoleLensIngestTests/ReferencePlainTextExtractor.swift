import Foundation

@testable import RoleLensIngest

// The plain-text path as it was before it read UTF-8 bytes: `String` lines, `lowercased()`,
// the module's `replacingOccurrences` (whose `contains` is Foundation's, as it was in the
// module, which imports Foundation), Character-wise tests. Kept verbatim, renamed, as the
// reference `PlainTextDifferentialTests` checks the byte path against. `metadata` and
// `trimmingWhitespace` did not change and are the module's.

/// `PlainTextExtractor` as it was: extracts a posting from plain text or Markdown.
///
/// The title is the first non-empty line unless a `Title:` line near the top says otherwise;
/// `Company:`, `Location:` and `Date posted:` lines near the top fill those fields. A line
/// too long to be a title or a field (a paragraph, or a whole posting on one line) is body
/// text. Inside YAML front matter (`---` lines, as Jekyll and Hugo postings have) values are
/// YAML scalars: `title: "A: B"` is the title `A: B`. Headings are Markdown `#` lines, lines
/// in bold alone, or short lines that read as headings ("Responsibilities:", "WHAT YOU WILL
/// DO").
enum ReferencePlainTextExtractor {
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
    let lines = text.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    )
    .map { referenceNormalizeSpace(String($0)) }
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
      metadataLines.insert(index)
    }
    // A first line too long for a title (a whole posting on one line) is body text, and the
    // posting has no title.
    if title == nil, let first = lines.firstIndex(where: { !$0.isEmpty }), lines[first].count <= maxTitleLength {
      title = stripMarkup(lines[first])
      titleLine = first
    }
    var body = lines.enumerated().filter { index, _ in index != titleLine && !metadataLines.contains(index) }.map(
      \.element)
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
    sections(
      ofLines: text.split(
        omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
      )
      .map { referenceNormalizeSpace(String($0)) })
  }

  private static func sections(ofLines lines: [String]) -> [PostingSection] {
    var builder = ReferenceSectionBuilder()
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
        return index == scalars.count - 1 ? referenceNormalizeSpace(String(result)) : value
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
    let unbolded =
      line.hasPrefix("**") && line.hasSuffix("**") && line.count > 4
      ? String(line.dropFirst(2).dropLast(2)) : nil
    if let unbolded, unbolded.count <= 80, !unbolded.has("**") {
      return stripTrailingColon(unbolded)
    }
    if ReferenceSectionClassifier.looksLikeHeading(line), !isBullet(line) {
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
    var result = String(text).referenceReplacingOccurrences(of: "**", with: "").referenceReplacingOccurrences(
      of: "__", with: "")
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
  func referenceReplacingOccurrences(of target: String, with replacement: String) -> String {
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

/// `SectionClassifier` as it was: recognises section headings and their kinds, for HTML headings, bold lines and plain-text
/// heading lines alike.
enum ReferenceSectionClassifier {
  /// Phrases that mark each kind, matched against the lowercased heading (first match in this
  /// order wins, so "nice to have" is not taken for requirements).
  static let cues: [(SectionKind, [String])] = [
    // "About the role" and "About you" are not about the company.
    (
      .responsibilities,
      [
        "about the role", "about this role", "about the job", "about the position",
        "about the opportunity",
      ]
    ),
    (.requirements, ["about you", "bring"]),
    (
      .legal,
      [
        "equal opportunit", "equal employment", "eeo", "diversity", "accommodation", "privacy",
        "disclaimer", "legal", "e-verify", "non-discrimination", "inclusion",
      ]
    ),
    (
      .benefits,
      [
        "benefit", "perks", "what we offer", "we offer", "compensation", "salary", "pay range",
        "why join", "why work", "what's in it for you", "what you get", "what you'll get", "rewards",
      ]
    ),
    (
      .niceToHave,
      [
        "nice to have", "nice-to-have", "preferred", "bonus", "desirable", "plus if", "extra credit",
        "good to have", "would be great",
      ]
    ),
    (
      .about,
      [
        "about us", "about the company", "who we are", "our company", "company overview",
        "our mission", "about the team", "our story", "the company", "about ", "our team",
        "life at", "culture",
      ]
    ),
    (
      .requirements,
      [
        "requirement", "qualification", "what you bring", "what you'll bring", "must have",
        "must-have", "you have", "skills", "experience", "who you are", "looking for", "about you",
        "you are", "you'll need", "you will need", "what we need", "your profile", "profile",
        "competenc", "what it takes", "essential", "criteria",
      ]
    ),
    (
      .responsibilities,
      [
        "responsib", "what you'll do", "what you will do", "what you’ll do", "the role", "your role",
        "duties", "day to day", "day-to-day", "in this role", "your impact", "you will", "you'll",
        "what you'll be doing", "accountabilit", "the job", "the position", "role overview",
        "job description", "key tasks", "your mission", "the opportunity", "scope", "what we expect",
        "tasks", "overview", "summary",
      ]
    ),
  ]

  /// The kind a heading names, or `.general` when it names none.
  static func kind(ofHeading heading: String) -> SectionKind {
    let lowered = heading.lowercased().referenceReplacingApostrophes()
    for (kind, phrases) in cues where phrases.contains(where: { lowered.has($0) }) {
      return kind
    }
    return .general
  }

  /// Kind of an unheaded paragraph that is plainly legal boilerplate.
  static func isLegalBoilerplate(_ text: String) -> Bool {
    let lowered = text.lowercased()
    return lowered.has("equal opportunity employer") || lowered.has("equal employment opportunity")
      || lowered.has("without regard to race") || lowered.has("regardless of race")
  }

  /// Whole lines that are section headings in postings (compared lowercased, without a
  /// trailing colon).
  static let knownHeadings: Set<String> = [
    "responsibilities", "key responsibilities", "duties", "what you'll do", "what you will do",
    "what you'll be doing", "the role", "your role", "about the role", "role overview", "the job",
    "job description", "overview", "summary", "requirements", "qualifications",
    "minimum qualifications", "basic qualifications", "preferred qualifications", "skills",
    "experience", "what you bring", "what you'll bring", "what you will bring", "who you are",
    "about you", "what we're looking for", "what we are looking for", "must have", "must-haves",
    "nice to have", "nice-to-have", "bonus points", "benefits", "perks", "what we offer",
    "compensation", "about us", "about the company", "who we are", "our mission", "equal opportunity",
    "the team", "about the team", "your profile", "your tasks", "tasks",
  ]

  /// Whether a line of plain text (or a bold-only paragraph) reads as a heading: a short line
  /// ending in a colon, a short line in capitals, a known heading ("Responsibilities"), or a
  /// short Title Case line that starts by naming a kind ("Preferred Qualifications"). Ordinary
  /// short lines ("Strong communication skills") are text.
  static func looksLikeHeading(_ line: String) -> Bool {
    var text = line.trimmingWhitespace()
    guard !text.isEmpty, text.count <= 70 else { return false }
    let endsWithColon = text.hasSuffix(":")
    if endsWithColon { text.removeLast() }
    let words = text.split(whereSeparator: { $0 == " " })
    guard words.count <= 8, let last = text.last else { return false }
    if ".,;!".contains(last) { return false }
    if endsWithColon { return true }
    let letters = text.filter(\.isLetter)
    if letters.count >= 4 && letters.allSatisfy({ $0.isUppercase }) { return true }
    let lowered = text.lowercased().referenceReplacingApostrophes()
    if knownHeadings.contains(lowered) { return true }
    guard words.count <= 5, !text.contains(where: \.isNumber), kind(ofHeading: text) != .general else { return false }
    let startsWithCue = cues.contains { _, phrases in phrases.contains { lowered.hasPrefix($0) } }
    let titleCase = words.allSatisfy { word in word.count < 4 || word.first?.isUppercase == true }
    return startsWithCue && titleCase
  }
}

extension String {
  /// Replaces typographic apostrophes with ASCII ones, so "What you’ll do" matches cues.
  func referenceReplacingApostrophes() -> String {
    guard contains(where: { $0 == "\u{2019}" || $0 == "\u{2018}" }) else { return self }
    return String(map { $0 == "\u{2019}" || $0 == "\u{2018}" ? "'" : $0 })
  }
}

/// `SectionBuilder` as it was: groups a posting's lines into ordered sections by heading.
struct ReferenceSectionBuilder {
  private(set) var sections: [PostingSection] = []
  private var heading = ""
  private var kind = SectionKind.general
  private var lines: [String] = []

  /// Starts a new section under `heading`.
  mutating func startSection(heading newHeading: String) {
    finishSection()
    heading = newHeading
    kind = ReferenceSectionClassifier.kind(ofHeading: newHeading)
  }

  /// Adds a line of text to the current section. An unheaded paragraph of equal-opportunity
  /// text becomes a legal section of its own, so it is not counted as evidence.
  mutating func add(line: String) {
    if kind != .legal, ReferenceSectionClassifier.isLegalBoilerplate(line) {
      let (savedHeading, savedKind) = (heading, kind)
      finishSection()
      sections.append(PostingSection(heading: "", kind: .legal, text: line))
      (heading, kind) = (savedHeading, savedKind)
      return
    }
    lines.append(line)
  }

  /// Ends the current section. A heading with no text under it is dropped: it carries no
  /// evidence, and the next heading starts the next section.
  private mutating func finishSection() {
    if !lines.isEmpty {
      sections.append(PostingSection(heading: heading, kind: kind, text: lines.joined(separator: "\n")))
    }
    lines = []
    heading = ""
    kind = .general
  }

  /// The sections, with the last one closed.
  mutating func build() -> [PostingSection] {
    finishSection()
    return sections
  }
}

/// `normalizeSpace` as it was: collapses runs of white space (including non-breaking and other Unicode spaces) to one
/// space and trims.
///
/// - Complexity: O(n), on the UTF-8 bytes (this runs on every block of every page).
func referenceNormalizeSpace(_ text: String) -> String {
  var copy = text
  return copy.withUTF8 { referenceNormalizeSpace(utf8: $0) }
}

/// `normalizeSpace` of UTF-8 bytes.
func referenceNormalizeSpace(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
  var output: [UInt8] = []
  output.reserveCapacity(bytes.count)
  var pendingSpace = false
  var index = 0
  let count = bytes.count
  while index < count {
    let byte = bytes[index]
    // The width of a white-space character starting here, or 0.
    var space = 0
    switch byte {
    case 0x20, 0x0A, 0x09, 0x0D, 0x0B, 0x0C: space = 1
    case 0xC2 where index + 1 < count && (bytes[index + 1] == 0xA0 || bytes[index + 1] == 0x85): space = 2
    case 0xE2 where index + 2 < count:
      let b1 = bytes[index + 1]
      let b2 = bytes[index + 2]
      if (b1 == 0x80 && (b2 <= 0x8B || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) || (b1 == 0x81 && b2 == 0x9F) {
        space = 3
      }
    case 0xE3 where index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80: space = 3
    case 0xEF where index + 2 < count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF: space = 3
    case 0xE1 where index + 2 < count && bytes[index + 1] == 0x9A && bytes[index + 2] == 0x80: space = 3
    default: space = 0
    }
    if space > 0 {
      pendingSpace = true
      index += space
      continue
    }
    if pendingSpace && !output.isEmpty { output.append(0x20) }
    pendingSpace = false
    output.append(byte)
    index += 1
  }
  return String(decoding: output, as: UTF8.self)
}

/// `ControlCharacters.replace(in:keeping:)` as it was.
enum ReferenceControlCharacters {
  /// `text` with every control not in `keeping` replaced by its visible character, and how many
  /// were replaced.
  ///
  /// - Complexity: O(n) in the UTF-8 length; one pass over the bytes when there is nothing to
  ///   replace (the usual case), and the text is returned as it is.
  static func replace(in text: String, keeping: Set<Unicode.Scalar> = []) -> (text: String, replaced: Int) {
    guard mayHoldControls(text.utf8, keeping: keeping) else { return (text, 0) }
    var result = String.UnicodeScalarView()
    var replaced = 0
    for scalar in text.unicodeScalars {
      if ControlCharacters.isControl(scalar) && !keeping.contains(scalar) {
        result.append(ControlCharacters.picture(of: scalar))
        replaced += 1
      } else {
        result.append(scalar)
      }
    }
    return (String(result), replaced)
  }

  /// Whether `utf8` may hold a control to replace: a byte below 0x20 that `keeping` does not
  /// allow, DEL, or the lead byte 0xC2 of U+0080–U+009F followed by 0x80–0x9F.
  private static func mayHoldControls(_ utf8: String.UTF8View, keeping: Set<Unicode.Scalar>) -> Bool {
    var afterC2 = false
    for byte in utf8 {
      if byte < 0x20 {
        if !keeping.contains(Unicode.Scalar(byte)) { return true }
      } else if byte == 0x7F || (afterC2 && byte <= 0x9F && byte >= 0x80) {
        return true
      }
      afterC2 = byte == 0xC2
    }
    return false
  }
}

/// `PostingReader.dropLeadingTitle` as it was.
enum ReferencePostingReader {
  /// Drops the title where the body repeats it: as a section heading, or as the first line.
  static func dropLeadingTitle(_ sections: [PostingSection], title: String) -> [PostingSection] {
    guard !title.isEmpty else { return sections }
    var result = sections
    for index in result.indices where result[index].heading == title {
      result[index].heading = ""
    }
    if var first = result.first, first.heading.isEmpty {
      let lines = first.text.split(separator: "\n", omittingEmptySubsequences: false)
      if lines.first.map(String.init) == title {
        first.text = lines.dropFirst().joined(separator: "\n")
        result[0] = first
      }
    }
    return result.filter { !$0.text.isEmpty }
  }
}
