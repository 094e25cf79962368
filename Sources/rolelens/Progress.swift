import Foundation

/// Progress on stderr: on a terminal, one line redrawn in place (at most five times a second)
/// that fits the terminal's width: a bar with files/s and ETA while files are read, then what
/// the run is doing (statistics, writing); a one-line summary at the end otherwise; nothing with
/// `--quiet`.
final class Progress: @unchecked Sendable {
  private let quiet: Bool
  private let isTerminal: Bool
  private let start = Date()
  private let lock = NSLock()
  private var lastDraw = Date.distantPast
  /// What the run does once every file is read (shown after 100%).
  var stage = "computing statistics"
  /// What `update` counts: files, or (`merge`) the postings of the partials.
  var unit = "files"

  init(quiet: Bool) {
    self.quiet = quiet
    isTerminal = isatty(STDERR_FILENO) == 1
  }

  /// The terminal's width in columns (80 when it cannot be read).
  static var columns: Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  /// Called as files finish (serially, from worker threads).
  @Sendable func update(done: Int, total: Int) {
    guard !quiet, isTerminal else { return }
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    guard now.timeIntervalSince(lastDraw) >= 0.2 || done == total else { return }
    lastDraw = now
    if done == total {
      draw("\(total) \(unit) read; \(stage)...")
      return
    }
    let elapsed = max(now.timeIntervalSince(start), 0.001)
    let rate = Double(done) / elapsed
    // An ETA from the first second or the first 2% of files is a guess: none is shown.
    let eta = elapsed >= 1 && done * 50 >= total && rate > 0 ? Self.duration(Double(total - done) / rate) : "--"
    let text = String(format: "%d/%d %@  %.0f/s  ETA %@", done, total, unit, rate, eta)
    let width = max(0, min(30, Self.columns - text.count - 4))
    let filled = total == 0 ? width : width * done / total
    let bar =
      width >= 5
      ? "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] " : ""
    draw(bar + text)
  }

  /// Shows what the run is doing now (on a terminal).
  func show(_ text: String) {
    guard !quiet, isTerminal else { return }
    lock.lock()
    defer { lock.unlock() }
    draw(text + "...")
  }

  /// Redraws the line in place: carriage return, the text cut to the width, clear to its end.
  private func draw(_ text: String) {
    let limit = max(Self.columns - 1, 10)
    let shown = text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    FileHandle.standardError.write(Data(("\r" + shown + "\u{1B}[K").utf8))
  }

  /// Ends the progress display with a summary line.
  func finish(postings: Int, skipped: Int) {
    guard !quiet else { return }
    let elapsed = Date().timeIntervalSince(start)
    let rate = elapsed > 0 ? Double(postings) / elapsed : 0
    var line = String(format: "rolelens: %d postings, %d skipped in %.1f s (%.0f/s)", postings, skipped, elapsed, rate)
    if isTerminal {
      let limit = max(Self.columns - 1, 10)
      if line.count > limit { line = String(line.prefix(limit - 1)) + "…" }
      line = "\r\u{1B}[K" + line
    }
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return total >= 3600
      ? String(format: "%dh%02dm", total / 3600, total % 3600 / 60) : String(format: "%dm%02ds", total / 60, total % 60)
  }
}
