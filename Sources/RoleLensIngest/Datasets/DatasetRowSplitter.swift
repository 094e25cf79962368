/// Splits a dataset's bytes into rows as they arrive in chunks: CSV records (a line break ends
/// a record only outside quotes; doubled quotes and CRLF as `CSVTable` reads them) or JSON lines
/// (at LF, CR, VT and FF; the Unicode line breaks `Character.isNewline` also splits at are
/// left to `DatasetStream`, which splits after decoding and mojibake repair, as a file read
/// whole was split).
///
/// Works on bytes: the characters that matter are ASCII, which UTF-8 and Windows-1252 never
/// use inside a multi-byte character, so the split is the one the decoded text would get. A
/// row longer than `maxRowSize` is not kept: its bytes are dropped as they are scanned and only
/// its size is reported, so memory stays bounded by the chunk and the limit.
struct DatasetRowSplitter {
  /// How rows end.
  enum Kind: Sendable {
    /// CSV records.
    case csv
    /// JSON lines.
    case jsonLines
  }

  /// A row found: its bytes, or the size of a row over the limit whose bytes were dropped.
  struct Row {
    /// The row's bytes in `buffer` (without its line break); empty when dropped.
    var range: Range<Int>
    /// For a row over the limit: its size in bytes.
    var droppedSize: Int?
  }

  let kind: Kind
  let maxRowSize: Int
  /// The bytes read and not yet handed on; callers append to it (`DatasetByteSource.read`).
  var buffer: [UInt8] = []
  /// Where the current row starts in `buffer`.
  private var rowStart = 0
  /// How far `buffer` has been scanned.
  private var scan = 0
  /// Bytes of the current row already dropped for being over the limit.
  private var dropped = 0
  // CSV state, as `CSVTable.parseTable` keeps it.
  private var quoted = false
  private var afterQuote = false
  private var fieldEmpty = true
  /// A quote seen inside a quoted field whose following byte is not read yet.
  private var quoteInQuotes = false

  init(kind: Kind, maxRowSize: Int) {
    self.kind = kind
    self.maxRowSize = maxRowSize
  }

  /// Drops the bytes of rows already handed on, before more are appended.
  mutating func compact() {
    guard rowStart > 0 else { return }
    buffer.removeFirst(rowStart)
    scan -= rowStart
    rowStart = 0
  }

  /// The next complete row, or `nil` when the buffer holds no complete row (more bytes are
  /// needed), or, `atEnd`, the last row without a line break.
  ///
  /// The returned range is valid until the next `compact`.
  ///
  /// - Complexity: O(n) in the bytes scanned; each byte is scanned once.
  mutating func nextRow(atEnd: Bool) -> Row? {
    let found: (end: Int, next: Int)? =
      switch kind {
      case .csv: scanCSV()
      case .jsonLines: scanJSONLines()
      }
    if let found {
      let row = finishRow(end: found.end)
      rowStart = found.next
      scan = found.next
      return row
    }
    if atEnd {
      scan = buffer.count
      guard rowStart < buffer.count || dropped > 0 else { return nil }
      let row = finishRow(end: buffer.count)
      rowStart = buffer.count
      return row
    }
    if scan - rowStart > maxRowSize {
      dropped += scan - rowStart
      rowStart = scan
    }
    return nil
  }

  /// The row from `rowStart` to `end`, or its size when it is over the limit.
  private mutating func finishRow(end: Int) -> Row {
    let size = dropped + (end - rowStart)
    defer { dropped = 0 }
    if size > maxRowSize { return Row(range: end..<end, droppedSize: size) }
    return Row(range: rowStart..<end, droppedSize: nil)
  }

  /// Scans for the line feed that ends the current CSV record.
  ///
  /// - Returns: The record's end and where the next starts, or `nil` at the buffer's end.
  private mutating func scanCSV() -> (end: Int, next: Int)? {
    let count = buffer.count
    var index = scan
    var quoted = quoted
    var afterQuote = afterQuote
    var fieldEmpty = fieldEmpty
    var quoteInQuotes = quoteInQuotes
    defer {
      self.quoted = quoted
      self.afterQuote = afterQuote
      self.fieldEmpty = fieldEmpty
      self.quoteInQuotes = quoteInQuotes
    }
    return buffer.withUnsafeBufferPointer { bytes -> (end: Int, next: Int)? in
      while index < count {
        let byte = bytes[index]
        if quoteInQuotes {
          quoteInQuotes = false
          if byte == UInt8(ascii: "\"") {
            index += 1
            continue
          }
          quoted = false
          afterQuote = true
        }
        if quoted {
          if byte == UInt8(ascii: "\"") { quoteInQuotes = true }
          index += 1
          continue
        }
        switch byte {
        case UInt8(ascii: "\""):
          if fieldEmpty && !afterQuote { quoted = true } else { fieldEmpty = false }
        case UInt8(ascii: ","):
          fieldEmpty = true
          afterQuote = false
        case UInt8(ascii: "\r"):
          break
        case UInt8(ascii: "\n"):
          fieldEmpty = true
          afterQuote = false
          scan = index + 1
          return (index, index + 1)
        default:
          fieldEmpty = false
        }
        index += 1
      }
      scan = index
      return nil
    }
  }

  /// Scans for the line break that ends the current JSON line.
  ///
  /// - Returns: The line's end and where the next starts, or `nil` at the buffer's end.
  private mutating func scanJSONLines() -> (end: Int, next: Int)? {
    let count = buffer.count
    var index = scan
    let result = buffer.withUnsafeBufferPointer { bytes -> (end: Int, next: Int)? in
      while index < count {
        let byte = bytes[index]
        if byte >= 0x0A && byte <= 0x0D { return (index, index + 1) }
        index += 1
      }
      return nil
    }
    if result == nil { scan = index }
    return result
  }
}
