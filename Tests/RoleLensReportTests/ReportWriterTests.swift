import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensClassify
@testable import RoleLensIngest
@testable import RoleLensOverlap
@testable import RoleLensReport

/// A classification with `role` on top at `confidence`, `runnerUp` second.
private func classification(_ role: Role, runnerUp: Role, confidence: Double, needsReview: Bool) -> Classification {
  var scores = [Double](repeating: 0, count: Role.allCases.count)
  scores[role.index] = 12.5
  scores[runnerUp.index] = 3
  var confidences = [Double](repeating: (1 - confidence) / Double(Role.allCases.count - 1), count: Role.allCases.count)
  confidences[role.index] = confidence
  return Classification(
    scores: scores, confidences: confidences, role: role, runnerUp: runnerUp, needsReview: needsReview, skills: [],
    acronymReadings: [:], evidence: [])
}

/// A small report built by hand: two postings, one skipped input, and overlap figures chosen to
/// exercise empty cells, notes, signs and the `side` column.
private func sampleReport() throws -> AnalysisReport {
  let lexicon = try Lexicon.bundled()
  let first = Posting(
    id: "jobs/tpm.html", path: "in/jobs/tpm.html", format: .html, title: "=HYPERLINK(\"http://evil\")",
    company: "Acme, Inc.", location: nil, sections: [], warnings: ["encoding fell back", "no date"])
  let second = Posting(
    id: "data.csv#2", path: "in/data.csv", row: 2, format: .csv, title: "Product Manager", company: nil,
    location: "Zürich", sections: [])
  let records = [
    PostingRecord(
      posting: first,
      classification: classification(
        .technicalProjectManager, runnerUp: .productManager, confidence: 0.75, needsReview: false),
      duplicateOf: nil),
    PostingRecord(
      posting: second,
      classification: classification(.productManager, runnerUp: .other, confidence: 0.4, needsReview: true),
      duplicateOf: "jobs/tpm.html"),
  ]
  var options = OverlapOptions()
  options.replicates = 10
  options.topK = 5
  var statistics: [Role: RoleStatistics] = [:]
  statistics[.technicalProjectManager, default: RoleStatistics()].postings = 6
  statistics[.productManager, default: RoleStatistics()].postings = 7
  let overlap = OverlapResult(
    options: options, statistics: statistics, clusters: [.technicalProjectManager: 6, .productManager: 5],
    figures: [
      OverlapFigure(
        metric: "jaccard_top_terms", value: 0.25, ciLow: 0.1, ciHigh: 0.40004, note: "top 5 terms by count"),
      OverlapFigure(metric: "weighted_jaccard", value: 1.0 / 3.0, ciLow: nil, ciHigh: nil, note: ""),
      OverlapFigure(metric: "overlap_index", value: 0.75, ciLow: 0.5, ciHigh: 0.9, pValue: 0.001, note: "size-free"),
      OverlapFigure(metric: "share_a_reads_as_b", value: nil, ciLow: nil, ciHigh: nil, note: "too few, see docs"),
    ],
    terms: [
      TermContrast(
        term: "delivery", countA: 9, countB: 1, documentsA: 5, documentsB: 1, clustersA: 5, clustersB: 1, logOdds: 1.2,
        z: 2.5, pValue: 0.001, qValue: 0.004),
      TermContrast(
        term: "jira", countA: 2, countB: 2, documentsA: 2, documentsB: 2, clustersA: 2, clustersB: 2, logOdds: 0.1,
        z: 1.96, pValue: 0.6, qValue: 0.8),
      TermContrast(
        term: "-ops", countA: 1, countB: 1, documentsA: 1, documentsB: 1, clustersA: 1, clustersB: 1,
        logOdds: -0.00001, z: -0.00001, pValue: 1, qValue: 1),
      TermContrast(
        term: "roadmap", countA: 1, countB: 8, documentsA: 1, documentsB: 6, clustersA: 1, clustersB: 5, logOdds: -1.5,
        z: -1.96, pValue: 0.01, qValue: 0.02),
    ],
    similarities: [
      RoleSimilarity(
        roleA: .technicalProjectManager, roleB: .productManager, clustersA: 6, clustersB: 5, overlapIndex: 0.75,
        cosine: 0.8125, jaccard: 0.5, note: "")
    ])
  return AnalysisReport(
    records: records,
    skipped: [SkippedInput(path: "in/empty.txt", reason: .empty, detail: "the file has no bytes")],
    overlap: overlap, lexicon: lexicon,
    run: RunInfo(
      toolVersion: "0.0.0-test", lexiconHash: lexicon.sourceHash, seed: 7, inputFiles: 3, includeDuplicates: false))
}

/// The sample report with postings and skipped inputs whose keys start with formula characters
/// (`-draft-tpm.txt`) and whose free text does too.
private func keyedReport(formulaGuard: Bool) throws -> AnalysisReport {
  var report = try sampleReport()
  var first = PostingRecord(
    posting: Posting(
      id: "-draft-tpm.txt", path: "-in/-draft-tpm.txt", format: .text, title: "=SUM(1)", company: "@acme",
      location: "+44", sections: [], warnings: ["-w"]),
    classification: classification(.technicalProjectManager, runnerUp: .other, confidence: 0.9, needsReview: false),
    duplicateOf: nil)
  first.cluster = "-draft-tpm.txt"
  var second = PostingRecord(
    posting: Posting(
      id: "=jobs.csv#2", path: "=jobs.csv", row: 2, format: .csv, title: "Product Manager", sections: []),
    classification: classification(.productManager, runnerUp: .other, confidence: 0.3, needsReview: true),
    duplicateOf: "-draft-tpm.txt")
  second.cluster = "-draft-tpm.txt"
  report.postings = PostingTable([first, second], formulaGuard: formulaGuard)
  report.skipped = [SkippedInput(path: "@in/-empty.txt", reason: .empty, detail: "=0 bytes")]
  return report
}

@Suite("ReportWriter")
struct ReportWriterTests {
  /// The files of a run without `--by` (no overlap_by_group.csv).
  static let ungroupedFiles = ReportWriter.files.filter { $0 != "overlap_by_group.csv" }

  @Test("every report file is written into a new nested folder, with no temporary files left")
  func writesEveryFile() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("reports/run-1")
    try ReportWriter().write(sampleReport(), to: out.path)
    #expect(try listing(out) == Self.ungroupedFiles.sorted())
  }

  @Test("overlap.csv has one row per figure, empty cells for missing values")
  func overlapCSV() throws {
    let expected = """
      role_a,role_b,metric,value,ci_low,ci_high,p_value,n_a,n_b,clusters_a,clusters_b,note
      technical-project-manager,product-manager,jaccard_top_terms,0.2500,0.1000,0.4000,,6,7,6,5,top 5 terms by count
      technical-project-manager,product-manager,weighted_jaccard,0.3333,,,,6,7,6,5,
      technical-project-manager,product-manager,overlap_index,0.7500,0.5000,0.9000,0.0010,6,7,6,5,size-free
      technical-project-manager,product-manager,share_a_reads_as_b,,,,,6,7,6,5,"too few, see docs"

      """
    #expect(ReportWriter().overlapCSV(try sampleReport()) == expected)
  }

  @Test("terms.csv marks terms with q < 0.05 as typical of the side their z points to, the rest as shared")
  func termsCSV() throws {
    let expected = """
      term,count_a,count_b,docs_a,docs_b,clusters_a,clusters_b,log_odds,log_odds_z,p_value,q_value,side
      delivery,9,1,5,1,5,1,1.2000,2.5000,0.0010,0.0040,technical-project-manager
      jira,2,2,2,2,2,2,0.1000,1.9600,0.6000,0.8000,shared
      '-ops,1,1,1,1,1,1,0.0000,0.0000,1.0000,1.0000,shared
      roadmap,1,8,1,6,1,5,-1.5000,-1.9600,0.0100,0.0200,product-manager

      """
    #expect(ReportWriter().termsCSV(try sampleReport()) == expected)
  }

  @Test("role_similarity.csv has one row per pair with the pair's posting counts")
  func similarityCSV() throws {
    let expected = """
      role_a,role_b,n_a,n_b,clusters_a,clusters_b,overlap_index,cosine_raw,jaccard_raw,note
      technical-project-manager,product-manager,6,7,6,5,0.7500,0.8125,0.5000,

      """
    #expect(ReportWriter().similarityCSV(try sampleReport()) == expected)
  }

  @Test("skipped.csv lists each skipped input with its reason")
  func skippedCSV() throws {
    #expect(
      ReportWriter().skippedCSV(try sampleReport())
        == "path,row,reason,detail\nin/empty.txt,,empty,the file has no bytes\n")
  }

  @Test("postings.csv has the documented columns in the documented order")
  func postingsHeader() throws {
    let csv = try ReportWriter().postingsCSV(try sampleReport())
    let header = try #require(csv.split(separator: "\n").first).split(separator: ",").map(String.init)
    #expect(
      header
        == [
          "id", "path", "row", "format", "title", "company", "location", "date_posted", "source", "role",
          "confidence", "runner_up", "needs_review",
        ]
        + Role.ids.map { "score_\($0)" } + ["duplicate_of", "cluster", "warnings"])
  }

  @Test("postings.csv neutralises a title that looks like a formula and quotes commas")
  func postingsRows() throws {
    let lines = try ReportWriter().postingsCSV(try sampleReport()).split(separator: "\n").map(String.init)
    try #require(lines.count == 3)
    #expect(
      lines[1].hasPrefix("jobs/tpm.html,in/jobs/tpm.html,,html,\"'=HYPERLINK(\"\"http://evil\"\")\",\"Acme, Inc.\",,"))
    #expect(lines[1].hasSuffix(",,jobs/tpm.html,encoding fell back; no date"))
    #expect(
      lines[2].hasPrefix("data.csv#2,in/data.csv,2,csv,Product Manager,,Zürich,,,product-manager,0.4000,other,true,"))
    #expect(lines[2].hasSuffix(",jobs/tpm.html,data.csv#2,"))
    // 11 fixed columns, one score per role, duplicate_of, cluster and warnings.
    #expect(lines[2].split(separator: ",", omittingEmptySubsequences: false).count == 13 + Role.allCases.count + 3)
  }

  @Test("summary.json is valid JSON with the documented keys in a fixed order")
  func summaryJSON() throws {
    let text = ReportWriter().summaryJSON(try sampleReport()).rendered()
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(parsed["seed"] as? String == "7")
    #expect(parsed["postings"] as? Int == 2)
    #expect(parsed["duplicates"] as? Int == 1)
    let keys = [
      "\"tool\"", "\"version\"", "\"seed\"", "\"inputs\"", "\"postings\"", "\"skipped\"", "\"duplicates\"",
      "\"headline\"",
    ]
    let positions = try keys.map { key in try #require(text.range(of: key)).lowerBound }
    #expect(positions == positions.sorted())
  }

  @Test("writing the same report twice gives byte-identical files")
  func byteIdentical() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let report = try sampleReport()
    let first = root.appendingPathComponent("one")
    let second = root.appendingPathComponent("two")
    try ReportWriter().write(report, to: first.path)
    try ReportWriter().write(report, to: second.path)
    for name in Self.ungroupedFiles {
      let a = try Data(contentsOf: first.appendingPathComponent(name))
      let b = try Data(contentsOf: second.appendingPathComponent(name))
      #expect(a == b, "\(name) differs")
      #expect(!a.isEmpty, "\(name) is empty")
    }
  }

  @Test("writing into a folder with an old report replaces its files")
  func replacesOldReport() throws {
    let out = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    try TestSupport.write("stale\n", to: "overlap.csv", in: out)
    let report = try sampleReport()
    try ReportWriter().write(report, to: out.path + "/")
    let written = try String(contentsOf: out.appendingPathComponent("overlap.csv"), encoding: .utf8)
    #expect(written == ReportWriter().overlapCSV(report))
    #expect(try listing(out) == Self.ungroupedFiles.sorted())
  }

  @Test("an output path that is a file fails with cannotWrite naming it")
  func outputIsFile() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let file = try TestSupport.write("x", to: "out", in: root)
    let report = try sampleReport()
    #expect(throws: ReportError.cannotWrite(path: file, reason: "not a folder")) {
      try ReportWriter().write(report, to: file)
    }
  }

  @Test("postings.csv and skipped.csv write keys verbatim and guard the free text")
  func keysVerbatim() throws {
    let report = try keyedReport(formulaGuard: true)
    let rows = try StrictCSVReader.read(try ReportWriter().postingsCSV(report))
    let header = try #require(rows.first)
    try #require(rows.count == 3)
    func cell(_ row: Int, _ column: String) throws -> String { rows[row][try #require(header.firstIndex(of: column))] }
    #expect(try cell(1, "id") == "-draft-tpm.txt")
    #expect(try cell(1, "path") == "-in/-draft-tpm.txt")
    #expect(try cell(1, "cluster") == "-draft-tpm.txt")
    #expect(try cell(2, "id") == "=jobs.csv#2")
    #expect(try cell(2, "path") == "=jobs.csv")
    #expect(try cell(2, "row") == "2")
    #expect(try cell(2, "duplicate_of") == "-draft-tpm.txt")
    #expect(try cell(1, "title") == "'=SUM(1)")
    #expect(try cell(1, "company") == "'@acme")
    #expect(try cell(1, "location") == "'+44")
    #expect(try cell(1, "warnings") == "'-w")
    let skipped = try StrictCSVReader.read(ReportWriter().skippedCSV(report))
    #expect(skipped == [["path", "row", "reason", "detail"], ["@in/-empty.txt", "", "empty", "'=0 bytes"]])
  }

  @Test("needs_review is true or false, row an integer or empty")
  func reviewAndRowColumns() throws {
    let rows = try StrictCSVReader.read(try ReportWriter().postingsCSV(try keyedReport(formulaGuard: true)))
    let header = try #require(rows.first)
    let review = try #require(header.firstIndex(of: "needs_review"))
    let row = try #require(header.firstIndex(of: "row"))
    #expect(rows.dropFirst().map { $0[review] } == ["false", "true"])
    #expect(rows.dropFirst().map { $0[row] } == ["", "2"])
  }

  @Test("with the formula guard off, free text is written as it is, in every CSV file")
  func formulaGuardOff() throws {
    let report = try keyedReport(formulaGuard: false)
    let rows = try StrictCSVReader.read(try ReportWriter().postingsCSV(report))
    let header = try #require(rows.first)
    let title = try #require(header.firstIndex(of: "title"))
    let warnings = try #require(header.firstIndex(of: "warnings"))
    #expect(rows[1][title] == "=SUM(1)")
    #expect(rows[1][warnings] == "-w")
    #expect(ReportWriter().skippedCSV(report) == "path,row,reason,detail\n@in/-empty.txt,,empty,=0 bytes\n")
    #expect(ReportWriter().termsCSV(report).contains("\n-ops,1,1,"))
    #expect(ReportWriter().termsCSV(try sampleReport()).contains("\n'-ops,1,1,"))
  }

  // MARK: - Replacing the set as a whole

  /// The staging folders beside `folder`.
  static func staging(beside folder: URL) throws -> [String] {
    try listing(folder.deletingLastPathComponent()).filter { $0.contains(".rolelens-staging-") }
  }

  @Test("the user's own files in --out are kept, the same files, and no staging folder is left")
  func keepsUserFiles() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    let notes = try TestSupport.write("mine\n", to: "notes.txt", in: out)
    try TestSupport.write("stale\n", to: "terms.csv", in: out)
    let before = try FileManager.default.attributesOfItem(atPath: notes)[.systemFileNumber] as? Int
    try ReportWriter().write(try sampleReport(), to: out.path)
    #expect(try listing(out) == (Self.ungroupedFiles + ["notes.txt"]).sorted())
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "mine\n")
    #expect(try FileManager.default.attributesOfItem(atPath: notes)[.systemFileNumber] as? Int == before)
    #expect(try String(contentsOf: out.appendingPathComponent("terms.csv"), encoding: .utf8) != "stale\n")
    #expect(try Self.staging(beside: out).isEmpty)
  }

  @Test("an --out holding a folder of its own is refused, naming it, and left as it was")
  func refusesSubfolders() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try TestSupport.write("old\n", to: "roles.csv", in: out)
    try TestSupport.write("x", to: "drafts/a.txt", in: out)
    let error = try #require(throws: ReportError.self) { try ReportWriter().write(try sampleReport(), to: out.path) }
    #expect(error.description.contains("'drafts'"))
    #expect(try listing(out) == ["drafts", "roles.csv"])
    #expect(try String(contentsOf: out.appendingPathComponent("roles.csv"), encoding: .utf8) == "old\n")
    #expect(try Self.staging(beside: out).isEmpty)
  }

  @Test("the leftovers of a killed run are removed by the next one; the user's files survive")
  func removesLeftovers() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    let notes = try TestSupport.write("mine\n", to: "notes.txt", in: out)
    // A temporary file of the old writer, and a staging folder of a dead process (no such pid).
    try TestSupport.write("half", to: ".terms.csv.tmp-4242", in: out)
    let dead = root.appendingPathComponent(".out.rolelens-staging-99999999")
    try TestSupport.write("half", to: "postings.csv", in: dead)
    #expect(link(notes, dead.appendingPathComponent("notes.txt").path) == 0)
    // Another tool's folder of a similar name is not rolelens's.
    try TestSupport.write("theirs", to: "x.txt", in: root.appendingPathComponent(".out.staging-1"))
    try ReportWriter().write(try sampleReport(), to: out.path)
    #expect(try listing(out) == (Self.ungroupedFiles + ["notes.txt"]).sorted())
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "mine\n")
    #expect(try listing(root) == [".out.staging-1", "out"])
  }
}
