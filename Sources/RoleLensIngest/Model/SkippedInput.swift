/// Why an input did not become a posting.
public enum SkipReason: String, Sendable, Hashable, CaseIterable {
  /// The file has no bytes, or only white space.
  case empty
  /// The bytes are not text (NUL bytes, image or archive signatures, control characters).
  case binary
  /// The file could not be opened or read; `detail` carries the system's message.
  case unreadable
  /// The file is larger than the per-file size limit.
  case tooLarge = "too-large"
  /// The file was read but no posting text was found in it.
  case noText = "no-text"
  /// The file's extension is not one rolelens reads.
  case unsupported
  /// A symbolic link that points at nothing, or into a loop.
  case badLink = "bad-link"
  /// A FIFO, socket or device: never opened, since reading one could block.
  case specialFile = "special-file"
  /// A hidden file or folder (name starting with "."), not read: `.git`, `.DS_Store`.
  case hidden
  /// A labels file for `eval` (a CSV with `file` and `label` columns and no description
  /// column), such as `Corpus/labels.csv` beside the postings it labels: not postings.
  case labels
  /// A dataset row that could not be turned into a posting.
  case badRow = "bad-row"
  /// A compressed or structured file whose content is broken (a `.gz` that is not gzip, a
  /// dataset file that does not parse).
  case corrupt
}

/// An input that was not turned into a posting, with the reason, for `skipped.csv`.
public struct SkippedInput: Hashable, Sendable {
  /// The input's path in `PathEscaping` text form, control characters made visible.
  public var path: String
  /// The 1-based row for a dataset row; `nil` for whole files.
  public var row: Int?
  /// Why the input was skipped.
  public var reason: SkipReason
  /// One line for a person: what exactly was wrong.
  public var detail: String

  /// A skipped input; control characters in `path` (other than the line breaks and tab that CSV
  /// and JSON escape) and in `detail` are replaced by visible ones (see `ControlCharacters`), as
  /// both are printed and written into skipped.csv.
  public init(path: String, row: Int? = nil, reason: SkipReason, detail: String) {
    self.path = ControlCharacters.replacing(path, keeping: ControlCharacters.escapedByFormats)
    self.row = row
    self.reason = reason
    self.detail = ControlCharacters.replacing(detail)
  }
}
