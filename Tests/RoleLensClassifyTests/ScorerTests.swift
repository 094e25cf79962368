import Foundation
import RoleLensIngest
import RoleLensText
import Testing
import _RoleLensTestSupport

@testable import RoleLensClassify

/// The keyword scorer on hand-made postings: the title is the strongest signal, longer title
/// patterns beat the ones they contain, and the verdict comes with honest confidences.
@Suite("Scorer")
struct ScorerTests {
  // MARK: - Title

  @Test(
    "a Technical Project Manager title wins over a product-manager body, with product-manager runner-up"
  )
  func titleIsStrongest() throws {
    let posting = Classify.posting("Technical Project Manager", Classify.productBody)
    let result = try Classify.classify(posting)
    #expect(result.role == .technicalProjectManager)
    #expect(result.runnerUp == .productManager)
    #expect(result.score(.productManager) > result.score(.other))
  }

  @Test("with the title hidden, the same body reads as product-manager")
  func bodyOnlyReadsTheBody() throws {
    let posting = Classify.posting("Technical Project Manager", Classify.productBody)
    let result = try Classify.classify(posting, includeTitle: false)
    #expect(result.role == .productManager)
    #expect(result.score(.technicalProjectManager) < result.score(.productManager))
  }

  @Test("'technical project manager' beats the 'project manager' pattern it contains")
  func longerTitlePatternWins() throws {
    let posting = Classify.posting(
      "Technical Project Manager", [(.general, "Join our Denver office.")])
    let result = try Classify.classify(posting, explain: true)
    #expect(result.role == .technicalProjectManager)
    #expect(result.score(.projectManager) == 0)
    #expect(!result.evidence.contains { $0.role == .projectManager && $0.source == .title })
    #expect(result.evidence.contains { $0.role == .technicalProjectManager && $0.source == .title })
  }

  @Test("a title with no role and a body with no evidence is 'other'")
  func nothingMatchesIsOther() throws {
    let posting = Classify.posting(
      "Barista",
      [
        (
          .responsibilities,
          "Pull espresso shots, steam milk and keep the bar clean during the morning rush."
        )
      ])
    let scorer = try Classify.scorer()
    let result = scorer.classify(TokenizedPosting(posting))
    #expect(result.role == .other)
    #expect(result.score(.other) == scorer.lexicon.scoring.threshold)
    // The learned default lexicon gives common words small weights: no role comes near the
    // threshold.
    #expect(
      Role.allCases.filter { $0 != .other }.allSatisfy { result.score($0) < scorer.lexicon.scoring.threshold / 2 })
  }

  @Test("a job title that names no listed role ('Staff Accountant') is 'other'")
  func otherJobTitle() throws {
    let posting = Classify.posting(
      "Staff Accountant",
      [(.responsibilities, "Prepare month-end journals and reconcile the bank accounts.")])
    #expect(try Classify.classify(posting).role == .other)
  }

  @Test(
    "seniority, level and location noise around a title does not hide the role",
    arguments: [
      "Sr. Technical Project Manager II (Remote) – Platform",
      "Senior Technical Project Manager - Payments (m/f/d)",
      "TECHNICAL PROJECT MANAGER, Cloud Migration [Contract, 6 months]",
      "Technical-Project-Manager",
    ])
  func noisyTitle(title: String) throws {
    let posting = Classify.posting(title, [(.general, "Join our Denver office.")])
    let result = try Classify.classify(posting)
    #expect(result.role == .technicalProjectManager)
    #expect(result.score(.technicalProjectManager) >= 9)
  }

  @Test(
    "the wildcard pattern 'lead * engineer' matches lead titles with up to two words between",
    arguments: [
      "Lead Software Engineer", "Lead Engineer", "Lead Site Reliability Engineer",
      "Lead Front-End Developer",
    ])
  func wildcardTitle(title: String) throws {
    let posting = Classify.posting(title, [(.general, "Join our Denver office.")])
    let result = try Classify.classify(posting, explain: true)
    #expect(result.role == .technicalLead)
    #expect(
      result.evidence.contains {
        $0.role == .technicalLead && $0.source == .title && $0.phrase.contains("*")
      })
  }

  @Test("a lead title that is not an engineering one does not match 'lead * engineer'")
  func wildcardNeedsBothEnds() throws {
    let posting = Classify.posting("Lead Product Designer", [(.general, "Join our Denver office.")])
    let result = try Classify.classify(posting)
    #expect(result.score(.technicalLead) == 0)
    #expect(result.role == .other)
  }

  @Test("the role named first in a two-role title is the main one")
  func firstNamedRoleWins() throws {
    let posting = Classify.posting(
      "Delivery Manager / Product Manager", [(.general, "Join our Denver office.")])
    let result = try Classify.classify(posting)
    #expect(result.role == .deliveryManager)
    #expect(result.runnerUp == .productManager)
  }

  // MARK: - Confidences

  static let assorted: [Posting] = [
    Classify.posting("Technical Project Manager", Classify.productBody),
    Classify.posting("Barista", [(.general, "Pull espresso shots.")]),
    Classify.posting("Product Manager / Project Manager", Classify.productBody),
    Classify.posting("", []),
  ]

  @Test("confidences are a distribution: all between 0 and 1, summing to 1", arguments: assorted)
  func confidencesSumToOne(posting: Posting) throws {
    let result = try Classify.classify(posting)
    #expect(result.confidences.count == Role.allCases.count)
    #expect(result.scores.count == Role.allCases.count)
    #expect(result.confidences.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(abs(result.confidences.reduce(0, +) - 1) < 1e-9)
    #expect(result.confidence == result.confidences.max())
  }

  @Test(
    "the top role has the highest score and the runner-up the second highest", arguments: assorted)
  func topAndRunnerUpFollowScores(posting: Posting) throws {
    let result = try Classify.classify(posting)
    let sorted = result.scores.sorted(by: >)
    #expect(result.score(result.role) == sorted[0])
    #expect(result.score(result.runnerUp) == sorted[1])
    #expect(result.role != result.runnerUp)
  }

  @Test("a clear title with a matching body does not need review")
  func clearVerdictNeedsNoReview() throws {
    let posting = Classify.posting("Product Manager", Classify.productBody)
    let result = try Classify.classify(posting)
    #expect(result.role == .productManager)
    #expect(!result.needsReview)
  }

  @Test("needsReview is set when the runner-up's score is close to the top one")
  func closeScoresNeedReview() throws {
    let scorer = try Classify.scorer()
    var scores = [Double](repeating: 0, count: Role.allCases.count)
    scores[Role.other.index] = 3
    scores[Role.productManager.index] = 10.2
    scores[Role.technicalProductManager.index] = 10.0
    let close = scorer.decide(scores: scores, skills: [], readings: [:], evidence: [])
    #expect(close.role == .productManager)
    #expect(close.runnerUp == .technicalProductManager)
    #expect(close.needsReview)

    scores[Role.technicalProductManager.index] = 4.0
    let clear = scorer.decide(scores: scores, skills: [], readings: [:], evidence: [])
    #expect(!clear.needsReview)
  }

  @Test("a posting with no title and little body evidence needs review")
  func weakEvidenceNeedsReview() throws {
    let posting = Classify.posting(
      "", [(.responsibilities, "Own the product roadmap. Own the project budget.")])
    let result = try Classify.classify(posting)
    #expect(result.needsReview)
  }

  @Test("equal scores go to the role listed first, so results never depend on hashing")
  func tiesGoToTheFirstRole() throws {
    let scorer = try Classify.scorer()
    var scores = [Double](repeating: 0, count: Role.allCases.count)
    scores[Role.engineeringManager.index] = 10
    scores[Role.productManager.index] = 10
    let result = scorer.decide(scores: scores, skills: [], readings: [:], evidence: [])
    #expect(result.role == .productManager)
    #expect(result.runnerUp == .engineeringManager)
  }

  @Test("classifying the same posting twice gives identical results")
  func deterministic() throws {
    let posting = Classify.posting("Technical Project Manager", Classify.productBody)
    let first = try Classify.classify(posting, explain: true)
    let second = try Classify.classify(posting, explain: true)
    #expect(first == second)
  }
}

@Suite("Body-only reading")
struct BodyReadingTests {
  @Test("the body reading given with the classification equals classifying the posting without its title")
  func bodyReadingMatchesTitleless() throws {
    let scorer = Scorer(lexicon: try Lexicon.bundled())
    let reader = PostingReader()
    let walk = try InputWalker().walk([TestSupport.packageRoot.appendingPathComponent("Corpus").path])
    var checked = 0
    for file in walk.files {
      for posting in reader.read(file).postings {
        let tokenized = TokenizedPosting(posting)
        let fast = scorer.classify(tokenized, readingBody: true)
        #expect(fast.bodyRole == scorer.bodyReading(tokenized), "\(posting.path)")
        #expect(fast.classification == scorer.classify(tokenized))
        checked += 1
      }
    }
    #expect(checked >= 50)
  }

  @Test("role names are masked out of bodies, and the next word starts after a break")
  func maskingTitlePhrases() throws {
    let scorer = Scorer(lexicon: try Lexicon.bundled())
    let tokens = Tokenizer().tokens(
      "As Technical Project Manager (TPM) you lead a backend engineer and own the roadmap")
    let masked = scorer.maskingTitlePhrases(tokens).map(\.text)
    #expect(!masked.contains("technical") && !masked.contains("project") && !masked.contains("tpm"))
    #expect(masked.contains("roadmap") && masked.contains("as"))
    // "lead * engineer" is a title pattern with a wildcard: in a body its words stay.
    #expect(masked.contains("lead") && masked.contains("engineer"))
    let after = scorer.maskingTitlePhrases(tokens).first { $0.text == "you" }
    #expect(after?.breakBefore == true)
  }
}
