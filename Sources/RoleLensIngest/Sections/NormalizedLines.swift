/// The lines of a text, each with its white space collapsed (`normalizeSpace`), held as one
/// UTF-8 buffer and a range per line: what `text.split(omittingEmptySubsequences: false)` at
/// line breaks (LF, CR LF, CR) followed by `normalizeSpace` of every line gives, without a
/// `String` per line.
struct NormalizedLines {
  /// The normalized lines, one after the other, with nothing between them.
  var bytes: [UInt8]
  /// Each line's bytes in `bytes`, in order; an empty line has an empty range.
  var lines: [Range<Int>]
  /// Whether each line is all ASCII (and so simple text, see `SimpleScalars`).
  var isASCII: [Bool]

  /// Splits and normalizes the UTF-8 `source`.
  ///
  /// - Complexity: O(n), one pass over the bytes.
  init(_ source: UnsafeBufferPointer<UInt8>) {
    var lines: [Range<Int>] = []
    var isASCII: [Bool] = []
    let count = source.count
    bytes = [UInt8](unsafeUninitializedCapacity: max(count, 1)) { output, initialized in
      guard let base = output.baseAddress else { return }
      var written = 0
      var start = 0
      var index = 0
      while true {
        // A line ends at LF, CR or the end of the text (CR LF is one break: one Character).
        while index < count && source[index] != 0x0A && source[index] != 0x0D { index += 1 }
        let (length, high) = normalizeSpace(source, start..<index, into: base + written)
        lines.append(written..<(written + length))
        isASCII.append(high < 0x80)
        written += length
        if index == count { break }
        if source[index] == 0x0D && index + 1 < count && source[index + 1] == 0x0A { index += 1 }
        index += 1
        start = index
      }
      initialized = written
    }
    self.lines = lines
    self.isASCII = isASCII
  }
}
