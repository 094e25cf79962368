/// Errors of the classification stage: problems in a lexicon file.
public enum ClassifyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The lexicon file could not be read.
  case unreadableLexicon(path: String, reason: String)
  /// One or more problems in a lexicon; each is reported with its line.
  case invalidLexicon([LexiconProblem])

  /// The message for a person: the file and why it cannot be read, or one problem per line.
  public var description: String {
    switch self {
    case .unreadableLexicon(let path, let reason): return "\(path): \(reason)"
    case .invalidLexicon(let problems): return problems.map(\.description).joined(separator: "\n")
    }
  }
}

/// One problem found in a lexicon file, with where it is.
public struct LexiconProblem: Sendable, Hashable, CustomStringConvertible {
  /// The lexicon file as named in messages (its display name, or its path).
  public var file: String
  /// 1-based line, when known.
  public var line: Int?
  /// What is wrong, in words.
  public var message: String

  /// A problem in `file`, at the 1-based `line` when known.
  public init(file: String, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `file:line: message`, or `file: message` when the line is unknown.
  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}
