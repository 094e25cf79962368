import Foundation
import Testing
import _RoleLensTestSupport

/// The five checks of the overlap statistics (null split, power, size, copies, shares) on the
/// real development postings, run through the built binary by `Scripts/overlap-checks.py`
/// with fewer splits and draws than the full run the README quotes (fixed seed: the same
/// postings are drawn every time).
@Suite("overlap statistics on real postings")
struct OverlapChecksTests {
  static var python: String? {
    ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
      ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
      .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  @Test(
    "null, power, size, copies and shares checks pass on ../shared/data/postings",
    .enabled(if: TestSupport.sharedData != nil, "needs ../shared/data (absent in a fresh clone)"),
    .enabled(if: python != nil, "needs python3"))
  func checksPass() throws {
    let python = try #require(Self.python)
    let data = try #require(TestSupport.sharedData).appendingPathComponent("postings")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [
      TestSupport.packageRoot.appendingPathComponent("Scripts/overlap-checks.py").path, "--bin",
      TestSupport.executable.path, "--data", data.path, "--splits", "5", "--draws", "3",
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(output)")
    #expect(output.contains("failed: none"), "\(output)")
    for check in ["null", "power", "size", "copies", "shares"] {
      #expect(output.contains("\n\(check): "), "no \(check) verdict in: \(output)")
    }
  }
}
