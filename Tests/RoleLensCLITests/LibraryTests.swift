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
