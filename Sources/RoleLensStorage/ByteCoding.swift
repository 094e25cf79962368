/// Appends values to a byte buffer in a compact, fixed binary form, read back by `ByteReader`:
/// integers as LEB128 varints (signed ones zigzag-encoded), `UInt64` hashes and `Double` bit
/// patterns as 8 little-endian bytes, strings and arrays as a length then their elements.
///
/// The form is the same on every platform and has no alignment, so a file written on one
/// machine of a cluster reads on any other (`analyze --partial`, `merge`).
public struct ByteWriter: Sendable {
  /// The bytes written so far.
  public private(set) var bytes: [UInt8] = []

  /// An empty buffer.
  public init() {}

  /// Empties the buffer, keeping its capacity.
  public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  /// Appends an unsigned integer in 1 to 10 bytes.
  public mutating func write(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  /// Appends a signed integer (zigzag: small magnitudes of either sign take few bytes).
  public mutating func write(_ value: Int) {
    let wide = Int64(value)
    write(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
  }

  /// Appends 8 bytes, least significant first (hashes, whose bytes are all significant).
  public mutating func writeFixed(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// Appends a number's exact bit pattern: it reads back as the same `Double`, NaNs included.
  public mutating func write(_ value: Double) { writeFixed(value.bitPattern) }

  /// Appends one byte, 0 or 1.
  public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

  /// Appends a string's UTF-8 bytes after their count.
  public mutating func write(_ value: String) {
    var value = value
    value.withUTF8 { utf8 in
      write(UInt64(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  /// Appends raw bytes after their count.
  public mutating func write(bytes value: some Collection<UInt8>) {
    write(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  /// Appends 0 for `nil`, else 1 and the value.
  public mutating func write(_ value: String?) {
    write(value != nil)
    if let value { write(value) }
  }

  /// Appends 0 for `nil`, else 1 and the value.
  public mutating func write(_ value: Int?) {
    write(value != nil)
    if let value { write(value) }
  }

  /// Appends a list: its count, then each element with `write`.
  public mutating func write<Element>(_ values: [Element], each write: (inout ByteWriter, Element) -> Void) {
    self.write(UInt64(values.count))
    for value in values { write(&self, value) }
  }

  /// Appends a list of strings.
  public mutating func write(_ values: [String]) { write(values) { $0.write($1) } }

  /// Appends a list of integers.
  public mutating func write(_ values: [Int]) { write(values) { $0.write($1) } }

  /// Appends a list of numbers.
  public mutating func write(_ values: [Double]) { write(values) { $0.write($1) } }

  /// Appends a list of 8-byte values (`writeFixed`).
  public mutating func writeFixed(_ values: [UInt64]) { write(values) { $0.writeFixed($1) } }

  /// Appends bytes as they are, with no count (a format's magic, a frame's payload).
  public mutating func append(raw: some Collection<UInt8>) { bytes.append(contentsOf: raw) }
}

/// Reads what `ByteWriter` wrote, in the same order. Every read checks the bounds: bytes that
/// end early or hold an impossible value throw `ByteReader.Malformed` rather than trap.
public struct ByteReader {
  /// Bytes that are not what `ByteWriter` wrote: cut short, or a count larger than what is left.
  public struct Malformed: Error, Sendable, Equatable {
    /// Where in the bytes reading failed.
    public var offset: Int
  }

  private let bytes: ArraySlice<UInt8>
  /// The index of the next byte to read.
  public private(set) var position: Int

  /// Reads `bytes` from their start.
  public init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    position = bytes.startIndex
  }

  /// Whether every byte has been read.
  public var isAtEnd: Bool { position >= bytes.endIndex }

  private func malformed() -> Malformed { Malformed(offset: position - bytes.startIndex) }

  /// Reads an unsigned varint.
  public mutating func readUInt64() throws(Malformed) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard position < bytes.endIndex, shift < 64 else { throw malformed() }
      let byte = bytes[position]
      position += 1
      value |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { return value }
      shift += 7
    }
  }

  /// Reads a zigzag varint.
  public mutating func readInt() throws(Malformed) -> Int {
    let raw = try readUInt64()
    let value = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    guard let result = Int(exactly: value) else { throw malformed() }
    return result
  }

  /// Reads a count of things still to come, each at least `minimumSize` bytes long: a count
  /// the remaining bytes cannot hold is malformed (so a damaged count never allocates wildly).
  public mutating func readCount(minimumSize: Int = 1) throws(Malformed) -> Int {
    let raw = try readUInt64()
    guard raw <= UInt64(bytes.endIndex - position) / UInt64(max(1, minimumSize)) else { throw malformed() }
    return Int(raw)
  }

  /// Reads 8 little-endian bytes.
  public mutating func readFixed() throws(Malformed) -> UInt64 {
    guard bytes.endIndex - position >= 8 else { throw malformed() }
    var value: UInt64 = 0
    for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
    position += 8
    return value
  }

  /// Reads a number's bit pattern.
  public mutating func readDouble() throws(Malformed) -> Double { Double(bitPattern: try readFixed()) }

  /// Reads a byte that must be 0 or 1.
  public mutating func readBool() throws(Malformed) -> Bool {
    guard position < bytes.endIndex, bytes[position] <= 1 else { throw malformed() }
    defer { position += 1 }
    return bytes[position] == 1
  }

  /// Reads counted bytes.
  public mutating func readBytes() throws(Malformed) -> ArraySlice<UInt8> {
    let count = try readCount()
    defer { position += count }
    return bytes[position..<position + count]
  }

  /// Reads a string (its bytes must be UTF-8).
  public mutating func readString() throws(Malformed) -> String {
    let start = position
    let utf8 = try readBytes()
    guard let string = String(validating: utf8, as: UTF8.self) else {
      position = start
      throw malformed()
    }
    return string
  }

  /// Reads `nil` or a string.
  public mutating func readOptionalString() throws(Malformed) -> String? {
    try readBool() ? readString() : nil
  }

  /// Reads `nil` or an integer.
  public mutating func readOptionalInt() throws(Malformed) -> Int? {
    try readBool() ? readInt() : nil
  }

  /// Reads a list `write(_:each:)` wrote, each element of at least `minimumSize` bytes.
  public mutating func readList<Element>(
    minimumSize: Int = 1, each read: (inout ByteReader) throws(Malformed) -> Element
  ) throws(Malformed) -> [Element] {
    let count = try readCount(minimumSize: minimumSize)
    var values: [Element] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(try read(&self)) }
    return values
  }

  /// Reads a list of strings.
  public mutating func readStrings() throws(Malformed) -> [String] {
    try readList { (reader) throws(Malformed) in try reader.readString() }
  }

  /// Reads a list of integers.
  public mutating func readInts() throws(Malformed) -> [Int] {
    try readList { (reader) throws(Malformed) in try reader.readInt() }
  }

  /// Reads a list of numbers.
  public mutating func readDoubles() throws(Malformed) -> [Double] {
    try readList(minimumSize: 8) { (reader) throws(Malformed) in try reader.readDouble() }
  }

  /// Reads a list of 8-byte values.
  public mutating func readFixedList() throws(Malformed) -> [UInt64] {
    try readList(minimumSize: 8) { (reader) throws(Malformed) in try reader.readFixed() }
  }

  /// Reads `count` bytes as they are (a magic, a fixed field).
  public mutating func readRaw(_ count: Int) throws(Malformed) -> ArraySlice<UInt8> {
    guard count >= 0, bytes.endIndex - position >= count else { throw malformed() }
    defer { position += count }
    return bytes[position..<position + count]
  }
}
