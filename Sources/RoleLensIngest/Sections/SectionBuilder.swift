/// Groups a posting's lines into ordered sections by heading.
struct SectionBuilder {
  private(set) var sections: [PostingSection] = []
  private var heading = ""
  private var kind = SectionKind.general
  private var lines: [String] = []

  /// Starts a new section under `heading`.
  mutating func startSection(heading newHeading: String) {
    finishSection()
    heading = newHeading
    kind = SectionClassifier.kind(ofHeading: newHeading)
  }

  /// Adds a line of text to the current section. An unheaded paragraph of equal-opportunity
  /// text becomes a legal section of its own, so it is not counted as evidence.
  mutating func add(line: String) {
    if kind != .legal, SectionClassifier.isLegalBoilerplate(line) {
      let (savedHeading, savedKind) = (heading, kind)
      finishSection()
      sections.append(PostingSection(heading: "", kind: .legal, text: line))
      (heading, kind) = (savedHeading, savedKind)
      return
    }
    lines.append(line)
  }

  /// Ends the current section. A heading with no text under it is dropped: it carries no
  /// evidence, and the next heading starts the next section.
  private mutating func finishSection() {
    if !lines.isEmpty {
      sections.append(PostingSection(heading: heading, kind: kind, text: lines.joined(separator: "\n")))
    }
    lines = []
    heading = ""
    kind = .general
  }

  /// The sections, with the last one closed.
  mutating func build() -> [PostingSection] {
    finishSection()
    return sections
  }
}
