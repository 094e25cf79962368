import CZlib
import Foundation
import Testing
import _RoleLensTestSupport

/// `analyze --shard K/N --partial FILE` and `merge`: a run split into shards and merged gives
/// exactly the reports of one run, and merge refuses partials that are not one run's.
@Suite("rolelens analyze --shard and merge, end to end")
struct ShardMergeTests {
  // MARK: - Helpers

  /// Every file of a report folder, by name.
  static func files(in folder: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return result
  }

  /// Runs every shard of `n` with `options`, then merges them into `folder/merged-n`.
  ///
  /// - Returns: The merged folder, and each shard's stdout line.
  @discardableResult
  static func shardAndMerge(_ inputs: [String], n: Int, options: [String], in folder: URL) throws -> (
    merged: URL, lines: [String]
  ) {
    var partials: [String] = []
    var lines: [String] = []
    for k in 1...n {
      let partial = folder.appendingPathComponent("part-\(k)-of-\(n).rlp").path
      let result = try TestSupport.run(
        ["analyze"] + inputs + options + ["--shard", "\(k)/\(n)", "--partial", partial, "--quiet"])
      #expect(result.status == 0, "shard \(k)/\(n): \(result.stderr)")
      lines.append(result.stdout)
      partials.append(partial)
    }
    let merged = folder.appendingPathComponent("merged-\(n)")
    // Given in reverse: the order of the partials does not matter.
    let result = try TestSupport.run(["merge"] + partials.reversed() + ["--out", merged.path, "--quiet"])
    #expect(result.status == 0, "merge of \(n): \(result.stderr)")
    return (merged, lines)
  }

  /// Checks that splitting `inputs` into each of `counts` shards and merging writes the files
  /// one run writes, byte for byte.
  static func expectSameAsOneRun(_ inputs: [String], counts: [Int], options: [String]) throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let single = folder.appendingPathComponent("single")
    let result = try TestSupport.run(["analyze"] + inputs + options + ["--out", single.path, "--quiet"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let expected = try files(in: single)
    #expect(expected["postings.csv"] != nil && expected["summary.json"] != nil)
    for n in counts {
      let (merged, _) = try shardAndMerge(inputs, n: n, options: options, in: folder)
      let got = try files(in: merged)
      #expect(got.keys.sorted() == expected.keys.sorted(), "N = \(n)")
      for (name, data) in expected {
        #expect(got[name] == data, "N = \(n): \(name) differs from one run's")
      }
    }
  }

  /// The files under `folder` whose names end in `suffix`, as sorted relative paths.
  static func corpusFiles(in folder: URL, suffix: String) -> [String] {
    let paths = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
    return paths.filter { $0.hasSuffix(suffix) }.sorted()
  }

  /// Corpus's shards 1-3 of 3, made once per test.
  static func corpusPartials(in folder: URL, options: [String] = []) throws -> [String] {
    try (1...3).map { k in
      let path = folder.appendingPathComponent("part-\(k).rlp").path
      let result = try TestSupport.run(
        ["analyze", "Corpus", "--shard", "\(k)/3", "--partial", path, "--quiet", "--bootstrap", "20", "--permutations", "20"]
          + options)
      #expect(result.status == 0, "stderr: \(result.stderr)")
      return path
    }
  }

  /// Runs `merge` on `partials` and checks it is refused with exit 2, one line on stderr
  /// holding `message`, and no report written.
  static func expectRefused(_ partials: [String], saying message: String, in folder: URL) throws {
    let out = folder.appendingPathComponent("refused")
    let result = try TestSupport.run(["merge"] + partials + ["--out", out.path, "--quiet"])
    #expect(result.status == 2, "stdout: \(result.stdout) stderr: \(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "stderr: \(result.stderr)")
    #expect(result.stderr.hasPrefix("rolelens: ") && result.stderr.contains(message), "stderr: \(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("postings.csv").path))
  }

  // MARK: - Same reports as one run

  @Test("Corpus split into 1, 2, 3 and 7 shards and merged: the reports of one run, byte for byte")
  func corpusIdentical() throws {
    try Self.expectSameAsOneRun(["Corpus"], counts: [1, 2, 3, 7], options: ["--by", "year"])
  }

  @Test("more shards than files: the empty shards write valid partials and the merge is still exact")
  func emptyShards() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let inputs = folder.appendingPathComponent("few")
    try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
    for name in Self.corpusFiles(in: TestSupport.corpus, suffix: ".txt").prefix(3) {
      let source = TestSupport.corpus.appendingPathComponent(name)
      try FileManager.default.copyItem(at: source, to: inputs.appendingPathComponent(source.lastPathComponent))
    }
    let (merged, lines) = try Self.shardAndMerge(
      [inputs.path], n: 5, options: ["--bootstrap", "20", "--permutations", "20"], in: folder)
    #expect(lines[3].hasPrefix("shard 4/5: 0 postings, 0 skipped, from 0 files"), "\(lines[3])")
    #expect(lines[4].hasPrefix("shard 5/5: 0 postings"))
    let single = folder.appendingPathComponent("single")
    let result = try TestSupport.run([
      "analyze", inputs.path, "--out", single.path, "--quiet", "--bootstrap", "20", "--permutations", "20",
    ])
    #expect(result.status == 0)
    #expect(try Self.files(in: merged) == Self.files(in: single))
  }

  @Test(
    "the 818 real postings split into 1, 2, 3 and 7 shards and merged: the reports of one run",
    .enabled(if: TestSupport.sharedData != nil, "needs ../shared/data (absent in a fresh clone)"))
  func sharedPostingsIdentical() throws {
    let postings = try #require(TestSupport.sharedData).appendingPathComponent("postings").path
    try Self.expectSameAsOneRun(
      [postings], counts: [1, 2, 3, 7], options: ["--by", "year", "--bootstrap", "100", "--permutations", "100"])
  }

  /// A CSV dataset of Corpus's postings, repeated to `rows` rows with a row number in each
  /// (so many rows are near-duplicates of rows far away: in other shards' blocks).
  static func dataset(rows: Int, in folder: URL, jsonLines: Bool = false) throws -> URL {
    let texts = TestSupport.corpusTexts().filter { !$0.hasPrefix("file,") && !$0.isEmpty }
    var lines = jsonLines ? [] : ["title,description,date_posted"]
    for row in 0..<rows {
      let text = texts[row % texts.count]
      let title = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
      let body = (text.split(separator: "\n", maxSplits: 1).dropFirst().first.map(String.init) ?? text)
        + "\nReference \(row)."
      let date = "20\(21 + row % 4)-0\(1 + row % 9)-15"
      if jsonLines {
        let object: [String: String] = ["title": title, "description": body, "date_posted": date]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        lines.append(String(decoding: data, as: UTF8.self))
      } else {
        func cell(_ value: String) -> String { "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        lines.append([cell(title), cell(body), date].joined(separator: ","))
      }
    }
    let url = folder.appendingPathComponent(jsonLines ? "jobs.jsonl" : "jobs.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test("one dataset is split by blocks of rows over every shard, duplicates found across shards, merge exact")
  func datasetRowsSpread() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let csv = try Self.dataset(rows: 2_600, in: folder)
    let options = ["--by", "year", "--bootstrap", "20", "--permutations", "20"]
    let single = folder.appendingPathComponent("single")
    #expect(try TestSupport.run(["analyze", csv.path, "--out", single.path, "--quiet"] + options).status == 0)
    let (merged, lines) = try Self.shardAndMerge([csv.path], n: 3, options: options, in: folder)
    // Blocks of 1000 rows: shard 1 has rows 1-1000, shard 2 rows 1001-2000, shard 3 the rest.
    #expect(lines[0].hasPrefix("shard 1/3: 1000 postings"), "\(lines)")
    #expect(lines[1].hasPrefix("shard 2/3: 1000 postings"), "\(lines)")
    #expect(lines[2].hasPrefix("shard 3/3: 600 postings"), "\(lines)")
    #expect(try Self.files(in: merged) == Self.files(in: single))
    // Row 1001 (shard 2) repeats row 1 of shard 1's block: found as its duplicate after the merge.
    let rows = try StrictCSVReader.read(
      String(contentsOf: merged.appendingPathComponent("postings.csv"), encoding: .utf8))
    let header = try #require(rows.first)
    let duplicateOf = try #require(header.firstIndex(of: "duplicate_of"))
    let id = try #require(header.firstIndex(of: "id"))
    let crossShard = rows.dropFirst().filter { row in
      guard let original = row[duplicateOf].split(separator: "#").last.flatMap({ Int($0) }),
        let own = row[id].split(separator: "#").last.flatMap({ Int($0) })
      else { return false }
      return (own - 1) / 1000 != (original - 1) / 1000
    }
    #expect(crossShard.count > 100)
  }

  @Test("a JSON Lines dataset split over 2 shards and merged: the reports of one run")
  func jsonLinesIdentical() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let jsonl = try Self.dataset(rows: 1_300, in: folder, jsonLines: true)
    try Self.expectSameAsOneRun([jsonl.path], counts: [2], options: ["--bootstrap", "20", "--permutations", "20"])
  }

  @Test("a shard's partial file is the same bytes for --jobs 1 and --jobs 2")
  func partialSameForAnyJobs() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var contents: [Data] = []
    for jobs in ["1", "2"] {
      let path = folder.appendingPathComponent("part-\(jobs).rlp").path
      let result = try TestSupport.run([
        "analyze", "Corpus", "--shard", "2/3", "--partial", path, "--jobs", jobs, "--quiet",
      ])
      #expect(result.status == 0)
      contents.append(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
    #expect(contents[0] == contents[1])
    #expect(contents[0].starts(with: Array("ROLELENS PARTIAL\n".utf8)))
  }

  // MARK: - Refusals

  @Test("merge refuses a missing shard, a shard given twice, and partials of different splits")
  func refusesIncompleteSets() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let parts = try Self.corpusPartials(in: folder)
    try Self.expectRefused([parts[0], parts[2]], saying: "shard 2/3 missing", in: folder)
    try Self.expectRefused(parts + [parts[1]], saying: "shard 2/3 is given twice", in: folder)
    let other = folder.appendingPathComponent("half.rlp").path
    #expect(try TestSupport.run(["analyze", "Corpus", "--shard", "1/2", "--partial", other, "--quiet"]).status == 0)
    try Self.expectRefused(parts + [other], saying: "partials of different splits", in: folder)
  }

  @Test("merge refuses partials made with different options, lexicons or inputs")
  func refusesDifferentRuns() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let parts = try Self.corpusPartials(in: folder)
    let options = ["--bootstrap", "20", "--permutations", "20"]
    func shard2(_ extra: [String], inputs: [String] = ["Corpus"], name: String) throws -> String {
      let path = folder.appendingPathComponent(name).path
      let result = try TestSupport.run(
        ["analyze"] + inputs + ["--shard", "2/3", "--partial", path, "--quiet"] + options + extra)
      #expect(result.status == 0, "stderr: \(result.stderr)")
      return path
    }
    let seeded = try shard2(["--seed", "7"], name: "seed.rlp")
    try Self.expectRefused([parts[0], seeded, parts[2]], saying: "different options", in: folder)
    try Self.expectRefused([parts[0], seeded, parts[2]], saying: "--seed 7", in: folder)
    let lexicon = try shard2(["--lexicon", "Scripts/lexicon/hand-written.yaml"], name: "lexicon.rlp")
    try Self.expectRefused([parts[0], lexicon, parts[2]], saying: "different lexicons", in: folder)
    let elsewhere = try shard2([], inputs: ["./Corpus"], name: "inputs.rlp")
    try Self.expectRefused([parts[0], elsewhere, parts[2]], saying: "partials of different inputs", in: folder)

    // The same path, but a file changed between the shards' runs.
    let copy = folder.appendingPathComponent("corpus-copy")
    try FileManager.default.copyItem(at: TestSupport.corpus, to: copy)
    let before = try Self.shardAndMergeParts([copy.path], options: options, in: folder, name: "before")
    let changed = try #require(Self.corpusFiles(in: copy, suffix: ".txt").first)
    let handle = try FileHandle(forWritingTo: copy.appendingPathComponent(changed))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("\nOne more line.\n".utf8))
    try handle.close()
    let after = try shard2([], inputs: [copy.path], name: "after.rlp")
    try Self.expectRefused([before[0], after, before[2]], saying: "the files found differ", in: folder)
  }

  /// Shards 1 and 3 of 3 of `inputs` (the middle one is made by the caller).
  static func shardAndMergeParts(_ inputs: [String], options: [String], in folder: URL, name: String) throws
    -> [String]
  {
    try [1, 2, 3].map { k in
      let path = folder.appendingPathComponent("\(name)-\(k).rlp").path
      let result = try TestSupport.run(
        ["analyze"] + inputs + ["--shard", "\(k)/3", "--partial", path, "--quiet"] + options)
      #expect(result.status == 0)
      return path
    }
  }

  @Test("merge refuses a truncated, a damaged, a foreign and another version's partial file")
  func refusesDamagedFiles() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let parts = try Self.corpusPartials(in: folder)
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: parts[1])))

    let truncated = try TestSupport.write(Array(bytes.dropLast(100)), to: "truncated.rlp", in: folder)
    try Self.expectRefused([parts[0], truncated, parts[2]], saying: "truncated", in: folder)
    let cut = try TestSupport.write(Array(bytes.prefix(bytes.count / 2)), to: "cut.rlp", in: folder)
    try Self.expectRefused([parts[0], cut, parts[2]], saying: "truncated", in: folder)

    var damaged = bytes
    damaged[bytes.count * 3 / 4] ^= 0x5A
    let corrupt = try TestSupport.write(damaged, to: "damaged.rlp", in: folder)
    try Self.expectRefused([parts[0], corrupt, parts[2]], saying: "CRC-32", in: folder)

    let foreign = try TestSupport.write("id,title\n1,TPM\n", to: "foreign.rlp", in: folder)
    try Self.expectRefused([parts[0], foreign, parts[2]], saying: "not a rolelens partial file", in: folder)
    try Self.expectRefused(
      [parts[0], folder.appendingPathComponent("absent.rlp").path, parts[2]], saying: "cannot read", in: folder)

    // The header says another tool version (its checksum made right, as a real one's would be).
    var older = bytes
    let magic = 17
    let length = Int(older[magic]) | Int(older[magic + 1]) << 8 | Int(older[magic + 2]) << 16 | Int(older[magic + 3]) << 24
    let payload = magic + 8
    let version = Array("0.2.0".utf8)
    let at = try #require(
      (payload..<payload + length - version.count).first { Array(older[$0..<$0 + version.count]) == version })
    older.replaceSubrange(at..<at + version.count, with: Array("0.1.9".utf8))
    let crc = older[payload..<payload + length].withUnsafeBufferPointer {
      UInt32(crc32(0, $0.baseAddress, uInt($0.count)))
    }
    for index in 0..<4 { older[magic + 4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
    let version019 = try TestSupport.write(older, to: "older.rlp", in: folder)
    try Self.expectRefused([parts[0], version019, parts[2]], saying: "made by rolelens 0.1.9", in: folder)
  }

  @Test(
    "a shard killed at any write leaves no partial under its name (or the earlier one), and the next run cleans up",
    .enabled(if: ReportAtomicityTests.straceWorks, "needs strace that may trace (apt-get install strace)"))
  func killedShard() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("part-2.rlp").path
    let arguments = ["analyze", "Corpus", "--shard", "2/3", "--partial", path, "--quiet"]
    // What a completed run writes (the same bytes every time).
    let reference = folder.appendingPathComponent("reference.rlp").path
    #expect(try TestSupport.run(["analyze", "Corpus", "--shard", "2/3", "--partial", reference, "--quiet"]).status == 0)
    let complete = try #require(FileManager.default.contents(atPath: reference))
    try FileManager.default.removeItem(atPath: reference)
    var earlier: Data?
    var kills = 0
    // Twice: with no partial yet, then replacing the one the first pass completed.
    for _ in 0..<2 {
      for n in 1...200 {
        let status = try ReportAtomicityTests.killed(at: "write", n, arguments)
        let now = FileManager.default.contents(atPath: path)
        if status == 0 {
          #expect(now == complete)
          earlier = now
          break
        }
        kills += 1
        // Killed before the rename: nothing new under the name; after it (printing the
        // summary): the complete partial.
        #expect(now == earlier || now == complete, "killed at write \(n): a partial neither earlier nor complete")
      }
    }
    #expect(kills >= 4)
    let finished = try TestSupport.run(arguments)
    #expect(finished.status == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["part-2.rlp"])
  }

  @Test("analyze refuses --shard without --partial, --partial with --out, and shards that are not K/N")
  func refusesBadShardArguments() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let partial = folder.appendingPathComponent("p.rlp").path
    let cases: [([String], String)] = [
      (["--shard", "1/2", "--out", folder.path], "--shard needs --partial"),
      (["--partial", partial, "--out", folder.path], "leave out --out"),
      (["--shard", "0/3", "--partial", partial], "--shard takes K/N"),
      (["--shard", "4/3", "--partial", partial], "--shard takes K/N"),
      (["--shard", "two", "--partial", partial], "--shard takes K/N"),
      ([], "--out"),
    ]
    for (arguments, message) in cases {
      let result = try TestSupport.run(["analyze", "Corpus"] + arguments)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: partial))
    // A shard that cannot read its inputs leaves no partial file behind.
    let missing = try TestSupport.run(["analyze", "no-such-folder", "--shard", "1/2", "--partial", partial])
    #expect(missing.status == 2)
    #expect(!FileManager.default.fileExists(atPath: partial))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }
}
