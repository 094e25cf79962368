import Foundation
import RoleLensClassify

/// Collects the postings of a run for the overlap stage, one at a time, in little memory.
///
/// TF-IDF weights need corpus-wide document frequencies, so no posting's weights can be computed
/// before the last posting is in. The accumulator therefore sums what can be summed at once
/// (per-role `RoleStatistics`, which include document frequencies) and stores each posting's
/// term vector, skills and scored-as roles compactly (about 3 bytes per distinct term) in a
/// temporary file, read back once, in input order, by `OverlapAnalysis.run(_:vocabulary:)`.
/// Memory thus grows with the vocabulary, not with the number of postings.
///
/// Copies of an accumulator share its temporary file: add postings through one copy only.
public struct OverlapAccumulator {
  /// Statistics of each role with postings.
  public private(set) var statistics: [Role: RoleStatistics] = [:]
  /// Postings added.
  public private(set) var count = 0
  /// Postings of each resampling unit: a cluster's postings of one role.
  private(set) var unitSizes: [UnitKey: Int32] = [:]
  /// The group labels met (`OverlapDocument.group`), in order of first appearance; a posting
  /// without one is in the none group, which gets a label here once met.
  public private(set) var groups: [String] = []
  private var groupIndex: [String: Int32] = [:]
  /// Postings of each unit of the grouped figures: a cluster's postings of one role in one
  /// group.
  private(set) var groupedUnitSizes: [UnitKey: Int32] = [:]
  /// Per group: postings of each role (by role index).
  private(set) var groupPostings: [[Int]] = []
  let store: SpillStore

  /// Creates an empty accumulator.
  ///
  /// - Parameters:
  ///   - spillDirectory: Where the temporary file goes (it is unlinked as soon as it is created,
  ///     so it leaves nothing behind, even when the run fails); `nil` keeps everything in memory.
  ///   - bufferCapacity: Encoded bytes kept in memory before they are written to the file.
  ///   - grouping: Whether postings are grouped (`OverlapDocument.group` is read).
  public init(
    spillDirectory: URL? = FileManager.default.temporaryDirectory, bufferCapacity: Int = 1 << 20,
    grouping: Bool = false
  ) {
    store = SpillStore(directory: spillDirectory, bufferCapacity: bufferCapacity)
    self.grouping = grouping
  }

  /// Whether postings are grouped.
  public let grouping: Bool

  /// Adds one posting (after the previous ones: input order is kept).
  ///
  /// - Complexity: O(t) for t distinct terms in the posting.
  public mutating func add(_ document: OverlapDocument) {
    statistics[document.role, default: RoleStatistics()].add(
      document.vector, skills: document.skills, scoresAs: document.scoresAs)
    precondition(Role.allCases.count <= 32, "scored-as roles are stored as a 32-bit mask")
    let scoresAs = document.scoresAs.reduce(UInt32(0)) { $0 | 1 << UInt32($1.index) }
    // Postings given no cluster are each their own: negative numbers, which clusters never use.
    let cluster = document.cluster.map(Int64.init) ?? -1 - Int64(count)
    let role = UInt8(document.role.index)
    unitSizes[UnitKey(role: role, cluster: cluster), default: 0] += 1
    var group: Int32 = -1
    if grouping {
      let label = document.group ?? GroupKey.noneLabel
      if let known = groupIndex[label] {
        group = known
      } else {
        group = Int32(groups.count)
        groupIndex[label] = group
        groups.append(label)
        groupPostings.append([Int](repeating: 0, count: Role.allCases.count))
      }
      groupPostings[Int(group)][document.role.index] += 1
      groupedUnitSizes[UnitKey(role: role, cluster: cluster, group: group), default: 0] += 1
    }
    store.append(
      SpilledPosting(
        role: role, scoresAs: scoresAs, skills: document.skills, vector: document.vector, cluster: cluster,
        bodyRole: UInt8(document.bodyRole.index), group: group))
    count += 1
  }

  /// Clusters of each role (by role index) in each group.
  func groupClusters() -> [[Int]] {
    var clusters = [[Int]](repeating: [Int](repeating: 0, count: Role.allCases.count), count: groups.count)
    for key in groupedUnitSizes.keys where key.group >= 0 && Int(key.role) < Role.allCases.count {
      clusters[Int(key.group)][Int(key.role)] += 1
    }
    return clusters
  }

  /// Document frequency of every term id of `vocabulary`, over all roles.
  func documentFrequencies(vocabulary: Vocabulary) -> [Int] {
    var frequencies = [Int](repeating: 0, count: vocabulary.count)
    for role in statistics.values {
      for tally in role.terms { frequencies[Int(tally.id)] += tally.postings }
    }
    return frequencies
  }
}

/// A resampling unit: the postings of one cluster that have one role.
struct UnitKey: Hashable, Sendable {
  var role: UInt8
  var cluster: Int64
  /// The group, for the grouped figures' units; -1 for the run's own units.
  var group: Int32 = -1
}
