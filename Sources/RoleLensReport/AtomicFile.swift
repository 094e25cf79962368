import Foundation

/// Errors of the report stage.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The output folder cannot be created or written.
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "\(path): cannot write (\(reason))"
    }
  }
}

/// Writes files so that a reader never sees half of one: the content goes to a temporary file
/// in the same folder, which is then renamed over the target (rename is atomic on POSIX).
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
      if case ReportError.cannotWrite(_, let reason) = error { throw ReportError.cannotWrite(path: path, reason: reason) }
      throw error
    }
    guard fclose(stream) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw ReportError.cannotWrite(path: path, reason: reason)
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw ReportError.cannotWrite(path: path, reason: reason)
    }
  }

  /// Creates `folder` (and parents) if needed and checks it is a writable folder.
  static func prepareFolder(_ folder: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw ReportError.cannotWrite(path: folder, reason: "not a folder") }
    } else {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw ReportError.cannotWrite(path: folder, reason: "cannot create the folder")
      }
    }
    guard access(folder, W_OK) == 0 else {
      throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno)))
    }
  }
}
