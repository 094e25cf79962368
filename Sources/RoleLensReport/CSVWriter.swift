import Foundation
import RoleLensIngest

/// A CSV cell: text is escaped, numbers are formatted with a fixed number of decimals.
public enum CSVCell: Sendable, Hashable, ExpressibleByStringLiteral {
  /// Free text (a title, a note): escaped, and given the formula guard when it is on.
  case text(String)
  /// A key that joins with the inputs and labels (an id, a path): escaped, never guarded, so
  /// `-draft-tpm.txt` stays `-draft-tpm.txt`.
  case key(String)
  /// An integer, written as it is.
  case integer(Int)
  /// A number with exactly `decimals` decimals, independent of locale (see `CSVWriter.format`).
  case number(Double, decimals: Int)
  /// An empty cell (a missing value).
  case empty

  /// A `.text` cell from a string literal.
  public init(stringLiteral value: String) { self = .text(value) }

  /// An optional number: empty when `nil`.
  public static func number(_ value: Double?, decimals: Int = 4) -> CSVCell {
    value.map { .number($0, decimals: decimals) } ?? .empty
  }

  /// An optional text: empty when `nil`.
  public static func optional(_ value: String?) -> CSVCell { value.map { .text($0) } ?? .empty }
}

/// Writes RFC 4180 CSV: UTF-8, `\n` line ends, fields quoted when they hold a comma, quote or
/// line break, quotes doubled. With the formula guard on (the default), text cells that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
/// return) get a leading apostrophe, so they show as text; key cells never do, and numbers are
/// written as numbers and never altered. Control characters other than tab, LF and CR are
/// written as visible characters (`ControlCharacters`).
public struct CSVWriter: Sendable {
  /// The CSV written so far: the header and every row appended, each ending in `\n`.
  public private(set) var output = ""
  /// Whether text cells get the formula guard.
  public let formulaGuard: Bool

  /// A writer whose first row is `header` (text cells, so guarded like any text).
  public init(header: [String], formulaGuard: Bool = true) {
    self.formulaGuard = formulaGuard
    appendRow(header.map { CSVCell.text($0) })
  }

  /// Appends one row of cells.
  public mutating func appendRow(_ cells: [CSVCell]) {
    output += Self.line(cells, formulaGuard: formulaGuard)
  }

  /// One row of cells, with its line end.
  public static func line(_ cells: [CSVCell], formulaGuard: Bool = true) -> String {
    cells.map { render($0, formulaGuard: formulaGuard) }.joined(separator: ",") + "\n"
  }

  /// The text of one cell.
  public static func render(_ cell: CSVCell, formulaGuard: Bool = true) -> String {
    switch cell {
    case .empty: return ""
    case .integer(let value): return String(value)
    case .number(let value, let decimals): return format(value, decimals: decimals)
    case .text(let value):
      let visible = visibleControls(value)
      return escape(formulaGuard ? neutralizeFormula(visible) : visible)
    case .key(let value): return escape(visibleControls(value))
    }
  }

  /// Formats a number with exactly `decimals` decimals, independent of locale; never "-0.000".
  public static func format(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Inf" : "-Inf") }
    if let text = fastFormat(value, decimals: decimals) { return text }
    let text = String(format: "%.\(decimals)f", value)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
    return text
  }

  /// `format` without `String(format:)` (a report writes hundreds of thousands of numbers),
  /// for the values where that is certain to give the same text: magnitudes below 10^11 once
  /// scaled, whose scaled fraction is not within 10^-4 of one half. There the error of the one
  /// multiplication (below 2·10^-5) cannot change how printf rounds the exact binary value;
  /// everything else is left to printf.
  static func fastFormat(_ value: Double, decimals: Int) -> String? {
    guard (0...9).contains(decimals) else { return nil }
    let scale = powersOfTen[decimals]
    let scaled = abs(value) * Double(scale)
    guard scaled < 1e11 else { return nil }
    let whole = scaled.rounded(.down)
    let fraction = scaled - whole
    guard abs(fraction - 0.5) > 1e-4 else { return nil }
    let units = UInt64(whole) + (fraction > 0.5 ? 1 : 0)
    var text = value < 0 && units > 0 ? "-" : ""
    text += String(units / scale)
    guard decimals > 0 else { return text }
    let digits = String(units % scale)
    text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    return text
  }

  private static let powersOfTen: [UInt64] = (0...9).map { (0..<$0).reduce(UInt64(1)) { value, _ in value * 10 } }

  /// `value` with its control characters made visible, but for the tab and the line breaks
  /// that quoting keeps in the cell: a cell never carries ESC, BEL, DEL or a C1 control, whatever
  /// the caller passed (extraction has replaced them, with a warning, in what it read).
  static func visibleControls(_ value: String) -> String {
    ControlCharacters.replacing(value, keeping: ControlCharacters.escapedByFormats)
  }

  /// `value` with a leading apostrophe when its first Unicode scalar would make a spreadsheet
  /// read the cell as a formula. Applied to each cell as written, after any other change.
  static func neutralizeFormula(_ value: String) -> String {
    guard let first = value.unicodeScalars.first else { return value }
    switch first {
    case "=", "+", "-", "@", "\t", "\r": return "'" + value
    default: return value
    }
  }

  /// `value` quoted when it holds a comma, quote, LF or CR, with quotes doubled.
  ///
  /// Works on UTF-8 bytes, not `Character`s: a grapheme cluster can hold a comma or quote
  /// together with a combining mark, ZWNJ, a variation selector or a prepend character before
  /// it ("x\u{0605}," is one `Character`), and a CSV reader splits on the byte all the same.
  ///
  /// - Complexity: O(n) in the UTF-8 length; one pass when nothing needs quoting.
  static func escape(_ value: String) -> String {
    let utf8 = value.utf8
    guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return value }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count + 8)
    bytes.append(0x22)
    for byte in utf8 {
      bytes.append(byte)
      if byte == 0x22 { bytes.append(0x22) }
    }
    bytes.append(0x22)
    return String(decoding: bytes, as: UTF8.self)
  }
}
