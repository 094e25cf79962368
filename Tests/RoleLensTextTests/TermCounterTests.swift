import Testing

@testable import RoleLensText

/// The term counts of `text`.
private func terms(_ text: String) -> [String: Int] {
  var counts: [String: Int] = [:]
  TermCounter.count(Tokenizer().tokens(text), into: &counts)
  return counts
}

@Suite("TermCounter")
struct TermCounterTests {
  @Test(
    "stopwords are not terms",
    arguments: ["the", "and", "you'll", "with", "etc", "e.g"])
  func stopwordsAreNotTerms(word: String) {
    #expect(Stopwords.contains(word))
    #expect(TermCounter.isTerm(word) == false)
  }

  @Test(
    "bare numbers are not terms, words with digits are",
    arguments: [("2024", false), ("3.5", false), ("10.2.1", false), ("q3", true), ("b2b", true), ("web3", true)])
  func numbers(word: String, isTerm: Bool) {
    #expect(TermCounter.isTerm(word) == isTerm)
  }

  @Test(
    "single letters are not terms except the languages c and r",
    arguments: [("c", true), ("r", true), ("x", false), ("s", false)])
  func singleLetters(word: String, isTerm: Bool) {
    #expect(TermCounter.isTerm(word) == isTerm)
  }

  @Test("the counts of a sentence are its content words and their adjacent pairs")
  func wholeSentence() {
    // Tokens: lead(T) the(stop) product(T) roadmap(T) and(stop) stakeholder(T) management(T)
    // |across(stop) 3(number) product(T) teams(T).
    // Unigrams: lead 1, product 2, roadmap 1, stakeholder 1, management 1, teams 1.
    // Bigrams: product roadmap, stakeholder management, product teams (each 1); none with
    // "lead" (next to "the") and none across the comma.
    #expect(
      terms("Lead the product roadmap and stakeholder management, across 3 product teams")
        == [
          "lead": 1, "product": 2, "roadmap": 1, "stakeholder": 1, "management": 1, "teams": 1,
          "product roadmap": 1, "stakeholder management": 1, "product teams": 1,
        ])
  }

  @Test("a bigram never crosses punctuation or a line break")
  func noBigramAcrossBreak() {
    #expect(terms("product. Roadmap") == ["product": 1, "roadmap": 1])
    #expect(terms("product\nroadmap") == ["product": 1, "roadmap": 1])
    #expect(terms("product, roadmap") == ["product": 1, "roadmap": 1])
  }

  @Test("a bigram never spans a stopword or a number")
  func noBigramAcrossStopwordOrNumber() {
    #expect(terms("product and roadmap") == ["product": 1, "roadmap": 1])
    #expect(terms("product 2024 roadmap") == ["product": 1, "roadmap": 1])
  }

  @Test("\"5+ years\" counts as the term years, not a term 5+")
  func yearsOfExperience() {
    #expect(terms("5+ years") == ["years": 1])
  }

  @Test("the parts of a hyphenated word form a bigram")
  func hyphenatedBigram() {
    #expect(terms("data-driven") == ["data": 1, "driven": 1, "data driven": 1])
  }

  @Test("technical tokens are counted as terms")
  func technicalTerms() {
    #expect(terms("C++ CI/CD") == ["c++": 1, "ci/cd": 1, "c++ ci/cd": 1])
  }

  @Test("unigram counts add up to the content tokens and bigram counts to the unbroken pairs")
  func countsAddUp() {
    let text = """
      Lead delivery of cross-functional programs. Manage risk, dependencies and delivery
      timelines; report delivery status to senior stakeholders.
      """
    let tokens = Tokenizer().tokens(text)
    let contentTokens = tokens.filter { TermCounter.isTerm($0.text) }
    var pairs = 0
    for (previous, token) in zip(tokens, tokens.dropFirst())
    where TermCounter.isTerm(previous.text) && TermCounter.isTerm(token.text) && !token.breakBefore {
      pairs += 1
    }
    var counts: [String: Int] = [:]
    TermCounter.count(tokens, into: &counts)
    let unigramTotal = counts.filter { !$0.key.contains(" ") }.values.reduce(0, +)
    let bigramTotal = counts.filter { $0.key.contains(" ") }.values.reduce(0, +)
    #expect(unigramTotal == contentTokens.count)
    #expect(bigramTotal == pairs)
    #expect(counts["delivery"] == 3)
    // Guard against a vacuous comparison: the text has both kinds.
    #expect(unigramTotal == 15)
    #expect(bigramTotal == 7)
  }

  @Test("counting adds to the counts already there")
  func countAccumulates() {
    var counts = ["roadmap": 2, "product roadmap": 1]
    TermCounter.count(Tokenizer().tokens("product roadmap"), into: &counts)
    #expect(counts == ["roadmap": 3, "product": 1, "product roadmap": 2])
  }

  @Test("text with no content words counts nothing")
  func emptyCounts() {
    #expect(terms("").isEmpty)
    #expect(terms("and the of 2024").isEmpty)
  }
}
