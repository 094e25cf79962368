import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap

/// One row of `postings.csv`: what was extracted and how it was classified.
public struct PostingRecord: Sendable {
  /// The posting's id (`Posting.id`): the path relative to its input root, plus `#row` for a
  /// dataset row.
  public var id: String
  /// The path of the file the posting was read from, in `PathEscaping` text form.
  public var path: String
  /// The 1-based dataset row; `nil` for one-posting files.
  public var row: Int?
  /// The format the posting was read as.
  public var format: InputFormat
  /// The posting's title (empty when none was found).
  public var title: String
  /// The hiring company, when the input names one.
  public var company: String?
  /// The job's location, when the input names one.
  public var location: String?
  /// The publication date (ISO 8601), when the input states one readably.
  public var datePosted: String?
  /// Where the posting was published (a dataset's site column, a page's `og:site_name`).
  public var source: String?
  /// The dataset columns kept for `postings.csv` (`--keep-columns`), in that order.
  public var columns: [String]
  /// The role, runner-up, scores and confidences the scorer gave the posting.
  public var classification: Classification
  /// The id of the earlier posting this one duplicates, if any.
  public var duplicateOf: String?
  /// The id of the first posting of this one's cluster (the same posting in substance:
  /// reposts and per-city copies); its own id when it starts a cluster.
  public var cluster: String?
  /// What extraction recovered from for this posting (`Posting.warnings`).
  public var warnings: [String]

  /// The row of `posting` classified as `classification`; `cluster` is left `nil` (a run sets
  /// it).
  public init(posting: Posting, classification: Classification, duplicateOf: String?) {
    self.init(
      id: posting.id, path: posting.path, row: posting.row, format: posting.format, title: posting.title,
      company: posting.company, location: posting.location, datePosted: posting.datePosted, source: posting.source,
      columns: posting.columns, classification: classification, warnings: posting.warnings)
    self.duplicateOf = duplicateOf
  }
}

extension PostingRecord {
  /// A row from its fields, as a run's partial file holds them (`merge`); `duplicateOf` and
  /// `cluster` are left `nil` (the merge sets them).
  package init(
    id: String, path: String, row: Int?, format: InputFormat, title: String, company: String?, location: String?,
    datePosted: String?, source: String?, columns: [String], classification: Classification, warnings: [String]
  ) {
    self.id = id
    self.path = path
    self.row = row
    self.format = format
    self.title = title
    self.company = company
    self.location = location
    self.datePosted = datePosted
    self.source = source
    self.columns = columns
    self.classification = classification
    self.warnings = warnings
  }
}

/// One posting's result as a run reports it (`Analysis.run(onPosting:)`): its row of
/// `postings.csv` and the role its body alone reads as.
public struct PostingResult: Sendable {
  /// The posting's row: id, path, title, classification, duplicate and cluster.
  public var record: PostingRecord
  /// The top role with the title hidden (what the cross-reading shares count).
  public var bodyRole: Role

  /// A result from a row and the role its body alone reads as.
  public init(record: PostingRecord, bodyRole: Role) {
    self.record = record
    self.bodyRole = bodyRole
  }
}

/// Facts about the run, for `summary.json`.
public struct RunInfo: Sendable {
  /// The rolelens version that made the reports (`Analysis.version`).
  public var toolVersion: String
  /// The lexicon's `sourceHash`: FNV-1a 64 of its YAML, as 16 hex digits.
  public var lexiconHash: String
  /// The seed of the overlap stage's random streams (`OverlapOptions.seed`).
  public var seed: UInt64
  /// Entries the walk found: the regular files to read plus the entries it skipped.
  public var inputFiles: Int
  /// Whether duplicate postings were counted in the overlap statistics.
  public var includeDuplicates: Bool

  /// Run facts with the given values.
  public init(toolVersion: String, lexiconHash: String, seed: UInt64, inputFiles: Int, includeDuplicates: Bool) {
    self.toolVersion = toolVersion
    self.lexiconHash = lexiconHash
    self.seed = seed
    self.inputFiles = inputFiles
    self.includeDuplicates = includeDuplicates
  }
}

/// Counts of how postings were read, for summary.json.
public struct IngestSummary: Sendable, Hashable {
  /// Postings whose schema.org JobPosting JSON-LD was used.
  public var jsonLD = 0
  /// Postings in which double-encoded UTF-8 was repaired.
  public var mojibakeRepaired = 0
  /// Postings per source encoding.
  public var encodings: [String: Int] = [:]

  /// Empty counts.
  public init() {}

  package mutating func add(_ facts: IngestFacts) {
    if facts.usedJobPostingMarkup { jsonLD += 1 }
    if facts.mojibakeRepairs > 0 { mojibakeRepaired += 1 }
    encodings[facts.encoding, default: 0] += 1
  }
}

/// Everything the reports are written from.
public struct AnalysisReport: Sendable {
  /// The postings' rows and tallies.
  public var postings: PostingTable
  /// Every input that gave no posting (a run sorts them by path and row).
  public var skipped: [SkippedInput]
  /// The overlap stage's figures, terms and role similarities.
  public var overlap: OverlapResult
  /// The lexicon the postings were classified with.
  public var lexicon: Lexicon
  /// Version, lexicon hash, seed and input count of the run.
  public var run: RunInfo
  /// How the postings were read: JSON-LD, repairs, encodings.
  public var ingest: IngestSummary

  /// A report on a posting table made by a run.
  package init(
    postings: PostingTable, skipped: [SkippedInput], overlap: OverlapResult, lexicon: Lexicon, run: RunInfo,
    ingest: IngestSummary = IngestSummary()
  ) {
    self.postings = postings
    self.skipped = skipped
    self.overlap = overlap
    self.lexicon = lexicon
    self.run = run
    self.ingest = ingest
  }

  /// A report of `records`, in order.
  public init(
    records: [PostingRecord], skipped: [SkippedInput], overlap: OverlapResult, lexicon: Lexicon, run: RunInfo,
    ingest: IngestSummary = IngestSummary()
  ) {
    self.init(
      postings: PostingTable(records), skipped: skipped, overlap: overlap, lexicon: lexicon, run: run, ingest: ingest)
  }
}

extension AnalysisReport {
  /// A role's display name in running text ("technical project manager").
  public var displayName: @Sendable (Role) -> String {
    let names = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, lexicon.entry($0).name.lowercased()) })
    return { names[$0] ?? $0.rawValue }
  }
}
