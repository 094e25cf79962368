import Foundation
import Testing
import _RoleLensTestSupport

/// The keys of postings.csv join with the inputs and with a labels file, whatever character the
/// file names start with; free text keeps the formula guard unless `--no-formula-guard`.
@Suite("rolelens CSV keys and the formula guard, end to end")
struct CSVKeysCommandTests {
  /// File names that a formula guard would change, each a posting; and a dataset file.
  static let names = ["+pm.txt", "-draft-tpm.txt", "=plan.txt", "@lead.md"]

  static func folder() throws -> URL {
    let folder = try TestSupport.temporaryFolder("rolelens-keys")
    try TestSupport.write(
      "Technical Project Manager\n\nResponsibilities:\n- Own the project schedule across the SDLC\n",
      to: "-draft-tpm.txt",
      in: folder)
    try TestSupport.write(
      "=HYPERLINK(\"http://x\",\"Product Manager\")\n\nResponsibilities:\n- Own the product roadmap and run customer interviews\n",
      to: "=plan.txt", in: folder)
    try TestSupport.write(
      "Product Manager\n\nResponsibilities:\n- Define product metrics and prioritize the backlog\n", to: "+pm.txt",
      in: folder)
    try TestSupport.write(
      "# Technical Lead\n\nResponsibilities:\n- Lead the engineers of the payments team and review designs\n",
      to: "@lead.md",
      in: folder)
    return folder
  }

  /// postings.csv of `analyze folder` with `flags`, as header and rows.
  static func postings(_ folder: URL, _ flags: [String] = []) throws -> [[String]] {
    let out = try TestSupport.temporaryFolder("rolelens-keys-out")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try TestSupport.run(
      ["analyze", folder.path, "--out", out.path, "--bootstrap", "0", "--permutations", "0", "--quiet"] + flags)
    try #require(result.status == 0, "stderr: \(result.stderr)")
    return try AnalyzeCommandTests.readCSV(out.appendingPathComponent("postings.csv"))
  }

  static func column(_ name: String, _ rows: [[String]]) throws -> [String] {
    let index = try #require(rows.first?.firstIndex(of: name), "no column \(name)")
    return rows.dropFirst().map { $0[index] }
  }

  @Test("id and path are the file's name and path, verbatim, even when they start with - = + @")
  func keysJoinWithInputs() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let rows = try Self.postings(folder)
    #expect(try Self.column("id", rows) == Self.names)
    #expect(try Self.column("path", rows) == Self.names.map { folder.path + "/" + $0 })
    #expect(try Self.column("cluster", rows).allSatisfy { Self.names.contains($0) })
    #expect(try Self.column("needs_review", rows).allSatisfy { $0 == "true" || $0 == "false" })
    // Free text keeps the guard by default.
    let title = try Self.column("title", rows)[2]
    #expect(title == "'=HYPERLINK(\"http://x\",\"Product Manager\")")
  }

  @Test("eval matches labels whose file column is copied from postings.csv's id column")
  func evalWithCopiedIds() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let ids = try Self.column("id", try Self.postings(folder))
    let labels = try TestSupport.temporaryFolder("rolelens-keys-labels")
    defer { try? FileManager.default.removeItem(at: labels) }
    let roles = ["product-manager", "technical-project-manager", "product-manager", "technical-lead"]
    let path = try TestSupport.write(
      "file,label\n" + zip(ids, roles).map { "\($0),\($1)" }.joined(separator: "\n") + "\n", to: "labels.csv",
      in: labels)
    let result = try TestSupport.run(["eval", folder.path, "--labels", path, "--min-support", "1"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(!result.stdout.contains("not found"), "\(result.stdout)")
    #expect(result.stdout.contains("on 4 postings"), "\(result.stdout)")
  }

  @Test("--no-formula-guard writes free text as it is; keys are the same either way")
  func noFormulaGuard() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let rows = try Self.postings(folder, ["--no-formula-guard"])
    #expect(try Self.column("title", rows)[2] == "=HYPERLINK(\"http://x\",\"Product Manager\")")
    #expect(try Self.column("id", rows) == Self.names)
  }

  @Test("row is an integer for each dataset row and empty for a one-posting file")
  func rowIsInteger() throws {
    let folder = try TestSupport.temporaryFolder("rolelens-keys-rows")
    defer { try? FileManager.default.removeItem(at: folder) }
    let body = "Responsibilities: own the product roadmap, run customer interviews and set product metrics"
    try TestSupport.write(
      "title,description\nProduct Manager,\(body)\nSenior Product Manager,\(body) for payments\n", to: "-jobs.csv",
      in: folder)
    try TestSupport.write("Product Manager\n\n\(body) and pricing\n", to: "one.txt", in: folder)
    let rows = try Self.postings(folder)
    #expect(try Self.column("row", rows) == ["1", "2", ""])
    #expect(try Self.column("id", rows) == ["-jobs.csv#1", "-jobs.csv#2", "one.txt"])
  }
}
