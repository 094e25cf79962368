/// Rows of `width` integers appended in order and read back by number, most of them from a
/// temporary file: the latest rows wait in memory and are written out `rowsPerWrite` at a time
/// to a `SpillFile`, from which a row is read back with one `pread`.
///
/// For a table a run appends to for every posting and reads at random, but seldom (the
/// near-duplicate index's signatures, read only for candidates that pass a sketch): its memory
/// then stays flat however many rows there are. Without a directory, or from the moment the file
/// cannot be made or written (a full disk), rows stay in memory instead: the rows read back are
/// the same either way, only where they live differs. A read that fails (an I/O error on a file
/// already written) yields a row of zeros and is kept in `failure` for the owner to report.
///
/// A class, so that a row can be read into a buffer it owns; one thread uses it at a time (it
/// is `Sendable` for the index that holds it, which copies it on write with `copy()`).
package final class RowFile<Element: FixedWidthInteger & Sendable>: @unchecked Sendable {
  /// Elements per row.
  package let width: Int
  private let rowsPerWrite: Int
  private var file: SpillFile?
  /// Whether rows still go to the file (until a write fails).
  private var spilling = false
  /// Rows `0..<fileRows` are in the file, then `kept.count` rows in `kept` (rows that could not
  /// be written, or every row without a file), then the rows of `pending`.
  private var fileRows = 0
  private var kept: RowBlocks<Element>
  private var pending: [Element] = []
  /// Where a row read from the file is put.
  private var scratch: [Element]
  /// The first read that failed.
  package private(set) var failure: SpillFile.Failure?

  /// Rows appended.
  package var count: Int { fileRows + kept.count + pending.count / max(width, 1) }

  /// Rows in memory (not in the file).
  package var rowsInMemory: Int { kept.count + pending.count / max(width, 1) }

  /// An empty table.
  ///
  /// - Parameters:
  ///   - width: Elements per row.
  ///   - directory: Where the temporary file goes (named `prefix` and six random characters,
  ///     unlinked at once); `nil` keeps every row in memory.
  ///   - prefix: The start of the file's name.
  ///   - rowsPerWrite: Rows gathered in memory before they are written out together.
  package init(width: Int, directory: String?, prefix: String = "rolelens-rows", rowsPerWrite: Int = 4096) {
    self.width = width
    self.rowsPerWrite = max(rowsPerWrite, 1)
    kept = RowBlocks(width: width)
    scratch = [Element](repeating: 0, count: width)
    if let directory, width > 0 {
      // No file (an unwritable directory): the rows stay in memory, with the same answers.
      file = try? SpillFile(directory: directory, prefix: prefix)
      spilling = file != nil
      if spilling { pending.reserveCapacity(width * self.rowsPerWrite) }
    }
  }

  /// An independent table holding the same rows, in memory.
  package func copy() -> RowFile {
    let copy = RowFile(width: width, directory: nil)
    for row in 0..<count { copy.append(withRow(row) { Array($0) }) }
    copy.failure = failure
    return copy
  }

  /// Appends a row of exactly `width` elements.
  package func append(_ row: [Element]) {
    precondition(row.count == width, "a row must have the table's width")
    guard spilling, let file else {
      kept.append(row)
      return
    }
    pending += row
    guard pending.count >= width * rowsPerWrite else { return }
    do {
      try pending.withUnsafeBytes { try file.append($0) }
      fileRows += rowsPerWrite
    } catch {
      // A full disk: these rows and every later one stay in memory (the file keeps its rows).
      spilling = false
      for start in stride(from: 0, to: pending.count, by: width) {
        kept.append(Array(pending[start..<(start + width)]))
      }
    }
    pending.removeAll(keepingCapacity: spilling)
  }

  /// Calls `body` with row `row`'s elements, indexed from 0.
  package func withRow<Result>(_ row: Int, _ body: (UnsafeBufferPointer<Element>) -> Result) -> Result {
    precondition(row >= 0 && row < count, "a row must have been appended")
    if row >= fileRows + kept.count {
      let start = (row - fileRows - kept.count) * width
      return pending.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + width)])) }
    }
    if row >= fileRows { return kept.withRow(row - fileRows, body) }
    let stride = MemoryLayout<Element>.stride * width
    do {
      guard let file else { preconditionFailure("rows before fileRows are in the file") }
      try scratch.withUnsafeMutableBytes { try file.read(into: $0, at: row * stride) }
    } catch {
      if failure == nil {
        failure = error as? SpillFile.Failure ?? SpillFile.Failure(path: "", operation: "read", reason: "\(error)")
      }
      for index in scratch.indices { scratch[index] = 0 }
    }
    return scratch.withUnsafeBufferPointer(body)
  }
}
