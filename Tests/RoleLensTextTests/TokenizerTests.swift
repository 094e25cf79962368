import Testing

@testable import RoleLensText

/// The token texts of `text`, in order.
private func words(_ text: String) -> [String] { Tokenizer().tokens(text).map(\.text) }

/// The token texts of `text` with "|" in front of every token that follows a break.
private func wordsWithBreaks(_ text: String) -> [String] {
  Tokenizer().tokens(text).map { ($0.breakBefore ? "|" : "") + $0.text }
}

@Suite("Tokenizer")
struct TokenizerTests {
  // MARK: - Technical tokens

  @Test(
    "technical tokens stay whole, lowercased",
    arguments: [
      ("C++", ["c++"]),
      ("g++ and gcc", ["g++", "and", "gcc"]),
      ("C#", ["c#"]),
      ("F#", ["f#"]),
      (".NET", [".net"]),
      ("ASP.NET Core", ["asp.net", "core"]),
      ("VB.NET", ["vb.net"]),
      ("Node.js", ["node.js"]),
      ("CI/CD", ["ci/cd"]),
      ("A/B testing", ["a/b", "testing"]),
      ("UI/UX", ["ui/ux"]),
      ("R&D", ["r&d"]),
      ("P&L", ["p&l"]),
    ])
  func technicalTokensStayWhole(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test(
    "a technical token ending a sentence loses only the full stop",
    arguments: [
      ("We use C#.", ["we", "use", "c#"]),
      ("We use C++.", ["we", "use", "c++"]),
      ("Built on Node.js.", ["built", "on", "node.js"]),
      ("Own the P&L.", ["own", "the", "p&l"]),
      ("Ship with ASP.NET.", ["ship", "with", "asp.net"]),
    ])
  func technicalTokenBeforeFullStop(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test(
    "a technical token is the same token whatever its capitalisation",
    arguments: ["node.js", "Node.js", "Node.JS", "NODE.JS"])
  func technicalTokenCaseInsensitive(input: String) {
    #expect(words(input) == ["node.js"])
  }

  @Test(
    "languages listed with a slash stay separate languages",
    arguments: [
      ("C/C++", ["c", "c++"]),
      ("C++/C#", ["c++", "c#"]),
      ("C++/Java", ["c++", "java"]),
      ("C#/.NET", ["c#", ".net"]),
    ])
  func slashBetweenLanguages(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test("technical tokens inside a sentence keep their neighbours as separate words")
  func technicalTokensInSentence() {
    #expect(
      words("Experience with C++, C# and .NET; CI/CD pipelines")
        == ["experience", "with", "c++", "c#", "and", ".net", "ci/cd", "pipelines"])
  }

  // MARK: - Normalisation

  @Test(
    "diacritics are folded",
    arguments: [
      ("Zürich", ["zurich"]),
      ("café", ["cafe"]),
      ("Señor", ["senor"]),
      ("naïve résumé", ["naive", "resume"]),
      // "e" followed by U+0301 COMBINING ACUTE ACCENT: the same word as the precomposed "é".
      ("cafe\u{0301}", ["cafe"]),
    ])
  func diacriticsFolded(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test(
    "uppercase is lowercased, in any script",
    arguments: [
      ("PRODUCT Manager", ["product", "manager"]),
      ("МОСКВА", ["москва"]),
      ("ΕΛΛΗΝΙΚΑ", ["ελληνικα"]),
    ])
  func uppercaseLowercased(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test("a hyphenated word splits into its parts, with no break between them")
  func hyphenSplits() {
    let tokens = Tokenizer().tokens("cross-functional")
    #expect(tokens == [Token("cross"), Token("functional", breakBefore: false)])
  }

  // MARK: - Apostrophes

  @Test(
    "a possessive 's is dropped",
    arguments: [
      ("the company's roadmap", ["the", "company", "roadmap"]),
      ("the COMPANY'S roadmap", ["the", "company", "roadmap"]),
      ("Jane\u{2019}s team", ["jane", "team"]),
      ("the students' work", ["the", "students", "work"]),
    ])
  func possessiveDropped(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test(
    "contractions are kept whole, with a curly apostrophe written as a straight one",
    arguments: [
      ("you'll", ["you'll"]),
      ("you\u{2019}ll", ["you'll"]),
      ("don\u{2019}t", ["don't"]),
      ("O'Reilly", ["o'reilly"]),
    ])
  func contractionsKept(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test("quotation marks made of apostrophes are not part of the word")
  func apostropheQuotesStripped() {
    #expect(words("'agile' teams") == ["agile", "teams"])
  }

  // MARK: - Breaks

  @Test(
    "sentence and clause punctuation sets breakBefore on the next token",
    arguments: [".", ",", ";", ":", "!", "?", "(", ")", "|", "\n", "\r\n", "\t", "\u{2022}", "\u{2014}"])
  func punctuationSetsBreak(separator: String) {
    let tokens = Tokenizer().tokens("product" + separator + " roadmap")
    #expect(tokens == [Token("product"), Token("roadmap", breakBefore: true)])
  }

  @Test("words separated only by spaces or a hyphen have no break between them")
  func spacesDoNotBreak() {
    #expect(wordsWithBreaks("product   roadmap data-driven") == ["product", "roadmap", "data", "driven"])
  }

  @Test("a break applies to the next token only")
  func breakIsNotSticky() {
    #expect(wordsWithBreaks("plan. ship fast") == ["plan", "|ship", "fast"])
  }

  @Test(
    "a full stop with no space before a capitalised word ends the sentence",
    arguments: [
      ("the end.Next one", ["the", "end", "|next", "one"]),
      ("at the end.The team", ["at", "the", "end", "|the", "team"]),
      ("Plan.Ship it", ["plan", "|ship", "it"]),
    ])
  func missingSpaceAfterFullStop(input: String, expected: [String]) {
    #expect(wordsWithBreaks(input) == expected)
  }

  @Test(
    "dotted abbreviations stay one token",
    arguments: [
      ("U.S. market", ["u.s", "|market"]),
      ("a Ph.D. or M.Sc. degree", ["a", "ph.d", "|or", "m.sc", "|degree"]),
      ("e.g. Jira", ["e.g", "|jira"]),
    ])
  func dottedAbbreviations(input: String, expected: [String]) {
    #expect(wordsWithBreaks(input) == expected)
  }

  // MARK: - Numbers

  @Test(
    "decimal and version numbers stay one token",
    arguments: [
      ("Python 3.5 or later", ["python", "3.5", "or", "later"]),
      ("version 10.2.1.", ["version", "10.2.1"]),
      ("Web 2.0", ["web", "2.0"]),
    ])
  func decimalNumbers(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test(
    "a plus after a number is not part of the token",
    arguments: [
      ("5+ years of experience", ["5", "years", "of", "experience"]),
      ("10+ years", ["10", "years"]),
    ])
  func plusAfterNumber(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  // MARK: - Scripts, symbols, empty input

  @Test("each CJK ideograph is a token of its own")
  func cjkIdeographs() {
    #expect(words("产品经理") == ["产", "品", "经", "理"])
  }

  @Test("CJK ideographs next to Latin words split from them")
  func cjkNextToLatin() {
    #expect(words("TPM技术项目") == ["tpm", "技", "术", "项", "目"])
  }

  @Test("empty and blank text give no tokens", arguments: ["", " ", "\n\t \r\n", "...;,!"])
  func emptyText(input: String) {
    #expect(Tokenizer().tokens(input).isEmpty)
  }

  @Test(
    "emoji and symbols are ignored",
    arguments: [
      ("🚀 ship ✅ it → now", ["ship", "it", "now"]),
      ("★★★ $ % © ™", []),
      ("50% remote", ["50", "remote"]),
    ])
  func symbolsIgnored(input: String, expected: [String]) {
    #expect(words(input) == expected)
  }

  @Test("the first token of a text has no break before it")
  func firstTokenHasNoBreak() throws {
    let first = try #require(Tokenizer().tokens("Product roadmap").first)
    #expect(first.breakBefore == false)
  }
}
