/// The kind of a posting section, recognised from its heading (or, for unheaded legal
/// boilerplate, from its text). Later stages weight kinds differently: responsibilities and
/// requirements are evidence of the role, "about us", benefits and legal text are not.
public enum SectionKind: String, CaseIterable, Sendable, Hashable, Codable {
  /// Text before any recognised heading, or under a heading that names no known kind.
  case general
  /// What the person will do: "Responsibilities", "What you'll do", "The role".
  case responsibilities
  /// What the person must bring: "Requirements", "Qualifications", "About you".
  case requirements
  /// "Nice to have", "Preferred qualifications", "Bonus points".
  case niceToHave = "nice-to-have"
  /// "About us", "Who we are", "Our mission".
  case about
  /// "Benefits", "Perks", "What we offer", compensation.
  case benefits
  /// Equal-opportunity, accommodation, privacy and other legal text.
  case legal
}

/// One section of a posting's body: an optional heading and the text under it.
public struct PostingSection: Hashable, Sendable, Codable {
  /// The heading as written ("What you'll do"), or empty for text before the first heading.
  public var heading: String
  /// The kind recognised from the heading or text.
  public var kind: SectionKind
  /// The section's text: one block (paragraph, list item) per line.
  public var text: String

  /// A section with `heading` ("" for none) of `kind` holding `text`.
  public init(heading: String, kind: SectionKind, text: String) {
    self.heading = heading
    self.kind = kind
    self.text = text
  }
}

/// How an input was read.
public enum InputFormat: String, Sendable, Hashable, Codable, CaseIterable {
  /// HTML (`.html`, `.htm`, `.xhtml`, `.shtml`): main content extracted with libxml2.
  case html
  /// Plain text (`.txt`, `.text`).
  case text
  /// Markdown (`.md`, `.markdown`), read like plain text with `#` headings.
  case markdown
  /// A CSV dataset with a header row: one posting per row.
  case csv
  /// JSON Lines (`.jsonl`, `.ndjson`): one posting object per line.
  case jsonl
  /// A JSON array of posting objects, or an object holding one.
  case json
}

/// How a posting was read, for run statistics.
public struct IngestFacts: Hashable, Sendable {
  /// The encoding the bytes were decoded from.
  public var encoding = "UTF-8"
  /// Whether a schema.org JobPosting in JSON-LD supplied the posting.
  public var usedJobPostingMarkup = false
  /// Double-encoded UTF-8 sequences repaired.
  public var mojibakeRepairs = 0

  /// Facts of a posting read from UTF-8, without JSON-LD or repairs.
  public init() {}
}

/// A job posting extracted from one input file (or one row of a dataset file).
///
/// A posting from `PostingReader` carries no control character except line feeds and tabs in
/// its body and the line breaks and tab CSV and JSON escape in `id` and `path`: the others are
/// replaced by visible characters, with a warning (`replaceControlCharacters`).
public struct Posting: Hashable, Sendable {
  /// Stable identifier: the path relative to its input root, plus `#row` for dataset rows.
  public var id: String
  /// The path as given or found while walking the inputs.
  public var path: String
  /// The 1-based data row for dataset files; `nil` for one-posting files.
  public var row: Int?
  /// The format of the file the posting was read from (for a dataset row, the dataset's).
  public var format: InputFormat
  /// The job title, white space collapsed; empty when none was found (the posting then carries a
  /// warning).
  public var title: String
  /// The hiring company, when the input names one (JSON-LD, a `Company:` line, a dataset column).
  public var company: String?
  /// The job's location, when the input names one.
  public var location: String?
  /// The date the posting was published, as an ISO 8601 date (`2021-03-12`), when the input
  /// states one that `PostingDate` reads unambiguously (an unreadable date is a warning).
  public var datePosted: String?
  /// Where the posting was published, when the input says: a dataset's `site`/`source`
  /// column, or a page's `og:site_name`.
  public var source: String?
  /// The dataset columns kept for `postings.csv` (`IngestOptions.keepColumns`), in that order;
  /// empty for postings that are not dataset rows.
  public var columns: [String] = []
  /// The body as ordered sections.
  public var sections: [PostingSection]
  /// Things the extractor noticed but recovered from (bad JSON-LD, encoding fallback...).
  public var warnings: [String]
  /// How the posting was read.
  public var facts = IngestFacts()

  /// A posting with the given fields and `IngestFacts()`; `sections` in reading order.
  public init(
    id: String, path: String, row: Int? = nil, format: InputFormat, title: String,
    company: String? = nil, location: String? = nil, datePosted: String? = nil,
    sections: [PostingSection], warnings: [String] = []
  ) {
    self.id = id
    self.path = path
    self.row = row
    self.format = format
    self.title = title
    self.company = company
    self.location = location
    self.datePosted = datePosted
    self.sections = sections
    self.warnings = warnings
  }

  /// The whole main text, title excluded: sections joined by blank lines, each section's
  /// heading on its own line before its text.
  public var text: String {
    sections.map { section in
      section.heading.isEmpty ? section.text : section.heading + "\n" + section.text
    }.joined(separator: "\n\n")
  }
}
