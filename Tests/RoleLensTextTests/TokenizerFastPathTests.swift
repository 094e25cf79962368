import Testing

@testable import RoleLensText

/// The UTF-8 scan must give exactly the tokens of the scalar-by-scalar reference, on ASCII and
/// on everything else postings contain.
@Suite("Tokenizer UTF-8 scan")
struct TokenizerFastPathTests {
  /// Pieces that generated texts are made of: ASCII words, technical tokens and punctuation,
  /// and non-ASCII text that exercises folding, scalar widths and character classes.
  static let pieces: [String] = [
    // ASCII words, numbers and the punctuation technical tokens are built from.
    "a", "C", "r", "Node", "js", "NET", "net", "Ph", "D", "u", "S", "ci", "CD", "ux", "P", "L",
    "team", "PRODUCT", "roadmap", "5", "3", "10", "x2", "s", "t",
    "+", "++", "#", ".", "..", "/", "&", "'", "'s", "-", " ", "  ", ",", ";", ":", "!", "?", "(",
    ")", "|", "\n", "\r\n", "\t", "\"", "%", "$", "*", "_", "@", "=",
    // Latin letters with diacritics, precomposed and combining; case mappings that change
    // length or are special.
    "é", "É", "Zürich", "café", "e\u{0301}", "ß", "İ", "ﬁ", "Ω", "\u{212A}", "ŉ",
    // Other scripts: Cyrillic, Greek (final sigma), Arabic, Hebrew, Devanagari with its marks,
    // Thai, Korean.
    "МОСКВА", "ΟΔΟΣ", "σ", "عربي", "עברית", "हिन्दी", "ไทย", "한국어",
    // CJK ideographs, kana and fullwidth forms and punctuation.
    "产品", "经理", "カタカナ", "ひらがな", "ｆｕｌｌ", "Ｎｅｔ", "。", "，", "：", "（", "）",
    // Curly quotes and apostrophes, dashes, bullets, spaces.
    "\u{2019}", "\u{2019}s", "\u{2018}", "\u{201C}", "\u{201D}", "\u{2013}", "\u{2014}",
    "\u{2022}", "\u{00B7}", "\u{00A0}", "\u{2009}", "\u{3000}",
    // Emoji (with a skin tone and a joiner) and symbols.
    "🚀", "👍🏽", "👩\u{200D}💻", "✅", "→", "©", "™", "★",
    // Numbers that are letters or digits outside ASCII: Roman numerals, superscripts,
    // Arabic-Indic and fullwidth digits.
    "Ⅻ", "²", "٣", "７",
    // A word longer than the maximum.
    String(repeating: "x", count: 70), String(repeating: "é", count: 66),
  ]

  /// A reproducible stream of pseudo-random numbers (SplitMix64).
  struct Generator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// `count` texts of up to 24 pieces each, the same on every run.
  static func generatedTexts(count: Int, seed: UInt64) -> [String] {
    var generator = Generator(state: seed)
    return (0..<count).map { _ in
      let length = Int.random(in: 0...24, using: &generator)
      return (0..<length).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }
  }

  @Test("generated texts mixing scripts, symbols and punctuation tokenise as the reference does")
  func generatedTextsMatchReference() {
    for text in Self.generatedTexts(count: 20_000, seed: 42) {
      #expect(Tokenizer().tokens(text) == ReferenceTokenizer.tokens(text), "\(text.debugDescription)")
    }
  }

  @Test(
    "non-ASCII text tokenises as the reference does",
    arguments: [
      "Zürich café naïve résumé", "cafe\u{0301} e\u{0301}s", "МОСКВА ΕΛΛΗΝΙΚΑ ΟΔΟΣ", "产品经理 TPM技术项目",
      "Jane\u{2019}s team don\u{2019}t \u{2018}agile\u{2019}", "\u{201C}quoted\u{201D} text",
      "non\u{00A0}breaking\u{00A0}space", "🚀 ship ✅ it → now 👩\u{200D}💻", "C++\u{00A0}/ C#\u{2019}s .NET",
      "Ｎｅｔ ｆｕｌｌ ７ Ⅻ ² ٣", "İstanbul ß ﬁx \u{212A}elvin", "hindi हिन्दी thai ไทย", "x.\u{00E9}t a/\u{00E9}b r&ü",
      "node.JS.é ph.D. M.Sc. U.S. e.g. end.Next", ".ΝΕΤ .net .Net", String(repeating: "é", count: 65) + " ok",
    ])
  func nonASCIIMatchesReference(text: String) {
    #expect(Tokenizer().tokens(text) == ReferenceTokenizer.tokens(text))
  }

  @Test("appending with a break marks the first token appended, as a new section needs")
  func appendWithBreak() {
    for text in Self.generatedTexts(count: 2_000, seed: 7) {
      var tokens = [Token("previous")]
      Tokenizer().appendTokens(of: text, to: &tokens, breakBefore: true)
      var expected = [Token("previous")] + ReferenceTokenizer.tokens(text)
      if expected.count > 1 { expected[1].breakBefore = true }
      #expect(tokens == expected, "\(text.debugDescription)")
    }
  }
}
