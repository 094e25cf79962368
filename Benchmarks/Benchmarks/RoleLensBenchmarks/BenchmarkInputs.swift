import Foundation
import RoleLensKit

/// Realistic inputs for the micro-benchmarks, built once from the repository's own `Corpus/`.
struct BenchmarkInputs: Sendable {
  /// The largest saved page in `Corpus/saved-pages`, decoded.
  var page: String
  /// The posting extracted from `page`.
  var posting: Posting
  /// Every posting the corpus yields, classified with the bundled lexicon.
  var corpus: [(posting: Posting, classification: Classification)]
  var lexicon: Lexicon

  /// The repository's `Corpus/` folder, found from this file's place in the nested package
  /// (`Benchmarks/Benchmarks/RoleLensBenchmarks/`), so that no working directory is assumed.
  static let corpusFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // RoleLensBenchmarks/
    .deletingLastPathComponent()  // Benchmarks/Benchmarks/
    .deletingLastPathComponent()  // Benchmarks/ (the nested package)
    .deletingLastPathComponent()  // the repository
    .appendingPathComponent("Corpus")

  /// Reads the corpus with the public ingestion API and classifies every posting.
  ///
  /// - Throws: `BenchmarkInputError` when the corpus or its saved pages are missing, and the
  ///   errors of `InputWalker.walk` and `Lexicon.bundled`.
  static func load() throws -> BenchmarkInputs {
    let folder = corpusFolder.path
    guard FileManager.default.fileExists(atPath: folder) else {
      throw BenchmarkInputError(detail: "no corpus at \(folder)")
    }
    let reader = PostingReader()
    let walk = try InputWalker().walk([folder])
    let postings = walk.files.flatMap { reader.read($0).postings }

    let pages = walk.files.filter {
      $0.path.contains("/saved-pages/") && $0.path.hasSuffix(".html")
    }
    guard let largest = pages.max(by: { ($0.size, $1.path) < ($1.size, $0.path) }),
      let data = FileManager.default.contents(atPath: largest.path),
      let page = String(data: data, encoding: .utf8),
      let posting = reader.extract(page, format: .html, id: "page", path: largest.path).postings
        .first
    else {
      throw BenchmarkInputError(detail: "no readable saved page in \(folder)/saved-pages")
    }

    let lexicon = try Lexicon.bundled()
    let scorer = Scorer(lexicon: lexicon)
    let corpus = postings.map { ($0, scorer.classify(TokenizedPosting($0))) }
    return BenchmarkInputs(page: page, posting: posting, corpus: corpus, lexicon: lexicon)
  }

  // MARK: - Synthetic overlap documents

  /// `count` documents of `role`, each a corpus posting of that role (or of any role, if the
  /// corpus has too few) with a seeded random share of its terms dropped and counts scaled, so
  /// that the documents differ as real postings of one role do.
  ///
  /// - Parameter vocabulary: the term ids, shared by every document of one overlap run.
  func overlapDocuments(
    _ role: Role, count: Int, seed: UInt64, vocabulary: inout Vocabulary
  ) -> [OverlapDocument] {
    let tokenizer = Tokenizer()
    let ofRole = corpus.filter { $0.classification.role == role }
    let templates = ofRole.count >= 3 ? ofRole : corpus
    precondition(!templates.isEmpty, "the corpus yielded no posting")
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { index in
      let template = templates[index % templates.count]
      var counts: [String: Int] = [:]
      for section in template.posting.sections {
        TermCounter.count(tokenizer.tokens(section.text), into: &counts)
      }
      let scale = 1 + generator.nextIndex(below: 3)
      var kept: [String: Int] = [:]
      for (term, value) in counts.sorted(by: { $0.key < $1.key })
      where generator.nextIndex(below: 4) != 0 {
        kept[term] = value * scale
      }
      var scoresAs = [role]
      if generator.nextIndex(below: 5) == 0 {
        scoresAs.append(role == .productManager ? .technicalProjectManager : .productManager)
      }
      return OverlapDocument(
        role: role, vector: TermVector(kept, vocabulary: &vocabulary),
        skills: template.classification.skills, scoresAs: scoresAs)
    }
  }

  // MARK: - CSV rows

  /// `count` rows shaped like `postings.csv` (text columns, role, confidence, a score per role),
  /// cycling through the corpus postings.
  func postingRows(count: Int) -> [[CSVCell]] {
    (0..<count).map { index in
      let (posting, classification) = corpus[index % corpus.count]
      let text: [CSVCell] = [
        .text(posting.id), .text(posting.path), .text(posting.format.rawValue),
        .text(posting.title), .optional(posting.company), .optional(posting.location),
        .text(classification.role.rawValue), .number(classification.confidence),
        .text(classification.runnerUp.rawValue),
      ]
      return text + Role.allCases.map { CSVCell.number(classification.score($0)) }
    }
  }

  /// The header of `postingRows`.
  static let postingHeader =
    ["id", "path", "format", "title", "company", "location", "role", "confidence", "runner_up"]
    + Role.ids.map { "score_\($0)" }
}

/// Why the benchmark inputs could not be built.
struct BenchmarkInputError: Error, CustomStringConvertible {
  var detail: String
  var description: String { "RoleLensBenchmarks: \(detail)" }
}
