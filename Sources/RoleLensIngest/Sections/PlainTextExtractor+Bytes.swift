/// The line tests of `PlainTextExtractor` on the UTF-8 bytes of simple text
/// (`SimpleScalars.isSimple`), where each Character is one scalar: the same answers as the
/// `String` functions they are named after, without building a `String` per line.
extension PlainTextExtractor {
  /// The bytes of the bullets `isBullet` knows: `-`, `*`, `•`, `·`, `–`, `▪`, `◦`, `●`.
  private static let bulletBytes: [[UInt8]] = ["-", "*", "•", "·", "–", "▪", "◦", "●"].map { Array($0.utf8) }

  /// `heading(in:)` of the simple line `bytes[line]`.
  ///
  /// - Complexity: O(n) in the line's bytes.
  static func heading(simple bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> String? {
    if isATXHeading(simple: bytes, line) {
      let text = withStrippedMarkup(simple: bytes, line) { UTF8Text.string($0, $1) }
      return text.isEmpty ? nil : text
    }
    if line.count > 4, bytes[line.lowerBound] == 0x2A, bytes[line.lowerBound + 1] == 0x2A,
      bytes[line.upperBound - 1] == 0x2A, bytes[line.upperBound - 2] == 0x2A,
      UTF8Text.scalarCount(bytes, line) > 4
    {
      let unbolded = (line.lowerBound + 2)..<(line.upperBound - 2)
      if UTF8Text.scalarCount(bytes, unbolded) <= 80, !UTF8Text.contains(bytes, unbolded, [0x2A, 0x2A]) {
        return stripTrailingColon(simple: bytes, unbolded)
      }
    }
    if SectionClassifier.looksLikeHeading(simple: bytes, line), !isBullet(simple: bytes, line) {
      return withStrippedMarkup(simple: bytes, line) { stripTrailingColon(simple: $0, $1) }
    }
    return nil
  }

  /// `isATXHeading` of the simple line `bytes[line]`.
  static func isATXHeading(simple bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
    var index = line.lowerBound
    while index < line.upperBound && bytes[index] == 0x23 { index += 1 }
    let marks = index - line.lowerBound
    guard (1...6).contains(marks) else { return false }
    return index == line.upperBound || bytes[index] == 0x20 || bytes[index] == 0x09
  }

  /// `isBullet` of the simple line `bytes[line]`: a bullet, then a space.
  static func isBullet(simple bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
    guard !line.isEmpty else { return false }
    let length = UTF8Text.scalar(in: bytes, at: line.lowerBound).length
    let first = line.lowerBound..<(line.lowerBound + length)
    guard first.upperBound < line.upperBound, bytes[first.upperBound] == 0x20 else { return false }
    return bulletBytes.contains { UTF8Text.equals(bytes, first, $0) }
  }

  /// `stripBullet` of the simple line `bytes[line]`, as a range of `bytes`.
  static func withoutBullet(simple bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Range<Int> {
    guard isBullet(simple: bytes, line) else { return line }
    let length = UTF8Text.scalar(in: bytes, at: line.lowerBound).length
    return UTF8Text.trimmed(bytes, (line.lowerBound + length + 1)..<line.upperBound)
  }

  /// `stripTrailingColon` of simple text `bytes[range]`.
  static func stripTrailingColon(simple bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    var text = UTF8Text.trimmed(bytes, range)
    while !text.isEmpty && bytes[text.upperBound - 1] == 0x3A { text = text.lowerBound..<(text.upperBound - 1) }
    return UTF8Text.string(bytes, UTF8Text.trimmed(bytes, text))
  }

  /// Calls `body` with `stripMarkup` of the simple line `bytes[line]`: heading marks dropped,
  /// then every `**`, then every `__` of what is left, then white space trimmed. A line with
  /// no `*` or `_` (most) is handed over as a range of `bytes`; one with them is copied once
  /// into a temporary buffer without its marks.
  static func withStrippedMarkup<Result>(
    simple bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>,
    _ body: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Result
  ) -> Result {
    var start = line.lowerBound
    if isATXHeading(simple: bytes, line) {
      while start < line.upperBound && bytes[start] == 0x23 { start += 1 }
    }
    var hasMarks = false
    for index in start..<line.upperBound where bytes[index] == 0x2A || bytes[index] == 0x5F {
      hasMarks = true
      break
    }
    guard hasMarks else { return body(bytes, UTF8Text.trimmed(bytes, start..<line.upperBound)) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: line.count) { buffer in
      // "**" removed left to right, then "__" from the result, as two `replacingOccurrences`
      // would ("_**_" loses all four marks).
      var count = 0
      var index = start
      while index < line.upperBound {
        if bytes[index] == 0x2A && index + 1 < line.upperBound && bytes[index + 1] == 0x2A {
          index += 2
          continue
        }
        buffer[count] = bytes[index]
        count += 1
        index += 1
      }
      var kept = 0
      index = 0
      while index < count {
        if buffer[index] == 0x5F && index + 1 < count && buffer[index + 1] == 0x5F {
          index += 2
          continue
        }
        buffer[kept] = buffer[index]
        kept += 1
        index += 1
      }
      let stripped = UnsafeBufferPointer(rebasing: buffer[0..<kept])
      return body(stripped, UTF8Text.trimmed(stripped, 0..<kept))
    }
  }
}
