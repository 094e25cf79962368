import Foundation
import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap
import RoleLensStorage

/// `rolelens lexicon learn`: body phrase weights learned from the user's own postings, with
/// their titles as labels (distant supervision).
///
/// Each posting is labelled by its title alone, with the lexicon's own title patterns: a role
/// when one role's pattern matches, `other` when only an `other` pattern does; postings whose
/// title matches nothing, or two roles equally, are left out. The bodies (evidence-bearing
/// sections, every role's title phrases masked, as the overlap statistics read them) become
/// unigram and bigram features valued as the scorer values a phrase (BM25-saturated counts).
///
/// The model is the scorer itself: role r's score is Σ weight · value over its phrases,
/// `other` scores the constant raw evidence at the threshold, the top score wins. A
/// multinomial logistic regression with exactly these class scores is fitted to the title
/// labels (every cluster of near-copies weighing one posting), its L2 penalty pulling each
/// weight towards the base lexicon's (a hand-written phrase keeps its weight unless the
/// postings say otherwise). Each role's strongest positive and negative terms become its
/// phrases and negative phrases; the base lexicon's phrases of three words or more, which are
/// not features, are kept as written; titles, scoring, section weights, acronyms and skills are
/// the base lexicon's.
///
/// Evaluation is cross-validated on clusters (no near-copy in both training and test folds):
/// each fold's lexicon is learned on the other folds and the real scorer reads the held-out
/// bodies with titles hidden; the base lexicon reads the same held-out bodies, for comparison.
public struct LexiconLearner: Sendable {
  /// What to learn from, and how.
  public struct Options: Sendable {
    /// The postings and how to read them (inputs, lexicon, ingest options, jobs).
    public var analysis: AnalysisOptions
    /// Seed of the folds and of the optimiser's order: the same seed gives the same lexicon.
    public var seed: UInt64 = 20_240_601
    /// Phrases kept per role (the strongest positive weights).
    public var phrasesPerRole = 200
    /// Negative phrases kept per role (the strongest negative weights).
    public var negativePerRole = 50
    /// Cross-validation folds.
    public var folds = 5
    /// L2 penalty of the regression, pulling each weight towards the base lexicon's (per
    /// posting weight). 0.02 was the best of 0.005, 0.01, 0.02, 0.04 on the 818 development
    /// postings' cross-validation.
    public var penalty = 0.02
    /// Passes of the optimiser over the training postings.
    public var epochs = 12
    /// The date written into the lexicon's comments (today when `nil`; tests fix it).
    public var date: String?
    /// Start from the base lexicon: its one- and two-word phrases are the prior the penalty
    /// pulls towards, its longer phrases are kept as written (off: learn from nothing).
    public var startFromBase = true
    /// A term is a feature only when at least this many clusters of the training postings use it.
    public var minimumClusters = 3

    /// Options for learning from `analysis.inputs`.
    public init(analysis: AnalysisOptions) {
      self.analysis = analysis
    }
  }

  /// What learning produced.
  public struct Result: Sendable {
    /// The learned lexicon as YAML, in the usual layout, with the training facts as comments.
    public var yaml: String
    /// The learned lexicon, as the scorer reads it (parsed back from `yaml`).
    public var lexicon: Lexicon
    /// Title-labelled postings per role used for training (`other` included).
    public var postingsPerRole: [Role: Int]
    /// Postings left out: no confident title label.
    public var leftOut: Int
    /// Clusters of the labelled postings (the cross-validation's unit).
    public var clusters: Int
    /// Cross-validated body-only classification with the learned lexicon.
    public var learned: Evaluation
    /// The base lexicon on the same held-out bodies.
    public var handWritten: Evaluation
  }

  /// Why learning cannot start.
  public enum Failure: Error, Sendable, CustomStringConvertible {
    /// Fewer than two roles (other than `other`) have title-labelled postings.
    case tooFewRoles(found: [Role: Int])

    public var description: String {
      switch self {
      case .tooFewRoles(let found):
        let listed = found.sorted { $0.key.index < $1.key.index }.map { "\($0.key.rawValue) \($0.value)" }
        return
          "lexicon learn needs title-labelled postings of at least 2 roles besides other; found \(listed.isEmpty ? "none" : listed.joined(separator: ", "))"
      }
    }
  }

  public let options: Options

  public init(options: Options) {
    self.options = options
  }

  /// A labelled posting: its title label, cluster, body features and body tokens.
  struct Example {
    var label: Role
    var cluster: Int
    /// Term ids (into `Corpus.terms`), ascending, each once.
    var terms: [Int32]
    /// Each term's value as the scorer would count it as a phrase (BM25-saturated count).
    var values: [Double]
    var body: TokenizedPosting
  }

  /// The labelled postings and their terms.
  struct Corpus {
    var examples: [Example] = []
    var terms: [String] = []
    var leftOut = 0
    /// The base lexicon's scoring numbers (saturation, threshold).
    var scoring: Lexicon.Scoring
    /// The base lexicon.
    var base: Lexicon
  }

  /// Reads and labels the inputs, learns the lexicon from all of them and cross-validates it.
  ///
  /// - Throws: `Failure.tooFewRoles`, and what reading the inputs or the lexicon throws.
  public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Result {
    var analysis = try Analysis(options: options.analysis)
    analysis.keepsBodies = true
    let base = analysis.lexicon
    let corpus = try Self.read(analysis, progress: progress)
    var counts: [Role: Int] = [:]
    for example in corpus.examples { counts[example.label, default: 0] += 1 }
    let roles = Role.allCases.filter { $0 != .other && (counts[$0] ?? 0) > 0 }
    guard roles.count >= 2 else { throw Failure.tooFewRoles(found: counts) }

    let all = Array(corpus.examples.indices)
    // Cross-validation on clusters, stratified by label; the folds' fits and the fit on all
    // postings are independent, so they run on `jobs` threads (results in fold order).
    let folds = Self.folds(corpus.examples, count: options.folds, seed: options.seed)
    let foldCount = max(folds.max().map { $0 + 1 } ?? 0, 1)
    let fits = OverlapAnalysis.parallelMap(foldCount + 1, jobs: options.analysis.jobs) { task -> [RoleModel] in
      let training = task == foldCount ? all : all.filter { folds[$0] != task }
      return training.isEmpty ? [] : fit(corpus, training: training, roles: roles)
    }
    let lexicon = Self.lexicon(base, model: fits[foldCount], terms: corpus.terms, options: options)
    var learnedPairs: [(gold: Role, predicted: Role)] = []
    var basePairs: [(gold: Role, predicted: Role)] = []
    let baseScorer = Scorer(lexicon: base)
    for fold in 0..<foldCount {
      let test = all.filter { folds[$0] == fold }
      guard !test.isEmpty, !fits[fold].isEmpty else { continue }
      let scorer = Scorer(lexicon: Self.lexicon(base, model: fits[fold], terms: corpus.terms, options: options))
      for index in test {
        let example = corpus.examples[index]
        learnedPairs.append((example.label, scorer.classify(example.body).role))
        basePairs.append((example.label, baseScorer.classify(example.body).role))
      }
    }
    let learned = Evaluation(pairs: learnedPairs)
    let handWritten = Evaluation(pairs: basePairs)
    let clusters = Set(corpus.examples.map(\.cluster)).count
    let source: String
    if let path = options.analysis.lexiconPath {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw ClassifyError.unreadableLexicon(path: path, reason: "cannot read the file")
      }
      source = String(decoding: data, as: UTF8.self)
    } else {
      source = try Lexicon.bundledSource()
    }
    let yaml = Self.yaml(
      base: base, source: source, lexicon: lexicon,
      facts: Self.facts(
        counts: counts, leftOut: corpus.leftOut, clusters: clusters, learned: learned, handWritten: handWritten,
        options: options))
    let parsed = try Lexicon.parse(yaml, file: "learned lexicon")
    return Result(
      yaml: yaml, lexicon: parsed, postingsPerRole: counts, leftOut: corpus.leftOut, clusters: clusters,
      learned: learned, handWritten: handWritten)
  }

  // MARK: - Reading and labelling

  /// The title label of a posting: the role whose title pattern matches (alone), `other` when
  /// only an `other` pattern matches, `nil` when no pattern matches or two roles tie.
  static func titleLabel(_ title: String, scorer: Scorer) -> Role? {
    let posting = Posting(id: "title", path: "title", format: .text, title: title, sections: [])
    let classification = scorer.classify(TokenizedPosting(posting))
    let threshold = scorer.lexicon.scoring.threshold
    let top = classification.role
    let score = classification.score(top)
    guard score > threshold else { return nil }
    if top != .other, classification.score(classification.runnerUp) >= score { return nil }
    return top
  }

  static func read(_ analysis: Analysis, progress: (@Sendable (Int, Int) -> Void)?) throws -> Corpus {
    var corpus = Corpus(scoring: analysis.lexicon.scoring, base: analysis.lexicon)
    let scoring = analysis.lexicon.scoring
    var termIndex: [String: Int32] = [:]
    var detector = DuplicateDetector()
    let scorer = Scorer(lexicon: analysis.lexicon)
    _ = try analysis.processInputs(progress: progress) { outcome in
      for processed in outcome.postings {
        let placement = detector.place(id: processed.record.id, processed.analyzed)
        guard let label = titleLabel(processed.record.title, scorer: scorer), let body = processed.body else {
          corpus.leftOut += 1
          continue
        }
        var entries: [(Int32, Double)] = []
        let counts = processed.analyzed.termCounts
        // The body's length in tokens, from its unigrams (stopwords, about 40% of a text, are
        // not counted as terms).
        let terms = (0..<counts.count).map { counts.term($0) }
        var unigrams = 0
        for (term, count) in zip(terms, counts.counts) where !term.contains(" ") { unigrams += Int(count) }
        let length = Double(unigrams) / 0.6
        let lengthFactor = scoring.bm25K1 * (1 - scoring.bm25B + scoring.bm25B * length / scoring.averageLength)
        for (index, term) in terms.enumerated() {
          let id: Int32
          if let known = termIndex[term] {
            id = known
          } else {
            id = Int32(corpus.terms.count)
            termIndex[term] = id
            corpus.terms.append(term)
          }
          // Section weights of evidence-bearing sections are 0.5-1.0; 0.85 is typical.
          let count = 0.85 * Double(counts.counts[index])
          entries.append((id, count * (scoring.bm25K1 + 1) / (count + lengthFactor)))
        }
        entries.sort { $0.0 < $1.0 }
        corpus.examples.append(
          Example(
            label: label, cluster: placement.cluster, terms: entries.map(\.0), values: entries.map(\.1), body: body))
      }
    }
    try detector.checkReads()
    return corpus
  }

  /// Each example's fold: clusters are dealt to folds in turn within each label (a cluster
  /// goes with its first posting's label), in an order shuffled by `seed`.
  static func folds(_ examples: [Example], count: Int, seed: UInt64) -> [Int] {
    var firstLabel: [Int: Role] = [:]
    var clusterOrder: [Int] = []
    for example in examples where firstLabel[example.cluster] == nil {
      firstLabel[example.cluster] = example.label
      clusterOrder.append(example.cluster)
    }
    var generator = SeededGenerator(seed: seed ^ 0x5EED_F01D)
    var foldOf: [Int: Int] = [:]
    var next = 0
    for role in Role.allCases {
      var clusters = clusterOrder.filter { firstLabel[$0] == role }
      OverlapAnalysis.shuffle(&clusters, using: &generator)
      for cluster in clusters {
        foldOf[cluster] = next % max(count, 2)
        next += 1
      }
    }
    return examples.map { foldOf[$0.cluster] ?? 0 }
  }
}
