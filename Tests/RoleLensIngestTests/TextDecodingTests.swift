import Foundation
import Testing

@testable import RoleLensIngest

/// Bytes to text: every decoding path of `TextDecoding.decode`, as saved job pages exercise them.
@Suite("Text decoding")
struct TextDecodingTests {
  static let sample = "Produktmanager (m/w/d) – Zürich, 95’000 CHF"

  static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    text.utf16.flatMap { unit -> [UInt8] in
      let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
      return bigEndian ? [high, low] : [low, high]
    }
  }

  static func utf32(_ text: String, bigEndian: Bool) -> [UInt8] {
    text.unicodeScalars.flatMap { scalar -> [UInt8] in
      let v = scalar.value
      let little = [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
      return bigEndian ? little.reversed() : little
    }
  }

  static func decoded(_ bytes: [UInt8], isMarkup: Bool = true) throws -> DecodedText {
    try TextDecoding.decode(bytes, isMarkup: isMarkup).get()
  }

  // MARK: - Byte-order marks

  @Test("a UTF-8 byte-order mark is recognised and not kept in the text")
  func utf8BOM() throws {
    let text = try Self.decoded([0xEF, 0xBB, 0xBF] + Array(Self.sample.utf8))
    #expect(text.text == Self.sample)
    #expect(text.encoding == .utf8)
    #expect(text.warnings.isEmpty)
  }

  struct BOMCase: Sendable, CustomTestStringConvertible {
    var bytes: [UInt8]
    var encoding: TextEncoding
    var testDescription: String { encoding.rawValue }
  }

  @Test(
    "UTF-16 and UTF-32 files with a byte-order mark decode exactly",
    arguments: [
      BOMCase(bytes: [0xFF, 0xFE] + utf16(sample, bigEndian: false), encoding: .utf16LE),
      BOMCase(bytes: [0xFE, 0xFF] + utf16(sample, bigEndian: true), encoding: .utf16BE),
      BOMCase(
        bytes: [0xFF, 0xFE, 0x00, 0x00] + utf32(sample, bigEndian: false), encoding: .utf32LE),
      BOMCase(
        bytes: [0x00, 0x00, 0xFE, 0xFF] + utf32(sample, bigEndian: true), encoding: .utf32BE),
    ])
  func unicodeWithBOM(_ example: BOMCase) throws {
    let text = try Self.decoded(example.bytes)
    #expect(text.text == Self.sample)
    #expect(text.encoding == example.encoding)
  }

  @Test("characters outside the BMP survive UTF-16 surrogate pairs")
  func utf16SurrogatePairs() throws {
    let sample = "Team lunch every Friday 🍕 and a hackathon 🚀"
    let text = try Self.decoded([0xFF, 0xFE] + Self.utf16(sample, bigEndian: false))
    #expect(text.text == sample)
  }

  @Test(
    "UTF-16 without a byte-order mark is recognised from its zero bytes, with a warning",
    arguments: [false, true])
  func utf16WithoutBOM(bigEndian: Bool) throws {
    let html = "<html><body><p>Delivery Manager, Leeds</p></body></html>"
    let text = try Self.decoded(Self.utf16(html, bigEndian: bigEndian))
    #expect(text.text == html)
    #expect(text.encoding == (bigEndian ? .utf16BE : .utf16LE))
    #expect(!text.warnings.isEmpty)
  }

  // MARK: - Declarations

  /// "Let’s talk about “delivery” – €5k bonus" in Windows-1252 bytes.
  static let cp1252Sentence: [UInt8] =
    Array("Let".utf8) + [0x92] + Array("s talk about ".utf8) + [0x93] + Array("delivery".utf8) + [
      0x94
    ]
    + Array(" ".utf8) + [0x96] + Array(" ".utf8) + [0x80] + Array("5k bonus".utf8)

  @Test("<meta charset=\"windows-1252\"> decodes ’ “ ” – € from their cp1252 bytes")
  func metaCharsetWindows1252() throws {
    let bytes =
      Array("<html><head><meta charset=\"windows-1252\"><title>Job</title></head><body><p>".utf8)
      + Self.cp1252Sentence + Array("</p></body></html>".utf8)
    let text = try Self.decoded(bytes)
    #expect(text.text.contains("Let’s talk about “delivery” – €5k bonus"))
    #expect(text.encoding == .windows1252)
    #expect(text.warnings.isEmpty)
  }

  @Test("an http-equiv Content-Type charset is honoured")
  func httpEquivCharset() throws {
    let bytes =
      Array(
        "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\"></head><body><p>Caf"
          .utf8)
      + [0xE9] + Array(" Lumi".utf8) + [0xE8]
      + Array("re is hiring a Project Manager</p></body></html>".utf8)
    let text = try Self.decoded(bytes)
    #expect(text.text.contains("Café Lumière is hiring a Project Manager"))
    #expect(text.encoding == .windows1252)
    #expect(text.warnings.isEmpty)
  }

  @Test("an XML declaration's encoding is honoured")
  func xmlDeclarationEncoding() throws {
    let bytes =
      Array(
        "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>"
          .utf8)
      + Self.cp1252Sentence + Array("</p></body></html>".utf8)
    let text = try Self.decoded(bytes)
    #expect(text.text.contains("Let’s talk about “delivery” – €5k bonus"))
    #expect(text.encoding == .windows1252)
  }

  @Test(
    "a meta that declares ISO-8859-1 over UTF-8 bytes is overruled: read as UTF-8, with a warning")
  func lyingMetaIsOverruled() throws {
    let html =
      "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Projektleiter – Zürich, Schweiz</p></body></html>"
    let text = try Self.decoded(Array(html.utf8))
    #expect(text.text == html)
    #expect(text.encoding == .utf8)
    #expect(!text.warnings.isEmpty)
  }

  @Test("a charset declaration in a plain-text file is not taken as a declaration")
  func plainTextIgnoresDeclarations() throws {
    // The bytes are valid UTF-8; in .txt the words "charset=windows-1252" are just text.
    let posting =
      "Web Developer\nYou will fix pages that say charset=windows-1252 but are UTF-8 – like this one: Zürich.\n"
    let text = try Self.decoded(Array(posting.utf8), isMarkup: false)
    #expect(text.text == posting)
    #expect(text.encoding == .utf8)
    #expect(text.warnings.isEmpty)
  }

  // MARK: - Fallbacks

  @Test("plain UTF-8 without a declaration decodes without warnings")
  func undeclaredUTF8() throws {
    let text = try Self.decoded(Array(Self.sample.utf8))
    #expect(text.text == Self.sample)
    #expect(text.encoding == .utf8)
    #expect(text.warnings.isEmpty)
  }

  @Test(
    "bytes that are not valid UTF-8 and declare nothing are read as Windows-1252, with a warning")
  func invalidUTF8FallsBackToWindows1252() throws {
    let bytes = Array("Technical Project Manager\n".utf8) + Self.cp1252Sentence + [0x0A]
    let text = try Self.decoded(bytes, isMarkup: false)
    #expect(text.text == "Technical Project Manager\nLet’s talk about “delivery” – €5k bonus\n")
    #expect(text.encoding == .windows1252)
    #expect(!text.warnings.isEmpty)
  }

  @Test("a page declaring UTF-8 whose bytes are not UTF-8 is read as Windows-1252, with a warning")
  func declaredUTF8ButInvalid() throws {
    let bytes =
      Array("<html><head><meta charset=\"utf-8\"></head><body><p>".utf8) + Self.cp1252Sentence
      + Array("</p></body></html>".utf8)
    let text = try Self.decoded(bytes)
    #expect(text.text.contains("Let’s talk about “delivery” – €5k bonus"))
    #expect(text.encoding == .windows1252)
    #expect(!text.warnings.isEmpty)
  }

  // MARK: - Binary

  /// A complete 1×1 PNG image.
  static let png: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
  ]

  @Test("a PNG image is not text")
  func pngIsNotText() {
    let result = TextDecoding.decode(Self.png, isMarkup: true)
    #expect(throws: TextDecoding.NotText.self) { try result.get() }
  }

  @Test("text with NUL bytes in it is not text")
  func nulBytesAreNotText() {
    var bytes = Array("<html><body><p>Product Manager</p>".utf8)
    bytes += [0x00, 0x00, 0x13, 0x07, 0x00] + Array("</body></html>".utf8)
    let result = TextDecoding.decode(bytes, isMarkup: true)
    #expect(throws: TextDecoding.NotText.self) { try result.get() }
  }

  @Test("a gzip-compressed page is not text")
  func gzipIsNotText() {
    let bytes: [UInt8] =
      [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03] + Array("xyz".utf8)
    #expect(throws: TextDecoding.NotText.self) {
      try TextDecoding.decode(bytes, isMarkup: true).get()
    }
  }

  @Test("Windows-1252 decoding maps every byte to a character and never fails")
  func windows1252Total() {
    let all = (0...255).map(UInt8.init)
    let text = TextDecoding.decodeWindows1252(all[...])
    #expect(text.unicodeScalars.count == 256)
    #expect(text.unicodeScalars.map(\.value)[0x80] == 0x20AC)
    #expect(text.unicodeScalars.map(\.value)[0xE9] == 0xE9)
  }
}
