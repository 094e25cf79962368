import Foundation
import Testing
import _RoleLensTestSupport

/// `rolelens analyze` killed at every step of writing the reports: the output folder holds
/// either exactly the previous report set or exactly the new one, the user's own file in it is
/// untouched, and the next run leaves no staging folder behind. The kills come from strace's
/// fault injection (`-e inject=SYSCALL:signal=KILL:when=N`), on each system call the final
/// write makes, for N = 1, 2, ... until a run completes.
@Suite("Report set replaced atomically, end to end")
struct ReportAtomicityTests {
  static let strace = "/usr/bin/strace"

  /// The file contents of `folder`, by name, hidden files included.
  static func snapshot(_ folder: URL) throws -> [String: Data] {
    var contents: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      contents[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return contents
  }

  /// Runs `arguments` under strace, killing the process at the `n`th call of `syscall`.
  static func killed(at syscall: String, _ n: Int, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: strace)
    process.arguments =
      [
        "-f", "-qq", "-o", "/dev/null", "-e", "trace=\(syscall)", "-e", "inject=\(syscall):signal=KILL:when=\(n)",
        TestSupport.executable.path,
      ] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Whether strace is installed and may trace here (containers can forbid ptrace).
  static var straceWorks: Bool {
    FileManager.default.isExecutableFile(atPath: strace) && (try? killed(at: "getpid", 65_535, ["--version"])) == 0
  }

  @Test(
    "a run killed at any step of the final write leaves the old set or the new one, and the next run cleans up",
    .enabled(if: straceWorks, "needs strace that may trace (apt-get install strace)"))
  func killedRuns() throws {
    let root = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let inputsA = root.appendingPathComponent("a")
    let inputsB = root.appendingPathComponent("b")
    try TestSupport.write(
      "Technical Project Manager\nPlan releases, own the delivery schedule and coordinate engineering teams.\n",
      to: "tpm.txt", in: inputsA)
    try TestSupport.write("Product Manager\nOwn the roadmap and prioritise the backlog.\n", to: "pm.txt", in: inputsA)
    try TestSupport.write(
      "Product Manager\nDefine the product vision and pricing with customers.\n", to: "pm.txt", in: inputsB)
    let out = root.appendingPathComponent("out")
    let analyzeB = ["analyze", inputsB.path, "--out", out.path, "--quiet"]

    // The two complete sets, each beside the user's own file.
    try TestSupport.write("my notes\n", to: "notes.txt", in: out)
    #expect(try TestSupport.run(["analyze", inputsA.path, "--out", out.path, "--quiet"]).status == 0)
    let old = try Self.snapshot(out)
    #expect(try TestSupport.run(analyzeB).status == 0)
    let new = try Self.snapshot(out)
    try #require(old.count == 10 && new.count == 10 && old != new)
    #expect(old["notes.txt"] == Data("my notes\n".utf8))

    func restoreOld() throws {
      try FileManager.default.removeItem(at: out)
      try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
      for (name, data) in old { try data.write(to: out.appendingPathComponent(name)) }
    }
    func stagingFolders() throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("rolelens-staging") }
    }

    var kills = 0
    for syscall in ["mkdir", "linkat", "fsync", "renameat2", "rename", "unlink", "rmdir"] {
      for n in 1...60 {
        try restoreOld()
        let status = try Self.killed(at: syscall, n, analyzeB)
        let after = try Self.snapshot(out)
        #expect(after == old || after == new, "killed at \(syscall) #\(n): \(after.keys.sorted())")
        if status == 0 { break }
        kills += 1
        // The next run completes the new set and removes what the killed one left.
        #expect(try TestSupport.run(analyzeB).status == 0)
        #expect(try Self.snapshot(out) == new, "after a run killed at \(syscall) #\(n)")
        let left = try stagingFolders()
        #expect(left.isEmpty, "left after \(syscall) #\(n): \(left)")
      }
    }
    // mkdir, one link, 11 fsyncs, the exchange, 10 unlinks and a rmdir at least.
    #expect(kills >= 20)
  }
}
