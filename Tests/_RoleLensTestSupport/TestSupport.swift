import Foundation

/// Paths and helpers shared by the test targets.
public enum TestSupport {
  /// The package's root folder, found from this file's path.
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `Corpus/` of the package.
  public static var corpus: URL { packageRoot.appendingPathComponent("Corpus") }

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
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
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
  }

  /// Runs `rolelens` with `arguments`, from `directory` (default: the package root).
  public static func run(_ arguments: [String], in directory: URL? = nil) throws -> Execution {
    try launch(executable, arguments, environment: nil, in: directory)
  }

  /// Runs the shell `script` with `$ROLELENS` naming the executable, from `directory`: for
  /// arguments a `[String]` cannot hold, such as file names that are not UTF-8 (built in the
  /// script with `printf '\\377'`).
  public static func runShell(_ script: String, in directory: URL? = nil) throws -> Execution {
    var environment = ProcessInfo.processInfo.environment
    environment["ROLELENS"] = executable.path
    return try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: environment, in: directory)
  }

  private static func launch(_ program: URL, _ arguments: [String], environment: [String: String]?, in directory: URL?)
    throws -> Execution
  {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.currentDirectoryURL = directory ?? packageRoot
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes while the process runs, so a full pipe never blocks it.
    nonisolated(unsafe) var errData = Data()
    let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    errReader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errReader.isFinished { usleep(1000) }
    return Execution(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
