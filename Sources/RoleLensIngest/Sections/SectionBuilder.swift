/// Groups a posting's lines into ordered sections by heading.
///
/// The current section's text is kept as UTF-8 bytes, its lines joined by line feeds as they
/// come, so a section costs one `String` when it is closed, however many lines it has.
struct SectionBuilder {
  private(set) var sections: [PostingSection] = []
  private var heading = ""
  private var kind = SectionKind.general
  /// The current section's lines, joined by line feeds.
  private var text: [UInt8] = []
  /// Whether the current section has a line (an empty line still makes a section).
  private var hasLines = false

  /// Starts a new section under `heading`.
  mutating func startSection(heading newHeading: String) {
    finishSection()
    heading = newHeading
    kind = SectionClassifier.kind(ofHeading: newHeading)
  }

  /// Adds a line of text to the current section. An unheaded paragraph of equal-opportunity
  /// text becomes a legal section of its own, so it is not counted as evidence.
  mutating func add(line: String) {
    var copy = line
    copy.withUTF8 { add(line: $0, 0..<$0.count) }
  }

  /// `add(line:)` of the UTF-8 line `bytes[range]`.
  mutating func add(line bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
    if kind != .legal, SectionClassifier.isLegalBoilerplate(bytes, range) {
      let (savedHeading, savedKind) = (heading, kind)
      finishSection()
      sections.append(PostingSection(heading: "", kind: .legal, text: UTF8Text.string(bytes, range)))
      (heading, kind) = (savedHeading, savedKind)
      return
    }
    if hasLines { text.append(0x0A) }
    text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
    hasLines = true
  }

  /// Ends the current section. A heading with no text under it is dropped: it carries no
  /// evidence, and the next heading starts the next section.
  private mutating func finishSection() {
    if hasLines {
      sections.append(PostingSection(heading: heading, kind: kind, text: String(decoding: text, as: UTF8.self)))
    }
    text.removeAll(keepingCapacity: true)
    hasLines = false
    heading = ""
    kind = .general
  }

  /// The sections, with the last one closed.
  mutating func build() -> [PostingSection] {
    finishSection()
    return sections
  }
}
