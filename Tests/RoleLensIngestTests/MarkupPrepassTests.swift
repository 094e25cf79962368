import CLibXML2
import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// `MarkupPrepass` drops script and style bodies and caps attributes before libxml2 parses a
/// page. The tests check the bytes it writes on tricky markup, and that libxml2 builds the same
/// tree from its output as from the original page: the same elements in the same order, the
/// same text outside scripts and styles, the same JSON-LD.
@Suite("Preparing markup for libxml2")
struct MarkupPrepassTests {
  static func prepare(_ html: String) -> MarkupPrepass.Result {
    MarkupPrepass.prepare(Array(html.utf8))
  }

  static func prepared(_ html: String) -> String {
    String(decoding: prepare(html).bytes, as: UTF8.self)
  }

  /// What rolelens can see of a parsed page: every element name, attribute and text node in
  /// document order with its depth, except the text inside non-JSON-LD scripts and styles.
  static func tree(_ bytes: [UInt8]) -> [String] {
    let options = Int32(
      bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOBLANKS.rawValue | HTML_PARSE_COMPACT.rawValue
        | UInt32(XML_PARSE_HUGE.rawValue))
    let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { base in
        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
          htmlReadMemory($0, Int32(buffer.count), "", "UTF-8", options)
        }
      }
    }
    guard let document else { return [] }
    defer { xmlFreeDoc(document) }
    var items: [String] = []
    var stack: [(node: xmlNodePtr, hidden: Bool, depth: Int)] = []
    if let root = xmlDocGetRootElement(document) { stack.append((root, false, 0)) }
    while let (node, hidden, depth) = stack.popLast() {
      if let next = node.pointee.next { stack.append((next, hidden, depth)) }
      if node.pointee.type == XML_ELEMENT_NODE {
        let name = String(cString: node.pointee.name)
        var attributes: [String] = []
        var attribute = node.pointee.properties
        while let current = attribute {
          let value = current.pointee.children.map { String(cString: $0.pointee.content) } ?? ""
          attributes.append("\(String(cString: current.pointee.name))=\(value)")
          attribute = current.pointee.next
        }
        items.append("\(depth)<\(name) \(attributes.joined(separator: " "))>")
        let isLD = attributes.contains { $0.lowercased().contains("ld+json") }
        let opaque = (name == "script" || name == "style") && !isLD
        if let child = node.pointee.children { stack.append((child, hidden || opaque, depth + 1)) }
      } else if !hidden, let content = node.pointee.content {
        items.append("\(depth) " + String(cString: content))
      }
    }
    return items
  }

  /// Requires the prepared page to parse to the same visible tree as the original.
  static func expectSameTree(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let original = Array(html.utf8)
    let before = tree(original)
    let after = tree(MarkupPrepass.prepare(original).bytes)
    #expect(before == after, sourceLocation: sourceLocation)
  }

  @Test("script and style bodies are dropped, their tags kept")
  func dropsBodies() {
    let html =
      "<html><head><style>p { color: red }</style><script src=\"a.js\"></script>"
      + "<script>var x = \"<p>not text</p>\";</script></head><body><p>Run the release train.</p></body></html>"
    let result = Self.prepare(html)
    #expect(
      String(decoding: result.bytes, as: UTF8.self)
        == "<html><head><style></style><script src=\"a.js\"></script><script></script></head><body><p>Run the release train.</p></body></html>"
    )
    #expect(result.droppedBytes == "p { color: red }".utf8.count + "var x = \"<p>not text</p>\";".utf8.count)
    #expect(!result.attributesTrimmed)
    Self.expectSameTree(html)
  }

  @Test("JSON-LD scripts are kept whole, whatever the case of their type")
  func keepsJSONLD() {
    let html =
      "<head><script TYPE='Application/LD+JSON'>{\"@type\": \"JobPosting\", \"title\": \"TPM\"}</script>"
      + "<script>track()</script></head>"
    #expect(
      Self.prepared(html)
        == "<head><script TYPE='Application/LD+JSON'>{\"@type\": \"JobPosting\", \"title\": \"TPM\"}</script><script></script></head>"
    )
    Self.expectSameTree(html)
  }

  @Test("a script ends at the first </script in any case; an unclosed one runs to the end")
  func scriptEnds() {
    #expect(Self.prepared("<script>a = '</p>'; b = 1</SCRIPT ><p>after</p>") == "<script></SCRIPT ><p>after</p>")
    #expect(Self.prepared("<p>before</p><script>never closed <p>inside</p>") == "<p>before</p><script>")
    #expect(Self.prepared("<p>x</p><script src=a.js /><p>kept</p>") == "<p>x</p><script src=a.js /><p>kept</p>")
    for html in [
      "<script>a = '</p>'; b = 1</SCRIPT ><p>after</p>", "<p>before</p><script>never closed <p>inside</p>",
      "<body><p>x</p><script src=a.js /><p>kept</p></body>",
    ] {
      Self.expectSameTree(html)
    }
  }

  @Test("<script> inside comments, declarations and quoted attribute values starts nothing")
  func notAStart() {
    let cases = [
      "<body><!-- <script> --><p>Lead the migration.</p><!-- </script> --></body>",
      "<body><div title=\"<script>\"><p>Own the roadmap.</p></div><p data-x='a>b<script>'>More</p></body>",
      "<!DOCTYPE html><?xml-stylesheet <script>?><body><p>Plan the launch.</p></body>",
      "<body><scripts>a</scripts><script-like>b</script-like><p>c</p></body>",
    ]
    for html in cases {
      #expect(Self.prepared(html) == html, "changed: \(html)")
      Self.expectSameTree(html)
    }
  }

  @Test("text outside tags is copied byte for byte, in UTF-8 and in Windows-1252")
  func copiesText() {
    let utf8 = "<p>Café — naïve façade 日本語 🚀</p><script>x</script><p>über</p>"
    #expect(Self.prepared(utf8) == "<p>Café — naïve façade 日本語 🚀</p><script></script><p>über</p>")
    let windows1252: [UInt8] = Array("<p>caf".utf8) + [0xE9, 0x93] + Array("</p><style>b{}</style>".utf8)
    #expect(
      MarkupPrepass.prepare(windows1252).bytes == Array("<p>caf".utf8) + [0xE9, 0x93]
        + Array("</p><style></style>".utf8))
    #expect(MarkupPrepass.prepare([UInt8]()).bytes.isEmpty)
    #expect(Self.prepared("a < b and <") == "a < b and <")
  }

  @Test("attributes beyond the cap are removed from the tag, the rest of the page kept")
  func capsAttributes() {
    let attributes = (0..<1500).map { " a\($0)=\"\($0)\"" }.joined()
    let html = "<body><div id=\"x\"\(attributes)><p>Coordinate the release.</p></div></body>"
    let result = Self.prepare(html)
    #expect(result.attributesTrimmed)
    let text = String(decoding: result.bytes, as: UTF8.self)
    #expect(text.has(" a998=\"998\" >"))
    #expect(!text.has("a999="))
    #expect(text.hasSuffix("><p>Coordinate the release.</p></div></body>"))
    #expect(!Self.prepare("<div" + (0..<999).map { " a\($0)=1" }.joined() + ">x</div>").attributesTrimmed)
  }

  @Test("Corpus pages and ingest fixtures parse to the same tree after the prepass")
  func sameTreeOnPages() throws {
    let walker = FileManager.default.enumerator(at: TestSupport.corpus, includingPropertiesForKeys: nil)
    var pages = (walker?.allObjects ?? []).compactMap { $0 as? URL }.filter { $0.pathExtension == "html" }
    let fixtures = TestSupport.fixture("well-formed-posting.html").deletingLastPathComponent()
    pages += try FileManager.default.contentsOfDirectory(at: fixtures, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "html" }
    #expect(pages.count >= 30)
    for page in pages {
      let bytes = try [UInt8](Data(contentsOf: page))
      #expect(Self.tree(bytes) == Self.tree(MarkupPrepass.prepare(bytes).bytes), "\(page.lastPathComponent)")
    }
  }

  @Test(
    "real saved pages parse to the same tree after the prepass",
    .enabled(if: TestSupport.sharedData != nil, Comment(rawValue: TestSupport.sharedDataMissing)))
  func sameTreeOnSavedPages() throws {
    let shared = try #require(TestSupport.sharedData)
    let folder = shared.appendingPathComponent("extraction/html")
    let pages = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .filter { $0.lastPathComponent.hasSuffix(".html.gz") }.sorted { $0.path < $1.path }
    #expect(pages.count > 100)
    var dropped = 0
    var total = 0
    for page in pages {
      guard case .success(let bytes) = Gzip.decompress([UInt8](try Data(contentsOf: page)), limit: 50_000_000) else {
        Issue.record("cannot inflate \(page.lastPathComponent)")
        continue
      }
      let result = MarkupPrepass.prepare(bytes)
      dropped += result.droppedBytes
      total += bytes.count
      #expect(Self.tree(bytes) == Self.tree(result.bytes), "\(page.lastPathComponent)")
    }
    // Scripts and styles are a large share of saved pages' bytes.
    #expect(dropped * 4 > total)
  }

  // MARK: - Nesting

  /// The deepest element of the tree libxml2 builds from `bytes`.
  static func depth(_ bytes: [UInt8]) -> Int {
    tree(bytes).compactMap { item in Int(item.prefix { $0.isNumber }) }.max() ?? 0
  }

  @Test("start tags nested deeper than the cap are dropped, their text kept, with a warning")
  func capsDepth() throws {
    let html =
      "<body>" + String(repeating: "<div>", count: 3000) + "<p>Own the release plan.</p>"
      + String(repeating: "</div>", count: 3000) + "<p>After.</p></body>"
    let result = Self.prepare(html)
    #expect(result.depthCapped)
    let prepared = String(decoding: result.bytes, as: UTF8.self)
    #expect(prepared.components(separatedBy: "<div>").count - 1 == MarkupPrepass.maximumDepth)
    // The first 1000 end tags close the kept divs; the shallow strays after them are libxml2's.
    // A paragraph may still open, within the content allowance.
    #expect(
      prepared.hasSuffix(
        "<p>Own the release plan.</p>" + String(repeating: "</div>", count: 3000) + "<p>After.</p></body>"))
    #expect(Self.depth(result.bytes) <= MarkupPrepass.maximumDepth + 3)
    // Content elements too stop opening after the allowance.
    let lists =
      "<body>" + String(repeating: "<div>", count: 1000) + String(repeating: "<ul><li>", count: 500) + "x</body>"
    #expect(
      Self.depth(MarkupPrepass.prepare(Array(lists.utf8)).bytes) <= MarkupPrepass.maximumDepth
        + MarkupPrepass.contentDepthAllowance + 3)
    let page = try #require(HTMLExtractor.extract(html: html, selectMainContent: true))
    #expect(page.warnings.contains(HTMLExtractor.depthCappedWarning))
    #expect(page.blocks.map(\.text).joined(separator: " ").contains("Own the release plan."))
    // Elements that open nothing (void, self-closed) and shallow pages are untouched.
    let shallow = "<body>" + String(repeating: "<div><br><img src=a.png/><span/>", count: 900) + "x</body>"
    #expect(!Self.prepare(shallow).depthCapped)
    #expect(Self.prepared(shallow) == shallow)
  }

  @Test("under deep nesting, end tags that close nothing open are dropped; libxml2 builds the same tree")
  func dropsStrayEndTags() {
    let html =
      "<body><p>Lead " + String(repeating: "<div>", count: 300) + "the team"
      + String(repeating: "</span>", count: 300) + "</b></div>tail</body>"
    let result = Self.prepare(html)
    #expect(result.droppedEndTags == 301)
    // Shallow stray end tags are left to libxml2.
    #expect(Self.prepared("<body><div>a</span></b></div></p></body>") == "<body><div>a</span></b></div></p></body>")
    #expect(!result.depthCapped)
    #expect(!Self.prepared(html).contains("</span>"))
    Self.expectSameTree(html)
    // `</b>` across a `<div>` is ignored by libxml2 (end-tag priority); `</div>` across `<b>` closes it.
    for html in [
      "<body><b>bold<div>block</b>still bold?</div>after</body>",
      "<body><div>block<b>bold</div>after</b>end</body>",
      "<body><table><tr><td>a<td>b<tr><td>c</table><p>one<p>two<ul><li>x<li>y</ul></body>",
      "<body><ul><li>a<ul><li>b</li></ul></li><li>c</ul></p></body>",
    ] {
      Self.expectSameTree(html)
    }
  }

  @Test("random tag soup below the depth cap parses to the same tree after the prepass", arguments: 0..<8)
  func tagSoup(seed: UInt64) {
    // Tags whose start and end rules differ: auto-closing, end-tag priorities, void elements.
    let names = [
      "div", "span", "p", "b", "i", "a", "li", "ul", "ol", "table", "tr", "td", "th", "tbody", "thead",
      "dl", "dt", "dd", "h2", "form", "option", "select", "font", "pre", "br", "img", "hr", "custom-x",
      "caption", "col", "colgroup", "center", "u", "s",
    ]
    var generator = SplitMix(seed: seed)
    for _ in 0..<40 {
      var html = ""
      for _ in 0..<300 {
        let name = names[Int(generator.next() % UInt64(names.count))]
        switch generator.next() % 5 {
        case 0, 1: html += "<\(name)>"
        case 2: html += "</\(name)>"
        case 3: html += "<\(name)/>"
        default: html += "w\(generator.next() % 10) "
        }
      }
      let original = Array(html.utf8)
      #expect(Self.tree(original) == Self.tree(MarkupPrepass.prepare(original).bytes), "\(html)")
    }
  }
}

/// A small seeded generator (SplitMix64), so the tag soup is the same on every run.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
  mutating func next() -> UInt64 {
    state = state &+ 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
