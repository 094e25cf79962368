import CMalloc
import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap
import RoleLensReport
import RoleLensStorage

extension Analysis {
  /// Accumulates outcomes in input order: duplicate detection, clusters, term ids and
  /// statistics are therefore the same for any number of jobs.
  struct Merger {
    let includeDuplicates: Bool
    let scorer: Scorer
    let releasesMemory: Bool
    let onPosting: ((PostingResult) -> Void)?
    /// Rows of postings.csv, spilled to disk as they come.
    let postings: PostingTable
    var skipped: [SkippedInput] = []
    /// The counted postings, for the overlap stage (compactly, mostly in a temporary file).
    var overlap: OverlapAccumulator
    /// What postings are grouped by, and where a grouping column is among the kept ones.
    let groupBy: GroupKey?
    let groupColumn: Int?
    var vocabulary = Vocabulary()
    var facts = IngestSummary()
    /// Duplicates and clusters, found in input order.
    private var duplicates = DuplicateDetector()
    /// Work merged since the allocator's free memory was last given back: a file, or a
    /// dataset batch's postings, each counting one.
    private var sinceRelease = 0
    /// Every this many files (or postings of a dataset), the allocator's free memory is given
    /// back to the system: the buffers of the files in between are freed around the merger's
    /// growing arrays, which would otherwise keep that memory resident (at 100,000 postings,
    /// about 50 MB). A dataset's batch of rows counts its postings, not one, or a dump of
    /// 180,000 rows (600 batches) would never give any back before its end.
    static let filesBetweenReleases = 1000
    init(
      includeDuplicates: Bool, scorer: Scorer, formulaGuard: Bool, releasesMemory: Bool,
      onPosting: ((PostingResult) -> Void)?, groupBy: GroupKey? = nil, keptColumns: [String] = []
    ) {
      self.includeDuplicates = includeDuplicates
      self.scorer = scorer
      postings = PostingTable(formulaGuard: formulaGuard, keptColumns: keptColumns)
      overlap = OverlapAccumulator(grouping: groupBy != nil)
      self.groupBy = groupBy
      if case .column(let name) = groupBy { groupColumn = keptColumns.firstIndex(of: name) } else { groupColumn = nil }
      self.releasesMemory = releasesMemory
      self.onPosting = onPosting
    }

    /// Frees what duplicate and cluster detection keep per posting, once every posting is in,
    /// before the overlap stage loads the pair for the bootstrap (the run's peak).
    ///
    /// - Throws: `OverlapError.indexFile` when an index could not read a signature back from
    ///   its temporary file (an I/O error): `duplicate_of` and `cluster` are then unreliable.
    mutating func releaseDuplicateIndex() throws {
      defer { duplicates = DuplicateDetector() }
      try duplicates.checkReads()
    }

    mutating func add(_ outcome: ReadOutcome) {
      sinceRelease += max(1, outcome.postings.count)
      if releasesMemory && sinceRelease >= Self.filesBetweenReleases {
        clib_release_free_memory()
        sinceRelease = 0
      }
      skipped += outcome.skipped
      for var processed in outcome.postings {
        let analyzed = processed.analyzed
        let placement = duplicates.place(id: processed.record.id, analyzed)
        processed.record.duplicateOf = placement.duplicateOf
        processed.record.cluster = placement.clusterID
        let cluster = placement.cluster
        facts.add(processed.facts)
        postings.append(processed.record)
        onPosting?(PostingResult(record: processed.record, bodyRole: analyzed.bodyRole))
        guard processed.record.duplicateOf == nil || includeDuplicates else { continue }
        let classification = processed.record.classification
        overlap.add(
          OverlapDocument(
            role: classification.role, vector: TermVector(analyzed.termCounts, vocabulary: &vocabulary),
            skills: classification.skills,
            scoresAs: Role.allCases.filter { $0 != .other && scorer.scoresAs(classification, $0) },
            cluster: cluster, bodyRole: analyzed.bodyRole, group: group(of: processed.record)))
      }
    }

    /// A posting's label for `groupBy`: its date's period, its company, source or column value
    /// (white space collapsed); `nil` when it has none.
    func group(of record: PostingRecord) -> String? {
      guard let groupBy else { return nil }
      let value: String?
      switch groupBy {
      case .year, .quarter, .month: return groupBy.period(of: record.datePosted)
      case .company: value = record.company
      case .source: value = record.source
      case .column:
        value = groupColumn.flatMap { $0 < record.columns.count ? record.columns[$0] : nil }
      }
      let label = value.map(normalizeSpace) ?? ""
      return label.isEmpty ? nil : label
    }
  }
}
