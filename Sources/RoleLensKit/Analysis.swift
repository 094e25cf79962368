import CMalloc
import Dispatch
import Foundation
import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap
import RoleLensReport
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
    self.options = options
    lexicon = try options.lexiconPath.map { try Lexicon.load(path: $0) } ?? Lexicon.bundled()
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
  }

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
  ///   overlap stage's temporary file cannot be written or read.
  public func run(
    progress: (@Sendable (Int, Int) -> Void)? = nil, onPosting: ((PostingResult) -> Void)? = nil
  ) throws -> AnalysisReport {
    let releasesMemory = options.memoryPolicy == .releaseToSystem
    if releasesMemory { clib_set_mmap_threshold(Self.mmapThreshold) }
    var merger = Merger(
      includeDuplicates: options.includeDuplicates, scorer: scorer, formulaGuard: options.formulaGuard,
      releasesMemory: releasesMemory, onPosting: onPosting)
    let walk = try processInputs(progress: progress) { merger.add($0) }
    merger.releaseDuplicateIndex()
    if releasesMemory { clib_release_free_memory() }
    var skipped = walk.skipped + merger.skipped
    skipped.sort { ($0.path, $0.row ?? 0) < ($1.path, $1.row ?? 0) }
    var overlapOptions = options.overlap
    overlapOptions.jobs = options.jobs
    let overlap = try OverlapAnalysis(options: overlapOptions, skillCount: lexicon.skills.count)
      .run(merger.overlap, vocabulary: merger.vocabulary)
    let run = RunInfo(
      toolVersion: Self.version, lexiconHash: lexicon.sourceHash, seed: options.overlap.seed,
      inputFiles: walk.files + walk.skipped.count, includeDuplicates: options.includeDuplicates)
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
  /// handing each file's outcome to `consume` in input order (a reorder buffer holds the files
  /// that finish early).
  ///
  /// - Returns: What the walk could not read, and how many files it found.
  func processInputs(progress: (@Sendable (Int, Int) -> Void)?, consume: (ReadOutcome) -> Void)
    throws
    -> (skipped: [SkippedInput], files: Int)
  {
    let walk = try InputWalker().walk(options.inputs)
    // A list of values, read-only here: every thread may read it.
    let files = walk.files
    let count = files.count
    var pending = [ReadOutcome?](repeating: nil, count: count)
    let lock = NSLock()
    let jobs = max(1, min(options.jobs, max(count, 1)))
    withoutActuallyEscaping(consume) { consume in
      pending.withUnsafeMutableBufferPointer { buffer in
        // Slots, counters and `consume` are touched only under the lock.
        nonisolated(unsafe) let slots = buffer
        nonisolated(unsafe) let consume = consume
        nonisolated(unsafe) var nextIndex = 0
        nonisolated(unsafe) var finished = 0
        nonisolated(unsafe) var cursor = 0
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
          while true {
            lock.lock()
            let index = nextIndex
            nextIndex += 1
            guard index < count else {
              lock.unlock()
              return
            }
            lock.unlock()
            let file = files[index]
            let outcome = process(file)
            lock.lock()
            slots[index] = outcome
            finished += 1
            progress?(finished, count)
            while cursor < count, let ready = slots[cursor] {
              slots[cursor] = nil
              consume(ready)
              cursor += 1
            }
            lock.unlock()
          }
        }
      }
    }
    return (walk.skipped, count)
  }

  /// Accumulates outcomes in input order: duplicate detection, clusters, term ids and
  /// statistics are therefore the same for any number of jobs.
  struct Merger {
    let includeDuplicates: Bool
    let scorer: Scorer
    let releasesMemory: Bool
    let onPosting: ((PostingResult) -> Void)?
    /// Rows of postings.csv, spilled to disk as they come.
    let postings: PostingTable
    var skipped: [SkippedInput] = []
    /// The counted postings, for the overlap stage (compactly, mostly in a temporary file).
    var overlap = OverlapAccumulator()
    var vocabulary = Vocabulary()
    var facts = IngestSummary()
    /// Exact token-stream duplicates of postings too short to shingle: the first posting's id
    /// and cluster.
    private var firstByFingerprint: [UInt64: (id: String, cluster: Int, clusterID: String)] = [:]
    private var nearDuplicates = NearDuplicateIndex()
    /// The id of each posting in `nearDuplicates`, in the order added.
    private var signatureOwners = StringList()
    /// Clusters: the same posting in substance (reposts, per-city copies, copies with
    /// paragraphs reordered and words, numbers or the company changed).
    private var clusters = NearDuplicateIndex(threshold: Self.clusterThreshold, bands: Self.clusterBands)
    /// The id and number (`ordinal`) of each posting in `clusters`, in the order added.
    private var clusterOwners = StringList()
    private var clusterOrdinals: [Int32] = []
    /// Postings merged so far; a posting's cluster is numbered by its first posting's ordinal.
    private var ordinal = 0
    /// Files merged so far.
    private var files = 0
    /// Every this many files, the allocator's free memory is given back to the system: the
    /// buffers of the files in between are freed around the merger's growing arrays, which
    /// would otherwise keep that memory resident (at 100,000 postings, about 50 MB).
    static let filesBetweenReleases = 1000
    /// Estimated Jaccard similarity of 3-word shingles (numbers left out) at which two postings
    /// are one cluster. Perturbed reposts of the 818 development postings (paragraphs and
    /// bullets reordered, synonyms, numbers and company changed) have a median of 0.73 and
    /// fall below 0.3 in 1.3% of pairs; different postings with a different title label have a
    /// best match above 0.3 in 1.0% of cases (mostly one employer's boilerplate).
    static let clusterThreshold = 0.3
    /// 32 bands of 2 positions: pairs at 0.3 share a band with probability 0.95, at 0.4 0.996.
    static let clusterBands = 32

    init(
      includeDuplicates: Bool, scorer: Scorer, formulaGuard: Bool, releasesMemory: Bool,
      onPosting: ((PostingResult) -> Void)?
    ) {
      self.includeDuplicates = includeDuplicates
      self.scorer = scorer
      postings = PostingTable(formulaGuard: formulaGuard)
      self.releasesMemory = releasesMemory
      self.onPosting = onPosting
    }

    /// Frees what duplicate and cluster detection keep per posting, once every posting is in,
    /// before the overlap stage loads the pair for the bootstrap (the run's peak).
    mutating func releaseDuplicateIndex() {
      firstByFingerprint = [:]
      nearDuplicates = NearDuplicateIndex()
      signatureOwners = StringList()
      clusters = NearDuplicateIndex(threshold: Self.clusterThreshold, bands: Self.clusterBands)
      clusterOwners = StringList()
      clusterOrdinals = []
    }

    mutating func add(_ outcome: ReadOutcome) {
      files += 1
      if releasesMemory && files % Self.filesBetweenReleases == 0 { clib_release_free_memory() }
      skipped += outcome.skipped
      for var processed in outcome.postings {
        let analyzed = processed.analyzed
        var cluster = ordinal
        var clusterID = processed.record.id
        if let signature = analyzed.clusterSignature {
          if let leader = clusters.add(signature) {
            cluster = Int(clusterOrdinals[leader])
            clusterID = clusterOwners[leader]
          }
          clusterOwners.append(processed.record.id)
          clusterOrdinals.append(Int32(truncatingIfNeeded: ordinal))
        }
        if let signature = analyzed.signature {
          if let original = nearDuplicates.add(signature) {
            processed.record.duplicateOf = signatureOwners[original]
          }
          signatureOwners.append(processed.record.id)
        } else if let first = firstByFingerprint[analyzed.fingerprint] {
          processed.record.duplicateOf = first.id
          if analyzed.clusterSignature == nil { (cluster, clusterID) = (first.cluster, first.clusterID) }
        } else {
          firstByFingerprint[analyzed.fingerprint] = (processed.record.id, cluster, clusterID)
        }
        processed.record.cluster = clusterID
        ordinal += 1
        facts.add(processed.facts)
        postings.append(processed.record)
        onPosting?(PostingResult(record: processed.record, bodyRole: analyzed.bodyRole))
        guard processed.record.duplicateOf == nil || includeDuplicates else { continue }
        let classification = processed.record.classification
        overlap.add(
          OverlapDocument(
            role: classification.role, vector: TermVector(analyzed.termCounts, vocabulary: &vocabulary),
            skills: classification.skills,
            scoresAs: Role.allCases.filter { $0 != .other && scorer.scoresAs(classification, $0) },
            cluster: cluster, bodyRole: analyzed.bodyRole))
      }
    }
  }

  /// Strings stored back to back in one buffer: a run keeps one id per posting, and this costs
  /// the id's bytes plus 8, not a String object each.
  struct StringList {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    mutating func append(_ string: String) {
      bytes += string.utf8
      ends.append(bytes.count)
    }

    subscript(index: Int) -> String {
      let start = index == 0 ? 0 : Int(ends[index - 1])
      return String(decoding: bytes[start..<Int(ends[index])], as: UTF8.self)
    }
  }

  struct ReadOutcome: Sendable {
    var postings: [Processed]
    var skipped: [SkippedInput]
  }

  /// Reads, extracts, tokenizes and classifies one file.
  func process(_ file: InputFile) -> ReadOutcome {
    let result = reader.read(file)
    let postings = result.postings.map { posting -> Processed in
      let analyzed = analyzer.analyze(posting)
      return Processed(
        record: PostingRecord(posting: posting, classification: analyzed.classification, duplicateOf: nil),
        analyzed: analyzed, facts: posting.facts)
    }
    return ReadOutcome(postings: postings, skipped: result.skipped)
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
  public func classifyFile(_ path: String, explain: Bool) throws -> (postings: [(Posting, Classification)], skipped: [SkippedInput]) {
    let walk = try InputWalker().walk([path])
    var postings: [(Posting, Classification)] = []
    var skipped = walk.skipped
    for file in walk.files {
      let result = reader.read(file)
      skipped += result.skipped
      for posting in result.postings { postings.append((posting, analyzer.analyze(posting, explain: explain).classification)) }
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
