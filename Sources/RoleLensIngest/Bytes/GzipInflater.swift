import CZlib

/// Inflates one gzip member piece by piece (zlib's `inflate`), so a compressed dataset is read
/// in chunks like an uncompressed one: compressed bytes go in with `supply`, decompressed bytes
/// come out with `inflate` in whatever amounts the caller asks for.
///
/// The `z_stream` lives at a fixed address of its own: zlib keeps a pointer back to it and
/// refuses a stream that has moved.
final class GzipInflater {
  /// What one call of `inflate` did.
  enum Step: Equatable {
    /// This many bytes came out (possibly 0 when zlib needs more input first).
    case produced(Int)
    /// The member ended; this many bytes came out with its last piece.
    case ended(Int)
  }

  private let stream: UnsafeMutablePointer<z_stream>
  /// The compressed bytes zlib reads from (its `next_in` points into them).
  private var input: [UInt8] = []
  /// Whether the member's end has been reached.
  private(set) var isFinished = false

  /// Starts an inflater (15 + 32: the largest window, and let zlib detect the gzip header),
  /// or `nil` when zlib cannot start.
  init?() {
    stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    guard inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      stream.deinitialize(count: 1)
      stream.deallocate()
      return nil
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
  }

  /// Whether every supplied byte has been consumed.
  var needsInput: Bool { stream.pointee.avail_in == 0 }

  /// Gives zlib the next compressed bytes; the previous ones must be consumed (`needsInput`).
  func supply(_ bytes: [UInt8]) {
    precondition(needsInput, "GzipInflater.supply called before the previous input was consumed")
    input = bytes
    stream.pointee.avail_in = UInt32(clamping: input.count)
  }

  /// Inflates into `output` from its `count` on, up to `capacity` new bytes.
  ///
  /// - Returns: How many bytes came out, and whether the member ended.
  /// - Throws: `Gzip.Failure.notGzip` with zlib's message when the data is corrupt.
  func inflate(into output: inout [UInt8], capacity: Int) throws(Gzip.Failure) -> Step {
    let start = output.count
    output.append(contentsOf: repeatElement(0, count: capacity))
    let consumedBefore = input.count - Int(stream.pointee.avail_in)
    let status = input.withUnsafeMutableBufferPointer { inputBuffer -> Int32 in
      output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
        stream.pointee.next_in = inputBuffer.baseAddress.map { $0 + consumedBefore }
        stream.pointee.next_out = outBuffer.baseAddress.map { $0 + start }
        stream.pointee.avail_out = UInt32(clamping: capacity)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        // No pointer into Swift arrays outlives this call.
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return status
      }
    }
    let produced = capacity - Int(stream.pointee.avail_out)
    output.removeLast(capacity - produced)
    switch status {
    case Z_STREAM_END:
      isFinished = true
      return .ended(produced)
    case Z_OK, Z_BUF_ERROR:
      // Z_BUF_ERROR: no progress was possible; more input is needed (or the data is truncated,
      // which the caller sees as input ending before the member does).
      return .produced(produced)
    default:
      let message = stream.pointee.msg.map { String(cString: $0) } ?? "corrupt gzip data (zlib status \(status))"
      throw .notGzip(message)
    }
  }
}
