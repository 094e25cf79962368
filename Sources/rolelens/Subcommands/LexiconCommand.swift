import ArgumentParser
import Foundation
import RoleLensKit

struct LexiconCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lexicon",
    abstract: "Show the active lexicon or validate a lexicon file.",
    subcommands: [Show.self, Validate.self]
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
}
