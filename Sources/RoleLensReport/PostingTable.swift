import Foundation
import RoleLensClassify
import RoleLensStorage

/// The rows of `postings.csv`, written to a temporary file as postings arrive, with the tallies
/// the other reports need (postings, duplicates and needs-review per role, mean confidence).
///
/// A run over hundreds of thousands of postings therefore keeps no per-posting record in memory:
/// rows are rendered once, spilled in batches, and copied into the output folder at the end.
/// When no temporary file can be made, rows stay in memory instead; the output is the same.
/// Rows must be appended in report order (input order); `append` is safe to call from any
/// thread, one call at a time or not.
public final class PostingTable: @unchecked Sendable {
  /// The columns of `postings.csv` before the kept dataset columns.
  public static let header =
    [
      "id", "path", "row", "format", "title", "company", "location", "date_posted", "source", "role", "confidence",
      "runner_up", "needs_review",
    ] + Role.ids.map { "score_\($0)" } + ["duplicate_of", "cluster", "warnings"]

  /// The dataset columns kept (`--keep-columns`), written after `header` under their own names.
  public let keptColumns: [String]

  /// Rendered rows waiting to be spilled (or all rows, when there is no spill file).
  private var pending = ""
  /// The temporary file rows are spilled to (`nil` when none could be made).
  private var spill: SpillFile?
  /// Set when the spill file could not take a batch: later rows stay in `pending`.
  private var spillFull = false
  private let lock = NSLock()
  /// Whether the free-text cells (title, company, location, warnings) get the formula guard.
  public let formulaGuard: Bool

  private var total = 0
  private var duplicateRows = 0
  private var postingsByRole = [Int](repeating: 0, count: Role.allCases.count)
  private var reviewByRole = [Int](repeating: 0, count: Role.allCases.count)
  private var confidenceByRole = [Double](repeating: 0, count: Role.allCases.count)

  /// Spill once this many bytes of rows are pending.
  private static let batchSize = 1 << 20

  /// An empty table; `formulaGuard` as in `CSVWriter`; `keptColumns` the names of the dataset
  /// columns each record carries (`PostingRecord.columns`).
  package init(formulaGuard: Bool = true, keptColumns: [String] = []) {
    self.formulaGuard = formulaGuard
    self.keptColumns = keptColumns
    // Unlinked at once: the file vanishes with the process, however it ends.
    spill = try? SpillFile(directory: FileManager.default.temporaryDirectory.path, prefix: "rolelens-postings")
  }

  /// A table holding `records`, in order.
  package convenience init(_ records: [PostingRecord], formulaGuard: Bool = true, keptColumns: [String] = []) {
    self.init(formulaGuard: formulaGuard, keptColumns: keptColumns)
    for record in records { append(record) }
  }

  /// Adds a posting's row.
  package func append(_ record: PostingRecord) {
    let line = CSVWriter.line(cells(record), formulaGuard: formulaGuard)
    lock.lock()
    defer { lock.unlock() }
    let c = record.classification
    total += 1
    if record.duplicateOf != nil { duplicateRows += 1 }
    postingsByRole[c.role.index] += 1
    if c.needsReview { reviewByRole[c.role.index] += 1 }
    confidenceByRole[c.role.index] += c.confidence
    pending += line
    if pending.utf8.count >= Self.batchSize { flush() }
  }

  /// Postings in the table.
  public var count: Int { locked { total } }
  /// Postings that duplicate an earlier one.
  public var duplicates: Int { locked { duplicateRows } }
  /// Postings whose top role is `role`.
  public func count(of role: Role) -> Int { locked { postingsByRole[role.index] } }
  /// Postings of `role` flagged for review.
  public func needsReview(of role: Role) -> Int { locked { reviewByRole[role.index] } }
  /// Mean confidence of the postings of `role`; `nil` when it has none.
  public func meanConfidence(of role: Role) -> Double? {
    locked { postingsByRole[role.index] == 0 ? nil : confidenceByRole[role.index] / Double(postingsByRole[role.index]) }
  }

  /// Writes the header and every row to `stream`.
  func write(to stream: UnsafeMutablePointer<FILE>) throws {
    try locked {
      try AtomicFile.put(CSVWriter.line((Self.header + keptColumns).map { CSVCell.text($0) }), to: stream, path: "postings.csv")
      if let spill {
        flush()
        do {
          try spill.forEachChunk(size: 1 << 16) { chunk in
            guard fwrite(chunk.baseAddress, 1, chunk.count, stream) == chunk.count else {
              throw ReportError.cannotWrite(path: "postings.csv", reason: String(cString: strerror(errno)))
            }
          }
        } catch let failure as SpillFile.Failure {
          throw ReportError.cannotWrite(path: "postings.csv", reason: "its temporary file: \(failure.reason)")
        }
      }
      try AtomicFile.put(pending, to: stream, path: "postings.csv")
    }
  }

  /// The cells of a posting's row: the keys (`id`, `path`, `duplicate_of`, `cluster`) verbatim,
  /// `row` an integer, `needs_review` `true`/`false`; the kept columns as free text, one per
  /// kept name (empty when the record has fewer).
  func cells(_ record: PostingRecord) -> [CSVCell] {
    let c = record.classification
    let kept = keptColumns.indices.map { index -> CSVCell in
      index < record.columns.count ? .text(record.columns[index]) : .empty
    }
    return [
      .key(record.id), .key(record.path), record.row.map { .integer($0) } ?? .empty,
      .text(record.format.rawValue), .text(record.title), .optional(record.company),
      .optional(record.location), .optional(record.datePosted), .optional(record.source), .text(c.role.rawValue),
      .number(c.confidence), .text(c.runnerUp.rawValue), .text(c.needsReview ? "true" : "false"),
    ] + Role.allCases.map { .number(c.score($0)) }
      + [
        record.duplicateOf.map { .key($0) } ?? .empty, .key(record.cluster ?? record.id),
        .text(record.warnings.joined(separator: "; ")),
      ] + kept
  }

  // MARK: - Private

  /// Moves pending rows to the spill file; keeps them in memory from the first write that fails
  /// (a full disk; the file is cut back to its last whole row).
  private func flush() {
    guard let spill, !spillFull, !pending.isEmpty else { return }
    do {
      try pending.withUTF8 { try spill.append(UnsafeRawBufferPointer($0)) }
      pending = ""
    } catch {
      spillFull = true
    }
  }

  private func locked<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}
