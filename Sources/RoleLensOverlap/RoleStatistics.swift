import RoleLensClassify

/// Corpus statistics of one role: what overlap metrics need, accumulated posting by posting.
///
/// The statistics are sums, so they are mergeable: statistics gathered on separate parts of a
/// corpus (threads, machines) and merged equal those gathered on the whole, exactly (counts are
/// integers; the TF-IDF centroid is summed only after the corpus-wide document frequencies are
/// known, in `OverlapAnalysis`).
public struct RoleStatistics: Sendable, Hashable {
  /// Postings counted.
  public var postings = 0
  /// Occurrences and postings of each term id.
  public private(set) var terms = TermTallies()
  /// Postings mentioning each skill category (index into the lexicon's skills).
  public var skillPostings: [Int: Int] = [:]
  /// Postings whose score for each role passes the threshold (indexed by `Role.index`).
  public var scoresAs: [Int]

  /// Empty statistics: no postings.
  public init() {
    scoresAs = [Int](repeating: 0, count: Role.allCases.count)
  }

  /// Occurrences of each term id, as a dictionary (built on each call: read `terms` in loops).
  public var termCounts: [Int32: Int] { terms.dictionary(\.occurrences) }
  /// Postings containing each term id, as a dictionary (built on each call: read `terms` in
  /// loops).
  public var documentFrequency: [Int32: Int] { terms.dictionary(\.postings) }

  /// Total term occurrences.
  public var totalTerms: Int { terms.reduce(0) { $0 + $1.occurrences } }

  /// Adds one posting.
  ///
  /// - Complexity: O(t) expected for t distinct terms in the posting.
  public mutating func add(_ vector: TermVector, skills: [Int], scoresAs roles: [Role]) {
    postings += 1
    terms.reserve(vector.ids.count)
    for (id, count) in zip(vector.ids, vector.counts) { terms.add(id, occurrences: Int(count), postings: 1) }
    for skill in skills { skillPostings[skill, default: 0] += 1 }
    for role in roles { scoresAs[role.index] += 1 }
  }

  /// Adds another part's statistics to these.
  public mutating func merge(_ other: RoleStatistics) {
    postings += other.postings
    for tally in other.terms { terms.add(tally.id, occurrences: tally.occurrences, postings: tally.postings) }
    skillPostings.merge(other.skillPostings, uniquingKeysWith: +)
    for index in scoresAs.indices { scoresAs[index] += other.scoresAs[index] }
  }
}

/// Per term id: its occurrences and the postings containing it, in one open-addressing table
/// (a posting's term costs one probe, where two dictionaries cost two hashed updates).
///
/// Equal when they hold the same ids with the same tallies, whatever the order of addition.
public struct TermTallies: Sendable, Hashable, Sequence {
  /// One term's tallies.
  public struct Tally: Sendable, Hashable {
    /// The term id.
    public var id: Int32
    /// Occurrences of the term.
    public var occurrences: Int
    /// Postings containing the term.
    public var postings: Int
  }

  /// The tallies, in order of first addition.
  private var tallies: [Tally] = []
  /// Open addressing by id: index into `tallies` + 1, 0 for an empty slot.
  private var slots = [Int32](repeating: 0, count: 16)

  /// No terms.
  public init() {}

  /// The number of term ids with tallies.
  public var count: Int { tallies.count }

  /// The tallies of `id`, or `nil` when it has none.
  public subscript(id: Int32) -> Tally? {
    let mask = slots.count - 1
    var slot = Self.slot(id, mask)
    while true {
      let entry = slots[slot]
      if entry == 0 { return nil }
      if tallies[Int(entry - 1)].id == id { return tallies[Int(entry - 1)] }
      slot = (slot + 1) & mask
    }
  }

  /// Adds `occurrences` and `postings` to the tallies of `id`.
  @inline(__always)
  mutating func add(_ id: Int32, occurrences: Int, postings: Int) {
    let mask = slots.count - 1
    var slot = Self.slot(id, mask)
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if tallies[Int(entry - 1)].id == id {
        tallies[Int(entry - 1)].occurrences += occurrences
        tallies[Int(entry - 1)].postings += postings
        return
      }
      slot = (slot + 1) & mask
    }
    tallies.append(Tally(id: id, occurrences: occurrences, postings: postings))
    slots[slot] = Int32(tallies.count)
    if tallies.count * 2 > slots.count { rehash(slots.count * 2) }
  }

  /// Makes room for `more` ids without growing while they are added.
  mutating func reserve(_ more: Int) {
    var size = slots.count
    while (tallies.count + more) * 2 > size { size *= 2 }
    if size > slots.count { rehash(size) }
  }

  /// The tallies, in order of first addition.
  public func makeIterator() -> IndexingIterator<[Tally]> { tallies.makeIterator() }

  /// One tally of every id, as a dictionary by id.
  func dictionary(_ value: KeyPath<Tally, Int>) -> [Int32: Int] {
    Dictionary(uniqueKeysWithValues: tallies.map { ($0.id, $0[keyPath: value]) })
  }

  /// Whether both hold the same ids with the same tallies, in any order.
  public static func == (lhs: TermTallies, rhs: TermTallies) -> Bool {
    lhs.count == rhs.count && lhs.tallies.allSatisfy { rhs[$0.id] == $0 }
  }

  /// Hashes the tallies independently of their order, as equality is.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(tallies.count)
    hasher.combine(tallies.reduce(0) { $0 &+ $1.occurrences &* 31 &+ $1.postings })
  }

  private static func slot(_ id: Int32, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: id)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
  }

  private mutating func rehash(_ size: Int) {
    slots = [Int32](repeating: 0, count: size)
    let mask = size - 1
    for (index, tally) in tallies.enumerated() {
      var slot = Self.slot(tally.id, mask)
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(index + 1)
    }
  }
}
