import Foundation
import RoleLensClassify
import RoleLensOverlap
import RoleLensText

extension LexiconLearner {
  /// One role's learned body evidence: phrase weights as the lexicon will hold them (already
  /// scaled to the scorer), strongest first.
  struct RoleModel {
    var role: Role
    var phrases: [(term: Int32, weight: Double)]
    var negative: [(term: Int32, weight: Double)]
  }

  // MARK: - Fitting

  /// The scorer's decision as a model: role r scores z_r = Σ_t w_rt · x_t (its phrases'
  /// weights times the posting's saturated counts of them), `other` scores the constant raw
  /// evidence at the threshold, and the top score wins. A multinomial logistic regression with
  /// exactly these class scores (no per-role bias, `other`'s fixed) is fitted to the title
  /// labels, so its weights are phrase weights the scorer reads as they were fitted.
  ///
  /// Features are the terms used by at least `minimumClusters` training clusters, numbers left
  /// out, valued as the scorer values a phrase: BM25-saturated counts (section weights taken as
  /// their typical 0.85). Each example weighs 1 / (its cluster's training postings), so six
  /// reposts count once. L2 penalty; AdaGrad over `epochs` passes in an order drawn from the
  /// seed (deterministic).
  ///
  /// - Complexity: O(epochs · roles · e) for the e term occurrences of the training examples.
  func fit(_ corpus: Corpus, training: [Int], roles: [Role]) -> [RoleModel] {
    var clustersUsing = [Int](repeating: 0, count: corpus.terms.count)
    var seen = Set<Int64>()
    var clusterSize: [Int: Int] = [:]
    for index in training {
      let example = corpus.examples[index]
      clusterSize[example.cluster, default: 0] += 1
      for term in example.terms where seen.insert(Int64(example.cluster) << 32 | Int64(term)).inserted {
        clustersUsing[Int(term)] += 1
      }
    }
    let isNumber = corpus.terms.map { term in
      !term.isEmpty && term.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }
    let usable = corpus.terms.indices.map { clustersUsing[$0] >= options.minimumClusters && !isNumber[$0] }
    var features: [[(Int32, Double)]] = []
    for index in training {
      let example = corpus.examples[index]
      features.append(
        zip(example.terms, example.values).filter { usable[Int($0.0)] }.map { ($0.0, $0.1) })
    }
    let weights = training.map { 1 / Double(clusterSize[corpus.examples[$0].cluster] ?? 1) }
    let labels = training.map { index in roles.firstIndex(of: corpus.examples[index].label) ?? roles.count }
    let otherScore = Self.rawAtThreshold(corpus.scoring)
    // The prior: the base lexicon's one- and two-word phrases as weights (negative phrases
    // negative); the penalty pulls towards it, so a hand-written phrase keeps its weight unless
    // the postings say otherwise.
    var prior = [[Double]](repeating: [Double](repeating: 0, count: corpus.terms.count), count: roles.count)
    if options.startFromBase {
      var termIndex: [String: Int] = [:]
      for (index, term) in corpus.terms.enumerated() { termIndex[term] = index }
      for (c, role) in roles.enumerated() {
        let entry = corpus.base.entry(role)
        for phrase in entry.phrases where phrase.tokens.count <= 2 {
          if let t = termIndex[phrase.tokens.joined(separator: " ")] { prior[c][t] += phrase.weight }
        }
        for phrase in entry.negative where phrase.tokens.count <= 2 {
          if let t = termIndex[phrase.tokens.joined(separator: " ")] { prior[c][t] -= phrase.weight }
        }
      }
    }
    let w = multinomial(
      features: features, labels: labels, weights: weights, classes: roles.count, dimension: corpus.terms.count,
      otherScore: otherScore, prior: prior)
    return roles.indices.map { r in
      let row = w[r]
      let ranked = row.indices.filter { row[$0] != 0 }.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
      let phrases = ranked.prefix { row[$0] > 0 }.prefix(options.phrasesPerRole).map { (Int32($0), row[$0]) }
      let negative = ranked.reversed().prefix { row[$0] < 0 }.prefix(options.negativePerRole).map {
        (Int32($0), -row[$0])
      }
      return RoleModel(role: roles[r], phrases: phrases, negative: negative)
    }
  }

  /// Weights (per class, dense over terms) of the multinomial regression whose class scores
  /// are z_c = w_c · x for the `classes` roles and the constant `otherScore` for label
  /// `classes` (other).
  func multinomial(
    features: [[(Int32, Double)]], labels: [Int], weights: [Double], classes: Int, dimension: Int, otherScore: Double,
    prior: [[Double]]
  ) -> [[Double]] {
    // Flat class-major arrays (class c's weight of term t at c · dimension + t), read and
    // written through unsafe pointers in the loop that is nearly all of the learning's time.
    var w = prior.flatMap { $0 }
    let priorFlat = w
    var squares = [Double](repeating: 0, count: classes * dimension)
    let rate = 0.5
    let penalty = options.penalty
    var order = Array(features.indices)
    var generator = SeededGenerator(seed: options.seed ^ 0xAD46_7AD0)
    var z = [Double](repeating: 0, count: classes + 1)
    w.withUnsafeMutableBufferPointer { w in
      squares.withUnsafeMutableBufferPointer { squares in
        priorFlat.withUnsafeBufferPointer { prior in
          for _ in 0..<max(options.epochs, 1) {
            OverlapAnalysis.shuffle(&order, using: &generator)
            for example in order {
              let entries = features[example]
              for c in 0..<classes {
                let offset = c * dimension
                var sum = 0.0
                for (term, value) in entries { sum += w[offset + Int(term)] * value }
                z[c] = sum
              }
              z[classes] = otherScore
              let top = z.max() ?? 0
              var total = 0.0
              for c in 0...classes {
                z[c] = exp(z[c] - top)
                total += z[c]
              }
              for c in 0..<classes {
                let g = (z[c] / total - (labels[example] == c ? 1 : 0)) * weights[example]
                let offset = c * dimension
                for (term, value) in entries {
                  let t = offset + Int(term)
                  let gradient = g * value + penalty * (w[t] - prior[t])
                  squares[t] += gradient * gradient
                  w[t] -= rate * gradient / (squares[t].squareRoot() + 1e-8)
                }
              }
            }
          }
        }
      }
    }
    return (0..<classes).map { Array(w[($0 * dimension)..<(($0 + 1) * dimension)]) }
  }

  // MARK: - The lexicon

  /// `base` with each modelled role's phrases and negative phrases replaced by the model's
  /// (weights as fitted: the model's scores are the scorer's raw evidence).
  static func lexicon(_ base: Lexicon, model: [RoleModel], terms: [String], options: Options) -> Lexicon {
    var lexicon = base
    let tokenizer = Tokenizer()
    // Phrases as the lexicon loader reads them: tokenized, each token sequence once per list.
    func phrases(_ list: [(term: Int32, weight: Double)]) -> [Lexicon.Phrase] {
      var seen = Set<[String]>()
      return list.compactMap { term, weight in
        let text = terms[Int(term)]
        let tokens = tokenizer.tokens(text).map(\.text)
        let value = Self.rounded(weight)
        guard value > 0, !tokens.isEmpty, seen.insert(tokens).inserted else { return nil }
        return Lexicon.Phrase(text: text, tokens: tokens, weight: value)
      }
    }
    for roleModel in model {
      var learned = phrases(roleModel.phrases)
      var learnedNegative = phrases(roleModel.negative)
      if options.startFromBase {
        // Longer hand-written phrases are not features: they are kept as written.
        let entry = base.entry(roleModel.role)
        let known = Set(learned.map(\.tokens) + learnedNegative.map(\.tokens))
        learned += entry.phrases.filter { $0.tokens.count > 2 && !known.contains($0.tokens) }
        learnedNegative += entry.negative.filter { $0.tokens.count > 2 && !known.contains($0.tokens) }
      }
      lexicon.roles[roleModel.role.index].phrases = learned
      lexicon.roles[roleModel.role.index].negative = learnedNegative
    }
    return lexicon
  }

  /// The raw body evidence at which the squashed body score reaches the threshold:
  /// body_max · x / (x + body_half) = threshold.
  static func rawAtThreshold(_ scoring: Lexicon.Scoring) -> Double {
    let threshold = min(scoring.threshold, scoring.bodyMax * 0.95)
    return scoring.bodyHalf * threshold / (scoring.bodyMax - threshold)
  }

  /// A weight with 3 decimals, as the YAML file writes it.
  static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
