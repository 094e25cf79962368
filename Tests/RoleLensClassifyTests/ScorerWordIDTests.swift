import Foundation
import RoleLensIngest
import RoleLensText
import Testing
import _RoleLensTestSupport

@testable import RoleLensClassify

/// The scorer on word ids must classify, explain and mask exactly as the String scorer it
/// replaced (`ReferenceScorer`) on real postings.
@Suite("Scorer on word ids")
struct ScorerWordIDTests {
  /// The postings of `folder`, read as a run reads them.
  static func postings(in folder: URL) throws -> [Posting] {
    let reader = PostingReader()
    return try InputWalker().walk([folder.path]).files.flatMap { reader.read($0).postings }
  }

  /// Checks the id path against the reference on `postings`; returns how many were checked.
  static func check(_ postings: [Posting]) throws -> Int {
    let lexicon = try Lexicon.bundled()
    let scorer = Scorer(lexicon: lexicon)
    let reference = ReferenceScorer(lexicon: lexicon)
    for posting in postings {
      for includeTitle in [true, false] {
        let tokenized = TokenizedPosting(posting, includeTitle: includeTitle)
        let words = PostingWords(posting, includeTitle: includeTitle)
        let expected = reference.classify(tokenized, explain: true, readingBody: true)
        let found = scorer.classify(words, explain: true, readingBody: true)
        #expect(found.classification == expected.classification, "\(posting.path)")
        #expect(found.bodyRole == expected.bodyRole, "\(posting.path)")
        #expect(scorer.classify(tokenized, explain: true, readingBody: true).classification == expected.classification)
        let ids = scorer.lexiconIDs(of: words)
        for (section, tokens) in zip(words.sections, tokenized.sections) {
          let masked = scorer.maskingTitlePhrases(section.tokens, lexiconIDs: ids).map {
            Token(words.words.string($0.word), breakBefore: $0.breakBefore)
          }
          let expectedMask = reference.maskingTitlePhrases(tokens.tokens)
          #expect(masked == expectedMask, "\(posting.path)")
          #expect(scorer.maskingTitlePhrases(tokens.tokens) == expectedMask)
        }
      }
    }
    return postings.count
  }

  @Test("Corpus postings classify, explain and mask as with Strings")
  func corpus() throws {
    #expect(try Self.check(Self.postings(in: TestSupport.corpus)) >= 50)
  }

  @Test(
    "the shared real postings classify, explain and mask as with Strings",
    .enabled(if: TestSupport.sharedData != nil, "needs ../shared/data beside the package"))
  func sharedPostings() throws {
    let data = try #require(TestSupport.sharedData)
    #expect(try Self.check(Self.postings(in: data.appendingPathComponent("postings"))) >= 500)
  }

  @Test("postings with acronyms in title and body, in several spellings, read as with Strings")
  func acronyms() throws {
    let bodies = [
      "As TPM you work with the PMO. The TPM owns the program roadmap; tpm means technical program manager here.",
      "Our PM leads product discovery, A/B testing and the product roadmap. PM, QA and ML teams.",
      "The SRE and DevOps teams, the BA and the PO: stakeholder management, sprint planning, budgets.",
    ]
    let postings = bodies.flatMap { body in
      ["TPM", "Senior PM", "Technical Project Manager (TPM)", ""].map {
        Classify.posting($0, [(.responsibilities, body), (.requirements, body.uppercased())])
      }
    }
    #expect(try Self.check(postings) == 12)
  }
}
