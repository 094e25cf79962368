import Foundation
import Testing

@testable import RoleLensReport

@Suite("JSONValue")
struct JSONValueTests {
  @Test(
    "strings are escaped as RFC 8259 requires",
    arguments: [
      ("plain", "\"plain\""),
      ("say \"hi\"", "\"say \\\"hi\\\"\""),
      ("back\\slash", "\"back\\\\slash\""),
      ("a\nb\rc\td", "\"a\\nb\\rc\\td\""),
      ("\u{01}\u{1F}", "\"\\u0001\\u001f\""),
      ("\u{0}", "\"\\u0000\""),
      ("line\u{2028}sep\u{2029}", "\"line\\u2028sep\\u2029\""),
      ("café/ü", "\"café/ü\""),
    ])
  func stringEscaping(value: String, expected: String) {
    #expect(JSONValue.quote(value) == expected)
  }

  @Test("an escaped string parses back to the original")
  func stringRoundTrip() throws {
    let original = "q\"\\\n\r\t\u{01}\u{7F}\u{2028}\u{2029}é😀"
    let text = JSONValue.array([.string(original)]).rendered()
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
    #expect(parsed == [original])
  }

  @Test("object keys keep the order they were given")
  func keyOrder() {
    let value = JSONValue.object([("zeta", .integer(1)), ("alpha", .integer(2)), ("mid", .null)])
    #expect(value.rendered() == "{\n  \"zeta\": 1,\n  \"alpha\": 2,\n  \"mid\": null\n}")
  }

  @Test("a nested value renders to the expected text, two spaces per level")
  func wholeRendering() {
    let value = JSONValue.object([
      ("tool", .string("rolelens")),
      ("ok", .bool(true)),
      ("share", .number(0.5, decimals: 4)),
      ("missing", .number(nil as Double?)),
      ("roles", .array([.string("a"), .integer(-3)])),
      ("empty", .object([])),
      ("none", .array([])),
      ("pair", .object([("n_a", .integer(5)), ("flag", .bool(false))])),
    ])
    let expected = """
      {
        "tool": "rolelens",
        "ok": true,
        "share": 0.5000,
        "missing": null,
        "roles": [
          "a",
          -3
        ],
        "empty": {},
        "none": [],
        "pair": {
          "n_a": 5,
          "flag": false
        }
      }
      """
    #expect(value.rendered() == expected)
  }

  @Test("rendering is deterministic")
  func deterministic() {
    let make = {
      JSONValue.object((0..<50).map { ("key\($0)", JSONValue.number(Double($0) / 7, decimals: 6)) })
    }
    #expect(make().rendered() == make().rendered())
  }

  @Test("numbers have fixed decimals, no negative zero, and non-finite numbers are null")
  func numbers() {
    #expect(JSONValue.number(1.0 / 3.0, decimals: 3).rendered() == "0.333")
    #expect(JSONValue.number(-0.00001, decimals: 2).rendered() == "0.00")
    #expect(JSONValue.number(.nan, decimals: 2).rendered() == "null")
    #expect(JSONValue.number(.infinity, decimals: 2).rendered() == "null")
    #expect(JSONValue.number(-.infinity, decimals: 2).rendered() == "null")
  }

  @Test("the rendered text is valid JSON")
  func validJSON() throws {
    let value = JSONValue.object([
      ("a", .array([.number(1.5, decimals: 2), .null, .bool(false), .string("x\"y")])),
      ("b", .object([("c", .number(.nan, decimals: 2))])),
    ])
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(value.rendered().utf8)) as? [String: Any])
    #expect(parsed.keys.sorted() == ["a", "b"])
  }
}
