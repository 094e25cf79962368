/// Errors of the classification stage: problems in a lexicon file.
public enum ClassifyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The lexicon file could not be read.
  case unreadableLexicon(path: String, reason: String)
  /// One or more problems in a lexicon; each is reported with its line.
  case invalidLexicon([LexiconProblem])

  public var description: String {
    switch self {
    case .unreadableLexicon(let path, let reason): return "\(path): \(reason)"
    case .invalidLexicon(let problems): return problems.map(\.description).joined(separator: "\n")
    }
  }
}

/// One problem found in a lexicon file, with where it is.
public struct LexiconProblem: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  /// 1-based line, when known.
  public var line: Int?
  public var message: String

  public init(file: String, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}
