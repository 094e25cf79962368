import RoleLensClassify
import Testing

@testable import RoleLensOverlap

@Suite("Overlap by group and over time")
struct OverlapGroupTests {
  /// Product-manager words, the other body's words, and words every posting uses.
  static let productWords = [
    "roadmap", "discovery", "customers", "metrics", "pricing", "experiments", "personas", "adoption", "segments",
    "retention",
  ]
  static let otherWords = [
    "schedule", "risk", "vendor", "budget", "raid", "milestones", "cutover", "governance", "resourcing", "dependencies",
  ]
  static let sharedWords = ["stakeholders", "team", "communication", "delivery"]

  /// Postings dated in `years`: per year `perYear` product managers, and `perYear` technical
  /// project managers whose body is a product manager's with probability `share(year)`.
  static func corpus(
    years: [Int], perYear: Int, seed: UInt64, undated: Int = 0, share: (Int) -> Double
  ) -> (documents: [OverlapDocument], vocabulary: Vocabulary) {
    var vocabulary = Vocabulary()
    var documents: [OverlapDocument] = []
    var generator = SeededGenerator(seed: seed)
    func body(_ words: [String]) -> [String: Int] {
      var counts: [String: Int] = [:]
      for _ in 0..<8 { counts[words[generator.nextIndex(below: words.count)], default: 0] += 1 }
      for _ in 0..<3 { counts[sharedWords[generator.nextIndex(below: sharedWords.count)], default: 0] += 1 }
      return counts
    }
    func add(_ role: Role, _ counts: [String: Int], group: String?) {
      documents.append(
        OverlapDocument(
          role: role, vector: TermVector(counts, vocabulary: &vocabulary), skills: [], scoresAs: [role],
          group: group))
    }
    for year in years {
      for _ in 0..<perYear {
        add(.productManager, body(productWords), group: String(year))
        let productBody = Double(generator.nextIndex(below: 1000)) / 1000 < share(year)
        add(.technicalProjectManager, body(productBody ? productWords : otherWords), group: String(year))
      }
    }
    for _ in 0..<undated {
      add(.productManager, body(productWords), group: nil)
      add(.technicalProjectManager, body(otherWords), group: nil)
    }
    add(.engineeringManager, ["code": 2, "delivery": 1], group: String(years[0]))
    return (documents, vocabulary)
  }

  static func options(_ key: GroupKey = .year, jobs: Int = 1) -> OverlapOptions {
    var options = OverlapOptions()
    options.groupBy = key
    options.replicates = 200
    options.permutations = 200
    options.crossValidationRepeats = 2
    options.draws = 10
    options.jobs = jobs
    return options
  }

  static func run(_ corpus: (documents: [OverlapDocument], vocabulary: Vocabulary), _ options: OverlapOptions)
    -> OverlapResult
  {
    OverlapAnalysis(options: options, skillCount: 0).run(corpus.documents, vocabulary: corpus.vocabulary)
  }

  @Test(
    "--by arguments and period labels",
    arguments: [
      ("year", "2021-03-12", "2021", 2021.0), ("quarter", "2021-08-01", "2021-Q3", 2021.5),
      ("month", "2021-03-12", "2021-03", 2021 + 2.0 / 12),
    ])
  func periods(argument: String, date: String, label: String, time: Double) throws {
    let key = try #require(GroupKey(argument: argument))
    #expect(key.isTime)
    #expect(key.name == argument)
    #expect(key.period(of: date) == label)
    #expect(key.time(of: label) == time)
    #expect(key.period(of: nil) == nil)
    #expect(key.time(of: GroupKey.noneLabel) == nil)
  }

  @Test("--by takes company, source and column:NAME, and refuses anything else")
  func keys() {
    #expect(GroupKey(argument: "company") == .company)
    #expect(GroupKey(argument: "source") == .source)
    #expect(GroupKey(argument: "column:site") == .column("site"))
    #expect(GroupKey(argument: "column:site")?.isTime == false)
    #expect(GroupKey(argument: "column:") == nil)
    #expect(GroupKey(argument: "decade") == nil)
    #expect(GroupKey.company.period(of: "2021-03-12") == nil)
  }

  @Test("every group is listed in time order with the undated last, small ones flagged insufficient")
  func groupsListed() throws {
    let corpus = Self.corpus(years: [2019, 2020, 2021, 2022], perYear: 12, seed: 1, undated: 3) { _ in 0.5 }
    var documents = corpus.documents
    var vocabulary = corpus.vocabulary
    // One small year: 3 postings of each role.
    for _ in 0..<3 {
      for role in [Role.productManager, .technicalProjectManager] {
        documents.append(
          OverlapDocument(
            role: role, vector: TermVector(["roadmap": 2, "team": 1], vocabulary: &vocabulary), skills: [],
            scoresAs: [role], group: "2018"))
      }
    }
    let result = Self.run((documents, vocabulary), Self.options())
    let grouped = try #require(result.grouped)
    #expect(grouped.groups.map(\.group) == ["2018", "2019", "2020", "2021", "2022", GroupKey.noneLabel])
    let small = grouped.groups[0]
    #expect(small.isInsufficient)
    #expect(small.postings(.productManager) == 3)
    #expect(small.figures.allSatisfy { $0.note.hasPrefix("insufficient") })
    #expect(grouped.groups[1].postings(.technicalProjectManager) == 12)
    #expect(grouped.groups[1].postings(.engineeringManager) == 1)
    #expect(!grouped.groups[1].isInsufficient)
    #expect(grouped.groups.last?.postings(.productManager) == 3)
    #expect(grouped.groups[1].figures.map(\.metric) == OverlapAnalysis.metrics)
    // The trend is fitted on the sufficient years only.
    #expect(grouped.trendGroups == ["2019", "2020", "2021", "2022"])
  }

  @Test("a rising share of product-manager bodies gives a rising index and a trend interval above 0")
  func risingTrend() throws {
    let years = Array(2017...2022)
    let result = Self.run(
      Self.corpus(years: years, perYear: 20, seed: 7) { Double($0 - 2017) / 5 * 0.8 + 0.1 }, Self.options())
    let grouped = try #require(result.grouped)
    let values = grouped.groups.compactMap { $0.figure("overlap_index")?.value }
    #expect(values.count == years.count)
    #expect((values.last ?? 0) > (values.first ?? 1) + 0.2)
    let trend = try #require(grouped.trend)
    #expect(trend.metric == "trend_per_year")
    #expect((trend.value ?? 0) > 0)
    #expect((trend.ciLow ?? -1) > 0)
    #expect((trend.pValue ?? 1) < 0.05)
  }

  @Test("a constant share gives a trend interval holding 0 for most seeds")
  func constantTrend() throws {
    var holds = 0
    let seeds: [UInt64] = [11, 12, 13, 14, 15]
    for seed in seeds {
      let result = Self.run(
        Self.corpus(years: Array(2017...2022), perYear: 20, seed: seed) { _ in 0.5 }, Self.options())
      let trend = try #require(result.grouped?.trend)
      if let low = trend.ciLow, let high = trend.ciHigh, low <= 0, high >= 0 { holds += 1 }
    }
    #expect(holds >= 4)
  }

  @Test("grouped figures are the same for 1 and 2 threads")
  func jobsDoNotMatter() throws {
    let corpus = Self.corpus(years: [2020, 2021, 2022], perYear: 12, seed: 3) { _ in 0.5 }
    let one = try #require(Self.run(corpus, Self.options(jobs: 1)).grouped)
    let two = try #require(Self.run(corpus, Self.options(jobs: 2)).grouped)
    #expect(one.groups.map(\.figures) == two.groups.map(\.figures))
    #expect(one.trend == two.trend)
  }

  @Test("a key that is not a period has groups ordered by size and no trend")
  func categorical() throws {
    var corpus = Self.corpus(years: [2020], perYear: 4, seed: 5) { _ in 0.5 }
    // Relabel: the first 6 postings "Acme", the rest "Beta".
    for index in corpus.documents.indices { corpus.documents[index].group = index < 6 ? "Acme" : "Beta" }
    let result = Self.run(corpus, Self.options(.company))
    let grouped = try #require(result.grouped)
    #expect(grouped.groups.map(\.group) == ["Acme", "Beta"])
    #expect(grouped.trend == nil)
    #expect(grouped.groups.allSatisfy { $0.isInsufficient })
  }

  @Test("without grouping there are no grouped figures")
  func ungrouped() {
    var options = Self.options()
    options.groupBy = nil
    let corpus = Self.corpus(years: [2020], perYear: 4, seed: 5) { _ in 0.5 }
    #expect(Self.run(corpus, options).grouped == nil)
  }
}
