import Foundation
import RoleLensKit
import Testing
import _RoleLensTestSupport

/// RoleLensKit used as a library, as the README's example does.
@Suite("RoleLensKit as a library")
struct LibraryTests {
  @Test("the README's example runs: classify a text, analyse a folder, read every posting's result")
  func readmeExample() throws {
    // From the README, "Using RoleLensKit from Swift".
    let analysis = try Analysis(options: AnalysisOptions())
    let body = """
      Responsibilities:
      - Own the project schedule, RAID log and release plan for our cloud migration
      - Run sprint planning with three engineering teams and report status to stakeholders
      """
    let reading = analysis.classify(text: body, title: "Technical Project Manager")
    #expect(reading?.role == .technicalProjectManager)

    var options = AnalysisOptions(inputs: [TestSupport.corpus.path])
    options.overlap.replicates = 200
    options.overlap.permutations = 200
    var rows: [PostingResult] = []
    let report = try Analysis(options: options).run(onPosting: { rows.append($0) })
    #expect(rows.count == report.postings.count)
    #expect(rows.allSatisfy { $0.record.cluster != nil })
    let overlap = report.overlap
    let index = try #require(overlap.figure("overlap_index"))
    #expect(index.value != nil && index.pValue != nil)
    #expect(!Verdict(overlap: overlap, name: report.displayName).sentence.isEmpty)
  }

  @Test("a dataset's rows are read on every thread in batches: the results are the same for 1 and 2 jobs")
  func datasetJobsAgree() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let texts = try FileManager.default.contentsOfDirectory(atPath: TestSupport.corpus.path + "/text").sorted()
      .map {
        String(decoding: try Data(contentsOf: TestSupport.corpus.appendingPathComponent("text/" + $0)), as: UTF8.self)
      }
    var csv = "title,description\n"
    for round in 0..<3 {
      for text in texts {
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let body = (lines.count > 1 ? String(lines[1]) : text) + "\nRound \(round)."
        csv += "\"\(lines[0].replacingOccurrences(of: "\"", with: "\"\""))\","
        csv += "\"\(body.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
      }
    }
    try TestSupport.write(csv, to: "dump.csv", in: folder)
    try TestSupport.write(texts[0], to: "single.txt", in: folder)
    func results(jobs: Int, batchRows: Int, chunk: Int) throws -> [String] {
      var options = AnalysisOptions(inputs: [folder.path])
      options.jobs = jobs
      options.ingest.datasetBatchRows = batchRows
      options.ingest.datasetChunkSize = chunk
      options.overlap.replicates = 20
      options.overlap.permutations = 20
      var rows: [String] = []
      let report = try Analysis(options: options).run(onPosting: { result in
        let record = result.record
        rows.append("\(record.id) \(record.classification.role) \(record.cluster ?? "-") \(record.duplicateOf ?? "-")")
      })
      return rows + report.skipped.map { "\($0.path) \($0.row ?? 0) \($0.detail)" }
    }
    let reference = try results(jobs: 1, batchRows: 256, chunk: 4 << 20)
    #expect(reference.count == 3 * texts.count + 1)
    #expect(reference.first?.hasPrefix("dump.csv#1 ") == true)
    #expect(try results(jobs: 2, batchRows: 2, chunk: 97) == reference)
    #expect(try results(jobs: 2, batchRows: 1, chunk: 4 << 20) == reference)
    #expect(try results(jobs: 1, batchRows: 3, chunk: 7) == reference)
  }

  @Test("a library run leaves the allocator alone unless asked")
  func memoryPolicyIsOptIn() {
    #expect(AnalysisOptions().memoryPolicy == .leaveAllocatorAlone)
    #expect(AnalysisOptions(inputs: ["x"]).inputs == ["x"])
  }

  @Test("text without a posting classifies as nil, not as a guess")
  func emptyText() throws {
    #expect(try Analysis(options: AnalysisOptions()).classify(text: "   \n") == nil)
  }
}
