import Foundation
import RoleLensOverlap
import RoleLensStorage
import RoleLensText

/// Finds, in input order, each posting's near-duplicate original (`duplicate_of`) and cluster:
/// the same posting in substance (reposts, per-city copies, copies with paragraphs reordered
/// and words, numbers or the company changed).
struct DuplicateDetector {
  /// Exact token-stream duplicates of postings too short to shingle: the first posting's id
  /// and cluster.
  private var firstByFingerprint: [UInt64: (id: String, cluster: Int, clusterID: String)] = [:]
  private var nearDuplicates = NearDuplicateIndex(spillDirectory: Self.spillDirectory)
  /// The number (`ordinal`) of each posting in `nearDuplicates`, in the order added.
  private var signatureOrdinals = OrdinalMap()
  private var clusters = NearDuplicateIndex(
    threshold: Self.clusterThreshold, bands: Self.clusterBands, spillDirectory: Self.spillDirectory)
  /// The number of each posting in `clusters`, in the order added.
  private var clusterOrdinals = OrdinalMap()
  /// The id of each posting with a signature of either kind, by number (`ordinal`); the
  /// others' ids are never asked for and are kept empty.
  private var owners = PostingIDs()
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

  /// Where the indexes keep their signatures: the system's temporary directory (`$TMPDIR`).
  static let spillDirectory = FileManager.default.temporaryDirectory.path

  /// Throws the first failure to read an index's signatures back from its temporary file (an
  /// I/O error), after which `duplicate_of` and `cluster` are not to be trusted.
  ///
  /// - Throws: `OverlapError.indexFile`.
  func checkReads() throws {
    guard let failure = nearDuplicates.readFailure ?? clusters.readFailure else { return }
    throw OverlapError.indexFile(path: failure.path, operation: failure.operation, reason: failure.reason)
  }

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
        placement.cluster = clusterOrdinals[leader]
        placement.clusterID = owners[placement.cluster]
      }
      clusterOrdinals.append(ordinal)
    }
    if let signature = analyzed.signature {
      if let original = nearDuplicates.add(signature) {
        placement.duplicateOf = owners[signatureOrdinals[original]]
      }
      signatureOrdinals.append(ordinal)
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

/// An index's numbers mapped to posting ordinals, in the order added: nothing is stored while
/// they are the identity (every posting so far indexed, the usual case), a list from the first
/// posting that is not.
struct OrdinalMap {
  private var listed: BlockArray<Int32>?
  /// Numbers mapped.
  private(set) var count = 0

  /// Maps the next number to `ordinal`.
  mutating func append(_ ordinal: Int) {
    defer { count += 1 }
    if listed == nil {
      if ordinal == count { return }
      var list = BlockArray<Int32>()
      for number in 0..<count { list.append(Int32(truncatingIfNeeded: number)) }
      listed = list
    }
    listed?.append(Int32(truncatingIfNeeded: ordinal))
  }

  /// The ordinal of number `number`.
  subscript(number: Int) -> Int {
    guard let listed else { return number }
    return Int(listed[number])
  }
}

/// Posting ids by ordinal, compactly: an id of the form `name#row` (a dataset row's, where
/// `name` is the same for every row of the file) is kept as its row and the name's number, in
/// 8 bytes; any other id in full.
///
/// At 180,000 rows of a dataset, 1.4 MB where the ids themselves (and their ends) take 5 MB.
struct PostingIDs {
  /// Per ordinal: `name << 40 | row` for a `name#row` id, or `-(other + 1)` for the id
  /// `others[other]`.
  private var entries = BlockArray<Int64>()
  private var names = PackedStrings()
  private var others = PackedStrings()
  private static let rowBits: Int64 = 40

  /// Appends the next ordinal's id.
  mutating func append(_ id: String) {
    var id = id
    id.withUTF8 { bytes in
      if let hash = bytes.lastIndex(of: UInt8(ascii: "#")), let row = Self.row(bytes[(hash + 1)...]) {
        let name = bytes[..<hash]
        if names.count == 0 || !names.bytes(names.count - 1).elementsEqual(name) { names.append(name) }
        if Int64(names.count - 1) < (1 << (63 - Self.rowBits)) {
          entries.append(Int64(names.count - 1) << Self.rowBits | row)
          return
        }
      }
      others.append(bytes)
      entries.append(-Int64(others.count))
    }
  }

  /// The digits as a row number, when they are the decimal of a number below 2⁴⁰ written
  /// without leading zeros (so that writing it back gives the same bytes).
  private static func row(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
    guard !digits.isEmpty, digits.count <= 12, digits.first != UInt8(ascii: "0") || digits.count == 1 else {
      return nil
    }
    var value: Int64 = 0
    for digit in digits {
      guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int64(digit - UInt8(ascii: "0"))
    }
    return value < (1 << rowBits) ? value : nil
  }

  /// The id of ordinal `ordinal`.
  subscript(ordinal: Int) -> String {
    let entry = entries[ordinal]
    if entry < 0 { return others[Int(-entry) - 1] }
    return names[Int(entry >> Self.rowBits)] + "#" + String(entry & ((1 << Self.rowBits) - 1))
  }
}
