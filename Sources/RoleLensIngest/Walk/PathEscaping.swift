/// The text form of file paths, which on Linux are bytes and need not be UTF-8.
///
/// rolelens shows, writes and takes paths as text: in `postings.csv` (`id`, `path`),
/// `skipped.csv`, messages, and as inputs of the library (`AnalysisOptions.inputs`,
/// `InputWalker.walk`). The text of a path is its bytes read as UTF-8, except that
/// - every byte that is not part of a valid UTF-8 sequence is written `\xHH` (two upper-case
///   hex digits): the bytes `ff fe` give `\xFF\xFE`;
/// - a backslash followed by `x` in the name itself is written `\x5C` (so a file really named
///   `\xFF` shows as `\x5CxFF`).
///
/// So two different paths never get the same text, and `bytes(_:)` gives back the exact bytes
/// to open. Paths that are valid UTF-8 and hold no backslash-x, which is nearly all of them,
/// are their own text.
public enum PathEscaping {
  /// The text of a path given as its bytes.
  ///
  /// - Complexity: O(n) in the number of bytes.
  public static func text(_ bytes: some Collection<UInt8>) -> String {
    // The common case: ASCII without a backslash is its own text.
    if bytes.allSatisfy({ $0 < 0x80 && $0 != backslash }) { return String(decoding: bytes, as: UTF8.self) }
    let bytes = Array(bytes)
    var result = ""
    var index = 0
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    // A backslash is written once the next character shows whether it needs escaping.
    var pendingBackslash = false
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        let scalar = Unicode.UTF8.decode(encoded)
        if pendingBackslash { result += scalar == "x" ? "\\x5C" : "\\" }
        pendingBackslash = scalar == "\\"
        if !pendingBackslash { result.unicodeScalars.append(scalar) }
        index += encoded.count
      case .error(let length):
        // The maximal invalid subpart of a sequence, escaped byte by byte.
        if pendingBackslash { result += "\\" }
        pendingBackslash = false
        for byte in bytes[index..<index + length] { result += "\\x" + hex(byte) }
        index += length
      case .emptyInput:
        if pendingBackslash { result += "\\" }
        return result
      }
    }
  }

  /// The exact bytes of a path given as text (the inverse of `text(_:)`): each `\xHH` is the
  /// byte HH; everything else is UTF-8.
  ///
  /// - Complexity: O(n) in the length of the text.
  public static func bytes(_ text: String) -> [UInt8] {
    let utf8 = Array(text.utf8)
    guard utf8.contains(backslash) else { return utf8 }
    var result: [UInt8] = []
    result.reserveCapacity(utf8.count)
    var index = 0
    while index < utf8.count {
      if utf8[index] == backslash, index + 3 < utf8.count, utf8[index + 1] == UInt8(ascii: "x"),
        let high = hexValue(utf8[index + 2]), let low = hexValue(utf8[index + 3])
      {
        result.append(high << 4 | low)
        index += 4
      } else {
        result.append(utf8[index])
        index += 1
      }
    }
    return result
  }

  /// A path's text decoded back to a plain string: for values that are opened by name through
  /// APIs that take strings (they cannot name a file whose name is not UTF-8; such bytes become
  /// U+FFFD).
  public static func plainString(_ text: String) -> String {
    String(decoding: bytes(text), as: UTF8.self)
  }

  // MARK: - Details

  private static let backslash = UInt8(ascii: "\\")

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    default: return nil
    }
  }
}
