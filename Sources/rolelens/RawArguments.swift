import Foundation
import RoleLensKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line as the process received it.
///
/// `CommandLine.arguments` decodes each argument as UTF-8 and replaces bytes that are not
/// UTF-8 with U+FFFD, so a file name such as the bytes `ff fe` arrives as "\u{FFFD}\u{FFFD}"
/// and names no file. rolelens reads the raw `argv` bytes instead and hands ArgumentParser
/// their `PathEscaping` text (`\xFF\xFE`, the form `postings.csv` and `skipped.csv` use), so
/// every path argument is taken exactly as given. Options that are not paths to walk are
/// turned back into plain strings with `plain(_:)`.
enum RawArguments {
  /// Every argument after the program name, as `PathEscaping` text of its bytes.
  static func escaped() -> [String] {
    (1..<Int(CommandLine.argc)).map { index in
      guard let argument = CommandLine.unsafeArgv[index] else { return "" }
      return PathEscaping.text(UnsafeRawBufferPointer(start: argument, count: strlen(argument)))
    }
  }

  /// An argument's text as a plain string, for values that are not walked: column names, and
  /// files opened by name through string APIs (lexicon, labels).
  static func plain(_ text: String) -> String {
    PathEscaping.plainString(text)
  }
}

/// The folder reports are written to (`--out`), named by the exact bytes given.
///
/// A folder whose name is valid UTF-8 is passed on by name. One that is not cannot be named by
/// a Swift string, so it is created and opened here by its bytes, and the writers get the
/// name of the open descriptor (`/proc/self/fd/N`), which reaches that very folder.
struct OutputFolder {
  /// The folder as the user wrote it, in `PathEscaping` text: for messages.
  var display: String
  /// The name the report writers open.
  var path: String

  /// Resolves `text` (an argument's `PathEscaping` text), creating the folder when its name is
  /// not UTF-8.
  ///
  /// - Throws: `CommandFailure` (exit 1) when such a folder cannot be created or opened.
  static func prepare(_ text: String) throws -> OutputFolder {
    let bytes = PathEscaping.bytes(text)
    if let plain = String(validating: bytes, as: UTF8.self) {
      return OutputFolder(display: text, path: plain)
    }
    // Each missing folder on the way is created, as `mkdir -p` would.
    var prefix: [UInt8] = []
    for (offset, byte) in bytes.enumerated() {
      prefix.append(byte)
      let atEnd = offset == bytes.count - 1
      guard byte == UInt8(ascii: "/") || atEnd, prefix != [UInt8(ascii: "/")] else { continue }
      if mkdir(cString(prefix), 0o777) != 0 && errno != EEXIST {
        throw CommandFailure.failed(
          "\(PathEscaping.text(prefix)): cannot write (cannot create the folder: \(systemError()))")
      }
    }
    let descriptor = open(cString(bytes), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw CommandFailure.failed("\(text): cannot write (\(systemError()))")
    }
    // The descriptor stays open until the process exits: the writers reach the folder by it.
    #if os(Linux)
    return OutputFolder(display: text, path: "/proc/self/fd/\(descriptor)")
    #else
    return OutputFolder(display: text, path: "/dev/fd/\(descriptor)")
    #endif
  }

  /// `failure` with the descriptor's name replaced by the folder's, so messages name the
  /// folder the user gave.
  func naming(_ failure: CommandFailure) -> CommandFailure {
    guard path != display else { return failure }
    var failure = failure
    for end in ["/", ":"] {
      failure.message = failure.message.replacingOccurrences(of: path + end, with: display + end)
    }
    return failure
  }

  private static func cString(_ bytes: [UInt8]) -> [CChar] {
    bytes.map { CChar(bitPattern: $0) } + [0]
  }

  private static func systemError() -> String {
    String(cString: strerror(errno))
  }
}
