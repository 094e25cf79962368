import Foundation

/// A JSON value written with keys in the order given and numbers with fixed decimals, so that
/// the same run gives byte-identical JSON.
package indirect enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case integer(Int)
  case number(Double, decimals: Int)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }
  package func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

  /// An optional number: `null` when `nil`.
  package static func number(_ value: Double?, decimals: Int = 4) -> JSONValue {
    value.map { .number($0, decimals: decimals) } ?? .null
  }

  /// The JSON text, indented by two spaces per level, ending without a newline.
  package func rendered(indent: Int = 0) -> String {
    let pad = String(repeating: "  ", count: indent)
    let inner = String(repeating: "  ", count: indent + 1)
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .integer(let value): return String(value)
    case .number(let value, let decimals):
      return value.isFinite ? CSVWriter.format(value, decimals: decimals) : "null"
    case .string(let value): return Self.quote(value)
    case .array(let values):
      if values.isEmpty { return "[]" }
      return "[\n" + values.map { inner + $0.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
    case .object(let pairs):
      if pairs.isEmpty { return "{}" }
      return "{\n"
        + pairs.map { inner + Self.quote($0.0) + ": " + $0.1.rendered(indent: indent + 1) }
        .joined(separator: ",\n") + "\n" + pad + "}"
    }
  }

  /// A JSON string literal with the escapes RFC 8259 requires, and `\u` escapes for DEL and the
  /// C1 controls (U+0080–U+009F) too, so that no control character reaches a terminal that
  /// shows the file.
  package static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\u{2028}": result += "\\u2028"
      case "\u{2029}": result += "\\u2029"
      default:
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
          result += String(format: "\\u%04x", scalar.value)
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
