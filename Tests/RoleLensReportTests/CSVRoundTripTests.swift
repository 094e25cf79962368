import Foundation
import RoleLensOverlap
import Testing
import _RoleLensTestSupport

@testable import RoleLensReport

/// Strings built from the pieces that have broken CSV writers: delimiters, line ends, marks that
/// join a comma or quote into one grapheme cluster (U+0301, ZWNJ, VS16, the prepend U+0605),
/// emoji, formula prefixes and tabs.
private func randomCells(count: Int, seed: UInt64) -> [String] {
  let pieces = [
    ",", "\"", "\r", "\n", "\r\n", "\u{0301}", "\u{200C}", "\u{FE0F}", "\u{0605}", "😀", "👩‍💻", "🇨🇭", "=", "+",
    "-", "@", "\t", "a", "Zürich", " ", "e\u{0301}", "'", "=cmd|' /C calc'!A0", ";", "\\",
  ]
  // The project's seeded generator (SplitMix64), so a failing string can be regenerated.
  var generator = SeededGenerator(seed: seed)
  return (0..<count).map { _ in
    let length = Int.random(in: 0...10, using: &generator)
    return (0..<length).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
  }
}

/// Swift compares strings by canonical equivalence ("e\u{0301}" == "é"); a round trip must
/// give the same scalars, so compare bytes.
private func bytes(_ rows: [[String]]) -> [[[UInt8]]] { rows.map { $0.map { Array($0.utf8) } } }

/// A cell as a spreadsheet-safe writer must write it: with the apostrophe of the formula guard
/// when it starts with `=`, `+`, `-`, `@`, tab or CR.
private func guarded(_ value: String) -> String {
  guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
  return "'" + value
}

@Suite("CSVWriter round trip")
struct CSVRoundTripTests {
  static let rowCount = 4000
  static let columns = 3

  /// The generated rows, `columns` cells each.
  static func rows(seed: UInt64) -> [[String]] {
    let cells = randomCells(count: rowCount * columns, seed: seed)
    return stride(from: 0, to: cells.count, by: columns).map { Array(cells[$0..<$0 + columns]) }
  }

  @Test(
    "a comma or quote joined to a mark (U+0301, ZWNJ, VS16) or after U+0605 is still escaped",
    arguments: [
      "growth,\u{200C} 2 things", "a,\u{0301}b", "x,\u{FE0F}", "x\u{0605},=cmd|' /C calc'!A0", "say \"\u{0301}hi\"",
      "\u{0605}\"", "line\n\u{0301}", "cr\r\u{200C}",
    ])
  func joinedDelimiters(value: String) throws {
    let line = CSVWriter.line([.text(value), .text("next")])
    let records = try StrictCSVReader.read(line)
    #expect(
      bytes(records) == bytes([[guarded(value), "next"]]), "\(value.debugDescription) -> \(line.debugDescription)")
  }

  @Test("every generated string written as a text cell reads back as itself (guarded), in its own column")
  func randomStringsRoundTrip() throws {
    for seed: UInt64 in [1, 2, 3] {
      let rows = Self.rows(seed: seed)
      var csv = CSVWriter(header: ["a", "b", "c"])
      for row in rows { csv.appendRow(row.map { .text($0) }) }
      let records = try StrictCSVReader.read(csv.output)
      try #require(records.count == rows.count + 1, "seed \(seed): \(records.count) records for \(rows.count + 1) rows")
      for (index, row) in rows.enumerated() {
        let read = records[index + 1]
        #expect(
          bytes([read]) == bytes([row.map(guarded)]), "seed \(seed), row \(index): \(row.map(\.debugDescription))")
      }
    }
  }

  @Test("no cell of a written row reads back starting with a formula character")
  func everyFinalCellGuarded() throws {
    var csv = CSVWriter(header: ["a", "b", "c"])
    for row in Self.rows(seed: 4) { csv.appendRow(row.map { .text($0) }) }
    for (index, record) in try StrictCSVReader.read(csv.output).enumerated() {
      for cell in record {
        #expect(
          cell.unicodeScalars.first.map { !"=+-@\t\r".unicodeScalars.contains($0) } ?? true,
          "record \(index): \(cell.debugDescription)")
      }
    }
  }

  @Test(
    "Python's csv module reads the generated rows back identically",
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
  func pythonReadsBack() throws {
    let rows = Self.rows(seed: 5)
    var csv = CSVWriter(header: ["a", "b", "c"])
    for row in rows { csv.appendRow(row.map { .text($0) }) }
    let folder = try TestSupport.temporaryFolder("rolelens-csv-python")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(csv.output, to: "rows.csv", in: folder)
    // Each record as one line of hex-encoded UTF-8 fields: no decoding question on the way back.
    let script = """
      import csv, sys
      with open(sys.argv[1], newline='', encoding='utf-8') as f:
          for record in csv.reader(f, strict=True):
              print(','.join(field.encode('utf-8').hex() for field in record))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", script, path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    let records = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast().map { line in
        line.split(separator: ",", omittingEmptySubsequences: false).map { hex in
          String(
            decoding: stride(from: 0, to: hex.count, by: 2).compactMap { offset -> UInt8? in
              let start = hex.index(hex.startIndex, offsetBy: offset)
              return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)
            }, as: UTF8.self)
        }
      }
    try #require(records.count == rows.count + 1, "\(records.count) records for \(rows.count + 1) rows")
    for (index, row) in rows.enumerated() {
      #expect(bytes([records[index + 1]]) == bytes([row.map(guarded)]), "row \(index): \(row.map(\.debugDescription))")
    }
  }

  @Test("every generated string written as a key, or as text with the guard off, reads back identically")
  func verbatimRoundTrip() throws {
    let rows = Self.rows(seed: 6)
    var keys = CSVWriter(header: ["a", "b", "c"])
    var unguarded = CSVWriter(header: ["a", "b", "c"], formulaGuard: false)
    for row in rows {
      keys.appendRow(row.map { .key($0) })
      unguarded.appendRow(row.map { .text($0) })
    }
    for output in [keys.output, unguarded.output] {
      let records = try StrictCSVReader.read(output)
      try #require(records.count == rows.count + 1)
      #expect(bytes(Array(records.dropFirst())) == bytes(rows))
    }
  }
}
