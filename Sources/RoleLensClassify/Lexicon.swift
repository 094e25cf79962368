import RoleLensIngest
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
    public var weight: Double
  }

  /// A title pattern: token groups separated by wildcards, each wildcard standing for up to two
  /// words ("lead * engineer" matches "lead engineer" and "lead software engineer").
  public struct TitlePattern: Sendable, Hashable {
    public var text: String
    public var segments: [[String]]
    public var weight: Double
  }

  /// What the lexicon says about one role.
  public struct RoleEntry: Sendable {
    public var role: Role
    public var name: String
    public var titles: [TitlePattern]
    public var phrases: [Phrase]
    public var negative: [Phrase]
  }

  /// One reading of an acronym and the cue phrases that argue for it.
  public struct AcronymReading: Sendable, Hashable {
    public var expansion: [String]
    public var cues: [[String]]
  }

  /// A skill category: a name and the phrases that mention it.
  public struct SkillCategory: Sendable, Hashable {
    public var id: String
    public var name: String
    public var phrases: [Phrase]
  }

  /// The scorer's constants; see the lexicon file's comments and the README.
  public struct Scoring: Sendable, Hashable {
    public var titleWeight = 10.0
    public var bodyMax = 8.0
    public var bodyHalf = 6.0
    public var threshold = 3.0
    public var bm25K1 = 1.2
    public var bm25B = 0.5
    public var averageLength = 400.0
    public var temperature = 2.0
    public var reviewConfidence = 0.5
    public var reviewMargin = 0.1
  }

  public var scoring = Scoring()
  /// Weight of body evidence per section kind.
  public var sectionWeights: [SectionKind: Double]
  /// One entry per role, in `Role.allCases` order.
  public var roles: [RoleEntry]
  /// Acronym (lowercased token) to its readings, most likely first.
  public var acronyms: [String: [AcronymReading]]
  public var skills: [SkillCategory]
  /// A hash of the lexicon's source text, for reports (FNV-1a 64, hex).
  public var sourceHash: String

  /// The entry for `role`.
  public func entry(_ role: Role) -> RoleEntry { roles[role.index] }
}

// MARK: - Hashing

extension Lexicon {
  /// FNV-1a 64-bit hash of `text`, as 16 hex digits: stable across runs and platforms.
  package static func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
