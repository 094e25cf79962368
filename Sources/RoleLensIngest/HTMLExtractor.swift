import CLibXML2

/// A block of text in a page: a heading, paragraph, list item or table cell.
struct TextBlock: Hashable, Sendable {
  enum Kind: Hashable, Sendable {
    case heading(level: Int)
    case paragraph
    case listItem
  }

  var kind: Kind
  var text: String
  /// Characters of `text` inside links.
  var linkCharacters: Int
  /// Characters of `text` inside `<b>`/`<strong>`.
  var boldCharacters: Int

  var linkDensity: Double { text.isEmpty ? 0 : Double(linkCharacters) / Double(text.count) }
  var isHeading: Bool { if case .heading = kind { return true } else { return false } }
}

/// What the HTML extractor found in a page before it becomes a `Posting`.
struct ExtractedPage: Sendable {
  var documentTitle: String?
  var openGraphTitle: String?
  var firstHeading: String?
  /// The main content blocks, in document order.
  var blocks: [TextBlock]
  /// The text of every `<script type="application/ld+json">`.
  var jsonLD: [String]
  /// Every block of visible text, before main-content selection (for diagnostics).
  var allBlockCount: Int
}

/// Extracts main content from HTML with libxml2.
///
/// Non-content elements (script, style, nav, header, footer, aside, form, noscript, svg and the
/// like) and boilerplate blocks marked by their class, id or role (cookie banners, share links,
/// "similar jobs" lists, breadcrumbs, newsletter sign-ups) are dropped. The remaining text is
/// cut into blocks at block-level elements, and the main content is the element whose blocks
/// carry the most non-link text, net of link-heavy blocks (text density against link density).
enum HTMLExtractor {
  /// Elements whose content is never main text.
  static let droppedElements: Set<String> = [
    "script", "style", "noscript", "template", "svg", "math", "iframe", "button", "select",
    "textarea", "input", "object", "embed", "canvas", "audio", "video", "head",
  ]

  /// Elements that are page furniture when closed properly; see `isSwallowingPage`.
  static let furnitureElements: Set<String> = ["nav", "header", "footer", "aside", "form", "dialog", "menu"]

  /// Elements that start a new block of text.
  static let blockElements: Set<String> = [
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "blockquote", "pre",
    "br", "hr", "figure", "figcaption", "address", "center", "body", "html", "caption", "details",
    "summary", "fieldset", "legend",
  ]

  /// Words in a class, id or role that mark boilerplate.
  static let boilerplateWords: Set<String> = [
    "cookie", "cookies", "consent", "gdpr", "share", "sharing", "social", "similar", "related",
    "recommended", "recommendations", "newsletter", "subscribe", "breadcrumb", "breadcrumbs",
    "modal", "popup", "sidebar", "advert", "advertisement", "ads", "promo", "comments", "navbar",
    "navigation", "menu", "footer", "masthead", "toolbar", "pagination", "skip", "sharebar",
    "signup", "login", "widget", "contentinfo", "complementary",
  ]

  /// Parses `html` and extracts its main content.
  ///
  /// - Returns: `nil` when libxml2 produced no document.
  ///   Pass `selectMainContent: false` for fragments (a JSON-LD description), whose blocks
  ///   are all content.
  static func extract(html: String, selectMainContent: Bool) -> ExtractedPage? {
    guard let document = HTMLDocument(html: html) else { return nil }
    return document.withRoot { root in
      var walker = BlockWalker()
      walker.walk(root)
      let main = selectMainContent ? walker.mainContent() : walker.blocks
      return ExtractedPage(
        documentTitle: walker.documentTitle, openGraphTitle: walker.openGraphTitle,
        firstHeading: walker.firstHeading, blocks: main, jsonLD: walker.jsonLD,
        allBlockCount: walker.blocks.count)
    }
  }

  /// Bytes of text below `node`, scripts and styles excluded; iterative.
  static func textLength(_ node: xmlNodePtr) -> Int {
    var total = 0
    var stack: [xmlNodePtr] = []
    if let first = node.pointee.children { stack.append(first) }
    while let current = stack.popLast() {
      if let next = current.pointee.next { stack.append(next) }
      if current.isText, let content = current.pointee.content {
        total += Int(xmlStrlen(content))
      } else if current.isElement, let child = current.pointee.children {
        let name = current.tagName
        if name != "script" && name != "style" { stack.append(child) }
      }
    }
    return total
  }

  /// Whether an element's class, id or role marks it as boilerplate, or it is hidden.
  static func isBoilerplate(_ node: xmlNodePtr) -> Bool {
    if node.attribute("hidden") != nil { return true }
    if node.attribute("aria-hidden")?.lowercased() == "true" { return true }
    if let style = node.attribute("style")?.lowercased().filter({ $0 != " " }),
      style.contains("display:none") || style.contains("visibility:hidden")
    {
      return true
    }
    for name in ["class", "id", "role"] {
      guard let value = node.attribute(name), !value.isEmpty else { continue }
      var word = ""
      for character in value.lowercased() {
        if character.isLetter {
          word.append(character)
        } else {
          if boilerplateWords.contains(word) { return true }
          word = ""
        }
      }
      if boilerplateWords.contains(word) { return true }
    }
    return false
  }
}

/// Walks the DOM without recursion (pages can nest hundreds of thousands of elements deep),
/// cutting text into blocks and scoring every element by the blocks below it.
private struct BlockWalker {
  var blocks: [TextBlock] = []
  var documentTitle: String?
  var openGraphTitle: String?
  var firstHeading: String?
  var jsonLD: [String] = []

  /// The element with the best content score: its blocks are `blocks[start..<end]`.
  private var best: (start: Int, end: Int, score: Double)?

  // Inline text being collected for the current block.
  private var buffer = ""
  private var bufferLinkCharacters = 0
  private var bufferBoldCharacters = 0
  private var bufferKind: TextBlock.Kind = .paragraph

  private struct Frame {
    var node: xmlNodePtr
    var name: String
    var firstBlock: Int
    var score: Double
    var isLink: Bool
    var isBold: Bool
    var isBlock: Bool
    var blockKind: TextBlock.Kind?
  }

  private var stack: [Frame] = []
  /// Characters of text in the whole document (scripts and styles excluded), computed lazily.
  private var documentTextLength: Int?
  private var root: xmlNodePtr?
  private var linkDepth = 0
  private var boldDepth = 0

  mutating func walk(_ root: xmlNodePtr) {
    self.root = root
    readHead(root)
    var next: xmlNodePtr? = root
    // Iterative pre/post-order traversal: descend into children, and when a node has no more
    // children to visit, leave it and move to its next sibling or climb up.
    while let node = next {
      if enter(node), let child = node.pointee.children {
        next = child
        continue
      }
      leave(node)
      var current: xmlNodePtr? = node
      next = nil
      while let climbing = current {
        if climbing == root { break }
        if let sibling = climbing.pointee.next {
          next = sibling
          break
        }
        current = climbing.pointee.parent
        if let parent = current { leave(parent) }
      }
    }
    flush()
  }

  /// Reads title, og:title and JSON-LD, which live outside the content and are dropped by
  /// the main walk.
  private mutating func readHead(_ root: xmlNodePtr) {
    var stack: [xmlNodePtr] = [root]
    while let node = stack.popLast() {
      if let sibling = node.pointee.next, node != root { stack.append(sibling) }
      guard node.isElement else { continue }
      switch node.tagName {
      case "title":
        if documentTitle == nil { documentTitle = normalizeSpace(node.allText) }
        continue
      case "meta":
        let property = (node.attribute("property") ?? node.attribute("name") ?? "").lowercased()
        if property == "og:title", openGraphTitle == nil, let content = node.attribute("content") {
          openGraphTitle = normalizeSpace(content)
        }
        continue
      case "script":
        if node.attribute("type")?.lowercased().trimmingWhitespace() == "application/ld+json" {
          jsonLD.append(node.allText)
        }
        continue
      case "h1":
        if firstHeading == nil {
          let text = normalizeSpace(node.allText)
          if !text.isEmpty { firstHeading = text }
        }
        continue
      case "style", "nav", "svg", "noscript", "template":
        continue
      default:
        break
      }
      if let child = node.pointee.children { stack.append(child) }
    }
  }

  /// Whether a furniture element (a cookie banner, a header, an ASP.NET page-wide `<form>`)
  /// holds most of the page: an unclosed `<div class="cookie-banner">` swallows everything
  /// after it, and dropping it would drop the posting. Such an element is walked like any other
  /// and its blocks compete on text and link density.
  private mutating func isSwallowingPage(_ node: xmlNodePtr) -> Bool {
    let length = HTMLExtractor.textLength(node)
    guard length > 1500 else { return false }
    if documentTextLength == nil, let root { documentTextLength = HTMLExtractor.textLength(root) }
    return length * 10 > (documentTextLength ?? 0) * 3
  }

  /// Enters an element; returns whether to descend into its children.
  private mutating func enter(_ node: xmlNodePtr) -> Bool {
    if node.isText {
      let text = node.textContent
      buffer += text
      let count = text.count
      if linkDepth > 0 { bufferLinkCharacters += count }
      if boldDepth > 0 { bufferBoldCharacters += count }
      return false
    }
    guard node.isElement else { return false }
    let name = node.tagName
    let isFurniture = HTMLExtractor.furnitureElements.contains(name) || HTMLExtractor.isBoilerplate(node)
    if HTMLExtractor.droppedElements.contains(name) || (isFurniture && !isSwallowingPage(node)) {
      // A dropped element still separates the text around it.
      if HTMLExtractor.blockElements.contains(name) || HTMLExtractor.droppedElements.contains(name) || isFurniture {
        flush()
      }
      stack.append(
        Frame(
          node: node, name: name, firstBlock: blocks.count, score: 0, isLink: false, isBold: false,
          isBlock: false, blockKind: nil))
      return false
    }
    let isBlock = HTMLExtractor.blockElements.contains(name)
    var kind: TextBlock.Kind?
    switch name {
    case "h1", "h2", "h3", "h4", "h5", "h6":
      kind = .heading(level: Int(name.dropFirst()) ?? 2)
    case "li", "dd", "dt":
      kind = .listItem
    default:
      kind = nil
    }
    if isBlock {
      flush()
      if let kind { bufferKind = kind }
    }
    let isLink = name == "a"
    let isBold = name == "b" || name == "strong"
    if isLink { linkDepth += 1 }
    if isBold { boldDepth += 1 }
    stack.append(
      Frame(
        node: node, name: name, firstBlock: blocks.count, score: 0, isLink: isLink, isBold: isBold,
        isBlock: isBlock, blockKind: kind))
    return true
  }

  /// Leaves an element entered with `enter` (text nodes were never pushed).
  private mutating func leave(_ node: xmlNodePtr) {
    guard node.isElement, let frame = stack.last, frame.node == node else { return }
    stack.removeLast()
    if frame.isLink { linkDepth -= 1 }
    if frame.isBold { boldDepth -= 1 }
    if frame.isBlock { flush() }
    let score = frame.score
    if frame.isBlock, blocks.count > frame.firstBlock {
      if best == nil || score > best?.score ?? 0 {
        best = (frame.firstBlock, blocks.count, score)
      }
    }
    if !stack.isEmpty { stack[stack.count - 1].score += score }
  }

  /// Ends the current block: white space collapsed, empty blocks dropped, its value added to
  /// the element being walked.
  private mutating func flush() {
    defer {
      buffer = ""
      bufferLinkCharacters = 0
      bufferBoldCharacters = 0
      bufferKind = stack.reversed().lazy.compactMap(\.blockKind).first ?? .paragraph
    }
    let text = normalizeSpace(buffer)
    guard !text.isEmpty else { return }
    let block = TextBlock(
      kind: bufferKind, text: text, linkCharacters: min(bufferLinkCharacters, text.count),
      boldCharacters: min(bufferBoldCharacters, text.count))
    blocks.append(block)
    if !stack.isEmpty { stack[stack.count - 1].score += Self.value(of: block) }
  }

  /// How much a block says "main content": its non-link text, less a penalty for links; a
  /// link-heavy block (a menu, a "similar jobs" list) counts against the element holding it.
  static func value(of block: TextBlock) -> Double {
    let length = Double(block.text.count)
    if block.linkDensity > 0.5 { return -length }
    if block.isHeading { return min(length, 40) }
    if length < 20 && block.kind != .listItem { return 0 }
    return length - 2 * Double(block.linkCharacters)
  }

  /// The blocks of the best element, without link-heavy blocks (menus, link lists).
  func mainContent() -> [TextBlock] {
    guard let best, best.score > 0 else { return blocks.filter { $0.linkDensity <= 0.5 } }
    return blocks[best.start..<best.end].filter { $0.isHeading || $0.linkDensity <= 0.5 }
  }
}

/// Collapses runs of white space (including non-breaking spaces) to one space and trims.
func normalizeSpace(_ text: String) -> String {
  var result = ""
  result.reserveCapacity(text.utf8.count)
  var pendingSpace = false
  for scalar in text.unicodeScalars {
    if scalar.properties.isWhitespace || scalar == "\u{00A0}" || scalar == "\u{200B}" || scalar == "\u{FEFF}" {
      pendingSpace = true
      continue
    }
    if pendingSpace && !result.isEmpty { result.unicodeScalars.append(" ") }
    pendingSpace = false
    result.unicodeScalars.append(scalar)
  }
  return result
}

extension String {
  func trimmingWhitespace() -> String {
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
