/// One part of a run split over several processes or machines (`analyze --shard K/N`): which
/// inputs of the sorted walk it reads.
///
/// The rule depends only on a file's position in the walk and a dataset row's number, so every
/// shard finds its part from the same walk, with no coordination:
/// - a file read whole (a page, a text, a `.json` dataset) belongs to shard `position mod N`;
/// - the rows of a streamed dataset (`.csv`, `.jsonl`, also gzipped) are split into blocks of
///   `blockRows` consecutive rows, and block `b` of the file at `position` belongs to shard
///   `(position + b) mod N`: one large dump spreads over every shard. So does the reading
///   of a dump's bytes: each shard splits the whole file into rows (that part is cheap) and
///   decodes, extracts and analyses only its own rows.
///
/// A dataset's own problems (it cannot be opened, it is binary, reading it fails) are reported
/// by the shard its first block belongs to.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
  /// The shard's number, 0-based (`--shard K/N` is `index` K - 1).
  public let index: Int
  /// How many shards the run is split into.
  public let count: Int

  /// Consecutive dataset rows that go to one shard.
  public static let blockRows = 1000

  /// Shard `index` (0-based) of `count`; `nil` unless `0 <= index < count`.
  public init?(index: Int, count: Int) {
    guard count >= 1, index >= 0, index < count else { return nil }
    self.index = index
    self.count = count
  }

  /// The whole run as one shard.
  public static let whole = Shard(index: 0, count: 1)!

  /// The shard as `--shard` takes it: `K/N`, 1-based.
  public var description: String { "\(index + 1)/\(count)" }

  /// Whether the file at `position` of the walk, read whole, is this shard's (and, for a
  /// streamed dataset, whether this shard reports the file's own problems).
  public func owns(fileAt position: Int) -> Bool { position % count == index }

  /// The block a dataset row (1-based number) is in.
  public static func block(ofRow row: Int) -> Int { (row - 1) / blockRows }

  /// Whether row `row` of the dataset at `position` of the walk is this shard's.
  public func owns(row: Int, ofFileAt position: Int) -> Bool {
    (position % count + Self.block(ofRow: row) % count) % count == index
  }
}
