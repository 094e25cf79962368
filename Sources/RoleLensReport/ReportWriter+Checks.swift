import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ReportWriter {
  /// Checks, before any input is read, that reports can be written into `folder`: creates it
  /// when missing and checks that it and its parent are writable and that it holds no folder of
  /// the user's own (the set replaces the folder as a whole), so that a run over thousands of
  /// files does not fail at its very end. It writes no file there: a probe left by a killed run
  /// would become part of the next set.
  ///
  /// - Throws: `ReportError.cannotWrite` with the system's reason ("Permission denied",
  ///   "Read-only file system", "No space left on device", "not a folder").
  public static func checkWritable(_ folder: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw ReportError.cannotWrite(path: folder, reason: "not a folder") }
    } else {
      guard mkdirs(folder) else { throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno))) }
    }
    try ReportFolder(folder, files: files).check()
  }

  /// `mkdir -p`: creates `folder` and its missing parents; false with `errno` set on failure.
  private static func mkdirs(_ folder: String) -> Bool {
    var path = ""
    for component in folder.split(separator: "/", omittingEmptySubsequences: false) {
      path += path.isEmpty && folder.hasPrefix("/") ? "/" : (path.isEmpty || path == "/" ? "" : "/")
      path += component
      guard !component.isEmpty, component != "." else { continue }
      if mkdir(path, 0o777) != 0 && errno != EEXIST { return false }
    }
    return true
  }
}
