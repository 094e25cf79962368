#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One linear pass over a page's bytes before anything else reads them, doing two things
/// libxml2 would otherwise pay dearly for:
///
/// - **Script and style bodies are dropped.** rolelens never reads them (JSON-LD scripts
///   excepted, which are kept whole), and on saved pages they are most of the bytes: inline
///   bundles, analytics, state blobs. libxml2 still sees every `<script>`/`<style>` element,
///   empty, so the tree has the same shape; decoding, validation, repair and parsing then run
///   over the text that matters.
/// - **Attributes per start tag are capped** at `maximumAttributes`: libxml2's HTML parser
///   checks every attribute against all earlier ones of the same element, so one element with
///   50,000 attributes costs seconds (quadratic). No real page needs more than a few dozen.
///
/// The scan follows libxml2's HTML tokenizer where it matters: comments, `<!…>` and `<?…>`
/// are passed over whole, quoted attribute values may hold `<` and `>`, a script ends at the
/// first `</script` (any case, as libxml2 does in recovery mode), an unclosed one runs to the
/// end of the input, and a self-closed `<script/>` has no body. When in doubt it keeps bytes:
/// keeping a body costs time, never correctness.
///
/// Works on any ASCII-compatible encoding (UTF-8, Windows-1252), so it runs before decoding.
enum MarkupPrepass {
  /// Attributes kept per start tag.
  static let maximumAttributes = 1000

  /// Start tags kept per document. Each becomes a libxml2 node (with a text node beside it), so
  /// 20 MB of flat `<b>x</b>` would cost about 900 MB; the largest real saved pages have tens of
  /// thousands. Later start tags are dropped, their text kept.
  static let maximumElements = 200_000

  struct Result {
    var bytes: [UInt8]
    /// Whether some start tag had attributes beyond `maximumAttributes` removed.
    var attributesTrimmed = false
    /// Bytes of script and style bodies dropped.
    var droppedBytes = 0
    /// Whether start tags nested deeper than `maximumDepth` were dropped.
    var depthCapped = false
    /// Whether start tags beyond `maximumElements` were dropped.
    var elementsCapped = false
    /// End tags dropped because libxml2 would ignore them, under nesting `strayEndTagDepth` or
    /// more deep (see `OpenElements`).
    var droppedEndTags = 0
  }

  /// Prepares `input` for parsing.
  ///
  /// - Complexity: O(n); text between tags is copied in bulk.
  static func prepare(_ input: UnsafeBufferPointer<UInt8>) -> Result {
    var result = Result(bytes: [])
    guard let base = input.baseAddress, !input.isEmpty else { return result }
    let end = input.count
    result.bytes.reserveCapacity(end)
    // Bytes from `kept` up to the scan position are still to be copied.
    var kept = 0
    var index = 0
    var elements = OpenElements()
    var startTags = 0
    func copy(upTo position: Int) {
      if position > kept {
        result.bytes.append(contentsOf: UnsafeBufferPointer(start: base + kept, count: position - kept))
      }
      kept = max(kept, position)
    }

    while index < end {
      guard let open = find(UInt8(ascii: "<"), in: base, from: index, to: end) else { break }
      index = open + 1
      guard index < end else { break }
      let next = base[index]
      if next == UInt8(ascii: "/") {
        // An end tag runs to the first `>` (libxml2 does not honour quotes there).
        guard index + 1 < end, isLetter(base[index + 1]) else { continue }
        var position = index + 1
        while position < end && isNameByte(base[position]) { position += 1 }
        let hash = nameHash(UnsafeBufferPointer(start: base + index + 1, count: position - index - 1))
        let close = find(UInt8(ascii: ">"), in: base, from: position, to: end).map { $0 + 1 } ?? end
        let depth = elements.depth
        if !elements.end(hash, known: OpenElements.known(hash)), depth >= strayEndTagDepth {
          copy(upTo: open)
          kept = close
          result.droppedEndTags += 1
        }
        index = close
        continue
      }
      if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
        // A comment runs to `-->`; other declarations and processing instructions to `>`.
        let isComment = index + 2 < end && base[index + 1] == UInt8(ascii: "-") && base[index + 2] == UInt8(ascii: "-")
        let close =
          isComment
          ? find("-->", in: base, from: index + 3, to: end) : find(UInt8(ascii: ">"), in: base, from: index, to: end)
        index = close.map { $0 + 1 } ?? end
        continue
      }
      guard isLetter(next) else { continue }

      // A start tag: its name, then attributes up to the `>` outside quotes.
      var position = index
      while position < end && isNameByte(base[position]) { position += 1 }
      let name = UnsafeBufferPointer(start: base + index, count: position - index)
      let hash = nameHash(name)
      let known = OpenElements.known(hash)
      // Where this tag starts in the output, in case it is dropped after a cut was copied.
      let outputStart = result.bytes.count + max(0, open - kept)
      // `/` right before `>` closes the element, unless it ends an unquoted attribute value.
      var unquotedValue = false
      var afterEquals = false
      let rawText: StaticString? = matches(name, "script") ? "script" : matches(name, "style") ? "style" : nil
      var attributes = 0
      var quote: UInt8 = 0
      var cut = false
      var previous: UInt8 = 0
      while position < end {
        let byte = base[position]
        if quote != 0 {
          if byte == quote { quote = 0 }
        } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
          quote = byte
          afterEquals = false
        } else if byte == UInt8(ascii: "=") {
          afterEquals = !unquotedValue
          attributes += 1
          if attributes > maximumAttributes && !cut {
            // Keep the tag up to the white space before this attribute's name; drop the rest.
            var nameStart = position
            while nameStart > index && !isSpace(base[nameStart - 1]) { nameStart -= 1 }
            copy(upTo: nameStart)
            cut = true
            result.attributesTrimmed = true
          }
        } else if byte == UInt8(ascii: ">") {
          break
        } else if isSpace(byte) {
          unquotedValue = false
        } else if afterEquals {
          unquotedValue = true
          afterEquals = false
        }
        if !isSpace(byte) { previous = byte }
        position += 1
      }
      guard position < end else {
        // An unclosed start tag: libxml2 reads the rest as its attributes.
        if cut { kept = end }
        index = end
        break
      }
      let selfClosed = base[position - 1] == UInt8(ascii: "/") && position - 1 > index && !unquotedValue
      // Script and style are never dropped: their bodies would then be read as markup.
      let tooMany = startTags >= Self.maximumElements
      if rawText == nil, tooMany || elements.dropsStart(known: known, selfClosed: selfClosed) {
        // Nested too deep, or one element too many: libxml2 never sees this tag (its text
        // stays, one level up).
        if cut { result.bytes.removeSubrange(outputStart...) } else { copy(upTo: open) }
        kept = position + 1
        index = position + 1
        if tooMany { result.elementsCapped = true } else { result.depthCapped = true }
        continue
      }
      startTags += 1
      elements.start(hash, known: known, selfClosed: selfClosed)
      if cut { kept = position }
      index = position + 1
      guard let rawText, previous != UInt8(ascii: "/") else { continue }
      let bodyEnd = findEndTag(rawText, in: base, from: index, to: end) ?? end
      if contains(base, from: open, to: position, lowercased: "ld+json") {
        // A JSON-LD body is kept whole, and not read as markup.
        index = bodyEnd
        continue
      }
      // A script or style body: drop it up to its end tag (or the end of the input).
      copy(upTo: index)
      result.droppedBytes += bodyEnd - index
      kept = bodyEnd
      index = bodyEnd
    }
    copy(upTo: end)
    return result
  }

  /// `prepare` for an array.
  static func prepare(_ bytes: [UInt8]) -> Result {
    bytes.withUnsafeBufferPointer { prepare($0) }
  }

  // MARK: - Byte helpers

  private static func find(_ byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
    guard start < end, let found = memchr(base + start, Int32(byte), end - start) else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
  }

  private static func find(_ needle: StaticString, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int?
  {
    let bytes = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    var index = start
    while let candidate = find(bytes[0], in: base, from: index, to: end) {
      guard candidate + bytes.count <= end else { return nil }
      if (0..<bytes.count).allSatisfy({ base[candidate + $0] == bytes[$0] }) { return candidate }
      index = candidate + 1
    }
    return nil
  }

  /// The offset of the first `</name` (any case) at or after `start`.
  private static func findEndTag(_ name: StaticString, in base: UnsafePointer<UInt8>, from start: Int, to end: Int)
    -> Int?
  {
    let length = name.utf8CodeUnitCount
    var index = start
    while let candidate = find(UInt8(ascii: "<"), in: base, from: index, to: end) {
      guard candidate + 2 + length <= end else { return nil }
      if base[candidate + 1] == UInt8(ascii: "/"),
        matches(UnsafeBufferPointer(start: base + candidate + 2, count: length), name)
      {
        return candidate
      }
      index = candidate + 1
    }
    return nil
  }

  /// Whether `bytes` spell `lowercase` in any case.
  private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
    guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
    let target = lowercase.utf8Start
    for offset in 0..<bytes.count where lower(bytes[offset]) != target[offset] { return false }
    return true
  }

  /// Whether `base[start..<end]` contains `lowercase` in any case.
  private static func contains(
    _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, lowercased lowercase: StaticString
  ) -> Bool {
    let length = lowercase.utf8CodeUnitCount
    guard end - start >= length else { return false }
    for offset in start...(end - length)
    where matches(UnsafeBufferPointer(start: base + offset, count: length), lowercase) {
      return true
    }
    return false
  }

  private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }

  /// Bytes of an HTML tag name as libxml2 reads it (letters, digits, `_ : . -`).
  private static func isNameByte(_ byte: UInt8) -> Bool {
    isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x3A || byte == 0x2E || byte == 0x2D
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
  }
}
