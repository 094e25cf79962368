import RoleLensClassify

/// Writes and prints `eval` results: eval.csv, confusion.csv and a table for the terminal.
package struct EvaluationWriter: Sendable {
  /// Whether text cells get the formula guard (`--no-formula-guard`); eval.csv and
  /// confusion.csv hold only role ids, which never start with a formula character.
  package var formulaGuard: Bool

  package init(formulaGuard: Bool = true) {
    self.formulaGuard = formulaGuard
  }

  /// `eval.csv`: one row per role with enough support, then a `macro` row (macro-F1 in `f1`,
  /// accuracy in `precision` is not mixed in: it has its own row).
  package func evalCSV(_ evaluation: Evaluation) -> String {
    var csv = CSVWriter(
      header: ["role", "precision", "recall", "f1", "support", "predicted"], formulaGuard: formulaGuard)
    for scores in evaluation.roles {
      csv.appendRow([
        .text(scores.role.rawValue), .number(scores.precision), .number(scores.recall), .number(scores.f1),
        .integer(scores.support), .integer(scores.predicted),
      ])
    }
    csv.appendRow([
      .text("macro"), .empty, .empty, .number(evaluation.macroF1),
      .integer(evaluation.roles.reduce(0) { $0 + $1.support }), .empty,
    ])
    csv.appendRow([.text("accuracy"), .empty, .empty, .number(evaluation.accuracy), .integer(evaluation.count), .empty])
    return csv.output
  }

  /// `confusion.csv`: one row per labelled role (`gold`), one column per predicted role.
  package func confusionCSV(_ evaluation: Evaluation) -> String {
    var csv = CSVWriter(header: ["gold"] + Role.ids, formulaGuard: formulaGuard)
    for role in Role.allCases {
      csv.appendRow([.text(role.rawValue)] + evaluation.confusion[role.index].map { .integer($0) })
    }
    return csv.output
  }

  /// Writes both files into `folder`.
  package func write(_ evaluation: Evaluation, to folder: String) throws {
    try AtomicFile.prepareFolder(folder)
    let base = folder.hasSuffix("/") ? folder : folder + "/"
    try AtomicFile.write(evalCSV(evaluation), to: base + "eval.csv")
    try AtomicFile.write(confusionCSV(evaluation), to: base + "confusion.csv")
  }

  /// The table printed by `eval`: per-role scores, macro-F1, accuracy and the confusion matrix
  /// (rows: labels; columns: predictions, abbreviated).
  package func text(_ evaluation: Evaluation, unmatched: [String], unlabelled: Int) -> String {
    var lines: [String] = []
    lines.append(Summary.pad("role", 28) + "precision  recall      F1  support")
    for scores in evaluation.roles {
      lines.append(
        Summary.pad(scores.role.rawValue, 28) + Summary.leftPad(CSVWriter.format(scores.precision, decimals: 3), 9)
          + Summary.leftPad(CSVWriter.format(scores.recall, decimals: 3), 8)
          + Summary.leftPad(CSVWriter.format(scores.f1, decimals: 3), 8) + Summary.leftPad(String(scores.support), 9))
    }
    lines.append("")
    lines.append(
      "macro-F1 \(CSVWriter.format(evaluation.macroF1, decimals: 3)) over \(evaluation.roles.count) roles with at least \(evaluation.minimumSupport) labelled postings; accuracy \(CSVWriter.format(evaluation.accuracy, decimals: 3)) on \(evaluation.count) postings"
    )
    if !unmatched.isEmpty {
      lines.append(
        "\(unmatched.count) labelled files not found among the postings (skipped or missing), e.g. \(unmatched.prefix(3).map(TerminalText.line).joined(separator: ", "))"
      )
    }
    if unlabelled > 0 { lines.append("\(unlabelled) postings without a label were ignored") }
    lines.append("")
    lines.append("confusion (rows: label, columns: predicted)")
    let short = Role.allCases.map { Self.abbreviation($0) }
    lines.append(Summary.pad("", 28) + short.map { Summary.leftPad($0, 6) }.joined())
    for role in Role.allCases where evaluation.confusion[role.index].reduce(0, +) > 0 {
      lines.append(
        Summary.pad(role.rawValue, 28)
          + evaluation.confusion[role.index].map { Summary.leftPad(String($0), 6) }.joined())
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func abbreviation(_ role: Role) -> String {
    switch role {
    case .technicalProjectManager: return "TPjM"
    case .productManager: return "PdM"
    case .projectManager: return "PjM"
    case .technicalProgramManager: return "TPgM"
    case .programManager: return "PgM"
    case .technicalProductManager: return "TPdM"
    case .deliveryManager: return "DM"
    case .technicalLead: return "TL"
    case .engineeringManager: return "EM"
    case .other: return "other"
    }
  }
}
