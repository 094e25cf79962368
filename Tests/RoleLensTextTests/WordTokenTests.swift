import Foundation
import RoleLensStorage
import Testing
import _RoleLensTestSupport

@testable import RoleLensText

/// The word-id path (tokens as ids of a `WordTable`) must give exactly what the String path
/// gives: the same tokens, MinHash signatures and term counts, on realistic and on hostile text.
@Suite("Word ids")
struct WordTokenTests {
  /// The texts of the package's `Corpus/` files (markup and all: realistic words and noise),
  /// and generated texts mixing scripts, canonically equivalent spellings and punctuation.
  static let texts: [String] = {
    TestSupport.corpusTexts() + TokenizerFastPathTests.generatedTexts(count: 3_000, seed: 12)
      + ["Cafe\u{0301} café CAFÉ cafe\u{0301} cafe", "\u{212A}elvin kelvin", "ﬁx fix ﬁx"]
  }()

  /// `text` tokenised into ids of a fresh table.
  static func words(_ text: String) -> (tokens: [WordToken], table: WordTable) {
    var table = WordTable()
    var tokens: [WordToken] = []
    Tokenizer().appendWords(of: text, to: &tokens, words: &table)
    return (tokens, table)
  }

  /// MinHash with `size` independent hash functions, as signatures were computed before the
  /// one-permutation scheme: FNV-1a of each shingle's Strings, then one seeded mix per position.
  /// The reference the one-permutation signatures' accuracy is held to.
  static func referenceSignature(_ tokens: [String], size: Int = 64, shingleLength: Int = 5) -> [UInt64]? {
    guard tokens.count >= shingleLength else { return nil }
    var state: UInt64 = 0x5EED_0F_D0C5
    let seeds: [UInt64] = (0..<size).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      return MinHash.mix(state)
    }
    var minimums = [UInt64](repeating: .max, count: size)
    for start in 0...(tokens.count - shingleLength) {
      var hasher = FNV1a()
      for token in tokens[start..<(start + shingleLength)] {
        hasher.combine(token.utf8)
        hasher.combine(0x1F)
      }
      for index in 0..<size {
        let value = MinHash.mix(hasher.value ^ seeds[index])
        if value < minimums[index] { minimums[index] = value }
      }
    }
    return minimums
  }

  @Test("a text's word ids spell its tokens, with the same breaks")
  func idsSpellTokens() {
    for text in Self.texts {
      let (tokens, table) = Self.words(text)
      let expected = Tokenizer().tokens(text)
      #expect(tokens.map { Token(table.string($0.word), breakBefore: $0.breakBefore) } == expected)
      #expect(Set(tokens.map(\.word)).count == table.count, "every entry is a token's word")
    }
  }

  @Test("a table finds every entry, through tagged and untagged slots alike, as it grows", arguments: [1, 300, 1 << 23])
  func taggedAndUntaggedSlots(taggedLimit: Int32) {
    var table = WordTable(capacity: 4, taggedLimit: taggedLimit)
    let words = (0..<5_000).map { "w\($0 * 7919 % 5_000)x" } + ["", "é", "e\u{301}"]
    let ids = words.map { table.intern($0) }
    #expect(ids == Array(0..<Int32(words.count)), "each distinct word a new id, in order")
    for (word, id) in zip(words, ids) {
      #expect(table.intern(word) == id)
      #expect(table.string(id) == word)
    }
    #expect(table.count == words.count)
    #expect(table.findEqual("w5000x") == nil && table.findEqual("absent") == nil)
  }

  @Test("ids are byte-exact, and canonical ids join the spellings whose Strings are equal")
  func canonicalIDs() {
    var table = WordTable()
    let composed = table.intern("caf\u{E9}")
    let decomposed = table.intern("cafe\u{0301}")
    let plain = table.intern("cafe")
    #expect(composed != decomposed)
    #expect(table.canonical[Int(decomposed)] == composed)
    #expect(table.canonical[Int(plain)] == plain)
    #expect(table.findEqual("cafe\u{0301}") == composed)
    #expect(table.intern("caf\u{E9}") == composed)
  }

  @Test("MinHash signatures of ids equal those of the Strings")
  func signaturesMatch() {
    for text in Self.texts {
      let (tokens, table) = Self.words(text)
      let strings = Tokenizer().tokens(text).map(\.text)
      let ids = tokens.map(\.word)
      #expect(MinHash().signature(ids, words: table) == MinHash().signature(strings))
      #expect(
        MinHash(size: 64, shingleLength: 3).signature(ids, words: table)
          == MinHash(size: 64, shingleLength: 3).signature(strings))
    }
  }

  @Test("term counts of ids equal the String dictionary, spelt as it keys them")
  func termCountsMatch() {
    for text in Self.texts {
      let (tokens, table) = Self.words(text)
      // Sections: split where the text has a break, as posting sections start after one.
      var runs: [[WordToken]] = [[]]
      var stringRuns: [[Token]] = [[]]
      for (index, token) in tokens.enumerated() {
        if index % 97 == 96 {
          runs.append([])
          stringRuns.append([])
        }
        runs[runs.count - 1].append(token)
        stringRuns[stringRuns.count - 1].append(Token(table.string(token.word), breakBefore: token.breakBefore))
      }
      var expected: [String: Int] = [:]
      for run in stringRuns { TermCounter.count(run, into: &expected) }
      let counts = TermCounter.counts(runs, words: table)
      #expect(counts.dictionary == expected)
      // Each key spelt as the dictionary keeps it (its first spelling), byte for byte.
      let keys = Set(expected.keys.map { Array($0.utf8) })
      #expect((0..<counts.count).allSatisfy { keys.contains(Array(counts.term($0).utf8)) })
      #expect(counts.count == expected.count)
      #expect((0..<counts.count).allSatisfy { counts.hashes[$0] == FNV1a.hash(counts.term($0).utf8) })
    }
  }
}
