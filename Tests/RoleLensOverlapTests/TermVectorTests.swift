import Foundation
import RoleLensText
import Testing
import _RoleLensTestSupport

@testable import RoleLensOverlap

/// Term vectors built from `TermCounts` (bytes) must intern exactly as those built from String
/// dictionaries: the same ids in the same order, so every sum and tie-break downstream agrees.
@Suite("TermVector")
struct TermVectorTests {
  /// The package's `Corpus/` files as text, in a fixed order, plus text with non-ASCII terms
  /// in canonically equivalent spellings.
  static let texts: [String] = {
    TestSupport.corpusTexts() + [
      "Zürich café résumé Zurich", "Cafe\u{0301} team café team", "ÉQUIPE équipe produit Ärger ärger",
      "产品经理 产品 经理 roadmap", "zeta alpha Alpha ALPHA éclair eclair",
    ]
  }()

  @Test("vectors from term counts equal vectors from String dictionaries, ids and all")
  func countsMatchDictionaries() {
    var fromBytes = Vocabulary()
    var fromStrings = Vocabulary()
    for text in Self.texts {
      var table = WordTable()
      var tokens: [WordToken] = []
      Tokenizer().appendWords(of: text, to: &tokens, words: &table)
      let counts = TermCounter.counts([tokens], words: table)
      var dictionary: [String: Int] = [:]
      TermCounter.count(Tokenizer().tokens(text), into: &dictionary)
      #expect(TermVector(counts, vocabulary: &fromBytes) == TermVector(dictionary, vocabulary: &fromStrings))
      #expect(fromBytes.terms == fromStrings.terms)
    }
    #expect(fromBytes.count > 1000)
    for (index, term) in fromStrings.terms.enumerated() { #expect(fromBytes.id(term) == Int32(index)) }
  }

  @Test("a vocabulary finds a term by any spelling equal as a String")
  func canonicalLookup() {
    var vocabulary = Vocabulary()
    let id = vocabulary.intern("caf\u{E9}")
    #expect(vocabulary.intern("cafe\u{0301}") == id)
    #expect(vocabulary.id("cafe\u{0301}") == id)
    #expect(vocabulary.terms == ["caf\u{E9}"])
  }
}
