import ArgumentParser
import Foundation
import RoleLensKit

struct Classify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the role, confidence and runner-up of each posting.",
    discussion: "One line per posting: path, role, confidence, runner-up. Folders are read recursively."
  )

  @Argument(help: "Posting files (or folders).", completion: .file())
  var files: [String]

  @Flag(name: .long, help: "Print a JSON array, one object per posting.")
  var json = false

  @Flag(name: .long, help: "List the title patterns and phrases behind each role's score.")
  var explain = false

  @Flag(name: .long, help: "Hide the title from the classifier (body evidence only).")
  var bodyOnly = false

  @OptionGroup var common: CommonOptions

  func run() throws {
    var options = common.analysisOptions(inputs: files)
    options.bodyOnly = bodyOnly
    var results: [(Posting, Classification)] = []
    var skipped: [SkippedInput] = []
    do {
      let analysis = try Analysis(options: options)
      for file in files {
        let (postings, skips) = try analysis.classifyFile(file, explain: explain)
        results += postings
        skipped += skips
      }
    } catch {
      throw CommandFailure.from(error)
    }
    for skip in skipped {
      reportSkip(skip)
    }
    if json {
      printText(JSONValue.array(results.map { ClassificationText.json($0.0, $0.1, explain: explain) }).rendered())
    } else {
      for (posting, classification) in results {
        printText(ClassificationText.line(posting, classification))
        if explain { printText(ClassificationText.explanation(classification), terminator: "") }
      }
    }
    if results.isEmpty { throw CommandFailure(message: "no posting found in the inputs", code: 3) }
  }
}
