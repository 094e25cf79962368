#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary file that holds bytes a run appends and reads back later, so that they need not
/// stay in memory: the one spill-to-disk mechanism of the package (the rows of postings.csv and
/// the overlap stage's postings both use it).
///
/// The file is unlinked as soon as it is created: it holds no name while in use and disappears
/// when closed, however the process ends. Appends are all or nothing: a write that fails (a full
/// disk) cuts the file back to its size before it, so the file always ends at a whole append.
package final class SpillFile {
  /// Why a spill file could not be made, written or read.
  package struct Failure: Error, Sendable {
    /// The file's name when it was made (it is unlinked since).
    package var path: String
    /// What failed: `create`, `remove`, `write` or `read`.
    package var operation: String
    /// The system's reason.
    package var reason: String
  }

  private let descriptor: Int32
  /// The name the file had before it was unlinked, for messages.
  package let path: String
  /// Bytes in the file.
  package private(set) var size = 0

  /// Makes the file in `directory`, named `prefix` and six random characters, and unlinks it.
  package init(directory: String, prefix: String) throws(Failure) {
    var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
    template += Array((prefix + ".XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
    path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard made >= 0 else { throw Failure(path: path, operation: "create", reason: Self.errnoText()) }
    descriptor = made
    // Nobody else needs the name: without it the file goes away with the descriptor.
    guard unlink(path) == 0 else {
      let reason = Self.errnoText()
      close(made)
      throw Failure(path: path, operation: "remove", reason: reason)
    }
  }

  deinit {
    close(descriptor)
  }

  /// Appends `bytes` whole, or (on failure) leaves the file as it was and throws.
  package func append(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
    var written = 0
    while written < bytes.count {
      let result = pwrite(
        descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written, off_t(size + written))
      if result < 0 && errno == EINTR { continue }
      guard result > 0 else {
        let reason = result < 0 ? Self.errnoText() : "no space left"
        _ = ftruncate(descriptor, off_t(size))
        throw Failure(path: path, operation: "write", reason: reason)
      }
      written += result
    }
    size += written
  }

  /// Reads `buffer.count` bytes at `offset` (bytes appended before).
  package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(Failure) {
    precondition(offset >= 0 && offset + buffer.count <= size, "a read must lie within what was appended")
    var done = 0
    while done < buffer.count {
      let result = pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset + done))
      if result < 0 && errno == EINTR { continue }
      guard result > 0 else {
        throw Failure(
          path: path, operation: "read", reason: result < 0 ? Self.errnoText() : "file shorter than written")
      }
      done += result
    }
  }

  /// Reads the file from the start in chunks of at most `chunkSize` bytes, in order.
  package func forEachChunk(size chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    var buffer = [UInt8](repeating: 0, count: max(1, min(chunkSize, size)))
    var offset = 0
    while offset < size {
      let wanted = min(buffer.count, size - offset)
      let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
      if read < 0 && errno == EINTR { continue }
      guard read == wanted else {
        throw Failure(path: path, operation: "read", reason: read < 0 ? Self.errnoText() : "file shorter than written")
      }
      offset += wanted
      try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<wanted])) }
    }
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}
