import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// Datasets read as a stream: in chunks of any size, in batches of rows, with decoding, repair
/// and the size limit applied per row, and the same postings as a file read whole would give.
@Suite("Streaming dataset files")
struct DatasetStreamingTests {
  /// Writes `bytes` to `name` in a new folder and reads it as a run would.
  static func read(_ bytes: [UInt8], as name: String, options: IngestOptions = IngestOptions()) throws -> ReadResult {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(bytes, to: name, in: folder)
    return PostingReader(options: options).read(try Ingest.inputFile(path))
  }

  static func read(_ text: String, as name: String, options: IngestOptions = IngestOptions()) throws -> ReadResult {
    try read(Array(text.utf8), as: name, options: options)
  }

  /// Options reading `chunk` bytes at a time, in batches of `batchRows` rows.
  static func options(chunk: Int, batchRows: Int = 256) -> IngestOptions {
    var options = IngestOptions()
    options.datasetChunkSize = chunk
    options.datasetBatchRows = batchRows
    return options
  }

  /// What a posting is, for comparing two readings.
  static func summary(_ result: ReadResult) -> [String] {
    result.postings.map { posting in
      [
        posting.id, "\(posting.row ?? -1)", posting.title, posting.company ?? "-", posting.location ?? "-",
        posting.datePosted ?? "-", posting.text, posting.warnings.joined(separator: "|"), posting.facts.encoding,
        "\(posting.facts.mojibakeRepairs)",
      ].joined(separator: "\u{1F}")
    }
      + result.skipped.map {
        "\(URL(fileURLWithPath: $0.path).lastPathComponent)#\($0.row ?? -1) \($0.reason.rawValue) \($0.detail)"
      }
  }

  static let description = """
    Responsibilities:
    - Run the "go-live" plan for the billing migration, end to end
    - Track dependencies, risks and cutover steps across four engineering teams
    Requirements:
    - 5+ years delivering infrastructure projects, including data migrations
    """

  /// A CSV cell: quoted, with quotes doubled.
  static func cell(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A CSV with CRLF line ends, quoted commas, doubled quotes and line breaks in cells, a blank
  /// record and a row with an empty description.
  static var csv: String {
    var lines = ["title,company,location,description,date_posted"]
    for index in 1...12 {
      let body = description.replacingOccurrences(of: "billing", with: "billing \(index)")
      lines.append(
        [
          "Technical Project Manager \(index)", cell("Northwind \(index), Inc."), cell("Lyon, \"FR\""),
          cell(body.replacingOccurrences(of: "\n", with: index % 2 == 0 ? "\r\n" : "\n")), "2024-05-\(10 + index)",
        ].joined(separator: ","))
      if index == 5 { lines.append("") }
      if index == 8 { lines.append("Product Manager,Contoso,Oslo,\"  \",2024-01-01") }
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  static var jsonLines: String {
    var lines: [String] = []
    for index in 1...12 {
      let row = [
        "title": "Technical Project Manager \(index)", "company": "Northwind \(index)", "location": "Lyon",
        "description": description + "\n- Team \(index) \u{E9}t\u{E9}",
      ]
      let data = (try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])) ?? Data()
      // One CRLF line end among the LFs.
      lines.append(String(decoding: data, as: UTF8.self) + (index == 3 ? "\r" : ""))
      if index == 4 { lines.append("   ") }
      if index == 6 { lines.append("{\"title\": \"broken") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test("a CSV split into chunks of any size, even inside quotes, CRLFs and doubled quotes, reads the same")
  func csvChunkBoundaries() throws {
    let whole = try Self.read(Self.csv, as: "jobs.csv")
    #expect(whole.postings.count == 12)
    #expect(whole.postings.first?.location == "Lyon, \"FR\"")
    #expect(whole.postings.allSatisfy { !$0.text.contains("\r") })
    for chunk in [1, 2, 7, 64, 1000] {
      let chunked = try Self.read(Self.csv, as: "jobs.csv", options: Self.options(chunk: chunk, batchRows: 3))
      #expect(Self.summary(chunked) == Self.summary(whole), "chunk of \(chunk) bytes")
    }
  }

  @Test("CSV rows count records after the header, blank records too, as a file read whole numbers them")
  func csvRowNumbers() throws {
    let result = try Self.read(Self.csv, as: "jobs.csv", options: Self.options(chunk: 7))
    // Record 6 is blank, record 10 has an empty description.
    #expect(result.postings.map(\.row) == [1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14])
    #expect(result.postings.map(\.id).last == "jobs.csv#14")
    #expect(result.skipped.map(\.row) == [10])
    #expect(result.skipped.map(\.reason) == [.badRow])
    let table = CSVTable.parse(Self.csv)
    #expect(
      result.postings.map(\.row)
        == table.filter { !($0.fields["description"] ?? "").trimmingWhitespace().isEmpty }.map(\.row))
  }

  @Test("JSON lines split into 7-byte chunks read the same; blank lines get no row number, broken ones are bad rows")
  func jsonLinesChunks() throws {
    let whole = try Self.read(Self.jsonLines, as: "feed.jsonl")
    #expect(whole.postings.map(\.row) == [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13])
    #expect(whole.skipped.map(\.row) == [7])
    #expect(whole.skipped.first?.detail == "line 7 is not a JSON object")
    #expect(whole.postings.allSatisfy { $0.text.contains("\u{E9}t\u{E9}") })
    for chunk in [1, 7, 100] {
      let chunked = try Self.read(Self.jsonLines, as: "feed.jsonl", options: Self.options(chunk: chunk, batchRows: 2))
      #expect(Self.summary(chunked) == Self.summary(whole), "chunk of \(chunk) bytes")
    }
  }

  @Test("a JSON line holding U+2028 is split there, as the text of a file read whole was")
  func jsonLineUnicodeBreak() throws {
    let text =
      "{\"title\": \"A\", \"description\": \"first part of a long enough description\"}\u{2028}{\"title\": \"B\", \"description\": \"second part of a long enough description\"}\n"
    let result = try Self.read(text, as: "feed.jsonl", options: Self.options(chunk: 5))
    #expect(result.postings.map(\.row) == [1, 2])
    #expect(result.postings.map(\.title) == ["A", "B"])
  }

  @Test("a gzipped CSV is streamed through zlib and reads as the plain file does")
  func gzipStreamed() throws {
    let plain = try Self.read(Self.csv, as: "jobs.csv")
    let compressed = try Self.gzip(Array(Self.csv.utf8))
    for chunk in [7, 4096] {
      let result = try Self.read(compressed, as: "jobs.csv.gz", options: Self.options(chunk: chunk))
      #expect(
        Self.summary(result).map { $0.replacingOccurrences(of: "jobs.csv.gz", with: "jobs.csv") } == Self.summary(plain)
      )
    }
    let truncated = try Self.read(Array(compressed.prefix(compressed.count / 2)), as: "jobs.csv.gz")
    #expect(truncated.postings.isEmpty)
    #expect(truncated.skipped.map(\.detail) == ["named .gz but not readable gzip data (truncated gzip data)"])
  }

  static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(bytes, to: "data", in: folder)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -n -c '\(path)' > '\(path).gz'"]
    try process.run()
    process.waitUntilExit()
    return Array(try Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
  }

  @Test("one row with mojibake is marked repaired; the other rows of the dataset are not")
  func repairPerRow() throws {
    let clean = "Own the roadmap for the mobile checkout and talk to customers every week."
    let broken = "Own the caf\u{C3}\u{A9} roadmap and talk to customers every week, in M\u{C3}\u{BC}nchen."
    let csv =
      "title,description\nProduct Manager,\(Self.cell(clean))\nProduct Manager,\(Self.cell(broken))\nProduct Manager,\(Self.cell(clean + " Again."))\n"
    let result = try Self.read(csv, as: "jobs.csv")
    #expect(result.postings.count == 3)
    #expect(result.postings.map(\.facts.mojibakeRepairs) == [0, 2, 0])
    #expect(result.postings[1].warnings.contains("repaired 2 double-encoded UTF-8 sequences (mojibake)"))
    #expect(result.postings[1].text.contains("caf\u{E9}") && result.postings[1].text.contains("M\u{FC}nchen"))
    #expect(!result.postings[0].warnings.contains { $0.contains("mojibake") })
    #expect(!result.postings[2].warnings.contains { $0.contains("mojibake") })
  }

  @Test("one row in Windows-1252 is decoded as such, with the warning on it alone; UTF-8 rows stay UTF-8")
  func decodingPerRow() throws {
    var bytes = Array("title,description\nProduct Manager,\"Own the caf\u{E9} roadmap and talk to customers.\"\n".utf8)
    bytes += Array("Product Manager,\"Own the caf".utf8) + [0xE9] + Array(" roadmap, Latin-1 this time.\"\n".utf8)
    let result = try Self.read(bytes, as: "jobs.csv")
    #expect(result.postings.map(\.facts.encoding) == ["UTF-8", "Windows-1252"])
    #expect(result.postings.allSatisfy { $0.text.contains("caf\u{E9}") })
    #expect(!result.postings[0].warnings.contains(RowDecoding.notUTF8Warning))
    #expect(result.postings[1].warnings.contains(RowDecoding.notUTF8Warning))
  }

  @Test("a row larger than maxFileSize is a bad row naming the limit; the file may be any size")
  func rowOverLimit() throws {
    let long = String(repeating: "Track dependencies and risks across teams. ", count: 200)
    let short = "Own the roadmap for the mobile checkout and talk to customers every week."
    var lines = ["title,description"]
    for index in 1...30 { lines.append("Product Manager,\(Self.cell(index == 7 ? long : short + " \(index)"))") }
    let csv = lines.joined(separator: "\n") + "\n"
    var options = Self.options(chunk: 1000)
    options.maxFileSize = 2000
    #expect(csv.utf8.count > 2 * options.maxFileSize)
    let result = try Self.read(csv, as: "jobs.csv", options: options)
    #expect(result.postings.count == 29)
    let skip = try #require(result.skipped.first)
    #expect(result.skipped.count == 1)
    #expect(skip.row == 7 && skip.reason == .badRow)
    #expect(skip.detail == "row of \(long.utf8.count + 18) bytes; the limit is 2000 (--max-file-size)")
    #expect(result.postings.map(\.row) == Array(1...30).filter { $0 != 7 })
  }

  @Test(
    "an empty, blank or header-only dataset is skipped as empty, as a file read whole was",
    arguments: [
      ("", "jobs.csv", "0 bytes"), ("", "jobs.jsonl", "0 bytes"), ("title,description\n", "jobs.csv", "no data rows"),
      ("title,description", "jobs.csv", "no data rows"), ("title,description\n\n\n", "jobs.csv", "no data rows"),
      (" \n\t\r\n", "jobs.csv", "only white space"), (" \n\t\r\n", "jobs.jsonl", "only white space"),
      ("\u{FEFF}\n", "jobs.jsonl", "only a byte-order mark and white space"),
    ])
  func emptyDatasets(text: String, name: String, detail: String) throws {
    let result = try Self.read(text, as: name, options: Self.options(chunk: 3))
    #expect(result.postings.isEmpty)
    #expect(result.skipped.map(\.reason) == [.empty])
    #expect(result.skipped.map(\.detail) == [detail])
  }

  @Test("batches of any size give the same postings in the same order")
  func batchSizes() throws {
    let whole = try Self.read(Self.csv, as: "jobs.csv")
    for rows in [1, 2, 5, 1000] {
      let file = try Self.streamedFile(Self.csv)
      defer { try? FileManager.default.removeItem(atPath: file.path) }
      let reader = PostingReader(options: Self.options(chunk: 64, batchRows: rows))
      let stream = reader.openDataset(file)
      var batches: [DatasetBatch] = []
      while let batch = stream.next() { batches.append(batch) }
      #expect(batches.last?.isLast == true)
      #expect(batches.dropLast().allSatisfy { !$0.isLast })
      #expect(batches.allSatisfy { $0.rowCount <= rows })
      // Read in reverse order, as threads may finish them, then put back in order.
      var results = batches.reversed().map { reader.read($0) }
      results.reverse()
      let merged = ReadResult(postings: results.flatMap(\.postings), skipped: results.flatMap(\.skipped))
      #expect(Self.summary(merged) == Self.summary(whole), "batches of \(rows) rows")
    }
  }

  static func streamedFile(_ text: String) throws -> InputFile {
    let folder = try TestSupport.temporaryFolder()
    let path = try TestSupport.write(text, to: "jobs.csv", in: folder)
    var file = try Ingest.inputFile(path)
    file.relativePath = "jobs.csv"
    return file
  }

  @Test("the row splitter finds CSV records across chunk boundaries and drops rows over the limit")
  func splitterRecords() {
    let text = Array("a,\"b\r\nc\"\"\",d\r\n\"\"\r\nx\n\"open".utf8)
    for chunk in 1...text.count {
      var splitter = DatasetRowSplitter(kind: .csv, maxRowSize: 100)
      var rows: [String] = []
      var offset = 0
      while true {
        let atEnd = offset >= text.count
        if !atEnd {
          splitter.compact()
          splitter.buffer += text[offset..<min(offset + chunk, text.count)]
          offset += chunk
        }
        while let row = splitter.nextRow(atEnd: atEnd) {
          rows.append(String(decoding: splitter.buffer[row.range], as: UTF8.self))
        }
        if atEnd { break }
      }
      #expect(rows == ["a,\"b\r\nc\"\"\",d\r", "\"\"\r", "x", "\"open"], "chunk \(chunk)")
    }
    let record = CSVRecord(Array("a,\"b\r\nc\"\"\",d\r".utf8)[...])
    #expect((0..<record.count).map { String(decoding: record[$0], as: UTF8.self) } == ["a", "b\r\nc\"", "d"])
    #expect(CSVRecord(Array("\"\"\r".utf8)[...]).isBlank)
  }
}
