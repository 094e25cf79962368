/// Recognises section headings and their kinds, for HTML headings, bold lines and plain-text
/// heading lines alike.
package enum SectionClassifier {
  /// Phrases that mark each kind, matched against the lowercased heading (first match in this
  /// order wins, so "nice to have" is not taken for requirements).
  static let cues: [(SectionKind, [String])] = [
    // "About the role" and "About you" are not about the company.
    (
      .responsibilities,
      [
        "about the role", "about this role", "about the job", "about the position",
        "about the opportunity",
      ]
    ),
    (.requirements, ["about you", "bring"]),
    (
      .legal,
      [
        "equal opportunit", "equal employment", "eeo", "diversity", "accommodation", "privacy",
        "disclaimer", "legal", "e-verify", "non-discrimination", "inclusion",
      ]
    ),
    (
      .benefits,
      [
        "benefit", "perks", "what we offer", "we offer", "compensation", "salary", "pay range",
        "why join", "why work", "what's in it for you", "what you get", "what you'll get", "rewards",
      ]
    ),
    (
      .niceToHave,
      [
        "nice to have", "nice-to-have", "preferred", "bonus", "desirable", "plus if", "extra credit",
        "good to have", "would be great",
      ]
    ),
    (
      .about,
      [
        "about us", "about the company", "who we are", "our company", "company overview",
        "our mission", "about the team", "our story", "the company", "about ", "our team",
        "life at", "culture",
      ]
    ),
    (
      .requirements,
      [
        "requirement", "qualification", "what you bring", "what you'll bring", "must have",
        "must-have", "you have", "skills", "experience", "who you are", "looking for", "about you",
        "you are", "you'll need", "you will need", "what we need", "your profile", "profile",
        "competenc", "what it takes", "essential", "criteria",
      ]
    ),
    (
      .responsibilities,
      [
        "responsib", "what you'll do", "what you will do", "what you’ll do", "the role", "your role",
        "duties", "day to day", "day-to-day", "in this role", "your impact", "you will", "you'll",
        "what you'll be doing", "accountabilit", "the job", "the position", "role overview",
        "job description", "key tasks", "your mission", "the opportunity", "scope", "what we expect",
        "tasks", "overview", "summary",
      ]
    ),
  ]

  /// `cues` as UTF-8, for the byte path.
  static let cueBytes: [(SectionKind, [[UInt8]])] = cues.map { kind, phrases in (kind, phrases.map { Array($0.utf8) }) }

  /// The kind a heading names, or `.general` when it names none.
  package static func kind(ofHeading heading: String) -> SectionKind {
    var copy = heading
    if let kind = copy.withUTF8({ bytes in
      SimpleScalars.isSimple(bytes) ? folded(bytes, 0..<bytes.count) { kind(ofFolded: $0) } : nil
    }) {
      return kind
    }
    let lowered = heading.lowercased().replacingApostrophes()
    for (kind, phrases) in cues where phrases.contains(where: { lowered.has($0) }) {
      return kind
    }
    return .general
  }

  /// The kind named by a heading already lowercased with its apostrophes made ASCII
  /// (`folded(_:_:_:)`).
  ///
  /// - Complexity: one pass over `lowered`, comparing at each byte only the phrases that start
  ///   with it.
  static func kind(ofFolded lowered: UnsafeBufferPointer<UInt8>) -> SectionKind {
    let table = cueTable
    var best = Int.max
    for start in 0..<lowered.count {
      for (group, phrase) in table.byFirstByte[Int(lowered[start])] where group < best {
        guard start + phrase.count <= lowered.count else { continue }
        var offset = 1
        while offset < phrase.count && lowered[start + offset] == phrase[offset] { offset += 1 }
        if offset == phrase.count { best = group }
      }
    }
    return best == Int.max ? .general : cueBytes[best].0
  }

  /// The cue phrases by their first byte, each with the index of its group in `cues` (the
  /// first group with a phrase in the heading names its kind).
  struct CueTable: Sendable {
    var byFirstByte: [[(group: Int, phrase: [UInt8])]]
  }

  /// `cueBytes` indexed by first byte.
  static let cueTable: CueTable = {
    var table = [[(group: Int, phrase: [UInt8])]](repeating: [], count: 256)
    for (group, (_, phrases)) in cueBytes.enumerated() {
      for phrase in phrases { table[Int(phrase[0])].append((group, phrase)) }
    }
    return CueTable(byFirstByte: table)
  }()

  /// Calls `body` with simple text `bytes[range]` lowercased and with typographic apostrophes
  /// (U+2018, U+2019) made ASCII: `lowercased().replacingApostrophes()` as far as ASCII phrases
  /// can tell (see `SimpleScalars`: the lowercase of its other scalars holds no ASCII).
  static func folded<Result>(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
  ) -> Result {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(range.count, 1)) { buffer in
      var count = 0
      var index = range.lowerBound
      while index < range.upperBound {
        let byte = bytes[index]
        if byte == 0xE2 && index + 2 < range.upperBound && bytes[index + 1] == 0x80
          && (bytes[index + 2] == 0x98 || bytes[index + 2] == 0x99)
        {
          buffer[count] = 0x27
          count += 1
          index += 3
          continue
        }
        buffer[count] = UTF8Text.lowerASCII(byte)
        count += 1
        index += 1
      }
      return body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
    }
  }

  /// The phrases `isLegalBoilerplate` looks for, as UTF-8.
  static let boilerplatePhrases: [[UInt8]] = [
    "equal opportunity employer", "equal employment opportunity", "without regard to race", "regardless of race",
  ].map { Array($0.utf8) }

  /// Kind of an unheaded paragraph that is plainly legal boilerplate.
  static func isLegalBoilerplate(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { isLegalBoilerplate($0, 0..<$0.count) }
  }

  /// `isLegalBoilerplate` of the UTF-8 `bytes[range]`: its phrases searched with ASCII case
  /// folding, which finds what `lowercased().has(_:)` finds for any text (the phrases hold no
  /// `k`, the lowercase ASCII of U+212A, and none ends in the `i` U+0130 lowercases to before
  /// its combining dot).
  ///
  /// - Complexity: O(n) in practice.
  static func isLegalBoilerplate(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    // Each phrase has one `q` or one `g`, at a known offset: the phrases are compared only
    // where the line has one of those letters (a few per line), in one pass over it.
    var index = range.lowerBound
    while index < range.upperBound {
      let letter = bytes[index] | 0x20
      if letter == 0x71 || letter == 0x67 {
        for (phrase, anchor) in boilerplateAnchors where phrase[anchor] == letter && index - anchor >= range.lowerBound
        {
          let start = index - anchor
          guard start + phrase.count <= range.upperBound else { continue }
          var offset = 0
          while offset < phrase.count && UTF8Text.lowerASCII(bytes[start + offset]) == phrase[offset] { offset += 1 }
          if offset == phrase.count { return true }
        }
      }
      index += 1
    }
    return false
  }

  /// Each of `boilerplatePhrases` with the offset of its only `q` or `g`.
  static let boilerplateAnchors: [(phrase: [UInt8], anchor: Int)] = boilerplatePhrases.map { phrase in
    let anchors = phrase.indices.filter { phrase[$0] == 0x71 || phrase[$0] == 0x67 }
    precondition(anchors.count == 1, "a boilerplate phrase needs exactly one q or g")
    return (phrase, anchors[0])
  }

  /// Whole lines that are section headings in postings (compared lowercased, without a
  /// trailing colon).
  static let knownHeadings: Set<String> = [
    "responsibilities", "key responsibilities", "duties", "what you'll do", "what you will do",
    "what you'll be doing", "the role", "your role", "about the role", "role overview", "the job",
    "job description", "overview", "summary", "requirements", "qualifications",
    "minimum qualifications", "basic qualifications", "preferred qualifications", "skills",
    "experience", "what you bring", "what you'll bring", "what you will bring", "who you are",
    "about you", "what we're looking for", "what we are looking for", "must have", "must-haves",
    "nice to have", "nice-to-have", "bonus points", "benefits", "perks", "what we offer",
    "compensation", "about us", "about the company", "who we are", "our mission", "equal opportunity",
    "the team", "about the team", "your profile", "your tasks", "tasks",
  ]

  /// Whether a line of plain text (or a bold-only paragraph) reads as a heading: a short line
  /// ending in a colon, a short line in capitals, a known heading ("Responsibilities"), or a
  /// short Title Case line that starts by naming a kind ("Preferred Qualifications"). Ordinary
  /// short lines ("Strong communication skills") are text.
  package static func looksLikeHeading(_ line: String) -> Bool {
    var copy = line
    if let answer = copy.withUTF8({ bytes in
      SimpleScalars.isSimple(bytes) ? looksLikeHeading(simple: bytes, 0..<bytes.count) : nil
    }) {
      return answer
    }
    var text = line.trimmingWhitespace()
    guard !text.isEmpty, text.count <= 70 else { return false }
    let endsWithColon = text.hasSuffix(":")
    if endsWithColon { text.removeLast() }
    let words = text.split(whereSeparator: { $0 == " " })
    guard words.count <= 8, let last = text.last else { return false }
    if ".,;!".contains(last) { return false }
    if endsWithColon { return true }
    let letters = text.filter(\.isLetter)
    if letters.count >= 4 && letters.allSatisfy({ $0.isUppercase }) { return true }
    let lowered = text.lowercased().replacingApostrophes()
    if knownHeadings.contains(lowered) { return true }
    guard words.count <= 5, !text.contains(where: \.isNumber), kind(ofHeading: text) != .general else { return false }
    let startsWithCue = cues.contains { _, phrases in phrases.contains { lowered.hasPrefix($0) } }
    let titleCase = words.allSatisfy { word in word.count < 4 || word.first?.isUppercase == true }
    return startsWithCue && titleCase
  }

  /// `looksLikeHeading` of simple text (`SimpleScalars.isSimple`) `bytes[range]`, in one pass
  /// over the bytes for the usual line (most lines fail on their length, word count or last
  /// character) and a few over a short candidate.
  ///
  /// - Complexity: O(n) in the line's bytes.
  static func looksLikeHeading(simple bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
    // More than 280 bytes are more than 70 scalars (a paragraph, the usual line): no count.
    var range = UTF8Text.trimmed(bytes, line)
    guard !range.isEmpty, range.count <= 70 || (range.count <= 280 && UTF8Text.scalarCount(bytes, range) <= 70)
    else { return false }
    let endsWithColon = bytes[range.upperBound - 1] == 0x3A
    if endsWithColon { range = range.lowerBound..<(range.upperBound - 1) }
    // Words: runs of bytes other than the space (in simple text only U+0020 is `" "`).
    var words = 0
    var inWord = false
    for index in range {
      if bytes[index] == 0x20 {
        inWord = false
      } else if !inWord {
        inWord = true
        words += 1
      }
    }
    guard words <= 8, !range.isEmpty else { return false }
    // The last Character is the last scalar; a non-ASCII one ends in a continuation byte.
    switch bytes[range.upperBound - 1] {
    case 0x2E, 0x2C, 0x3B, 0x21: return false
    default: break
    }
    if endsWithColon { return true }
    if isCapitals(bytes, range) { return true }
    return folded(bytes, range) { lowered in
      if knownHeadings.contains(UTF8Text.string(lowered, 0..<lowered.count)) { return true }
      guard words <= 5, !holdsNumber(bytes, range), kind(ofFolded: lowered) != .general else { return false }
      let startsWithCue = cueBytes.contains { _, phrases in
        phrases.contains { $0.count <= lowered.count && UTF8Text.equals(lowered, 0..<$0.count, $0) }
      }
      return startsWithCue && isTitleCase(bytes, range)
    }
  }

  /// Whether simple text `bytes[range]` has at least four letters, all capitals.
  private static func isCapitals(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    var letters = 0
    var index = range.lowerBound
    while index < range.upperBound {
      let byte = bytes[index]
      if byte < 0x80 {
        if byte &- 0x61 < 26 { return false }
        if byte &- 0x41 < 26 { letters += 1 }
        index += 1
        continue
      }
      let (value, length) = UTF8Text.scalar(in: bytes, at: index)
      let character = Character(Unicode.Scalar(value) ?? "\u{FFFD}")
      if character.isLetter {
        if !character.isUppercase { return false }
        letters += 1
      }
      index += length
    }
    return letters >= 4
  }

  /// Whether simple text `bytes[range]` holds a Character that is a number.
  private static func holdsNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    var index = range.lowerBound
    while index < range.upperBound {
      let byte = bytes[index]
      if byte < 0x80 {
        if byte &- 0x30 < 10 { return true }
        index += 1
        continue
      }
      let (value, length) = UTF8Text.scalar(in: bytes, at: index)
      if Character(Unicode.Scalar(value) ?? "\u{FFFD}").isNumber { return true }
      index += length
    }
    return false
  }

  /// Whether every space-separated word of simple text `bytes[range]` is shorter than four
  /// Characters or starts with a capital.
  private static func isTitleCase(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    var index = range.lowerBound
    while index < range.upperBound {
      if bytes[index] == 0x20 {
        index += 1
        continue
      }
      var end = index
      while end < range.upperBound && bytes[end] != 0x20 { end += 1 }
      if UTF8Text.scalarCount(bytes, index..<end) >= 4 {
        let (value, _) = UTF8Text.scalar(in: bytes, at: index)
        let isCapital = value < 0x80 ? value &- 0x41 < 26 : Character(Unicode.Scalar(value) ?? "\u{FFFD}").isUppercase
        if !isCapital { return false }
      }
      index = end
    }
    return true
  }
}

extension String {
  /// Replaces typographic apostrophes with ASCII ones, so "What you’ll do" matches cues.
  func replacingApostrophes() -> String {
    guard contains(where: { $0 == "\u{2019}" || $0 == "\u{2018}" }) else { return self }
    return String(map { $0 == "\u{2019}" || $0 == "\u{2018}" ? "'" : $0 })
  }
}
