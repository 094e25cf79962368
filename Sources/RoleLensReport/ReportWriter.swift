import Foundation
import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap

/// Writes the report files into an output folder, the set as a whole atomically.
///
/// Free-text cells get the formula guard when the report's posting table has it on
/// (`AnalysisOptions.formulaGuard`, `--no-formula-guard`), so every file of a run agrees; keys
/// (`path` of skipped.csv, the ids of postings.csv) are written verbatim.
public struct ReportWriter: Sendable {
  /// The files written, in order.
  public static let files = [
    "postings.csv", "skipped.csv", "roles.csv", "overlap.csv", "overlap_by_group.csv", "terms.csv", "skills.csv",
    "role_similarity.csv", "summary.json", "report.html",
  ]

  /// A writer; it holds no state.
  public init() {}

  /// Writes every report file into `folder`, creating it if needed, replacing the previous
  /// set as a whole (see `ReportFolder`): a reader, or a run killed at any point, sees either
  /// the complete previous set or the complete new one. Files in `folder` that rolelens did not
  /// write are kept; a folder holding folders of its own is refused.
  ///
  /// - Throws: `ReportError.cannotWrite` naming the folder or file that could not be written;
  ///   the folder is then as it was.
  public func write(_ report: AnalysisReport, to folder: String) throws {
    try ReportFolder(folder, files: Self.files).replace { staging in
      let path = { (name: String) in staging + "/" + name }
      try AtomicFile.create(at: path("postings.csv")) { try report.postings.write(to: $0) }
      let contents: [(String, () -> String)] = [
        ("skipped.csv", { skippedCSV(report) }),
        ("roles.csv", { rolesCSV(report) }),
        ("overlap.csv", { overlapCSV(report) }),
        ("terms.csv", { termsCSV(report) }),
        ("skills.csv", { skillsCSV(report) }),
        ("role_similarity.csv", { similarityCSV(report) }),
        ("summary.json", { summaryJSON(report).rendered() + "\n" }),
        ("report.html", { HTMLReport(report: report).render() }),
      ]
      for (name, text) in contents {
        try AtomicFile.create(text(), at: path(name))
      }
      // Only a run that groups postings (`--by`) has one; a stale one is not carried over.
      if report.overlap.grouped != nil {
        try AtomicFile.create(groupsCSV(report), at: path("overlap_by_group.csv"))
      }
    }
  }

  // MARK: - CSV files

  /// postings.csv as text (the run writes it from its spill file instead).
  func postingsCSV(_ report: AnalysisReport) throws -> String {
    var buffer: UnsafeMutablePointer<CChar>?
    var size = 0
    guard let stream = open_memstream(&buffer, &size) else {
      throw ReportError.cannotWrite(path: "postings.csv", reason: String(cString: strerror(errno)))
    }
    defer { free(buffer) }
    do {
      try report.postings.write(to: stream)
    } catch {
      fclose(stream)
      throw error
    }
    fclose(stream)
    return buffer.map { String(cString: $0) } ?? ""
  }

  func skippedCSV(_ report: AnalysisReport) -> String {
    var csv = CSVWriter(header: ["path", "row", "reason", "detail"], formulaGuard: report.postings.formulaGuard)
    for skipped in report.skipped {
      csv.appendRow([
        .key(skipped.path), skipped.row.map { .integer($0) } ?? .empty, .text(skipped.reason.rawValue),
        .text(skipped.detail),
      ])
    }
    return csv.output
  }

  func rolesCSV(_ report: AnalysisReport) -> String {
    var csv = CSVWriter(
      header: ["role", "name", "postings", "share", "mean_confidence", "needs_review"],
      formulaGuard: report.postings.formulaGuard)
    let postings = report.postings
    let total = postings.count
    for role in Role.allCases {
      let count = postings.count(of: role)
      csv.appendRow([
        .text(role.rawValue), .text(report.lexicon.entry(role).name), .integer(count),
        .number(total == 0 ? 0 : Double(count) / Double(total)), .number(postings.meanConfidence(of: role)),
        .integer(postings.needsReview(of: role)),
      ])
    }
    return csv.output
  }

  func overlapCSV(_ report: AnalysisReport) -> String {
    var csv = CSVWriter(
      header: [
        "role_a", "role_b", "metric", "value", "ci_low", "ci_high", "p_value", "n_a", "n_b", "clusters_a", "clusters_b",
        "note",
      ], formulaGuard: report.postings.formulaGuard)
    let overlap = report.overlap
    let (a, b) = (overlap.options.roleA, overlap.options.roleB)
    for figure in overlap.figures {
      csv.appendRow([
        .text(a.rawValue), .text(b.rawValue), .text(figure.metric), .number(figure.value), .number(figure.ciLow),
        .number(figure.ciHigh), .number(figure.pValue), .integer(overlap.postings(a)), .integer(overlap.postings(b)),
        .integer(overlap.clusterCount(a)), .integer(overlap.clusterCount(b)), .text(figure.note),
      ])
    }
    return csv.output
  }

  /// overlap_by_group.csv: per group, a `postings` row for each role with postings (role_a the
  /// role, n_a its postings, clusters_a its clusters), then the pair's figures as in
  /// overlap.csv; for periods, a last row `(all)` with `trend_per_year`.
  func groupsCSV(_ report: AnalysisReport) -> String {
    var csv = CSVWriter(header: Self.groupsHeader, formulaGuard: report.postings.formulaGuard)
    guard let grouped = report.overlap.grouped else { return csv.output }
    let (a, b) = (report.overlap.options.roleA, report.overlap.options.roleB)
    let by = grouped.key.name
    for group in grouped.groups {
      for count in group.roles {
        csv.appendRow([
          .text(by), .text(group.group), .text(count.role.rawValue), .empty, .text("postings"),
          .integer(count.postings), .empty, .empty, .empty, .integer(count.postings), .empty, .integer(count.clusters),
          .empty, .text("postings counted in the overlap statistics, and their clusters"),
        ])
      }
      for figure in group.figures {
        csv.appendRow([
          .text(by), .text(group.group), .text(a.rawValue), .text(b.rawValue), .text(figure.metric),
          .number(figure.value), .number(figure.ciLow), .number(figure.ciHigh), .number(figure.pValue),
          .integer(group.postings(a)), .integer(group.postings(b)), .integer(group.clusters(a)),
          .integer(group.clusters(b)), .text(figure.note),
        ])
      }
    }
    if let trend = grouped.trend {
      let fitted = grouped.groups.filter { grouped.trendGroups.contains($0.group) }
      csv.appendRow([
        .text(by), .text("(all)"), .text(a.rawValue), .text(b.rawValue), .text(trend.metric), .number(trend.value),
        .number(trend.ciLow), .number(trend.ciHigh), .number(trend.pValue),
        .integer(fitted.reduce(0) { $0 + $1.postings(a) }), .integer(fitted.reduce(0) { $0 + $1.postings(b) }),
        .integer(fitted.reduce(0) { $0 + $1.clusters(a) }), .integer(fitted.reduce(0) { $0 + $1.clusters(b) }),
        .text(trend.note),
      ])
    }
    return csv.output
  }

  /// The columns of overlap_by_group.csv.
  static let groupsHeader = [
    "group_by", "group", "role_a", "role_b", "metric", "value", "ci_low", "ci_high", "p_value", "n_a", "n_b",
    "clusters_a", "clusters_b", "note",
  ]

  func termsCSV(_ report: AnalysisReport) -> String {
    var csv = CSVWriter(
      header: [
        "term", "count_a", "count_b", "docs_a", "docs_b", "clusters_a", "clusters_b", "log_odds", "log_odds_z",
        "p_value",
        "q_value", "side",
      ], formulaGuard: report.postings.formulaGuard)
    let overlap = report.overlap
    for term in report.overlap.terms {
      csv.appendRow([
        .text(term.term), .integer(term.countA), .integer(term.countB), .integer(term.documentsA),
        .integer(term.documentsB), .integer(term.clustersA), .integer(term.clustersB), .number(term.logOdds),
        .number(term.z), .number(term.pValue), .number(term.qValue), .text(overlap.side(term)?.rawValue ?? "shared"),
      ])
    }
    return csv.output
  }

  func skillsCSV(_ report: AnalysisReport) -> String {
    var csv = CSVWriter(
      header: ["skill", "name", "role", "postings", "postings_with_skill", "share"],
      formulaGuard: report.postings.formulaGuard)
    for (index, skill) in report.lexicon.skills.enumerated() {
      for role in Role.allCases {
        guard let stats = report.overlap.statistics[role], stats.postings > 0 else { continue }
        let with = stats.skillPostings[index] ?? 0
        csv.appendRow([
          .text(skill.id), .text(skill.name), .text(role.rawValue), .integer(stats.postings), .integer(with),
          .number(Double(with) / Double(stats.postings)),
        ])
      }
    }
    return csv.output
  }

  func similarityCSV(_ report: AnalysisReport) -> String {
    var csv = CSVWriter(
      header: [
        "role_a", "role_b", "n_a", "n_b", "clusters_a", "clusters_b", "overlap_index", "cosine_raw", "jaccard_raw",
        "note",
      ], formulaGuard: report.postings.formulaGuard)
    for similarity in report.overlap.similarities {
      csv.appendRow([
        .text(similarity.roleA.rawValue), .text(similarity.roleB.rawValue),
        .integer(report.overlap.postings(similarity.roleA)), .integer(report.overlap.postings(similarity.roleB)),
        .integer(similarity.clustersA), .integer(similarity.clustersB), .number(similarity.overlapIndex),
        .number(similarity.cosine), .number(similarity.jaccard), .text(similarity.note),
      ])
    }
    return csv.output
  }

  // MARK: - summary.json

  func summaryJSON(_ report: AnalysisReport) -> JSONValue {
    let overlap = report.overlap
    let options = overlap.options
    let counted = Role.allCases.reduce(0) { $0 + overlap.postings($1) }
    let verdict = Verdict(overlap: overlap, name: report.displayName)
    return .object([
      ("verdict", .string(verdict.sentence)),
      ("insufficient", .bool(verdict.insufficient)),
      ("tool", .string("rolelens")),
      ("version", .string(report.run.toolVersion)),
      ("lexicon_hash", .string(report.run.lexiconHash)),
      ("seed", .string(String(report.run.seed))),
      ("inputs", .integer(report.run.inputFiles)),
      ("postings", .integer(report.postings.count)),
      ("skipped", .integer(report.skipped.count)),
      ("duplicates", .integer(report.postings.duplicates)),
      ("duplicates_included", .bool(report.run.includeDuplicates)),
      ("postings_in_overlap", .integer(counted)),
      (
        "ingest",
        .object([
          ("json_ld", .integer(report.ingest.jsonLD)),
          ("mojibake_repaired", .integer(report.ingest.mojibakeRepaired)),
          (
            "encodings",
            .object(report.ingest.encodings.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })
          ),
          (
            "skipped_by_reason",
            .object(
              SkipReason.allCases.compactMap { reason in
                let count = report.skipped.filter { $0.reason == reason }.count
                return count == 0 ? nil : (reason.rawValue, .integer(count))
              })
          ),
        ])
      ),
      ("roles", .object(Role.allCases.map { ($0.rawValue, .integer(report.postings.count(of: $0))) })),
      (
        "pair",
        .object([
          ("role_a", .string(options.roleA.rawValue)),
          ("role_b", .string(options.roleB.rawValue)),
          ("n_a", .integer(overlap.postings(options.roleA))),
          ("n_b", .integer(overlap.postings(options.roleB))),
          ("clusters_a", .integer(overlap.clusterCount(options.roleA))),
          ("clusters_b", .integer(overlap.clusterCount(options.roleB))),
        ])
      ),
      (
        "settings",
        .object([
          ("resampling_unit", .string("cluster")),
          ("bootstrap_replicates", .integer(options.replicates)),
          ("permutations", .integer(options.permutations)),
          ("cv_folds", .integer(options.folds)),
          ("cv_repeats", .integer(options.crossValidationRepeats)),
          ("size_matched_draws", .integer(options.draws)),
          ("min_clusters", .integer(options.minimumClusters)),
          ("prior_strength", .number(options.priorStrength)),
          ("term_fdr", .number(options.termFalseDiscoveryRate)),
          ("top_k", .integer(options.topK)),
        ])
      ),
      ("by_group", groupsJSON(report)),
      (
        "distinctive_terms",
        .object([
          (options.roleA.rawValue, .array(overlap.distinctive(options.roleA).map { .string($0.term) })),
          (options.roleB.rawValue, .array(overlap.distinctive(options.roleB).map { .string($0.term) })),
          ("shared_core", .array(overlap.sharedCore().map { .string($0.term) })),
        ])
      ),
      (
        "headline",
        .object(
          overlap.figures.map { figure in
            (
              figure.metric,
              .object([
                ("value", .number(figure.value)), ("ci_low", .number(figure.ciLow)),
                ("ci_high", .number(figure.ciHigh)),
                ("p_value", .number(figure.pValue)), ("note", .string(figure.note)),
              ])
            )
          })
      ),
    ])
  }

  /// The grouped figures for summary.json: the key, each group's counts and headline figures,
  /// and the trend; `null` when the run did not group postings.
  func groupsJSON(_ report: AnalysisReport) -> JSONValue {
    guard let grouped = report.overlap.grouped else { return .null }
    let (a, b) = (report.overlap.options.roleA, report.overlap.options.roleB)
    func figureJSON(_ figure: OverlapFigure?) -> JSONValue {
      guard let figure else { return .null }
      return .object([
        ("value", .number(figure.value)), ("ci_low", .number(figure.ciLow)), ("ci_high", .number(figure.ciHigh)),
        ("p_value", .number(figure.pValue)), ("note", .string(figure.note)),
      ])
    }
    return .object([
      ("group_by", .string(grouped.key.name)),
      (
        "groups",
        .array(
          grouped.groups.map { group in
            .object([
              ("group", .string(group.group)),
              ("insufficient", .bool(group.isInsufficient)),
              ("n_a", .integer(group.postings(a))), ("n_b", .integer(group.postings(b))),
              ("clusters_a", .integer(group.clusters(a))), ("clusters_b", .integer(group.clusters(b))),
              ("roles", .object(group.roles.map { ($0.role.rawValue, .integer($0.postings)) })),
              ("overlap_index", figureJSON(group.figure("overlap_index"))),
              ("separability_auc", figureJSON(group.figure("separability_auc"))),
              ("share_a_reads_as_b", figureJSON(group.figure("share_a_reads_as_b"))),
              ("share_b_reads_as_a", figureJSON(group.figure("share_b_reads_as_a"))),
            ])
          })
      ),
      ("trend_per_year", figureJSON(grouped.trend)),
      ("trend_groups", .array(grouped.trendGroups.map { .string($0) })),
    ])
  }
}
