import Foundation
import RoleLensClassify

/// The rows of `postings.csv`, written to a temporary file as postings arrive, with the tallies
/// the other reports need (postings, duplicates and needs-review per role, mean confidence).
///
/// A run over hundreds of thousands of postings therefore keeps no per-posting record in memory:
/// rows are rendered once, spilled in batches, and copied into the output folder at the end.
/// When no temporary file can be made, rows stay in memory instead; the output is the same.
/// Rows must be appended in report order (input order); `append` is safe to call from any
/// thread, one call at a time or not.
public final class PostingTable: @unchecked Sendable {
  /// The columns of `postings.csv`.
  public static let header = [
    "id", "path", "row", "format", "title", "company", "location", "role", "confidence", "runner_up",
    "needs_review",
  ] + Role.ids.map { "score_\($0)" } + ["duplicate_of", "cluster", "warnings"]

  /// Rendered rows waiting to be spilled (or all rows, when there is no spill file).
  private var pending = ""
  private var spill: UnsafeMutablePointer<FILE>?
  /// Set when the spill file could not take a batch: later rows stay in `pending`.
  private var spillFull = false
  private let spillPath: String
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

  /// An empty table; `formulaGuard` as in `CSVWriter`.
  package init(formulaGuard: Bool = true) {
    self.formulaGuard = formulaGuard
    spillPath = FileManager.default.temporaryDirectory
      .appendingPathComponent("rolelens-postings-\(getpid())-\(UUID().uuidString).csv").path
    spill = fopen(spillPath, "w+")
    // Unlinked at once where the platform allows: the file vanishes with the process, however
    // it ends, and is read back through the open handle.
    if spill != nil { unlink(spillPath) }
  }

  /// A table holding `records`, in order.
  package convenience init(_ records: [PostingRecord], formulaGuard: Bool = true) {
    self.init(formulaGuard: formulaGuard)
    for record in records { append(record) }
  }

  deinit {
    if let spill { fclose(spill) }
  }

  /// Adds a posting's row.
  package func append(_ record: PostingRecord) {
    let line = CSVWriter.line(Self.cells(record), formulaGuard: formulaGuard)
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
      try AtomicFile.put(CSVWriter.line(Self.header.map { CSVCell.text($0) }), to: stream, path: "postings.csv")
      if let spill {
        flush()
        fflush(spill)
        rewind(spill)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
          let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, spill) }
          guard read > 0 else { break }
          guard chunk.withUnsafeBytes({ fwrite($0.baseAddress, 1, read, stream) }) == read else {
            throw ReportError.cannotWrite(path: "postings.csv", reason: String(cString: strerror(errno)))
          }
        }
        fseek(spill, 0, SEEK_END)
      }
      try AtomicFile.put(pending, to: stream, path: "postings.csv")
    }
  }

  /// The cells of a posting's row: the keys (`id`, `path`, `duplicate_of`, `cluster`) verbatim,
  /// `row` an integer, `needs_review` `true`/`false`.
  static func cells(_ record: PostingRecord) -> [CSVCell] {
    let c = record.classification
    return [
      .key(record.id), .key(record.path), record.row.map { .integer($0) } ?? .empty,
      .text(record.format.rawValue), .text(record.title), .optional(record.company),
      .optional(record.location), .text(c.role.rawValue), .number(c.confidence), .text(c.runnerUp.rawValue),
      .text(c.needsReview ? "true" : "false"),
    ] + Role.allCases.map { .number(c.score($0)) }
      + [
        record.duplicateOf.map { .key($0) } ?? .empty, .key(record.cluster ?? record.id),
        .text(record.warnings.joined(separator: "; ")),
      ]
  }

  // MARK: - Private

  /// Moves pending rows to the spill file; keeps them in memory from the first write that fails
  /// (a full disk), cutting the file back to its last whole row.
  private func flush() {
    guard let spill, !spillFull, !pending.isEmpty else { return }
    let before = ftello(spill)
    var text = pending
    let count = text.utf8.count
    if text.withUTF8({ fwrite($0.baseAddress, 1, $0.count, spill) }) == count {
      pending = ""
    } else {
      spillFull = true
      fflush(spill)
      _ = ftruncate(fileno(spill), before)
      fseeko(spill, before, SEEK_SET)
    }
  }

  private func locked<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}
