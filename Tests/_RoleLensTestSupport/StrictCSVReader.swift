/// A strict RFC 4180 reader for the CSV files rolelens writes, independent of the writer.
///
/// It reads UTF-8 bytes, never Swift `Character`s, so a comma or quote next to a combining
/// mark, ZWNJ, variation selector or prepend character is seen as the delimiter it is. Records
/// end with `\n` or `\r\n`; anything RFC 4180 does not allow (a quote inside an unquoted field,
/// text after a closing quote, a bare CR outside quotes, an unterminated quoted field) throws.
public enum StrictCSVReader {
  /// Why a text is not RFC 4180 CSV.
  public struct Malformed: Error, CustomStringConvertible, Sendable {
    /// The byte offset of the problem.
    public var offset: Int
    public var reason: String
    public var description: String { "CSV malformed at byte \(offset): \(reason)" }
  }

  /// The records of `text`, each a list of fields.
  ///
  /// - Throws: `Malformed` where the text breaks RFC 4180.
  public static func read(_ text: String) throws -> [[String]] {
    let bytes = Array(text.utf8)
    var records: [[String]] = []
    var record: [String] = []
    var index = 0
    let quote: UInt8 = 0x22
    let comma: UInt8 = 0x2C
    let lf: UInt8 = 0x0A
    let cr: UInt8 = 0x0D
    func string(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }
    guard !bytes.isEmpty else { return [] }
    while true {
      var field: [UInt8] = []
      if index < bytes.count, bytes[index] == quote {
        index += 1
        while true {
          guard index < bytes.count else { throw Malformed(offset: index, reason: "unterminated quoted field") }
          if bytes[index] == quote {
            if index + 1 < bytes.count, bytes[index + 1] == quote {
              field.append(quote)
              index += 2
            } else {
              index += 1
              break
            }
          } else {
            field.append(bytes[index])
            index += 1
          }
        }
      } else {
        while index < bytes.count, bytes[index] != comma, bytes[index] != lf, bytes[index] != cr {
          if bytes[index] == quote { throw Malformed(offset: index, reason: "quote inside an unquoted field") }
          field.append(bytes[index])
          index += 1
        }
      }
      record.append(string(field[...]))
      guard index < bytes.count else {
        records.append(record)
        return records
      }
      switch bytes[index] {
      case comma:
        index += 1
      case lf:
        index += 1
        records.append(record)
        record = []
        if index == bytes.count { return records }
      case cr where index + 1 < bytes.count && bytes[index + 1] == lf:
        index += 2
        records.append(record)
        record = []
        if index == bytes.count { return records }
      default:
        throw Malformed(offset: index, reason: "unexpected byte \(bytes[index]) after a field")
      }
    }
  }
}
