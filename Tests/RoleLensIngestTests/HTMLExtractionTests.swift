import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// What a user of `inspect` sees for HTML pages: libxml2 recovers from broken markup, page
/// furniture is dropped, lists are kept and headings start sections of the right kind.
@Suite("HTML extraction")
struct HTMLExtractionTests {
  // MARK: - Malformed markup

  @Test("a page with unclosed tags, stray end tags and <li> without <ul> still yields the posting")
  func malformedPageYieldsThePosting() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("malformed-posting.html"))
    #expect(posting.title == "Technical Project Manager")
    #expect(posting.format == .html)
    // The intro sits in an unclosed <p> followed by stray </span>, </div></div>.
    #expect(posting.text.contains("need someone to run the cutover from plan to go-live."))
    #expect(posting.text.contains("A PRINCE2 or PMP certificate."))
  }

  @Test("list items written without a <ul> stay items under their heading")
  func listItemsWithoutAListStayItems() throws {
    // "list items written without a <ul> become one line each under their heading"
    let posting = try Ingest.posting(html: try Ingest.fixtureText("malformed-posting.html"))
    let section = try #require(Ingest.section("What you'll do", in: posting))
    #expect(section.kind == .responsibilities)
    #expect(
      section.text.split(separator: "\n") == [
        "Own the integrated project plan for the terminal system migration across four engineering teams.",
        "Run the weekly RAID log review with the vendor, the warehouse leads and our security office.",
        "Plan the weekend cutover, the rollback rehearsal and the hypercare rota.",
      ])
  }

  @Test(
    "page furniture of a malformed page is not posting text",
    arguments: [
      "All jobs",  // nav
      "Life at Harbourline",  // nav link
      "dataLayer",  // script
      "font-family",  // style
      "Share this job",  // share links
      "Twitter",  // share links
      "Similar jobs",  // "similar jobs" list
      "Senior Scrum Master",  // "similar jobs" list
      "Waalhaven",  // footer
      "2024 Harbourline Logistics",  // footer
    ])
  func malformedPageFurnitureIsDropped(furniture: String) throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("malformed-posting.html"))
    #expect(!posting.text.contains(furniture))
    #expect(!posting.title.contains(furniture))
  }

  @Test("a bold-only line nested in an unclosed <li> starts a section")
  func boldLineAfterUnclosedListItemStartsASection() throws {
    // libxml2 nests everything after the unclosed "<li>Plan the weekend cutover" inside that
    // <li>; the browser still shows "Nice to have" as a bold line of its own.
    let posting = try Ingest.posting(html: try Ingest.fixtureText("malformed-posting.html"))
    let section = try #require(Ingest.section("Nice to have", in: posting))
    #expect(section.kind == .niceToHave)
    #expect(section.text.contains("A PRINCE2 or PMP certificate."))
    let requirements = try #require(Ingest.section("Requirements", in: posting))
    #expect(!requirements.text.contains("PRINCE2"))
  }

  // MARK: - Boilerplate

  @Test(
    "cookie banners, navigation, hidden forms, share links and related-job lists are dropped",
    arguments: [
      "This site uses cookies",  // closed cookie banner
      "Reject non-essential",  // its buttons
      "Blog",  // nav
      "Email me similar jobs",  // hidden modal with a form
      "Share on Facebook",  // social share list
      "Product Designer, Patient App",  // related jobs aside
      "Clarendon Street",  // footer
    ])
  func wellFormedPageFurnitureIsDropped(furniture: String) throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("well-formed-posting.html"))
    #expect(!posting.text.contains(furniture))
  }

  @Test("an unclosed cookie-banner <div> that swallows the page does not lose the posting")
  func unclosedCookieBannerKeepsThePosting() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("cookie-banner-unclosed.html"))
    #expect(posting.title == "Product Manager, Payments")
    let responsibilities = try #require(Ingest.section("Responsibilities", in: posting))
    #expect(responsibilities.kind == .responsibilities)
    #expect(responsibilities.text.split(separator: "\n").count == 5)
    #expect(responsibilities.text.hasPrefix("Own the payments product roadmap"))
    let qualifications = try #require(Ingest.section("Qualifications", in: posting))
    #expect(qualifications.kind == .requirements)
    #expect(qualifications.text.contains("you write your own SQL queries"))
  }

  @Test("an unclosed cookie banner's own text is not posting text")
  func unclosedCookieBannerTextIsDropped() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("cookie-banner-unclosed.html"))
    #expect(!posting.text.contains("We use cookies"))
  }

  // MARK: - Lists and sections

  @Test("bullet lists are kept, one item per line")
  func bulletListsAreKept() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("well-formed-posting.html"))
    let section = try #require(Ingest.section("About you", in: posting))
    #expect(
      section.text == """
        Five years of product management on B2B software, two of them in healthcare.
        You have run customer interviews and usability tests yourself.
        """)
  }

  @Test("headings, bold-only lines and 'Perks:' lines start sections of the kind they name")
  func headingsStartSectionsOfTheirKind() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("well-formed-posting.html"))
    let outline = posting.sections.map { "\($0.kind.rawValue): \($0.heading)" }
    #expect(
      outline == [
        "general: ",
        "responsibilities: What you’ll do",
        "requirements: About you",
        "nice-to-have: Preferred qualifications",
        "about: About Mendel Health",
        "benefits: Perks",
        "legal: Equal employment opportunity",
      ])
  }

  @Test("the h1 that repeats the title is not kept as a heading or body line")
  func titleIsNotRepeatedInTheBody() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("well-formed-posting.html"))
    #expect(posting.title == "Senior Product Manager, Clinician Tools")
    #expect(!posting.text.contains("Senior Product Manager, Clinician Tools"))
    #expect(posting.sections.first?.text.hasPrefix("Mendel Health builds the scheduling") == true)
  }

  // MARK: - Title

  /// A page with the given title sources and a short posting body.
  static func page(title: String?, openGraph: String?, h1: String?, jsonLDTitle: String?) -> String {
    var head = ""
    if let title { head += "<title>\(title)</title>\n" }
    if let openGraph { head += "<meta property=\"og:title\" content=\"\(openGraph)\">\n" }
    if let jsonLDTitle {
      head += """
        <script type="application/ld+json">
        {"@context": "https://schema.org", "@type": "JobPosting", "title": "\(jsonLDTitle)"}
        </script>

        """
    }
    return """
      <html><head>\(head)</head><body>
      \(h1.map { "<h1>\($0)</h1>" } ?? "")
      <p>Northwind Freight is hiring someone to plan and track the rollout of our new warehouse system across twelve depots.</p>
      <h2>Responsibilities</h2>
      <ul><li>Keep the rollout plan, the risk register and the budget up to date.</li></ul>
      </body></html>
      """
  }

  struct TitleCase: Sendable, CustomTestStringConvertible {
    var title: String?
    var openGraph: String?
    var h1: String?
    var jsonLD: String?
    var expected: String
    var testDescription: String { "expects '\(expected)'" }
  }

  @Test(
    "the title comes from JSON-LD, else the first h1, else og:title, else <title>",
    arguments: [
      TitleCase(
        title: "Jobs | Northwind", openGraph: "Northwind is hiring", h1: "Rollout Lead",
        jsonLD: "IT Project Manager", expected: "IT Project Manager"),
      TitleCase(
        title: "Jobs | Northwind", openGraph: "Northwind is hiring", h1: "Rollout Lead",
        jsonLD: nil,
        expected: "Rollout Lead"),
      TitleCase(
        title: "Jobs | Northwind", openGraph: "Warehouse Systems Project Manager", h1: nil,
        jsonLD: nil,
        expected: "Warehouse Systems Project Manager"),
      TitleCase(
        title: "Project Coordinator - Northwind Freight", openGraph: nil, h1: nil, jsonLD: nil,
        expected: "Project Coordinator - Northwind Freight"),
    ])
  func titlePrecedence(_ example: TitleCase) throws {
    let html = Self.page(
      title: example.title, openGraph: example.openGraph, h1: example.h1,
      jsonLDTitle: example.jsonLD)
    let posting = try Ingest.posting(html: html)
    #expect(posting.title == example.expected)
  }

  @Test("a 1 MB <title> is cut to the title limit with a warning, and the body is still read")
  func hugeTitleIsCut() throws {
    let words = String(repeating: "Senior Data Platform Product Manager ", count: 28_500)
    #expect(words.utf8.count > 1_000_000)
    let html = """
      <html><head><title>\(words)</title></head><body>
      <p>Kestrel Analytics runs the data platform behind 300 retail brands, and the platform team is growing.</p>
      <h2>Responsibilities</h2><ul><li>Own the ingestion roadmap and talk to the analysts who use it.</li></ul>
      </body></html>
      """
    let posting = try Ingest.posting(html: html)
    let limit = IngestOptions().maxTitleLength
    #expect(posting.title.count <= limit)
    #expect(posting.title.hasPrefix("Senior Data Platform Product Manager Senior"))
    #expect(posting.warnings.contains { $0.contains("title") })
    #expect(Ingest.section("Responsibilities", in: posting) != nil)
  }

  @Test("a page with an ordinary title carries no title warning")
  func ordinaryTitleHasNoWarning() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("well-formed-posting.html"))
    #expect(posting.warnings.isEmpty)
  }
}
