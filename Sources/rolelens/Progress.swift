import Foundation

/// Progress on stderr: a bar with postings/s and ETA when stderr is a terminal (redrawn at most
/// five times a second), a one-line summary at the end otherwise; nothing with `--quiet`.
final class Progress: @unchecked Sendable {
  private let quiet: Bool
  private let isTerminal: Bool
  private let start = Date()
  private let lock = NSLock()
  private var lastDraw = Date.distantPast

  init(quiet: Bool) {
    self.quiet = quiet
    isTerminal = isatty(STDERR_FILENO) == 1
  }

  /// Called as files finish (serially, from worker threads).
  @Sendable func update(done: Int, total: Int) {
    guard !quiet, isTerminal else { return }
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    guard now.timeIntervalSince(lastDraw) >= 0.2 || done == total else { return }
    lastDraw = now
    let elapsed = max(now.timeIntervalSince(start), 0.001)
    let rate = Double(done) / elapsed
    let remaining = rate > 0 ? Double(total - done) / rate : 0
    let width = 30
    let filled = total == 0 ? width : width * done / total
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let line = String(format: "\r[%@] %d/%d files  %.0f files/s  ETA %@ ", bar, done, total, rate, Self.duration(remaining))
    FileHandle.standardError.write(Data(line.utf8))
  }

  /// Ends the progress display with a summary line.
  func finish(postings: Int, skipped: Int) {
    guard !quiet else { return }
    let elapsed = Date().timeIntervalSince(start)
    let rate = elapsed > 0 ? Double(postings) / elapsed : 0
    let prefix = isTerminal ? "\r\u{1B}[K" : ""
    let line = String(
      format: "%@rolelens: %d postings, %d skipped in %.1f s (%.0f postings/s)\n", prefix, postings, skipped, elapsed, rate)
    FileHandle.standardError.write(Data(line.utf8))
  }

  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return total >= 3600
      ? String(format: "%dh%02dm", total / 3600, total % 3600 / 60) : String(format: "%dm%02ds", total / 60, total % 60)
  }
}
