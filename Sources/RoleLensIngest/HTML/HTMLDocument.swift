import CLibXML2

/// Owns one document parsed by libxml2's HTML parser and frees it when it goes away.
///
/// Nodes are lent only inside `withRoot`; callers copy what they need into Swift values, so no
/// libxml2 pointer outlives the document or leaves this module.
struct HTMLDocument: ~Copyable {
  private let document: htmlDocPtr
  /// Whether elements had attributes beyond `MarkupPrepass.maximumAttributes` removed.
  let attributesTrimmed: Bool
  /// Whether start tags nested deeper than `MarkupPrepass.maximumDepth` were removed.
  let depthCapped: Bool
  /// Whether start tags beyond `MarkupPrepass.maximumElements` were removed.
  let elementsCapped: Bool

  /// Parser options: RECOVER (real pages are broken; keep going), NONET (never touch the
  /// network), NOERROR/NOWARNING (libxml2 would otherwise print to stderr), NOBLANKS (drop
  /// ignorable white space nodes), COMPACT (smaller text nodes), and HUGE: without it libxml2
  /// stops parsing at 256 nested elements and silently drops the rest of the page. The limits
  /// HUGE lifts are enforced by rolelens instead: input size is capped before parsing
  /// (--max-file-size), `MarkupPrepass` caps nesting at `MarkupPrepass.maximumDepth` (HUGE
  /// then only lets pages between 256 and that depth through) and drops the end tags libxml2
  /// would search its whole element stack for in vain, and every walk over the tree is
  /// iterative, so depth costs no stack.
  private static let options: Int32 = {
    let flags: [htmlParserOption] = [
      HTML_PARSE_RECOVER, HTML_PARSE_NONET, HTML_PARSE_NOERROR, HTML_PARSE_NOWARNING,
      HTML_PARSE_NOBLANKS, HTML_PARSE_COMPACT,
    ]
    let huge = UInt32(XML_PARSE_HUGE.rawValue)
    return Int32(bitPattern: flags.reduce(huge) { $0 | UInt32($1.rawValue) })
  }()

  /// libxml2 must be initialised once, before any thread parses.
  private static let initialised: Bool = {
    xmlInitParser()
    return true
  }()

  /// Parses `text` with `htmlReadMemory` after `MarkupPrepass`, telling libxml2 the bytes are
  /// UTF-8 (rolelens has already decoded the file, so libxml2's own charset sniffing must not
  /// run again).
  ///
  /// - Parameter prepared: Whether `text` has been through `MarkupPrepass` already (a file's
  ///   bytes go through it before decoding), so it is not scanned twice.
  /// - Returns: `nil` when libxml2 produced no document (input too large for an `Int32`
  ///   length, or nothing parseable).
  init?(html text: String, prepared: Bool = false) {
    _ = Self.initialised
    var utf8: [UInt8]
    if prepared {
      utf8 = Array(text.utf8)
      attributesTrimmed = false
      depthCapped = false
      elementsCapped = false
    } else {
      let result =
        text.utf8.withContiguousStorageIfAvailable { MarkupPrepass.prepare($0) }
        ?? MarkupPrepass.prepare(Array(text.utf8))
      utf8 = result.bytes
      attributesTrimmed = result.attributesTrimmed
      depthCapped = result.depthCapped
      elementsCapped = result.elementsCapped
    }
    if utf8.isEmpty { utf8 = [0x20] }
    guard let length = Int32(exactly: utf8.count) else { return nil }
    let parsed: htmlDocPtr? = utf8.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { base in
        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
          htmlReadMemory(chars, length, "", "UTF-8", Self.options)
        }
      }
    }
    guard let parsed else { return nil }
    document = parsed
  }

  deinit {
    xmlFreeDoc(document)
  }

  /// Lends the root element to `body`; `nil` when the document has none.
  func withRoot<R>(_ body: (xmlNodePtr) -> R) -> R? {
    guard let root = xmlDocGetRootElement(document) else { return nil }
    return body(root)
  }
}

// MARK: - Node helpers (valid only while the document is alive)

extension UnsafeMutablePointer where Pointee == xmlNode {
  /// The element's lowercased tag name ("" for non-elements).
  var tagName: String {
    guard pointee.type == XML_ELEMENT_NODE, let name = pointee.name else { return "" }
    return String(cString: name)
  }

  var isElement: Bool { pointee.type == XML_ELEMENT_NODE }
  var isText: Bool { pointee.type == XML_TEXT_NODE || pointee.type == XML_CDATA_SECTION_NODE }

  /// The text of a text node.
  var textContent: String {
    guard let content = pointee.content else { return "" }
    return String(cString: content)
  }

  /// The value of attribute `name` (lowercase), read from the node's attribute list. Names are
  /// compared as C strings (`xmlStrcasecmp`), so looking for an absent attribute allocates
  /// nothing: extraction asks every element for class, id, role, style and more.
  func attribute(_ name: StaticString) -> String? {
    var attribute = pointee.properties
    while let current = attribute {
      if let attributeName = current.pointee.name,
        name.withUTF8Buffer({ buffer in buffer.baseAddress.map { xmlStrcasecmp(attributeName, $0) == 0 } ?? false })
      {
        var value = ""
        var child = current.pointee.children
        while let node = child {
          if let content = node.pointee.content { value += String(cString: content) }
          child = node.pointee.next
        }
        return value
      }
      attribute = current.pointee.next
    }
    return nil
  }

  /// All text below this node, in document order, without recursion (pages nest deeply).
  var allText: String {
    var result = ""
    var stack: [xmlNodePtr] = []
    if let first = pointee.children { stack.append(first) }
    while let node = stack.popLast() {
      if let next = node.pointee.next { stack.append(next) }
      if node.isText {
        result += node.textContent
      } else if node.isElement, let child = node.pointee.children {
        stack.append(child)
      }
    }
    return result
  }
}
