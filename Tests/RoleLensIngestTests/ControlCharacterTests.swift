import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// Whether `text` holds a C0 control (other than those in `allowed`), DEL or a C1 control.
private func holdsControl(_ text: String, allowed: Set<Unicode.Scalar> = []) -> Bool {
  text.unicodeScalars.contains { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && !allowed.contains($0) }
}

@Suite("Control characters in inputs")
struct ControlCharacterTests {
  @Test(
    "C0 controls and DEL become their control pictures, C1 controls U+FFFD",
    arguments: [
      ("\u{1B}]0;pwned\u{07}", "\u{241B}]0;pwned\u{2407}", 2),
      ("\u{1B}[2Jclear", "\u{241B}[2Jclear", 1),
      ("csi\u{9B}31m", "csi\u{FFFD}31m", 1),
      ("nul\u{0}del\u{7F}", "nul\u{2400}del\u{2421}", 2),
      ("line\nbreak\ttab\rcr", "line\u{240A}break\u{2409}tab\u{240D}cr", 3),
      ("café — naïve ¡ü", "café — naïve ¡ü", 0),
      ("", "", 0),
    ])
  func replaced(input: String, expected: String, count: Int) {
    let result = ControlCharacters.replace(in: input)
    #expect(Array(result.text.unicodeScalars) == Array(expected.unicodeScalars))
    #expect(result.replaced == count)
  }

  @Test("the controls a field may keep are kept")
  func keeping() {
    #expect(
      ControlCharacters.replacing("a\nb\tc\rd\u{1B}", keeping: ControlCharacters.bodyLayout)
        == "a\nb\tc\u{240D}d\u{241B}")
    #expect(ControlCharacters.replacing("a\nb\tc\rd", keeping: ControlCharacters.escapedByFormats) == "a\nb\tc\rd")
  }

  @Test("a posting's title, company, location, headings and body carry no control, with a warning")
  func extractedFieldsClean() throws {
    let text = """
      \u{1B}]0;Owned\u{07}Product Manager\u{1B}[2J
      Company: Acme\u{9B}31m
      Location: Zürich\u{7F}

      Responsibilities:
      - Own the product roadmap\u{1B}[1A and run customer interviews
      - Define product metrics\u{0C}
      """
    let posting = try Ingest.posting(text: text)
    #expect(posting.title == "\u{241B}]0;Owned\u{2407}Product Manager\u{241B}[2J")
    #expect(posting.company == "Acme\u{FFFD}31m")
    #expect(posting.location == "Zürich\u{2421}")
    for field in [posting.title, posting.company ?? "", posting.location ?? ""] + posting.sections.map(\.heading) {
      #expect(!holdsControl(field), "\(field.debugDescription)")
    }
    #expect(!holdsControl(posting.text, allowed: ["\n", "\t"]), "\(posting.text.debugDescription)")
    let warning = try #require(posting.warnings.first { $0.hasPrefix("replaced ") })
    #expect(warning.contains("title") && warning.contains("company") && warning.contains("text"))
  }

  @Test("a JSON-LD title with \\u001b escapes is extracted without the controls, with a warning")
  func jsonLDTitle() throws {
    let html = """
      <html><head><script type="application/ld+json">
      {"@type": "JobPosting", "title": "\\u001b]0;pwned\\u0007Product Manager\\u009b2J",
       "hiringOrganization": {"name": "Acme\\u001b[31m"},
       "description": "<p>Responsibilities: own the product roadmap and run customer interviews every week, with the team.</p>"}
      </script></head><body><h1>Product Manager</h1><p>Own the roadmap.</p></body></html>
      """
    let posting = try Ingest.posting(html: html)
    #expect(posting.title == "\u{241B}]0;pwned\u{2407}Product Manager\u{FFFD}2J")
    #expect(posting.company == "Acme\u{241B}[31m")
    #expect(posting.warnings.contains { $0.hasPrefix("replaced 4 control characters") }, "\(posting.warnings)")
  }

  @Test("a posting without controls gets no warning and is unchanged")
  func cleanPostingUnchanged() throws {
    let text = "Product Manager\nCompany: Acme\n\nResponsibilities:\n- Own the roadmap and more\n"
    let posting = try Ingest.posting(text: text)
    #expect(!posting.warnings.contains { $0.hasPrefix("replaced ") })
    #expect(posting.title == "Product Manager")
    #expect(posting.company == "Acme")
  }

  @Test("a skipped input's path and detail carry no control but the line breaks CSV quotes")
  func skippedInput() {
    let skip = SkippedInput(path: "in/a\u{1B}]0;x\u{07}\nb.txt", reason: .empty, detail: "bad \u{9B}2J")
    #expect(skip.path == "in/a\u{241B}]0;x\u{2407}\nb.txt")
    #expect(skip.detail == "bad \u{FFFD}2J")
  }
}
