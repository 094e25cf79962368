import RoleLensIngest
import RoleLensStorage
import RoleLensText

/// The keyword scorer's knowledge: title patterns and weighted body phrases per role, acronym
/// readings, skill categories, section weights and scoring constants. Loaded from a YAML file
/// (the default ships as a resource; see `Lexicon+Loading.swift`).
public struct Lexicon: Sendable {
  /// A phrase as token sequence with its weight.
  public struct Phrase: Sendable, Hashable {
    /// The phrase as written in the lexicon.
    public var text: String
    /// The phrase tokenised like posting text.
    public var tokens: [String]
    /// How much one match counts, before section weights and saturation: added to its role's
    /// raw evidence (subtracted for a negative phrase); greater than 0, and 1 for skill phrases.
    public var weight: Double

    /// A phrase of `text`, matched as `tokens` (the tokenizer's reading of `text`).
    public init(text: String, tokens: [String], weight: Double) {
      self.text = text
      self.tokens = tokens
      self.weight = weight
    }
  }

  /// A title pattern: token groups separated by wildcards, each wildcard standing for up to two
  /// words ("lead * engineer" matches "lead engineer" and "lead software engineer").
  public struct TitlePattern: Sendable, Hashable {
    /// The pattern as written in the lexicon (`lead * engineer`).
    public var text: String
    /// The tokenised word groups between the wildcards, in order; none is empty.
    public var segments: [[String]]
    /// The factor applied to `Scoring.titleWeight` when the pattern matches; greater than 0,
    /// and 1 unless the lexicon gives one.
    public var weight: Double
  }

  /// What the lexicon says about one role.
  public struct RoleEntry: Sendable {
    /// The role described.
    public var role: Role
    /// The role's display name ("Technical Project Manager"); its id when the lexicon gives none.
    public var name: String
    /// The title patterns that name the role.
    public var titles: [TitlePattern]
    /// The body phrases that count as evidence for the role.
    public var phrases: [Phrase]
    /// The body phrases whose weighted counts are subtracted from the role's evidence.
    public var negative: [Phrase]
  }

  /// One reading of an acronym and the cue phrases that argue for it.
  public struct AcronymReading: Sendable, Hashable {
    /// The tokens the acronym stands for in this reading (`technical program manager`).
    public var expansion: [String]
    /// Tokenised cue phrases: the reading whose cues occur most often in the posting wins (the
    /// first reading on a tie).
    public var cues: [[String]]
  }

  /// A skill category: a name and the phrases that mention it.
  public struct SkillCategory: Sendable, Hashable {
    /// The category's id, as written in `skills.csv` (`roadmap-strategy`).
    public var id: String
    /// The category's display name ("Roadmap & strategy"); its id when the lexicon gives none.
    public var name: String
    /// The phrases that mention the category (each of weight 1).
    public var phrases: [Phrase]
  }

  /// The scorer's constants; see the lexicon file's comments and the README.
  public struct Scoring: Sendable, Hashable {
    /// Score of a title pattern match, times the pattern's weight (`title_weight`).
    public var titleWeight = 10.0
    /// The score body evidence saturates towards: a body score lies in 0..<`bodyMax`
    /// (`body_max`).
    public var bodyMax = 8.0
    /// The raw body evidence at which the body score reaches half of `bodyMax`; greater than 0
    /// (`body_half`).
    public var bodyHalf = 6.0
    /// The score a role needs to count (see `Scorer.scoresAs`), and the base score of `other`
    /// (`threshold`).
    public var threshold = 3.0
    /// BM25 k1: how quickly repeated phrases saturate; greater than 0 (`bm25_k1`).
    public var bm25K1 = 1.2
    /// BM25 b: how strongly counts are normalised for body length, from 0 (not at all) to 1
    /// (`bm25_b`).
    public var bm25B = 0.5
    /// Body tokens of a typical posting, BM25's average document length; greater than 0
    /// (`average_length`).
    public var averageLength = 400.0
    /// Softmax temperature turning scores into confidences; greater than 0 (`temperature`).
    public var temperature = 2.0
    /// A top confidence below this sets `Classification.needsReview` (`review_confidence`).
    public var reviewConfidence = 0.5
    /// A top confidence within this of the runner-up's sets `Classification.needsReview`
    /// (`review_margin`).
    public var reviewMargin = 0.1
  }

  /// The scorer's constants (the lexicon file's `scoring:` section).
  public var scoring = Scoring()
  /// Weight of body evidence per section kind.
  public var sectionWeights: [SectionKind: Double]
  /// One entry per role, in `Role.allCases` order.
  public var roles: [RoleEntry]
  /// Acronym (lowercased token) to its readings, most likely first.
  public var acronyms: [String: [AcronymReading]]
  /// The skill categories, in file order; `Classification.skills` indexes into this.
  public var skills: [SkillCategory]
  /// A hash of the lexicon's source text, for reports (FNV-1a 64, hex).
  public var sourceHash: String
  /// The lexicon's YAML as it was read (a shard's partial file carries it to `merge`).
  package var source = ""

  /// The entry for `role`.
  public func entry(_ role: Role) -> RoleEntry { roles[role.index] }
}

// MARK: - Hashing

extension Lexicon {
  /// FNV-1a 64-bit hash of `text`, as 16 hex digits: stable across runs and platforms.
  package static func fnv1a(_ text: String) -> String {
    FNV1a.hex(FNV1a.hash(text.utf8))
  }
}
