import Testing

@testable import RoleLensIngest

/// The text form of paths: bytes that are not UTF-8 as `\xHH`, reversible and never the same
/// text for two different paths.
@Suite("Path escaping")
struct PathEscapingTests {
  @Test(
    "each path's bytes have the documented text",
    arguments: [
      ([0xFF, 0xFE] + Array(".txt".utf8), "\\xFF\\xFE.txt"),
      ([0xFE, 0xFF] + Array(".txt".utf8), "\\xFE\\xFF.txt"),
      (Array("Produktmanager – Zürich.txt".utf8), "Produktmanager – Zürich.txt"),
      (Array("M".utf8) + [0xFC] + Array("nchen.txt".utf8), "M\\xFCnchen.txt"),
      ([0xE2, 0x82], "\\xE2\\x82"),  // a UTF-8 sequence cut short
      (Array("a\\xFF".utf8), "a\\x5CxFF"),  // a real backslash-x
      (Array("a\\b\\".utf8), "a\\b\\"),  // other backslashes are themselves
      (Array("\\".utf8) + [0xFF], "\\\\xFF"),
    ] as [([UInt8], String)])
  func text(bytes: [UInt8], text: String) {
    #expect(PathEscaping.text(bytes) == text)
    #expect(PathEscaping.bytes(text) == bytes)
  }

  @Test("every short byte string comes back from its text, and no two share a text")
  func reversibleAndInjective() {
    let alphabet: [UInt8] = [0x5C, UInt8(ascii: "x"), UInt8(ascii: "F"), 0xFF, 0xC3, 0xBC, 0x41]
    var seen: [String: [UInt8]] = [:]
    var strings: [[UInt8]] = [[]]
    for _ in 0..<4 { strings = strings.flatMap { prefix in alphabet.map { prefix + [$0] } } }
    for bytes in strings {
      let text = PathEscaping.text(bytes)
      #expect(PathEscaping.bytes(text) == bytes)
      #expect(seen.updateValue(bytes, forKey: text) == nil, "\(bytes) and \(seen[text] ?? []) both give \(text)")
    }
  }
}
