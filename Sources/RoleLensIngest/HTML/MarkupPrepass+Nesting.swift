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
      /// The index of the nearest entry below with the same name, or -1.
      var previousSameName: Int32
    }

    private var entries: [Entry] = []
    /// For each entry and each end-priority level (see `levels`), the index of the topmost entry
    /// at or below it whose priority is above that level, or -1.
    private var higher: [Int32] = []
    /// The topmost open entry of each name (-1 when none is open), with the entries below chained
    /// through `Entry.previousSameName`.
    private var nearest = NameTable()

    var depth: Int { entries.count }

    /// Whether the start tag named `hash` would be dropped: it opens an element (not void, not
    /// self-closed) and, after the elements it auto-closes, the stack is full.
    func dropsStart(_ hash: UInt64, selfClosed: Bool) -> Bool {
      dropsStart(known: Self.known(hash), selfClosed: selfClosed)
    }

    /// `dropsStart` for a name whose `known` number is looked up already.
    func dropsStart(known: UInt8, selfClosed: Bool) -> Bool {
      guard !selfClosed, !Self.isVoid(known), !Self.isDocumentLevel(known) else { return false }
      guard entries.count >= MarkupPrepass.maximumDepth else { return false }
      var depth = entries.count
      while depth > 0, Self.autoCloses(new: known, old: entries[depth - 1].known) { depth -= 1 }
      let limit = MarkupPrepass.maximumDepth + (Self.isContent(known) ? MarkupPrepass.contentDepthAllowance : 0)
      return depth >= limit
    }

    /// Applies a kept start tag named `hash`.
    mutating func start(_ hash: UInt64, selfClosed: Bool) {
      start(hash, known: Self.known(hash), selfClosed: selfClosed)
    }

    /// `start` for a name whose `known` number is looked up already.
    mutating func start(_ hash: UInt64, known: UInt8, selfClosed: Bool) {
      if known != 0 {
        while let top = entries.last, Self.autoCloses(new: known, old: top.known) { pop() }
      }
      guard !selfClosed, !Self.isVoid(known), !Self.isDocumentLevel(known) else { return }
      push(hash, known: known)
    }

    /// Applies the end tag named `hash`; returns whether libxml2 would act on it (else the
    /// pre-pass may drop it).
    mutating func end(_ hash: UInt64) -> Bool {
      end(hash, known: Self.known(hash))
    }

    /// `end` for a name whose `known` number is looked up already.
    mutating func end(_ hash: UInt64, known: UInt8) -> Bool {
      if Self.isDocumentLevel(known) { return true }
      let nearest = nearest[hash]
      guard nearest >= 0 else { return false }
      let level = Self.level(known)
      if level >= 0, let top = entries.indices.last, higher[top &* Self.levelCount &+ level] > nearest { return false }
      while entries.count > Int(nearest) { pop() }
      return true
    }

    private mutating func push(_ hash: UInt64, known: UInt8) {
      let index = entries.count
      let priority = Self.priority(known)
      let below = (index &- 1) &* Self.levelCount
      for level in 0..<Self.levelCount {
        let threshold = Self.levels[level]
        higher.append(priority > threshold ? Int32(index) : (index > 0 ? higher[below &+ level] : -1))
      }
      let previous = nearest.replace(hash, with: Int32(index))
      entries.append(Entry(hash: hash, known: known, previousSameName: previous))
    }

    private mutating func pop() {
      guard let entry = entries.popLast() else { return }
      higher.removeLast(Self.levelCount)
      _ = nearest.replace(entry.hash, with: entry.previousSameName)
    }

    /// An open-addressing table from name hash to an entry index (-1: none), which only grows:
    /// a name once seen keeps its slot, as the element stack reuses names constantly.
    private struct NameTable {
      private var keys = [UInt64](repeating: 0, count: 256)
      private var values = [Int32](repeating: -2, count: 256)
      private var used = 0

      /// The value for `hash`, -1 when it has none.
      subscript(hash: UInt64) -> Int32 {
        let mask = keys.count &- 1
        var slot = Int(truncatingIfNeeded: hash >> 32 ^ hash) & mask
        while true {
          let value = values[slot]
          if value == -2 { return -1 }
          if keys[slot] == hash { return value }
          slot = (slot &+ 1) & mask
        }
      }

      /// Sets the value for `hash`; returns the previous one (-1 when none).
      mutating func replace(_ hash: UInt64, with value: Int32) -> Int32 {
        let mask = keys.count &- 1
        var slot = Int(truncatingIfNeeded: hash >> 32 ^ hash) & mask
        while true {
          let old = values[slot]
          if old == -2 { break }
          if keys[slot] == hash {
            values[slot] = value
            return old
          }
          slot = (slot &+ 1) & mask
        }
        keys[slot] = hash
        values[slot] = value
        used += 1
        if used * 2 > keys.count { grow() }
        return -1
      }

      private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: -2, count: oldKeys.count * 2)
        used = 0
        for slot in oldKeys.indices where oldValues[slot] != -2 { _ = replace(oldKeys[slot], with: oldValues[slot]) }
      }
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
    private static let knownByHash: [UInt64: UInt8] = Dictionary(
      uniqueKeysWithValues: names.enumerated().map {
        (MarkupPrepass.nameHash(Array($0.element.utf8)), UInt8($0.offset + 1))
      })

    /// `knownByHash` as a direct-mapped table: slot `hash % knownSlots` holds the one known name
    /// hashing there (`knownSlots` is chosen so that none collide), so a lookup is one compare.
    private static let knownTable: (slots: Int, hashes: [UInt64], numbers: [UInt8]) = {
      var slots = 128
      while true {
        var hashes = [UInt64](repeating: 0, count: slots)
        var numbers = [UInt8](repeating: 0, count: slots)
        var collided = false
        for (hash, number) in knownByHash {
          let slot = Int(hash % UInt64(slots))
          if numbers[slot] != 0 {
            collided = true
            break
          }
          hashes[slot] = hash
          numbers[slot] = number
        }
        if !collided { return (slots, hashes, numbers) }
        slots += 1
      }
    }()

    /// The `known` number of the name hashing to `hash` (0: not an HTML 4 element).
    static func known(_ hash: UInt64) -> UInt8 {
      let table = knownTable
      let slot = Int(hash % UInt64(table.slots))
      return table.hashes[slot] == hash ? table.numbers[slot] : 0
    }

    /// Which known elements are void, as libxml2 says (`htmlTagLookup(name)->empty`).
    private static let void: [Bool] =
      [false]
      + names.map { name in
        name.withCString {
          htmlTagLookup(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self))?.pointee.empty == 1
        }
      }

    private static func isVoid(_ known: UInt8) -> Bool { void[Int(known)] }

    /// Elements whose structure extraction reads (see `contentDepthAllowance`).
    private static let content: [Bool] = flags(
      "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd", "table", "tbody", "thead",
      "tr", "td", "th", "b", "strong", "em", "i")

    private static func isContent(_ known: UInt8) -> Bool { content[Int(known)] }

    private static let documentLevel: [Bool] = flags("html", "head", "body")

    private static func isDocumentLevel(_ known: UInt8) -> Bool { documentLevel[Int(known)] }

    /// A table by `known` number, true for `selected`.
    private static func flags(_ selected: String...) -> [Bool] {
      var table = [Bool](repeating: false, count: names.count + 1)
      for name in selected { table[Int(number(name))] = true }
      return table
    }

    /// libxml2's `htmlEndPriority`: an end tag closes across open elements of equal or lower
    /// priority only.
    private static let priorities: [UInt8: Int] = [
      number("div"): 150, number("td"): 160, number("th"): 160, number("tr"): 170, number("thead"): 180,
      number("tbody"): 180, number("tfoot"): 180, number("table"): 190, number("head"): 200,
      number("body"): 200, number("html"): 220,
    ]

    /// `priorities` by `known` number, 100 for the rest.
    private static let priorityTable: [Int] = (0...names.count).map { priorities[UInt8($0)] ?? 100 }

    private static func priority(_ known: UInt8) -> Int { priorityTable[Int(known)] }

    /// The priorities an end tag of a counted element can have (html/head/body excluded).
    private static let levels = [100, 150, 160, 170, 180, 190]

    private static let levelCount = 6

    /// The index in `levels` of each `known` number's priority, -1 for none.
    private static let levelTable: [Int] = priorityTable.map { levels.firstIndex(of: $0) ?? -1 }

    private static func level(_ known: UInt8) -> Int { levelTable[Int(known)] }

    /// libxml2's `htmlStartClose` (2.9.14): (open element, start tag that closes it).
    private static let startClosePairs: Set<UInt16> = {
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
        (
          "p",
          [
            "address", "blockquote", "body", "caption", "center", "col", "colgroup", "dd", "dir", "div",
            "dl", "dt", "fieldset", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr",
            "li", "listing", "menu", "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th", "title",
            "tr", "ul", "xmp",
          ]
        ),
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

    /// `startClosePairs` as a table indexed by `old << 8 | new`.
    private static let startClose: [Bool] = (0..<(1 << 16)).map { startClosePairs.contains(UInt16($0)) }

    private static func autoCloses(new: UInt8, old: UInt8) -> Bool {
      startClose[Int(old) << 8 | Int(new)]
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
