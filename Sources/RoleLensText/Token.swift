/// A word of text, normalised: lowercased, diacritics folded, technical tokens kept whole.
public struct Token: Hashable, Sendable, CustomStringConvertible {
  /// The normalised word ("c++", "node.js", "ci/cd", "cafe").
  public var text: String
  /// Whether punctuation or a line break separates this token from the previous one. Bigrams
  /// and phrases do not cross such a break.
  public var breakBefore: Bool

  /// A token of already normalised `text`.
  public init(_ text: String, breakBefore: Bool = false) {
    self.text = text
    self.breakBefore = breakBefore
  }

  /// The token's text.
  public var description: String { text }
}
