import RoleLensClassify
import RoleLensIngest
import RoleLensReport
import RoleLensStorage

/// What one shard of a run wrote (`Analysis.runShard`).
public struct ShardSummary: Sendable {
  /// The shard.
  public var shard: Shard
  /// The files of the walk this shard read (its own, and the streamed datasets it split).
  public var files: Int
  /// Postings written into the partial file.
  public var postings: Int
  /// Entries this shard skipped (without the walk's own skips, which every partial holds).
  public var skipped: Int
  /// The partial file's size in bytes.
  public var bytes: Int
}

extension Analysis {
  // MARK: - Shards

  /// Runs shard `shard` of the analysis: reads, extracts and classifies only its files and
  /// dataset rows (`Shard`) and writes what `merge` needs into a partial file at `path`
  /// (`PartialFile`), instead of computing statistics. The file appears only when complete.
  ///
  /// - Parameter progress: Called with (files done, files this shard reads).
  /// - Throws: `IngestError.inputNotFound` for a missing input, `PartialError.writeFailed`
  ///   when the file cannot be written.
  public func runShard(
    _ shard: Shard, partial path: String, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws -> ShardSummary {
    let walk = try InputWalker().walk(options.inputs)
    let header = PartialHeader(
      shard: shard, settings: options.partialSettings, lexiconHash: lexicon.sourceHash,
      lexiconSource: lexicon.source, inputs: options.inputs,
      walkDigest: PartialHeader.digest(inputs: options.inputs, walk: walk), fileCount: walk.files.count,
      walkSkipped: walk.skipped)
    let writer = try PartialWriter(path: path, header: header.encoded())
    var unit = ByteWriter()
    var failure: PartialError?
    var summary = ShardSummary(shard: shard, files: 0, postings: 0, skipped: 0, bytes: 0)
    summary.files = process(walk, shard: shard, progress: progress) { outcome in
      // A non-owner's view of a dataset ends with an empty batch: nothing to keep.
      guard failure == nil, !outcome.postings.isEmpty || !outcome.skipped.isEmpty else { return }
      unit.removeAll()
      outcome.encoded(into: &unit)
      summary.postings += outcome.postings.count
      summary.skipped += outcome.skipped.count
      do {
        try writer.add(unit: unit, postings: outcome.postings.count)
      } catch {
        failure = (error as? PartialError) ?? .writeFailed(path: path, reason: "\(error)")
      }
    }
    if let failure { throw failure }
    try writer.finish()
    summary.bytes = writer.size
    return summary
  }

  // MARK: - Merge

  /// Merges the partial files of every shard of one run into the report a single run of the
  /// same inputs and options gives, byte for byte: the shards' outcomes are put back in the
  /// order of the walk (file, then row) and go through the same merger (duplicates and
  /// clusters across shards, term ids) and overlap stage.
  ///
  /// Before a posting is read, every partial is checked: the format and tool version, the
  /// shards (each of `1...N` exactly once), the options, lexicon and inputs (all the same),
  /// and every frame's CRC-32. Units that do not decode, or fewer or more of them than a
  /// trailer counts, fail the merge as it reads them, still before a report is written.
  ///
  /// - Parameters:
  ///   - paths: The partial files, in any order.
  ///   - jobs: Threads for the overlap stage's resampling (results do not depend on it).
  ///   - memoryPolicy: As `AnalysisOptions.memoryPolicy`.
  ///   - progress: Called with (postings merged, postings in all the partials), serially, as
  ///     each file's or dataset block's postings are merged.
  /// - Returns: The report, and the options of the run (from the partials).
  /// - Throws: `PartialError` for a partial that cannot be read or partials that do not
  ///   form one run; `OverlapError` as `run`.
  /// - Complexity: Linear in the partials' size (plus the overlap stage's resampling, as in
  ///   `run`); memory holds one frame (256 KB to ~1 MB) per partial beyond what `run` needs.
  public static func merge(
    partials paths: [String], jobs: Int, memoryPolicy: MemoryPolicy = .leaveAllocatorAlone,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws -> (report: AnalysisReport, options: AnalysisOptions) {
    guard !paths.isEmpty else { throw PartialError.inconsistent("no partial files given") }
    let readers = try paths.map { path throws(PartialError) in try PartialReader(path: path) }
    let headers = try readers.map { reader throws(PartialError) in
      try PartialHeader(decoding: reader.header, path: reader.path)
    }
    try checkConsistent(headers, paths: paths)
    let first = headers[0]
    for reader in readers { try reader.verify() }
    guard var options = AnalysisOptions(inputs: first.inputs, settings: first.settings) else {
      throw PartialError.corrupt(path: paths[0], detail: "its options cannot be read")
    }
    options.jobs = max(1, jobs)
    options.memoryPolicy = memoryPolicy
    let lexicon: Lexicon
    do {
      lexicon = try Lexicon.parse(first.lexiconSource, file: "the lexicon of \(paths[0])")
    } catch {
      throw PartialError.corrupt(path: paths[0], detail: "its lexicon is not valid")
    }
    guard lexicon.sourceHash == first.lexiconHash else {
      throw PartialError.corrupt(path: paths[0], detail: "its lexicon does not match its hash")
    }
    let analysis = Analysis(options: options, lexicon: lexicon)
    var merger = analysis.makeMerger(onPosting: nil)
    let total = readers.reduce(0) { $0 + $1.postingCount }
    var heap = OutcomeHeap()
    // Units and postings read from each partial, checked against its trailer at its end.
    var counts = [(units: Int, postings: Int)](repeating: (0, 0), count: readers.count)
    func pull(_ index: Int) throws {
      let reader = readers[index]
      guard let outcome = try reader.nextUnit({ try Analysis.ReadOutcome(decoding: &$0) }) else {
        try reader.check(units: counts[index].units, postings: counts[index].postings)
        return
      }
      counts[index].units += 1
      counts[index].postings += outcome.postings.count
      heap.push(outcome, from: index)
    }
    for index in readers.indices { try pull(index) }
    var merged = 0
    var last: ReadOutcome.Key?
    while let (outcome, index) = heap.pop() {
      // Each shard's units rise, and no two shards hold the same file or rows.
      if let last, !(last < outcome.key) {
        throw PartialError.corrupt(
          path: paths[index], detail: "a unit at file \(outcome.key.position) is out of order or in two partials")
      }
      last = outcome.key
      merger.add(outcome)
      merged += outcome.postings.count
      progress?(merged, total)
      try pull(index)
    }
    return (try analysis.finish(&merger, walkSkipped: first.walkSkipped, fileCount: first.fileCount), options)
  }

  /// Refuses partials that are not the shards of one run.
  private static func checkConsistent(_ headers: [PartialHeader], paths: [String]) throws(PartialError) {
    let first = headers[0]
    let count = first.shard.count
    for (header, path) in zip(headers, paths) {
      guard header.shard.count == count else {
        throw .inconsistent(
          "partials of different splits: \(paths[0]) is shard \(first.shard), \(path) is shard \(header.shard)")
      }
      if header.lexiconHash != first.lexiconHash {
        throw .inconsistent(
          "partials made with different lexicons: \(paths[0]) has \(first.lexiconHash), \(path) has \(header.lexiconHash)"
        )
      }
      if let differing = zip(header.settings, first.settings).first(where: { $0 != $1 }) {
        let (mine, theirs) = differing
        throw .inconsistent(
          "partials made with different options: \(paths[0]) has --\(theirs.name) \(Self.show(theirs)), \(path) has --\(mine.name) \(Self.show(mine))"
        )
      }
      if header.settings.count != first.settings.count {
        throw .inconsistent("partials made with different options: \(paths[0]) and \(path)")
      }
      if header.inputs != first.inputs || header.walkDigest != first.walkDigest || header.fileCount != first.fileCount {
        let detail =
          header.inputs != first.inputs
          ? "\(show(first.inputs)) and \(show(header.inputs))"
          : "the same paths, but the files found differ (\(first.fileCount) and \(header.fileCount) files, or their sizes)"
        throw .inconsistent("partials of different inputs: \(paths[0]) and \(path) read \(detail)")
      }
    }
    var byShard: [Int: String] = [:]
    for (header, path) in zip(headers, paths) {
      if let other = byShard[header.shard.index] {
        throw .inconsistent("shard \(header.shard) is given twice: \(other) and \(path)")
      }
      byShard[header.shard.index] = path
    }
    let missing = (0..<count).filter { byShard[$0] == nil }.map { "\($0 + 1)/\(count)" }
    if !missing.isEmpty {
      throw .inconsistent(
        "shard\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) missing: merge needs every shard of the run (\(headers.count) of \(count) given)"
      )
    }
  }

  private static func show(_ setting: AnalysisOptions.Setting) -> String {
    setting.values.isEmpty ? "(none)" : setting.values.joined(separator: ",")
  }

  private static func show(_ inputs: [String]) -> String { inputs.map { "'\($0)'" }.joined(separator: " ") }
}

/// The next outcome of each partial, smallest key first (a binary heap): the merge of N sorted
/// partials costs log N per unit.
private struct OutcomeHeap {
  private var items: [(outcome: Analysis.ReadOutcome, source: Int)] = []

  mutating func push(_ outcome: Analysis.ReadOutcome, from source: Int) {
    items.append((outcome, source))
    var child = items.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard less(child, parent) else { break }
      items.swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> (Analysis.ReadOutcome, Int)? {
    guard !items.isEmpty else { return nil }
    items.swapAt(0, items.count - 1)
    let top = items.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < items.count && less(left, smallest) { smallest = left }
      if right < items.count && less(right, smallest) { smallest = right }
      guard smallest != parent else { break }
      items.swapAt(parent, smallest)
      parent = smallest
    }
    return (top.outcome, top.source)
  }

  private func less(_ a: Int, _ b: Int) -> Bool {
    (items[a].outcome.key, items[a].source) < (items[b].outcome.key, items[b].source)
  }
}
