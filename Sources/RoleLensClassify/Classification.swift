import RoleLensIngest

/// The scorer's verdict on one posting.
public struct Classification: Sendable, Hashable {
  /// Score of every role, indexed by `Role.index`.
  public var scores: [Double]
  /// Softmax confidence of every role, indexed by `Role.index`; they sum to 1.
  public var confidences: [Double]
  /// The top-scoring role; a tie goes to the role listed first in `Role.allCases`.
  public var role: Role
  /// The second-ranked role, ranked the same way as `role`.
  public var runnerUp: Role
  /// True when the top confidence is weak or close to the runner-up's (see the lexicon's
  /// `review_confidence` and `review_margin`).
  public var needsReview: Bool
  /// Skill categories mentioned in evidence-bearing sections, by index into `Lexicon.skills`.
  public var skills: [Int]
  /// Acronyms read in context, e.g. `tpm` -> "technical program manager".
  public var acronymReadings: [String: String]
  /// The evidence behind the scores; filled only when explanations are requested.
  public var evidence: [Evidence]

  /// The confidence of `role`, in 0...1.
  public var confidence: Double { confidences[role.index] }
  /// The score of `role` (title plus saturated body evidence; see `Scorer`).
  public func score(_ role: Role) -> Double { scores[role.index] }
}

/// One piece of evidence for a role's score.
public struct Evidence: Sendable, Hashable {
  /// Where a piece of evidence was found.
  public enum Source: Sendable, Hashable {
    /// A title pattern matched the posting's title.
    case title
    /// A body phrase matched in a section of this kind.
    case body(SectionKind)
    /// A negative phrase matched in a section of this kind; its contribution is subtracted.
    case negative(SectionKind)
  }

  /// The role whose score the evidence counts towards.
  public var role: Role
  /// Where the evidence was found.
  public var source: Source
  /// The lexicon pattern or phrase that matched.
  public var phrase: String
  /// How often it matched (for body phrases; weighted by section, before saturation).
  public var count: Double
  /// The lexicon weight.
  public var weight: Double
  /// What it added to the role's raw score (title: to the score itself).
  public var contribution: Double
}

extension Classification {
  /// A classification from its parts, as a run's partial file holds them (`merge`).
  package init(
    scores: [Double], confidences: [Double], role: Role, runnerUp: Role, needsReview: Bool, skills: [Int],
    acronymReadings: [String: String]
  ) {
    self.init(
      scores: scores, confidences: confidences, role: role, runnerUp: runnerUp, needsReview: needsReview,
      skills: skills, acronymReadings: acronymReadings, evidence: [])
  }
}
