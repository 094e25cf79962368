import Foundation
import RoleLensClassify

extension LexiconLearner {
  /// The training facts written at the top of the learned lexicon.
  static func facts(
    counts: [Role: Int], leftOut: Int, clusters: Int, learned: Evaluation, handWritten: Evaluation, options: Options
  ) -> [String] {
    let perRole = Role.allCases.compactMap { role in counts[role].map { "\(role.rawValue) \($0)" } }
    func f(_ value: Double) -> String { String(format: "%.3f", value) }
    return [
      "Learned by `rolelens lexicon learn` from the bodies of title-labelled postings (distant",
      "supervision: titles are the labels, and titles are noisy labels).",
      "Postings per title label: \(perRole.joined(separator: ", ")); \(leftOut) left out (no confident title label); \(clusters) clusters.",
      "Model: the scorer's own class scores (phrase weights times BM25-saturated counts; other fixed at the threshold) fitted as a multinomial logistic regression to the title labels, clusters weighing one, the L2 penalty (\(options.penalty)) pulling towards the base lexicon's weights; \(options.epochs) epochs, seed \(options.seed).",
      "Kept: up to \(options.phrasesPerRole) phrases and \(options.negativePerRole) negative phrases per role, and the base lexicon's phrases of 3+ words.",
      "Cross-validated body-only macro-F1 (\(options.folds) folds of whole clusters): learned \(f(learned.macroF1)), base lexicon on the same folds \(f(handWritten.macroF1)); accuracy \(f(learned.accuracy)) vs \(f(handWritten.accuracy)).",
      "Titles, scoring, section weights, acronyms and skills are the base lexicon's.",
      "Learned on \(options.date ?? Self.today()).",
    ]
  }

  /// The base lexicon's YAML with each learned role's `phrases:` and `negative:` blocks
  /// replaced by `lexicon`'s, and the training facts as a comment block at the top.
  static func yaml(base: Lexicon, source: String, lexicon: Lexicon, facts: [String]) -> String {
    var output: [String] = facts.map { "# " + $0 }
    output.append("#")
    var lines = source.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    var inRoles = false
    var role: Role?
    var skipping = false
    // Roles the model did not change keep their blocks as written.
    let changed = Set(
      Role.allCases.filter {
        lexicon.entry($0).phrases != base.entry($0).phrases || lexicon.entry($0).negative != base.entry($0).negative
      })
    func flushRole() {
      guard let current = role, changed.contains(current) else { return }
      let entry = lexicon.entry(current)
      output.append(entry.phrases.isEmpty ? "    phrases: {}" : "    phrases:")
      for phrase in entry.phrases { output.append("      \(quoted(phrase.text)): \(weight(phrase.weight))") }
      if !entry.negative.isEmpty {
        output.append("    negative:")
        for phrase in entry.negative { output.append("      \(quoted(phrase.text)): \(weight(phrase.weight))") }
      }
    }
    for line in lines {
      let indent = line.prefix { $0 == " " }.count
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if indent == 0 && !trimmed.isEmpty && !trimmed.hasPrefix("#") {
        if inRoles {
          flushRole()
          role = nil
        }
        inRoles = trimmed == "roles:"
        skipping = false
        output.append(line)
        continue
      }
      if inRoles && indent == 2 && trimmed.hasSuffix(":") && !trimmed.hasPrefix("#") {
        flushRole()
        role = Role(rawValue: String(trimmed.dropLast()))
        skipping = false
        output.append(line)
        continue
      }
      if let current = role, indent == 4, !trimmed.hasPrefix("#") {
        let key = trimmed.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        skipping = changed.contains(current) && (key == "phrases" || key == "negative")
        if skipping { continue }
      }
      if skipping && (indent >= 6 || trimmed.isEmpty || trimmed.hasPrefix("#")) {
        if trimmed.isEmpty { skipping = false } else { continue }
      }
      output.append(line)
    }
    if inRoles { flushRole() }
    return output.joined(separator: "\n") + "\n"
  }

  /// Today's date (UTC), ISO 8601.
  static func today() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    return formatter.string(from: Date())
  }

  /// A YAML double-quoted scalar.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      default:
        if scalar.value < 0x20 {
          result += String(format: "\\x%02X", scalar.value)
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  static func weight(_ value: Double) -> String { String(format: "%.3f", value) }
}
