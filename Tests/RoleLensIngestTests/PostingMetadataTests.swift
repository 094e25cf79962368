import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// The date and source of a posting, from every place inputs state them, and dataset columns
/// kept for postings.csv.
@Suite("Posting dates, sources and kept columns")
struct PostingMetadataTests {
  static let body = """
    <h2>What you will do</h2>
    <p>Run the migration plan for the billing platform, track dependencies and risks across four teams, and report to
    the steering group every week.</p>
    """

  static func page(head: String = "", body prefix: String = "") -> String {
    "<html><head><title>Technical Project Manager</title>\(head)</head><body>\(prefix)<h1>Technical Project Manager</h1>\(body)</body></html>"
  }

  @Test(
    "an HTML page's date comes from microdata, <meta> or <time>, as an ISO date",
    arguments: [
      ("<meta itemprop=\"datePosted\" content=\"2021-03-12\">", "", "2021-03-12"),
      ("<meta property=\"article:published_time\" content=\"2022-07-01T09:30:00+02:00\">", "", "2022-07-01"),
      ("<meta name=\"date\" content=\"12 March 2021\">", "", "2021-03-12"),
      ("", "<p>Posted <time datetime=\"2020-11-30\">30 November 2020</time></p>", "2020-11-30"),
      ("", "<p>Posted <span itemprop=\"datePosted\">2019-02-03</span></p>", "2019-02-03"),
      ("", "<p>Posted <time>March 5, 2023</time></p>", "2023-03-05"),
    ])
  func htmlDates(head: String, prefix: String, expected: String) throws {
    let posting = try Ingest.posting(html: Self.page(head: head, body: prefix))
    #expect(posting.datePosted == expected)
    #expect(!posting.warnings.contains { $0.hasPrefix("date ") })
  }

  @Test("JSON-LD's datePosted comes before the page's own dates, microdata before <meta> and <time>")
  func htmlDateOrder() throws {
    let jsonLD = """
      <script type="application/ld+json">{"@type": "JobPosting", "title": "Technical Project Manager",
      "datePosted": "2024-01-15"}</script>
      """
    let posting = try Ingest.posting(
      html: Self.page(
        head: jsonLD + "<meta property=\"article:published_time\" content=\"2020-01-01\">",
        body: "<time datetime=\"2019-01-01\">then</time>"))
    #expect(posting.datePosted == "2024-01-15")
    let second = try Ingest.posting(
      html: Self.page(
        head: "<meta property=\"article:published_time\" content=\"2020-01-01\">",
        body: "<time datetime=\"2019-01-01\">then</time><span itemprop=\"datePosted\">2021-06-06</span>"))
    #expect(second.datePosted == "2021-06-06")
  }

  @Test("an unreadable date is a warning quoting it, never a guess; a readable one after it is used")
  func unreadableDates() throws {
    let ambiguous = try Ingest.posting(
      text: "Technical Project Manager\nPosted: 03/04/2021\n\n" + "Run the plan. " * 20)
    #expect(ambiguous.datePosted == nil)
    #expect(ambiguous.warnings.contains { $0.contains("'03/04/2021'") && $0.contains("left out") })
    let jsonLD = """
      <script type="application/ld+json">{"@type": "JobPosting", "datePosted": "yesterday"}</script>
      """
    let fallback = try Ingest.posting(html: Self.page(head: jsonLD + "<meta name=\"date\" content=\"2022-02-02\">"))
    #expect(fallback.datePosted == "2022-02-02")
    #expect(fallback.warnings.contains { $0.contains("'yesterday' (JSON-LD datePosted)") })
  }

  @Test(
    "a text posting's 'Date posted:' or 'Posted:' line gives its date",
    arguments: [
      ("Date posted: 12 March 2021", "2021-03-12"), ("Posted: 2021-03-12", "2021-03-12"),
      ("Date: 14.03.2023", "2023-03-14"), ("**Date posted:** March 3, 2025", "2025-03-03"),
    ])
  func textDates(line: String, expected: String) throws {
    let posting = try Ingest.posting(
      text: "Technical Project Manager\n\(line)\n\nRun the migration plan across four teams.", format: .markdown)
    #expect(posting.datePosted == expected)
    #expect(!posting.text.contains(line))
  }

  @Test("og:site_name is a page's source")
  func htmlSource() throws {
    let posting = try Ingest.posting(html: Self.page(head: "<meta property=\"og:site_name\" content=\"Acme Careers\">"))
    #expect(posting.source == "Acme Careers")
    #expect(try Ingest.posting(html: Self.page()).source == nil)
  }

  static let dataset = """
    job_id,title,posted,site,job_url,description
    1,Technical Project Manager,2021-03-12,indeed,https://example.org/1,"Run the migration plan across four teams and report risks."
    2,Product Manager,1615507200,linkedin,https://example.org/2,"Own the roadmap, interview customers and decide what to build."
    3,Product Manager,03/04/2021,,https://example.org/3,"Own the roadmap, interview customers and decide what to build next."
    """

  @Test("a dataset's date column (ISO, Unix time) and site column give date and source; an ambiguous date warns")
  func datasetColumns() throws {
    let result = try DatasetTests.read(Self.dataset, as: "jobs.csv")
    #expect(result.postings.map(\.datePosted) == ["2021-03-12", "2021-03-12", nil])
    #expect(result.postings.map(\.source) == ["indeed", "linkedin", nil])
    #expect(result.postings[2].warnings.contains { $0.contains("'03/04/2021' (column 'posted')") })
    #expect(result.postings[0].columns.isEmpty)
  }

  @Test("--keep-columns carries columns verbatim, empty where a row has none; --date-column picks the date")
  func keptColumns() throws {
    var options = IngestOptions()
    options.keepColumns = ["job_url", "missing", "site"]
    options.dateColumn = "job_id"
    let result = try DatasetTests.read(Self.dataset, as: "kept.csv", options: options)
    #expect(
      result.postings.map(\.columns[0]) == ["https://example.org/1", "https://example.org/2", "https://example.org/3"])
    #expect(result.postings.allSatisfy { $0.columns[1] == "" })
    #expect(result.postings.map(\.columns[2]) == ["indeed", "linkedin", ""])
    // "1" is no date: every row warns and has none.
    #expect(result.postings.allSatisfy { $0.datePosted == nil })
    options.dateColumn = "nope"
    let refused = try DatasetTests.read(Self.dataset, as: "jobs.csv", options: options)
    #expect(refused.postings.isEmpty)
    #expect(refused.skipped.first?.detail.contains("no column 'nope' (--date-column)") == true)
  }
}

private func * (text: String, count: Int) -> String { String(repeating: text, count: count) }
