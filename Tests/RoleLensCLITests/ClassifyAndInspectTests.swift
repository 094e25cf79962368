import Foundation
import Testing
import _RoleLensTestSupport

@Suite("rolelens classify and inspect, end to end")
struct ClassifyAndInspectTests {
  static let tpmPosting = """
    Senior Technical Project Manager

    Responsibilities:
    - Own the project schedule and delivery timelines for our cloud migration
    - Run sprint planning with the engineering teams and keep the RAID log current
    - Track technical dependencies across the software development lifecycle (SDLC)
    """

  @Test("classify prints path, role, confidence and runner-up on one line")
  func classifyLine() throws {
    let folder = try TestSupport.temporaryFolder()
    let path = try TestSupport.write(Self.tpmPosting, to: "tpm.txt", in: folder)
    let result = try TestSupport.run(["classify", path])
    #expect(result.status == 0)
    let fields = result.stdout.trimmingCharacters(in: .newlines).split(separator: "\t").map(String.init)
    #expect(fields.count >= 4)
    #expect(fields[0] == path)
    #expect(fields[1] == "technical-project-manager")
    #expect(Double(fields[2]).map { $0 > 0.5 && $0 <= 1 } == true)
    #expect(fields[3].hasPrefix("runner-up "))
  }

  @Test("classify --json gives every role's score and --explain the phrases behind them")
  func classifyJSONExplain() throws {
    let folder = try TestSupport.temporaryFolder()
    let path = try TestSupport.write(Self.tpmPosting, to: "tpm.txt", in: folder)
    let result = try TestSupport.run(["classify", path, "--json", "--explain"])
    #expect(result.status == 0)
    let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    let object = try #require(array.first)
    #expect(object["role"] as? String == "technical-project-manager")
    #expect((object["scores"] as? [String: Any])?.count == 10)
    let evidence = try #require(object["evidence"] as? [[String: Any]])
    #expect(
      evidence.contains { $0["source"] as? String == "title" && $0["phrase"] as? String == "technical project manager" }
    )
    #expect(evidence.contains { $0["phrase"] as? String == "sdlc" && $0["source"] as? String == "responsibilities" })
  }

  @Test("classify --body-only hides the title from the scorer")
  func classifyBodyOnly() throws {
    let folder = try TestSupport.temporaryFolder()
    let posting = """
      Technical Project Manager

      What you'll do:
      - Own the product roadmap and product vision for our checkout
      - Run customer interviews and product discovery with designers
      - Define product metrics and run A/B tests; prioritize the backlog
      """
    let path = try TestSupport.write(posting, to: "disagree.txt", in: folder)
    let withTitle = try TestSupport.run(["classify", path])
    let bodyOnly = try TestSupport.run(["classify", path, "--body-only"])
    #expect(withTitle.stdout.contains("\ttechnical-project-manager\t"))
    #expect(bodyOnly.stdout.contains("\tproduct-manager\t"))
  }

  @Test("inspect --json prints the fields DESIGN.md lists")
  func inspectJSON() throws {
    let page = TestSupport.corpus.appendingPathComponent("job-boards").path
    let files = try FileManager.default.contentsOfDirectory(atPath: page).sorted()
    let first = try #require(files.first { $0.hasSuffix(".html") })
    let result = try TestSupport.run(["inspect", page + "/" + first, "--json"])
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    for key in ["title", "company", "location", "date_posted", "format", "sections", "text", "warnings"] {
      #expect(object.keys.contains(key), "missing \(key)")
    }
    #expect((object["title"] as? String)?.isEmpty == false)
    #expect((object["sections"] as? [[String: Any]])?.isEmpty == false)
  }

  @Test("inspect shows sections with their kinds in plain text")
  func inspectPlain() throws {
    let folder = try TestSupport.temporaryFolder()
    let path = try TestSupport.write(Self.tpmPosting, to: "tpm.txt", in: folder)
    let result = try TestSupport.run(["inspect", path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("title:       Senior Technical Project Manager"))
    #expect(result.stdout.contains("== Responsibilities [responsibilities]"))
  }
}
