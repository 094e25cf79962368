import ArgumentParser
import Foundation
import RoleLensKit

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare predicted roles with a labels file: precision, recall, F1, confusion.",
    discussion: """
      The labels CSV has the columns 'file' (a path relative to the input folder, as in \
      postings.csv's id) and 'label' (a role id). Macro-F1 averages the roles with at least \
      --min-support labelled postings.
      """
  )

  @Argument(help: "Files and folders of saved postings.", completion: .file())
  var inputs: [String]

  @Option(
    name: .long, help: ArgumentHelp("The labels CSV (file,label).", valueName: "labels.csv"),
    completion: .file(extensions: ["csv"]))
  var labels: String

  @Flag(name: .long, help: "Hide the title from the classifier (body evidence only).")
  var bodyOnly = false

  @Option(
    name: [.short, .long],
    help: ArgumentHelp("Also write eval.csv and confusion.csv into this folder.", valueName: "dir"),
    completion: .directory)
  var out: String?

  @Option(
    name: .long, help: ArgumentHelp("Roles with fewer labelled postings are left out of macro-F1.", valueName: "n"))
  var minSupport: Int = 3

  @Option(name: [.short, .long], help: ArgumentHelp("Worker threads (default: all cores).", valueName: "n"))
  var jobs: Int?

  @OptionGroup var common: CommonOptions

  @OptionGroup var csv: CSVOptions

  func validate() throws {
    guard minSupport >= 1 else { throw ValidationError("--min-support must be at least 1") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    var options = common.analysisOptions(inputs: inputs)
    options.bodyOnly = bodyOnly
    if let jobs { options.jobs = jobs }
    let report: EvaluationReport
    do {
      let labelled = try Analysis.readLabels(RawArguments.plain(labels))
      report = try Analysis(options: options).evaluate(labels: labelled, minimumSupport: minSupport)
      if let out {
        let folder = try OutputFolder.prepare(out)
        do {
          try EvaluationWriter(formulaGuard: csv.formulaGuard).write(report.evaluation, to: folder.path)
        } catch {
          throw folder.naming(CommandFailure.from(error))
        }
      }
    } catch let error as EvaluationError {
      throw CommandFailure.usage(error.description)
    } catch {
      throw CommandFailure.from(error)
    }
    printText(
      EvaluationWriter().text(report.evaluation, unmatched: report.unmatched, unlabelled: report.unlabelled),
      terminator: "")
    if report.evaluation.count == 0 {
      throw CommandFailure(message: "no labelled posting found in the inputs", code: 3)
    }
  }
}
