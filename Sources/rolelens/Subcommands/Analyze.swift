import ArgumentParser
import Foundation
import RoleLensKit

struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Analyse a folder of postings and write the overlap reports.",
    discussion: """
      Reads every .html/.htm/.xhtml/.txt/.md file under the inputs (recursively, in sorted \
      order), classifies each posting, and writes postings.csv, skipped.csv, roles.csv, \
      overlap.csv, terms.csv, skills.csv, role_similarity.csv and summary.json into --out. \
      Prints a short summary on stdout.
      """
  )

  /// Paths as `PathEscaping` text of the raw arguments (see `RawArguments`).
  @Argument(help: "Files and folders of saved postings.")
  var inputs: [String]

  /// The raw argument's `PathEscaping` text; `OutputFolder` resolves it.
  @Option(name: .long, help: ArgumentHelp("Folder for the reports (created if missing).", valueName: "dir"))
  var out: String

  @Option(name: .long, help: ArgumentHelp("The pair of roles to compare in detail.", valueName: "A,B"))
  var roles: String = "technical-project-manager,product-manager"

  @OptionGroup var common: CommonOptions

  @Option(name: .long, help: "Random seed of the bootstrap intervals (same seed, same numbers).")
  var seed: UInt64 = OverlapOptions().seed

  @Option(name: .long, help: "Bootstrap replicates for the 95% intervals (0 turns them off).")
  var bootstrap: Int = OverlapOptions().replicates

  @Option(name: .long, help: "Label permutations for the p-values (0 turns tests off).")
  var permutations: Int = OverlapOptions().permutations

  @Option(name: .long, help: "Clusters per role below which figures are flagged insufficient (and the size the descriptive figures are matched at).")
  var minClusters: Int = OverlapOptions().minimumClusters

  @Option(name: .long, help: "Strength alpha0 of the log-odds' informative Dirichlet prior.")
  var priorStrength: Double = OverlapOptions().priorStrength

  @Option(name: .long, help: "How many top terms per role the top-term Jaccard compares.")
  var topTerms: Int = OverlapOptions().topK

  @Option(name: .long, help: "Worker threads (default: all cores).")
  var jobs: Int?

  @Flag(name: .long, help: "Count duplicate postings in the overlap statistics too.")
  var includeDuplicates = false

  @Flag(name: .long, help: "No progress or summary on stderr.")
  var quiet = false

  mutating func validate() throws {
    let parts = roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard parts.count == 2 else {
      throw ValidationError("--roles takes two role ids separated by a comma, e.g. technical-project-manager,product-manager")
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
    guard priorStrength > 0, priorStrength.isFinite else { throw ValidationError("--prior-strength must be a positive number") }
    try common.validate()
  }

  func run() throws {
    let parts = roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    var options = AnalysisOptions(inputs: inputs)
    options.lexiconPath = common.lexiconPath
    options.ingest = common.ingest
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
    if let jobs { options.jobs = jobs }

    let progress = Progress(quiet: quiet)
    let report: AnalysisReport
    do {
      let analysis = try Analysis(options: options)
      report = try analysis.run(progress: progress.update)
      progress.finish(postings: report.postings.count, skipped: report.skipped.count)
      let folder = try OutputFolder.prepare(out)
      do {
        try ReportWriter().write(report, to: folder.path)
      } catch {
        throw folder.naming(CommandFailure.from(error))
      }
    } catch {
      throw CommandFailure.from(error)
    }
    print(Summary.text(report, out: out), terminator: "")
    if report.postings.count == 0 {
      throw CommandFailure(message: "no posting found in the inputs (\(report.skipped.count) skipped; see \(out)/skipped.csv)", code: 3)
    }
  }
}

/// Options shared by the subcommands that read postings.
struct CommonOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("A lexicon file to use instead of the default.", valueName: "file"))
  var lexicon: String?

  @Option(name: .long, help: "Skip files larger than this many bytes (dataset files: 50 times as much).")
  var maxFileSize: Int = IngestOptions().maxFileSize

  @Option(name: .long, help: ArgumentHelp("Dataset column holding the title (default: title, job_title, position, ...).", valueName: "name"))
  var titleColumn: String?

  @Option(name: .long, help: ArgumentHelp("Dataset column holding the description (default: description, job_description, content, ...).", valueName: "name"))
  var textColumn: String?

  func validate() throws {
    guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive") }
  }

  /// The lexicon file's name as a plain string (arguments arrive as `PathEscaping` text).
  var lexiconPath: String? { lexicon.map(RawArguments.plain) }

  /// Ingest options from the flags (column names as plain strings).
  var ingest: IngestOptions {
    var options = IngestOptions(maxFileSize: maxFileSize)
    options.titleColumn = titleColumn.map(RawArguments.plain)
    options.textColumn = textColumn.map(RawArguments.plain)
    return options
  }
}
