import Foundation
import RoleLensClassify
import RoleLensIngest
import RoleLensReport

/// Errors of `evaluate`: problems with the labels file.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The labels file could not be read.
  case unreadableLabels(path: String, reason: String)
  /// The labels file is not a labels CSV (no rows, no `file` and `label` columns) or names an
  /// unknown role; `line` is 1-based, when known.
  case badLabels(path: String, line: Int?, reason: String)

  /// `path:line: reason`, or `path: reason` when no line applies.
  public var description: String {
    switch self {
    case .unreadableLabels(let path, let reason): return "\(path): \(reason)"
    case .badLabels(let path, let line, let reason):
      return line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)"
    }
  }
}

/// The result of comparing predictions with labels.
public struct EvaluationReport: Sendable {
  /// Precision, recall and F1 per role, macro-F1, accuracy and the confusion matrix.
  public var evaluation: Evaluation
  /// Labelled files that were not found among the postings (missing or skipped).
  public var unmatched: [String]
  /// Postings without a label (ignored).
  public var unlabelled: Int
}

extension Analysis {
  /// Reads a labels CSV: `file` (a path relative to the input folder; `file#row` or a `row`
  /// column for dataset rows) and `label` (a role id).
  ///
  /// - Throws: `EvaluationError` naming the file and line of the first problem.
  public static func readLabels(_ path: String) throws -> [String: Role] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EvaluationError.unreadableLabels(path: path, reason: "cannot read the file")
    }
    let rows = CSVTable.parse(String(decoding: data, as: UTF8.self))
    guard let first = rows.first else { throw EvaluationError.badLabels(path: path, line: nil, reason: "no rows") }
    guard first.fields["file"] != nil, first.fields["label"] != nil else {
      throw EvaluationError.badLabels(path: path, line: 1, reason: "needs the columns 'file' and 'label'")
    }
    var labels: [String: Role] = [:]
    for (row, fields) in rows {
      let label = (fields["label"] ?? "").trimmingCharacters(in: .whitespaces)
      guard let role = Role(rawValue: label) else {
        throw EvaluationError.badLabels(
          path: path, line: row + 1,
          reason: "unknown role '\(ControlCharacters.replacing(label))' (known: \(Role.ids.joined(separator: ", ")))")
      }
      var file = fields["file"] ?? ""
      if let rowNumber = fields["row"], !rowNumber.isEmpty { file += "#\(rowNumber)" }
      // Posting ids have their control characters made visible (`Posting.id`); a label for a
      // file whose name holds one still matches.
      labels[ControlCharacters.replacing(file, keeping: ControlCharacters.escapedByFormats)] = role
    }
    return labels
  }

  /// Classifies every posting in the inputs and compares the roles with `labels`, matched on
  /// the posting id (the path relative to the input folder).
  public func evaluate(labels: [String: Role], minimumSupport: Int = 3, progress: (@Sendable (Int, Int) -> Void)? = nil)
    throws
    -> EvaluationReport
  {
    let records = try classifyAll(progress: progress)
    var predicted: [String: Role] = [:]
    for record in records { predicted[record.id] = record.classification.role }
    var pairs: [(gold: Role, predicted: Role)] = []
    var unmatched: [String] = []
    for (file, gold) in labels.sorted(by: { $0.key < $1.key }) {
      if let role = predicted[file] {
        pairs.append((gold, role))
      } else {
        unmatched.append(file)
      }
    }
    return EvaluationReport(
      evaluation: Evaluation(pairs: pairs, minimumSupport: minimumSupport), unmatched: unmatched,
      unlabelled: records.count - pairs.count)
  }
}
