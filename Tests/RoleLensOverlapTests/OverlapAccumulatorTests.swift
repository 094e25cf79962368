import Foundation
import RoleLensClassify
import Testing

@testable import RoleLensOverlap

/// A fresh, empty directory for one test's spill file, removed afterwards.
private func withSpillDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("rolelens-accumulator-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  return try body(directory)
}

/// The bootstrap corpus streamed through an accumulator whose buffer holds only a few postings,
/// so that most of them go through the temporary file.
private func streamed(_ options: OverlapOptions, directory: URL) throws -> (OverlapResult, OverlapAccumulator) {
  let corpus = bootstrapCorpus()
  var accumulator = OverlapAccumulator(spillDirectory: directory, bufferCapacity: 64)
  for document in corpus.documents { accumulator.add(document) }
  let result = try OverlapAnalysis(options: options, skillCount: 3).run(accumulator, vocabulary: corpus.vocabulary)
  return (result, accumulator)
}

@Suite("OverlapAccumulator")
struct OverlapAccumulatorTests {
  @Test("postings streamed through the temporary file give exactly the in-memory results")
  func streamedEqualsBatch() throws {
    try withSpillDirectory { directory in
      let options = bootstrapOptions(replicates: 200)
      let (result, accumulator) = try streamed(options, directory: directory)
      #expect(accumulator.store.fileBytes > 0, "the test should go through the file")
      let corpus = bootstrapCorpus()
      let batch = OverlapAnalysis(options: options, skillCount: 3).run(corpus.documents, vocabulary: corpus.vocabulary)
      #expect(result.figures == batch.figures)
      #expect(result.terms == batch.terms)
      #expect(result.similarities == batch.similarities)
      #expect(result.statistics == batch.statistics)
      #expect(accumulator.count == corpus.documents.count)
    }
  }

  @Test("the temporary file leaves nothing behind, during the run or after it")
  func spillFileRemoved() throws {
    try withSpillDirectory { directory in
      let corpus = bootstrapCorpus()
      var accumulator = OverlapAccumulator(spillDirectory: directory, bufferCapacity: 64)
      for document in corpus.documents { accumulator.add(document) }
      #expect(accumulator.store.fileBytes > 0)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
      _ = try OverlapAnalysis(options: bootstrapOptions(replicates: 10), skillCount: 3)
        .run(accumulator, vocabulary: corpus.vocabulary)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
  }

  @Test("streamed results are the same whatever the number of threads", arguments: [2, 3, 8])
  func streamedIndependentOfJobs(jobs: Int) throws {
    try withSpillDirectory { directory in
      var one = bootstrapOptions()
      one.jobs = 1
      var many = bootstrapOptions()
      many.jobs = jobs
      let (first, _) = try streamed(one, directory: directory)
      let (second, _) = try streamed(many, directory: directory)
      #expect(first.figures == second.figures)
      let inferential = first.figures.filter { !$0.note.contains("descriptive") }
      #expect(!inferential.isEmpty && inferential.allSatisfy { $0.ciLow != nil })
    }
  }

  @Test("records read back equal the postings stored, whatever their ids, counts and skills")
  func recordsRoundTrip() throws {
    try withSpillDirectory { directory in
      let postings = [
        SpilledPosting(
          role: 3, scoresAs: 0b101, skills: [2, 0, 2], vector: TermVector(ids: [7, 1, 300_000], counts: [1, 0, -2])),
        SpilledPosting(role: 0, scoresAs: 0, skills: [], vector: TermVector()),
        SpilledPosting(
          role: 9, scoresAs: UInt32.max, skills: [-1, 40],
          vector: TermVector(ids: [0, Int32.max], counts: [Int32.max, Int32.min])),
      ]
      let store = SpillStore(directory: directory, bufferCapacity: 8)
      for _ in 0..<3 {
        for posting in postings { store.append(posting) }
      }
      var read: [SpilledPosting] = []
      try store.forEach { read.append($0) }
      #expect(store.fileBytes > 0)
      #expect(read.count == 9)
      for (index, posting) in read.enumerated() {
        let expected = postings[index % 3]
        #expect(posting.role == expected.role && posting.scoresAs == expected.scoresAs)
        #expect(posting.skills == expected.skills && posting.vector == expected.vector)
      }
    }
  }

  @Test("a spill directory that cannot hold the file is an error naming it, not wrong figures")
  func unusableDirectory() throws {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("rolelens-missing-\(UUID().uuidString)")
    let corpus = bootstrapCorpus()
    var accumulator = OverlapAccumulator(spillDirectory: missing, bufferCapacity: 64)
    for document in corpus.documents { accumulator.add(document) }
    #expect {
      try OverlapAnalysis(options: bootstrapOptions(replicates: 0), skillCount: 3).run(
        accumulator, vocabulary: corpus.vocabulary)
    } throws: { error in
      guard case .spillFile(let path, let operation, _) = error as? OverlapError else { return false }
      return path.hasPrefix(missing.path) && operation == "create"
    }
  }
}
