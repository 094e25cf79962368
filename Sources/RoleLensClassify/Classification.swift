import RoleLensIngest

/// The scorer's verdict on one posting.
public struct Classification: Sendable, Hashable {
  /// Score of every role, indexed by `Role.index`.
  public var scores: [Double]
  /// Softmax confidence of every role, indexed by `Role.index`; they sum to 1.
  public var confidences: [Double]
  public var role: Role
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

  public var confidence: Double { confidences[role.index] }
  public func score(_ role: Role) -> Double { scores[role.index] }
}

/// One piece of evidence for a role's score.
public struct Evidence: Sendable, Hashable {
  public enum Source: Sendable, Hashable {
    case title
    case body(SectionKind)
    case negative(SectionKind)
  }

  public var role: Role
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
