import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `PostingReader.read` on real files: every file becomes a posting or a skipped entry with a
/// reason a user can act on.
@Suite("Reading files")
struct PostingReaderTests {
  /// Writes `bytes` to `name` in a new folder and reads it.
  static func read(_ bytes: [UInt8], as name: String, options: IngestOptions = IngestOptions())
    throws -> ReadResult
  {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(bytes, to: name, in: folder)
    return PostingReader(options: options).read(try Ingest.inputFile(path))
  }

  static func read(_ text: String, as name: String, options: IngestOptions = IngestOptions()) throws
    -> ReadResult
  {
    try read(Array(text.utf8), as: name, options: options)
  }

  /// The single skip reason of a result that must have no posting.
  static func skipReason(_ result: ReadResult, sourceLocation: SourceLocation = #_sourceLocation)
    throws -> SkipReason
  {
    #expect(result.postings.isEmpty, sourceLocation: sourceLocation)
    #expect(result.skipped.count == 1, sourceLocation: sourceLocation)
    return try #require(result.skipped.first, sourceLocation: sourceLocation).reason
  }

  // MARK: - Skip reasons

  @Test("an empty file is skipped as empty")
  func emptyFile() throws {
    #expect(try Self.skipReason(Self.read([UInt8](), as: "posting.html")) == .empty)
  }

  @Test("a file of white space only is skipped as empty")
  func whitespaceOnlyFile() throws {
    #expect(try Self.skipReason(Self.read(" \n\t\r\n  \n", as: "posting.txt")) == .empty)
  }

  @Test("a file holding only a byte-order mark and a line break is empty")
  func byteOrderMarkOnlyFile() throws {
    // What Notepad saves for an empty document with "UTF-8 with BOM".
    #expect(
      try Self.skipReason(Self.read([0xEF, 0xBB, 0xBF, 0x0D, 0x0A], as: "posting.txt")) == .empty)
  }

  @Test("PNG bytes saved under .html are skipped as binary, with what they are")
  func pngUnderHTML() throws {
    let result = try Self.read(TextDecodingTests.png, as: "posting.html")
    #expect(try Self.skipReason(result) == .binary)
    #expect(result.skipped.first?.detail.contains("PNG") == true)
  }

  @Test(
    "a file type rolelens does not read is skipped as unsupported",
    arguments: ["posting.pdf", "posting.docx", "notes", "resume.rtf"])
  func unsupportedExtension(name: String) throws {
    let result = try Self.read(
      "Technical Project Manager\n\nResponsibilities:\n- Run the cutover plan.\n", as: name)
    #expect(try Self.skipReason(result) == .unsupported)
  }

  @Test("a file over maxFileSize is skipped as too large, naming the limit")
  func tooLarge() throws {
    let text =
      "Product Manager\n\n"
      + String(repeating: "Own the roadmap and talk to customers every week.\n", count: 40)
    let result = try Self.read(text, as: "posting.txt", options: IngestOptions(maxFileSize: 1024))
    #expect(try Self.skipReason(result) == .tooLarge)
    #expect(result.skipped.first?.detail.contains("1024") == true)
  }

  @Test("a file at exactly maxFileSize is read")
  func atTheLimit() throws {
    let text =
      "Product Manager\n\nOwn the roadmap and talk to customers every week, in person where you can.\n"
    let result = try Self.read(
      text, as: "posting.txt", options: IngestOptions(maxFileSize: text.utf8.count))
    #expect(result.postings.count == 1)
  }

  @Test("a file that grew past the limit after it was walked is skipped as too large")
  func fileGrewAfterWalking() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(
      String(repeating: "Delivery Manager. ", count: 200), to: "growing.txt", in: folder)
    let walked = InputFile(path: path, relativePath: "growing.txt", size: 100)
    let result = PostingReader(options: IngestOptions(maxFileSize: 1000)).read(walked)
    #expect(try Self.skipReason(result) == .tooLarge)
  }

  @Test("a file deleted after it was walked is skipped as unreadable, with the system's message")
  func fileVanished() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("gone.html").path
    let result = PostingReader().read(InputFile(path: path, relativePath: "gone.html", size: 120))
    #expect(try Self.skipReason(result) == .unreadable)
    #expect(result.skipped.first?.detail.isEmpty == false)
  }

  @Test(
    "a file replaced by a FIFO after it was walked is skipped as special-file, without blocking",
    .timeLimit(.minutes(1)))
  func fileReplacedByFIFO() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write("Product Manager\nOwn the roadmap.\n", to: "posting.txt", in: folder)
    let walked = try #require(InputWalker().walk([folder.path]).files.first)
    try FileManager.default.removeItem(atPath: path)
    try #require(mkfifo(path, 0o644) == 0)
    let result = PostingReader().read(walked)
    #expect(try Self.skipReason(result) == .specialFile)
    #expect(result.skipped.first?.detail.contains("FIFO") == true)
  }

  @Test(
    "an HTML page with no text is skipped as no-text",
    arguments: [
      "<html><head><title></title></head><body></body></html>",
      "<html><head><script>window.location = '/jobs/4411';</script></head><body><img src=\"logo.png\" alt=\"\"></body></html>",
      "<!DOCTYPE html><html><body><div id=\"root\"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>",
    ])
  func htmlWithoutText(html: String) throws {
    #expect(try Self.skipReason(Self.read(html, as: "posting.html")) == .noText)
  }

  @Test("the skipped entry names the file that was read")
  func skippedEntryNamesTheFile() throws {
    let result = try Self.read([UInt8](), as: "empty-posting.html")
    #expect(result.skipped.first?.path.hasSuffix("/empty-posting.html") == true)
  }

  // MARK: - Whole files

  @Test("a Windows-1252 page is read end to end with its punctuation intact")
  func windows1252PageEndToEnd() throws {
    let bytes =
      Array(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>Project Manager</title></head><body><h1>Project Manager</h1><p>"
          .utf8)
      + TextDecodingTests.cp1252Sentence
      + Array(
        ": we build schools and clinics, and our projects run on time and within budget.</p></body></html>"
          .utf8)
    let result = try Self.read(bytes, as: "legacy.htm")
    let posting = try #require(result.postings.first)
    #expect(posting.title == "Project Manager")
    #expect(posting.text.contains("Let’s talk about “delivery” – €5k bonus"))
    #expect(posting.format == .html)
  }

  @Test("the posting id is the path relative to the input root")
  func postingIdIsRelativePath() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(
      "Scrum Master\n\nResponsibilities:\n- Facilitate sprint planning and retrospectives.\n",
      to: "2024/may/scrum.txt",
      in: folder)
    let result = PostingReader().read(
      InputFile(path: path, relativePath: "2024/may/scrum.txt", size: 74))
    let posting = try #require(result.postings.first)
    #expect(posting.id == "2024/may/scrum.txt")
    #expect(posting.path == path)
  }

  @Test("a decoding warning is carried onto the posting")
  func decodingWarningOnPosting() throws {
    let bytes =
      Array("Projektleiter\n\nAufgaben:\n- Budget und Termine f".utf8) + [0xFC]
      + Array("r drei Baustellen.\n".utf8)
    let result = try Self.read(bytes, as: "stelle.txt")
    let posting = try #require(result.postings.first)
    #expect(posting.text.contains("Budget und Termine für drei Baustellen."))
    #expect(posting.warnings.contains { $0.contains("Windows-1252") })
  }
}
