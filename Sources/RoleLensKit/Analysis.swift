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
  /// - Parameter progress: Called with (files done, files total) as files finish, from worker
  ///   threads, serially.
  /// - Throws: `IngestError.inputNotFound` for a missing input path.
  public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> AnalysisReport {
    let (walk, perFile) = try processInputs(progress: progress)
    return try merge(walk: walk, perFile: perFile)
  }

  /// Classifies every posting of the inputs (no statistics), for `eval`.
  func classifyAll(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [PostingRecord] {
    let (_, perFile) = try processInputs(progress: progress)
    return perFile.compactMap { $0 }.flatMap { $0.postings.map(\.record) }
  }

  /// Walks the inputs and reads, extracts and classifies every file on `options.jobs` threads;
  /// outcomes come back in input order.
  func processInputs(progress: (@Sendable (Int, Int) -> Void)?) throws -> (InputWalker.Result, [ReadOutcome?]) {
    let walk = try InputWalker().walk(options.inputs)
    let files = walk.files
    var perFile = [ReadOutcome?](repeating: nil, count: files.count)
    let lock = NSLock()
    let jobs = max(1, min(options.jobs, max(files.count, 1)))
    perFile.withUnsafeMutableBufferPointer { buffer in
      // Each slot is written by exactly one worker, and the counters only under the lock.
      nonisolated(unsafe) let slots = buffer
      nonisolated(unsafe) var nextIndex = 0
      nonisolated(unsafe) var finished = 0
      DispatchQueue.concurrentPerform(iterations: jobs) { _ in
        while true {
          lock.lock()
          let index = nextIndex
          nextIndex += 1
          lock.unlock()
          guard index < files.count else { return }
          let outcome = process(files[index])
          lock.lock()
          slots[index] = outcome
          finished += 1
          let count = finished
          progress?(count, files.count)
          lock.unlock()
        }
      }
    }
    return (walk, perFile)
  }

  /// Merges per-file outcomes in input order into the report.
  func merge(walk: InputWalker.Result, perFile: [ReadOutcome?]) throws -> AnalysisReport {
    let files = walk.files

    // Merge in input order: duplicate detection, term ids and statistics are the same for any
    // number of jobs.
    var records: [PostingRecord] = []
    var skipped = walk.skipped
    var documents: [OverlapDocument] = []
    var vocabulary = Vocabulary()
    var firstByFingerprint: [UInt64: String] = [:]
    var nearDuplicates = NearDuplicateIndex()
    var signatureOwners: [String] = []
    var facts = IngestSummary()
    for outcome in perFile {
      guard let outcome else { continue }
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
        records.append(processed.record)
        guard processed.record.duplicateOf == nil || options.includeDuplicates else { continue }
        let classification = processed.record.classification
        documents.append(
          OverlapDocument(
            role: classification.role, vector: TermVector(processed.termCounts, vocabulary: &vocabulary),
            skills: classification.skills,
            scoresAs: Role.allCases.filter { $0 != .other && scorer.scoresAs(classification, $0) }))
      }
    }
    skipped.sort { ($0.path, $0.row ?? 0) < ($1.path, $1.row ?? 0) }

    let overlap = OverlapAnalysis(options: options.overlap, skillCount: lexicon.skills.count).run(documents, vocabulary: vocabulary)
    let run = RunInfo(
      toolVersion: Self.version, lexiconHash: lexicon.sourceHash, seed: options.overlap.seed,
      inputFiles: files.count + walk.skipped.count, includeDuplicates: options.includeDuplicates)
    return AnalysisReport(records: records, skipped: skipped, overlap: overlap, lexicon: lexicon, run: run, ingest: facts)
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
    for token in tokenizer.tokens(posting.title) { mix(token.text) }
    var words: [String] = []
    for (section, tokens) in zip(posting.sections, tokenized.sections) {
      for token in tokens.tokens {
        mix(token.text)
        words.append(token.text)
      }
      guard (lexicon.sectionWeights[section.kind] ?? 0) > 0 else { continue }
      TermCounter.count(tokens.tokens, into: &counts)
    }
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
