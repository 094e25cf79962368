/// One CSV record's fields, read from its bytes as `CSVTable.parseTable` reads a record from
/// text: quoted fields with doubled quotes and line breaks, a carriage return outside quotes
/// dropped, characters after a closing quote kept.
struct CSVRecord {
  /// The fields' bytes, unescaped, one after the other.
  var bytes: [UInt8] = []
  /// Where each field ends in `bytes`.
  var ends: [Int] = []

  /// The number of fields.
  var count: Int { ends.count }

  /// The bytes of field `index`.
  subscript(index: Int) -> ArraySlice<UInt8> {
    bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
  }

  /// Whether the record is a blank line (one empty field), which `CSVTable` skips.
  var isBlank: Bool { ends == [0] }

  /// Splits the bytes of one record (without its line feed).
  ///
  /// - Complexity: O(n) in the record's bytes.
  init(_ record: ArraySlice<UInt8>) {
    bytes.reserveCapacity(record.count)
    record.withUnsafeBufferPointer { input in
      let count = input.count
      var index = 0
      var quoted = false
      var afterQuote = false
      var fieldStart = 0
      while index < count {
        let byte = input[index]
        if quoted {
          if byte == UInt8(ascii: "\"") {
            if index + 1 < count && input[index + 1] == UInt8(ascii: "\"") {
              bytes.append(byte)
              index += 2
              continue
            }
            quoted = false
            afterQuote = index + 1 < count
          } else {
            bytes.append(byte)
          }
          index += 1
          continue
        }
        switch byte {
        case UInt8(ascii: "\"") where bytes.count == fieldStart && !afterQuote:
          quoted = true
        case UInt8(ascii: ","):
          ends.append(bytes.count)
          fieldStart = bytes.count
          afterQuote = false
        case UInt8(ascii: "\r"):
          break
        default:
          bytes.append(byte)
        }
        index += 1
      }
    }
    ends.append(bytes.count)
  }
}
