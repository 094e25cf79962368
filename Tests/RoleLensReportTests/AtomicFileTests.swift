import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensReport

/// The names in `folder`, sorted, hidden files included.
func listing(_ folder: URL) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}

@Suite("AtomicFile")
struct AtomicFileTests {
  @Test("a written file holds the text and no temporary file is left beside it")
  func writeLeavesNoTemporary() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("roles.csv").path
    try AtomicFile.write("role,postings\nother,1\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "role,postings\nother,1\n")
    #expect(try listing(folder) == ["roles.csv"])
  }

  @Test("writing replaces an existing file")
  func writeReplaces() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write("old content that is longer than the new one\n", to: "out.csv", in: folder)
    try AtomicFile.write("new\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
    #expect(try listing(folder) == ["out.csv"])
  }

  @Test("text is written as UTF-8")
  func writesUTF8() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("t.csv").path
    try AtomicFile.write("Zürich,产品\n", to: path)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("Zürich,产品\n".utf8))
  }

  @Test("writing into a missing folder fails naming the file")
  func writeIntoMissingFolder() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("missing/roles.csv").path
    let error = try #require(throws: ReportError.self) { try AtomicFile.write("x\n", to: path) }
    guard case .cannotWrite(let errorPath, _) = error else { return }
    #expect(errorPath == path)
  }

  @Test("a failed rename leaves no temporary file behind")
  func failedRenameCleansUp() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // The target is a non-empty folder, so rename(2) over it fails.
    let target = folder.appendingPathComponent("report.csv")
    try TestSupport.write("keep\n", to: "report.csv/inside.txt", in: folder)
    #expect(throws: ReportError.self) { try AtomicFile.write("x\n", to: target.path) }
    #expect(try listing(folder) == ["report.csv"])
    #expect(try listing(target) == ["inside.txt"])
  }

  @Test("prepareFolder creates nested folders")
  func prepareCreatesNested() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let nested = root.appendingPathComponent("a/b/c")
    try AtomicFile.prepareFolder(nested.path)
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: nested.path, isDirectory: &isDirectory))
    #expect(isDirectory.boolValue)
  }

  @Test("prepareFolder accepts an existing folder and leaves its files alone")
  func prepareExisting() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try TestSupport.write("x", to: "keep.txt", in: folder)
    try AtomicFile.prepareFolder(folder.path)
    #expect(try listing(folder) == ["keep.txt"])
  }

  @Test("prepareFolder on a path that is a file fails naming that path")
  func prepareOnFile() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try TestSupport.write("x", to: "out", in: folder)
    #expect(throws: ReportError.cannotWrite(path: file, reason: "not a folder")) {
      try AtomicFile.prepareFolder(file)
    }
  }

  @Test("prepareFolder under a file fails naming the folder it could not create")
  func prepareUnderFile() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try TestSupport.write("x", to: "out", in: folder)
    let below = file + "/reports"
    let error = try #require(throws: ReportError.self) { try AtomicFile.prepareFolder(below) }
    #expect(error.description.hasPrefix(below + ": cannot write"))
  }
}
