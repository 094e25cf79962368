import ArgumentParser
import Foundation
import RoleLensKit

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the partial results of a sharded analyze into its reports.",
    discussion: """
      Takes the partial files that 'rolelens analyze INPUT... --shard K/N --partial FILE' wrote \
      for K = 1...N, in any order, and writes the reports of the whole run into --out: the same \
      files, byte for byte, as one 'rolelens analyze INPUT... --out DIR' with the same options \
      (duplicates and clusters across shards included). The options, lexicon and inputs come \
      from the partials, which must all be of the same run: a missing shard, a shard given \
      twice, partials of different options, lexicons, inputs or versions, and a truncated or \
      damaged partial are refused (exit 2) before anything is written.

      Examples:
        rolelens analyze jobs/ --shard 1/2 --partial part-1.rlp
        rolelens analyze jobs/ --shard 2/2 --partial part-2.rlp
        rolelens merge part-*.rlp -o reports/
      """
  )

  /// Paths as `PathEscaping` text of the raw arguments (see `RawArguments`).
  @Argument(help: "The partial files of every shard.", completion: .file())
  var partials: [String]

  @Option(
    name: [.short, .long], help: ArgumentHelp("Folder for the reports (created if missing).", valueName: "dir"),
    completion: .directory)
  var out: String

  @Option(
    name: [.short, .long],
    help: ArgumentHelp("Threads for the resampling (default: all cores; results do not depend on it).", valueName: "n"))
  var jobs: Int?

  @Flag(name: [.short, .long], help: "No progress or summary on stderr.")
  var quiet = false

  mutating func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    // The reports' folder is checked before any partial is read.
    try ReportOutput.run(out: out, quiet: quiet) { progress in
      progress.unit = "postings"
      // The command owns its process, so it may keep the allocator's resident memory low.
      return try Analysis.merge(
        partials: partials, jobs: jobs ?? AnalysisOptions().jobs, memoryPolicy: .releaseToSystem,
        progress: progress.update
      ).report
    }
  }
}
