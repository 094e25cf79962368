import Foundation
import RoleLensIngest
import RoleLensText
import Testing

@testable import RoleLensClassify

/// Body evidence: weighted by the section it is in, saturating with repetition, normalised for
/// length, and explainable.
@Suite("Body evidence")
struct BodyEvidenceTests {
  static let roadmapLine = "You will own the product roadmap for our billing platform."

  /// The product-manager score of a title-less posting holding `roadmapLine` in a `kind` section.
  static func productScore(in kind: SectionKind) throws -> Double {
    let posting = Classify.posting("", [(kind, roadmapLine)])
    return try Classify.classify(posting, includeTitle: false).score(.productManager)
  }

  @Test(
    "a phrase in about-us, benefits or legal text adds nothing",
    arguments: [SectionKind.about, .benefits, .legal])
  func nonEvidenceSections(kind: SectionKind) throws {
    #expect(try Self.productScore(in: kind) == 0)
  }

  @Test("the same phrase in Responsibilities raises the role's score")
  func responsibilitiesCount() throws {
    let about = try Self.productScore(in: .about)
    let responsibilities = try Self.productScore(in: .responsibilities)
    #expect(responsibilities > about)
    #expect(responsibilities > 0)
  }

  @Test(
    "sections count in order: responsibilities > requirements > untitled > nice-to-have > about")
  func sectionOrder() throws {
    let scores = try [SectionKind.responsibilities, .requirements, .general, .niceToHave, .about]
      .map(Self.productScore)
    #expect(scores == scores.sorted(by: >))
    #expect(Set(scores).count == scores.count)
  }

  @Test("an about-us section does not change the scores of a posting at all")
  func aboutSectionIsInert() throws {
    let body = Classify.productBody
    let without = try Classify.classify(Classify.posting("Product Manager", body))
    let with = try Classify.classify(
      Classify.posting(
        "Product Manager",
        body + [
          (
            .about,
            "Founded in 2009, we have built a product roadmap culture, with customer interviews and A/B testing everywhere."
          )
        ]))
    #expect(with.scores == without.scores)
  }

  /// The evidence contribution of "product roadmap" for product-manager.
  static func roadmapContribution(_ text: String) throws -> Double {
    let posting = Classify.posting("", [(.responsibilities, text)])
    let result = try Classify.classify(posting, includeTitle: false, explain: true)
    let item = try #require(
      result.evidence.first { $0.role == .productManager && $0.phrase == "product roadmap" })
    return item.contribution
  }

  @Test("repetition saturates: ten mentions score more than one but far less than ten times one")
  func repetitionSaturates() throws {
    // Same length, so only the repetition differs.
    let once =
      "We own the product roadmap. " + String(repeating: "We visit the office kitchen. ", count: 9)
    let tenTimes = String(repeating: "We own the product roadmap. ", count: 10)
    #expect(Tokenizer().tokens(once).count == Tokenizer().tokens(tenTimes).count)
    let one = try Self.roadmapContribution(once)
    let ten = try Self.roadmapContribution(tenTimes)
    #expect(ten > one)
    #expect(ten < 10 * one)
  }

  @Test("a phrase counts less in a long posting than in a short one")
  func lengthNormalisation() throws {
    let short = "We own the product roadmap."
    let long =
      short
      + String(
        repeating: " We visit the office kitchen and meet in the garden on Fridays.", count: 100)
    #expect(try Self.roadmapContribution(long) < Self.roadmapContribution(short))
  }

  @Test("body evidence alone never outweighs a title")
  func bodyNeverOutweighsTitle() throws {
    let body = String(
      repeating: Classify.productBody.map(\.1).joined(separator: "\n") + "\n", count: 20)
    let result = try Classify.classify(
      Classify.posting("Engineering Manager", [(.responsibilities, body)]))
    #expect(result.role == .engineeringManager)
    #expect(result.score(.productManager) < (try Classify.scorer().lexicon.scoring.titleWeight))
  }

  // MARK: - Explanations

  @Test(
    "explain fills evidence with the title pattern and body phrases, each with its section kind")
  func explainEvidence() throws {
    let posting = Classify.posting(
      "Product Manager",
      [
        (.responsibilities, "Own the product roadmap for the mobile app."),
        (.requirements, "You have run customer interviews yourself."),
        (.about, "We ran product discovery for a decade."),
      ])
    let result = try Classify.classify(posting, explain: true)
    let productEvidence = result.evidence.filter { $0.role == .productManager }
    #expect(
      productEvidence.contains {
        $0.source == .title && $0.phrase == "product manager" && $0.contribution > 0
      })
    #expect(
      productEvidence.contains {
        $0.source == .body(.responsibilities) && $0.phrase == "product roadmap"
      })
    #expect(
      productEvidence.contains {
        $0.source == .body(.requirements) && $0.phrase == "customer interviews"
      })
    #expect(!result.evidence.contains { $0.phrase == "product discovery" })
    #expect(productEvidence.allSatisfy { $0.weight > 0 })
  }

  @Test("the title evidence carries the title score of its role")
  func titleEvidenceIsTheTitleScore() throws {
    let posting = Classify.posting("Product Manager", [(.about, "We are a small team in Porto.")])
    let result = try Classify.classify(posting, explain: true)
    let title = try #require(
      result.evidence.first { $0.role == .productManager && $0.source == .title })
    #expect(title.contribution == result.score(.productManager))
  }

  @Test("without explain, no evidence is collected")
  func noExplainNoEvidence() throws {
    let posting = Classify.posting("Product Manager", Classify.productBody)
    #expect(try Classify.classify(posting).evidence.isEmpty)
  }

  @Test("explaining does not change the scores")
  func explainDoesNotChangeScores() throws {
    let posting = Classify.posting("Technical Project Manager", Classify.productBody)
    let plain = try Classify.classify(posting)
    let explained = try Classify.classify(posting, explain: true)
    #expect(plain.scores == explained.scores)
    #expect(plain.role == explained.role)
  }
}
