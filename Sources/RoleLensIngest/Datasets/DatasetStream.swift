import Foundation

/// Reads a `.csv` or `.jsonl` dataset file (optionally `.gz`) in chunks and hands its rows on in
/// batches, in file order: the file is never held whole, so its size does not matter, only
/// that of a row (`--max-file-size`).
///
/// The first call of `next` reads the file's first bytes (its encoding, whether it is text),
/// the CSV header and the first 50 rows (the columns are found from them, as `DatasetReader`
/// always has); every later call reads just enough for one batch. A file that cannot be read
/// gives one batch holding only its skip. Not thread-safe: one caller at a time (the run's
/// producer, under its lock).
public final class DatasetStream {
  private let file: InputFile
  private let format: InputFormat
  private let options: IngestOptions
  private var source: DatasetByteSource?
  private var splitter: DatasetRowSplitter
  private var layout: DatasetLayout?
  /// Converts UTF-16/32 content to UTF-8 before it is split.
  private var transcoder: StreamTranscoder?
  /// Rows read ahead to find the columns, not yet handed on.
  private var queued: [StreamRow] = []
  /// The pieces of a JSON line split at Unicode line breaks, not yet handed on.
  private var pieces: [StreamRow] = []
  private var queuedStart = 0
  /// The number the next row gets (CSV: every record after the header, blank ones too;
  /// JSON lines: every line that is not blank).
  private var nextNumber = 1
  private var atEnd = false
  private var finished = false
  /// Whether every byte read so far is ASCII white space (then the file is "only white space").
  private var onlyASCIIWhitespace = true
  /// Whether every row so far decodes to white space and byte-order marks only.
  private var onlyWhitespace = true

  /// The size of the batches' rows, and the few rows read ahead to find the columns.
  static let lookahead = 50
  /// The least number of bytes looked at to tell the encoding and whether the file is text
  /// (what `TextDecoding` examines: a mark, 1 KiB for UTF-16, 8 KiB for binary bytes).
  static let headSize = 8192

  /// The shard whose rows are handed on, and the file's position in the walk; `nil`: every row.
  private let shard: (part: Shard, position: Int)?
  /// A row of the next block, read while a batch was being filled (`shard` only).
  private var carried: StreamRow?

  init(file: InputFile, format: InputFormat, options: IngestOptions, shard: (part: Shard, position: Int)? = nil) {
    self.file = file
    self.format = format
    self.options = options
    self.shard = shard
    splitter = DatasetRowSplitter(kind: format == .csv ? .csv : .jsonLines, maxRowSize: options.maxFileSize)
  }

  /// The next batch of rows, or `nil` once the last has been handed on.
  public func next() -> DatasetBatch? {
    guard !finished else { return nil }
    if layout == nil {
      switch start() {
      case .failure(let stop):
        finished = true
        source = nil
        return DatasetBatch(skipped: reportsFile ? [stop.skip] : [], isLast: true)
      case .success(let layout): self.layout = layout
      }
    }
    guard let layout else { return nil }
    var batch = DatasetBatch(layout: layout)
    let rowLimit = max(1, options.datasetBatchRows)
    var ended = false
    // A shard's batch holds rows of one block, so that the batches of all shards interleave
    // in row order when they are merged.
    var batchBlock: Int?
    while !ended && batch.rows.count < rowLimit && batch.bytes.count < options.datasetBatchBytes {
      let row: StreamRow
      if let next = carried {
        row = next
        carried = nil
      } else if queuedStart < queued.count {
        row = queued[queuedStart]
        queued[queuedStart].bytes = []
        queuedStart += 1
      } else {
        switch readRow() {
        case .failure(let stop):
          if reportsFile { batch.skipped.append(stop.skip) }
          ended = true
          continue
        case .success(nil):
          ended = true
          continue
        case .success(let next?):
          row = next
        }
      }
      if let shard {
        guard shard.part.owns(row: row.number, ofFileAt: shard.position) else { continue }
        let block = Shard.block(ofRow: row.number)
        if let batchBlock, block != batchBlock {
          carried = row
          break
        }
        batchBlock = block
      }
      batch.append(row)
    }
    if ended {
      batch.isLast = true
      finished = true
      source = nil
    }
    return batch
  }

  /// Whether this stream reports the file's own problems: always, unless it reads a shard's
  /// rows and the file's first block is another shard's (`Shard`).
  private var reportsFile: Bool { shard.map { $0.part.owns(fileAt: $0.position) } ?? true }

  // MARK: - Rows

  /// The next row and its number (blank JSON lines are passed over), `nil` at the end. The
  /// row's bytes are valid until the next read.
  private func readRow() -> Result<StreamRow?, Stop> {
    while true {
      if !pieces.isEmpty { return .success(pieces.removeFirst()) }
      if let row = splitter.nextRow(atEnd: atEnd) {
        let bytes = splitter.buffer[row.range]
        if onlyWhitespace { onlyWhitespace = Self.isWhitespace(bytes, decoding: layoutDecoding) }
        if format != .csv && row.droppedSize == nil {
          if Self.mayHoldUnicodeLineBreak(bytes) {
            splitLine(bytes)
            continue
          }
          if Self.isBlankLine(bytes, decoding: layoutDecoding) { continue }
        }
        defer { nextNumber += 1 }
        return .success(StreamRow(number: nextNumber, bytes: bytes, droppedSize: row.droppedSize))
      }
      if atEnd { return .success(nil) }
      if let failure = fill() { return .failure(failure) }
    }
  }

  /// Whether a line may hold U+0085, U+2028 or U+2029 once decoded and repaired: their UTF-8
  /// (C2 85, E2 80 A8/A9, also what a Windows-1252 row repairs), or the UTF-8 of Â or â, the
  /// lead characters of their mojibake. Lines with neither are split at ASCII breaks only.
  static func mayHoldUnicodeLineBreak(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      var index = 0
      while index + 1 < count {
        let byte = buffer[index]
        if byte == 0xC2 || byte == 0xC3 || byte == 0xE2 {
          let next = buffer[index + 1]
          switch byte {
          case 0xC2: if next == 0x85 { return true }
          case 0xC3: if next == 0x82 || next == 0xA2 { return true }
          default:
            if next == 0x80 && index + 2 < count && (buffer[index + 2] == 0xA8 || buffer[index + 2] == 0xA9) {
              return true
            }
          }
        }
        index += 1
      }
      return false
    }
  }

  /// Decodes and repairs a JSON line, then splits it at Unicode line breaks (as the text of a
  /// file read whole is split after its repair) into numbered pieces, dropping blank ones.
  private func splitLine(_ bytes: ArraySlice<UInt8>) {
    let (decoded, encoding, warnings) = layoutDecoding.decode(bytes)
    let (text, repairs) = TextRepair.repairMojibake(decoded)
    let prepared = PreparedText(encoding: encoding, warnings: warnings, repairs: repairs)
    for piece in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      guard !piece.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
      pieces.append(StreamRow(number: nextNumber, bytes: Array(piece.utf8)[...], prepared: prepared))
      nextNumber += 1
    }
  }

  /// The decoding found by `start` (set before any row is read).
  private var decoding: RowDecoding?
  private var layoutDecoding: RowDecoding {
    decoding ?? RowDecoding(encoding: .utf8, fallsBack: true, warnings: [])
  }

  /// Reads the next chunk into the splitter (through the transcoder for UTF-16/32).
  ///
  /// - Returns: A skip when the file cannot be read further.
  private func fill() -> Stop? {
    guard let source else {
      atEnd = true
      return nil
    }
    splitter.compact()
    let chunk = max(1, options.datasetChunkSize)
    if transcoder != nil {
      var raw: [UInt8] = []
      switch source.read(into: &raw, count: chunk) {
      case .failure(let failure): return skip(failure.reason, failure.detail)
      case .success(let count):
        if count == 0 { atEnd = true }
        splitter.buffer += transcoder?.convert(raw[...], final: count == 0) ?? []
      }
      return nil
    }
    let start = splitter.buffer.count
    switch source.read(into: &splitter.buffer, count: chunk) {
    case .failure(let failure): return skip(failure.reason, failure.detail)
    case .success(let count):
      if count == 0 { atEnd = true }
      if onlyASCIIWhitespace { onlyASCIIWhitespace = Self.isASCIIWhitespace(splitter.buffer[start...]) }
    }
    return nil
  }

  /// Why the file's reading stopped: its skip.
  struct Stop: Error {
    var skip: SkippedInput
  }

  private func skip(_ reason: SkipReason, _ detail: String) -> Stop {
    Stop(skip: SkippedInput(path: file.path, reason: reason, detail: detail))
  }

  // MARK: - Start

  /// Opens the file, tells its encoding, reads the header and the first rows and finds the
  /// columns, with the checks and in the order `PostingReader` and `DatasetReader` have for a
  /// file read whole.
  ///
  /// - Returns: The layout of the rows, or the file's skip.
  private func start() -> Result<DatasetLayout, Stop> {
    let compressed = file.path.lowercased().hasSuffix(".gz")
    switch DatasetByteSource.open(file, compressed: compressed) {
    case .failure(let failure): return .failure(skip(failure.reason, failure.detail))
    case .success(let opened): source = opened
    }
    guard let source else { return .failure(skip(.unreadable, "not opened")) }
    // The first bytes, at least `headSize` of them (or the whole file).
    var head: [UInt8] = []
    while head.count < Self.headSize {
      switch source.read(into: &head, count: max(options.datasetChunkSize, Self.headSize - head.count)) {
      case .failure(let failure): return .failure(skip(failure.reason, failure.detail))
      case .success(let count): if count == 0 { atEnd = true }
      }
      if atEnd { break }
    }
    if head.isEmpty { return .failure(skip(.empty, "0 bytes")) }
    onlyASCIIWhitespace = Self.isASCIIWhitespace(head[...])
    // Encoding, as `TextDecoding.decode` tells it for a whole file.
    var body = head[...]
    var decoding = RowDecoding(encoding: .utf8, fallsBack: true, warnings: [])
    if let (encoding, markLength) = TextDecoding.byteOrderMark(head) {
      body = head[markLength...]
      decoding = RowDecoding(encoding: encoding, fallsBack: false, warnings: [])
    } else if let encoding = TextDecoding.utf16WithoutBOM(head) {
      decoding = RowDecoding(
        encoding: encoding, fallsBack: false, warnings: ["no byte-order mark; bytes look like \(encoding.rawValue)"])
    } else if let detail = TextDecoding.binaryReason(head) {
      // Never for a file of only white space (its bytes are neither signatures nor controls).
      return .failure(skip(.binary, detail))
    }
    self.decoding = decoding
    if decoding.encoding != .utf8 {
      transcoder = StreamTranscoder(encoding: decoding.encoding)
      splitter.buffer = transcoder?.convert(body, final: atEnd) ?? []
    } else {
      splitter.buffer = Array(body)
    }
    return readLayout(decoding: decoding)
  }

  /// The header (CSV), the first rows and the columns found in them.
  private func readLayout(decoding: RowDecoding) -> Result<DatasetLayout, Stop> {
    let reader = DatasetReader(options: options, reader: PostingReader(options: options))
    var header: [String] = []
    if format == .csv {
      while true {
        if let row = splitter.nextRow(atEnd: atEnd) {
          let bytes = splitter.buffer[row.range]
          if onlyWhitespace { onlyWhitespace = Self.isWhitespace(bytes, decoding: decoding) }
          if let size = row.droppedSize {
            return .failure(
              skip(.tooLarge, "header row of \(size) bytes; the limit is \(options.maxFileSize) (--max-file-size)"))
          }
          let (fields, _, _) = decoding.decode(CSVRecord(bytes))
          header = fields.map { TextRepair.repairMojibake($0).text.trimmingCharacters(in: .whitespaces) }
          break
        }
        if atEnd { break }
        if let failure = fill() { return .failure(failure) }
      }
      if !onlyWhitespace && reader.isLabelsHeader(header) {
        let detail =
          "a labels file (columns \(header.joined(separator: ", "))) for rolelens eval --labels; not postings"
        return .failure(skip(.labels, detail))
      }
    }
    // The first rows that are not blank, for the columns.
    var layout = DatasetLayout(
      path: file.path, id: file.relativePath, format: format, header: header, decoding: decoding,
      maxRowSize: options.maxFileSize)
    var columns = Set<String>()
    var rows = 0
    while rows < Self.lookahead {
      let row: StreamRow?
      switch readRow() {
      case .failure(let failure): return .failure(failure)
      case .success(let read): row = read
      }
      guard var row else { break }
      row.bytes = Array(row.bytes)[...]
      queued.append(row)
      guard row.droppedSize == nil else {
        rows += 1
        continue
      }
      if let fields = reader.fields(of: row.bytes, row: row.number, layout: layout, prepared: row.prepared)?.fields {
        rows += 1
        columns.formUnion(fields.keys)
      }
    }
    columns.remove(DatasetReader.invalidMarker)
    if rows == 0 || onlyWhitespace {
      // A file of only white space is reported as such, whatever its header says; that needs
      // its end when the first rows are white space too.
      while onlyWhitespace && !atEnd {
        switch readRow() {
        case .failure(let failure): return .failure(failure)
        case .success(nil): break
        case .success: continue
        }
      }
      if onlyASCIIWhitespace && atEnd { return .failure(skip(.empty, "only white space")) }
      if onlyWhitespace && atEnd { return .failure(skip(.empty, "only a byte-order mark and white space")) }
      if rows == 0 { return .failure(skip(.empty, "no data rows")) }
    }
    switch reader.columns(in: columns) {
    case .failure(let failure): return .failure(skip(.corrupt, failure.message))
    case .success(let found):
      layout.columns = found
    }
    return .success(layout)
  }

  // MARK: - White space

  /// Whether `bytes` are all ASCII white space as `PostingReader` counts it (space, tab, LF,
  /// CR, FF).
  static func isASCIIWhitespace(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }
  }

  /// Whether a row decodes to white space and byte-order marks only (its line break is white
  /// space too).
  static func isWhitespace(_ bytes: ArraySlice<UInt8>, decoding: RowDecoding) -> Bool {
    // Any ASCII byte that is not white space settles it without decoding.
    if bytes.contains(where: { $0 < 0x80 && !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }) { return false }
    return decoding.decode(bytes).text.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0 == "\u{FEFF}" }
  }

  /// Whether a JSON line is blank once spaces and tabs are trimmed (`CharacterSet.whitespaces`),
  /// so it gets no row number.
  static func isBlankLine(_ bytes: ArraySlice<UInt8>, decoding: RowDecoding) -> Bool {
    if bytes.contains(where: { $0 < 0x80 && $0 != 0x20 && $0 != 0x09 }) { return false }
    return decoding.decode(bytes).text.trimmingCharacters(in: .whitespaces).isEmpty
  }
}
