/// Classification quality against labels: per-role precision, recall, F1 and support, macro-F1
/// over the roles with enough support, accuracy, and the confusion matrix.
public struct Evaluation: Sendable, Hashable {
  /// Scores of one role.
  public struct RoleScores: Sendable, Hashable {
    /// The role scored.
    public var role: Role
    /// Share of the postings predicted as `role` that are labelled `role`, in 0...1 (0 when the
    /// role is never predicted).
    public var precision: Double
    /// Share of the postings labelled `role` that are predicted as `role`, in 0...1.
    public var recall: Double
    /// Harmonic mean of `precision` and `recall`, in 0...1 (0 when both are 0).
    public var f1: Double
    /// Labelled postings of this role.
    public var support: Int
    /// Postings predicted as this role.
    public var predicted: Int
  }

  /// Roles with at least `minimumSupport` labelled postings, in `Role.allCases` order.
  public var roles: [RoleScores]
  /// Mean F1 over `roles`.
  public var macroF1: Double
  /// Share of all compared postings predicted as their label, in 0...1 (0 when there are none).
  public var accuracy: Double
  /// `confusion[gold][predicted]` counts, indexed by `Role.index`.
  public var confusion: [[Int]]
  /// Labelled postings compared.
  public var count: Int
  /// Labelled postings a role needs to be listed in `roles` and counted in `macroF1`.
  public var minimumSupport: Int

  /// Evaluates (gold, predicted) pairs. Precision is 0 for a role never predicted, recall 0 for
  /// a role never labelled, and F1 0 when both are 0 (the conventions of the project's scoring
  /// script).
  public init(pairs: [(gold: Role, predicted: Role)], minimumSupport: Int = 3) {
    let n = Role.allCases.count
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
    for (gold, predicted) in pairs { confusion[gold.index][predicted.index] += 1 }
    var roles: [RoleScores] = []
    for role in Role.allCases {
      let i = role.index
      let support = confusion[i].reduce(0, +)
      guard support >= minimumSupport, support > 0 else { continue }
      let truePositives = confusion[i][i]
      let predicted = confusion.reduce(0) { $0 + $1[i] }
      let precision = predicted == 0 ? 0 : Double(truePositives) / Double(predicted)
      let recall = Double(truePositives) / Double(support)
      let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
      roles.append(
        RoleScores(role: role, precision: precision, recall: recall, f1: f1, support: support, predicted: predicted))
    }
    self.roles = roles
    macroF1 = roles.isEmpty ? 0 : roles.map(\.f1).reduce(0, +) / Double(roles.count)
    let correct = Role.allCases.reduce(0) { $0 + confusion[$1.index][$1.index] }
    accuracy = pairs.isEmpty ? 0 : Double(correct) / Double(pairs.count)
    self.confusion = confusion
    count = pairs.count
    self.minimumSupport = minimumSupport
  }
}
