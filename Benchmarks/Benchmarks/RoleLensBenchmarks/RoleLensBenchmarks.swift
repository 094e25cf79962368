import Benchmark
import RoleLensKit

/// Registers the micro-benchmarks, one per pipeline stage, all on inputs built from `Corpus/`.
///
/// Called by the `main` that ordo-one/benchmark's build plugin generates.
func benchmarks() {
  let inputs: BenchmarkInputs
  do {
    inputs = try BenchmarkInputs.load()
  } catch {
    fatalError("\(error)")
  }

  // Instruction counts need perf events, which this project's VMs do not have (add them with
  // `--metric instructions` where `perf stat -e instructions true` counts). CPU time is read in
  // 10 ms ticks, too coarse for the microsecond benchmarks: only the overlap run reports it.
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 3,
    maxDuration: .seconds(2),
    maxIterations: 5_000
  )

  // MARK: - Ingest

  let reader = PostingReader()
  Benchmark("HTML extraction: saved page") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(reader.extract(inputs.page, format: .html, id: "page", path: "page.html"))
    }
  }

  // MARK: - Text

  let tokenizer = Tokenizer()
  let body = inputs.posting.text
  Benchmark("Tokenizer: posting body") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(tokenizer.tokens(body))
    }
  }

  let words = tokenizer.tokens(body).map(\.text)
  let minHash = MinHash()
  Benchmark("MinHash: posting signature") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(minHash.signature(words))
    }
  }

  // MARK: - Classify

  let scorer = Scorer(lexicon: inputs.lexicon)
  let tokenized = TokenizedPosting(inputs.posting)
  Benchmark("Scorer: classify tokenized posting") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(scorer.classify(tokenized))
    }
  }

  // MARK: - Overlap

  var vocabulary = Vocabulary()
  let documents =
    inputs.overlapDocuments(.technicalProjectManager, count: 200, seed: 1, vocabulary: &vocabulary)
    + inputs.overlapDocuments(.productManager, count: 300, seed: 2, vocabulary: &vocabulary)
  let terms = vocabulary
  var overlapOptions = OverlapOptions()
  overlapOptions.replicates = 100
  overlapOptions.jobs = 1
  let overlap = OverlapAnalysis(options: overlapOptions, skillCount: inputs.lexicon.skills.count)
  Benchmark(
    "Overlap: 200 + 300 documents, 100 replicates",
    configuration: .init(
      metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
      timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 20)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(overlap.run(documents, vocabulary: terms))
    }
  }

  // MARK: - Report

  let rows = inputs.postingRows(count: 1_000)
  Benchmark("CSV: 1000 posting rows") { benchmark in
    for _ in benchmark.scaledIterations {
      var writer = CSVWriter(header: BenchmarkInputs.postingHeader)
      for row in rows { writer.appendRow(row) }
      blackHole(writer.output)
    }
  }
}
