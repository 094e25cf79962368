import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// Plain-text and Markdown postings: title, metadata lines, heading lines and bullets.
@Suite("Plain text and Markdown extraction")
struct PlainTextExtractionTests {
  static func readFixture(_ name: String) throws -> Posting {
    let result = try Ingest.readFixture(name)
    #expect(result.skipped.isEmpty)
    return try #require(result.postings.first)
  }

  @Test("the first line of a text posting is its title")
  func titleOnTheFirstLine() throws {
    let posting = try Self.readFixture("plain-title-first.txt")
    #expect(posting.title == "Technical Project Manager – Core Banking Migration")
    #expect(posting.format == .text)
    #expect(!posting.text.contains("Core Banking Migration"))
  }

  @Test("Company:, Location: and Date posted: lines fill those fields and leave the body")
  func metadataLines() throws {
    let posting = try Self.readFixture("plain-title-first.txt")
    #expect(posting.company == "Alder & Finch Bank")
    #expect(posting.location == "Edinburgh, UK (hybrid)")
    #expect(posting.datePosted == "2024-02-19")
    #expect(!posting.text.contains("Company:"))
    #expect(!posting.text.contains("Edinburgh"))
  }

  @Test("a Title: line further down overrides the first line")
  func titleLineFurtherDown() throws {
    let posting = try Self.readFixture("plain-title-line.txt")
    #expect(posting.title == "Technical Program Manager, Patient Portal")
    #expect(posting.location == "Remote (US)")
    #expect(!posting.text.contains("Title:"))
  }

  @Test("heading lines in capitals, with a colon or naming a kind start sections of that kind")
  func headingLinesStartSections() throws {
    let posting = try Self.readFixture("plain-title-first.txt")
    let outline = posting.sections.map { "\($0.kind.rawValue): \($0.heading)" }
    #expect(
      outline == [
        "general: ",
        "responsibilities: WHAT YOU WILL DO",
        "requirements: Requirements",
        "nice-to-have: Nice to have",
        "benefits: BENEFITS",
        "legal: ",
      ])
  }

  @Test("bullets (-, *, •) are stripped and each item stays one line")
  func bulletsAreStripped() throws {
    let posting = try Self.readFixture("plain-title-first.txt")
    let section = try #require(Ingest.section("WHAT YOU WILL DO", in: posting))
    #expect(
      section.text.split(separator: "\n") == [
        "Own the integrated plan for data migration, interfaces and cutover rehearsals.",
        "Run the RAID log and chair the weekly technical design authority.",
        "Coordinate four engineering teams and two external vendors.",
      ])
    let requirements = try #require(Ingest.section("Requirements", in: posting))
    #expect(requirements.text.hasPrefix("Seven years of delivery"))
  }

  @Test("an unheaded equal-opportunity paragraph becomes a legal section, out of the benefits")
  func legalParagraphIsSeparated() throws {
    let posting = try Self.readFixture("plain-title-first.txt")
    let benefits = try #require(Ingest.section("BENEFITS", in: posting))
    #expect(!benefits.text.contains("equal opportunity"))
    #expect(posting.sections.last?.kind == .legal)
  }

  @Test("a kind-naming line ('The Role') starts a section without a colon")
  func kindNamingLineIsAHeading() throws {
    let posting = try Self.readFixture("plain-title-line.txt")
    let role = try #require(Ingest.section("The Role", in: posting))
    #expect(role.kind == .responsibilities)
    #expect(role.text.hasPrefix("We need a technical program manager"))
  }

  @Test(
    "Markdown: '# title', '**Company:**' metadata, '## Requirements' and '**Benefits**' headings")
  func markdownPosting() throws {
    let posting = try Self.readFixture("markdown-posting.md")
    #expect(posting.format == .markdown)
    #expect(posting.title == "Senior Product Manager, Growth")
    #expect(posting.company == "Pebble Learning")
    #expect(posting.location == "Amsterdam or remote in the EU")
    let outline = posting.sections.map { "\($0.kind.rawValue): \($0.heading)" }
    #expect(
      outline == [
        "general: ",
        "responsibilities: What you'll do",
        "requirements: Requirements",
        "benefits: Benefits",
      ])
    #expect(!posting.text.contains("**"))
    #expect(!posting.text.contains("#"))
  }

  @Test("Windows line ends (CRLF) are handled like Unix ones")
  func crlfLineEnds() throws {
    let posting = try Self.readFixture("crlf-posting.txt")
    #expect(posting.title == "Delivery Manager")
    #expect(posting.company == "Fenwick Digital")
    #expect(!posting.text.contains("\r"))
    let section = try #require(Ingest.section("Responsibilities", in: posting))
    #expect(section.text.split(separator: "\n").count == 2)
  }

  @Test("short unbulleted lines that mention skills or experience stay text")
  func shortUnbulletedLinesStayText() throws {
    let posting = try Ingest.posting(
      text: """
        Delivery Manager
        Company: Fenwick Digital

        Requirements:
        5+ years of experience
        Strong communication skills
        Jira and Confluence
        """)
    let requirements = try #require(Ingest.section("Requirements", in: posting))
    #expect(
      requirements.text.split(separator: "\n") == [
        "5+ years of experience", "Strong communication skills", "Jira and Confluence",
      ])
  }

  @Test("a posting on one line too long for a title is read as body text, without a title")
  func oneLongLineIsBody() throws {
    let line = String(repeating: "Product Manager owning the roadmap and the customer interviews. ", count: 16_000)
    let result = try PostingReaderTests.read(line, as: "one-line.txt")
    #expect(result.skipped.isEmpty, "\(result.skipped)")
    let posting = try #require(result.postings.first)
    #expect(posting.title == "")
    #expect(posting.warnings.contains("no title found"))
    #expect(posting.text.count == line.count - 1)  // the trailing space is normalised away
  }

  @Test(
    "a quoted YAML title in front matter is read as YAML: quotes gone, escapes read",
    arguments: [
      (
        "title:  \"FWD.us: Product Manager, Criminal Justice Reform\"",
        "FWD.us: Product Manager, Criminal Justice Reform"
      ),
      ("title: 'Product Manager, Women''s Health'", "Product Manager, Women's Health"),
      ("title: \"The \\\"Platform\\\" Product Manager\"", "The \"Platform\" Product Manager"),
      ("title: \"Caf\\u00E9 Product Manager\"", "Café Product Manager"),
      ("title: Technical Project Manager", "Technical Project Manager"),
      // Quotes that do not enclose one scalar are part of the title.
      ("title: \"Staff\" Product Manager \"Growth\"", "\"Staff\" Product Manager \"Growth\""),
      ("title: \"Product Manager", "\"Product Manager"),
      ("title: \"Bad \\q escape\"", "\"Bad \\q escape\""),
    ])
  func yamlFrontMatterTitle(line: String, title: String) throws {
    let text = "Headline\n---\nlayout: single\n\(line)\n---\n\nYou will own the roadmap and talk to customers.\n"
    let posting = try Ingest.posting(text: text, format: .markdown)
    #expect(posting.title == title)
  }

  @Test(
    "no real posting keeps YAML quotes around its title",
    .enabled(if: TestSupport.sharedData != nil, Comment(rawValue: TestSupport.sharedDataMissing)))
  func realTitlesHaveNoYAMLQuotes() throws {
    let folder = try #require(TestSupport.sharedData).appendingPathComponent("postings")
    let walk = try InputWalker().walk([folder.path])
    let titles = walk.files.flatMap { PostingReader().read($0).postings.map(\.title) }
    #expect(titles.count >= 800)
    let quoted = titles.filter { title in
      title.count >= 2 && ["\"", "'"].contains(title.first) && title.last == title.first
    }
    #expect(quoted.isEmpty, "\(quoted.count) quoted, e.g. \(quoted.prefix(3))")
    #expect(titles.contains("FWD.us: Product Manager, Criminal Justice Reform"))
  }

  @Test("a text file with a title but no body is skipped as no-text")
  func titleOnlyIsNoText() throws {
    let result = PostingReader().extract(
      "Product Manager\n\n", format: .text, id: "pm.txt", path: "pm.txt")
    #expect(result.postings.isEmpty)
    #expect(result.skipped.first?.reason == .noText)
  }
}
