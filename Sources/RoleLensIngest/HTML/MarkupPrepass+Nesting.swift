import CLibXML2
import RoleLensStorage

extension MarkupPrepass {
  /// Open elements kept by the pre-pass, beyond which only content elements still open.
  static let maximumDepth = 1000

  /// Extra levels that content elements (headings, paragraphs, lists, tables, emphasis) may
  /// still open beyond `maximumDepth`: a posting buried under thousands of wrapper `<div>`s
  /// keeps its heading and list structure. libxml2 is never handed more than the sum.
  static let contentDepthAllowance = 64

  /// From this depth on, end tags libxml2 would ignore are dropped. Below it nothing is: real
  /// pages, broken ones included, reach the pre-pass's cuts only when pathological, so an
  /// imperfection of the model cannot change an ordinary page, and below this depth libxml2's
  /// search of its element stack costs little anyway.
  static let strayEndTagDepth = 256

  /// The stack of elements libxml2 (2.9's HTML parser, RECOVER) will have open at each point of
  /// the prepared output, so that the pre-pass can drop the two kinds of tag that make libxml2
  /// slow or large without changing the tree it builds:
  ///
  /// - a start tag that would open an element deeper than `maximumDepth` (libxml2 with HUGE has
  ///   no depth limit, and four million nested `<div>` cost gigabytes);
  /// - an end tag that libxml2 ignores: one that closes nothing open, or one its end-tag
  ///   priorities forbid to close across a higher-priority element (`</span>` across a `<div>`).
  ///   libxml2 looks for every end tag's name through its whole element stack, so a run of
  ///   stray end tags under deep nesting costs time quadratic in the file.
  ///
  /// The model follows libxml2's rules: a start tag first closes the open elements it
  /// auto-closes (`htmlStartClose`: `<li>` closes an open `<li>`, `<tr>` an open `<td>`…),
  /// void elements (`htmlTagLookup(name)->empty`) and `<x/>` open nothing, an end tag closes
  /// the nearest open element of its name and everything above it unless an element of higher
  /// end priority (`htmlEndPriority`) lies between. `html`, `head` and `body` are left to
  /// libxml2 (it tracks misplaced ones itself): they are never dropped and never counted.
  /// Where the model is unsure it keeps more elements open than libxml2 does, which can only
  /// make it keep an end tag libxml2 then ignores, never drop one libxml2 uses.
  ///
  /// - Complexity: O(1) amortised per tag: names are hashed once, the nearest open element of a
  ///   name is found through a per-name index, and blocking is read from per-entry summaries.
  struct OpenElements {
    /// One open element.
    private struct Entry {
      var hash: UInt64
      var known: UInt8
    }

    private var entries: [Entry] = []
    /// For each entry and each end-priority level (see `levels`), the index of the topmost entry
    /// at or below it whose priority is above that level, or -1.
    private var higher: [Int32] = []
    /// The indexes of open entries, per name hash, nearest last.
    private var positions: [UInt64: [Int32]] = [:]

    var depth: Int { entries.count }

    /// Whether the start tag named `hash` would be dropped: it opens an element (not void, not
    /// self-closed) and, after the elements it auto-closes, the stack is full.
    func dropsStart(_ hash: UInt64, selfClosed: Bool) -> Bool {
      let known = Self.known[hash] ?? 0
      guard !selfClosed, !Self.isVoid(known), !Self.isDocumentLevel(known) else { return false }
      guard entries.count >= MarkupPrepass.maximumDepth else { return false }
      var depth = entries.count
      while depth > 0, Self.autoCloses(new: known, old: entries[depth - 1].known) { depth -= 1 }
      let limit = MarkupPrepass.maximumDepth + (Self.content.contains(known) ? MarkupPrepass.contentDepthAllowance : 0)
      return depth >= limit
    }

    /// Applies a kept start tag named `hash`.
    mutating func start(_ hash: UInt64, selfClosed: Bool) {
      let known = Self.known[hash] ?? 0
      while let top = entries.last, Self.autoCloses(new: known, old: top.known) { pop() }
      guard !selfClosed, !Self.isVoid(known), !Self.isDocumentLevel(known) else { return }
      push(Entry(hash: hash, known: known))
    }

    /// Applies the end tag named `hash`; returns whether libxml2 would act on it (else the
    /// pre-pass may drop it).
    mutating func end(_ hash: UInt64) -> Bool {
      let known = Self.known[hash] ?? 0
      if Self.isDocumentLevel(known) { return true }
      guard let nearest = positions[hash]?.last else { return false }
      let level = Self.level(Self.priority(known))
      if let level, let top = entries.indices.last, higher[top * Self.levels.count + level] > nearest { return false }
      while entries.count > Int(nearest) { pop() }
      return true
    }

    private mutating func push(_ entry: Entry) {
      let index = entries.count
      let priority = Self.priority(entry.known)
      for (level, threshold) in Self.levels.enumerated() {
        let below = index > 0 ? higher[(index - 1) * Self.levels.count + level] : -1
        higher.append(priority > threshold ? Int32(index) : below)
      }
      entries.append(entry)
      positions[entry.hash, default: []].append(Int32(index))
    }

    private mutating func pop() {
      guard let entry = entries.popLast() else { return }
      higher.removeLast(Self.levels.count)
      positions[entry.hash]?.removeLast()
    }

    // MARK: - libxml2's tables

    /// HTML 4 element names libxml2 knows; index + 1 is the name's `known` number (0: unknown).
    private static let names = [
      "a", "abbr", "acronym", "address", "applet", "area", "b", "base", "basefont", "bdo", "big",
      "blockquote", "body", "br", "button", "caption", "center", "cite", "code", "col", "colgroup",
      "dd", "del", "dfn", "dir", "div", "dl", "dt", "em", "embed", "fieldset", "font", "form",
      "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "html", "i", "iframe",
      "img", "input", "ins", "isindex", "kbd", "label", "legend", "li", "link", "listing", "map",
      "menu", "meta", "noframes", "noscript", "object", "ol", "optgroup", "option", "p", "param",
      "pre", "q", "s", "samp", "script", "select", "small", "span", "strike", "strong", "style",
      "sub", "sup", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "tt",
      "u", "ul", "var", "xmp",
    ]

    private static func number(_ name: String) -> UInt8 {
      guard let index = names.firstIndex(of: name) else {
        preconditionFailure("\(name) is missing from MarkupPrepass.OpenElements.names")
      }
      return UInt8(index + 1)
    }

    /// Name hash to `known` number.
    private static let known: [UInt64: UInt8] = Dictionary(
      uniqueKeysWithValues: names.enumerated().map { (MarkupPrepass.nameHash(Array($0.element.utf8)), UInt8($0.offset + 1)) })

    /// Which known elements are void, as libxml2 says (`htmlTagLookup(name)->empty`).
    private static let void: [Bool] = [false] + names.map { name in
      name.withCString { htmlTagLookup(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self))?.pointee.empty == 1 }
    }

    private static func isVoid(_ known: UInt8) -> Bool { void[Int(known)] }

    /// Elements whose structure extraction reads (see `contentDepthAllowance`).
    private static let content: Set<UInt8> = Set(
      [
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd", "table", "tbody", "thead",
        "tr", "td", "th", "b", "strong", "em", "i",
      ].map(number))

    private static let documentLevel: Set<UInt8> = [number("html"), number("head"), number("body")]

    private static func isDocumentLevel(_ known: UInt8) -> Bool { known != 0 && documentLevel.contains(known) }

    /// libxml2's `htmlEndPriority`: an end tag closes across open elements of equal or lower
    /// priority only.
    private static let priorities: [UInt8: Int] = [
      number("div"): 150, number("td"): 160, number("th"): 160, number("tr"): 170, number("thead"): 180,
      number("tbody"): 180, number("tfoot"): 180, number("table"): 190, number("head"): 200,
      number("body"): 200, number("html"): 220,
    ]

    private static func priority(_ known: UInt8) -> Int { priorities[known] ?? 100 }

    /// The priorities an end tag of a counted element can have (html/head/body excluded).
    private static let levels = [100, 150, 160, 170, 180, 190]

    private static func level(_ priority: Int) -> Int? { levels.firstIndex(of: priority) }

    /// libxml2's `htmlStartClose` (2.9.14): (open element, start tag that closes it).
    private static let startClose: Set<UInt16> = {
      let pairs: [(String, [String])] = [
        ("a", ["a", "fieldset", "table", "td", "th"]),
        ("address", ["dd", "dl", "dt", "form", "li", "ul"]),
        ("b", ["center", "p", "td", "th"]),
        ("big", ["p"]),
        ("caption", ["col", "colgroup", "tbody", "tfoot", "thead", "tr"]),
        ("col", ["col", "colgroup", "tbody", "tfoot", "thead", "tr"]),
        ("colgroup", ["colgroup", "tbody", "tfoot", "thead", "tr"]),
        ("dd", ["dt"]),
        ("dir", ["dd", "dl", "dt", "form", "ul"]),
        ("dl", ["form", "li"]),
        ("dt", ["dd", "dl"]),
        ("font", ["center", "td", "th"]),
        ("form", ["form"]),
        ("h1", ["fieldset", "form", "li", "p", "table"]),
        ("h2", ["fieldset", "form", "li", "p", "table"]),
        ("h3", ["fieldset", "form", "li", "p", "table"]),
        ("h4", ["fieldset", "form", "li", "p", "table"]),
        ("h5", ["fieldset", "form", "li", "p", "table"]),
        ("h6", ["fieldset", "form", "li", "p", "table"]),
        ("hr", ["form"]),
        ("i", ["center", "p", "td", "th"]),
        ("legend", ["fieldset"]),
        ("li", ["li"]),
        ("link", ["body", "frameset"]),
        ("listing", ["dd", "dl", "dt", "fieldset", "form", "li", "table", "ul"]),
        ("menu", ["dd", "dl", "dt", "form", "ul"]),
        ("ol", ["form"]),
        ("option", ["optgroup", "option"]),
        ("p", [
          "address", "blockquote", "body", "caption", "center", "col", "colgroup", "dd", "dir", "div",
          "dl", "dt", "fieldset", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr",
          "li", "listing", "menu", "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th", "title",
          "tr", "ul", "xmp",
        ]),
        ("pre", ["dd", "dl", "dt", "fieldset", "form", "li", "table", "ul"]),
        ("s", ["p"]),
        ("script", ["noscript"]),
        ("small", ["p"]),
        ("span", ["td", "th"]),
        ("strike", ["p"]),
        ("style", ["body", "frameset"]),
        ("tbody", ["tbody", "tfoot"]),
        ("td", ["tbody", "td", "tfoot", "th", "tr"]),
        ("tfoot", ["tbody"]),
        ("th", ["tbody", "td", "tfoot", "th", "tr"]),
        ("thead", ["tbody", "tfoot"]),
        ("title", ["body", "frameset"]),
        ("tr", ["tbody", "tfoot", "tr"]),
        ("tt", ["p"]),
        ("u", ["p", "td", "th"]),
        ("ul", ["address", "form", "menu", "pre"]),
        ("xmp", ["dd", "dl", "dt", "fieldset", "form", "li", "table", "ul"]),
      ]
      var set = Set<UInt16>()
      for (old, news) in pairs {
        for new in news { set.insert(UInt16(number(old)) << 8 | UInt16(number(new))) }
      }
      return set
    }()

    private static func autoCloses(new: UInt8, old: UInt8) -> Bool {
      new != 0 && old != 0 && startClose.contains(UInt16(old) << 8 | UInt16(new))
    }
  }

  /// libxml2 reads at most this many bytes of a tag name (`HTML_PARSER_BUFFER_SIZE`).
  static let nameLimit = 100

  /// FNV-1a of a tag name's first `nameLimit` bytes, lowercased (libxml2 lowercases names).
  static func nameHash(_ bytes: some Collection<UInt8>) -> UInt64 {
    var hasher = FNV1a()
    for byte in bytes.prefix(nameLimit) { hasher.combine(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) }
    return hasher.value
  }
}
