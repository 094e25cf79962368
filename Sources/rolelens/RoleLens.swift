import ArgumentParser
import Foundation
import RoleLensKit

/// The `rolelens` command: parses arguments and hands the work to RoleLensKit.
@main
struct RoleLens: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rolelens",
    abstract: "Classify saved job postings by role and measure how much roles overlap.",
    discussion: """
      Exit codes: 0 success (skipped files are reported, not errors), 1 the run failed, \
      2 usage error, 3 no posting found in the inputs.
      """,
    version: Analysis.version,
    subcommands: [Analyze.self, Merge.self, Classify.self, Inspect.self, Eval.self, LexiconCommand.self]
  )

  /// Runs the command, mapping errors to the exit codes of DESIGN.md: argument errors exit 2
  /// (swift-argument-parser's default would be 64).
  static func main() {
    do {
      // The raw argv bytes, not CommandLine.arguments (which has replaced bytes that are not
      // UTF-8 with U+FFFD): see RawArguments.
      var command = try parseAsRoot(RawArguments.escaped())
      try command.run()
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch let failure as CommandFailure {
      failure.report()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        Self.exit(withError: error)
      }
      let message = fullMessage(for: error)
      writeError(message.hasSuffix("\n") ? message : message + "\n")
      Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }
  }
}

/// A failure with a one-line message and an exit code, printed as `rolelens: message`.
struct CommandFailure: Error {
  var message: String
  var code: Int32

  static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }
  static func failed(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 1) }

  /// Maps library errors to failures: missing inputs and bad lexicons are usage errors.
  static func from(_ error: Error) -> CommandFailure {
    switch error {
    case let failure as CommandFailure: return failure
    case let error as IngestError: return .usage(error.description)
    case let error as ClassifyError: return .usage(error.description)
    case let error as ReportError: return .failed(error.description)
    case let error as PartialError: return error.isUsageError ? .usage(error.description) : .failed(error.description)
    default: return .failed(String(describing: error))
    }
  }

  func report() -> Never {
    for line in message.split(separator: "\n") {
      writeError("rolelens: \(TerminalText.line(String(line)))\n")
    }
    exit(code)
  }
}

/// Prints `text` on stdout with every control character but line feed and tab made visible
/// (`TerminalText.block`): nothing read from an input reaches a terminal as an escape sequence.
func printText(_ text: String, terminator: String = "\n") {
  print(TerminalText.block(text), terminator: terminator)
}

/// Writes `text` on stderr, its control characters but line feed and tab made visible.
func writeError(_ text: String) {
  FileHandle.standardError.write(Data(TerminalText.block(text).utf8))
}

/// The stderr line of a skipped input: `rolelens: path: skipped (reason): detail`.
func reportSkip(_ skip: SkippedInput) {
  writeError(
    "rolelens: \(TerminalText.line(skip.path)): skipped (\(skip.reason.rawValue)): \(TerminalText.line(skip.detail))\n")
}
