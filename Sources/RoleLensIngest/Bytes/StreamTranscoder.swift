/// Converts UTF-16 or UTF-32 bytes to UTF-8 chunk by chunk, as `TextDecoding.decode(_:as:)`
/// converts a whole file: a code unit or surrogate pair cut by a chunk's end waits for the next
/// chunk, an odd byte at the very end is dropped, a bad unit becomes U+FFFD.
struct StreamTranscoder {
  let encoding: TextEncoding
  /// Bytes of an incomplete code unit (or a high surrogate) carried to the next chunk.
  private var carry: [UInt8] = []

  init(encoding: TextEncoding) {
    precondition(encoding != .utf8 && encoding != .windows1252, "StreamTranscoder converts UTF-16/32 only")
    self.encoding = encoding
  }

  /// The UTF-8 bytes of `bytes` (after what was carried), holding back a cut unit unless
  /// `final`.
  mutating func convert(_ bytes: ArraySlice<UInt8>, final: Bool) -> [UInt8] {
    var input = carry
    input += bytes
    carry = []
    let unit = encoding == .utf32LE || encoding == .utf32BE ? 4 : 2
    var usable = input.count - input.count % unit
    if !final && unit == 2 && usable >= 2 {
      // A high surrogate at the end waits for its pair.
      let last =
        encoding == .utf16LE
        ? UInt16(input[usable - 1]) << 8 | UInt16(input[usable - 2])
        : UInt16(input[usable - 2]) << 8 | UInt16(input[usable - 1])
      if last >= 0xD800 && last <= 0xDBFF { usable -= 2 }
    }
    if !final { carry = Array(input[usable...]) }
    return Array(TextDecoding.decode(input[..<usable], as: encoding).utf8)
  }
}
