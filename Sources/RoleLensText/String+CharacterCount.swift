extension String {
  /// Whether the string has at least `minimum` characters (grapheme clusters).
  ///
  /// Printable ASCII has one character per byte, so tokens, nearly all ASCII, are answered
  /// from their UTF-8 length; other strings are counted.
  ///
  /// - Complexity: O(n) in the length of the string.
  package func hasAtLeastCharacters(_ minimum: Int) -> Bool {
    // A character takes at least one byte.
    guard utf8.count >= minimum else { return false }
    if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return true }
    return count >= minimum
  }
}
