/// Finds which of a fixed list of substrings (at most 64) occur in a text, in one pass over the
/// text's UTF-8: at each position only the patterns starting with that byte are compared.
/// Extraction asks this of the class and id of every element of every page.
struct SubstringMatcher: Sendable {
  let patterns: [String]
  private let bytes: [[UInt8]]
  /// Indices of the patterns by their first byte.
  private let byFirstByte: [[Int]]

  init(_ patterns: [String]) {
    precondition(patterns.count <= 64, "SubstringMatcher reports matches in a 64-bit mask")
    precondition(!patterns.contains(""), "SubstringMatcher needs non-empty patterns")
    self.patterns = patterns
    bytes = patterns.map { Array($0.utf8) }
    var table = [[Int]](repeating: [], count: 256)
    for (index, pattern) in bytes.enumerated() { table[Int(pattern[0])].append(index) }
    byFirstByte = table
  }

  /// The mask with bit `i` set for each pattern `i` that occurs in `patterns`' selection.
  func mask(of selection: [String]) -> UInt64 {
    selection.reduce(0) { mask, pattern in
      guard let index = patterns.firstIndex(of: pattern) else { preconditionFailure("unknown pattern \(pattern)") }
      return mask | 1 << UInt64(index)
    }
  }

  /// The mask of the patterns occurring in `text`.
  func matches(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { matches(utf8: $0) }
  }

  /// The mask of the patterns occurring in the UTF-8 bytes `hay`.
  ///
  /// - Complexity: O(n) times the patterns sharing a first byte.
  func matches(utf8 hay: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var found: UInt64 = 0
    for start in hay.indices {
      for index in byFirstByte[Int(hay[start])] where found & (1 << UInt64(index)) == 0 {
        let pattern = bytes[index]
        guard start + pattern.count <= hay.count else { continue }
        var offset = 1
        while offset < pattern.count && hay[start + offset] == pattern[offset] { offset += 1 }
        if offset == pattern.count { found |= 1 << UInt64(index) }
      }
    }
    return found
  }
}
