import RoleLensStorage
import RoleLensText

/// Finds, in input order, each posting's near-duplicate original (`duplicate_of`) and cluster:
/// the same posting in substance (reposts, per-city copies, copies with paragraphs reordered
/// and words, numbers or the company changed).
struct DuplicateDetector {
  /// Exact token-stream duplicates of postings too short to shingle: the first posting's id
  /// and cluster.
  private var firstByFingerprint: [UInt64: (id: String, cluster: Int, clusterID: String)] = [:]
  private var nearDuplicates = NearDuplicateIndex()
  /// The number (`ordinal`) of each posting in `nearDuplicates`, in the order added.
  private var signatureOrdinals: [Int32] = []
  private var clusters = NearDuplicateIndex(threshold: Self.clusterThreshold, bands: Self.clusterBands)
  /// The number of each posting in `clusters`, in the order added.
  private var clusterOrdinals: [Int32] = []
  /// The id of each posting with a signature of either kind, by number (`ordinal`); the
  /// others' ids are never asked for and are kept empty.
  private var owners = PackedStrings()
  /// Postings placed so far; a posting's cluster is numbered by its first posting's ordinal.
  private var ordinal = 0
  /// Estimated Jaccard similarity of 3-word shingles (numbers left out) at which two postings
  /// are one cluster. Perturbed reposts of the 818 development postings (paragraphs and
  /// bullets reordered, synonyms, numbers and company changed) have a median of 0.73 and
  /// fall below 0.3 in 1.3% of pairs; different postings with a different title label have a
  /// best match above 0.3 in 1.0% of cases (mostly one employer's boilerplate).
  static let clusterThreshold = 0.3
  /// 32 bands of 2 positions: pairs at 0.3 share a band with probability 0.95, at 0.4 0.996.
  static let clusterBands = 32

  /// Where a posting belongs.
  struct Placement {
    /// The id of the earlier posting it near-duplicates, if any.
    var duplicateOf: String?
    /// Its cluster's number (the ordinal of the cluster's first posting) and id.
    var cluster: Int
    var clusterID: String
  }

  /// Places the next posting (postings must come in input order).
  mutating func place(id: String, _ analyzed: AnalyzedPosting) -> Placement {
    defer { ordinal += 1 }
    var placement = Placement(duplicateOf: nil, cluster: ordinal, clusterID: id)
    let indexed = analyzed.clusterSignature != nil || analyzed.signature != nil
    owners.append(indexed ? id : "")
    if let signature = analyzed.clusterSignature {
      if let leader = clusters.add(signature) {
        placement.cluster = Int(clusterOrdinals[leader])
        placement.clusterID = owners[placement.cluster]
      }
      clusterOrdinals.append(Int32(truncatingIfNeeded: ordinal))
    }
    if let signature = analyzed.signature {
      if let original = nearDuplicates.add(signature) {
        placement.duplicateOf = owners[Int(signatureOrdinals[original])]
      }
      signatureOrdinals.append(Int32(truncatingIfNeeded: ordinal))
    } else if let first = firstByFingerprint[analyzed.fingerprint] {
      placement.duplicateOf = first.id
      if analyzed.clusterSignature == nil {
        (placement.cluster, placement.clusterID) = (first.cluster, first.clusterID)
      }
    } else {
      firstByFingerprint[analyzed.fingerprint] = (id, placement.cluster, placement.clusterID)
    }
    return placement
  }
}
