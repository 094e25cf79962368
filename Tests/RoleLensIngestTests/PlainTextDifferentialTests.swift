import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// The byte-level plain-text path gives what the `String` path it replaced gave
/// (`ReferencePlainTextExtractor`), on real postings and on generated lines full of the cases
/// where bytes and Characters part: CR LF, combining marks, canonical equivalents, Unicode
/// white space, bullets, markup, capitals, controls.
@Suite("Plain-text byte path matches the String path")
struct PlainTextDifferentialTests {
  /// A readable account of an extraction, for comparing two.
  static func describe(_ result: PlainTextExtractor.Result) -> String {
    describe(
      title: result.title, company: result.company, location: result.location, date: result.datePosted,
      sections: result.sections)
  }

  /// `describe` of the reference's result.
  static func describe(_ result: ReferencePlainTextExtractor.Result) -> String {
    describe(
      title: result.title, company: result.company, location: result.location, date: result.datePosted,
      sections: result.sections)
  }

  static func describe(
    title: String, company: String?, location: String?, date: String?, sections: [PostingSection]
  ) -> String {
    var lines = ["title=\(title.debugDescription)", "company=\(company.debugDescription)"]
    lines.append("location=\(location.debugDescription) date=\(date.debugDescription)")
    for section in sections {
      lines.append("[\(section.kind.rawValue)] \(section.heading.debugDescription): \(section.text.debugDescription)")
    }
    return lines.joined(separator: "\n")
  }

  /// Both paths' extraction of `text`, and their body sections.
  static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for limit in [300, 12] {
      let new = describe(PlainTextExtractor.extract(text, maxTitleLength: limit))
      let old = describe(ReferencePlainTextExtractor.extract(text, maxTitleLength: limit))
      #expect(new == old, "text: \(text.debugDescription)", sourceLocation: sourceLocation)
    }
    #expect(
      PlainTextExtractor.bodySections(text) == ReferencePlainTextExtractor.bodySections(text),
      "text: \(text.debugDescription)", sourceLocation: sourceLocation)
  }

  /// Lines mixing what the heading tests look at; each is also tried with markup around it.
  static let fragments: [String] = [
    "Responsibilities", "Responsibilities:", "WHAT YOU WILL DO", "What you’ll do", "What you'll do:",
    "## Requirements", "#Hashtag opening", "####### seven", "# ", "#\u{20E3} keycap", "**Benefits**",
    "**About us:**", "** spaced **", "***", "*****", "**a**b**", "__init__ method", "_**_", "- item one",
    "• bullet", "* star item", "· middle dot", "\u{387} ano teleia", "– dash item", "▪ square", "◦ ring",
    "● disc", "-no space", "Title: Senior PM", "**Company:** Acme", "Location: Zürich", "Date posted: 2024-01-01",
    "Job Title: \"A: B\"", "title: 'It''s'", "---", "...", "Über uns", "ÜBER UNS", "Qualifikationen:",
    "Nice To Have", "Preferred Qualifications", "Strong communication skills", "Skills", "SKILLS",
    "Ⅳ Quarter", "① first", "İstanbul Office", "\u{212A}ey Tasks", "Key Tasks", "Equal Opportunity Employer",
    "We are an EQUAL OPPORTUNITY EMPLOYER.", "regardless of race", "日本語の見出し", "職務内容:", "한국어 제목",
    "Привет Мир", "ОБЯЗАННОСТИ", "Café Culture", "Cafe\u{301} Culture", "e\u{301}quipe", "end;", "end\u{37E}",
    "Wow!", "Done.", "a, b,", "Numbers 2024", "Version ٣", "👍🏽 great", "🇩🇪 Germany", "Hello 👋",
    "x\u{200D}y", "\u{0600}: prepended", "a:\u{301} b", "Colon:\u{301}", "About The Team", "About the company",
    "Life At Acme", "Your Impact", "The Role", "role overview", "A Very Long Heading That Has Far Too Many Words In It",
    String(repeating: "word ", count: 80), String(repeating: "É", count: 90), "\u{1B}[31mred", "bell\u{7}",
    "nul\u{0}byte", "c1\u{85}next", "c1\u{9B}csi", "del\u{7F}", "tab\there", "nbsp\u{A0}here", "em\u{2003}space",
    "zw\u{200B}sp", "\u{FEFF}bom", "ideo\u{3000}space", "line\u{2028}sep", "fullwidth：colon", "WHAT WE OFFER",
    "Perks & Benefits", "BONUS POINTS", "Must-haves", "Day-to-day", "What's in it for you", "whats in it for you?",
    "", " ", "\t", ":", "::", "**:**", "K", "ǅungla", "ß", "ẞ", "ǈ", "Ǆ SHOUTING",
  ]

  /// Line breaks between fragments.
  static let breaks = ["\n", "\r\n", "\r", "\n\n", "\r\r\n", "\n\r"]

  @Test("generated postings of edge-case lines extract the same")
  func generatedPostings() {
    var generator = SplitMix(seed: 12)
    for _ in 0..<1500 {
      var text = generator.next() % 5 == 0 ? "\u{FEFF}" : ""
      for _ in 0..<(1 + Int(generator.next() % 14)) {
        var line = Self.fragments[Int(generator.next() % UInt64(Self.fragments.count))]
        switch generator.next() % 8 {
        case 0: line = "**" + line + "**"
        case 1: line = "  " + line + " \t"
        case 2: line = "- " + line
        case 3: line += ":"
        case 4: line = line.uppercased()
        default: break
        }
        text += line + Self.breaks[Int(generator.next() % UInt64(Self.breaks.count))]
      }
      if generator.next() % 3 == 0 { text.removeLast() }
      Self.expectSame(text)
    }
  }

  @Test("every fragment alone, and with markup, extracts the same")
  func singleFragments() {
    for fragment in Self.fragments {
      for line in [
        fragment, "**\(fragment)**", "# \(fragment)", "- \(fragment)", "\(fragment):", fragment.uppercased(),
      ] {
        Self.expectSame("Title\n\(line)\nbody text")
        Self.expectSame(line)
        #expect(
          SectionClassifier.looksLikeHeading(line) == ReferenceSectionClassifier.looksLikeHeading(line),
          "line: \(line.debugDescription)")
        #expect(
          SectionClassifier.kind(ofHeading: line) == ReferenceSectionClassifier.kind(ofHeading: line),
          "line: \(line.debugDescription)")
        #expect(
          SectionClassifier.isLegalBoilerplate(line) == ReferenceSectionClassifier.isLegalBoilerplate(line),
          "line: \(line.debugDescription)")
        #expect(normalizeSpace(line) == referenceNormalizeSpace(line), "line: \(line.debugDescription)")
      }
    }
  }

  @Test("the text fixtures and Corpus/ postings extract the same")
  func realPostings() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var files: [URL] = []
    for folder in [
      root.appendingPathComponent("Corpus"),
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures"),
    ] {
      let found = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
      while let url = found?.nextObject() as? URL {
        if ["txt", "md"].contains(url.pathExtension) { files.append(url) }
      }
    }
    #expect(files.count >= 10)
    for file in files {
      // Decoded as a run decodes them (a few are Windows-1252 or UTF-16 on purpose).
      if case .success(let decoded) = TextDecoding.decode(Array(try Data(contentsOf: file)), isMarkup: false) {
        Self.expectSame(decoded.text)
      }
    }
  }

  @Test("real postings of the shared data set extract the same", .enabled(if: SharedPostings.folder != nil))
  func sharedPostings() throws {
    let folder = try #require(SharedPostings.folder)
    let found = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    var count = 0
    while let url = found?.nextObject() as? URL {
      guard ["txt", "md"].contains(url.pathExtension),
        case .success(let decoded) = TextDecoding.decode(Array(try Data(contentsOf: url)), isMarkup: false)
      else { continue }
      Self.expectSame(decoded.text)
      count += 1
    }
    #expect(count > 0)
  }

  @Test("control characters are found and replaced as before")
  func controlCharacters() {
    var generator = SplitMix(seed: 7)
    let pieces = [
      "a", "é", "\n", "\t", "\r", "\u{1B}", "\u{0}", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}", "\u{C2}", "€", " ",
    ]
    let keepings: [Set<Unicode.Scalar>] = [[], ControlCharacters.bodyLayout, ControlCharacters.escapedByFormats]
    for _ in 0..<3000 {
      var text = ""
      for _ in 0..<Int(generator.next() % 12) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
      for keeping in keepings {
        let new = ControlCharacters.replace(in: text, keeping: keeping)
        let old = ReferenceControlCharacters.replace(in: text, keeping: keeping)
        #expect(new.text == old.text && new.replaced == old.replaced, "text: \(text.debugDescription)")
      }
    }
  }

  @Test("white space is collapsed as before, also in invalid UTF-8")
  func whiteSpace() {
    var generator = SplitMix(seed: 3)
    let bytes: [UInt8] = [
      0x20, 0x0A, 0x09, 0x0D, 0x41, 0xC2, 0xA0, 0x85, 0xE2, 0x80, 0x8B, 0xA8, 0xE3, 0xEF, 0xBB, 0xBF, 0xE1, 0x9A, 0xFF,
    ]
    for _ in 0..<3000 {
      let sample = (0..<Int(generator.next() % 10)).map { _ in bytes[Int(generator.next() % UInt64(bytes.count))] }
      let new = sample.withUnsafeBufferPointer { normalizeSpace(utf8: $0) }
      let old = sample.withUnsafeBufferPointer { referenceNormalizeSpace(utf8: $0) }
      #expect(Array(new.utf8) == Array(old.utf8), "bytes: \(sample)")
    }
  }

  @Test("a title repeated as the first line is dropped as before")
  func leadingTitle() {
    let titles = ["Product Manager", "Cafe\u{301}", "Café", "PM"]
    let texts = [
      "Product Manager\nrest", "Product Manager", "Product Manager\r\nrest", "Café\nrest", "Cafe\u{301}\nx\ny",
      "PM\n", "\nPM", "other\nProduct Manager",
    ]
    for title in titles {
      for text in texts {
        for heading in ["", title, "Other"] {
          let sections = [
            PostingSection(heading: heading, kind: .general, text: text),
            PostingSection(heading: title, kind: .about, text: "more"),
          ]
          #expect(
            PostingReader.dropLeadingTitle(sections, title: title)
              == ReferencePostingReader.dropLeadingTitle(sections, title: title),
            "title \(title.debugDescription), text \(text.debugDescription)")
        }
      }
    }
  }
}

/// `../shared/data/postings` next to the repository, when it is there.
enum SharedPostings {
  static var folder: URL? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let folder = root.deletingLastPathComponent().appendingPathComponent("shared/data/postings")
    return FileManager.default.fileExists(atPath: folder.path) ? folder : nil
  }
}
