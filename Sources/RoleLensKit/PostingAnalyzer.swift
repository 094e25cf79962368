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
  var termCounts: TermCounts
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
    let tokenized = PostingWords(posting, tokenizer: tokenizer, includeTitle: !bodyOnly)
    let table = tokenized.words
    let lexiconIDs = scorer.lexiconIDs(of: tokenized)
    let (classification, bodyReading) = scorer.classify(
      tokenized, lexiconIDs: lexiconIDs, explain: explain, readingBody: !bodyOnly)
    let bodyRole = bodyReading ?? classification.role
    // FNV-1a of the token texts, each followed by a space.
    var fingerprint = FNV1a.offsetBasis
    func mix(_ tokens: [WordToken], of table: WordTable) {
      table.combine(tokens, separator: 0x20, into: &fingerprint)
    }
    // The fingerprint covers the title even when the scorer does not read it.
    if bodyOnly {
      var titleWords = WordTable(capacity: 16)
      var title: [WordToken] = []
      tokenizer.appendWords(of: posting.title, to: &title, words: &titleWords)
      mix(title, of: titleWords)
    } else {
      mix(tokenized.title, of: table)
    }
    var words: [Int32] = []
    words.reserveCapacity(tokenized.sections.reduce(0) { $0 + $1.tokens.count })
    for section in tokenized.sections {
      mix(section.tokens, of: table)
      for token in section.tokens { words.append(token.word) }
    }
    // Reposts change numbers (salaries, dates, counts): clusters ignore them.
    let isNumber = table.withStorage { bytes, starts in
      (0..<table.count).map { word in
        bytes[Int(starts[word])..<Int(starts[word + 1])].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
      }
    }
    let clusterWords = words.filter { !isNumber[Int($0)] }
    var runs: [[WordToken]] = []
    for section in tokenized.sections where (lexicon.sectionWeights[section.kind] ?? 0) > 0 {
      runs.append(scorer.maskingTitlePhrases(section.tokens, lexiconIDs: lexiconIDs))
    }
    return AnalyzedPosting(
      classification: classification, bodyRole: bodyRole, termCounts: TermCounter.counts(runs, words: table),
      fingerprint: fingerprint, signature: minHash.signature(words, words: table),
      clusterSignature: clusterHash.signature(clusterWords, words: table))
  }
}
