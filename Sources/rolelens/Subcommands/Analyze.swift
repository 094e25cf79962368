import ArgumentParser
import Foundation
import RoleLensKit

struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Analyse saved postings and write the overlap reports.",
    discussion: """
      Reads every posting under the inputs, recursively and in sorted order: saved pages \
      (.html, .htm, .xhtml), text (.txt, .md), dataset files with one posting per row (.csv, \
      .jsonl, .json) and any of these gzipped (.gz). Each posting is classified by role, \
      near-duplicates and clusters of reposts are found, and the chosen pair of roles is \
      compared with size-free, cluster-resampled statistics (overlap index, separability AUC, \
      cross-reading shares, distinctive terms). Writes postings.csv, skipped.csv, roles.csv, \
      overlap.csv, terms.csv, skills.csv, role_similarity.csv, summary.json and report.html \
      into --out, and prints the verdict and the figures on stdout.

      Examples:
        rolelens analyze saved-jobs/ -o reports/
        rolelens analyze jobs.csv.gz -o reports/ --roles technical-program-manager,program-manager -j 4
      """
  )

  /// Paths as `PathEscaping` text of the raw arguments (see `RawArguments`).
  @Argument(help: "Files and folders of saved postings.", completion: .file())
  var inputs: [String]

  /// The raw argument's `PathEscaping` text; `OutputFolder` resolves it.
  @Option(
    name: [.short, .long],
    help: ArgumentHelp("Folder for the reports (created if missing); not with --partial.", valueName: "dir"),
    completion: .directory)
  var out: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read only shard K of N (1-based) of the inputs: every Nth file of the sorted walk, and 1000-row blocks of each dataset; needs --partial.",
      valueName: "K/N"))
  var shard: String?

  /// The raw argument's `PathEscaping` text.
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Write the shard's partial result to this file instead of reports; 'rolelens merge' turns every shard's partial into the reports.",
      valueName: "file"),
    completion: .file())
  var partial: String?

  @Option(
    name: .long, help: ArgumentHelp("The pair of roles to compare in detail.", valueName: "role-a,role-b"),
    completion: .custom { _, _, prefix in Analyze.roleCompletions(prefix) })
  var roles: String = "technical-project-manager,product-manager"

  @OptionGroup var common: CommonOptions

  @Option(name: .long, help: ArgumentHelp("Seed of the resampling (same seed, same numbers).", valueName: "n"))
  var seed: UInt64 = OverlapOptions().seed

  @Option(
    name: .long,
    help: ArgumentHelp("Cluster-bootstrap replicates for the 95% intervals (0 turns them off).", valueName: "n"))
  var bootstrap: Int = OverlapOptions().replicates

  @Option(name: .long, help: ArgumentHelp("Label permutations for the p-values (0 turns tests off).", valueName: "n"))
  var permutations: Int = OverlapOptions().permutations

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Clusters per role below which figures are flagged insufficient (and the size the descriptive figures are matched at).",
      valueName: "n"))
  var minClusters: Int = OverlapOptions().minimumClusters

  @Option(
    name: .long,
    help: ArgumentHelp("Strength alpha0 of the log-odds' informative Dirichlet prior.", valueName: "alpha0"))
  var priorStrength: Double = OverlapOptions().priorStrength

  @Option(name: .long, help: ArgumentHelp("How many top terms per role the top-term Jaccard compares.", valueName: "k"))
  var topTerms: Int = OverlapOptions().topK

  @Option(name: [.short, .long], help: ArgumentHelp("Worker threads (default: all cores).", valueName: "n"))
  var jobs: Int?

  @Flag(name: .long, help: "Count duplicate postings in the overlap statistics too.")
  var includeDuplicates = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Also compute every figure of the pair per group, into overlap_by_group.csv: by the posting date's year, quarter or month (with a trend per year), or by company, source or a dataset column.",
      valueName: "year|quarter|month|company|source|column:NAME"),
    completion: .list(["year", "quarter", "month", "company", "source", "column:"]))
  var by: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Dataset columns carried through to postings.csv verbatim, after its own columns.", valueName: "a,b,..."))
  var keepColumns: String?

  @Flag(name: [.short, .long], help: "No progress or summary on stderr.")
  var quiet = false

  /// Completions of `--roles`: role ids, or, after a comma, the second role id.
  static func roleCompletions(_ prefix: String) -> [String] {
    guard let comma = prefix.lastIndex(of: ",") else { return Role.ids.map { $0 + "," } }
    let first = String(prefix[..<comma])
    return Role.ids.filter { $0 != first }.map { first + "," + $0 }
  }

  @OptionGroup var csv: CSVOptions

  /// The `--keep-columns` names, trimmed, as plain strings.
  var keptColumns: [String] {
    (keepColumns.map(RawArguments.plain) ?? "").split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  mutating func validate() throws {
    let parts = roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard parts.count == 2 else {
      throw ValidationError(
        "--roles takes two role ids separated by a comma, e.g. technical-project-manager,product-manager")
    }
    for part in parts where Role(rawValue: part) == nil {
      throw ValidationError("unknown role '\(part)' in --roles (known: \(Role.ids.joined(separator: ", ")))")
    }
    guard parts[0] != parts[1] else { throw ValidationError("--roles needs two different roles") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
    guard topTerms >= 1 else { throw ValidationError("--top-terms must be at least 1") }
    guard permutations >= 0 else { throw ValidationError("--permutations must be 0 or more") }
    guard minClusters >= 2 else { throw ValidationError("--min-clusters must be at least 2") }
    guard priorStrength > 0, priorStrength.isFinite else {
      throw ValidationError("--prior-strength must be a positive number")
    }
    if let by, GroupKey(argument: RawArguments.plain(by)) == nil {
      throw ValidationError(
        "--by takes year, quarter, month, company, source or column:NAME (a dataset column), not '\(RawArguments.plain(by))'"
      )
    }
    let reserved = Set(PostingTable.header)
    for column in keptColumns where reserved.contains(column) {
      throw ValidationError(
        "--keep-columns: '\(column)' is a column of postings.csv already (kept columns come after its own)"
      )
    }
    if keptColumns.count != Set(keptColumns).count { throw ValidationError("--keep-columns names a column twice") }
    if partial == nil {
      guard shard == nil else { throw ValidationError("--shard needs --partial FILE (where the shard's result goes)") }
      guard out != nil else { throw ValidationError("Missing expected argument '--out <dir>' (or --partial <file> for a shard)") }
    } else {
      guard out == nil else {
        throw ValidationError("--partial writes a shard's result, not reports: leave out --out, and run 'rolelens merge' on the partials")
      }
      if let shard, Self.shard(shard) == nil {
        throw ValidationError("--shard takes K/N with 1 <= K <= N, e.g. --shard 2/4, not '\(RawArguments.plain(shard))'")
      }
    }
    try common.validate()
  }

  /// The shard `K/N` names.
  static func shard(_ text: String) -> Shard? {
    let parts = RawArguments.plain(text).split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
    return Shard(index: k - 1, count: n)
  }

  func run() throws {
    let parts = roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    var options = common.analysisOptions(inputs: inputs)
    if let roleA = Role(rawValue: parts[0]), let roleB = Role(rawValue: parts[1]) {
      options.overlap.roleA = roleA
      options.overlap.roleB = roleB
    }
    options.overlap.seed = seed
    options.overlap.replicates = bootstrap
    options.overlap.topK = topTerms
    options.overlap.permutations = permutations
    options.overlap.minimumClusters = minClusters
    options.overlap.priorStrength = priorStrength
    options.includeDuplicates = includeDuplicates
    options.overlap.groupBy = by.flatMap { GroupKey(argument: RawArguments.plain($0)) }
    options.ingest.keepColumns = keptColumns
    // The command owns its process, so it may keep the allocator's resident memory low.
    options.memoryPolicy = .releaseToSystem

    options.formulaGuard = csv.formulaGuard
    if let jobs { options.jobs = jobs }

    if let partial {
      try runShard(options: options, partial: partial)
      return
    }
    guard let out else { return }
    try ReportOutput.run(out: out, quiet: quiet) { progress in
      let analysis = try Analysis(options: options)
      progress.stage = "computing statistics (\(bootstrap) bootstrap replicates, \(permutations) permutations)"
      return try analysis.run(progress: progress.update)
    }
  }
}

/// How `analyze` and `merge` write their reports.
enum ReportOutput {
  /// Checks that `out` can hold the reports (before any input is read), makes the report with
  /// `make`, writes it, prints the summary, and fails with exit 3 when it holds no posting.
  static func run(out: String, quiet: Bool, make: (Progress) throws -> AnalysisReport) throws {
    let folder = try OutputFolder.prepare(out)
    do {
      try ReportWriter.checkWritable(folder.path)
    } catch {
      throw folder.naming(CommandFailure.from(error))
    }
    let progress = Progress(quiet: quiet)
    let report: AnalysisReport
    do {
      report = try make(progress)
      progress.show("writing reports to \(out)")
      do {
        try ReportWriter().write(report, to: folder.path)
      } catch {
        throw folder.naming(CommandFailure.from(error))
      }
      progress.finish(postings: report.postings.count, skipped: report.skipped.count)
    } catch {
      throw CommandFailure.from(error)
    }
    printText(Summary.text(report, out: out), terminator: "")
    if report.postings.count == 0 {
      throw CommandFailure(
        message: "no posting found in the inputs (\(report.skipped.count) skipped; see \(out)/skipped.csv)", code: 3)
    }
  }
}

extension Analyze {
  /// Runs one shard into a partial file and prints one line about it.
  func runShard(options: AnalysisOptions, partial: String) throws {
    let shard = shard.flatMap(Self.shard) ?? .whole
    let progress = Progress(quiet: quiet)
    let summary: ShardSummary
    do {
      let analysis = try Analysis(options: options)
      summary = try analysis.runShard(shard, partial: partial, progress: progress.update)
      progress.finish(postings: summary.postings, skipped: summary.skipped)
    } catch {
      throw CommandFailure.from(error)
    }
    printText(
      "shard \(shard): \(summary.postings) postings, \(summary.skipped) skipped, from \(summary.files) files; partial result in \(partial) (\(summary.bytes) bytes)"
    )
  }
}

/// Options shared by the subcommands that read postings.
struct CommonOptions: ParsableArguments {
  @Option(
    name: .long, help: ArgumentHelp("A lexicon file to use instead of the default.", valueName: "file"),
    completion: .file(extensions: ["yaml", "yml"]))
  var lexicon: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Skip files larger than this many bytes (.csv/.jsonl datasets: rows larger than this).", valueName: "bytes"))
  var maxFileSize: Int = IngestOptions().maxFileSize

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Dataset column holding the title (default: title, job_title, position, ...).", valueName: "name"))
  var titleColumn: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Dataset column holding the description (default: description, job_description, content, ...).", valueName: "name"
    ))
  var textColumn: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Dataset column holding the publication date (default: date_posted, posted_at, created_at, date, ...).",
      valueName: "name"))
  var dateColumn: String?

  func validate() throws {
    guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive") }
  }

  /// The lexicon file's name as a plain string (arguments arrive as `PathEscaping` text).
  var lexiconPath: String? { lexicon.map(RawArguments.plain) }

  /// The library's options for reading `inputs` as these flags ask: the one place where
  /// command-line flags become `AnalysisOptions` (each subcommand then sets its own flags).
  func analysisOptions(inputs: [String]) -> AnalysisOptions {
    var options = AnalysisOptions(inputs: inputs)
    options.lexiconPath = lexiconPath
    options.ingest = ingest
    return options
  }

  /// Ingest options from the flags (column names as plain strings).
  var ingest: IngestOptions {
    var options = IngestOptions(maxFileSize: maxFileSize)
    options.titleColumn = titleColumn.map(RawArguments.plain)
    options.textColumn = textColumn.map(RawArguments.plain)
    options.dateColumn = dateColumn.map(RawArguments.plain)
    return options
  }
}

/// How the CSV reports are written.
struct CSVOptions: ParsableArguments {
  @Flag(
    name: .customLong("formula-guard"), inversion: .prefixedNo,
    help: """
      Prefix free-text CSV cells starting with =, +, -, @, tab or CR with an apostrophe, so \
      spreadsheets show them as text (keys such as id and path are never changed).
      """)
  var formulaGuard = true
}
