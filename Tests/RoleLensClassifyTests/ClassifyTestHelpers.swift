import Foundation
import RoleLensIngest
import Testing
import _RoleLensTestSupport

@testable import RoleLensClassify

/// Hand-made postings and the bundled scorer, for the classification tests.
enum Classify {
  /// A posting with the given title and sections (kind, text).
  static func posting(_ title: String, _ sections: [(SectionKind, String)]) -> Posting {
    Posting(
      id: "hand-made", path: "hand-made.txt", format: .text, title: title,
      sections: sections.map { PostingSection(heading: "", kind: $0.0, text: $0.1) })
  }

  /// The scorer with the lexicon that ships with rolelens.
  static func scorer() throws -> Scorer {
    Scorer(lexicon: try Lexicon.bundled())
  }

  /// Classifies `posting` with the bundled lexicon.
  static func classify(_ posting: Posting, includeTitle: Bool = true, explain: Bool = false) throws
    -> Classification
  {
    try scorer().classify(TokenizedPosting(posting, includeTitle: includeTitle), explain: explain)
  }

  /// A posting body about product management, with no project-management words.
  static let productBody: [(SectionKind, String)] = [
    (
      .responsibilities,
      """
      Own the product roadmap for our invoicing app and decide what the team builds next.
      Run customer interviews and user research every sprint, and turn customer feedback into clear problem statements.
      Define product metrics and run A/B testing with the analytics team.
      Lead product discovery with designers and write product requirements for each feature.
      """
    ),
    (
      .requirements,
      """
      Four years of product management on B2B SaaS.
      Strong prioritization and go-to-market experience, and a feel for pricing.
      """
    ),
  ]
}
