import CMalloc
import Foundation
import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap
import RoleLensReport
import RoleLensStorage
import RoleLensText

/// Runs the whole pipeline: walk, read, extract, tokenize, classify, accumulate, measure overlap.
public struct Analysis: Sendable {
  /// The tool's version, written into summary.json.
  public static let version = "0.2.0"

  /// The options the run was prepared with.
  public let options: AnalysisOptions
  /// The lexicon loaded from `options.lexiconPath`, or the bundled one.
  public let lexicon: Lexicon
  private let scorer: Scorer
  private let reader: PostingReader
  private let analyzer: PostingAnalyzer

  /// Prepares a run, loading the lexicon.
  ///
  /// - Throws: `ClassifyError` when the lexicon cannot be read or is invalid.
  public init(options: AnalysisOptions) throws {
    var options = options
    // Grouping by a dataset column needs the column read: it is kept, so postings.csv shows it.
    if case .column(let name) = options.overlap.groupBy, !options.ingest.keepColumns.contains(name) {
      options.ingest.keepColumns.append(name)
    }
    try self.init(
      options: options, lexicon: options.lexiconPath.map { try Lexicon.load(path: $0) } ?? Lexicon.bundled())
  }

  /// Prepares a run with a lexicon already loaded (`merge` reads it from the partials).
  init(options: AnalysisOptions, lexicon: Lexicon) {
    self.options = options
    self.lexicon = lexicon
    analyzer = PostingAnalyzer(lexicon: lexicon, bodyOnly: options.bodyOnly)
    scorer = analyzer.scorer
    reader = PostingReader(options: options.ingest)
  }

  /// Blocks of this many bytes or more are mapped on their own and unmapped when freed (the
  /// pair's arrays, the walk's file list); smaller ones, such as a file's buffers, come from
  /// the allocator's arenas.
  static let mmapThreshold: Int32 = 4 << 20

  /// A posting after classification, before statistics.
  struct Processed: Sendable {
    var record: PostingRecord
    var analyzed: AnalyzedPosting
    var facts: IngestFacts
    /// The body's tokens without the title (`keepsBodies`), for `lexicon learn`'s evaluation.
    var body: TokenizedPosting?
  }

  /// Whether `process` keeps each posting's body tokens (`Processed.body`).
  var keepsBodies = false

  /// Runs the analysis.
  ///
  /// Files are processed on `options.jobs` threads and merged in input order as soon as they
  /// are done, so only a posting's compact statistics outlive its processing: memory grows with
  /// the number of postings' term vectors, not with the size of their text.
  ///
  /// - Parameters:
  ///   - progress: Called with (files done, files total) as files finish, from worker
  ///     threads, serially.
  ///   - onPosting: Called with every posting's result, in input order, serially (from a worker
  ///     thread): the way to read per-posting results without reading `postings.csv` back.
  /// - Throws: `IngestError.inputNotFound` for a missing input path, `OverlapError` when the
  ///   overlap stage's temporary file cannot be written or read, or the near-duplicate index's
  ///   cannot be read.
  public func run(
    progress: (@Sendable (Int, Int) -> Void)? = nil, onPosting: ((PostingResult) -> Void)? = nil
  ) throws -> AnalysisReport {
    var merger = makeMerger(onPosting: onPosting)
    let walk = try processInputs(progress: progress) { merger.add($0) }
    return try finish(&merger, walkSkipped: walk.skipped, fileCount: walk.files.count)
  }

  /// The merger of a run's outcomes (`run`, `merge`), after setting the allocator up as
  /// `options.memoryPolicy` allows.
  func makeMerger(onPosting: ((PostingResult) -> Void)?) -> Merger {
    let releasesMemory = options.memoryPolicy == .releaseToSystem
    if releasesMemory { clib_set_mmap_threshold(Self.mmapThreshold) }
    return Merger(
      includeDuplicates: options.includeDuplicates, scorer: scorer, formulaGuard: options.formulaGuard,
      releasesMemory: releasesMemory, onPosting: onPosting, groupBy: options.overlap.groupBy,
      keptColumns: options.ingest.keepColumns)
  }

  /// The report of a run once every outcome is in `merger`: the skipped inputs in order, the
  /// overlap stage, the run's facts.
  ///
  /// - Parameters:
  ///   - walkSkipped: What the walk of the inputs could not read.
  ///   - fileCount: The files the walk found.
  func finish(_ merger: inout Merger, walkSkipped: [SkippedInput], fileCount: Int) throws -> AnalysisReport {
    try merger.releaseDuplicateIndex()
    if options.memoryPolicy == .releaseToSystem { clib_release_free_memory() }
    var skipped = walkSkipped + merger.skipped
    skipped.sort { ($0.path, $0.row ?? 0) < ($1.path, $1.row ?? 0) }
    var overlapOptions = options.overlap
    overlapOptions.jobs = options.jobs
    let overlap = try OverlapAnalysis(options: overlapOptions, skillCount: lexicon.skills.count)
      .run(merger.overlap, vocabulary: merger.vocabulary)
    let run = RunInfo(
      toolVersion: Self.version, lexiconHash: lexicon.sourceHash, seed: options.overlap.seed,
      inputFiles: fileCount + walkSkipped.count, includeDuplicates: options.includeDuplicates)
    return AnalysisReport(
      postings: merger.postings, skipped: skipped, overlap: overlap, lexicon: lexicon, run: run,
      ingest: merger.facts)
  }

  /// Classifies every posting of the inputs (no statistics), for `eval`.
  func classifyAll(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [PostingRecord] {
    var records: [PostingRecord] = []
    _ = try processInputs(progress: progress) { outcome in records += outcome.postings.map(\.record) }
    return records
  }

  /// Walks the inputs and reads, extracts and classifies every file on `options.jobs` threads,
  /// handing each outcome to `consume` in input order (a reorder buffer holds the work that
  /// finishes early).
  ///
  /// A work item is a file, or a batch of rows of a `.csv`/`.jsonl` dataset: a dataset is read
  /// in chunks as its batches are needed, so its rows spread over every thread and it is never
  /// held whole.
  ///
  /// - Returns: The walk: what it could not read, and the files it found.
  func processInputs(progress: (@Sendable (Int, Int) -> Void)?, consume: (ReadOutcome) -> Void) throws
    -> InputWalker.Result
  {
    let walk = try InputWalker().walk(options.inputs)
    _ = process(walk, progress: progress, consume: consume)
    return walk
  }

  /// Reads, extracts and classifies the files of `walk` as `processInputs` does.
  ///
  /// - Parameter shard: Only this shard's files and dataset rows (`Shard`); the default reads
  ///   everything.
  /// - Returns: How many files were read.
  func process(
    _ walk: InputWalker.Result, shard: Shard = .whole, progress: (@Sendable (Int, Int) -> Void)?,
    consume: (ReadOutcome) -> Void
  ) -> Int {
    // A list of values, read-only here: every thread may read it.
    let files = walk.files
    // The files this shard reads: its own, and every streamed dataset (whose rows it splits).
    let count =
      shard.count == 1
      ? files.count
      : (0..<files.count).count { shard.owns(fileAt: $0) || reader.streamsRows(files[$0]) }
    // The producer's state, used only by `next`, which the map calls serially.
    var fileIndex = 0
    var stream: DatasetStream?
    var filesDone = 0
    func next() -> WorkItem? {
      while true {
        if let open = stream {
          if let batch = open.next() { return .rows(batch, position: fileIndex - 1) }
          stream = nil
        }
        guard fileIndex < files.count else { return nil }
        let file = files[fileIndex]
        let position = fileIndex
        fileIndex += 1
        guard reader.streamsRows(file) else {
          guard shard.owns(fileAt: position) else { continue }
          return .file(file, position: position)
        }
        stream = reader.openDataset(file, shard: shard.count == 1 ? nil : (shard, position))
      }
    }
    OrderedParallelMap(jobs: options.jobs, window: Self.workWindow(jobs: options.jobs)).run(
      next: next, cost: { $0.cost }, transform: { process($0) },
      consume: { outcome in
        consume(outcome)
        if outcome.endsFile {
          filesDone += 1
          progress?(filesDone, count)
        }
      })
    return count
  }

  /// The work in flight across the threads, in files (a batch of dataset rows counts as
  /// `WorkItem.batchCost` files): enough for threads to run ahead of a slow file, small enough
  /// that the reorder buffer of a large dataset stays at a few megabytes.
  static func workWindow(jobs: Int) -> Int { max(256, 64 * jobs) }

  /// One unit of work for a thread.
  enum WorkItem {
    /// A file read whole, and its position in the walk.
    case file(InputFile, position: Int)
    /// Consecutive rows of a dataset file, and the file's position in the walk.
    case rows(DatasetBatch, position: Int)

    /// A batch of rows (up to ~1 MB) weighs as much as this many files in the work window.
    static let batchCost = 32

    /// The item's weight in the work window.
    var cost: Int {
      switch self {
      case .file: 1
      case .rows: Self.batchCost
      }
    }
  }

  struct ReadOutcome: Sendable {
    var postings: [Processed]
    var skipped: [SkippedInput]
    /// Whether this outcome is its file's last (a file, or a dataset's last batch).
    var endsFile = true
    /// Where the outcome comes in the run: its file's position in the walk, then its first
    /// row (`Int.max` for a dataset batch without rows, 0 for a file read whole). The outcomes
    /// of shards are merged in this order (`Analysis.merge`).
    var key = Key(position: 0, row: 0)

    struct Key: Comparable, Hashable {
      var position: Int
      var row: Int
      static func < (lhs: Key, rhs: Key) -> Bool { (lhs.position, lhs.row) < (rhs.position, rhs.row) }
    }
  }

  /// Reads, extracts, tokenizes and classifies one work item.
  func process(_ item: WorkItem) -> ReadOutcome {
    switch item {
    case .file(let file, let position):
      var outcome = analyze(reader.read(file), endsFile: true)
      outcome.key = .init(position: position, row: 0)
      return outcome
    case .rows(let batch, let position):
      var outcome = analyze(reader.read(batch), endsFile: batch.isLast)
      outcome.key = .init(position: position, row: batch.firstRow ?? .max)
      return outcome
    }
  }

  /// Tokenizes and classifies what reading produced.
  private func analyze(_ result: ReadResult, endsFile: Bool) -> ReadOutcome {
    let postings = result.postings.map { posting -> Processed in
      let analyzed = analyzer.analyze(posting)
      return Processed(
        record: PostingRecord(posting: posting, classification: analyzed.classification, duplicateOf: nil),
        analyzed: analyzed, facts: posting.facts,
        body: keepsBodies ? TokenizedPosting(posting, includeTitle: false) : nil)
    }
    return ReadOutcome(postings: postings, skipped: result.skipped, endsFile: endsFile)
  }

  /// Classifies a posting given as text, as a `.txt` file with this content would be: the
  /// title is `title` when given, else the first non-empty line (or a `Title:` line).
  ///
  /// ```swift
  /// let analysis = try Analysis(options: AnalysisOptions())
  /// let result = analysis.classify(text: body, title: "Technical Project Manager")
  /// print(result.role, result.confidence)
  /// ```
  ///
  /// - Returns: The classification, or `nil` when the text holds no posting (empty, binary).
  public func classify(text: String, title: String? = nil, explain: Bool = false) -> Classification? {
    let content = title.map { $0 + "\n\n" + text } ?? text
    let result = reader.extract(content, format: .text, id: "text", path: "text")
    return result.postings.first.map { analyzer.analyze($0, explain: explain).classification }
  }

  /// Classifies an extracted posting.
  public func classify(_ posting: Posting, explain: Bool = false) -> Classification {
    analyzer.analyze(posting, explain: explain).classification
  }

  /// Reads and classifies the postings in `path` (a file), with explanations when asked.
  public func classifyFile(_ path: String, explain: Bool) throws -> (
    postings: [(Posting, Classification)], skipped: [SkippedInput]
  ) {
    let walk = try InputWalker().walk([path])
    var postings: [(Posting, Classification)] = []
    var skipped = walk.skipped
    for file in walk.files {
      let result = reader.read(file)
      skipped += result.skipped
      for posting in result.postings {
        postings.append((posting, analyzer.analyze(posting, explain: explain).classification))
      }
    }
    return (postings, skipped)
  }

  /// Reads one file and returns what ingestion extracted.
  public func inspect(_ path: String) throws -> ReadResult {
    let walk = try InputWalker().walk([path])
    var result = ReadResult(skipped: walk.skipped)
    for file in walk.files {
      let read = reader.read(file)
      result.postings += read.postings
      result.skipped += read.skipped
    }
    return result
  }
}
