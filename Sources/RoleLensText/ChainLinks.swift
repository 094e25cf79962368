import RoleLensStorage

/// Links from a posting (a row) in each band (a column) back to an earlier posting, or to none
/// (-1), stored in 16 bits each: a link is kept as its distance back from the row's posting
/// (its `origin`: the row itself unless the table holds rows of some postings only), which for
/// the postings a bucket chains (copies of one posting, one employer's postings) is mostly
/// small, and a distance of 2¹⁶ − 1 or more is kept aside in full.
///
/// Half the memory of 32-bit links, for the same answers: the near-duplicate index keeps a link
/// per band for every posting of a run (two for a posting that joins an earlier one), most of
/// its memory beside the signatures.
struct ChainLinks: Sendable {
  /// Per row and column: 0 for no link, the distance back below `escape`, or `escape`.
  private var distances: RowBlocks<UInt16>
  /// Links at least `escape` postings back, by `row * width + column`: the keys ascending (rows
  /// are appended in order, columns in order within a row), found by binary search, in 12
  /// bytes a link where a dictionary takes about twice that.
  private var farKeys = BlockArray<Int>()
  private var farLinks = BlockArray<Int32>()
  private static let escape = UInt16.max

  /// An empty table of rows of `width` links.
  init(width: Int) {
    distances = RowBlocks(width: width)
  }

  /// Rows appended.
  var count: Int { distances.count }

  /// Appends the next row: the links (each -1 or a posting before `origin`) of posting
  /// `origin` (by default the row's own number).
  mutating func append(_ links: [Int32], from origin: Int? = nil) {
    let row = distances.count
    let origin = origin ?? row
    var encoded = [UInt16](repeating: 0, count: links.count)
    for (column, link) in links.enumerated() where link >= 0 {
      precondition(Int(link) < origin, "a link must point to an earlier posting")
      let distance = origin - Int(link)
      if distance < Int(Self.escape) {
        encoded[column] = UInt16(distance)
      } else {
        encoded[column] = Self.escape
        farKeys.append(row * distances.width + column)
        farLinks.append(link)
      }
    }
    distances.append(encoded)
  }

  /// The far link kept under `key`, or -1 (never: an escaped distance always has one).
  private func farLink(_ key: Int) -> Int32 {
    var (low, high) = (0, farKeys.count)
    while low < high {
      let middle = (low + high) / 2
      if farKeys[middle] < key { low = middle + 1 } else { high = middle }
    }
    return low < farKeys.count && farKeys[low] == key ? farLinks[low] : -1
  }

  /// The link of `row` in `column`: an earlier posting, or -1; `origin` is the posting the row
  /// was appended from (by default the row's own number).
  @inline(__always)
  subscript(row: Int, column: Int, from origin: Int? = nil) -> Int32 {
    let distance = distances[row, column]
    if distance == 0 { return -1 }
    if distance == Self.escape { return farLink(row * distances.width + column) }
    return Int32(truncatingIfNeeded: (origin ?? row) - Int(distance))
  }
}
