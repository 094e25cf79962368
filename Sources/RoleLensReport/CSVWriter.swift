import Foundation

/// A CSV cell: text is escaped, numbers are formatted with a fixed number of decimals.
public enum CSVCell: Sendable, Hashable, ExpressibleByStringLiteral {
  case text(String)
  case integer(Int)
  case number(Double, decimals: Int)
  case empty

  public init(stringLiteral value: String) { self = .text(value) }

  /// An optional number: empty when `nil`.
  public static func number(_ value: Double?, decimals: Int = 4) -> CSVCell {
    value.map { .number($0, decimals: decimals) } ?? .empty
  }

  /// An optional text: empty when `nil`.
  public static func optional(_ value: String?) -> CSVCell { value.map { .text($0) } ?? .empty }
}

/// Writes RFC 4180 CSV: UTF-8, `\n` line ends, fields quoted when they hold a comma, quote or
/// line break, quotes doubled. Text cells that a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, tab or carriage return) get a leading apostrophe, so they show as
/// text; numbers are written as numbers and never altered.
public struct CSVWriter: Sendable {
  public private(set) var output = ""

  public init(header: [String]) {
    appendRow(header.map { CSVCell.text($0) })
  }

  public mutating func appendRow(_ cells: [CSVCell]) {
    output += Self.line(cells)
  }

  /// One row of cells, with its line end.
  public static func line(_ cells: [CSVCell]) -> String {
    cells.map(render).joined(separator: ",") + "\n"
  }

  /// The text of one cell.
  public static func render(_ cell: CSVCell) -> String {
    switch cell {
    case .empty: return ""
    case .integer(let value): return String(value)
    case .number(let value, let decimals): return format(value, decimals: decimals)
    case .text(let value): return escape(neutralizeFormula(value))
    }
  }

  /// Formats a number with exactly `decimals` decimals, independent of locale; never "-0.000".
  public static func format(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Inf" : "-Inf") }
    let text = String(format: "%.\(decimals)f", value)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
    return text
  }

  static func neutralizeFormula(_ value: String) -> String {
    guard let first = value.unicodeScalars.first else { return value }
    switch first {
    case "=", "+", "-", "@", "\t", "\r": return "'" + value
    default: return value
    }
  }

  static func escape(_ value: String) -> String {
    let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    guard needsQuotes else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
