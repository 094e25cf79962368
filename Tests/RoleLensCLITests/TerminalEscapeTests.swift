import Foundation
import Testing
import _RoleLensTestSupport

/// A posting whose file name, title, company and body carry terminal escape sequences (set
/// window title, clear screen, C1 CSI) reaches no terminal, CSV or JSON with them.
@Suite("rolelens on inputs with terminal escapes, end to end")
struct TerminalEscapeTests {
  static let name = "evil\u{1B}]0;pwned\u{07}.txt"
  static let posting = """
    \u{1B}]0;Owned\u{07}Product Manager\u{1B}[2J
    Company: Acme\u{9B}31m
    Location: Zürich\u{7F}

    Responsibilities:
    - Own the product roadmap\u{1B}[1A and run customer interviews
    - Define product metrics and prioritize the backlog
    """

  static func folder() throws -> URL {
    let folder = try TestSupport.temporaryFolder("rolelens-escapes")
    try TestSupport.write(posting, to: name, in: folder)
    return folder
  }

  /// The control scalars of `text` other than `allowed`.
  static func controls(_ text: String, allowed: Set<Unicode.Scalar> = ["\n", "\t"]) -> [UInt32] {
    text.unicodeScalars.filter { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && !allowed.contains($0) }
      .map(\.value)
  }

  @Test(
    "inspect, inspect --json, classify and classify --json print no control character",
    arguments: [["inspect"], ["inspect", "--json"], ["classify"], ["classify", "--json", "--explain"]])
  func printedOutput(command: [String]) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent(Self.name).path
    let result = try TestSupport.run([command[0], path] + command.dropFirst())
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(Self.controls(result.stdout) == [], "\(result.stdout.debugDescription)")
    #expect(Self.controls(result.stderr) == [], "\(result.stderr.debugDescription)")
    #expect(result.stdout.contains("\u{241B}]0;"), "the escape is shown, visibly")
  }

  @Test("inspect shows the replacement warning and the title with visible escapes")
  func inspectWarning() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try TestSupport.run(["inspect", folder.appendingPathComponent(Self.name).path])
    #expect(result.stdout.contains("title:       \u{241B}]0;Owned\u{2407}Product Manager\u{241B}[2J"))
    #expect(result.stdout.contains("warning:     replaced "), "\(result.stdout)")
  }

  @Test("analyze writes no control character into its CSV and JSON files or its output")
  func analyzeFiles() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = try TestSupport.temporaryFolder("rolelens-escapes-out")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try TestSupport.run([
      "analyze", folder.path, "--out", out.path, "--bootstrap", "0", "--permutations", "0",
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(Self.controls(result.stdout) == [])
    #expect(Self.controls(result.stderr) == [])
    for file in ["postings.csv", "skipped.csv", "terms.csv", "summary.json", "report.html"] {
      let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
      #expect(Self.controls(text, allowed: ["\n"]) == [], "\(file)")
    }
    let rows = try AnalyzeCommandTests.readCSV(out.appendingPathComponent("postings.csv"))
    let header = try #require(rows.first)
    let row = try #require(rows.dropFirst().first)
    let id = try #require(header.firstIndex(of: "id"))
    let warnings = try #require(header.firstIndex(of: "warnings"))
    #expect(row[id] == "evil\u{241B}]0;pwned\u{2407}.txt")
    #expect(row[warnings].contains("replaced "))
  }

  @Test("eval matches a label naming the file by its real name")
  func evalMatchesRealName() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let labels = try TestSupport.temporaryFolder("rolelens-escapes-labels")
    defer { try? FileManager.default.removeItem(at: labels) }
    let path = try TestSupport.write("file,label\n\(Self.name),product-manager\n", to: "labels.csv", in: labels)
    let result = try TestSupport.run(["eval", folder.path, "--labels", path, "--min-support", "1"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("on 1 postings"), "\(result.stdout)")
    #expect(Self.controls(result.stdout) == [])
  }
}
