import Foundation
import Testing
import _RoleLensTestSupport

@Suite("report.html")
struct ReportPageTests {
  static func analyzeCorpus() throws -> URL {
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", "Corpus", "--out", out.path, "--bootstrap", "100", "--quiet"])
    #expect(result.status == 0)
    return out
  }

  @Test("the page shows every overlap figure and interval exactly as overlap.csv has it")
  func numbersMatchCSV() throws {
    let out = try Self.analyzeCorpus()
    let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    let rows = try AnalyzeCommandTests.readCSV(out.appendingPathComponent("overlap.csv"))
    for name in ["metric", "value", "ci_low", "ci_high"] {
      for value in try AnalyzeCommandTests.column(name, of: rows) where !value.isEmpty {
        #expect(page.contains(">\(value)<"), "\(name) \(value) is not on the page")
      }
    }
  }

  @Test("the page is self-contained: no script, no external resource, inline SVG charts")
  func selfContained() throws {
    let out = try Self.analyzeCorpus()
    let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(!page.lowercased().contains("<script"))
    #expect(!page.contains("src=\""))
    #expect(!page.contains("href=\"http"))
    #expect(page.components(separatedBy: "<svg").count - 1 == 3)
    #expect(
      page.contains("Distinctive terms") && page.contains("Skills mentioned")
        && page.contains("How similar all roles are"))
  }

  @Test("with too few postings the page says so first and draws no term or skill chart")
  func smallSampleHeadline() throws {
    let folder = try TestSupport.temporaryFolder()
    try TestSupport.write("Product Manager\n\nResponsibilities:\n- Own the product roadmap\n", to: "pm.txt", in: folder)
    try TestSupport.write(
      "Technical Project Manager\n\nResponsibilities:\n- Own the project schedule and SDLC\n", to: "tpm.txt", in: folder
    )
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", folder.path, "--out", out.path, "--quiet"])
    #expect(result.status == 0)
    let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    let warning = try #require(page.range(of: "too few to tell"))
    #expect(warning.lowerBound < (page.range(of: "<h2>")?.lowerBound ?? page.startIndex))
    #expect(page.contains("Only 1 technical project manager posting in 1 cluster"))
    #expect(!page.contains("Skills mentioned"))
    let overlap = try AnalyzeCommandTests.readCSV(out.appendingPathComponent("overlap.csv"))
    #expect(try AnalyzeCommandTests.column("note", of: overlap).allSatisfy { $0.hasPrefix("insufficient") })
    let index = try #require(overlap.first { $0.contains("overlap_index") })
    #expect(index.contains { $0.contains("at least 2 clusters") })
    let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(summary.contains("\"insufficient\": true"))
  }

  @Test("the page fits any screen: viewport, scalable charts, a heatmap with names on both axes and a legend")
  func fitsAnyScreen() throws {
    let out = try Self.analyzeCorpus()
    let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
    #expect(page.contains("svg { max-width: 100%; height: auto; }"))
    let heatmap = try #require(page.range(of: "How similar all roles are")).upperBound
    let section = String(page[heatmap...])
    #expect(section.contains(">technical project manager</text>") && section.contains(">product manager</text>"))
    #expect(section.contains("rotate(-45)"), "column labels")
    #expect(section.contains(">overlap index</text>"), "colour legend")
    #expect(!section.contains(">technical-project-manager</text>"), "role ids where the page uses names")
  }
}
