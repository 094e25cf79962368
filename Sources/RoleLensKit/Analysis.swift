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
  public static let version = "0.1.0"

  public let options: AnalysisOptions
  public let lexicon: Lexicon
  private let scorer: Scorer
  private let reader: PostingReader
  private let tokenizer = Tokenizer()
  private let minHash = MinHash()

  /// Prepares a run, loading the lexicon.
  ///
  /// - Throws: `ClassifyError` when the lexicon cannot be read or is invalid.
  public init(options: AnalysisOptions) throws {
    self.options = options
    lexicon = try options.lexiconPath.map { try Lexicon.load(path: $0) } ?? Lexicon.bundled()
    scorer = Scorer(lexicon: lexicon)
    reader = PostingReader(options: options.ingest)
  }

  /// Blocks of this many bytes or more are mapped on their own and unmapped when freed (the
  /// pair's arrays, the walk's file list); smaller ones, such as a file's buffers, come from
  /// the allocator's arenas.
  static let mmapThreshold: Int32 = 4 << 20

  /// A posting after classification, before statistics.
  struct Processed: Sendable {
    var record: PostingRecord
    var termCounts: [String: Int]
    /// Hash of the whole token stream, for exact duplicates of postings too short to shingle.
    var fingerprint: UInt64
    /// MinHash signature of the body, for near-duplicates.
    var signature: [UInt64]?
    var facts: IngestFacts
  }

  /// Runs the analysis.
  ///
  /// Files are processed on `options.jobs` threads and merged in input order as soon as they
  /// are done, so only a posting's compact statistics outlive its processing: memory grows with
  /// the number of postings' term vectors, not with the size of their text.
  ///
  /// - Parameter progress: Called with (files done, files total) as files finish, from worker
  ///   threads, serially.
  /// - Throws: `IngestError.inputNotFound` for a missing input path, `OverlapError` when the
  ///   overlap stage's temporary file cannot be written or read.
  public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> AnalysisReport {
    clib_set_mmap_threshold(Self.mmapThreshold)
    var merger = Merger(includeDuplicates: options.includeDuplicates, scorer: scorer)
    let walk = try processInputs(progress: progress) { merger.add($0) }
    merger.releaseDuplicateIndex()
    clib_release_free_memory()
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
    _ = try processInputs(progress: progress) { outcome in records += outcome.postings.map(\.record)
    }
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

  /// Accumulates outcomes in input order: duplicate detection, term ids and statistics are
  /// therefore the same for any number of jobs.
  struct Merger {
    let includeDuplicates: Bool
    let scorer: Scorer
    /// Rows of postings.csv, spilled to disk as they come.
    let postings = PostingTable()
    var skipped: [SkippedInput] = []
    /// The counted postings, for the overlap stage (compactly, mostly in a temporary file).
    var overlap = OverlapAccumulator()
    var vocabulary = Vocabulary()
    var facts = IngestSummary()
    private var firstByFingerprint: [UInt64: String] = [:]
    private var nearDuplicates = NearDuplicateIndex()
    /// The id of each posting in `nearDuplicates`, in the order added.
    private var signatureOwners = StringList()
    /// Files merged so far.
    private var files = 0
    /// Every this many files, the allocator's free memory is given back to the system: the
    /// buffers of the files in between are freed around the merger's growing arrays, which
    /// would otherwise keep that memory resident (at 100,000 postings, about 50 MB).
    static let filesBetweenReleases = 1000

    init(includeDuplicates: Bool, scorer: Scorer) {
      self.includeDuplicates = includeDuplicates
      self.scorer = scorer
    }

    /// Frees what duplicate detection keeps per posting, once every posting is in, before the
    /// overlap stage loads the pair for the bootstrap (the run's peak).
    mutating func releaseDuplicateIndex() {
      firstByFingerprint = [:]
      nearDuplicates = NearDuplicateIndex()
      signatureOwners = StringList()
    }

    mutating func add(_ outcome: ReadOutcome) {
      files += 1
      if files % Self.filesBetweenReleases == 0 { clib_release_free_memory() }
      skipped += outcome.skipped
      for var processed in outcome.postings {
        if let signature = processed.signature {
          if let original = nearDuplicates.add(signature) {
            processed.record.duplicateOf = signatureOwners[original]
          }
          signatureOwners.append(processed.record.id)
        } else if let original = firstByFingerprint[processed.fingerprint] {
          processed.record.duplicateOf = original
        } else {
          firstByFingerprint[processed.fingerprint] = processed.record.id
        }
        facts.add(processed.facts)
        postings.append(processed.record)
        guard processed.record.duplicateOf == nil || includeDuplicates else { continue }
        let classification = processed.record.classification
        overlap.add(
          OverlapDocument(
            role: classification.role, vector: TermVector(processed.termCounts, vocabulary: &vocabulary),
            skills: classification.skills,
            scoresAs: Role.allCases.filter { $0 != .other && scorer.scoresAs(classification, $0) }))
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
      let (classification, counts, fingerprint, signature) = classify(posting)
      return Processed(
        record: PostingRecord(posting: posting, classification: classification, duplicateOf: nil),
        termCounts: counts, fingerprint: fingerprint, signature: signature, facts: posting.facts)
    }
    return ReadOutcome(postings: postings, skipped: result.skipped)
  }

  /// Classifies one posting and counts its terms (the evidence-bearing sections only: about-us,
  /// benefits and legal text would make every role look alike).
  func classify(_ posting: Posting, explain: Bool = false) -> (Classification, [String: Int], UInt64, [UInt64]?) {
    let tokenized = TokenizedPosting(posting, tokenizer: tokenizer, includeTitle: !options.bodyOnly)
    let classification = scorer.classify(tokenized, explain: explain)
    var counts: [String: Int] = [:]
    var fingerprint: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ text: String) {
      for byte in text.utf8 {
        fingerprint ^= UInt64(byte)
        fingerprint = fingerprint &* 0x100_0000_01b3
      }
      fingerprint ^= 0x20
      fingerprint = fingerprint &* 0x100_0000_01b3
    }
    // The fingerprint covers the title even when the scorer does not read it.
    for token in options.bodyOnly ? tokenizer.tokens(posting.title) : tokenized.title { mix(token.text) }
    var words: [String] = []
    words.reserveCapacity(tokenized.sections.reduce(0) { $0 + $1.tokens.count })
    let counted = tokenized.sections.filter { (lexicon.sectionWeights[$0.kind] ?? 0) > 0 }
    // Distinct unigrams and bigrams are usually fewer than the tokens counted, so reserving
    // that many spares the table most of its rehashing.
    counts.reserveCapacity(counted.reduce(0) { $0 + $1.tokens.count })
    for tokens in tokenized.sections {
      for token in tokens.tokens {
        mix(token.text)
        words.append(token.text)
      }
    }
    for section in counted { TermCounter.count(section.tokens, into: &counts) }
    return (classification, counts, fingerprint, minHash.signature(words))
  }

  /// Reads and classifies the postings in `path` (a file), with explanations when asked.
  public func classifyFile(_ path: String, explain: Bool) throws -> (postings: [(Posting, Classification)], skipped: [SkippedInput]) {
    let walk = try InputWalker().walk([path])
    var postings: [(Posting, Classification)] = []
    var skipped = walk.skipped
    for file in walk.files {
      let result = reader.read(file)
      skipped += result.skipped
      for posting in result.postings { postings.append((posting, classify(posting, explain: explain).0)) }
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
