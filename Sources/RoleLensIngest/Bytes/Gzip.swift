import CZlib

/// Decompresses gzip data with zlib, with a bound on the output (a gzip bomb stops at the
/// bound instead of filling memory).
enum Gzip {
  enum Failure: Error, Equatable {
    /// The bytes are not gzip data (or are corrupt); the message is zlib's.
    case notGzip(String)
    /// The decompressed data would exceed the limit.
    case tooLarge(limit: Int)
  }

  /// Whether `bytes` start with the gzip magic number.
  static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

  /// Inflates the first gzip member of `bytes` (zlib's `inflate` with automatic gzip header
  /// detection), stopping with `.tooLarge` once more than `limit` bytes come out.
  static func decompress(_ bytes: [UInt8], limit: Int) -> Result<[UInt8], Failure> {
    guard isGzip(bytes) else { return .failure(.notGzip("no gzip header")) }
    var stream = z_stream()
    // 15 + 32: the largest window, and let zlib detect the gzip header.
    guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      return .failure(.notGzip("zlib could not start"))
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = bytes
    return input.withUnsafeMutableBufferPointer { inputBuffer -> Result<[UInt8], Failure> in
      stream.next_in = inputBuffer.baseAddress
      stream.avail_in = UInt32(clamping: inputBuffer.count)
      while true {
        let (status, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer -> (Int32, Int) in
          stream.next_out = outBuffer.baseAddress
          stream.avail_out = UInt32(outBuffer.count)
          let status = inflate(&stream, Z_NO_FLUSH)
          return (status, outBuffer.count - Int(stream.avail_out))
        }
        output.append(contentsOf: chunk[0..<produced])
        if output.count > limit { return .failure(.tooLarge(limit: limit)) }
        switch status {
        case Z_STREAM_END:
          return .success(output)
        case Z_OK:
          if stream.avail_in == 0 && produced == 0 { return .failure(.notGzip("truncated gzip data")) }
        case Z_BUF_ERROR:
          if stream.avail_in == 0 { return .failure(.notGzip("truncated gzip data")) }
        default:
          let message = stream.msg.map { String(cString: $0) } ?? "corrupt gzip data (zlib status \(status))"
          return .failure(.notGzip(message))
        }
      }
    }
  }
}
