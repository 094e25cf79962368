/// Errors of the overlap stage that stop a run.
public enum OverlapError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The temporary file that holds postings' term vectors until the end of the run could not be
  /// created, written or read back.
  case spillFile(path: String, operation: String, reason: String)
  /// The temporary file that holds the near-duplicate index's signatures could not be read
  /// back (duplicate and cluster detection, whose clusters are the overlap stage's units).
  case indexFile(path: String, operation: String, reason: String)

  /// The message for a person: the file, what could not be done to it, and why.
  public var description: String {
    switch self {
    case .spillFile(let path, let operation, let reason):
      return "\(path): cannot \(operation) the overlap stage's temporary file: \(reason)"
    case .indexFile(let path, let operation, let reason):
      return "\(path): cannot \(operation) the near-duplicate index's temporary file: \(reason)"
    }
  }
}
