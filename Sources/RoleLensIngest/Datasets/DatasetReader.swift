import Foundation

/// Reads dataset files (`.csv` with a header row, `.jsonl`, `.json` arrays): one posting per
/// row. Columns are found by common names or given by the user; an HTML description is parsed
/// as HTML.
struct DatasetReader {
  /// Column names tried, in order, when the user names none.
  static let titleColumns = [
    "title", "job_title", "jobtitle", "job title", "position", "position_title", "role", "name",
  ]
  static let textColumns = [
    "description", "job_description", "jobdescription", "job description", "description_html", "content",
    "body", "text", "details", "summary",
  ]
  static let companyColumns = [
    "company", "company_name", "companyname", "employer", "organization", "hiring_organization", "hiringorganization",
  ]
  static let locationColumns = ["location", "job_location", "joblocation", "city", "place"]
  static let dateColumns = [
    "date_posted", "dateposted", "posted", "posted_at", "posted_date", "post_date", "date", "created_at",
    "date_created", "published_at", "publication_date", "listed_at",
  ]
  /// Where the posting was published: a job board or site.
  static let sourceColumns = ["source", "site", "job_board", "board", "platform", "website", "portal"]

  var options: IngestOptions
  var reader: PostingReader

  /// A field name that cannot come from a file, marking a row that could not be parsed; its
  /// value says why.
  static let invalidMarker = "\u{0}invalid"

  /// A dataset's rows as (1-based row number, column -> value).
  typealias Rows = [(row: Int, fields: [String: String])]

  /// The columns a dataset's postings are read from.
  struct Columns: Sendable {
    var text: String
    var title: String?
    var company: String?
    var location: String?
    var date: String?
    var source: String?
    /// The columns carried through to `postings.csv` (`IngestOptions.keepColumns`), in order;
    /// a row without one keeps an empty value.
    var kept: [String] = []
  }

  /// Reads every row of a dataset file's text, the file read and decoded whole (`.json`: a
  /// JSON document is parsed whole, so it is limited like any file by `--max-file-size`).
  func read(_ text: String, format: InputFormat, id: String, path: String, warnings: [String]) -> ReadResult {
    let rows: Rows
    switch format {
    case .csv:
      let table = CSVTable.parseTable(text)
      if isLabelsHeader(table.header) {
        let detail =
          "a labels file (columns \(table.header.joined(separator: ", "))) for rolelens eval --labels; not postings"
        return ReadResult(skipped: [SkippedInput(path: path, reason: .labels, detail: detail)])
      }
      rows = table.rows
    case .jsonl:
      rows = Self.jsonLines(text)
    default:
      switch Self.jsonArray(text) {
      case .success(let parsed): rows = parsed
      case .failure(let failure):
        return ReadResult(skipped: [SkippedInput(path: path, reason: .corrupt, detail: failure.message)])
      }
    }
    guard !rows.isEmpty else {
      return ReadResult(skipped: [SkippedInput(path: path, reason: .empty, detail: "no data rows")])
    }
    let found = Set(rows.prefix(50).flatMap { $0.fields.keys }).subtracting([Self.invalidMarker])
    let columns: Columns
    switch self.columns(in: found) {
    case .success(let chosen): columns = chosen
    case .failure(let failure):
      return ReadResult(skipped: [SkippedInput(path: path, reason: .corrupt, detail: failure.message)])
    }
    var result = ReadResult()
    for (row, fields) in rows {
      let read = readRow(row, fields: fields, columns: columns, format: format, id: id, path: path, warnings: warnings)
      result.postings += read.postings
      result.skipped += read.skipped
    }
    return result
  }

  /// The description, title and other columns among those a dataset's first rows have: the
  /// ones the user named, or the first of the common names.
  ///
  /// - Returns: The columns, or why the dataset cannot be read (for a corrupt skip).
  func columns(in columns: Set<String>) -> Result<Columns, Failure> {
    let titleColumn = options.titleColumn ?? Self.find(Self.titleColumns, in: columns)
    let textColumn = options.textColumn ?? Self.find(Self.textColumns, in: columns)
    guard let textColumn, columns.contains(textColumn) else {
      let known = columns.sorted().prefix(12).joined(separator: ", ")
      let asked = options.textColumn.map { "no column '\($0)'" } ?? "no description column found"
      return .failure(Failure(message: "\(asked) (columns: \(known)); use --text-column"))
    }
    if let titleColumn, !columns.contains(titleColumn) {
      return .failure(Failure(message: "no column '\(titleColumn)' (--title-column)"))
    }
    if let dateColumn = options.dateColumn, !columns.contains(dateColumn) {
      return .failure(Failure(message: "no column '\(dateColumn)' (--date-column)"))
    }
    return .success(
      Columns(
        text: textColumn, title: titleColumn, company: Self.find(Self.companyColumns, in: columns),
        location: Self.find(Self.locationColumns, in: columns),
        date: options.dateColumn ?? Self.find(Self.dateColumns, in: columns),
        source: Self.find(Self.sourceColumns, in: columns), kept: options.keepColumns))
  }

  /// Reads one row: a posting, or a bad-row skip.
  func readRow(
    _ row: Int, fields: [String: String], columns: Columns, format: InputFormat, id: String, path: String,
    warnings: [String]
  ) -> ReadResult {
    if let problem = fields[Self.invalidMarker] {
      return ReadResult(skipped: [SkippedInput(path: path, row: row, reason: .badRow, detail: problem)])
    }
    let description = fields[columns.text] ?? ""
    let title = columns.title.flatMap { fields[$0] } ?? ""
    guard !description.trimmingWhitespace().isEmpty else {
      return ReadResult(skipped: [
        SkippedInput(path: path, row: row, reason: .badRow, detail: "empty '\(columns.text)'")
      ])
    }
    let looksLikeHTML = description.has("</") || description.has("<br") || description.has("<p>")
    let body =
      looksLikeHTML
      ? "<html><head><title>\(Self.escape(title))</title></head><body>\(description)</body></html>"
      : title + "\n" + description
    var extracted = reader.extract(
      body, format: looksLikeHTML ? .html : .text, id: "\(id)#\(row)", path: path, row: row, warnings: warnings)
    for index in extracted.postings.indices {
      extracted.postings[index].format = format
      if !title.isEmpty { extracted.postings[index].title = TextRepair.decodeEntities(normalizeSpace(title)) }
      if let column = columns.company, let company = fields[column], !company.isEmpty {
        extracted.postings[index].company = company
      }
      if let column = columns.location, let location = fields[column], !location.isEmpty {
        extracted.postings[index].location = location
      }
      // The column's date replaces one found in the description; an unreadable one is a
      // warning and no date (never a guess).
      if let column = columns.date, let date = fields[column], !date.trimmingWhitespace().isEmpty {
        extracted.postings[index].datePosted = nil
        extracted.postings[index].setDate(date, from: "column '\(column)'")
      }
      if let column = columns.source, let source = fields[column], !source.trimmingWhitespace().isEmpty {
        extracted.postings[index].source = normalizeSpace(source)
      }
      extracted.postings[index].columns = columns.kept.map { fields[$0] ?? "" }
    }
    for index in extracted.skipped.indices { extracted.skipped[index].reason = .badRow }
    return extracted
  }

  // MARK: - Streamed rows

  /// A row's fields, decoded and repaired on their own (`--max-file-size` bounds a row, not
  /// the file): CSV values under the header's names, or a JSON line's object flattened.
  ///
  /// - Returns: `nil` for a blank CSV record (which gets a row number but no row).
  func fields(of bytes: ArraySlice<UInt8>, row: Int, layout: DatasetLayout, prepared: PreparedText? = nil)
    -> (fields: [String: String], encoding: TextEncoding, warnings: [String], repairs: Int)?
  {
    if let prepared {
      let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      return (Self.jsonLine(text, row: row), prepared.encoding, prepared.warnings, prepared.repairs)
    }
    if layout.format == .csv {
      let record = CSVRecord(bytes)
      if record.isBlank { return nil }
      let (values, encoding, warnings) = layout.decoding.decode(record)
      // Every value is repaired and counted, also those without a column name.
      let repaired = values.map { TextRepair.repairMojibake($0) }
      var fields: [String: String] = [:]
      for (index, name) in layout.header.enumerated() where index < values.count && !name.isEmpty {
        fields[name] = repaired[index].text
      }
      return (fields, encoding, warnings, repaired.reduce(0) { $0 + $1.repairs })
    }
    let (decoded, encoding, warnings) = layout.decoding.decode(bytes)
    let (text, repairs) = TextRepair.repairMojibake(decoded)
    return (Self.jsonLine(text.trimmingCharacters(in: .whitespaces), row: row), encoding, warnings, repairs)
  }

  /// Reads a batch of a streamed dataset's rows.
  func read(_ batch: DatasetBatch) -> ReadResult {
    var result = ReadResult(skipped: batch.skipped)
    guard let layout = batch.layout else { return result }
    let columns = layout.columns
    for index in batch.rows.indices {
      let row = batch.rows[index].number
      if let size = batch.rows[index].droppedSize {
        let detail = "row of \(size) bytes; the limit is \(layout.maxRowSize) (--max-file-size)"
        result.skipped.append(SkippedInput(path: layout.path, row: row, reason: .badRow, detail: detail))
        continue
      }
      let bytes = batch.rowBytes(index)
      guard let parsed = fields(of: bytes, row: row, layout: layout, prepared: batch.rows[index].prepared) else {
        continue
      }
      let (fields, encoding, repairs) = (parsed.fields, parsed.encoding, parsed.repairs)
      var warnings = parsed.warnings
      if repairs > 0 {
        warnings.append("repaired \(repairs) double-encoded UTF-8 sequence\(repairs == 1 ? "" : "s") (mojibake)")
      }
      var read = readRow(
        row, fields: fields, columns: columns, format: layout.format, id: layout.id, path: layout.path,
        warnings: warnings)
      for posting in read.postings.indices {
        read.postings[posting].facts.encoding = encoding.rawValue
        read.postings[posting].facts.mojibakeRepairs = repairs
        read.postings[posting].replaceControlCharacters()
      }
      result.postings += read.postings
      result.skipped += read.skipped
    }
    return result
  }

  /// Whether a CSV header is that of a labels file: `file` and `label` columns (as `eval`
  /// reads them) and no description column.
  func isLabelsHeader(_ header: [String]) -> Bool {
    let columns = Set(header)
    let hasText = options.textColumn.map { columns.contains($0) } ?? (Self.find(Self.textColumns, in: columns) != nil)
    return columns.contains("file") && columns.contains("label") && !hasText
  }

  static func find(_ names: [String], in columns: Set<String>) -> String? {
    let lowered = Dictionary(columns.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    for name in names { if let column = lowered[name] { return column } }
    return nil
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
  }

  // MARK: - JSON

  /// One object per line; lines that are not objects become rows without fields (and then
  /// bad-row skips).
  static func jsonLines(_ text: String) -> Rows {
    var rows: Rows = []
    var row = 0
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else { continue }
      row += 1
      rows.append((row, jsonLine(String(trimmed), row: row)))
    }
    return rows
  }

  /// The fields of one JSON line (trimmed): its object flattened, or an invalid-row marker.
  static func jsonLine(_ trimmed: String, row: Int) -> [String: String] {
    let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))
    guard let fields = object as? [String: Any] else { return [invalidMarker: "line \(row) is not a JSON object"] }
    return flatten(fields)
  }

  /// An array of objects, or an object holding one under a common key ("jobs", "data",
  /// "results", "items", "postings").
  struct Failure: Error {
    var message: String
  }

  static func jsonArray(_ text: String) -> Result<Rows, Failure> {
    let value: Any
    do {
      value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    } catch {
      return .failure(Failure(message: "not valid JSON (\((error as NSError).localizedDescription))"))
    }
    var array = value as? [Any]
    if array == nil, let object = value as? [String: Any] {
      for key in ["jobs", "data", "results", "items", "postings", "hits"] {
        if let found = object[key] as? [Any] {
          array = found
          break
        }
      }
      if array == nil { array = [object] }
    }
    guard let array else {
      return .failure(Failure(message: "JSON is neither an array of postings nor an object holding one"))
    }
    return .success(array.enumerated().map { ($0.offset + 1, flatten($0.element as? [String: Any] ?? [:])) })
  }

  /// String values of an object; nested objects contribute their `name` (hiringOrganization)
  /// or their text fields joined, arrays their strings joined.
  static func flatten(_ object: [String: Any]) -> [String: String] {
    var fields: [String: String] = [:]
    for (key, value) in object {
      if let text = string(value) { fields[key] = text }
    }
    return fields
  }

  private static func string(_ value: Any) -> String? {
    switch value {
    case let text as String: return text
    case let number as NSNumber: return number.stringValue
    case let object as [String: Any]:
      if let name = object["name"] as? String { return name }
      let parts = object.keys.sorted().compactMap { object[$0] as? String }
      return parts.isEmpty ? nil : parts.joined(separator: ", ")
    case let array as [Any]:
      let parts = array.compactMap { string($0) }
      return parts.isEmpty ? nil : parts.joined(separator: ", ")
    default: return nil
    }
  }
}

/// A small RFC 4180 CSV reader: a header row, quoted fields with doubled quotes and line breaks.
package enum CSVTable {
  /// Rows after the header, numbered from 1, as column -> value.
  package static func parse(_ text: String) -> [(row: Int, fields: [String: String])] {
    parseTable(text).rows
  }

  /// The header's column names (trimmed) and the rows after it, numbered from 1, as
  /// column -> value.
  package static func parseTable(_ text: String) -> (header: [String], rows: [(row: Int, fields: [String: String])]) {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var afterQuote = false
    var scalars = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar?
    func nextScalar() -> Unicode.Scalar? {
      if let value = pending {
        pending = nil
        return value
      }
      return scalars.next()
    }
    while let scalar = nextScalar() {
      if quoted {
        if scalar == "\"" {
          if let following = nextScalar() {
            if following == "\"" {
              field.unicodeScalars.append("\"")
            } else {
              quoted = false
              afterQuote = true
              pending = following
            }
          } else {
            quoted = false
          }
        } else {
          field.unicodeScalars.append(scalar)
        }
        continue
      }
      switch scalar {
      case "\"" where field.isEmpty && !afterQuote:
        quoted = true
      case ",":
        record.append(field)
        field = ""
        afterQuote = false
      case "\r":
        continue
      case "\n":
        record.append(field)
        records.append(record)
        record = []
        field = ""
        afterQuote = false
      default:
        field.unicodeScalars.append(scalar)
      }
    }
    if !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    guard let header = records.first else { return ([], []) }
    let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
    var rows: DatasetReader.Rows = []
    for (offset, values) in records.dropFirst().enumerated() {
      if values.count == 1 && values[0].isEmpty { continue }
      var fields: [String: String] = [:]
      for (index, name) in names.enumerated() where index < values.count && !name.isEmpty {
        fields[name] = values[index]
      }
      rows.append((offset + 1, fields))
    }
    return (names, rows)
  }
}
