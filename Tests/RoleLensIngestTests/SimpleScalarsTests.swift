import Testing

@testable import RoleLensIngest

/// What the byte-level text path assumes of the scalars `SimpleScalars` accepts, checked
/// against the Character API of the Swift runtime that runs it, scalar by scalar.
@Suite("Simple scalars read like their bytes")
struct SimpleScalarsTests {
  /// Every accepted scalar.
  static let accepted: [Unicode.Scalar] = (UInt32(0x80)...0xFFFF).compactMap { value in
    SimpleScalars.accepts(value) ? Unicode.Scalar(value) : nil
  }

  /// The scalars the path compares Characters with: ASCII, bullets, apostrophes.
  static let marks: [Unicode.Scalar] =
    (UInt32(0)..<0x80).compactMap(Unicode.Scalar.init)
    + ["•", "·", "–", "▪", "◦", "●", "\u{2018}", "\u{2019}"]

  /// Whether `scalar` is its own Character next to ASCII letters on both sides.
  static func standsAlone(_ scalar: Unicode.Scalar) -> Bool {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: ["a", scalar, "a", scalar, scalar])
    return String(view).count == 5
  }

  @Test("an accepted scalar is a Character of its own and equals no mark but itself")
  func charactersAreScalars() {
    #expect(Self.accepted.count > 30_000)
    for scalar in Self.accepted {
      #expect(Self.standsAlone(scalar), "U+\(String(scalar.value, radix: 16))")
      for mark in Self.marks where mark != scalar {
        #expect(Character(scalar) != Character(mark), "U+\(String(scalar.value, radix: 16))")
      }
    }
  }

  @Test("the lowercase of an accepted scalar holds no ASCII, no apostrophe and no joining scalar")
  func lowercaseStaysApart() {
    for scalar in Self.accepted {
      let lowered = String(scalar).lowercased()
      for part in lowered.unicodeScalars {
        #expect(!part.isASCII && (part == scalar || (part != "\u{2018}" && part != "\u{2019}")))
        #expect(Self.standsAlone(part), "U+\(String(scalar.value, radix: 16))")
        for mark in Self.marks where mark != part {
          #expect(Character(part) != Character(mark), "U+\(String(scalar.value, radix: 16))")
        }
      }
    }
  }

  @Test("isSimple accepts ASCII without CR and the accepted scalars, and nothing else")
  func simpleText() {
    func simple(_ text: String) -> Bool {
      var copy = text
      return copy.withUTF8 { SimpleScalars.isSimple($0) }
    }
    #expect(simple("Plain ASCII\ttext\n"))
    #expect(simple("Über uns – what you’ll do • 日本語 한국어"))
    #expect(!simple("CR\r\nLF"))
    #expect(!simple("e\u{301}"))
    #expect(!simple("#\u{20E3}"))
    #expect(!simple("\u{212A}"))
    #expect(!simple("\u{37E}"))
    #expect(!simple("👍🏽"))
    #expect(!simple("c1\u{85}"))
  }
}
