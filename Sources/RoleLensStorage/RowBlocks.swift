/// A table of rows of `width` elements, stored in blocks of `rowsPerBlock` rows, each block
/// allocated once at its full size: the table grows by whole blocks and never copies what it
/// holds (an array that doubles holds its old and its new copy at once, which near the end of a
/// large run would be the run's largest allocation).
///
/// Its members are inlinable: the near-duplicate index reads rows in its innermost loop, from
/// another module, where an unspecialised generic call per element would cost more than the
/// comparison itself.
public struct RowBlocks<Element>: Sendable where Element: Sendable {
  /// Elements per row.
  public let width: Int
  /// Rows per block.
  @inlinable public static var rowsPerBlock: Int { 1024 }
  @usableFromInline var blocks: [[Element]] = []
  /// Rows appended.
  public var count = 0

  /// An empty table of rows of `width` elements.
  @inlinable
  public init(width: Int) {
    self.width = width
  }

  /// Appends a row of exactly `width` elements.
  @inlinable
  public mutating func append(_ row: [Element]) {
    precondition(row.count == width, "a row must have the table's width")
    if count % Self.rowsPerBlock == 0 {
      var block: [Element] = []
      block.reserveCapacity(width * Self.rowsPerBlock)
      blocks.append(block)
    }
    blocks[blocks.count - 1] += row
    count += 1
  }

  /// The element at `column` of row `row`.
  @inlinable
  public subscript(row: Int, column: Int) -> Element {
    blocks[row / Self.rowsPerBlock][(row % Self.rowsPerBlock) * width + column]
  }

  /// Calls `body` with row `row`'s elements, indexed from 0.
  @inlinable
  public func withRow<Result>(_ row: Int, _ body: (UnsafeBufferPointer<Element>) -> Result) -> Result {
    let start = (row % Self.rowsPerBlock) * width
    return blocks[row / Self.rowsPerBlock].withUnsafeBufferPointer { block in
      body(UnsafeBufferPointer(rebasing: block[start..<(start + width)]))
    }
  }
}
