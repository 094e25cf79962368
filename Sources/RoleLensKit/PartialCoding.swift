import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap
import RoleLensReport
import RoleLensStorage
import RoleLensText

/// The header of a partial file: what a shard was run on and with, which `merge` checks
/// across the partials before it reads a posting.
struct PartialHeader {
  var formatVersion = PartialFile.formatVersion
  var toolVersion = Analysis.version
  var shard: Shard
  /// The options that change any output (`AnalysisOptions.partialSettings`).
  var settings: [AnalysisOptions.Setting]
  var lexiconHash: String
  /// The lexicon's YAML, so the merge needs no lexicon file.
  var lexiconSource: String
  /// The inputs as given (`PathEscaping` text): paths in the reports are as given.
  var inputs: [String]
  /// FNV-1a of the walk: the inputs, every file's path and size, every entry it skipped.
  var walkDigest: String
  /// The files the walk found.
  var fileCount: Int
  /// What the walk could not read (the same for every shard).
  var walkSkipped: [SkippedInput]

  /// The digest of a walk of `inputs`.
  static func digest(inputs: [String], walk: InputWalker.Result) -> String {
    var hasher = FNV1a()
    func mix(_ text: String) {
      hasher.combine(text.utf8)
      hasher.combine(0)
    }
    for input in inputs { mix(input) }
    for file in walk.files {
      mix(file.path)
      mix(String(file.size))
    }
    for skip in walk.skipped {
      mix(skip.path)
      mix(skip.reason.rawValue)
      mix(skip.detail)
    }
    return FNV1a.hex(hasher.value)
  }

  func encoded() -> ByteWriter {
    var writer = ByteWriter()
    writer.write(formatVersion)
    writer.write(toolVersion)
    writer.write(shard.index)
    writer.write(shard.count)
    writer.write(UInt64(settings.count))
    for setting in settings {
      writer.write(setting.name)
      writer.write(setting.values)
    }
    writer.write(lexiconHash)
    writer.write(lexiconSource)
    writer.write(inputs)
    writer.write(walkDigest)
    writer.write(fileCount)
    writer.write(UInt64(walkSkipped.count))
    for skip in walkSkipped { writer.write(skip) }
    return writer
  }

  /// Reads a header; a header of another format or tool version is refused before the rest is
  /// read (its layout may differ).
  init(decoding bytes: [UInt8], path: String) throws(PartialError) {
    var reader = ByteReader(bytes[...])
    do {
      let format = try reader.readInt()
      let tool = try reader.readString()
      guard format == PartialFile.formatVersion, tool == Analysis.version else {
        throw PartialError.version(
          path: path, found: "rolelens \(tool) (partial format \(format))",
          expected: "rolelens \(Analysis.version) (partial format \(PartialFile.formatVersion))")
      }
      let index = try reader.readInt()
      let count = try reader.readInt()
      guard let shard = Shard(index: index, count: count) else {
        throw PartialError.corrupt(path: path, detail: "shard \(index + 1)/\(count) is not a shard")
      }
      self.shard = shard
      settings = []
      for _ in 0..<(try reader.readCount()) {
        settings.append(.init(name: try reader.readString(), values: try reader.readStrings()))
      }
      lexiconHash = try reader.readString()
      lexiconSource = try reader.readString()
      inputs = try reader.readStrings()
      walkDigest = try reader.readString()
      fileCount = try reader.readInt()
      walkSkipped = []
      for _ in 0..<(try reader.readCount()) { walkSkipped.append(try reader.readSkip()) }
      guard reader.isAtEnd else { throw PartialError.corrupt(path: path, detail: "the header has extra bytes") }
    } catch let error as PartialError {
      throw error
    } catch {
      throw .corrupt(path: path, detail: "the header cannot be read")
    }
  }

  init(
    shard: Shard, settings: [AnalysisOptions.Setting], lexiconHash: String, lexiconSource: String, inputs: [String],
    walkDigest: String, fileCount: Int, walkSkipped: [SkippedInput]
  ) {
    self.shard = shard
    self.settings = settings
    self.lexiconHash = lexiconHash
    self.lexiconSource = lexiconSource
    self.inputs = inputs
    self.walkDigest = walkDigest
    self.fileCount = fileCount
    self.walkSkipped = walkSkipped
  }
}

// MARK: - Units

extension Analysis.ReadOutcome {
  /// The outcome's bytes in a partial file: its key, whether it ends its file, its skips and
  /// its postings (each row, term counts, signatures and reading facts).
  func encoded(into writer: inout ByteWriter) {
    writer.write(key.position)
    writer.write(key.row)
    writer.write(endsFile)
    writer.write(UInt64(skipped.count))
    for skip in skipped { writer.write(skip) }
    writer.write(UInt64(postings.count))
    for posting in postings { writer.write(posting) }
  }

  /// Reads an outcome `encoded` wrote.
  init(decoding reader: inout ByteReader) throws {
    let position = try reader.readInt()
    let row = try reader.readInt()
    let endsFile = try reader.readBool()
    var skipped: [SkippedInput] = []
    for _ in 0..<(try reader.readCount()) { skipped.append(try reader.readSkip()) }
    var postings: [Analysis.Processed] = []
    let count = try reader.readCount()
    postings.reserveCapacity(count)
    for _ in 0..<count { postings.append(try reader.readProcessed()) }
    self.init(postings: postings, skipped: skipped, endsFile: endsFile, key: .init(position: position, row: row))
  }
}

/// A value in a partial file that is not one `ByteWriter` wrote: an unknown role or format.
struct PartialValueError: Error {}

extension ByteWriter {
  mutating func write(_ skip: SkippedInput) {
    write(skip.path)
    write(skip.row)
    write(skip.reason.rawValue)
    write(skip.detail)
  }

  mutating func write(_ processed: Analysis.Processed) {
    let record = processed.record
    write(record.id)
    write(record.path)
    write(record.row)
    write(record.format.rawValue)
    write(record.title)
    write(record.company)
    write(record.location)
    write(record.datePosted)
    write(record.source)
    write(record.columns)
    write(record.warnings)
    let classification = record.classification
    // A run classifies without explanations: there is no evidence to keep.
    precondition(classification.evidence.isEmpty, "a shard's classifications carry no evidence")
    write(classification.scores)
    write(classification.confidences)
    write(classification.role.rawValue)
    write(classification.runnerUp.rawValue)
    write(classification.needsReview)
    write(classification.skills)
    let readings = classification.acronymReadings.sorted { $0.key < $1.key }
    write(UInt64(readings.count))
    for (acronym, reading) in readings {
      write(acronym)
      write(reading)
    }
    let analyzed = processed.analyzed
    write(analyzed.bodyRole.rawValue)
    let terms = analyzed.termCounts
    write(UInt64(terms.count))
    for index in 0..<terms.count {
      terms.withBytes(index) { write(bytes: $0) }
      write(Int(terms.counts[index]))
    }
    writeFixed(analyzed.fingerprint)
    write(analyzed.signature != nil)
    if let signature = analyzed.signature { writeFixed(signature) }
    write(analyzed.clusterSignature != nil)
    if let signature = analyzed.clusterSignature { writeFixed(signature) }
    write(processed.facts.encoding)
    write(processed.facts.usedJobPostingMarkup)
    write(processed.facts.mojibakeRepairs)
  }
}

extension ByteReader {
  mutating func readSkip() throws -> SkippedInput {
    let path = try readString()
    let row = try readOptionalInt()
    guard let reason = SkipReason(rawValue: try readString()) else { throw PartialValueError() }
    return SkippedInput(path: path, row: row, reason: reason, detail: try readString())
  }

  mutating func readRole() throws -> Role {
    guard let role = Role(rawValue: try readString()) else { throw PartialValueError() }
    return role
  }

  mutating func readProcessed() throws -> Analysis.Processed {
    let id = try readString()
    let path = try readString()
    let row = try readOptionalInt()
    guard let format = InputFormat(rawValue: try readString()) else { throw PartialValueError() }
    let title = try readString()
    let company = try readOptionalString()
    let location = try readOptionalString()
    let datePosted = try readOptionalString()
    let source = try readOptionalString()
    let columns = try readStrings()
    let warnings = try readStrings()
    let scores = try readDoubles()
    let confidences = try readDoubles()
    let role = try readRole()
    let runnerUp = try readRole()
    let needsReview = try readBool()
    let skills = try readInts()
    var readings: [String: String] = [:]
    for _ in 0..<(try readCount()) {
      let acronym = try readString()
      readings[acronym] = try readString()
    }
    guard scores.count == Role.allCases.count, confidences.count == Role.allCases.count else {
      throw PartialValueError()
    }
    let classification = Classification(
      scores: scores, confidences: confidences, role: role, runnerUp: runnerUp, needsReview: needsReview,
      skills: skills, acronymReadings: readings)
    let bodyRole = try readRole()
    let termCount = try readCount()
    var bytes: [UInt8] = []
    var starts: [Int32] = [0]
    var counts: [Int32] = []
    starts.reserveCapacity(termCount + 1)
    counts.reserveCapacity(termCount)
    for _ in 0..<termCount {
      bytes += try readBytes()
      guard let end = Int32(exactly: bytes.count), let count = Int32(exactly: try readInt()) else {
        throw PartialValueError()
      }
      starts.append(end)
      counts.append(count)
    }
    guard let termCounts = TermCounts(bytes: bytes, starts: starts, counts: counts) else { throw PartialValueError() }
    let fingerprint = try readFixed()
    let signature = try readBool() ? try readFixedList() : nil
    let clusterSignature = try readBool() ? try readFixedList() : nil
    var facts = IngestFacts()
    facts.encoding = try readString()
    facts.usedJobPostingMarkup = try readBool()
    facts.mojibakeRepairs = try readInt()
    let record = PostingRecord(
      id: id, path: path, row: row, format: format, title: title, company: company, location: location,
      datePosted: datePosted, source: source, columns: columns, classification: classification, warnings: warnings)
    let analyzed = AnalyzedPosting(
      classification: classification, bodyRole: bodyRole, termCounts: termCounts, fingerprint: fingerprint,
      signature: signature, clusterSignature: clusterSignature)
    return Analysis.Processed(record: record, analyzed: analyzed, facts: facts, body: nil)
  }
}

// MARK: - Options

extension AnalysisOptions {
  /// One option that changes what a run writes, by the name of its flag, with its values.
  struct Setting: Equatable {
    var name: String
    var values: [String]
  }

  /// Every option that changes any output, as a partial file records it; `merge` refuses
  /// partials whose settings differ and runs with these. (`--jobs` is not one: outputs are the
  /// same for any number of threads.)
  var partialSettings: [Setting] {
    let overlap = self.overlap
    func one(_ name: String, _ value: some CustomStringConvertible) -> Setting {
      Setting(name: name, values: [value.description])
    }
    func optional(_ name: String, _ value: String?) -> Setting { Setting(name: name, values: value.map { [$0] } ?? []) }
    return [
      Setting(name: "roles", values: [overlap.roleA.rawValue, overlap.roleB.rawValue]),
      one("seed", overlap.seed), one("bootstrap", overlap.replicates), one("permutations", overlap.permutations),
      one("folds", overlap.folds), one("cross-validation-repeats", overlap.crossValidationRepeats),
      one("draws", overlap.draws), one("min-clusters", overlap.minimumClusters),
      one("prior-strength", overlap.priorStrength), one("top-terms", overlap.topK),
      one("min-term-documents", overlap.minimumTermDocuments),
      one("term-false-discovery-rate", overlap.termFalseDiscoveryRate), optional("by", overlap.groupBy?.name),
      one("include-duplicates", includeDuplicates), one("body-only", bodyOnly), one("formula-guard", formulaGuard),
      one("max-file-size", ingest.maxFileSize), one("max-title-length", ingest.maxTitleLength),
      optional("title-column", ingest.titleColumn), optional("text-column", ingest.textColumn),
      optional("date-column", ingest.dateColumn), Setting(name: "keep-columns", values: ingest.keepColumns),
    ]
  }

  /// Options with `settings` applied (a partial file's); `nil` when one is missing or not
  /// readable.
  init?(inputs: [String], settings: [Setting]) {
    self.init(inputs: inputs)
    let values = Dictionary(settings.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
    guard values.count == settings.count, Set(values.keys) == Set(AnalysisOptions().partialSettings.map(\.name))
    else { return nil }
    func value<T: LosslessStringConvertible>(_ name: String) -> T? { values[name]?.first.flatMap { T($0) } }
    func optional(_ name: String) -> String? { values[name]?.first }
    guard let roles = values["roles"], roles.count == 2, let roleA = Role(rawValue: roles[0]),
      let roleB = Role(rawValue: roles[1]), let seed: UInt64 = value("seed"), let replicates: Int = value("bootstrap"),
      let permutations: Int = value("permutations"), let folds: Int = value("folds"),
      let repeats: Int = value("cross-validation-repeats"), let draws: Int = value("draws"),
      let minimumClusters: Int = value("min-clusters"), let prior: Double = value("prior-strength"),
      let topK: Int = value("top-terms"), let minimumTermDocuments: Int = value("min-term-documents"),
      let rate: Double = value("term-false-discovery-rate"), let includeDuplicates: Bool = value("include-duplicates"),
      let bodyOnly: Bool = value("body-only"), let formulaGuard: Bool = value("formula-guard"),
      let maxFileSize: Int = value("max-file-size"), let maxTitleLength: Int = value("max-title-length")
    else { return nil }
    overlap.roleA = roleA
    overlap.roleB = roleB
    overlap.seed = seed
    overlap.replicates = replicates
    overlap.permutations = permutations
    overlap.folds = folds
    overlap.crossValidationRepeats = repeats
    overlap.draws = draws
    overlap.minimumClusters = minimumClusters
    overlap.priorStrength = prior
    overlap.topK = topK
    overlap.minimumTermDocuments = minimumTermDocuments
    overlap.termFalseDiscoveryRate = rate
    if let by = optional("by") {
      guard let key = GroupKey(argument: by) else { return nil }
      overlap.groupBy = key
    }
    self.includeDuplicates = includeDuplicates
    self.bodyOnly = bodyOnly
    self.formulaGuard = formulaGuard
    ingest = IngestOptions(maxFileSize: maxFileSize, maxTitleLength: maxTitleLength)
    ingest.titleColumn = optional("title-column")
    ingest.textColumn = optional("text-column")
    ingest.dateColumn = optional("date-column")
    ingest.keepColumns = values["keep-columns"] ?? []
  }
}
