/// How a dataset's rows are decoded: found once per file from its first bytes (byte-order mark,
/// UTF-16 without one, or else UTF-8), then applied to every row on its own.
struct RowDecoding: Sendable, Hashable {
  /// The file's encoding: `.utf8`, or the UTF-16/32 encoding its bytes were converted from.
  var encoding: TextEncoding
  /// Whether a row that is not valid UTF-8 is read as Windows-1252 (with a warning on that
  /// row): for UTF-8 without a byte-order mark. After a mark, or for converted UTF-16/32,
  /// rows are read as UTF-8, a bad sequence becoming U+FFFD, as whole files are.
  var fallsBack: Bool
  /// Warnings every row carries (UTF-16 recognised without a byte-order mark).
  var warnings: [String]

  /// The text of `bytes`, the encoding it was read in, and the warnings of its decoding.
  func decode(_ bytes: ArraySlice<UInt8>) -> (text: String, encoding: TextEncoding, warnings: [String]) {
    guard fallsBack, !Self.isValidUTF8(bytes) else {
      return (String(decoding: bytes, as: UTF8.self), encoding, warnings)
    }
    return (TextDecoding.decodeWindows1252(bytes), .windows1252, warnings + [Self.notUTF8Warning])
  }

  /// Decodes the fields of a CSV record, all in one encoding (the record's).
  func decode(_ record: CSVRecord) -> (fields: [String], encoding: TextEncoding, warnings: [String]) {
    if fallsBack && !Self.isValidUTF8(record.bytes[...]) {
      let fields = (0..<record.count).map { TextDecoding.decodeWindows1252(record[$0]) }
      return (fields, .windows1252, warnings + [Self.notUTF8Warning])
    }
    return ((0..<record.count).map { String(decoding: record[$0], as: UTF8.self) }, encoding, warnings)
  }

  /// The warning of a row read as Windows-1252, as `TextDecoding` words it for a file.
  static let notUTF8Warning = "not valid UTF-8; decoded as Windows-1252"

  /// Whether `bytes` are valid UTF-8 (ASCII runs checked eight bytes at a time).
  static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      var index = 0
      let count = buffer.count
      guard let base = buffer.baseAddress else { return true }
      while index + 8 <= count {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        if word & 0x8080_8080_8080_8080 != 0 { break }
        index += 8
      }
      if index == count { return true }
      return String(validating: UnsafeBufferPointer(rebasing: buffer[index...]), as: UTF8.self) != nil
    }
  }
}

/// What every row of one dataset file shares: where it comes from, its columns and how its
/// rows are decoded.
struct DatasetLayout: Sendable {
  var path: String
  /// The file's relative path: a row's posting id is `id#row`.
  var id: String
  var format: InputFormat
  /// CSV column names, trimmed (empty for JSON lines).
  var header: [String]
  /// The columns the rows' postings are read from (found once, from the first rows).
  var columns = DatasetReader.Columns(text: "")
  var decoding: RowDecoding
  /// Rows larger than this many bytes are skipped (`--max-file-size`).
  var maxRowSize: Int
}

/// A run of consecutive rows of one dataset file, as `DatasetStream` hands them on: the unit of
/// work a thread reads into postings (`PostingReader.read(_:)`), so the rows of one large file
/// are spread over every thread.
public struct DatasetBatch: Sendable {
  /// The rows' shared context; `nil` for a batch that only reports the file skipped.
  var layout: DatasetLayout?
  /// The rows' bytes, one after the other.
  var bytes: [UInt8] = []
  /// Each row: its number, where its bytes end in `bytes`, for a row over the size limit its
  /// size (its bytes are not kept), and for a piece of a JSON line already decoded and repaired
  /// how it was.
  var rows: [(number: Int, end: Int, droppedSize: Int?, prepared: PreparedText?)] = []
  /// File-level skips found while reading (the file as a whole could not be read).
  var skipped: [SkippedInput] = []
  /// Whether this is the file's last batch.
  public internal(set) var isLast = false

  /// The number of rows.
  public var rowCount: Int { rows.count }

  /// The number of the batch's first row; `nil` when it holds none.
  public var firstRow: Int? { rows.first?.number }

  /// The bytes of row `index`.
  func rowBytes(_ index: Int) -> ArraySlice<UInt8> {
    bytes[(index == 0 ? 0 : rows[index - 1].end)..<rows[index].end]
  }

  /// Adds a row.
  mutating func append(_ row: StreamRow) {
    bytes.append(contentsOf: row.bytes)
    rows.append((row.number, bytes.count, row.droppedSize, row.prepared))
  }
}

/// A row as `DatasetStream` reads it.
struct StreamRow {
  var number: Int
  /// The row's bytes (empty when dropped).
  var bytes: ArraySlice<UInt8>
  /// For a row over the size limit: its size.
  var droppedSize: Int?
  var prepared: PreparedText?
}

/// How a row's bytes were decoded and repaired before they were split into rows: a JSON line
/// holding a Unicode line break (U+0085, U+2028, U+2029) is split, as the text of a file read
/// whole was, after decoding and mojibake repair, so its pieces are UTF-8 already.
struct PreparedText: Sendable {
  var encoding: TextEncoding
  var warnings: [String]
  /// The repairs of the whole line, which each piece reports.
  var repairs: Int
}
