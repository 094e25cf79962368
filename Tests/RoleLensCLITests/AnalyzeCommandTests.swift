import Foundation
import Testing
import _RoleLensTestSupport

/// End-to-end tests: they run the built `rolelens` binary as a user would.
@Suite("rolelens analyze, end to end")
struct AnalyzeCommandTests {
  static let reportFiles = [
    "report.html",
    "postings.csv", "skipped.csv", "roles.csv", "overlap.csv", "terms.csv", "skills.csv",
    "role_similarity.csv", "summary.json",
  ]

  /// Reads a CSV file written by rolelens into rows of fields, strictly (RFC 4180, on bytes, as
  /// any CSV reader splits it).
  static func readCSV(_ url: URL) throws -> [[String]] {
    try StrictCSVReader.read(String(contentsOf: url, encoding: .utf8))
  }

  static func column(_ name: String, of rows: [[String]]) throws -> [String] {
    let header = try #require(rows.first)
    let index = try #require(header.firstIndex(of: name), "no column \(name)")
    return rows.dropFirst().map { $0[index] }
  }

  @Test("analyze on Corpus writes every report and accounts for every input file")
  func corpusAccountsForEveryFile() throws {
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", "Corpus", "--out", out.path, "--bootstrap", "50"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    for file in Self.reportFiles {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
    }
    let postings = try Self.readCSV(out.appendingPathComponent("postings.csv"))
    let skipped = try Self.readCSV(out.appendingPathComponent("skipped.csv"))
    let accounted = Set(try Self.column("path", of: postings) + Self.column("path", of: skipped))

    let enumerator = try #require(FileManager.default.enumerator(atPath: TestSupport.corpus.path))
    var inputs: [String] = []
    while let relative = enumerator.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(
        atPath: TestSupport.corpus.appendingPathComponent(relative).path, isDirectory: &isDirectory)
      if exists && !isDirectory.boolValue && relative != "labels.csv" { inputs.append("Corpus/" + relative) }
    }
    #expect(inputs.count >= 40)
    for input in inputs { #expect(accounted.contains(input), "\(input) is in neither postings.csv nor skipped.csv") }
    #expect(result.stdout.contains("technical-project-manager"))
    #expect(result.stdout.contains("cosine_tfidf_centroid"))
  }

  @Test("the postings.csv header has the documented columns in the documented order")
  func postingsHeader() throws {
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", "Corpus", "--out", out.path, "--bootstrap", "0", "--quiet"])
    #expect(result.status == 0)
    let header = try #require(Self.readCSV(out.appendingPathComponent("postings.csv")).first)
    let roles = [
      "technical-project-manager", "product-manager", "project-manager", "technical-program-manager",
      "program-manager", "technical-product-manager", "delivery-manager", "technical-lead", "engineering-manager",
      "other",
    ]
    #expect(
      header
        == [
          "id", "path", "row", "format", "title", "company", "location", "date_posted", "source", "role",
          "confidence", "runner_up", "needs_review",
        ]
        + roles.map { "score_\($0)" } + ["duplicate_of", "cluster", "warnings"])
  }

  @Test("classification of Corpus agrees with the title labels for almost every posting")
  func corpusClassification() throws {
    let out = try TestSupport.temporaryFolder()
    _ = try TestSupport.run(["analyze", "Corpus", "--out", out.path, "--bootstrap", "0", "--quiet"])
    let postings = try Self.readCSV(out.appendingPathComponent("postings.csv"))
    let labels = try Self.readCSV(TestSupport.corpus.appendingPathComponent("labels.csv"))
    let gold = Dictionary(
      uniqueKeysWithValues: zip(try Self.column("file", of: labels), try Self.column("label", of: labels)))
    let predicted = Dictionary(
      uniqueKeysWithValues: zip(try Self.column("id", of: postings), try Self.column("role", of: postings)))
    var agree = 0
    for (file, label) in gold where predicted[file] == label { agree += 1 }
    #expect(gold.count >= 40)
    #expect(Double(agree) / Double(gold.count) >= 0.9, "only \(agree) of \(gold.count) agree with labels.csv")
  }

  @Test("two runs with the same seed write byte-identical reports, with 1 job or 2")
  func deterministicAcrossRunsAndJobs() throws {
    let first = try TestSupport.temporaryFolder()
    let second = try TestSupport.temporaryFolder()
    let one = try TestSupport.run([
      "analyze", "Corpus", "--out", first.path, "--bootstrap", "100", "--jobs", "1", "--quiet",
    ])
    let two = try TestSupport.run([
      "analyze", "Corpus", "--out", second.path, "--bootstrap", "100", "--jobs", "2", "--quiet",
    ])
    #expect(one.status == 0 && two.status == 0)
    for file in Self.reportFiles {
      let a = try Data(contentsOf: first.appendingPathComponent(file))
      let b = try Data(contentsOf: second.appendingPathComponent(file))
      #expect(a == b, "\(file) differs between runs")
    }
  }

  @Test("a different seed changes the intervals but not the seed-free point estimates")
  func seedChangesIntervalsOnly() throws {
    let first = try TestSupport.temporaryFolder()
    let second = try TestSupport.temporaryFolder()
    _ = try TestSupport.run(["analyze", "Corpus", "--out", first.path, "--bootstrap", "100", "--seed", "1", "--quiet"])
    _ = try TestSupport.run(["analyze", "Corpus", "--out", second.path, "--bootstrap", "100", "--seed", "2", "--quiet"])
    let a = try Self.readCSV(first.appendingPathComponent("overlap.csv"))
    let b = try Self.readCSV(second.appendingPathComponent("overlap.csv"))
    // The overlap index, its similarities and the shares use no random numbers; the AUC (folds)
    // and the size-matched figures (draws) do.
    let seedFree = { (rows: [[String]]) in
      rows.filter {
        $0.count > 2 && ($0[2].hasPrefix("overlap") || $0[2].hasPrefix("similarity") || $0[2].hasPrefix("share"))
      }
    }
    #expect(try Self.column("value", of: [a[0]] + seedFree(a)) == Self.column("value", of: [b[0]] + seedFree(b)))
    #expect(try Self.column("ci_low", of: a) != Self.column("ci_low", of: b))
  }

  @Test("skipped inputs are listed with a reason and the run still exits 0")
  func badInputsAreSkippedNotFatal() throws {
    let folder = try TestSupport.temporaryFolder()
    try TestSupport.write("", to: "empty.txt", in: folder)
    try TestSupport.write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], to: "image.html", in: folder)
    try TestSupport.write("   \n\t\n", to: "blank.md", in: folder)
    try TestSupport.write(
      "Senior Product Manager\n\nResponsibilities:\n- Own the product roadmap and discovery\n- Talk to customers every week\n",
      to: "good.txt", in: folder)
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", folder.path, "--out", out.path, "--quiet"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let skipped = try Self.readCSV(out.appendingPathComponent("skipped.csv"))
    let reasons = Dictionary(
      uniqueKeysWithValues: zip(
        try Self.column("path", of: skipped).map { URL(fileURLWithPath: $0).lastPathComponent },
        try Self.column("reason", of: skipped)))
    #expect(reasons == ["empty.txt": "empty", "image.html": "binary", "blank.md": "empty"])
    let postings = try Self.readCSV(out.appendingPathComponent("postings.csv"))
    #expect(try Self.column("role", of: postings) == ["product-manager"])
  }

  @Test("a missing input path is a one-line usage error naming the path, exit 2")
  func missingInput() throws {
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", "no-such-folder", "--out", out.path])
    #expect(result.status == 2)
    #expect(result.stderr == "rolelens: no-such-folder: no such file or folder\n")
  }

  @Test("an output path that cannot be written is a one-line error naming it, exit 1")
  func unwritableOutput() throws {
    let folder = try TestSupport.temporaryFolder()
    let blocker = try TestSupport.write("not a folder", to: "file", in: folder)
    let result = try TestSupport.run(["analyze", "Corpus", "--out", blocker + "/reports", "--quiet"])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("rolelens: \(blocker)/reports: cannot write"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test("inputs with no posting at all exit 3 and still write skipped.csv")
  func noPostingFound() throws {
    let folder = try TestSupport.temporaryFolder()
    try TestSupport.write("", to: "empty.txt", in: folder)
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", folder.path, "--out", out.path, "--quiet"])
    #expect(result.status == 3)
    let skipped = try Self.readCSV(out.appendingPathComponent("skipped.csv"))
    #expect(skipped.count == 2)
  }

  @Test(
    "bad options are usage errors with exit 2",
    arguments: [
      ["analyze", "Corpus", "--out", "/tmp/x", "--roles", "product-manager"],
      ["analyze", "Corpus", "--out", "/tmp/x", "--roles", "pm,product-manager"],
      ["analyze", "Corpus", "--out", "/tmp/x", "--jobs", "0"],
      ["analyze", "Corpus"],
      ["frobnicate"],
    ])
  func badOptions(arguments: [String]) throws {
    let result = try TestSupport.run(arguments)
    #expect(result.status == 2, "stderr: \(result.stderr)")
    #expect(!result.stderr.isEmpty)
  }

  @Test("--roles picks the pair compared in overlap.csv and terms.csv")
  func rolesOption() throws {
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run([
      "analyze", "Corpus", "--out", out.path, "--roles", "project-manager,delivery-manager", "--bootstrap", "0",
      "--quiet",
    ])
    #expect(result.status == 0)
    let overlap = try Self.readCSV(out.appendingPathComponent("overlap.csv"))
    #expect(Set(try Self.column("role_a", of: overlap)) == ["project-manager"])
    #expect(Set(try Self.column("role_b", of: overlap)) == ["delivery-manager"])
  }

  @Test(
    "analyze on the 818 real postings accounts for every one",
    .enabled(if: TestSupport.sharedData != nil, Comment(rawValue: TestSupport.sharedDataMissing)))
  func sharedPostings() throws {
    let shared = try #require(TestSupport.sharedData)
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run([
      "analyze", shared.appendingPathComponent("postings").path, "--out", out.path, "--bootstrap", "50", "--quiet",
    ])
    #expect(result.status == 0)
    let postings = try Self.readCSV(out.appendingPathComponent("postings.csv")).count - 1
    let skippedRows = try Self.readCSV(out.appendingPathComponent("skipped.csv")).dropFirst()
    let skipped = skippedRows.count
    // The 818 postings and labels.csv beside them, which is a `labels` skip.
    #expect(postings + skipped == 819)
    #expect(skippedRows.filter { $0.count > 2 && $0[2] == "labels" }.map { $0[0].hasSuffix("/labels.csv") } == [true])
    #expect(postings >= 810)
  }
}
