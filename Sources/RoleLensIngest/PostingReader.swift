#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// read(2), named apart so that `PostingReader.read(_:)` does not hide it; the C library's
/// `read` on Glibc and Darwin alike (the package builds on both).
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}

/// Options for reading postings.
public struct IngestOptions: Sendable, Hashable {
  /// Files larger than this are skipped as too large (default 20 MiB: a saved job page is
  /// rarely over 2 MiB, and a larger file is usually a dump that needs a dataset reader).
  public var maxFileSize: Int

  /// Titles longer than this are not believed (an unclosed `<title>` swallows the page).
  public var maxTitleLength: Int

  /// How many bytes of a streamed dataset (`.csv`, `.jsonl`) are read at a time.
  public var datasetChunkSize = 4 << 20
  /// A streamed dataset's rows are handed to the threads in batches of at most this many rows
  /// and about `datasetBatchBytes` bytes.
  public var datasetBatchRows = 256
  /// See `datasetBatchRows`.
  public var datasetBatchBytes = 1 << 20

  /// The dataset column holding the title; found by common names when `nil`.
  public var titleColumn: String?
  /// The dataset column holding the description; found by common names when `nil`.
  public var textColumn: String?
  /// The dataset column holding the publication date; found by common names when `nil`.
  public var dateColumn: String?
  /// Dataset columns carried through to `postings.csv` verbatim, in this order.
  public var keepColumns: [String] = []

  /// Options with a file size limit in bytes (default 20 MiB) and a title length limit in
  /// characters (default 300).
  public init(maxFileSize: Int = 20 << 20, maxTitleLength: Int = 300) {
    self.maxFileSize = maxFileSize
    self.maxTitleLength = maxTitleLength
  }

  /// The size limit for a file of `format`: `maxFileSize` for every file read whole; a
  /// streamed dataset (`.csv`, `.jsonl`) has none, its rows are limited instead.
  public func sizeLimit(for format: InputFormat) -> Int {
    PostingReader.streamsRows(format) ? Int.max : maxFileSize
  }
}

/// What reading one input file produced: postings and/or skipped entries.
public struct ReadResult: Sendable {
  /// The postings extracted, in file (or row) order.
  public var postings: [Posting] = []
  /// The inputs (the file, or single dataset rows) that gave no posting, with why.
  public var skipped: [SkippedInput] = []

  /// A result holding `postings` and `skipped`.
  public init(postings: [Posting] = [], skipped: [SkippedInput] = []) {
    self.postings = postings
    self.skipped = skipped
  }
}

/// Reads input files into postings: loads the bytes, decodes them, and extracts the posting
/// with the reader for the file's format. Never throws on bad input: every problem becomes a
/// `SkippedInput` or a warning on the posting.
public struct PostingReader: Sendable {
  /// Size limits and dataset columns used for every file.
  public var options: IngestOptions

  /// A reader with `options`; it holds no other state, so one can be shared by threads.
  public init(options: IngestOptions = IngestOptions()) {
    self.options = options
  }

  /// The format a file name implies, or `nil` for files rolelens does not read. A `.gz`
  /// suffix is looked through ("page.html.gz" is HTML).
  public static func format(forPath path: String) -> InputFormat? {
    var name = lastComponent(of: path).lowercased()
    if name.hasSuffix(".gz") { name.removeLast(3) }
    guard let dot = name.lastIndex(of: ".") else { return nil }
    switch name[name.index(after: dot)...] {
    case "html", "htm", "xhtml", "shtml": return .html
    case "txt", "text": return .text
    case "md", "markdown": return .markdown
    case "csv": return .csv
    case "jsonl", "ndjson": return .jsonl
    case "json": return .json
    default: return nil
    }
  }

  /// Whether files of `format` are read as a stream of rows (`.csv`, `.jsonl`, also as `.gz`)
  /// rather than whole.
  public static func streamsRows(_ format: InputFormat) -> Bool {
    format == .csv || format == .jsonl
  }

  /// Whether `file` is a dataset read as a stream of row batches (`openDataset`).
  public func streamsRows(_ file: InputFile) -> Bool {
    Self.format(forPath: file.path).map(Self.streamsRows) ?? false
  }

  /// Opens a `.csv` or `.jsonl` dataset (`streamsRows`) for reading in batches of rows; each
  /// batch is read into postings with `read(_:)`, on any thread.
  ///
  /// - Parameter shard: Only the rows of this shard, `position` being the file's place in the
  ///   walk (`Shard`); `nil`: every row.
  public func openDataset(_ file: InputFile, shard: (part: Shard, position: Int)? = nil) -> DatasetStream {
    let format = Self.format(forPath: file.path) ?? .csv
    precondition(Self.streamsRows(format), "openDataset needs a .csv or .jsonl file")
    return DatasetStream(file: file, format: format, options: options, shard: shard)
  }

  /// Reads a batch of a dataset's rows: postings, bad-row skips, and the file's skip when it
  /// could not be read.
  public func read(_ batch: DatasetBatch) -> ReadResult {
    DatasetReader(options: options, reader: self).read(batch)
  }

  /// Reads one file found by `InputWalker`.
  public func read(_ file: InputFile) -> ReadResult {
    guard let format = Self.format(forPath: file.path) else {
      return skip(
        file, .unsupported,
        "not a file type rolelens reads (.html, .htm, .xhtml, .txt, .md, .csv, .jsonl, .json, optionally .gz)")
    }
    if Self.streamsRows(format) {
      let stream = openDataset(file)
      var result = ReadResult()
      while let batch = stream.next() {
        let read = read(batch)
        result.postings += read.postings
        result.skipped += read.skipped
      }
      return result
    }
    let limit = options.sizeLimit(for: format)
    let isCompressed = file.path.lowercased().hasSuffix(".gz")
    guard file.size <= limit else {
      return skip(file, .tooLarge, "\(file.size) bytes; the limit is \(limit) (--max-file-size)")
    }
    var bytes: [UInt8]
    switch readBytes(file.systemPath, limit: limit, expectedSize: file.size) {
    case .success(let read): bytes = read
    case .failure(let failure): return skip(file, failure.reason, failure.detail)
    }
    if isCompressed {
      switch Gzip.decompress(bytes, limit: limit) {
      case .success(let inflated): bytes = inflated
      case .failure(.notGzip(let message)):
        return skip(file, .corrupt, "named .gz but not readable gzip data (\(message))")
      case .failure(.tooLarge(let limit)):
        return skip(file, .tooLarge, "decompresses to more than \(limit) bytes (--max-file-size)")
      }
    }
    if bytes.isEmpty { return skip(file, .empty, "0 bytes") }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }) {
      return skip(file, .empty, "only white space")
    }
    // Script and style bodies go before decoding: every later pass then reads only the text
    // that matters. Only for encodings where markup is ASCII (not UTF-16/32).
    var attributesTrimmed = false
    var depthCapped = false
    var elementsCapped = false
    var markupPrepared = false
    if format == .html, TextDecoding.isASCIICompatible(bytes) {
      let prepared = MarkupPrepass.prepare(bytes)
      bytes = prepared.bytes
      attributesTrimmed = prepared.attributesTrimmed
      depthCapped = prepared.depthCapped
      elementsCapped = prepared.elementsCapped
      markupPrepared = true
    }
    let decoded: DecodedText
    switch TextDecoding.decode(bytes, isMarkup: format == .html) {
    case .success(let text): decoded = text
    case .failure(let notText): return skip(file, .binary, notText.detail)
    }
    if decoded.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0 == "\u{FEFF}" }) {
      return skip(file, .empty, "only a byte-order mark and white space")
    }
    var warnings = decoded.warnings
    let (text, repairs) = TextRepair.repairMojibake(decoded.text)
    if repairs > 0 {
      warnings.append("repaired \(repairs) double-encoded UTF-8 sequence\(repairs == 1 ? "" : "s") (mojibake)")
    }
    if attributesTrimmed { warnings.append(HTMLExtractor.attributesTrimmedWarning) }
    if depthCapped { warnings.append(HTMLExtractor.depthCappedWarning) }
    if elementsCapped { warnings.append(HTMLExtractor.elementsCappedWarning) }
    var result: ReadResult
    switch format {
    case .csv, .jsonl, .json:
      result = DatasetReader(options: options, reader: self).read(
        text, format: format, id: file.relativePath, path: file.path, warnings: warnings)
    default:
      result = extract(
        text, format: format, id: file.relativePath, path: file.path, row: nil, warnings: warnings,
        markupPrepared: markupPrepared)
    }
    for index in result.postings.indices {
      result.postings[index].facts.encoding = decoded.encoding.rawValue
      result.postings[index].facts.mojibakeRepairs = repairs
      // Again after the dataset reader set title, company, location and date from its columns
      // (`extract` replaced them in every other posting, and a second pass finds none).
      if format == .csv || format == .jsonl || format == .json { result.postings[index].replaceControlCharacters() }
    }
    return result
  }

  /// Extracts a posting from already decoded text (used for files and, later, dataset cells).
  public func extract(
    _ text: String, format: InputFormat, id: String, path: String, row: Int? = nil, warnings: [String] = []
  ) -> ReadResult {
    extract(text, format: format, id: id, path: path, row: row, warnings: warnings, markupPrepared: false)
  }

  /// `extract`, told whether HTML `text` has been through `MarkupPrepass` already.
  private func extract(
    _ text: String, format: InputFormat, id: String, path: String, row: Int?, warnings: [String],
    markupPrepared: Bool
  ) -> ReadResult {
    var posting: Posting?
    switch format {
    case .html:
      posting = extractHTML(text, id: id, path: path, row: row, prepared: markupPrepared)
      if posting == nil {
        return ReadResult(skipped: [
          SkippedInput(path: path, row: row, reason: .noText, detail: "libxml2 produced no document")
        ])
      }
    default:
      let result = PlainTextExtractor.extract(text, maxTitleLength: options.maxTitleLength)
      posting = Posting(
        id: id, path: path, row: row, format: format, title: result.title, company: result.company,
        location: result.location, sections: result.sections)
      if let date = result.datePosted { posting?.setDate(date, from: "the posting's date line") }
    }
    guard var posting else { return ReadResult() }
    posting.warnings.insert(contentsOf: warnings, at: 0)
    posting.title = TextRepair.decodeEntities(posting.title)
    posting.company = posting.company.map { TextRepair.decodeEntities(normalizeSpace($0)) }
    posting.location = posting.location.map { TextRepair.decodeEntities(normalizeSpace($0)) }
    validateTitle(&posting)
    posting.replaceControlCharacters()
    if posting.sections.allSatisfy({ $0.text.isEmpty }) {
      let what = posting.title.isEmpty ? "no title and no body text" : "a title but no body text"
      return ReadResult(skipped: [SkippedInput(path: path, row: row, reason: .noText, detail: what)])
    }
    return ReadResult(postings: [posting])
  }

  // MARK: - HTML

  private func extractHTML(_ html: String, id: String, path: String, row: Int?, prepared: Bool) -> Posting? {
    guard let page = HTMLExtractor.extract(html: html, selectMainContent: true, prepared: prepared) else { return nil }
    var warnings = page.warnings
    let (markup, jsonWarnings) = JobPostingMarkup.find(in: page.jsonLD)
    warnings += jsonWarnings

    var sections = Self.sections(from: page.blocks)
    var title = page.firstHeading ?? page.openGraphTitle ?? page.documentTitle ?? ""
    var usedMarkup = false
    if let markup {
      usedMarkup = true
      if let markupTitle = markup.title { title = markupTitle }
      if let description = markup.descriptionHTML, let markupSections = Self.descriptionSections(description) {
        let markupLength = markupSections.reduce(0) { $0 + $1.text.count }
        if markupLength >= 100 {
          sections = markupSections
        } else {
          warnings.append(
            "JSON-LD JobPosting description is too short (\(markupLength) characters); used the page text")
        }
      }
    }
    sections = Self.dropLeadingTitle(sections, title: title)
    var posting = Posting(
      id: id, path: path, row: row, format: .html, title: title, company: markup?.company,
      location: markup?.location, sections: sections, warnings: warnings)
    posting.facts.usedJobPostingMarkup = usedMarkup
    // JSON-LD's date first, then the page's own, most trusted first; the first readable wins.
    if let date = markup?.datePosted { posting.setDate(date, from: "JSON-LD datePosted") }
    for hint in page.dates { posting.setDate(hint.value, from: hint.origin) }
    posting.source = page.siteName.flatMap { $0.isEmpty ? nil : TextRepair.decodeEntities($0) }
    return posting
  }

  /// Sections of a JSON-LD description: HTML, HTML escaped once more (`&lt;p&gt;`, which the
  /// first parse turns into literal tags that a second parse reads), or plain text with line
  /// breaks (read like a text file).
  static func descriptionSections(_ description: String) -> [PostingSection]? {
    let isMarkup = description.has("<") || description.has("&lt;")
    guard isMarkup else {
      return PlainTextExtractor.bodySections(TextRepair.decodeEntities(description, passes: 1))
    }
    guard let first = HTMLExtractor.extract(html: "<html><body>\(description)</body></html>", selectMainContent: false)
    else { return nil }
    let text = first.blocks.map(\.text).joined(separator: "\n")
    let looksEscaped = ["<p>", "<li>", "<br", "<ul>", "<div", "<strong>", "<h"].contains { text.has($0) }
    guard looksEscaped else { return sections(from: first.blocks) }
    return HTMLExtractor.extract(html: "<html><body>\(text)</body></html>", selectMainContent: false)
      .map { sections(from: $0.blocks) }
  }

  /// Turns blocks into sections: HTML headings, and short paragraphs that are all bold or read
  /// as headings ("Requirements:"), start sections.
  static func sections(from blocks: [TextBlock]) -> [PostingSection] {
    var builder = SectionBuilder()
    for block in blocks {
      // Blocks are never empty, so a block with no bold text is no bold line (and its
      // characters need not be counted).
      let isBoldLine =
        block.kind == .paragraph && block.boldCharacters > 0
        && {
          let count = block.text.count
          return block.boldCharacters * 10 >= count * 9 && count <= 80
        }()
      // Only a paragraph whose last byte is a colon can end in the Character ":".
      let readsAsHeading =
        block.kind == .paragraph && block.text.utf8.last == 0x3A
        && SectionClassifier.looksLikeHeading(block.text) && block.text.hasSuffix(":")
      if block.isHeading || isBoldLine || readsAsHeading {
        builder.startSection(heading: PlainTextExtractor.stripTrailingColon(block.text))
      } else {
        builder.add(line: block.text)
      }
    }
    return builder.build()
  }

  /// Drops the title where the body repeats it: as a section heading, or as the first line.
  static func dropLeadingTitle(_ sections: [PostingSection], title: String) -> [PostingSection] {
    guard !title.isEmpty else { return sections }
    var result = sections
    for index in result.indices where result[index].heading == title {
      result[index].heading = ""
    }
    if var first = result.first, first.heading.isEmpty {
      // The first line ends at the first line feed that is a Character of its own (not the LF
      // of a CR LF), as `split(separator: "\n")` would cut.
      let utf8 = first.text.utf8
      var end = utf8.startIndex
      var previous: UInt8 = 0
      while end != utf8.endIndex {
        let byte = utf8[end]
        if byte == 0x0A && previous != 0x0D { break }
        previous = byte
        utf8.formIndex(after: &end)
      }
      if Substring(first.text.utf8[..<end]) == Substring(title) {
        first.text = end == utf8.endIndex ? "" : String(first.text.utf8[utf8.index(after: end)...]) ?? ""
        result[0] = first
      }
    }
    return result.filter { !$0.text.isEmpty }
  }

  /// A title longer than the limit is not a title (an unclosed `<title>` swallows the page):
  /// cut it at the limit and warn.
  private func validateTitle(_ posting: inout Posting) {
    let normalized = normalizeSpace(posting.title)
    if normalized.count > options.maxTitleLength {
      posting.title = String(normalized.prefix(options.maxTitleLength))
      posting.warnings.append("title longer than \(options.maxTitleLength) characters; cut")
    } else {
      posting.title = normalized
    }
    if posting.title.isEmpty { posting.warnings.append("no title found") }
  }

  // MARK: - Files

  /// Why a file could not be read: the skip reason and its detail.
  struct ReadFailure: Error {
    var reason: SkipReason
    var detail: String
  }

  /// Opens a regular file for reading with POSIX calls (no Foundation).
  ///
  /// - Returns: The open descriptor (the caller closes it), or why the file cannot be read.
  static func openRegularFile(_ path: [UInt8]) -> Result<Int32, ReadFailure> {
    // O_NONBLOCK: the walk saw a regular file, but it may have been replaced by a FIFO since;
    // opening a FIFO without a writer would otherwise block the run.
    let descriptor = open(path.map { CChar(bitPattern: $0) } + [0], O_RDONLY | O_NONBLOCK | O_NOCTTY)
    guard descriptor >= 0 else { return .failure(ReadFailure(reason: .unreadable, detail: systemError())) }
    // What was opened is checked before anything is read: a FIFO, socket or device put in the
    // file's place after the walk must not be read (a FIFO reads as 0 bytes, a device forever).
    var st = stat()
    guard fstat(descriptor, &st) == 0 else {
      let failure = ReadFailure(reason: .unreadable, detail: systemError())
      close(descriptor)
      return .failure(failure)
    }
    switch st.st_mode & S_IFMT {
    case S_IFREG:
      return .success(descriptor)
    case S_IFDIR:
      close(descriptor)
      return .failure(
        ReadFailure(reason: .unreadable, detail: "was a file when the inputs were walked, is now a folder; not read"))
    default:
      close(descriptor)
      let kind = InputWalker.fileTypeName(st.st_mode)
      return .failure(
        ReadFailure(
          reason: .specialFile, detail: "was a regular file when the inputs were walked, is now a \(kind); not read"))
    }
  }

  /// Appends up to `count` bytes read from `descriptor` to `bytes` (read(2), retried on EINTR).
  ///
  /// - Returns: How many bytes were read (0 at the end of the file), or why reading failed.
  static func readChunk(_ descriptor: Int32, into bytes: inout [UInt8], count: Int) -> Result<Int, ReadFailure> {
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: count))
    while true {
      let read = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress.map { $0 + start }, count) }
      if read < 0 {
        if errno == EINTR { continue }
        bytes.removeLast(count)
        return .failure(ReadFailure(reason: .unreadable, detail: systemError()))
      }
      bytes.removeLast(count - read)
      return .success(read)
    }
  }

  /// Reads at most `limit` bytes of a regular file with POSIX calls (no Foundation, and an
  /// explicit bound even if the file grows while it is read).
  private func readBytes(_ path: [UInt8], limit: Int, expectedSize: Int) -> Result<[UInt8], ReadFailure> {
    let descriptor: Int32
    switch Self.openRegularFile(path) {
    case .success(let opened): descriptor = opened
    case .failure(let failure): return .failure(failure)
    }
    defer { close(descriptor) }
    // Read straight into a buffer of the size the walk saw, plus one byte to notice growth;
    // only a file that grew since is read on in chunks.
    var failure: ReadFailure?
    let capacity = min(expectedSize, limit) + 1
    var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
      while initialized < capacity {
        let count = systemRead(descriptor, buffer.baseAddress.map { $0 + initialized }, capacity - initialized)
        if count < 0 {
          if errno == EINTR { continue }
          failure = ReadFailure(reason: .unreadable, detail: systemError())
          return
        }
        if count == 0 { return }
        initialized += count
      }
    }
    if let failure { return .failure(failure) }
    if bytes.count > limit {
      return .failure(ReadFailure(reason: .tooLarge, detail: "more than \(limit) bytes (--max-file-size)"))
    }
    guard bytes.count == capacity else { return .success(bytes) }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(ReadFailure(reason: .unreadable, detail: systemError()))
      }
      if count == 0 { break }
      chunk.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<count])) }
      if bytes.count > limit {
        return .failure(ReadFailure(reason: .tooLarge, detail: "more than \(limit) bytes (--max-file-size)"))
      }
    }
    return .success(bytes)
  }

  private func skip(_ file: InputFile, _ reason: SkipReason, _ detail: String) -> ReadResult {
    ReadResult(skipped: [SkippedInput(path: file.path, reason: reason, detail: detail)])
  }
}
