#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dataset file's bytes, chunk by chunk: read(2) on the file, or through zlib for a `.gz`,
/// so a dump of any size is read in a bounded buffer.
final class DatasetByteSource {
  private let descriptor: Int32
  /// Set for a `.gz` file.
  private let inflater: GzipInflater?
  /// How many compressed bytes are read at a time for a `.gz` file.
  private static let compressedChunk = 1 << 16

  private init(descriptor: Int32, inflater: GzipInflater?) {
    self.descriptor = descriptor
    self.inflater = inflater
  }

  deinit { close(descriptor) }

  /// Opens `file` for reading (a regular file only, as `PostingReader` reads files).
  ///
  /// A `.gz` file is inflated once to its end before any byte is handed on, discarding the
  /// output: a corrupt or truncated archive is then skipped whole, as it was when it was read
  /// in one piece, instead of after some of its rows were read.
  ///
  /// - Returns: The source, or why the file cannot be read (`corrupt` for bad gzip data).
  static func open(_ file: InputFile, compressed: Bool) -> Result<DatasetByteSource, PostingReader.ReadFailure> {
    let descriptor: Int32
    switch PostingReader.openRegularFile(file.systemPath) {
    case .success(let opened): descriptor = opened
    case .failure(let failure): return .failure(failure)
    }
    guard compressed else { return .success(DatasetByteSource(descriptor: descriptor, inflater: nil)) }
    if let failure = checkGzip(descriptor) {
      close(descriptor)
      return .failure(failure)
    }
    guard lseek(descriptor, 0, SEEK_SET) == 0, let inflater = GzipInflater() else {
      let failure = PostingReader.ReadFailure(reason: .unreadable, detail: systemError())
      close(descriptor)
      return .failure(failure)
    }
    return .success(DatasetByteSource(descriptor: descriptor, inflater: inflater))
  }

  /// Inflates the whole gzip member of the open file into a scratch buffer.
  ///
  /// - Returns: `nil` when the member inflates to its end, else why not (as
  ///   `Gzip.decompress` words it).
  private static func checkGzip(_ descriptor: Int32) -> PostingReader.ReadFailure? {
    func corrupt(_ message: String) -> PostingReader.ReadFailure {
      PostingReader.ReadFailure(reason: .corrupt, detail: "named .gz but not readable gzip data (\(message))")
    }
    guard let inflater = GzipInflater() else { return corrupt("zlib could not start") }
    var input: [UInt8] = []
    var scratch: [UInt8] = []
    var first = true
    while !inflater.isFinished {
      if inflater.needsInput {
        input.removeAll(keepingCapacity: true)
        switch PostingReader.readChunk(descriptor, into: &input, count: compressedChunk) {
        case .failure(let failure): return failure
        case .success(let count):
          if first && (count < 2 || input[0] != 0x1F || input[1] != 0x8B) { return corrupt("no gzip header") }
          if count == 0 { return corrupt("truncated gzip data") }
        }
        first = false
        inflater.supply(input)
      }
      scratch.removeAll(keepingCapacity: true)
      do {
        _ = try inflater.inflate(into: &scratch, capacity: 1 << 16)
      } catch {
        guard case .notGzip(let message) = error else { return corrupt("corrupt gzip data") }
        return corrupt(message)
      }
    }
    return nil
  }

  /// Appends up to `count` more bytes of the (decompressed) content to `bytes`.
  ///
  /// - Returns: How many bytes were appended: 0 only at the end.
  func read(into bytes: inout [UInt8], count: Int) -> Result<Int, PostingReader.ReadFailure> {
    guard let inflater else { return PostingReader.readChunk(descriptor, into: &bytes, count: count) }
    var compressed: [UInt8] = []
    while !inflater.isFinished {
      if inflater.needsInput {
        compressed.removeAll(keepingCapacity: true)
        switch PostingReader.readChunk(descriptor, into: &compressed, count: Self.compressedChunk) {
        case .failure(let failure): return .failure(failure)
        case .success(0):
          // The archive was whole when it was checked; it changed since.
          return .failure(
            PostingReader.ReadFailure(
              reason: .corrupt, detail: "named .gz but not readable gzip data (truncated gzip data)"))
        case .success: inflater.supply(compressed)
        }
      }
      do {
        switch try inflater.inflate(into: &bytes, capacity: count) {
        case .produced(0): continue
        case .produced(let produced), .ended(let produced): return .success(produced)
        }
      } catch {
        guard case .notGzip(let message) = error else { break }
        return .failure(
          PostingReader.ReadFailure(reason: .corrupt, detail: "named .gz but not readable gzip data (\(message))"))
      }
    }
    return .success(0)
  }
}
