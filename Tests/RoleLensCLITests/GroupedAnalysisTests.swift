import Foundation
import Testing
import _RoleLensTestSupport

/// `analyze --by`: the pair's figures per group and over time, end to end through the binary.
@Suite("rolelens analyze --by, end to end")
struct GroupedAnalysisTests {
  /// A dataset of Corpus's own postings (their text as descriptions) dated over three years,
  /// with a site column and a column to keep.
  static func dataset(in folder: URL) throws -> URL {
    let texts = TestSupport.corpusTexts().filter { !$0.hasPrefix("file,") && !$0.isEmpty }
    var lines = ["title,description,date_posted,site,job_url"]
    for (index, text) in texts.enumerated() {
      let title = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
      let body = text.split(separator: "\n", maxSplits: 1).dropFirst().first.map(String.init) ?? text
      let year = 2021 + index % 3
      // Every seventh row has an unreadable date: no date (the description's own is not used
      // either), so it is in the group (none).
      let date = index % 7 == 6 ? "soon" : "\(year)-0\(1 + index % 9)-1\(index % 10)"
      func cell(_ value: String) -> String { "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
      lines.append(
        [cell(title), cell(body), date, index % 2 == 0 ? "board-a" : "board-b", "https://example.org/\(index)"]
          .joined(separator: ","))
    }
    let url = folder.appendingPathComponent("jobs.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  static func readCSV(_ url: URL) throws -> [[String]] {
    try StrictCSVReader.read(String(contentsOf: url, encoding: .utf8))
  }

  @Test("--by year writes overlap_by_group.csv: every year and (none), each metric, the trend row")
  func byYear() throws {
    let folder = try TestSupport.temporaryFolder()
    let data = try Self.dataset(in: folder)
    let out = folder.appendingPathComponent("out")
    let result = try TestSupport.run([
      "analyze", data.path, "--out", out.path, "--by", "year", "--bootstrap", "50", "--permutations", "50",
      "--keep-columns", "job_url", "--quiet",
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let rows = try Self.readCSV(out.appendingPathComponent("overlap_by_group.csv"))
    #expect(
      rows.first == [
        "group_by", "group", "role_a", "role_b", "metric", "value", "ci_low", "ci_high", "p_value", "n_a", "n_b",
        "clusters_a", "clusters_b", "note",
      ])
    let groups = Array(Set(rows.dropFirst().map { $0[1] })).sorted()
    #expect(groups == ["(all)", "(none)", "2021", "2022", "2023"])
    #expect(rows.dropFirst().allSatisfy { $0[0] == "year" })
    let overlapIndex = rows.filter { $0[4] == "overlap_index" }
    #expect(overlapIndex.count == 4)
    // Corpus has a handful of postings per role: every year is too small, and says so.
    #expect(overlapIndex.allSatisfy { $0[13].hasPrefix("insufficient") })
    let trend = try #require(rows.last)
    #expect(trend[1] == "(all)" && trend[4] == "trend_per_year")
    #expect(trend[13].hasPrefix("insufficient"))
    // postings.csv has the date, the source and the kept column.
    let postings = try Self.readCSV(out.appendingPathComponent("postings.csv"))
    let header = try #require(postings.first)
    #expect(header.last == "job_url")
    let date = try #require(header.firstIndex(of: "date_posted"))
    let source = try #require(header.firstIndex(of: "source"))
    #expect(postings.dropFirst().contains { $0[date].hasPrefix("2022-") })
    let warnings = try #require(header.firstIndex(of: "warnings"))
    #expect(postings.dropFirst().contains { $0[date].isEmpty && $0[warnings].contains("date 'soon'") })
    #expect(postings.dropFirst().allSatisfy { $0[source] == "board-a" || $0[source] == "board-b" })
    #expect(postings.dropFirst().allSatisfy { $0.last?.hasPrefix("https://example.org/") == true })
    let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(summary.contains("\"group_by\": \"year\""))
    #expect(summary.contains("Over time"))
    let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(page.contains("<h2>By year</h2>"))
    #expect(page.contains("aria-label=\"overlap over time\""))
    #expect(result.stdout.contains("By year (overlap_by_group.csv"))
  }

  @Test("--by source and column:NAME group by those values; the column is kept in postings.csv")
  func byColumn() throws {
    let folder = try TestSupport.temporaryFolder()
    let data = try Self.dataset(in: folder)
    for by in ["source", "column:site"] {
      let out = folder.appendingPathComponent("out-\(by.replacingOccurrences(of: ":", with: "-"))")
      let result = try TestSupport.run([
        "analyze", data.path, "--out", out.path, "--by", by, "--bootstrap", "0", "--permutations", "0", "--quiet",
      ])
      #expect(result.status == 0, "stderr: \(result.stderr)")
      let rows = try Self.readCSV(out.appendingPathComponent("overlap_by_group.csv"))
      #expect(Set(rows.dropFirst().map { $0[1] }) == ["board-a", "board-b"])
      #expect(!rows.contains { $0[4] == "trend_per_year" })
      if by == "column:site" {
        let header = try #require(Self.readCSV(out.appendingPathComponent("postings.csv")).first)
        #expect(header.last == "site")
      }
    }
  }

  @Test("--by year gives the same reports with 1 and 2 jobs")
  func jobsDoNotMatter() throws {
    let folder = try TestSupport.temporaryFolder()
    let data = try Self.dataset(in: folder)
    var outputs: [[String: String]] = []
    for jobs in ["1", "2"] {
      let out = folder.appendingPathComponent("out\(jobs)")
      let result = try TestSupport.run([
        "analyze", data.path, "Corpus", "--out", out.path, "--by", "year", "--bootstrap", "100", "--permutations",
        "100", "--jobs", jobs, "--quiet",
      ])
      #expect(result.status == 0, "stderr: \(result.stderr)")
      var files: [String: String] = [:]
      for name in ["overlap_by_group.csv", "summary.json", "postings.csv", "report.html"] {
        files[name] = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
      }
      outputs.append(files)
    }
    #expect(outputs[0] == outputs[1])
  }

  @Test(
    "bad --by and --keep-columns values are refused with one clear line",
    arguments: [
      (["--by", "decade"], "--by takes year, quarter, month, company, source or column:NAME"),
      (["--by", "column:"], "--by takes"),
      (["--keep-columns", "title"], "'title' is a column of postings.csv already"),
      (["--keep-columns", "a,a"], "names a column twice"),
    ])
  func refusals(arguments: [String], message: String) throws {
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", "Corpus", "--out", out.path] + arguments)
    #expect(result.status == 2)
    #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
  }

  @Test("a run without --by leaves no overlap_by_group.csv, also none from an earlier run")
  func noGroupFile() throws {
    let out = try TestSupport.temporaryFolder()
    _ = try TestSupport.run(["analyze", "Corpus", "--out", out.path, "--by", "year", "--bootstrap", "0", "--quiet"])
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("overlap_by_group.csv").path))
    let result = try TestSupport.run(["analyze", "Corpus", "--out", out.path, "--bootstrap", "0", "--quiet"])
    #expect(result.status == 0)
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("overlap_by_group.csv").path))
  }
}
