import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// Shared helpers of the ingest tests: reading fixtures and extracting postings from text.
enum Ingest {
  /// The text of a UTF-8 fixture next to the calling test file.
  static func fixtureText(_ name: String, file: StaticString = #filePath) throws -> String {
    try String(contentsOf: TestSupport.fixture(name, file: file), encoding: .utf8)
  }

  /// Extracts `html` with default options and requires exactly one posting.
  static func posting(html: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> Posting
  {
    let result = PostingReader().extract(html, format: .html, id: "page.html", path: "page.html")
    #expect(result.skipped.isEmpty, "skipped: \(result.skipped)", sourceLocation: sourceLocation)
    return try #require(result.postings.first, sourceLocation: sourceLocation)
  }

  /// Extracts plain text (or Markdown) and requires exactly one posting.
  static func posting(
    text: String, format: InputFormat = .text, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Posting {
    let result = PostingReader().extract(
      text, format: format, id: "posting.txt", path: "posting.txt")
    #expect(result.skipped.isEmpty, "skipped: \(result.skipped)", sourceLocation: sourceLocation)
    return try #require(result.postings.first, sourceLocation: sourceLocation)
  }

  /// Reads the HTML fixture `name` through `PostingReader.read`, as a run would.
  static func readFixture(_ name: String, file: StaticString = #filePath) throws -> ReadResult {
    let url = TestSupport.fixture(name, file: file)
    return PostingReader().read(try inputFile(url.path))
  }

  /// An `InputFile` for `path`, sized from the file system, as `InputWalker` would make it.
  static func inputFile(_ path: String) throws -> InputFile {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let size = try #require(attributes[.size] as? Int)
    return InputFile(path: path, relativePath: (path as NSString).lastPathComponent, size: size)
  }

  /// The section whose heading is `heading`, if any.
  static func section(_ heading: String, in posting: Posting) -> PostingSection? {
    posting.sections.first { $0.heading == heading }
  }
}
