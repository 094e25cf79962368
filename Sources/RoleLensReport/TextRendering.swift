import Foundation
import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap

/// The short human summary `analyze` prints on stdout.
package enum Summary {
  package static func text(_ report: AnalysisReport, out: String) -> String {
    var lines: [String] = []
    let overlap = report.overlap
    lines.append(
      "\(report.postings.count) postings from \(report.run.inputFiles) inputs; \(report.skipped.count) skipped; "
        + "\(report.postings.duplicates) duplicates\(report.run.includeDuplicates ? " (included)" : " (left out of the overlap)")"
    )
    lines.append("")
    lines.append("Postings per role:")
    for role in Role.allCases {
      let count = report.postings.count(of: role)
      guard count > 0 else { continue }
      lines.append("  " + pad(role.rawValue, 28) + leftPad(String(count), 6))
    }
    let (a, b) = (overlap.options.roleA, overlap.options.roleB)
    lines.append("")
    lines.append(
      "\(a.rawValue) (n=\(overlap.postings(a)), \(overlap.clusterCount(a)) clusters) vs \(b.rawValue) (n=\(overlap.postings(b)), \(overlap.clusterCount(b)) clusters):"
    )
    lines.append("  " + Verdict(overlap: overlap, name: report.displayName).sentence)
    if overlap.figures.allSatisfy({ $0.value == nil }) {
      // One line, not one per figure: they would all say the same.
      lines.append("  no figures: " + (overlap.figures.first?.note ?? "no postings of the pair"))
    } else {
      for figure in overlap.figures {
        var line = "  " + pad(figure.metric, 28)
        if let value = figure.value {
          line += leftPad(CSVWriter.format(value, decimals: 3), 7)
          if let low = figure.ciLow, let high = figure.ciHigh {
            line += "  [95% CI \(CSVWriter.format(low, decimals: 3)), \(CSVWriter.format(high, decimals: 3))]"
          }
          if let p = figure.pValue { line += "  p=\(CSVWriter.format(p, decimals: 4))" }
        } else {
          line +=
            "      -  (\(figure.note.split(separator: ";").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""))"
        }
        lines.append(line)
      }
    }
    let topA = overlap.distinctive(a, limit: 8).map(\.term)
    let topB = overlap.distinctive(b, limit: 8).map(\.term)
    if !topA.isEmpty { lines.append("  distinctive of \(a.rawValue) (q < 0.05): " + topA.joined(separator: ", ")) }
    if !topB.isEmpty { lines.append("  distinctive of \(b.rawValue) (q < 0.05): " + topB.joined(separator: ", ")) }
    let core = overlap.sharedCore(limit: 8).map(\.term)
    if !core.isEmpty { lines.append("  shared core: " + core.joined(separator: ", ")) }
    let o = overlap.options
    lines.append(
      "  (clusters resampled: \(o.replicates) bootstrap replicates, \(o.permutations) permutations, seed \(report.run.seed))"
    )
    if let grouped = overlap.grouped { lines += groupLines(grouped, a: a, b: b) }
    lines.append("")
    lines.append("Reports written to \(out)/")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The per-group overlap index as a short table (at most 20 groups; the rest are in
  /// overlap_by_group.csv), and the trend for periods.
  static func groupLines(_ grouped: GroupedOverlap, a: Role, b: Role) -> [String] {
    var lines = ["", "By \(grouped.key.name) (overlap_by_group.csv, \(grouped.groups.count) groups):"]
    lines.append("  " + pad("group", 22) + leftPad("n_a", 6) + leftPad("n_b", 7) + "  overlap_index")
    let limit = 20
    for group in grouped.groups.prefix(limit) {
      var line =
        "  " + pad(TerminalText.line(group.group), 22) + leftPad(String(group.postings(a)), 6)
        + leftPad(String(group.postings(b)), 7) + "  "
      if let index = group.figure("overlap_index"), let value = index.value {
        line += CSVWriter.format(value, decimals: 3)
        if let low = index.ciLow, let high = index.ciHigh {
          line += " [\(CSVWriter.format(low, decimals: 3)), \(CSVWriter.format(high, decimals: 3))]"
        }
      } else {
        line += "-"
      }
      if group.isInsufficient { line += "  insufficient" }
      lines.append(line)
    }
    if grouped.groups.count > limit { lines.append("  … \(grouped.groups.count - limit) more in overlap_by_group.csv") }
    if let trend = grouped.trend {
      if let value = trend.value {
        var line = "  trend_per_year " + (value >= 0 ? "+" : "") + CSVWriter.format(value, decimals: 4)
        if let low = trend.ciLow, let high = trend.ciHigh {
          line += "  [95% CI \(CSVWriter.format(low, decimals: 4)), \(CSVWriter.format(high, decimals: 4))]"
        }
        if let p = trend.pValue { line += "  p=\(CSVWriter.format(p, decimals: 4))" }
        lines.append(line + "  (over \(grouped.trendGroups.count) groups)")
      } else {
        lines.append("  trend_per_year -  (\(trend.note))")
      }
    }
    return lines
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  static func leftPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }
}

/// How `classify` shows a classification.
package enum ClassificationText {
  /// One tab-separated line: path (with row), role, confidence, runner-up, review flag.
  package static func line(_ posting: Posting, _ c: Classification) -> String {
    let path = TerminalText.line(posting.row.map { "\(posting.path)#\($0)" } ?? posting.path)
    return [
      path, c.role.rawValue, CSVWriter.format(c.confidence, decimals: 3), "runner-up " + c.runnerUp.rawValue,
      c.needsReview ? "needs review" : "",
    ].filter { !$0.isEmpty }.joined(separator: "\t")
  }

  /// The evidence behind each role's score, strongest roles first.
  package static func explanation(_ c: Classification) -> String {
    var lines: [String] = []
    if !c.acronymReadings.isEmpty {
      lines.append(
        "  acronyms: "
          + c.acronymReadings.sorted { $0.key < $1.key }.map { "\($0.key.uppercased()) = \($0.value)" }.joined(
            separator: ", "))
    }
    let ranked = Role.allCases.sorted { c.score($0) != c.score($1) ? c.score($0) > c.score($1) : $0 < $1 }
    for role in ranked {
      let evidence = c.evidence.filter { $0.role == role }.sorted { abs($0.contribution) > abs($1.contribution) }
      guard !evidence.isEmpty || role == .other || role == c.role else { continue }
      lines.append(
        "  \(role.rawValue): score \(CSVWriter.format(c.score(role), decimals: 2)), confidence \(CSVWriter.format(c.confidences[role.index], decimals: 3))"
      )
      if role == .other { lines.append("    base score (classification threshold)") }
      for item in evidence {
        let source: String
        switch item.source {
        case .title: source = "title"
        case .body(let kind): source = kind.rawValue
        case .negative(let kind): source = "negative, \(kind.rawValue)"
        }
        lines.append(
          "    \(CSVWriter.format(item.contribution, decimals: 2))  \"\(item.phrase)\" (\(source); weight \(CSVWriter.format(item.weight, decimals: 1)), count \(CSVWriter.format(item.count, decimals: 1)))"
        )
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A JSON object for `classify --json`.
  package static func json(_ posting: Posting, _ c: Classification, explain: Bool) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("path", .string(posting.path)),
      ("row", posting.row.map { .integer($0) } ?? .null),
      ("title", .string(posting.title)),
      ("role", .string(c.role.rawValue)),
      ("confidence", .number(c.confidence, decimals: 4)),
      ("runner_up", .string(c.runnerUp.rawValue)),
      ("needs_review", .bool(c.needsReview)),
      ("scores", .object(Role.allCases.map { ($0.rawValue, .number(c.score($0), decimals: 4)) })),
      ("acronyms", .object(c.acronymReadings.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
    ]
    if explain {
      pairs.append(
        (
          "evidence",
          .array(
            c.evidence.map { item in
              let source: String
              switch item.source {
              case .title: source = "title"
              case .body(let kind): source = kind.rawValue
              case .negative(let kind): source = "negative:" + kind.rawValue
              }
              return .object([
                ("role", .string(item.role.rawValue)), ("source", .string(source)), ("phrase", .string(item.phrase)),
                ("count", .number(item.count, decimals: 2)), ("weight", .number(item.weight, decimals: 2)),
                ("contribution", .number(item.contribution, decimals: 4)),
              ])
            })
        ))
    }
    return .object(pairs)
  }
}

/// How `inspect` shows an extracted posting.
package enum PostingText {
  /// The JSON object of DESIGN.md: title, company, location, date_posted, format, sections,
  /// text, warnings.
  package static func json(_ posting: Posting, tokens: [String] = []) -> JSONValue {
    .object([
      ("path", .string(posting.path)),
      ("row", posting.row.map { .integer($0) } ?? .null),
      ("title", .string(posting.title)),
      ("company", posting.company.map { .string($0) } ?? .null),
      ("location", posting.location.map { .string($0) } ?? .null),
      ("date_posted", posting.datePosted.map { .string($0) } ?? .null),
      ("format", .string(posting.format.rawValue)),
      (
        "sections",
        .array(
          posting.sections.map { section in
            .object([
              ("heading", .string(section.heading)), ("kind", .string(section.kind.rawValue)),
              ("text", .string(section.text)),
            ])
          })
      ),
      ("text", .string(posting.text)),
      ("warnings", .array(posting.warnings.map { .string($0) })),
      ("tokens", .array(tokens.map { .string($0) })),
    ])
  }

  /// A readable listing: fields, then each section with its kind.
  package static func plain(_ posting: Posting, tokens: [String] = []) -> String {
    var lines: [String] = []
    lines.append("path:        \(TerminalText.line(posting.path))\(posting.row.map { " (row \($0))" } ?? "")")
    lines.append("format:      \(posting.format.rawValue)")
    lines.append("title:       \(TerminalText.line(posting.title))")
    if let company = posting.company { lines.append("company:     \(TerminalText.line(company))") }
    if let location = posting.location { lines.append("location:    \(TerminalText.line(location))") }
    if let date = posting.datePosted { lines.append("date posted: \(TerminalText.line(date))") }
    let words = posting.sections.reduce(0) { $0 + $1.text.split(separator: " ").count }
    lines.append("sections:    \(posting.sections.count) (\(words) words)")
    for warning in posting.warnings { lines.append("warning:     \(TerminalText.line(warning))") }
    if !tokens.isEmpty {
      let shown = TerminalText.line(tokens.prefix(40).joined(separator: " "))
      lines.append("tokens:      \(tokens.count): \(shown)\(tokens.count > 40 ? " ..." : "")")
    }
    for section in posting.sections {
      lines.append("")
      let heading = section.heading.isEmpty ? "(no heading)" : TerminalText.line(section.heading)
      lines.append("== \(heading) [\(section.kind.rawValue)]")
      for line in section.text.split(separator: "\n") { lines.append("   " + TerminalText.block(String(line))) }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// Text for a terminal: nothing read from an input reaches stdout or stderr as a control
/// character, so a title cannot set the window title, clear the screen or move the cursor.
/// Controls are shown as their visible replacements (`ControlCharacters`: ESC as `␛`).
package enum TerminalText {
  /// A one-line field (a path, a title, a file name from a labels file): every control,
  /// line breaks and tabs included, made visible, so the field stays on its line and column.
  package static func line(_ text: String) -> String { ControlCharacters.replacing(text) }

  /// Whole output: every control but line feed and tab made visible.
  package static func block(_ text: String) -> String {
    ControlCharacters.replacing(text, keeping: ControlCharacters.bodyLayout)
  }
}
