import Foundation
import RoleLensStorage
import Testing
import _RoleLensTestSupport

@testable import RoleLensText

/// Near-duplicate detection: the same posting saved once per city, or reposted with a new date,
/// must be recognised; different postings must not be.
@Suite("MinHash and near-duplicates")
struct MinHashTests {
  /// A realistic posting body, with the city as a parameter.
  static func posting(city: String, company: String = "Northwind Logistics") -> [String] {
    let text = """
      \(company) is looking for a technical project manager to join the platform group in \(city). \
      You will run the migration of our warehouse management system to the cloud, plan the cutover \
      weekends with operations, and keep the vendor, the infrastructure team and the data team on one \
      schedule. You will own the risk register, report progress to the steering committee every two \
      weeks, and make sure every site is trained before go-live. We are looking for someone with five \
      or more years of experience delivering technical projects with hard deadlines, who is at ease \
      with Jira, Confluence and cloud networking, and who can explain a delay to an executive without \
      drama. Experience in logistics or retail is a plus. The role is based in \(city), with two days \
      a week from home.
      """
    return Tokenizer().tokens(text).map(\.text)
  }

  static let productPosting: [String] = Tokenizer().tokens(
    """
    Fabrikam builds the payment terminals used by forty thousand independent shops. As our product \
    manager for refunds you own the roadmap, interview shop owners each week, write crisp problem \
    statements, prioritise ruthlessly with design and engineering, and measure every launch with \
    experiments and funnel analysis. You bring four years of product management in fintech, sharp \
    judgment about trade-offs, and the habit of talking to customers before writing specifications.
    """
  ).map(\.text)

  /// `tokens` with the words at `positions` replaced by distinct new words.
  static func edited(_ tokens: [String], at positions: [Int], tag: String) -> [String] {
    var copy = tokens
    for position in positions { copy[position] = "\(tag)\(position)" }
    return copy
  }

  // MARK: - Similarity

  @Test("identical token lists have similarity 1")
  func identicalSimilarity() throws {
    let minHash = MinHash()
    let a = try #require(minHash.signature(Self.posting(city: "Rotterdam")))
    let b = try #require(minHash.signature(Self.posting(city: "Rotterdam")))
    #expect(MinHash.similarity(a, b) == 1)
  }

  @Test("postings with no words in common have similarity near 0")
  func disjointSimilarity() throws {
    let minHash = MinHash()
    let a = try #require(minHash.signature(Self.posting(city: "Rotterdam")))
    let b = try #require(minHash.signature(Self.productPosting))
    #expect(MinHash.similarity(a, b) <= 0.05)
  }

  @Test("the same posting saved for another city is a near-duplicate (similarity ≥ 0.8)")
  func cityChangedSimilarity() throws {
    let minHash = MinHash()
    let a = try #require(minHash.signature(Self.posting(city: "Rotterdam")))
    let b = try #require(minHash.signature(Self.posting(city: "Antwerp")))
    let similarity = MinHash.similarity(a, b)
    #expect(similarity >= 0.8)
    #expect(similarity < 1)
  }

  @Test("a text shorter than one shingle has no signature", arguments: [0, 1, 4])
  func tooShortHasNoSignature(count: Int) {
    let tokens = Array(Self.posting(city: "Rotterdam").prefix(count))
    #expect(MinHash().signature(tokens) == nil)
  }

  @Test("a text of exactly one shingle has a signature of the configured size")
  func oneShingleHasSignature() throws {
    let tokens = Array(Self.posting(city: "Rotterdam").prefix(5))
    let signature = try #require(MinHash().signature(tokens))
    #expect(signature.count == 64)
    #expect(MinHash(size: 16, shingleLength: 3).signature(Array(tokens.prefix(3)))?.count == 16)
  }

  @Test("signatures are the same from separate MinHash instances (runs are reproducible)")
  func deterministicAcrossInstances() {
    let tokens = Self.posting(city: "Rotterdam")
    let first = MinHash().signature(tokens)
    let second = MinHash().signature(tokens)
    #expect(first != nil)
    #expect(first == second)
    #expect(MinHash(size: 32).signature(tokens) == MinHash(size: 32).signature(tokens))
  }

  // MARK: - Index

  @Test("the index returns nil for distinct postings and the earliest original for near-duplicates")
  func indexFindsEarliestOriginal() throws {
    let minHash = MinHash()
    var index = NearDuplicateIndex()
    let rotterdam = try #require(minHash.signature(Self.posting(city: "Rotterdam")))
    let product = try #require(minHash.signature(Self.productPosting))
    let antwerp = try #require(minHash.signature(Self.posting(city: "Antwerp")))
    let ghent = try #require(minHash.signature(Self.posting(city: "Ghent")))
    #expect(index.add(rotterdam) == nil)
    #expect(index.add(product) == nil)
    #expect(index.add(antwerp) == 0)
    #expect(index.add(ghent) == 0)
    #expect(index.add(product) == 1)
  }

  @Test("an exact repost is a duplicate of the first copy")
  func indexExactRepost() throws {
    let signature = try #require(MinHash().signature(Self.productPosting))
    var index = NearDuplicateIndex()
    #expect(index.add(signature) == nil)
    #expect(index.add(signature) == 0)
    #expect(index.add(signature) == 0)
  }

  @Test("a posting near a duplicate of A, and near A itself, points at A")
  func indexChainNearBoth() throws {
    let minHash = MinHash()
    let a = Self.posting(city: "Rotterdam")
    let b = Self.edited(a, at: [20], tag: "b")
    let c = Self.edited(b, at: [60], tag: "c")
    let signatures = try [a, b, c].map { try #require(minHash.signature($0)) }
    try #require(MinHash.similarity(signatures[2], signatures[0]) >= 0.8)
    var index = NearDuplicateIndex()
    #expect(index.add(signatures[0]) == nil)
    #expect(index.add(signatures[1]) == 0)
    #expect(index.add(signatures[2]) == 0)
  }

  @Test("a chain C near B near A points at A, even when C alone is not near A")
  func indexChainThroughDuplicate() throws {
    let minHash = MinHash()
    let a = Self.posting(city: "Rotterdam")
    // Two words changed each time, in the first of the placements (shifted by 0, 1, …) whose
    // estimates meet the premise: B is near A, C is near B, but C is not near A (the exact
    // similarities are about 0.87, 0.87 and 0.76; signatures are deterministic).
    let premise = (0..<40).lazy.compactMap { shift -> [[UInt64]]? in
      let b = Self.edited(a, at: [3 + shift, 45 + shift], tag: "b")
      let c = Self.edited(b, at: [80 + shift, 120 + shift], tag: "c")
      guard let signatures = [a, b, c].map({ minHash.signature($0) }) as? [[UInt64]] else { return nil }
      let near = { (x: Int, y: Int) in MinHash.similarity(signatures[x], signatures[y]) >= 0.8 }
      return near(1, 0) && near(2, 1) && !near(2, 0) ? signatures : nil
    }.first
    let signatures = try #require(premise)
    var index = NearDuplicateIndex()
    #expect(index.add(signatures[0]) == nil)
    #expect(index.add(signatures[1]) == 0)
    #expect(index.add(signatures[2]) == 0)
  }

  @Test("postings added thousands apart, in different blocks of the index, are still found")
  func indexAcrossBlocks() throws {
    let minHash = MinHash()
    let cities = ["Rotterdam", "Antwerp", "Ghent"]
    var index = NearDuplicateIndex()
    #expect(index.add(try #require(minHash.signature(Self.posting(city: cities[0])))) == nil)
    // Fillers in between: variants of the product posting, three words changed in each.
    let product = Self.productPosting
    for filler in 0..<(RowBlocks<UInt32>.rowsPerBlock + 10) {
      let positions = [filler % 20, 20 + filler / 20 % 20, 40 + filler / 400 % 20]
      let signature = try #require(minHash.signature(Self.edited(product, at: positions, tag: "f\(filler)-")))
      _ = index.add(signature)
    }
    let ghent = try #require(minHash.signature(Self.posting(city: cities[2])))
    #expect(index.add(ghent) == 0)
    #expect(index.count == RowBlocks<UInt32>.rowsPerBlock + 12)
  }

  @Test("signatures that agree only in their low 4 bits are not similar: the sketch only rules candidates out")
  func sketchAloneIsNotSimilarity() throws {
    let folder = try TestSupport.temporaryFolder("rolelens-index")
    defer { try? FileManager.default.removeItem(at: folder) }
    var generator = TokenizerFastPathTests.Generator(state: 0x5EE7C4)
    let original = (0..<64).map { _ in generator.next() }
    // A candidate through band 0 (positions 0-3 kept whole), whose other 60 positions keep
    // their low 4 bits and change above them: its sketch agrees everywhere, its signature in 4
    // positions of 64, below the threshold's 32.
    let lookalike = original.enumerated().map { $0.offset < 4 ? $0.element : $0.element ^ 0x30 }
    var copy = original
    copy[3] ^= 1
    for spilled in [false, true] {
      var index = NearDuplicateIndex(threshold: 0.5, bands: 16, spillDirectory: spilled ? folder.path : nil)
      index.spillRowsPerWrite = 1
      #expect(index.add(original) == nil)
      #expect(index.add(lookalike) == nil, "spilled: \(spilled)")
      #expect(index.add(copy) == 0, "spilled: \(spilled)")
      #expect(index.add(lookalike) == 1, "spilled: \(spilled)")
    }
  }

  @Test("bucket heads give each key's latest posting, as a dictionary would, through every growth")
  func bucketHeadsMatchDictionary() {
    var generator = TokenizerFastPathTests.Generator(state: 0xB0C4E7)
    var heads = BucketHeads()
    var reference: [UInt32: Int32] = [:]
    // Keys drawn from a pool, so that many are set again; keys near 0 and near 2³² (home slots
    // at either end of the table, probing around its end).
    let pool = (0..<40_000).map { _ in UInt32(truncatingIfNeeded: generator.next()) } + [0, 1, .max, .max - 1]
    var wrong = 0
    for posting in 0..<120_000 {
      let key = pool[Int(generator.next() % UInt64(pool.count))]
      if heads.head(key) != reference[key] ?? -1 { wrong += 1 }
      heads.setHead(key, Int32(posting))
      reference[key] = Int32(posting)
    }
    #expect(wrong == 0)
    #expect(heads.count == reference.count)
    #expect(pool.filter { heads.head($0) != reference[$0] ?? -1 }.isEmpty)
    #expect(heads.head(0x1234_5678) == (reference[0x1234_5678] ?? -1))
    heads.setHead(7, Int32.max)
    #expect(heads.head(7) == Int32.max)
  }

  @Test("a row file reads back every row, from memory and from its file, and a copy is independent")
  func rowFileRoundTrip() throws {
    let folder = try TestSupport.temporaryFolder("rolelens-rows")
    defer { try? FileManager.default.removeItem(at: folder) }
    func row(_ number: Int) -> [UInt16] { [UInt16(number % 65_536), UInt16(number / 7 % 65_536), 0xBEEF] }
    for directory in [nil, folder.path, folder.appendingPathComponent("missing").path] {
      let table = RowFile<UInt16>(width: 3, directory: directory, rowsPerWrite: 5)
      let rows = 1_003
      for number in 0..<rows { table.append(row(number)) }
      #expect(table.count == rows)
      // With a directory that exists, all but the last partial write are in the file.
      #expect(table.rowsInMemory == (directory == folder.path ? rows % 5 : rows), "\(directory ?? "nil")")
      let wrong = (0..<rows).filter { table.withRow($0) { Array($0) } != row($0) }
      #expect(wrong.isEmpty, "\(directory ?? "nil"): rows read back wrong: \(wrong.prefix(5))")
      let copy = table.copy()
      copy.append(row(rows))
      #expect(table.count == rows && copy.count == rows + 1)
      #expect(copy.withRow(rows) { Array($0) } == row(rows) && copy.withRow(17) { Array($0) } == row(17))
      #expect(table.failure == nil)
    }
    // The file was unlinked as soon as it was made: nothing is left in the folder.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  @Test("a block array reads back and updates every element, across blocks")
  func blockArrayRoundTrip() {
    var array = BlockArray<Int32>()
    let count = 2 * BlockArray<Int32>.blockSize + 5
    for index in 0..<count { array.append(Int32(index * 3)) }
    #expect(array.count == count)
    array[BlockArray<Int32>.blockSize] = -1
    #expect(array[0] == 0 && array[BlockArray<Int32>.blockSize - 1] == Int32((BlockArray<Int32>.blockSize - 1) * 3))
    #expect(array[BlockArray<Int32>.blockSize] == -1 && array[count - 1] == Int32((count - 1) * 3))
  }

  @Test("a row table reads back every row it was given, across blocks")
  func rowBlocksRoundTrip() {
    var table = RowBlocks<Int32>(width: 3)
    let rows = 3 * RowBlocks<Int32>.rowsPerBlock + 7
    for row in 0..<rows { table.append([Int32(row), Int32(-row), 7]) }
    #expect(table.count == rows)
    for row in [0, 1, RowBlocks<Int32>.rowsPerBlock - 1, RowBlocks<Int32>.rowsPerBlock, rows - 1] {
      #expect(table[row, 0] == Int32(row))
      #expect(table[row, 1] == Int32(-row))
      #expect(table.withRow(row) { Array($0) } == [Int32(row), Int32(-row), 7])
    }
  }

  @Test("chain links read back as given: none, near, just below and past the 16-bit distance")
  func chainLinksRoundTrip() {
    var links = ChainLinks(width: 3)
    var expected: [[Int32]] = []
    let rows = Int(UInt16.max) + 2_000
    for row in 0..<rows {
      // Column 0: none or the previous row; 1: 65,534 back (the last stored distance) when
      // there is one; 2: always row 0, so past row 65,535 a link kept aside.
      let near: Int32 = row % 3 == 0 ? -1 : Int32(row - 1)
      let edge: Int32 = row >= Int(UInt16.max) - 1 ? Int32(row - Int(UInt16.max) + 1) : -1
      let first: Int32 = row == 0 ? -1 : 0
      let row = [near, edge, first]
      links.append(row)
      expected.append(row)
    }
    #expect(links.count == rows)
    var mismatches = 0
    for row in 0..<rows {
      for column in 0..<3 where links[row, column] != expected[row][column] { mismatches += 1 }
    }
    #expect(mismatches == 0)
    #expect(links[rows - 1, 2] == 0)
    #expect(links[Int(UInt16.max), 1] == 1)

    // Rows of some postings only: links are read back from the posting each row came from.
    var sparse = ChainLinks(width: 2)
    let origins = [5, 70_000, 70_001]
    sparse.append([4, -1], from: origins[0])
    sparse.append([69_999, 3], from: origins[1])
    sparse.append([-1, 1], from: origins[2])
    #expect((0..<3).map { sparse[$0, 0, from: origins[$0]] } == [4, 69_999, -1])
    #expect((0..<3).map { sparse[$0, 1, from: origins[$0]] } == [-1, 3, 1])
  }

  /// What `NearDuplicateIndex.add` must return, found the slow way: every earlier signature that
  /// shares a band bucket is compared, and the earliest original among the similar ones wins.
  static func bruteForceOriginals(_ signatures: [[UInt64]], threshold: Double = 0.8, bands: Int = 16) -> [Int?] {
    func keys(_ signature: [UInt64]) -> [UInt32] {
      let rows = max(signature.count / bands, 1)
      return (0..<bands).map { band in
        var key: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
        for position in (band * rows)..<min((band + 1) * rows, signature.count) {
          key = MinHash.mix(key ^ signature[position])
        }
        return UInt32(truncatingIfNeeded: key)
      }
    }
    let truncated = signatures.map { $0.map { UInt16(truncatingIfNeeded: $0) } }
    let allKeys = signatures.map(keys)
    var originals: [Int] = []
    var results: [Int?] = []
    for (index, signature) in truncated.enumerated() {
      var best: Int?
      for earlier in 0..<index where zip(allKeys[index], allKeys[earlier]).contains(where: ==) {
        let equal = zip(signature, truncated[earlier]).filter(==).count
        if Double(equal) / Double(signature.count) >= threshold { best = min(best ?? .max, originals[earlier]) }
      }
      results.append(best)
      originals.append(best ?? index)
    }
    return results
  }

  /// A posting P, then `fillers` unrelated postings that share P's first band (a band value
  /// common to many postings, like a boilerplate sentence's) and nothing else.
  static func crowdedBand(fillers: Int) -> (original: [UInt64], fillers: [[UInt64]]) {
    var generator = TokenizerFastPathTests.Generator(state: 0xC0_FFEE)
    let original = (0..<64).map { _ in generator.next() }
    let others = (0..<fillers).map { _ in Array(original[0..<4]) + (4..<64).map { _ in generator.next() } }
    return (original, others)
  }

  @Test("a copy behind a crowded bucket is found through its other bands, within the step limit")
  func crowdedBucketCopyFound() {
    let (original, fillers) = Self.crowdedBand(fillers: 3_000)
    var index = NearDuplicateIndex()
    #expect(index.add(original) == nil)
    for filler in fillers { #expect(index.add(filler) == nil) }
    // One position changed: 0.98 similar, sharing 15 of 16 bands with P.
    var copy = original
    copy[40] ^= 1
    #expect(index.add(copy) == 0)
  }

  @Test("a posting sharing only a crowded band with its match is found only without the step limit")
  func crowdedBucketStepLimit() {
    let (original, fillers) = Self.crowdedBand(fillers: 3_000)
    // Similar at 0.77 (threshold 0.5) but one position changed in each band after the first.
    var variant = original
    for band in 1..<16 { variant[band * 4] ^= 1 }
    for (limit, expected) in [(Int.max, 0 as Int?), (64, nil)] {
      var index = NearDuplicateIndex(threshold: 0.5, stepLimit: limit)
      _ = index.add(original)
      for filler in fillers { _ = index.add(filler) }
      #expect(index.add(variant) == expected, "step limit \(limit)")
    }
  }

  @Test(
    "the index finds the same originals as comparing every pair that shares a bucket, its signatures in memory or in a file"
  )
  func indexMatchesBruteForce() throws {
    // Clusters of copies and drifting variants (each a few positions away from an earlier
    // member), interleaved, so that buckets mix many originals and chains run through copies.
    var generator = TokenizerFastPathTests.Generator(state: 0x0D0_0B1E)
    var clusters: [[[UInt64]]] = []
    var signatures: [[UInt64]] = []
    for _ in 0..<1200 {
      let choice = Int(generator.next() % 10)
      if clusters.isEmpty || choice == 0 {
        let fresh = (0..<64).map { _ in generator.next() }
        clusters.append([fresh])
        signatures.append(fresh)
        continue
      }
      let cluster = Int(generator.next() % UInt64(clusters.count))
      let members = clusters[cluster]
      var variant = members[Int(generator.next() % UInt64(members.count))]
      // Half exact copies; the others move 1–20 positions (similarity 0.69–0.98 to their source).
      if choice >= 5 {
        for _ in 0..<(1 + Int(generator.next() % 20)) { variant[Int(generator.next() % 64)] = generator.next() }
      }
      clusters[cluster].append(variant)
      signatures.append(variant)
    }
    let folder = try TestSupport.temporaryFolder("rolelens-index")
    defer { try? FileManager.default.removeItem(at: folder) }
    let expected = Self.bruteForceOriginals(signatures)
    for spilled in [false, true] {
      var index = NearDuplicateIndex(stepLimit: .max, spillDirectory: spilled ? folder.path : nil)
      index.spillRowsPerWrite = 7
      let found = signatures.map { index.add($0) }
      #expect(index.readFailure == nil)
      let mismatches = zip(found, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
      #expect(found.count == expected.count)
      #expect(
        mismatches.isEmpty,
        "signatures spilled: \(spilled); postings whose original differs from the brute force: \(mismatches.prefix(10))"
      )
    }
    // The premise: the corpus has duplicates, originals and long chains of copies.
    #expect(expected.compactMap { $0 }.count > 700)
    #expect(expected.filter { $0 == nil }.count > 100)
  }
}

/// The one-permutation signatures must estimate Jaccard similarity as well as `size` independent
/// hash functions do: no bias, no more spread, at every level of similarity and for short texts
/// whose empty bins are filled by densification.
@Suite("MinHash accuracy")
struct MinHashAccuracyTests {
  /// The exact Jaccard similarity of two token lists' shingle sets.
  static func jaccard(_ a: [String], _ b: [String], shingleLength: Int) -> Double {
    func shingles(_ tokens: [String]) -> Set<[String]> {
      Set((0...(tokens.count - shingleLength)).map { Array(tokens[$0..<($0 + shingleLength)]) })
    }
    let (x, y) = (shingles(a), shingles(b))
    return Double(x.intersection(y).count) / Double(x.union(y).count)
  }

  /// Pairs of a realistic text and an edited copy: the Corpus/ texts (or the test's posting when
  /// they are absent), each cut to `length` words, with 1 to 40% of the words replaced.
  static func pairs(length: Int, count: Int, seed: UInt64) -> [([String], [String])] {
    var texts = TestSupport.corpusTexts().map { Tokenizer().tokens($0).map(\.text) }.filter { $0.count >= length }
    if texts.isEmpty { texts = [MinHashTests.posting(city: "Rotterdam")] }
    var generator = TokenizerFastPathTests.Generator(state: seed)
    return (0..<count).map { pair in
      let text = texts[pair % texts.count]
      let start = Int(generator.next() % UInt64(text.count - length + 1))
      let original = Array(text[start..<(start + length)])
      let edits = 1 + Int(generator.next() % UInt64(max(length * 2 / 5, 1)))
      let positions = (0..<edits).map { _ in Int(generator.next() % UInt64(length)) }
      return (original, MinHashTests.edited(original, at: positions, tag: "e\(pair)-"))
    }
  }

  /// Mean error and root mean square error of an estimator over pairs.
  static func errors(
    _ pairs: [([String], [String])], shingleLength: Int, _ estimate: ([String], [String]) -> Double
  ) -> (bias: Double, rmse: Double) {
    let differences = pairs.map { estimate($0.0, $0.1) - jaccard($0.0, $0.1, shingleLength: shingleLength) }
    let bias = differences.reduce(0, +) / Double(differences.count)
    let rmse = (differences.map { $0 * $0 }.reduce(0, +) / Double(differences.count)).squareRoot()
    return (bias, rmse)
  }

  @Test(
    "one-permutation estimates are unbiased and no noisier than 64 hash functions",
    arguments: [(400, 5), (400, 3), (60, 5), (20, 3)])
  func unbiasedEstimates(length: Int, shingleLength: Int) throws {
    let pairs = Self.pairs(length: length, count: 600, seed: UInt64(length * 10 + shingleLength))
    let minHash = MinHash(size: 64, shingleLength: shingleLength)
    let onePermutation = Self.errors(pairs, shingleLength: shingleLength) { a, b in
      MinHash.similarity(minHash.signature(a)!, minHash.signature(b)!)
    }
    let independent = Self.errors(pairs, shingleLength: shingleLength) { a, b in
      MinHash.similarity(
        WordTokenTests.referenceSignature(a, shingleLength: shingleLength)!,
        WordTokenTests.referenceSignature(b, shingleLength: shingleLength)!)
    }
    // The premise: the pairs span similarities from low to near 1.
    let exact = pairs.map { Self.jaccard($0.0, $0.1, shingleLength: shingleLength) }
    try #require(exact.min()! < 0.4 && exact.max()! > 0.85)
    // 600 pairs: the standard error of a mean error is about 0.06 / √600 ≈ 0.0025.
    #expect(abs(onePermutation.bias) < 0.01, "bias \(onePermutation.bias)")
    #expect(
      onePermutation.rmse <= independent.rmse * 1.15 + 0.002, "rmse \(onePermutation.rmse) vs \(independent.rmse)")
  }

  @Test("a text of a few shingles still has a full signature, and identical texts agree everywhere")
  func shortTextsAreDensified() throws {
    let tokens = Array(MinHashTests.posting(city: "Rotterdam").prefix(7))
    let signature = try #require(MinHash().signature(tokens))
    #expect(signature.count == 64)
    #expect(!signature.contains(.max), "every bin is filled")
    #expect(Set(signature).count == 3, "three shingles, three values")
    #expect(MinHash.similarity(signature, try #require(MinHash().signature(tokens))) == 1)
  }
}
