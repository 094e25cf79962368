import CLibXML2

/// The attributes extraction reads from an element, found in one pass over its attribute list.
///
/// Each field is the attribute node of the first attribute of that name (compared in any ASCII
/// case, as `xmlStrcasecmp` does), as `attribute(_:)` would find it; values are read as bytes
/// only when asked for. Valid only while the document is alive.
struct ElementAttributes {
  var className: xmlAttrPtr?
  var id: xmlAttrPtr?
  var hidden: xmlAttrPtr?
  var ariaHidden: xmlAttrPtr?
  var style: xmlAttrPtr?
  var role: xmlAttrPtr?
  var itemprop: xmlAttrPtr?

  /// Reads `node`'s attribute list.
  ///
  /// - Complexity: O(attributes); names are compared as bytes, nothing is allocated.
  init(_ node: xmlNodePtr) {
    var attribute = node.pointee.properties
    while let current = attribute {
      attribute = current.pointee.next
      guard let name = current.pointee.name else { continue }
      switch Self.lower(name[0]) {
      case UInt8(ascii: "c"):
        if className == nil, Self.equals(name, "class") { className = current }
      case UInt8(ascii: "i"):
        if id == nil, Self.equals(name, "id") {
          id = current
        } else if itemprop == nil, Self.equals(name, "itemprop") {
          itemprop = current
        }
      case UInt8(ascii: "h"):
        if hidden == nil, Self.equals(name, "hidden") { hidden = current }
      case UInt8(ascii: "a"):
        if ariaHidden == nil, Self.equals(name, "aria-hidden") { ariaHidden = current }
      case UInt8(ascii: "s"):
        if style == nil, Self.equals(name, "style") { style = current }
      case UInt8(ascii: "r"):
        if role == nil, Self.equals(name, "role") { role = current }
      default:
        break
      }
    }
  }

  /// Appends the value of `attribute` (the text of its children, as `attribute(_:)` joins
  /// them) to `bytes`.
  static func appendValue(of attribute: xmlAttrPtr, to bytes: inout [UInt8]) {
    var child = attribute.pointee.children
    while let node = child {
      if var pointer = node.pointee.content {
        while pointer.pointee != 0 {
          bytes.append(pointer.pointee)
          pointer += 1
        }
      }
      child = node.pointee.next
    }
  }

  /// The value of `attribute` as a String (what `attribute(_:)` returns).
  static func value(of attribute: xmlAttrPtr) -> String {
    var value = ""
    var child = attribute.pointee.children
    while let node = child {
      if let content = node.pointee.content { value += String(cString: content) }
      child = node.pointee.next
    }
    return value
  }

  /// Whether the NUL-terminated `name` is `lowercase` in any ASCII case.
  static func equals(_ name: UnsafePointer<xmlChar>, _ lowercase: StaticString) -> Bool {
    let target = lowercase.utf8Start
    let count = lowercase.utf8CodeUnitCount
    for offset in 0..<count where lower(name[offset]) != target[offset] { return false }
    return name[count] == 0
  }

  /// ASCII lowercase of one byte.
  @inline(__always)
  static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
}
