/// Caps the number of attributes per start tag before libxml2 sees the page: libxml2's HTML
/// parser checks every attribute against all earlier ones of the same element, so one element
/// with 50,000 attributes costs seconds (quadratic). No real page needs more than a few dozen.
enum AttributeLimiter {
  /// Attributes kept per start tag.
  static let maximumAttributes = 1000

  /// Returns `bytes` with attributes beyond the limit removed from every start tag, and whether
  /// anything was removed.
  ///
  /// - Complexity: O(n).
  static func limit(_ bytes: [UInt8]) -> (bytes: [UInt8], trimmed: Bool) {
    // Cheap test first: a page with fewer `=` than the limit cannot exceed it.
    var equals = 0
    for byte in bytes where byte == UInt8(ascii: "=") { equals += 1 }
    guard equals > maximumAttributes else { return (bytes, false) }

    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var trimmed = false
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      guard byte == UInt8(ascii: "<"), index + 1 < count, isLetter(bytes[index + 1]) else {
        output.append(byte)
        index += 1
        continue
      }
      // A start tag: copy it, counting attributes (`=` outside quotes) up to the limit.
      var attributes = 0
      var quote: UInt8?
      var cut = false
      while index < count {
        let current = bytes[index]
        if let open = quote {
          if current == open { quote = nil }
        } else if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") {
          quote = current
        } else if current == UInt8(ascii: "=") {
          attributes += 1
          if attributes > maximumAttributes && !cut {
            cut = true
            trimmed = true
            // Drop the partial attribute name already copied.
            while let last = output.last, last != UInt8(ascii: " ") && last != UInt8(ascii: "\t") && last != UInt8(ascii: "\n") {
              output.removeLast()
            }
          }
        } else if current == UInt8(ascii: ">") {
          output.append(current)
          index += 1
          break
        }
        if !cut { output.append(current) }
        index += 1
      }
    }
    return (output, trimmed)
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }
}
