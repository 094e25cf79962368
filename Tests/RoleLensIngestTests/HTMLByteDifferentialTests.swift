import CLibXML2
import Testing

@testable import RoleLensIngest

/// The byte-level element tests of extraction (`ElementAttributes`, `markerMask`, the
/// attribute-based `isBoilerplate`) and `lastComponent` agree with the String versions they
/// replace, kept here and in `HTMLExtractor` as the reference.
@Suite("HTML byte paths agree with the String paths")
struct HTMLByteDifferentialTests {
  /// Elements whose class, id, style, role and hidden attributes cover ASCII and non-ASCII
  /// values, mixed case, duplicates and entities.
  static let page = """
    <html><body>
    <div class="Cookie-Banner" id="x">a</div>
    <div CLASS="l-sidebar l-article-body">b</div>
    <div class="comment-body content">c</div>
    <div id="MAIN">d</div>
    <div class="" id="">e</div>
    <div class="\u{212A}ookie">f</div>
    <div class="sh&amp;are share">g</div>
    <div style="DISPLAY : none">h</div>
    <div style="visibility:\u{00A0}hidden">i</div>
    <div style="color: red">j</div>
    <div role="Navigation">k</div>
    <div role="main" aria-hidden="TRUE">l</div>
    <div hidden>m</div>
    <div class="job-description" class="footer">n</div>
    <section itemprop="articleBody" class="post">o</section>
    <p class="İtem related">p</p>
    <span>q</span>
    </body></html>
    """

  @Test("markerMask and isBoilerplate match classAndID and the String isBoilerplate")
  func elementTests() {
    guard let document = HTMLDocument(html: Self.page) else {
      Issue.record("libxml2 produced no document")
      return
    }
    let checked = document.withRoot { root -> Int in
      var checked = 0
      var scratch: [UInt8] = []
      var stack: [xmlNodePtr] = [root]
      while let node = stack.popLast() {
        if let next = node.pointee.next { stack.append(next) }
        if let child = node.pointee.children { stack.append(child) }
        guard node.isElement else { continue }
        let names = HTMLExtractor.classAndID(node)
        let attributes = ElementAttributes(node)
        let (found, hasNames) = HTMLExtractor.markerMask(attributes, scratch: &scratch)
        #expect(hasNames == !names.isEmpty)
        #expect(found == (names.isEmpty ? 0 : HTMLExtractor.markers.matches(names)), "\(names)")
        let bytes = HTMLExtractor.isBoilerplate(attributes, found: found, hasNames: hasNames, scratch: &scratch)
        #expect(bytes == HTMLExtractor.isBoilerplate(node, names: names), "\(names)")
        checked += 1
      }
      return checked
    }
    #expect((checked ?? 0) >= 19)
  }

  /// `lastComponent` as it was before its ASCII path.
  static func referenceLastComponent(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
    return String(trimmed)
  }

  @Test(
    "lastComponent matches the String version",
    arguments: [
      "", "/", "//", "a", "a/", "a//", "/a", "dir/file.html", "Corpus/", "x/y/z.txt.gz", "./a",
      "caf\u{E9}/p.html", "a/\u{301}", "dir/\u{E9}/", "\\xFF/b",
    ])
  func lastComponents(path: String) {
    #expect(lastComponent(of: path) == Self.referenceLastComponent(of: path))
  }
}
