/// Errors of the ingest stage that stop a run (per-file problems become `SkippedInput`s).
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An input path given by the user does not exist.
  case inputNotFound(path: String)

  /// The message for a person: the path and what is wrong with it.
  public var description: String {
    switch self {
    case .inputNotFound(let path): return "\(path): no such file or folder"
    }
  }
}
