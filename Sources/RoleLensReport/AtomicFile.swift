import Foundation

/// Errors of the report stage.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The output folder cannot be created or written.
  case cannotWrite(path: String, reason: String)

  /// The message for a person: the path and the system's reason.
  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "\(path): cannot write (\(reason))"
    }
  }
}

/// Writes files so that a reader never sees half of one: the content goes to a temporary file
/// in the same folder, fsynced, which is then renamed over the target (rename is atomic on
/// POSIX) and the folder fsynced. A report set as a whole is replaced by `ReportFolder`.
enum AtomicFile {
  static func write(_ text: String, to path: String) throws {
    try write(to: path) { try put(text, to: $0, path: path) }
  }

  /// Writes `text` to `stream`, which is writing `path`.
  static func put(_ text: String, to stream: UnsafeMutablePointer<FILE>, path: String) throws {
    var text = text
    let count = text.utf8.count
    guard text.withUTF8({ fwrite($0.baseAddress, 1, $0.count, stream) }) == count else {
      throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// Writes the file by handing `body` a stream on the temporary file.
  static func write(to path: String, _ body: (UnsafeMutablePointer<FILE>) throws -> Void) throws {
    let folder = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    let temporary = (folder.isEmpty ? "." : folder) + "/.\(name).tmp-\(getpid())"
    guard let stream = fopen(temporary, "w") else {
      throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    do {
      try body(stream)
    } catch {
      fclose(stream)
      unlink(temporary)
      if case ReportError.cannotWrite(_, let reason) = error {
        throw ReportError.cannotWrite(path: path, reason: reason)
      }
      throw error
    }
    guard finish(stream) else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw ReportError.cannotWrite(path: path, reason: reason)
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw ReportError.cannotWrite(path: path, reason: reason)
    }
    try syncFolder(folder.isEmpty ? "." : folder)
  }

  /// Creates `path` (which must not exist) and writes it with `body`, fsynced: for files of a
  /// staging folder, which no reader sees until it is swapped in.
  static func create(at path: String, _ body: (UnsafeMutablePointer<FILE>) throws -> Void) throws {
    guard let stream = fopen(path, "wx") else {
      throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    do {
      try body(stream)
    } catch {
      fclose(stream)
      throw error
    }
    guard finish(stream) else { throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
  }

  /// `create` for text.
  static func create(_ text: String, at path: String) throws {
    try create(at: path) { try put(text, to: $0, path: path) }
  }

  /// Flushes, fsyncs (`fsync` on the stream's descriptor) and closes `stream`; false on failure
  /// (ENOSPC often shows only here), with `errno` set.
  private static func finish(_ stream: UnsafeMutablePointer<FILE>) -> Bool {
    guard fflush(stream) == 0, fsync(fileno(stream)) == 0 else {
      let saved = errno
      fclose(stream)
      errno = saved
      return false
    }
    return fclose(stream) == 0
  }

  /// fsyncs a folder, so that the names created or renamed in it survive a crash.
  static func syncFolder(_ folder: String) throws {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0 else { throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else {
      throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno)))
    }
  }

  /// Creates `folder` (and parents) if needed and checks it is a writable folder; a failure
  /// carries the system's reason ("Permission denied", "Not a directory").
  static func prepareFolder(_ folder: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw ReportError.cannotWrite(path: folder, reason: "not a folder") }
    } else {
      guard makeFolders(folder) else {
        throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno)))
      }
    }
    guard access(folder, W_OK) == 0 else {
      throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno)))
    }
  }

  /// `mkdir -p`: creates `folder` and its missing parents; false with `errno` set on failure.
  private static func makeFolders(_ folder: String) -> Bool {
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
