import CZlib
import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// Gzip-compresses `bytes` with zlib (test-side writer; rolelens only reads gzip).
func gzipCompressed(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
  var stream = z_stream()
  // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
  guard
    deflateInit2_(
      &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
      Int32(MemoryLayout<z_stream>.size)) == Z_OK
  else { return [] }
  defer { deflateEnd(&stream) }
  var input = bytes
  var output: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  input.withUnsafeMutableBufferPointer { inputBuffer in
    stream.next_in = inputBuffer.baseAddress
    stream.avail_in = UInt32(inputBuffer.count)
    var status = Z_OK
    while status != Z_STREAM_END {
      let produced = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int in
        stream.next_out = outBuffer.baseAddress
        stream.avail_out = UInt32(outBuffer.count)
        status = deflate(&stream, Z_FINISH)
        return outBuffer.count - Int(stream.avail_out)
      }
      output.append(contentsOf: chunk[0..<produced])
      if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR { return }
    }
  }
  return output
}

/// Repairs of scraped text (mojibake, double-escaped entities) and gzip-compressed inputs.
@Suite("Text repair and compressed inputs")
struct RepairAndCompressionTests {
  static let posting = """
    Technical Project Manager
    Company: Northwind Logistics
    Location: Rotterdam

    Responsibilities:
    - Run the cutover plan for the warehouse system migration across three sites
    - Keep the vendor, the infrastructure team and operations on one schedule
    Requirements:
    - 5+ years delivering technical projects with hard deadlines
    - Experience with Jira, risk registers and go-live checklists
    """

  static let html = """
    <!DOCTYPE html><html><head><meta charset="utf-8"><title>Product Manager | Fabrikam</title></head>
    <body><nav><a href="/">Home</a> <a href="/jobs">Jobs</a></nav>
    <main><h1>Product Manager, Payments</h1>
    <p>Fabrikam builds the payment terminals used by 40,000 independent shops across Europe.</p>
    <h2>What you'll do</h2><ul><li>Own the roadmap for in-store payments and refunds</li>
    <li>Talk to shop owners every week and turn their problems into product bets</li></ul>
    <h2>Requirements</h2><ul><li>4+ years of product management in fintech or retail</li>
    <li>Comfort with A/B testing, funnels and SQL</li></ul></main>
    <footer>© Fabrikam</footer></body></html>
    """

  /// Writes `bytes` to `name` in a new folder and reads it as a run would.
  static func read(_ bytes: [UInt8], as name: String, options: IngestOptions = IngestOptions())
    throws
    -> ReadResult
  {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try TestSupport.write(bytes, to: name, in: folder)
    return PostingReader(options: options).read(try Ingest.inputFile(path))
  }

  // MARK: - Mojibake

  @Test(
    "UTF-8 decoded as Windows-1252 or Latin-1 is turned back into the intended characters",
    arguments: [
      ("Itâ€™s a hybrid role", "It’s a hybrid role"),
      ("â€œship itâ€\u{9D}", "“ship it”"),
      ("Ã©quipe produit", "équipe produit"),
      ("MÃ¼nchen", "München"),
      ("40Â\u{A0}hours", "40\u{A0}hours"),
      ("weâ\u{80}\u{99}re hiring", "we’re hiring"),
      ("deadline â€“ Q3", "deadline – Q3"),
    ])
  func mojibakeRepaired(input: String, expected: String) {
    #expect(TextRepair.repairMojibake(input).text == expected)
  }

  @Test(
    "text that is not mojibake is left exactly as it was",
    arguments: [
      "café", "naïve", "Zürich", "São Paulo", "Ça marche", "Señor Product Manager", "Øresund",
      "東京のプロダクトマネージャー", "产品经理（上海）", "프로젝트 매니저", "price: 40 € — net",
    ])
  func correctTextUnchanged(text: String) {
    let (repaired, count) = TextRepair.repairMojibake(text)
    #expect(repaired == text)
    #expect(count == 0)
  }

  @Test("the repair count is the number of sequences repaired")
  func mojibakeRepairCount() {
    let (text, count) = TextRepair.repairMojibake(
      "Itâ€™s a â€œfull-timeâ€\u{9D} role in MÃ¼nchen, cafÃ© included")
    #expect(text == "It’s a “full-time” role in München, café included")
    #expect(count == 5)
  }

  @Test("a mojibake file read through PostingReader is repaired, with a warning saying so")
  func mojibakeFileWarns() throws {
    let text = Self.posting.replacingOccurrences(
      of: "Keep the vendor", with: "Youâ€™ll keep the vendor")
    let result = try Self.read(Array(text.utf8), as: "posting.txt")
    let posting = try #require(result.postings.first)
    #expect(posting.text.contains("You’ll keep the vendor"))
    #expect(posting.warnings.contains { $0.hasPrefix("repaired") }, "warnings: \(posting.warnings)")
    #expect(posting.facts.mojibakeRepairs == 1)
  }

  @Test("a clean file gets no repair warning")
  func cleanFileNoRepairWarning() throws {
    let result = try Self.read(Array(Self.posting.utf8), as: "posting.txt")
    let posting = try #require(result.postings.first)
    #expect(!posting.warnings.contains { $0.hasPrefix("repaired") })
  }

  // MARK: - Entities

  @Test(
    "entities are decoded: numeric decimal and hex, named, and double-escaped",
    arguments: [
      ("Project Manager &#8211; Berlin", "Project Manager – Berlin"),
      ("Project Manager &#x2013; Berlin", "Project Manager – Berlin"),
      ("Project Manager &#X2013; Berlin", "Project Manager – Berlin"),
      ("R&amp;D Program Manager", "R&D Program Manager"),
      ("&quot;TPM&quot; &ndash; &lt;remote&gt;", "\"TPM\" – <remote>"),
      ("Product Manager &amp;#8211; Payments", "Product Manager – Payments"),
      ("Caf&eacute; &amp;amp; bar", "Café & bar"),
    ])
  func entitiesDecoded(input: String, expected: String) {
    #expect(TextRepair.decodeEntities(input) == expected)
  }

  @Test("one pass decodes one level of escaping only")
  func entitiesOnePass() {
    #expect(TextRepair.decodeEntities("&amp;#8211;", passes: 1) == "&#8211;")
    #expect(TextRepair.decodeEntities("&amp;#8211;", passes: 2) == "–")
  }

  @Test(
    "unknown entities, a bare ampersand and invalid code points are kept",
    arguments: [
      "Sales &bogus; Ops", "R & D", "AT&T", "Q&A sessions", "&", "trailing &", "&#xD800; surrogate",
      "&#99999999999; too big", "&;", "&#; empty",
    ])
  func entitiesKept(text: String) {
    #expect(TextRepair.decodeEntities(text) == text)
  }

  // MARK: - Gzip

  @Test("a .txt.gz file is decompressed and read as text")
  func gzipText() throws {
    let result = try Self.read(gzipCompressed(Array(Self.posting.utf8)), as: "posting.txt.gz")
    #expect(result.skipped.isEmpty, "skipped: \(result.skipped)")
    let posting = try #require(result.postings.first)
    #expect(posting.format == .text)
    #expect(posting.title == "Technical Project Manager")
    #expect(posting.company == "Northwind Logistics")
    #expect(posting.text.contains("warehouse system migration"))
  }

  @Test("a .html.gz file is decompressed and read as HTML")
  func gzipHTML() throws {
    let result = try Self.read(gzipCompressed(Array(Self.html.utf8)), as: "page.html.gz")
    #expect(result.skipped.isEmpty, "skipped: \(result.skipped)")
    let posting = try #require(result.postings.first)
    #expect(posting.format == .html)
    #expect(posting.title == "Product Manager, Payments")
    #expect(posting.text.contains("Own the roadmap for in-store payments"))
    #expect(!posting.text.contains("© Fabrikam"))
  }

  @Test("a truncated gzip file is skipped as corrupt")
  func gzipTruncated() throws {
    let whole = gzipCompressed(Array(String(repeating: Self.posting, count: 20).utf8))
    #expect(whole.count > 100)
    let result = try Self.read(Array(whole.prefix(whole.count / 2)), as: "posting.txt.gz")
    #expect(result.postings.isEmpty)
    #expect(result.skipped.map(\.reason) == [.corrupt])
  }

  @Test("a file named .gz that is not gzip is skipped as corrupt")
  func gzipNotGzip() throws {
    let result = try Self.read(Array(Self.posting.utf8), as: "posting.txt.gz")
    #expect(result.postings.isEmpty)
    #expect(result.skipped.map(\.reason) == [.corrupt])
  }

  @Test("a gzip bomb is skipped as too large once its output passes maxFileSize")
  func gzipBomb() throws {
    let bomb = gzipCompressed([UInt8](repeating: 0, count: 1 << 20))
    #expect(bomb.count < 10_000, "the compressed bomb itself must be under the limit")
    let result = try Self.read(
      bomb, as: "bomb.html.gz", options: IngestOptions(maxFileSize: 10_000))
    #expect(result.postings.isEmpty)
    #expect(result.skipped.map(\.reason) == [.tooLarge])
    #expect(result.skipped.first?.detail.contains("10000") == true)
  }

  @Test("numeric references 128-159 mean Windows-1252 characters, as in browsers; &#0; is kept")
  func windows1252NumericReferences() {
    #expect(TextRepair.decodeEntities("Lead &#150; Platform") == "Lead – Platform")
    #expect(TextRepair.decodeEntities("&#146;s") == "’s")
    #expect(TextRepair.decodeEntities("a&#0;b") == "a&#0;b")
  }
}
