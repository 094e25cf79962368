/// A table of rows of `width` elements, stored in blocks of `rowsPerBlock` rows, each block
/// allocated once at its full size: the table grows by whole blocks and never copies what it
/// holds (an array that doubles holds its old and its new copy at once, which near the end of a
/// large run would be the run's largest allocation).
package struct RowBlocks<Element>: Sendable where Element: Sendable {
  package let width: Int
  package static var rowsPerBlock: Int { 1024 }
  private var blocks: [[Element]] = []
  /// Rows appended.
  package private(set) var count = 0

  package init(width: Int) {
    self.width = width
  }

  /// Appends a row of exactly `width` elements.
  package mutating func append(_ row: [Element]) {
    precondition(row.count == width, "a row must have the table's width")
    if count % Self.rowsPerBlock == 0 {
      var block: [Element] = []
      block.reserveCapacity(width * Self.rowsPerBlock)
      blocks.append(block)
    }
    blocks[blocks.count - 1] += row
    count += 1
  }

  package subscript(row: Int, column: Int) -> Element {
    blocks[row / Self.rowsPerBlock][(row % Self.rowsPerBlock) * width + column]
  }

  /// Calls `body` with row `row`'s elements, indexed from 0.
  package func withRow<Result>(_ row: Int, _ body: (UnsafeBufferPointer<Element>) -> Result) -> Result {
    let start = (row % Self.rowsPerBlock) * width
    return blocks[row / Self.rowsPerBlock].withUnsafeBufferPointer { block in
      body(UnsafeBufferPointer(rebasing: block[start..<(start + width)]))
    }
  }
}
