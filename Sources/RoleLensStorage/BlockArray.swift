/// A growable array stored in blocks of `blockSize` elements, each allocated once at its full
/// size: appending never copies what the array holds, and the unused room is less than one
/// block (an `Array` that doubles has up to as much room unused as used, and holds its old and
/// new copy at once while it grows).
///
/// For the per-posting numbers a run keeps until its end (the near-duplicate index's originals
/// and links' rows), where the slack of doubling arrays would be a large share of their cost.
public struct BlockArray<Element>: Sendable where Element: Sendable {
  @usableFromInline var blocks: [[Element]] = []
  /// Elements appended.
  public var count = 0

  /// Elements per block.
  @inlinable public static var blockSize: Int { 1 << 14 }

  /// An empty array.
  @inlinable
  public init() {}

  /// Appends `element`.
  @inlinable
  public mutating func append(_ element: Element) {
    if count % Self.blockSize == 0 {
      var block: [Element] = []
      block.reserveCapacity(Self.blockSize)
      blocks.append(block)
    }
    blocks[blocks.count - 1].append(element)
    count += 1
  }

  /// The element at `index`.
  @inlinable
  public subscript(index: Int) -> Element {
    get { blocks[index / Self.blockSize][index % Self.blockSize] }
    set { blocks[index / Self.blockSize][index % Self.blockSize] = newValue }
  }
}
