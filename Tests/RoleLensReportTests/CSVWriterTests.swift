import Testing

@testable import RoleLensReport

@Suite("CSVWriter")
struct CSVWriterTests {
  // MARK: - Quoting

  @Test(
    "text cells are quoted per RFC 4180 only when they must be",
    arguments: [
      ("plain", "plain"),
      ("a,b", "\"a,b\""),
      ("say \"hi\"", "\"say \"\"hi\"\"\""),
      ("line\nbreak", "\"line\nbreak\""),
      ("carriage\rreturn", "\"carriage\rreturn\""),
      ("windows\r\nline", "\"windows\r\nline\""),
      ("", ""),
      ("café; naïve", "café; naïve"),
    ])
  func quoting(value: String, expected: String) {
    #expect(CSVWriter.render(.text(value)) == expected)
  }

  @Test("rows end with \\n, never \\r\\n")
  func lineEnds() {
    var csv = CSVWriter(header: ["a", "b"])
    csv.appendRow([.integer(1), .text("x")])
    #expect(csv.output == "a,b\n1,x\n")
    #expect(!csv.output.contains("\r"))
  }

  // MARK: - Formula injection

  @Test(
    "a text cell a spreadsheet would run as a formula starts with an apostrophe",
    arguments: [
      ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
      ("+44 20 7946 0000", "'+44 20 7946 0000"),
      ("-1.5", "'-1.5"),
      ("@cmd", "'@cmd"),
      ("\tindented", "'\tindented"),
      // Neutralised, then quoted because it holds a carriage return.
      ("\rreturn", "\"'\rreturn\""),
      // Neutralised, then quoted because it holds a comma.
      ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
    ])
  func formulaNeutralised(value: String, expected: String) {
    #expect(CSVWriter.render(.text(value)) == expected)
  }

  @Test(
    "formula characters after the first are left alone",
    arguments: ["a=b", "C++", "x-y", "me@example.com"])
  func formulaCharactersInside(value: String) {
    #expect(CSVWriter.render(.text(value)) == value)
  }

  @Test("negative numbers stay numbers")
  func negativeNumbers() {
    #expect(CSVWriter.render(.number(-1.5, decimals: 4)) == "-1.5000")
    #expect(CSVWriter.render(.integer(-3)) == "-3")
    #expect(CSVWriter.render(.number(-2.25, decimals: 2)) == "-2.25")
  }

  // MARK: - Numbers

  @Test(
    "numbers have a fixed number of decimals",
    arguments: [
      (0.5, 4, "0.5000"),
      (1.0 / 3.0, 4, "0.3333"),
      (2.0 / 3.0, 4, "0.6667"),
      (1234567.891, 2, "1234567.89"),
      (2.0, 0, "2"),
      (1e-7, 4, "0.0000"),
    ])
  func fixedDecimals(value: Double, decimals: Int, expected: String) {
    #expect(CSVWriter.format(value, decimals: decimals) == expected)
  }

  @Test("a value that rounds to zero is never written as negative zero", arguments: [-0.0, -0.00001, -0.00004999])
  func noNegativeZero(value: Double) {
    #expect(CSVWriter.format(value, decimals: 4) == "0.0000")
  }

  @Test("a small negative value that does not round to zero keeps its sign")
  func smallNegativeKeepsSign() {
    #expect(CSVWriter.format(-0.00005001, decimals: 4) == "-0.0001")
  }

  @Test(
    "non-finite numbers are written as NaN, Inf and -Inf",
    arguments: [(Double.nan, "NaN"), (Double.infinity, "Inf"), (-Double.infinity, "-Inf")])
  func nonFinite(value: Double, expected: String) {
    #expect(CSVWriter.format(value, decimals: 4) == expected)
  }

  @Test("a missing number or text is an empty cell")
  func missingValues() {
    #expect(CSVWriter.render(.number(nil as Double?)) == "")
    #expect(CSVWriter.render(.optional(nil)) == "")
    #expect(CSVWriter.render(.empty) == "")
    #expect(CSVWriter.render(.number(0.25 as Double?)) == "0.2500")
  }

  // MARK: - Whole file

  @Test("a whole CSV file: header, quoting, neutralised formulas, numbers, empty cells")
  func wholeFile() {
    var csv = CSVWriter(header: ["term", "count", "share", "note"])
    csv.appendRow([.text("product roadmap"), .integer(12), .number(0.123456, decimals: 4), .empty])
    csv.appendRow([.text("c++, c#"), .integer(0), .number(-0.00001, decimals: 4), .text("said \"typical\"")])
    csv.appendRow([.text("-negative"), .integer(-2), .number(-1.5, decimals: 4), .text("two\nlines")])
    csv.appendRow([.text("=1+1"), .integer(3), .number(Double?.none), "x"])
    let expected = """
      term,count,share,note
      product roadmap,12,0.1235,
      "c++, c#",0,0.0000,"said ""typical""\"
      '-negative,-2,-1.5000,"two
      lines"
      '=1+1,3,,x

      """
    #expect(csv.output == expected)
  }

  @Test("the header is escaped like any row")
  func headerEscaped() {
    let csv = CSVWriter(header: ["a,b", "=c"])
    #expect(csv.output == "\"a,b\",'=c\n")
  }

  @Test("numbers format exactly as printf's %.nf would, on a million generated values")
  func formatMatchesPrintf() {
    var generator = SystemRandomNumberGenerator()
    var checked = 0
    for index in 0..<1_000_000 {
      let magnitude = [1e-6, 1e-3, 1, 1e3, 1e6, 1e9][index % 6]
      var value = Double.random(in: -magnitude...magnitude, using: &generator)
      // Halves and near-halves of the last decimal, where rounding is decided.
      if index % 5 == 0 { value = (value * 1e4).rounded(.down) / 1e4 + 0.00005 }
      let decimals = index % 7
      let printf = String(format: "%.\(decimals)f", value)
      let expected =
        printf.hasPrefix("-") && printf.dropFirst().allSatisfy({ $0 == "0" || $0 == "." })
        ? String(printf.dropFirst()) : printf
      #expect(CSVWriter.format(value, decimals: decimals) == expected, "\(value) with \(decimals) decimals")
      checked += 1
    }
    #expect(checked == 1_000_000)
  }
}

@Suite("Control characters in reports and on the terminal")
struct ReportControlCharacterTests {
  @Test("a CSV cell never carries ESC, BEL, DEL or a C1 control; tab and line breaks stay quoted")
  func csvCells() throws {
    #expect(CSVWriter.render(.text("a\u{1B}]0;x\u{07}")) == "a\u{241B}]0;x\u{2407}")
    #expect(CSVWriter.render(.key("id\u{9B}\u{7F}.txt")) == "id\u{FFFD}\u{2421}.txt")
    #expect(CSVWriter.render(.text("two\nlines\tand\rcr")) == "\"two\nlines\tand\rcr\"")
  }

  @Test("JSON strings escape DEL and C1 controls as well as C0")
  func jsonStrings() {
    #expect(JSONValue.quote("\u{1B}[2J\u{7F}\u{9B}\u{85}") == "\"\\u001b[2J\\u007f\\u009b\\u0085\"")
  }

  @Test("terminal text shows every control visibly; whole output keeps line feeds and tabs")
  func terminalText() {
    #expect(TerminalText.line("a\nb\t\u{1B}[2J") == "a\u{240A}b\u{2409}\u{241B}[2J")
    #expect(TerminalText.block("a\nb\t\u{1B}[2J\u{9B}") == "a\nb\t\u{241B}[2J\u{FFFD}")
  }
}
