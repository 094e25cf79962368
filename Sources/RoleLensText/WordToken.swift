/// A token as the id of its normalised word in a `WordTable`: `Token` without a `String`.
public struct WordToken: Hashable, Sendable {
  /// The word's id in the table the token was interned into.
  public var word: Int32
  /// Whether punctuation or a line break separates this token from the previous one, as
  /// `Token.breakBefore`.
  public var breakBefore: Bool

  /// A token of word `word`.
  public init(word: Int32, breakBefore: Bool = false) {
    self.word = word
    self.breakBefore = breakBefore
  }
}
