import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ReportWriter {
  /// Checks, before any input is read, that reports can be written into `folder`: creates it
  /// when missing and creates and removes a probe file there, so that a run over thousands of
  /// files does not fail at its very end.
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
    let probe = (folder.hasSuffix("/") ? folder : folder + "/") + ".rolelens-probe-\(getpid())"
    let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else { throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno))) }
    close(descriptor)
    unlink(probe)
    // What the set's replacement needs besides: a writable parent, no folders of the user's own.
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
