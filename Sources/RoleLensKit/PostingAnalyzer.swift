import RoleLensClassify
import RoleLensIngest
import RoleLensStorage
import RoleLensText

/// One posting after tokenizing and classification, before corpus statistics.
struct AnalyzedPosting: Sendable {
  var classification: Classification
  /// The top role read from the body alone (title hidden), for the cross-reading shares.
  var bodyRole: Role
  /// Unigram and bigram counts of the evidence-bearing sections, with every role's title
  /// phrases masked out of the body.
  var termCounts: [String: Int]
  /// Hash of the whole token stream, for exact duplicates of postings too short to shingle.
  var fingerprint: UInt64
  /// MinHash signature of the body's 5-word shingles, for near-duplicates (`duplicate_of`).
  var signature: [UInt64]?
  /// MinHash signature of the body's 3-word shingles without numbers, for clusters of the same
  /// posting in substance (`cluster`).
  var clusterSignature: [UInt64]?
}

/// Tokenizes, classifies and fingerprints one posting: the per-posting work of a run, done on
/// worker threads.
struct PostingAnalyzer: Sendable {
  let lexicon: Lexicon
  let scorer: Scorer
  let bodyOnly: Bool
  private let tokenizer = Tokenizer()
  private let minHash = MinHash()
  private let clusterHash = MinHash(size: 64, shingleLength: 3)

  init(lexicon: Lexicon, bodyOnly: Bool) {
    self.lexicon = lexicon
    scorer = Scorer(lexicon: lexicon)
    self.bodyOnly = bodyOnly
  }

  /// Classifies `posting`, counts its terms (the evidence-bearing sections only: about-us,
  /// benefits and legal text would make every role look alike) and computes its signatures.
  ///
  /// - Complexity: O(n) in the posting's tokens.
  func analyze(_ posting: Posting, explain: Bool = false) -> AnalyzedPosting {
    let tokenized = TokenizedPosting(posting, tokenizer: tokenizer, includeTitle: !bodyOnly)
    let (classification, bodyReading) = scorer.classify(tokenized, explain: explain, readingBody: !bodyOnly)
    let bodyRole = bodyReading ?? classification.role
    var counts: [String: Int] = [:]
    var fingerprint = FNV1a()
    func mix(_ text: String) {
      fingerprint.combine(text.utf8)
      fingerprint.combine(0x20)
    }
    // The fingerprint covers the title even when the scorer does not read it.
    for token in bodyOnly ? tokenizer.tokens(posting.title) : tokenized.title { mix(token.text) }
    var words: [String] = []
    words.reserveCapacity(tokenized.sections.reduce(0) { $0 + $1.tokens.count })
    var clusterWords: [String] = []
    clusterWords.reserveCapacity(words.capacity)
    let counted = tokenized.sections.filter { (lexicon.sectionWeights[$0.kind] ?? 0) > 0 }
    // Distinct unigrams and bigrams are usually fewer than the tokens counted, so reserving
    // that many spares the table most of its rehashing.
    counts.reserveCapacity(counted.reduce(0) { $0 + $1.tokens.count })
    for tokens in tokenized.sections {
      for token in tokens.tokens {
        mix(token.text)
        words.append(token.text)
        // Reposts change numbers (salaries, dates, counts): clusters ignore them.
        if !token.text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { clusterWords.append(token.text) }
      }
    }
    for section in counted { TermCounter.count(scorer.maskingTitlePhrases(section.tokens), into: &counts) }
    return AnalyzedPosting(
      classification: classification, bodyRole: bodyRole, termCounts: counts, fingerprint: fingerprint.value,
      signature: minHash.signature(words), clusterSignature: clusterHash.signature(clusterWords))
  }
}
