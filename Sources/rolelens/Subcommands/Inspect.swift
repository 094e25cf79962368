import ArgumentParser
import Foundation
import RoleLensKit

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show what ingestion extracted from a file: title, sections, tokens.",
    discussion: "The way to debug extraction: the plain output is for reading, --json for tools."
  )

  @Argument(help: "A posting file.", completion: .file())
  var file: String

  @Flag(name: .long, help: "Print one JSON object (or an array for a dataset file).")
  var json = false

  @OptionGroup var common: CommonOptions

  func run() throws {
    let options = common.analysisOptions(inputs: [file])
    let result: ReadResult
    do {
      result = try Analysis(options: options).inspect(file)
    } catch {
      throw CommandFailure.from(error)
    }
    for skip in result.skipped {
      reportSkip(skip)
    }
    // The tokens the classifier reads (title, then body), as the tokenizer makes them.
    let tokenizer = Tokenizer()
    func tokens(_ posting: Posting) -> [String] { tokenizer.tokens(posting.title + "\n" + posting.text).map(\.text) }
    if json {
      let objects = result.postings.map { PostingText.json($0, tokens: tokens($0)) }
      if objects.count == 1, let only = objects.first {
        printText(only.rendered())
      } else {
        printText(JSONValue.array(objects).rendered())
      }
    } else {
      for posting in result.postings { printText(PostingText.plain(posting, tokens: tokens(posting))) }
    }
    if result.postings.isEmpty { throw CommandFailure(message: "\(file): no posting found", code: 3) }
  }
}
