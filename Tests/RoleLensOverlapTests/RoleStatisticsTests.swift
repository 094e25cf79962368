import RoleLensClassify
import Testing

@testable import RoleLensOverlap

@Suite("RoleStatistics")
struct RoleStatisticsTests {
  /// Postings as (term counts, skills, roles scored as).
  private static let postings: [([String: Int], [Int], [Role])] = [
    (["delivery": 2, "roadmap": 1], [0], [.technicalProjectManager, .productManager]),
    (["delivery": 1, "risk": 3], [0, 1], [.technicalProjectManager]),
    (["roadmap": 4], [], [.productManager]),
    (["risk": 1, "budget": 2, "delivery": 1], [2], []),
    (["budget": 1], [1, 2], [.deliveryManager, .technicalProjectManager]),
  ]

  private static func vectors() -> [TermVector] {
    var vocabulary = Vocabulary()
    return postings.map { TermVector($0.0, vocabulary: &vocabulary) }
  }

  private static func accumulate(_ indices: Range<Int>, _ vectors: [TermVector]) -> RoleStatistics {
    var statistics = RoleStatistics()
    for index in indices {
      statistics.add(vectors[index], skills: postings[index].1, scoresAs: postings[index].2)
    }
    return statistics
  }

  @Test("statistics of two halves, merged, equal the statistics of the whole", arguments: 0...5)
  func mergeEqualsWhole(split: Int) {
    let vectors = Self.vectors()
    var merged = Self.accumulate(0..<split, vectors)
    merged.merge(Self.accumulate(split..<vectors.count, vectors))
    #expect(merged == Self.accumulate(0..<vectors.count, vectors))
  }

  @Test("adding postings counts occurrences, documents, skills and scored-as roles")
  func addCounts() throws {
    var vocabulary = Vocabulary()
    let vectors = Self.postings.map { TermVector($0.0, vocabulary: &vocabulary) }
    let whole = Self.accumulate(0..<vectors.count, vectors)
    let delivery = try #require(vocabulary.id("delivery"))
    let budget = try #require(vocabulary.id("budget"))
    #expect(whole.postings == 5)
    // delivery: 2 + 1 + 1 occurrences in 3 postings.
    #expect(whole.termCounts[delivery] == 4)
    #expect(whole.documentFrequency[delivery] == 3)
    #expect(whole.termCounts[budget] == 3)
    #expect(whole.documentFrequency[budget] == 2)
    // 3 + 4 + 4 + 4 + 1 term occurrences.
    #expect(whole.totalTerms == 16)
    #expect(whole.skillPostings == [0: 2, 1: 2, 2: 2])
    #expect(whole.scoresAs[Role.technicalProjectManager.index] == 3)
    #expect(whole.scoresAs[Role.productManager.index] == 2)
    #expect(whole.scoresAs[Role.deliveryManager.index] == 1)
    #expect(whole.scoresAs.reduce(0, +) == 6)
  }

  @Test("merging empty statistics changes nothing")
  func mergeEmpty() {
    let vectors = Self.vectors()
    var statistics = Self.accumulate(0..<3, vectors)
    let before = statistics
    statistics.merge(RoleStatistics())
    #expect(statistics == before)
  }
}

@Suite("Vocabulary and TermVector")
struct VocabularyTests {
  @Test("terms get dense ids in first-seen order")
  func internOrder() {
    var vocabulary = Vocabulary()
    #expect(vocabulary.intern("roadmap") == 0)
    #expect(vocabulary.intern("delivery") == 1)
    #expect(vocabulary.intern("roadmap") == 0)
    #expect(vocabulary.count == 2)
    #expect(vocabulary.term(1) == "delivery")
    #expect(vocabulary.id("risk") == nil)
  }

  @Test("a posting's new terms are interned in sorted order, whatever the dictionary order")
  func termVectorInternsSorted() {
    var vocabulary = Vocabulary()
    let vector = TermVector(["zeta": 1, "alpha": 2, "mid": 3], vocabulary: &vocabulary)
    #expect(vocabulary.terms == ["alpha", "mid", "zeta"])
    #expect(vector.ids == [0, 1, 2])
    #expect(vector.counts == [2, 3, 1])
    #expect(vector.total == 6)
  }

  @Test("a term vector is sorted by term id even when ids were assigned earlier")
  func termVectorSortedById() {
    var vocabulary = Vocabulary()
    _ = vocabulary.intern("zeta")
    let vector = TermVector(["alpha": 5, "zeta": 7], vocabulary: &vocabulary)
    #expect(vector.ids == [0, 1])
    #expect(vector.counts == [7, 5])
  }
}

@Suite("SeededGenerator")
struct SeededGeneratorTests {
  @Test("the same seed gives the same stream")
  func sameSeedSameStream() {
    var first = SeededGenerator(seed: 20_240_601)
    var second = SeededGenerator(seed: 20_240_601)
    let a = (0..<100).map { _ in first.next() }
    let b = (0..<100).map { _ in second.next() }
    #expect(a == b)
  }

  @Test("different seeds give different streams")
  func differentSeeds() {
    var first = SeededGenerator(seed: 1)
    var second = SeededGenerator(seed: 2)
    #expect((0..<10).map { _ in first.next() } != (0..<10).map { _ in second.next() })
  }

  @Test("the stream is SplitMix64's, so it is the same on every platform")
  func splitMix64Reference() {
    // SplitMix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c) from state 0.
    var generator = SeededGenerator(seed: 0)
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(generator.next() == 0x06C4_5D18_8009_454F)
  }

  @Test("nextIndex(below:) stays in range", arguments: [1, 2, 3, 7, 1000, Int(Int32.max)])
  func nextIndexInRange(bound: Int) {
    var generator = SeededGenerator(seed: UInt64(bound))
    for _ in 0..<2000 {
      let index = generator.nextIndex(below: bound)
      #expect(index >= 0 && index < bound)
    }
  }

  @Test("nextIndex(below:) reaches every index of a small range")
  func nextIndexCoversRange() {
    var generator = SeededGenerator(seed: 99)
    var seen = Set<Int>()
    for _ in 0..<500 { seen.insert(generator.nextIndex(below: 7)) }
    #expect(seen == Set(0..<7))
  }
}
