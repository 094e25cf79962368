import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// Dataset files (`.csv`, `.jsonl`, `.json`) read through `PostingReader.read`, as a run reads
/// them: one posting per row, with the row number, an id naming the row, and the common
/// columns mapped to title, company, location and date.
@Suite("Reading dataset files")
struct DatasetTests {
  /// Writes `text` to `name` in a new folder and reads it as a run would.
  static func read(_ text: String, as name: String, options: IngestOptions = IngestOptions())
    throws -> ReadResult
  {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(text, to: name, in: folder)
    return PostingReader(options: options).read(try Ingest.inputFile(path))
  }

  // MARK: - Sample rows

  static let tpmDescription = """
    Responsibilities:
    - Run the "go-live" plan for the billing migration, end to end
    - Track dependencies, risks and cutover steps across four engineering teams
    Requirements:
    - 5+ years delivering infrastructure projects, including data migrations
    - Working knowledge of CI/CD and cloud networking
    """

  static let pmDescription = """
    What you'll do:
    - Own the roadmap for the mobile checkout and decide what we build next
    - Interview customers every week and turn what you learn into product bets
    Requirements:
    - 4+ years as a product manager on a consumer app
    - Comfortable with A/B testing and funnel analysis
    """

  /// A CSV cell: quoted, with quotes doubled.
  static func cell(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Two postings in a CSV with CRLF line ends, a company with a comma, doubled quotes and line
  /// breaks inside the quoted description.
  /// The date is the last, unquoted column, so a carriage return left by the parser would show
  /// in it.
  static var csv: String {
    let lines = [
      "job_title,company,location,description,date_posted",
      [
        "Technical Project Manager", cell("Northwind Logistics, Inc."), "Rotterdam",
        cell(tpmDescription.replacingOccurrences(of: "\n", with: "\r\n")), "2024-05-02",
      ].joined(separator: ","),
      [
        "Senior Product Manager", cell("Fabrikam Retail"), cell("Lyon, France"),
        cell(pmDescription.replacingOccurrences(of: "\n", with: "\r\n")), "2024-06-11",
      ].joined(separator: ","),
    ]
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  // MARK: - CSV

  @Test("a CSV file gives one posting per data row, with 1-based rows and ids file#row")
  func csvOnePostingPerRow() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv")
    #expect(result.skipped.isEmpty, "skipped: \(result.skipped)")
    #expect(result.postings.map(\.row) == [1, 2])
    #expect(result.postings.map(\.id) == ["jobs.csv#1", "jobs.csv#2"])
    #expect(result.postings.allSatisfy { $0.format == .csv })
  }

  @Test("CSV title, company, location and date come from job_title, company, location, date_posted")
  func csvCommonColumns() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv")
    let first = try #require(result.postings.first)
    #expect(first.title == "Technical Project Manager")
    #expect(first.company == "Northwind Logistics, Inc.")
    #expect(first.location == "Rotterdam")
    #expect(first.datePosted == "2024-05-02")
  }

  @Test("a quoted CSV field keeps its commas")
  func csvQuotedComma() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv")
    #expect(result.postings.map(\.location) == ["Rotterdam", "Lyon, France"])
  }

  @Test("doubled quotes in a quoted CSV field are one quote in the text")
  func csvDoubledQuotes() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv")
    let first = try #require(result.postings.first)
    #expect(first.text.contains("Run the \"go-live\" plan"))
    #expect(!first.text.contains("\"\""))
  }

  @Test("line breaks inside a quoted description keep its sections apart")
  func csvEmbeddedNewlines() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv")
    let first = try #require(result.postings.first)
    #expect(first.sections.map(\.kind) == [.responsibilities, .requirements])
    let duties = try #require(Ingest.section("Responsibilities", in: first))
    #expect(duties.text.split(separator: "\n").count == 2)
  }

  @Test("CRLF line ends leave no carriage return in any field")
  func csvCRLF() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv")
    for posting in result.postings {
      let fields = [
        posting.title, posting.company, posting.location, posting.datePosted, posting.text,
      ]
      for field in fields.compactMap({ $0 }) {
        #expect(!field.contains("\r"), "\(posting.id): \(field.debugDescription)")
      }
    }
    #expect(result.postings.map(\.datePosted) == ["2024-05-02", "2024-06-11"])
  }

  @Test("the row of a posting counts records, not the physical lines of multi-line cells")
  func csvRowCountsRecords() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv")
    #expect(result.postings.last?.row == 2)
    #expect(result.postings.last?.title == "Senior Product Manager")
  }

  @Test("HTML in a description cell is parsed as HTML: its headings start sections")
  func csvHTMLDescription() throws {
    let html = """
      <p>We move freight across Europe and need someone to keep our platform launches on track.</p>\
      <h3>Responsibilities</h3><ul><li>Plan and run the release train for six squads</li>\
      <li>Report delivery risks to the CTO every Friday</li></ul>\
      <h3>Qualifications</h3><ul><li>Experience as a technical project manager in logistics</li>\
      <li>PMP or PRINCE2 certification</li></ul>
      """
    let csv = "title,description\nTechnical Project Manager,\(Self.cell(html))\n"
    let result = try Self.read(csv, as: "jobs.csv")
    let posting = try #require(result.postings.first)
    #expect(posting.sections.map(\.heading).contains("Responsibilities"))
    #expect(Ingest.section("Responsibilities", in: posting)?.kind == .responsibilities)
    #expect(Ingest.section("Qualifications", in: posting)?.kind == .requirements)
    #expect(!posting.text.contains("<li>"))
    #expect(posting.text.contains("Plan and run the release train for six squads"))
  }

  @Test("titleColumn and textColumn pick columns with unusual names")
  func csvMappedColumns() throws {
    let csv = """
      ref,headline,posting_name,full_text
      A-17,We are hiring!,Technical Program Manager,\(Self.cell(Self.tpmDescription))

      """
    var options = IngestOptions()
    options.titleColumn = "posting_name"
    options.textColumn = "full_text"
    let result = try Self.read(csv, as: "jobs.csv", options: options)
    let posting = try #require(result.postings.first)
    #expect(posting.title == "Technical Program Manager")
    #expect(posting.text.contains("billing migration"))
    #expect(!posting.text.contains("We are hiring"))
  }

  @Test("a dataset without a description column is skipped as corrupt, naming its columns")
  func csvMissingDescriptionColumn() throws {
    let csv = "job_title,company,city\nProduct Manager,Contoso,Oslo\n"
    let result = try Self.read(csv, as: "jobs.csv")
    #expect(result.postings.isEmpty)
    let skip = try #require(result.skipped.first)
    #expect(result.skipped.count == 1)
    #expect(skip.reason == .corrupt)
    #expect(skip.row == nil)
    for column in ["job_title", "company", "city"] {
      #expect(skip.detail.contains(column), "\(skip.detail)")
    }
  }

  @Test("a textColumn that does not exist is a corrupt skip naming the asked column")
  func csvMissingMappedColumn() throws {
    var options = IngestOptions()
    options.textColumn = "full_text"
    let result = try Self.read(Self.csv, as: "jobs.csv", options: options)
    #expect(result.postings.isEmpty)
    #expect(result.skipped.map(\.reason) == [.corrupt])
    #expect(result.skipped.first?.detail.contains("full_text") == true)
  }

  @Test("a row with an empty description is a bad-row skip; the other rows are read")
  func csvEmptyDescription() throws {
    let csv = """
      title,description
      Technical Project Manager,\(Self.cell(Self.tpmDescription))
      Product Manager,"   "
      Product Manager,\(Self.cell(Self.pmDescription))

      """
    let result = try Self.read(csv, as: "jobs.csv")
    #expect(result.postings.map(\.row) == [1, 3])
    let skip = try #require(result.skipped.first)
    #expect(result.skipped.count == 1)
    #expect(skip.reason == .badRow)
    #expect(skip.row == 2)
  }

  // MARK: - JSON lines

  static func jsonLine(_ object: [String: String]) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  @Test("a .jsonl file gives one posting per line, with common field names mapped")
  func jsonlOnePostingPerLine() throws {
    let lines = [
      try Self.jsonLine([
        "job_title": "Technical Project Manager", "company": "Northwind Logistics",
        "location": "Rotterdam",
        "date_posted": "2024-05-02", "description": Self.tpmDescription,
      ]),
      try Self.jsonLine([
        "job_title": "Senior Product Manager", "company": "Fabrikam Retail", "location": "Lyon",
        "date_posted": "2024-06-11", "description": Self.pmDescription,
      ]),
    ]
    let result = try Self.read(lines.joined(separator: "\n") + "\n", as: "feed.jsonl")
    #expect(result.skipped.isEmpty)
    #expect(result.postings.map(\.id) == ["feed.jsonl#1", "feed.jsonl#2"])
    #expect(result.postings.map(\.row) == [1, 2])
    #expect(
      result.postings.map(\.title) == ["Technical Project Manager", "Senior Product Manager"])
    #expect(result.postings.map(\.company) == ["Northwind Logistics", "Fabrikam Retail"])
    #expect(result.postings.map(\.location) == ["Rotterdam", "Lyon"])
    #expect(result.postings.map(\.datePosted) == ["2024-05-02", "2024-06-11"])
    #expect(result.postings.allSatisfy { $0.format == .jsonl })
  }

  @Test("a broken .jsonl line is a bad-row skip with its row number; the other lines are read")
  func jsonlBrokenLine() throws {
    let lines = [
      try Self.jsonLine(["title": "Technical Project Manager", "description": Self.tpmDescription]),
      "{\"title\": \"Product Manager\", \"description\": \"Own the roadmap",
      try Self.jsonLine(["title": "Senior Product Manager", "description": Self.pmDescription]),
    ]
    let result = try Self.read(lines.joined(separator: "\n") + "\n", as: "feed.jsonl")
    #expect(result.postings.map(\.row) == [1, 3])
    #expect(result.postings.map(\.id) == ["feed.jsonl#1", "feed.jsonl#3"])
    let skip = try #require(result.skipped.first)
    #expect(result.skipped.count == 1)
    #expect(skip.reason == .badRow)
    #expect(skip.row == 2)
    #expect(skip.detail.contains("2"), "\(skip.detail)")
  }

  // MARK: - JSON

  static let jsonPostings = """
    [
      {"title": "Technical Project Manager", "company": "Northwind Logistics", "location": "Rotterdam",
       "date_posted": "2024-05-02", "description": \(jsonString(tpmDescription))},
      {"title": "Senior Product Manager", "company": "Fabrikam Retail", "location": "Lyon",
       "date_posted": "2024-06-11", "description": \(jsonString(pmDescription))}
    ]
    """

  static func jsonString(_ text: String) -> String {
    let data =
      (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data("[\"\"]".utf8)
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
  }

  @Test("a .json array gives one posting per element, rows from 1")
  func jsonArray() throws {
    let result = try Self.read(Self.jsonPostings, as: "export.json")
    #expect(result.skipped.isEmpty)
    #expect(result.postings.map(\.id) == ["export.json#1", "export.json#2"])
    #expect(
      result.postings.map(\.title) == ["Technical Project Manager", "Senior Product Manager"])
    #expect(result.postings.map(\.company) == ["Northwind Logistics", "Fabrikam Retail"])
    #expect(result.postings.map(\.datePosted) == ["2024-05-02", "2024-06-11"])
    #expect(result.postings.allSatisfy { $0.format == .json })
  }

  @Test("a .json object holding \"jobs\": [...] gives one posting per job")
  func jsonObjectWithJobs() throws {
    let text = "{\"count\": 2, \"page\": 1, \"jobs\": \(Self.jsonPostings)}"
    let result = try Self.read(text, as: "api-response.json")
    #expect(result.skipped.isEmpty)
    #expect(result.postings.map(\.row) == [1, 2])
    #expect(
      result.postings.map(\.title) == ["Technical Project Manager", "Senior Product Manager"])
    #expect(result.postings.map(\.location) == ["Rotterdam", "Lyon"])
  }

  // MARK: - Labels files

  @Test(
    "a labels CSV (file and label columns, no description) is skipped with reason labels",
    arguments: [
      "file,label,body_role,note\njob-boards/a.html,product-manager,product-manager,note\n",
      "file,source,title,label\ndev-0001.txt,google,\"Strategic Partner Manager\",other\n",
      "file,label\n",
    ])
  func labelsFileIsSkippedAsLabels(text: String) throws {
    let result = try Self.read(text, as: "labels.csv")
    #expect(result.postings.isEmpty)
    #expect(result.skipped.map(\.reason.rawValue) == ["labels"])
    #expect(result.skipped.first?.detail.contains("labels file") == true)
  }

  @Test("a dataset named labels.csv is read for its postings, like any CSV")
  func datasetNamedLabelsIsRead() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try TestSupport.write(Self.csv, to: "labels.csv", in: folder)
    let walk = try InputWalker().walk([folder.path])
    let results = walk.files.map { PostingReader().read($0) }
    #expect(results.flatMap(\.postings).map(\.id) == ["labels.csv#1", "labels.csv#2"])
    #expect(walk.skipped.isEmpty && results.allSatisfy(\.skipped.isEmpty))
  }

  // MARK: - Descriptions that look like fields or headings

  @Test(
    "a description that starts with a Location: line or a hashtag keeps its text",
    arguments: [
      "Location: Remote. You will own the roadmap and talk to customers every week.",
      "Location: Remote\nLocation: You will own the roadmap and talk to customers every week.",
      "Location: Remote (EMEA). " + String(repeating: "You will own the roadmap and talk to customers. ", count: 8),
      "#StartYourStory with us: you will own the roadmap and talk to customers every week.",
    ])
  func descriptionLikeAField(description: String) throws {
    let row = ["title": "Product Manager", "location": "Remote", "description": description]
    let line = String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self)
    let result = try Self.read(line + "\n", as: "dump.jsonl")
    #expect(result.skipped.isEmpty, "\(result.skipped)")
    let posting = try #require(result.postings.first)
    #expect(posting.title == "Product Manager")
    #expect(posting.location == "Remote")
    #expect(posting.text.contains("own the roadmap"))
  }

  @Test("a .json file that does not parse is skipped as corrupt")
  func jsonInvalid() throws {
    let result = try Self.read("[{\"title\": \"Product Manager\", ", as: "export.json")
    #expect(result.postings.isEmpty)
    #expect(result.skipped.map(\.reason) == [.corrupt])
  }
}
