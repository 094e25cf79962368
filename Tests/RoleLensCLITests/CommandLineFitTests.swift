import Foundation
import Testing
import _RoleLensTestSupport

/// The command line as a newcomer meets it: help, short options, completion, failing fast, and
/// a progress line that fits the terminal.
@Suite("command line fit")
struct CommandLineFitTests {
  @Test("an unwritable --out fails at once, with the system's reason, before any input is read")
  func unwritableOutFailsFast() throws {
    let root = try TestSupport.temporaryFolder()
    let blocked = root.appendingPathComponent("reports")
    // A file where the folder should be: nothing can be created below it.
    try Data("x".utf8).write(to: blocked)
    let result = try TestSupport.run(["analyze", "Corpus", "--out", blocked.appendingPathComponent("run").path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot write") && result.stderr.contains("Not a directory"), "\(result.stderr)")
    // No input was read: no progress summary and no report on stdout.
    #expect(!result.stderr.contains("postings,") && result.stdout.isEmpty, "\(result.stderr)")
  }

  @Test("analyze --help describes datasets, gzip, report.html and the statistics, with short options")
  func helpIsCurrent() throws {
    let help = try TestSupport.run(["analyze", "--help"]).stdout
    for fragment in [
      ".jsonl", ".gz", "report.html", "cluster", "-o, --out <dir>", "-j, --jobs <n>", "-q, --quiet",
      "--permutations <n>",
    ] {
      #expect(help.contains(fragment), "no '\(fragment)' in analyze --help")
    }
    #expect(!help.contains("<jobs>") && !help.contains("<seed>"))
  }

  @Test("short options work like the long ones")
  func shortOptions() throws {
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run([
      "analyze", "Corpus", "-o", out.path, "-j", "1", "-q", "--bootstrap", "50", "--permutations", "50",
    ])
    #expect(result.status == 0 && result.stderr.isEmpty)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
  }

  @Test("the completion script completes paths and role ids")
  func completion() throws {
    let bash = try TestSupport.run(["--generate-completion-script", "bash"]).stdout
    #expect(bash.contains("-o") && bash.contains("--out"))
    #expect(bash.contains("__rolelens_add_completions -d"))
    // What the bash script runs for `rolelens analyze --roles technical-project-manager,p<TAB>`.
    let roles = try TestSupport.run([
      "---completion", "analyze", "--", "--roles", "3", "26", "rolelens", "analyze", "--roles",
      "technical-project-manager,p",
    ])
    #expect(roles.stdout.contains("technical-project-manager,product-manager"), "\(roles.stdout)")
  }

  @Test(
    "on a 50-column terminal every progress frame fits the width and the last says what comes next",
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
  func progressFitsTerminal() throws {
    let out = try TestSupport.temporaryFolder()
    let command =
      "stty cols 50; '\(TestSupport.executable.path)' analyze Corpus -o '\(out.path)' --bootstrap 50 --permutations 50 >/dev/null"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qfec", command, "/dev/null"]
    process.currentDirectoryURL = TestSupport.packageRoot
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let screen = String(decoding: data, as: UTF8.self)
    // Frames are separated by carriage returns; escape sequences take no columns.
    let frames = screen.replacingOccurrences(of: "\u{1B}[K", with: "").split(whereSeparator: {
      $0 == "\r" || $0 == "\n"
    })
    #expect(!frames.isEmpty)
    for frame in frames { #expect(frame.count <= 50, "frame of \(frame.count) columns: \(frame)") }
    #expect(screen.contains("computing statistics") && screen.contains("writing reports"), "\(screen)")
    #expect(screen.contains("rolelens: 52 postings"))
  }

  @Test("a run with no posting says so once, not once per figure, and exits 3")
  func emptyRunIsShort() throws {
    let inputs = try TestSupport.temporaryFolder()
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run(["analyze", inputs.path, "-o", out.appendingPathComponent("r").path])
    #expect(result.status == 3)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.filter { $0.contains("no figures") }.count == 1, "\(result.stdout)")
    #expect(!lines.contains { $0.contains("overlap_index") })
    #expect(
      result.stdout.contains("No technical project manager postings and no product manager postings"),
      "\(result.stdout)")
  }
}
