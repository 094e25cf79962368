import ArgumentParser
import Foundation
import RoleLensKit

struct LexiconCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lexicon",
    abstract: "Show the active lexicon, validate a lexicon file, or learn one from your postings.",
    subcommands: [Show.self, Validate.self, Learn.self]
  )

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the lexicon (the default, or FILE).")

    @Argument(
      help: "A lexicon file; the default lexicon when omitted.", completion: .file(extensions: ["yaml", "yml"]))
    var file: String?

    func run() throws {
      do {
        if let file = file.map(RawArguments.plain) {
          _ = try Lexicon.load(path: file)
          guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure.usage("\(file): cannot read the file")
          }
          printText(String(decoding: data, as: UTF8.self), terminator: "")
        } else {
          printText(try Lexicon.bundledSource(), terminator: "")
        }
      } catch {
        throw CommandFailure.from(error)
      }
    }
  }

  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a lexicon file; every problem is reported as file:line: message (exit 2).")

    @Argument(help: "The lexicon file to check.", completion: .file(extensions: ["yaml", "yml"]))
    var file: String

    func run() throws {
      let lexicon: Lexicon
      do {
        lexicon = try Lexicon.load(path: RawArguments.plain(file))
      } catch {
        throw CommandFailure.from(error)
      }
      let phrases = lexicon.roles.reduce(0) { $0 + $1.phrases.count + $1.negative.count }
      let titles = lexicon.roles.reduce(0) { $0 + $1.titles.count }
      printText(
        "\(file): valid (\(lexicon.roles.count) roles, \(titles) title patterns, \(phrases) phrases, \(lexicon.skills.count) skill categories)"
      )
    }
  }

  struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Learn body phrase weights from your postings, their titles as labels (distant supervision).",
      discussion: """
        Each posting is labelled by its title (the lexicon's title patterns; postings without a \
        confident title label are left out), its title phrases are hidden, and one regularised \
        logistic regression per role weighs the body's words and word pairs. The lexicon written \
        keeps the base lexicon's titles, scoring and section weights; each role's phrases are the \
        learned ones. Prints the cross-validated body-only precision, recall and F1 per role \
        (folds of whole clusters of near-copies) beside the base lexicon's on the same folds.
        """)

    @Argument(help: "Files and folders of postings.", completion: .file())
    var inputs: [String]

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the learned lexicon.", valueName: "file"))
    var out: String

    @OptionGroup var common: CommonOptions

    @Option(
      name: .long, help: ArgumentHelp("Seed of the folds and the optimiser (same seed, same lexicon).", valueName: "n"))
    var seed: UInt64 = 20_240_601

    @Option(name: .long, help: ArgumentHelp("Phrases kept per role.", valueName: "n"))
    var phrases: Int = 200

    @Option(name: .long, help: ArgumentHelp("Cross-validation folds.", valueName: "n"))
    var folds: Int = 5

    @Option(name: [.short, .long], help: ArgumentHelp("Worker threads (default: all cores).", valueName: "n"))
    var jobs: Int?

    mutating func validate() throws {
      guard phrases >= 1 else { throw ValidationError("--phrases must be at least 1") }
      guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
      if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
      try common.validate()
    }

    func run() throws {
      var analysis = common.analysisOptions(inputs: inputs)
      if let jobs { analysis.jobs = jobs }
      var options = LexiconLearner.Options(analysis: analysis)
      options.seed = seed
      options.phrasesPerRole = phrases
      options.folds = folds
      let result: LexiconLearner.Result
      do {
        result = try LexiconLearner(options: options).run()
      } catch let failure as LexiconLearner.Failure {
        throw CommandFailure.usage(failure.description)
      } catch {
        throw CommandFailure.from(error)
      }
      let path = RawArguments.plain(out)
      do {
        try result.yaml.write(toFile: path, atomically: true, encoding: .utf8)
      } catch {
        throw CommandFailure(message: "\(path): cannot write (\(error.localizedDescription))", code: 1)
      }
      printText(Self.summary(result, path: path), terminator: "")
    }

    static func summary(_ result: LexiconLearner.Result, path: String) -> String {
      func f(_ value: Double) -> String { String(format: "%.3f", value) }
      var lines: [String] = []
      let labelled = result.postingsPerRole.values.reduce(0, +)
      lines.append(
        "\(labelled) title-labelled postings in \(result.clusters) clusters; \(result.leftOut) left out (no confident title label)"
      )
      lines.append("")
      lines.append("Cross-validated, titles hidden (learned | base lexicon, same folds):")
      lines.append("  role                          support   P      R      F1   |  P      R      F1")
      for scores in result.learned.roles {
        let base = result.handWritten.roles.first { $0.role == scores.role }
        let name = scores.role.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0)
        lines.append(
          "  \(name) \(String(format: "%7d", scores.support))  \(f(scores.precision))  \(f(scores.recall))  \(f(scores.f1))  |  \(base.map { f($0.precision) } ?? "-")  \(base.map { f($0.recall) } ?? "-")  \(base.map { f($0.f1) } ?? "-")"
        )
      }
      lines.append(
        "  macro-F1 \(f(result.learned.macroF1)) (base \(f(result.handWritten.macroF1))); accuracy \(f(result.learned.accuracy)) (base \(f(result.handWritten.accuracy)))"
      )
      lines.append("")
      lines.append("Lexicon written to \(path)")
      return lines.joined(separator: "\n") + "\n"
    }
  }
}
