import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap

/// One row of `postings.csv`: what was extracted and how it was classified.
public struct PostingRecord: Sendable {
  public var id: String
  public var path: String
  public var row: Int?
  public var format: InputFormat
  public var title: String
  public var company: String?
  public var location: String?
  public var classification: Classification
  /// The id of the earlier posting this one duplicates, if any.
  public var duplicateOf: String?
  /// The id of the first posting of this one's cluster (the same posting in substance:
  /// reposts and per-city copies); its own id when it starts a cluster.
  public var cluster: String?
  public var warnings: [String]

  public init(posting: Posting, classification: Classification, duplicateOf: String?) {
    id = posting.id
    path = posting.path
    row = posting.row
    format = posting.format
    title = posting.title
    company = posting.company
    location = posting.location
    self.classification = classification
    self.duplicateOf = duplicateOf
    warnings = posting.warnings
  }
}

/// One posting's result as a run reports it (`Analysis.run(onPosting:)`): its row of
/// `postings.csv` and the role its body alone reads as.
public struct PostingResult: Sendable {
  /// The posting's row: id, path, title, classification, duplicate and cluster.
  public var record: PostingRecord
  /// The top role with the title hidden (what the cross-reading shares count).
  public var bodyRole: Role

  public init(record: PostingRecord, bodyRole: Role) {
    self.record = record
    self.bodyRole = bodyRole
  }
}

/// Facts about the run, for `summary.json`.
public struct RunInfo: Sendable {
  public var toolVersion: String
  public var lexiconHash: String
  public var seed: UInt64
  public var inputFiles: Int
  public var includeDuplicates: Bool

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
  public var skipped: [SkippedInput]
  public var overlap: OverlapResult
  public var lexicon: Lexicon
  public var run: RunInfo
  public var ingest: IngestSummary

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
    self.init(postings: PostingTable(records), skipped: skipped, overlap: overlap, lexicon: lexicon, run: run, ingest: ingest)
  }
}

extension AnalysisReport {
  /// A role's display name in running text ("technical project manager").
  public var displayName: @Sendable (Role) -> String {
    let names = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, lexicon.entry($0).name.lowercased()) })
    return { names[$0] ?? $0.rawValue }
  }
}
