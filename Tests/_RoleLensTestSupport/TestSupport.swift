import Foundation

/// Paths and helpers shared by the test targets.
public enum TestSupport {
  /// The package's root folder, found from this file's path.
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `Corpus/` of the package.
  public static var corpus: URL { packageRoot.appendingPathComponent("Corpus") }

  /// The text of every file under `Corpus/` (markup and all: realistic words and noise),
  /// decoded as UTF-8 and sorted, for tests that compare two implementations on real text.
  public static func corpusTexts() -> [String] {
    var texts: [String] = []
    if let files = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) {
      for case let url as URL in files {
        if let data = try? Data(contentsOf: url) { texts.append(String(decoding: data, as: UTF8.self)) }
      }
    }
    return texts.sorted()
  }

  /// `../shared/data` beside the package, or `nil` (with the reason for a skip message) when it
  /// is absent, as on a fresh clone.
  public static var sharedData: URL? {
    let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    return FileManager.default.fileExists(atPath: url.appendingPathComponent("postings/labels.csv").path) ? url : nil
  }

  /// The message tests print when they skip for want of `../shared/data`.
  public static let sharedDataMissing = "../shared/data is absent (fresh clone): test skipped"

  /// A fixture file next to the calling test file: `Fixtures/<name>`.
  public static func fixture(_ name: String, file: StaticString = #filePath) -> URL {
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Fixtures")
      .appendingPathComponent(name)
  }

  /// A new empty temporary folder.
  public static func temporaryFolder(_ label: String = "rolelens-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `bytes` to `name` inside `folder` and returns its path.
  @discardableResult
  public static func write(_ bytes: [UInt8], to name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
  }

  /// Writes UTF-8 `text` to `name` inside `folder` and returns its path.
  @discardableResult
  public static func write(_ text: String, to name: String, in folder: URL) throws -> String {
    try write(Array(text.utf8), to: name, in: folder)
  }

  /// The built `rolelens` executable: beside the test bundle in the products folder.
  public static var executable: URL {
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let beside = products.appendingPathComponent("rolelens")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return packageRoot.appendingPathComponent(".build/debug/rolelens")
  }

  /// The result of running the executable.
  public struct Execution: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Wall-clock seconds from start to exit.
    public var seconds: Double
    /// Whether the run was stopped for passing its time limit.
    public var timedOut: Bool
  }

  /// Runs `executable` (default: the built `rolelens`) with `arguments`, from `directory`
  /// (default: the package root), with no standard input. Output goes to files, so a full pipe
  /// never blocks the child; a child still running after `timeout` seconds is sent SIGTERM,
  /// then SIGKILL, and the run is marked `timedOut`, so a hung binary fails its test instead of
  /// hanging the suite.
  public static func run(
    _ arguments: [String], in directory: URL? = nil, executable: URL = executable, timeout: Double = 600
  ) throws -> Execution {
    try launch(executable, arguments, environment: nil, in: directory, timeout: timeout)
  }

  /// Runs the shell `script` with `$ROLELENS` naming the executable, from `directory`: for
  /// arguments a `[String]` cannot hold, such as file names that are not UTF-8 (built in the
  /// script with `printf '\\377'`).
  public static func runShell(_ script: String, in directory: URL? = nil, timeout: Double = 600) throws -> Execution {
    var environment = ProcessInfo.processInfo.environment
    environment["ROLELENS"] = executable.path
    return try launch(
      URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: environment, in: directory, timeout: timeout)
  }

  private static func launch(
    _ program: URL, _ arguments: [String], environment: [String: String]?, in directory: URL?, timeout: Double
  ) throws -> Execution {
    let scratch = try temporaryFolder("rolelens-exec")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    defer {
      try? outHandle.close()
      try? errHandle.close()
    }
    let process = Process()
    process.executableURL = program
    if let environment { process.environment = environment }
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? packageRoot
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    let started = Date()
    try process.run()
    var timedOut = false
    while process.isRunning {
      if Date().timeIntervalSince(started) > timeout {
        timedOut = true
        process.terminate()
        let stopping = Date()
        while process.isRunning && Date().timeIntervalSince(stopping) < 5 { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        break
      }
      usleep(5_000)
    }
    process.waitUntilExit()
    return Execution(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
      seconds: Date().timeIntervalSince(started), timedOut: timedOut)
  }
}
