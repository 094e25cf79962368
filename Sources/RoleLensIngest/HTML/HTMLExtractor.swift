import CLibXML2

/// A block of text in a page: a heading, paragraph, list item or table cell.
struct TextBlock: Hashable, Sendable {
  enum Kind: Hashable, Sendable {
    case heading(level: Int)
    case paragraph
    case listItem
  }

  var kind: Kind
  let text: String
  /// Characters of `text` inside links.
  var linkCharacters: Int
  /// Characters of `text` inside `<b>`/`<strong>`.
  var boldCharacters: Int
  /// Length in Unicode scalars (counting graphemes would cost far more on every block), counted
  /// once: selection asks for it many times.
  let length: Int

  init(kind: Kind, text: String, linkCharacters: Int, boldCharacters: Int) {
    self.kind = kind
    self.text = text
    self.linkCharacters = linkCharacters
    self.boldCharacters = boldCharacters
    length = text.unicodeScalars.count
  }

  /// A block whose length in Unicode scalars is counted already.
  init(kind: Kind, text: String, linkCharacters: Int, boldCharacters: Int, length: Int) {
    self.kind = kind
    self.text = text
    self.linkCharacters = linkCharacters
    self.boldCharacters = boldCharacters
    self.length = length
  }

  var linkDensity: Double { text.isEmpty ? 0 : Double(linkCharacters) / Double(length) }
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
  /// Publication dates the page states outside JSON-LD, most trusted first, each with where it
  /// was read (`DateHints`).
  var dates: [(origin: String, value: String)] = []
  /// The site's name (`og:site_name`), when the page gives one.
  var siteName: String?
  /// Things to tell the user (attributes trimmed or deep tags dropped before parsing).
  var warnings: [String] = []
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
    "script", "style", "noscript", "template", "svg", "math", "button", "select", "textarea", "input",
    "head",
  ]

  /// Elements whose content is fallback for what a browser shows instead; dropped like
  /// furniture, so walked by the lenient pass (libxml2 nests a page inside an `<iframe>` or
  /// `<object>` it thinks is unclosed). `<embed>` is not listed: it has no content, but
  /// libxml2 may nest the rest of the page in it.
  static let fallbackElements: Set<String> = ["iframe", "object", "canvas", "audio", "video"]

  /// Elements that are page furniture when closed properly; see `isSwallowingPage`.
  static let furnitureElements: Set<String> = ["nav", "header", "footer", "aside", "form", "dialog", "menu"]

  /// Elements that start a new block of text.
  static let blockElements: Set<String> = [
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "blockquote", "pre",
    "br", "hr", "figure", "figcaption", "address", "center", "body", "html", "caption", "details",
    "summary", "fieldset", "legend",
  ]

  /// Substrings of a class or id that mark boilerplate, unless a content marker is present too
  /// (readability's "unlikely candidates": `l-sidebar l-article-body` is content).
  static let boilerplateMarkers = [
    "cookie", "consent", "gdpr", "share", "sharing", "social", "similar", "related", "recommend",
    "newsletter", "subscribe", "breadcrumb", "modal", "popup", "sidebar", "advert", "sponsor",
    "promo", "navbar", "menu", "footer", "header", "masthead", "toolbar", "pagination", "pager",
    "signup", "login", "comment", "disqus", "shoutbox", "remark", "replies", "agegate", "banner",
    "skip-link", "skiplink", "byline", "author-bio", "tags",
  ]

  /// Substrings that mark boilerplate whatever else the class says (a comment's body is still a
  /// comment).
  static let strongBoilerplateMarkers = [
    "comment", "disqus", "cookie", "consent", "gdpr", "newsletter", "breadcrumb", "similar",
    "related", "recommend", "share", "social",
  ]

  /// Substrings of a class or id that mark content.
  static let contentMarkers = [
    "article", "body", "column", "content", "main", "entry", "story", "text", "post", "job", "description",
  ]

  /// Every class and id marker, matched in one pass, with the mask of each list.
  static let markers = SubstringMatcher(
    Array(Set(boilerplateMarkers + strongBoilerplateMarkers + contentMarkers)).sorted())
  static let boilerplateMask = markers.mask(of: boilerplateMarkers)
  static let strongBoilerplateMask = markers.mask(of: strongBoilerplateMarkers)
  static let contentMask = markers.mask(of: contentMarkers)

  /// ARIA roles of page furniture.
  static let boilerplateRoles: Set<String> = [
    "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu",
    "menubar",
  ]

  /// Parses `html` and extracts its main content.
  ///
  /// - Returns: `nil` when libxml2 produced no document.
  ///   Pass `selectMainContent: false` for fragments (a JSON-LD description), whose blocks
  ///   are all content.
  ///   Pass `prepared: true` when the markup has been through `MarkupPrepass` already.
  static func extract(html: String, selectMainContent: Bool, prepared: Bool = false) -> ExtractedPage? {
    guard let document = HTMLDocument(html: html, prepared: prepared) else { return nil }
    let warnings =
      (document.attributesTrimmed ? [attributesTrimmedWarning] : [])
      + (document.depthCapped ? [depthCappedWarning] : [])
      + (document.elementsCapped ? [elementsCappedWarning] : [])
    return document.withRoot { root in
      var walker = BlockWalker(keepFurniture: false)
      walker.walk(root)
      var main = selectMainContent ? walker.mainContent() : walker.blocks
      // A broken page can hide the posting inside furniture (an unclosed
      // `<div class="cookie-banner">` swallows everything after it; ASP.NET wraps pages in a
      // `<form>`). When dropping furniture leaves next to nothing, walk again keeping it.
      if main.reduce(0, { $0 + $1.length }) < minimumMainText {
        var lenient = BlockWalker(keepFurniture: true)
        lenient.walk(root)
        let lenientMain = selectMainContent ? lenient.mainContent() : lenient.blocks
        if lenientMain.reduce(0, { $0 + $1.length }) > main.reduce(0, { $0 + $1.length }) {
          walker = lenient
          main = lenientMain
        }
      }
      return ExtractedPage(
        documentTitle: walker.documentTitle, openGraphTitle: walker.openGraphTitle,
        firstHeading: walker.firstHeading, blocks: main, jsonLD: walker.jsonLD, dates: walker.dateHints.ordered,
        siteName: walker.siteName, warnings: warnings)
    }
  }

  static let attributesTrimmedWarning =
    "an element has more than \(MarkupPrepass.maximumAttributes) attributes; the rest were ignored"

  static let elementsCappedWarning =
    "the page has more than \(MarkupPrepass.maximumElements) elements; the later tags were ignored (their text kept)"

  static let depthCappedWarning =
    "elements are nested more than \(MarkupPrepass.maximumDepth) deep; the deeper tags were ignored (their text kept)"

  /// An element's class and id, lowercased and joined by a space; "" when it has neither.
  static func classAndID(_ node: xmlNodePtr) -> String {
    let className = node.attribute("class")
    let id = node.attribute("id")
    guard className != nil || id != nil else { return "" }
    return ((className ?? "") + " " + (id ?? "")).lowercased()
  }

  /// The marker mask (see `markers`) of an element's lowercased class and id, and whether it
  /// has either; `scratch` is reused between elements.
  ///
  /// ASCII names are lowercased and matched as bytes; others go through `classAndID`'s String
  /// lowercasing, which maps some non-ASCII letters to ASCII ones.
  static func markerMask(_ attributes: ElementAttributes, scratch: inout [UInt8]) -> (found: UInt64, hasNames: Bool) {
    guard attributes.className != nil || attributes.id != nil else { return (0, false) }
    scratch.removeAll(keepingCapacity: true)
    if let className = attributes.className { ElementAttributes.appendValue(of: className, to: &scratch) }
    scratch.append(0x20)
    if let id = attributes.id { ElementAttributes.appendValue(of: id, to: &scratch) }
    let found = scratch.withUnsafeMutableBufferPointer { bytes -> UInt64? in
      var high: UInt8 = 0
      for index in bytes.indices {
        let byte = bytes[index]
        high |= byte
        bytes[index] = ElementAttributes.lower(byte)
      }
      return high < 0x80 ? markers.matches(utf8: UnsafeBufferPointer(bytes)) : nil
    }
    if let found { return (found, true) }
    let className = attributes.className.map(ElementAttributes.value(of:))
    let id = attributes.id.map(ElementAttributes.value(of:))
    return (markers.matches(((className ?? "") + " " + (id ?? "")).lowercased()), true)
  }

  /// `isBoilerplate` from attributes read once and the element's marker mask.
  static func isBoilerplate(_ attributes: ElementAttributes, found: UInt64, hasNames: Bool, scratch: inout [UInt8])
    -> Bool
  {
    if attributes.hidden != nil { return true }
    if let ariaHidden = attributes.ariaHidden, ElementAttributes.value(of: ariaHidden).lowercased() == "true" {
      return true
    }
    if let style = attributes.style, isHiddenStyle(style, scratch: &scratch) { return true }
    if let role = attributes.role, boilerplateRoles.contains(ElementAttributes.value(of: role).lowercased()) {
      return true
    }
    guard hasNames else { return false }
    if found & strongBoilerplateMask != 0 { return true }
    guard found & boilerplateMask != 0 else { return false }
    return found & contentMask == 0
  }

  /// Whether a style attribute hides its element (`display:none`, `visibility:hidden`, in any
  /// case and spacing).
  static func isHiddenStyle(_ style: xmlAttrPtr, scratch: inout [UInt8]) -> Bool {
    scratch.removeAll(keepingCapacity: true)
    ElementAttributes.appendValue(of: style, to: &scratch)
    let ascii = scratch.withUnsafeMutableBufferPointer { bytes -> Bool? in
      var high: UInt8 = 0
      var kept = 0
      for index in bytes.indices {
        let byte = bytes[index]
        high |= byte
        if byte != 0x20 {
          bytes[kept] = ElementAttributes.lower(byte)
          kept += 1
        }
      }
      guard high < 0x80 else { return nil }
      let text = UnsafeBufferPointer(rebasing: bytes[..<kept])
      return contains(text, "display:none") || contains(text, "visibility:hidden")
    }
    if let ascii { return ascii }
    let text = ElementAttributes.value(of: style).lowercased().filter { $0 != " " }
    return text.has("display:none") || text.has("visibility:hidden")
  }

  /// Whether `bytes` contain `needle`.
  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
    let count = needle.utf8CodeUnitCount
    guard bytes.count >= count else { return false }
    let target = needle.utf8Start
    for start in 0...(bytes.count - count) where bytes[start] == target[0] {
      var offset = 1
      while offset < count && bytes[start + offset] == target[offset] { offset += 1 }
      if offset == count { return true }
    }
    return false
  }

  /// Below this many characters of main text, extraction is retried keeping furniture.
  static let minimumMainText = 200

  /// Whether an element's class, id or role marks it as boilerplate, or it is hidden.
  static func isBoilerplate(_ node: xmlNodePtr, names: String) -> Bool {
    if node.attribute("hidden") != nil { return true }
    if node.attribute("aria-hidden")?.lowercased() == "true" { return true }
    if let style = node.attribute("style")?.lowercased().filter({ $0 != " " }),
      style.has("display:none") || style.has("visibility:hidden")
    {
      return true
    }
    if let role = node.attribute("role")?.lowercased(), boilerplateRoles.contains(role) { return true }
    guard !names.isEmpty else { return false }
    let found = markers.matches(names)
    if found & strongBoilerplateMask != 0 { return true }
    guard found & boilerplateMask != 0 else { return false }
    return found & contentMask == 0
  }
}

/// Walks the DOM without recursion (pages can nest hundreds of thousands of elements deep),
/// cutting text into blocks and scoring every element by the blocks below it.
private struct BlockWalker {
  var blocks: [TextBlock] = []
  var documentTitle: String?
  var openGraphTitle: String?
  var firstHeading: String?
  /// The first h1 inside a `<header>`, used when the page has no other.
  private var headerHeading: String?
  var jsonLD: [String] = []
  var dateHints = DateHints()
  var siteName: String?

  /// Whether furniture (nav, header, footer, aside, form, boilerplate classes) is walked too.
  private let keepFurniture: Bool

  init(keepFurniture: Bool) {
    self.keepFurniture = keepFurniture
  }

  // Inline text being collected for the current block, as UTF-8.
  private var buffer: [UInt8] = []
  private var bufferLinkCharacters = 0
  private var bufferBoldCharacters = 0
  private var bufferKind: TextBlock.Kind = .paragraph

  private struct Frame {
    var node: xmlNodePtr
    var id: Int
    var name: String
    var firstBlock: Int
    var isLink: Bool
    var isBold: Bool
    var isBlock: Bool
    var isDropped: Bool
    var blockKind: TextBlock.Kind?
    /// Content score from the paragraphs it holds (readability: full for a paragraph's parent,
    /// half for its grandparent).
    var contentScore = 0.0
    var characters = 0
    var linkCharacters = 0
    var bonus = 0.0
    /// An element whose only content is one child element (`<div><div><p>…`): scores pass
    /// through it, so deeply wrapped markup scores like flat markup.
    var isWrapper = false
    /// Page furniture walked in the lenient pass: its own text (a cookie banner's sentence) is
    /// still dropped; only what is nested in it in blocks of their own is kept.
    var isFurniture = false
  }

  /// A block-level element that holds text: the blocks it spans and its score.
  struct Element {
    var id: Int
    var parentID: Int
    var name: String
    var start: Int
    var end: Int
    var score: Double
    var isCandidate: Bool
    var characters: Int
    var linkCharacters: Int
    /// Page furniture kept by the lenient pass.
    var isFurniture = false

    var linkDensity: Double { characters == 0 ? 0 : Double(linkCharacters) / Double(characters) }
  }

  /// What the walk needs to know of a tag name, looked up once per name and document.
  private struct Tag {
    var name: String
    var isFurniture: Bool
    var isDroppedElement: Bool
    var isBlock: Bool
    /// What `readHead` does with the element.
    var head: HeadRole = .descend
    /// The block kind the element gives its text, if any.
    var kind: TextBlock.Kind?
    var isLink = false
    var isBold = false
    /// Readability's starting score by tag name (see `bonus`).
    var bonus = 0.0

    init(name: String, isFurniture: Bool, isDroppedElement: Bool, isBlock: Bool) {
      self.name = name
      self.isFurniture = isFurniture
      self.isDroppedElement = isDroppedElement
      self.isBlock = isBlock
      switch name {
      case "title": head = .title
      case "meta": head = .meta
      case "time": head = .time
      case "script": head = .script
      case "h1": head = .heading
      case "header": head = .header
      case "style", "nav", "svg", "noscript", "template": head = .skip
      default: head = .descend
      }
      switch name {
      case "h1", "h2", "h3", "h4", "h5", "h6": kind = .heading(level: Int(name.dropFirst()) ?? 2)
      case "li", "dd", "dt": kind = .listItem
      // A paragraph inside a list item (often an unclosed <li>) is a paragraph, which may be a
      // bold heading line.
      case "p": kind = .paragraph
      default: kind = nil
      }
      isLink = name == "a"
      isBold = name == "b" || name == "strong"
      bonus = BlockWalker.bonus(name: name)
    }
  }

  /// What `readHead` does with an element, by its name.
  private enum HeadRole {
    case title, meta, time, script, heading, header, skip, descend
  }

  /// A direct-mapped cache of tags by name, keyed by the name's bytes packed into two words:
  /// elements are classified without making a String or hashing one per element. Each slot
  /// holds its key and an index into `tags` (-1: empty); the Tags live apart so that a lookup
  /// copies no String.
  private var tagKeys = [(UInt64, UInt64)](repeating: (0, 0), count: 128)
  private var tagSlots = [Int](repeating: -1, count: 128)
  /// The tags of the cache; index 0 holds the last tag that could not be cached (no name, or
  /// one of 16 bytes or more).
  private var tags = [Tag(name: "", isFurniture: false, isDroppedElement: false, isBlock: false)]

  private mutating func tag(_ node: xmlNodePtr) -> Tag {
    tags[tagIndex(node)]
  }

  /// The index in `tags` of `node`'s tag, classified on first sight of its name.
  private mutating func tagIndex(_ node: xmlNodePtr) -> Int {
    guard let name = node.pointee.name else {
      tags[0] = Tag(name: "", isFurniture: false, isDroppedElement: false, isBlock: false)
      return 0
    }
    // Names of up to 15 bytes pack exactly (with their length); longer ones are not cached.
    var low: UInt64 = 0
    var high: UInt64 = 0
    var length = 0
    var pointer = name
    while pointer.pointee != 0 && length < 16 {
      let byte = UInt64(pointer.pointee)
      if length < 8 { low |= byte << (8 * length) } else { high |= byte << (8 * (length - 8)) }
      length += 1
      pointer += 1
    }
    let cacheable = length < 16
    let key = (low, high | UInt64(length) << 56)
    let slot = Int(truncatingIfNeeded: (low &* 0x9E37_79B9_7F4A_7C15 ^ high) >> 57)
    if cacheable, tagSlots[slot] >= 0, tagKeys[slot] == key { return tagSlots[slot] }
    let text = node.tagName
    let tag = Tag(
      name: text,
      isFurniture: HTMLExtractor.furnitureElements.contains(text) || HTMLExtractor.fallbackElements.contains(text),
      isDroppedElement: HTMLExtractor.droppedElements.contains(text),
      isBlock: HTMLExtractor.blockElements.contains(text))
    guard cacheable else {
      tags[0] = tag
      return 0
    }
    if tagSlots[slot] >= 0 {
      tags[tagSlots[slot]] = tag
    } else {
      tagSlots[slot] = tags.count
      tags.append(tag)
    }
    tagKeys[slot] = key
    return tagSlots[slot]
  }

  /// Attribute bytes being looked at, reused between elements.
  private var scratch: [UInt8] = []

  private var stack: [Frame] = []
  /// The block kinds of the open elements that have one (headings, list items), innermost
  /// last, so the kind of the text being collected is found in O(1) however deep the page.
  private var kindStack: [TextBlock.Kind] = []
  private var elements: [Element] = []
  private var nextID = 0
  private var linkDepth = 0
  private var boldDepth = 0

  mutating func walk(_ root: xmlNodePtr) {
    readHead(root)
    if firstHeading == nil { firstHeading = headerHeading }
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
  private mutating func readHead(_ root: xmlNodePtr, siblings: Bool = false) {
    var stack: [xmlNodePtr] = [root]
    while let node = stack.popLast() {
      if let sibling = node.pointee.next, node != root || siblings { stack.append(sibling) }
      guard node.isElement else { continue }
      switch tags[tagIndex(node)].head {
      case .title:
        if documentTitle == nil { documentTitle = normalizeSpace(node.allText) }
        continue
      case .meta:
        let property = (node.attribute("property") ?? node.attribute("name") ?? "").lowercased()
        if property == "og:title", openGraphTitle == nil, let content = node.attribute("content") {
          openGraphTitle = normalizeSpace(content)
        }
        if property == "og:site_name", siteName == nil, let content = node.attribute("content") {
          siteName = normalizeSpace(content)
        }
        if let content = node.attribute("content") {
          if DateHints.metaNames.contains(property) { dateHints.note(.meta, "<meta \(property)>", content) }
          if let itemprop = node.attribute("itemprop")?.lowercased(), DateHints.itemprops.contains(itemprop) {
            dateHints.note(.microdata, "microdata \(itemprop)", content)
          }
        }
        continue
      case .time:
        let value = node.attribute("datetime") ?? node.allText
        if let itemprop = node.attribute("itemprop")?.lowercased(), DateHints.itemprops.contains(itemprop) {
          dateHints.note(.microdata, "microdata \(itemprop)", value)
        } else {
          dateHints.note(.time, "<time datetime>", value)
        }
        continue
      case .script:
        if node.attribute("type")?.lowercased().trimmingWhitespace() == "application/ld+json" {
          jsonLD.append(node.allText)
        }
        continue
      case .heading:
        if firstHeading == nil {
          let text = normalizeSpace(node.allText)
          if !text.isEmpty { firstHeading = text }
        }
        continue
      case .header:
        // A logo in the site header is often an h1; the posting's own h1 comes later. Read the
        // header's h1 only if the page has no other.
        if headerHeading == nil, let child = node.pointee.children {
          var inner = BlockWalker(keepFurniture: true)
          inner.readHead(child, siblings: true)
          headerHeading = inner.firstHeading
          jsonLD += inner.jsonLD
          dateHints.merge(inner.dateHints)
          siteName = siteName ?? inner.siteName
        }
        continue
      case .skip:
        continue
      case .descend:
        // Microdata on any element: `<span itemprop="datePosted">2021-03-12</span>`.
        if node.pointee.properties != nil, let itemprop = node.attribute("itemprop")?.lowercased(),
          DateHints.itemprops.contains(itemprop)
        {
          dateHints.note(.microdata, "microdata \(itemprop)", node.attribute("content") ?? node.allText)
        }
      }
      if let child = node.pointee.children { stack.append(child) }
    }
  }

  /// Enters a node; returns whether to descend into its children.
  private mutating func enter(_ node: xmlNodePtr) -> Bool {
    if node.isText {
      guard let content = node.pointee.content else { return false }
      // Appended as bytes; characters counted as UTF-8 lead bytes (libxml2 hands out UTF-8).
      var count = 0
      var pointer = content
      while pointer.pointee != 0 {
        let byte = pointer.pointee
        buffer.append(byte)
        if byte & 0xC0 != 0x80 { count += 1 }
        pointer += 1
      }
      if linkDepth > 0 { bufferLinkCharacters += count }
      if boldDepth > 0 { bufferBoldCharacters += count }
      return false
    }
    guard node.isElement else { return false }
    let tag = tag(node)
    let name = tag.name
    let attributes = ElementAttributes(node)
    let (found, hasNames) = HTMLExtractor.markerMask(attributes, scratch: &scratch)
    let isFurniture =
      tag.isFurniture
      || HTMLExtractor.isBoilerplate(attributes, found: found, hasNames: hasNames, scratch: &scratch)
    let isDropped = tag.isDroppedElement || (isFurniture && !keepFurniture)
    let isBlock = tag.isBlock
    if isDropped || isBlock { flush() }
    let kind = tag.kind
    let isLink = tag.isLink && !isDropped
    let isBold = tag.isBold && !isDropped
    if isLink { linkDepth += 1 }
    if isBold { boldDepth += 1 }
    stack.append(
      Frame(
        node: node, id: nextID, name: name, firstBlock: blocks.count, isLink: isLink, isBold: isBold,
        isBlock: isBlock && !isDropped, isDropped: isDropped, blockKind: kind,
        bonus: isBlock ? Self.bonus(tag.bonus, attributes, found: found) : 0,
        isWrapper: !isDropped && Self.isWrapper(node),
        isFurniture: isFurniture))
    nextID += 1
    if let kind { kindStack.append(kind) }
    if isBlock, let kind { bufferKind = kind }
    return !isDropped
  }

  /// Leaves an element entered with `enter` (text nodes were never pushed).
  private mutating func leave(_ node: xmlNodePtr) {
    guard node.isElement, let last = stack.last, last.node == node else { return }
    if last.isBlock { flush() }
    let frame = stack.removeLast()
    if frame.isLink { linkDepth -= 1 }
    if frame.isBold { boldDepth -= 1 }
    if frame.blockKind != nil { kindStack.removeLast() }
    bufferKind = kindStack.last ?? .paragraph
    guard !frame.isDropped else { return }
    if blocks.count > frame.firstBlock {
      let isCandidate = frame.contentScore > 0
      let linkDensity = frame.characters == 0 ? 0 : Double(frame.linkCharacters) / Double(frame.characters)
      elements.append(
        Element(
          id: frame.id, parentID: stack.last?.id ?? -1, name: frame.name, start: frame.firstBlock, end: blocks.count,
          score: isCandidate ? (frame.contentScore + frame.bonus) * (1 - linkDensity) : 0, isCandidate: isCandidate,
          characters: frame.characters, linkCharacters: frame.linkCharacters, isFurniture: frame.isFurniture))
    }
    if !stack.isEmpty {
      stack[stack.count - 1].characters += frame.characters
      stack[stack.count - 1].linkCharacters += frame.linkCharacters
    }
  }

  /// Ends the current block: white space collapsed, empty blocks dropped; its characters are
  /// counted on the element holding it, and a paragraph's score is added to that element's
  /// parent and, halved, to its grandparent (readability's scoring).
  private mutating func flush() {
    defer {
      buffer.removeAll(keepingCapacity: true)
      bufferLinkCharacters = 0
      bufferBoldCharacters = 0
    }
    let text = buffer.withUnsafeBufferPointer { normalizeSpace(utf8: $0) }
    guard !text.isEmpty else { return }
    if let owner = stack.last, owner.isFurniture { return }
    let (length, commas) = Self.scalarsAndCommas(text)
    var block = TextBlock(
      kind: bufferKind, text: text, linkCharacters: bufferLinkCharacters, boldCharacters: bufferBoldCharacters,
      length: length)
    block.linkCharacters = min(block.linkCharacters, length)
    block.boldCharacters = min(block.boldCharacters, length)
    blocks.append(block)
    guard let owner = stack.indices.last else { return }
    stack[owner].characters += length
    stack[owner].linkCharacters += block.linkCharacters
    let value = Self.value(of: block, commas: commas)
    guard value > 0 else { return }
    var level = owner - 1
    for share in [1.0, 0.5] {
      while level >= 0 && stack[level].isWrapper { level -= 1 }
      guard level >= 0 else { break }
      stack[level].contentScore += value * share
      level -= 1
    }
  }

  /// Whether `node` has exactly one child element and no text of its own.
  static func isWrapper(_ node: xmlNodePtr) -> Bool {
    var elements = 0
    var child = node.pointee.children
    while let current = child {
      if current.isElement {
        elements += 1
        if elements > 1 { return false }
      } else if current.isText, let content = current.pointee.content {
        var pointer = content
        while pointer.pointee != 0 {
          let byte = pointer.pointee
          if byte != 0x20 && byte != 0x0A && byte != 0x09 && byte != 0x0D { return false }
          pointer += 1
        }
      }
      child = current.pointee.next
    }
    return elements == 1
  }

  /// A paragraph's score: 1, plus one per comma, plus one per 100 characters (at most 3).
  /// Short fragments ("Apply now", "Share") and headings score nothing; list items count from
  /// 10 characters, since responsibilities are often terse bullets.
  static func value(of block: TextBlock, commas: Int) -> Double {
    if block.isHeading { return 0 }
    let length = block.length
    if length < (block.kind == .listItem ? 10 : 25) { return 0 }
    return 1 + Double(commas) + min(Double(length / 100), 3)
  }

  /// The Unicode scalars of `text` and its commas (`,`, `，`, `、`), counted on its UTF-8 in one
  /// pass: scalars are the bytes that are not continuation bytes (a String's UTF-8 is valid).
  static func scalarsAndCommas(_ text: String) -> (scalars: Int, commas: Int) {
    var text = text
    return text.withUTF8 { bytes in
      var scalars = 0
      var commas = 0
      var index = 0
      let count = bytes.count
      while index < count {
        let byte = bytes[index]
        if byte & 0xC0 != 0x80 { scalars &+= 1 }
        if byte == 0x2C {
          commas &+= 1
        } else if byte == 0xEF, index + 2 < count, bytes[index + 1] == 0xBC, bytes[index + 2] == 0x8C {
          commas &+= 1
        } else if byte == 0xE3, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x81 {
          commas &+= 1
        }
        index &+= 1
      }
      return (scalars, commas)
    }
  }

  /// Readability's starting score for an element: by tag, and by class, id and microdata.
  static func bonus(_ tagBonus: Double, _ attributes: ElementAttributes, found: UInt64) -> Double {
    var bonus = tagBonus
    if found & HTMLExtractor.contentMask != 0 { bonus += 25 }
    if found & HTMLExtractor.boilerplateMask != 0 { bonus -= 25 }
    if let itemprop = attributes.itemprop.map(ElementAttributes.value(of:))?.lowercased(),
      itemprop == "articlebody" || itemprop == "description"
    {
      bonus += 50
    }
    return bonus
  }

  /// The part of `bonus` that depends on the tag name only.
  static func bonus(name: String) -> Double {
    var bonus: Double
    switch name {
    case "div", "article", "main", "section": bonus = 5
    case "pre", "td", "blockquote": bonus = 3
    case "address", "ol", "ul", "dl", "dd", "dt", "li": bonus = -3
    case "h1", "h2", "h3", "h4", "h5", "h6", "th": bonus = -5
    default: bonus = 0
    }
    if name == "article" || name == "main" { bonus += 10 }
    return bonus
  }

  /// The main content: the best-scoring element, moved up to its parent while the parent
  /// scores better, plus siblings that score at least a fifth as well (or are plain
  /// paragraphs of prose); link-heavy blocks inside are left out.
  func mainContent() -> [TextBlock] {
    let candidates = elements.filter(\.isCandidate)
    guard var top = candidates.max(by: { $0.score < $1.score || ($0.score == $1.score && $0.id > $1.id) }) else {
      return blocks.filter { $0.isHeading || $0.linkDensity <= 0.5 }
    }
    var byID: [Int: Element] = [:]
    for element in elements { byID[element.id] = element }
    func ancestors(_ element: Element) -> [Int] {
      var chain: [Int] = []
      var id = element.parentID
      while let parent = byID[id] {
        chain.append(id)
        id = parent.parentID
      }
      return chain
    }
    // An article cut into several blocks: when at least three of the best five candidates
    // score close to the top one, their nearest common ancestor is the article.
    let ranked = candidates.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    let close = ranked.prefix(5).dropFirst().filter { $0.score >= top.score * 0.75 }
    if close.count >= 2 {
      let others = close.map { Set(ancestors($0)) }
      for ancestorID in ancestors(top) {
        guard let ancestor = byID[ancestorID], ancestor.name != "body", ancestor.name != "html" else { break }
        if others.filter({ $0.contains(ancestorID) }).count + 1 >= 3 {
          top = ancestor
          break
        }
      }
    }
    // Move up while the parent holds more of the content.
    var lastScore = top.score
    let threshold = top.score / 3
    var parentID = top.parentID
    while let parent = byID[parentID], parent.name != "body", parent.name != "html" {
      if parent.isCandidate {
        if parent.score < threshold { break }
        if parent.score > lastScore {
          top = parent
          break
        }
        lastScore = parent.score
      }
      parentID = parent.parentID
    }
    // Siblings of the top element that belong to the article too.
    let siblingThreshold = max(10, top.score * 0.2)
    var ranges: [Range<Int>] = []
    // Inside furniture (an unclosed cookie banner holding the page), the siblings of the
    // content are the furniture's own text, not more of the posting.
    let parentIsFurniture = byID[top.parentID]?.isFurniture ?? false
    for element in elements
    where (element.parentID == top.parentID && top.parentID >= 0 && !parentIsFurniture) || element.id == top.id {
      if element.id == top.id {
        ranges.append(element.start..<element.end)
        continue
      }
      let text = blocks[element.start..<element.end].map(\.text).joined(separator: " ")
      let isProse =
        element.name == "p"
        && ((element.characters > 80 && element.linkDensity < 0.25)
          || (element.characters > 0 && element.linkCharacters == 0 && text.has(". ")))
      // Headings and list items next to the article belong to it when they are not links
      // (a posting's "What you'll do" heading and bullets left outside their list by broken
      // markup).
      let isStructure =
        ["h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl"].contains(element.name)
        && element.characters >= 10 && element.linkDensity < 0.1
      if (element.isCandidate && element.score >= siblingThreshold) || isProse || isStructure {
        ranges.append(element.start..<element.end)
      }
    }
    ranges.sort { $0.lowerBound < $1.lowerBound }
    var result: [TextBlock] = []
    var covered = 0
    for range in ranges where range.upperBound > covered {
      for index in max(range.lowerBound, covered)..<range.upperBound {
        let block = blocks[index]
        if block.isHeading || block.linkDensity <= 0.5 { result.append(block) }
      }
      covered = range.upperBound
    }
    return result
  }
}

/// The publication dates a page states outside JSON-LD, the first of each kind, in the order
/// they are trusted: microdata (`itemprop="datePosted"`), then `<meta>` dates
/// (`article:published_time`...), then the first `<time>` element (which may date anything on
/// the page, so it comes last).
struct DateHints: Sendable {
  enum Kind: Int, CaseIterable, Sendable {
    case microdata, meta, time
  }

  /// `<meta property|name>` values that give a publication date.
  static let metaNames: Set<String> = [
    "article:published_time", "og:published_time", "dateposted", "date", "pubdate",
    "publish-date", "publish_date", "dc.date", "dcterms.date", "dc.date.issued",
  ]
  /// Microdata properties of a posting's date (schema.org `JobPosting.datePosted`,
  /// `CreativeWork.datePublished`).
  static let itemprops: Set<String> = ["dateposted", "datepublished"]

  private var found: [Kind: (origin: String, value: String)] = [:]

  /// Keeps `value` if it is the first non-empty one of its kind.
  mutating func note(_ kind: Kind, _ origin: String, _ value: String) {
    let trimmed = normalizeSpace(value)
    guard found[kind] == nil, !trimmed.isEmpty else { return }
    found[kind] = (origin, trimmed)
  }

  /// Keeps `other`'s dates where this one has none.
  mutating func merge(_ other: DateHints) {
    for (kind, entry) in other.found where found[kind] == nil { found[kind] = entry }
  }

  /// The dates found, most trusted first.
  var ordered: [(origin: String, value: String)] { Kind.allCases.compactMap { found[$0] } }
}
