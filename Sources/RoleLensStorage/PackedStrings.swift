/// Byte strings stored back to back in one buffer: a run keeps one id or path per posting or
/// file, and this costs the string's bytes plus 8, not a `String` object each.
package struct PackedStrings: Sendable {
  private var bytes: [UInt8] = []
  private var ends: [Int] = []

  /// An empty list.
  package init() {}

  /// The number of strings.
  package var count: Int { ends.count }

  /// Appends a string's bytes.
  package mutating func append(_ string: some Collection<UInt8>) {
    bytes += string
    ends.append(bytes.count)
  }

  /// Appends a string's UTF-8 bytes.
  package mutating func append(_ string: String) {
    append(string.utf8)
  }

  /// The bytes of string `index`.
  package func bytes(_ index: Int) -> ArraySlice<UInt8> {
    let start = index == 0 ? 0 : ends[index - 1]
    return bytes[start..<ends[index]]
  }

  /// String `index`, decoded as UTF-8.
  package subscript(index: Int) -> String {
    String(decoding: bytes(index), as: UTF8.self)
  }
}
