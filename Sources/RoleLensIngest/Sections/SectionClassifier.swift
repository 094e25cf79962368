/// Recognises section headings and their kinds, for HTML headings, bold lines and plain-text
/// heading lines alike.
package enum SectionClassifier {
  /// Phrases that mark each kind, matched against the lowercased heading (first match in this
  /// order wins, so "nice to have" is not taken for requirements).
  static let cues: [(SectionKind, [String])] = [
    // "About the role" and "About you" are not about the company.
    (.responsibilities, [
      "about the role", "about this role", "about the job", "about the position",
      "about the opportunity",
    ]),
    (.requirements, ["about you", "bring"]),
    (.legal, [
      "equal opportunit", "equal employment", "eeo", "diversity", "accommodation", "privacy",
      "disclaimer", "legal", "e-verify", "non-discrimination", "inclusion",
    ]),
    (.benefits, [
      "benefit", "perks", "what we offer", "we offer", "compensation", "salary", "pay range",
      "why join", "why work", "what's in it for you", "what you get", "what you'll get", "rewards",
    ]),
    (.niceToHave, [
      "nice to have", "nice-to-have", "preferred", "bonus", "desirable", "plus if", "extra credit",
      "good to have", "would be great",
    ]),
    (.about, [
      "about us", "about the company", "who we are", "our company", "company overview",
      "our mission", "about the team", "our story", "the company", "about ", "our team",
      "life at", "culture",
    ]),
    (.requirements, [
      "requirement", "qualification", "what you bring", "what you'll bring", "must have",
      "must-have", "you have", "skills", "experience", "who you are", "looking for", "about you",
      "you are", "you'll need", "you will need", "what we need", "your profile", "profile",
      "competenc", "what it takes", "essential", "criteria",
    ]),
    (.responsibilities, [
      "responsib", "what you'll do", "what you will do", "what you’ll do", "the role", "your role",
      "duties", "day to day", "day-to-day", "in this role", "your impact", "you will", "you'll",
      "what you'll be doing", "accountabilit", "the job", "the position", "role overview",
      "job description", "key tasks", "your mission", "the opportunity", "scope", "what we expect",
      "tasks", "overview", "summary",
    ]),
  ]

  /// The kind a heading names, or `.general` when it names none.
  package static func kind(ofHeading heading: String) -> SectionKind {
    let lowered = heading.lowercased().replacingApostrophes()
    for (kind, phrases) in cues where phrases.contains(where: { lowered.has($0) }) {
      return kind
    }
    return .general
  }

  /// Kind of an unheaded paragraph that is plainly legal boilerplate.
  static func isLegalBoilerplate(_ text: String) -> Bool {
    let lowered = text.lowercased()
    return lowered.has("equal opportunity employer") || lowered.has("equal employment opportunity")
      || lowered.has("without regard to race") || lowered.has("regardless of race")
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
}

extension String {
  /// Replaces typographic apostrophes with ASCII ones, so "What you’ll do" matches cues.
  func replacingApostrophes() -> String {
    guard contains(where: { $0 == "\u{2019}" || $0 == "\u{2018}" }) else { return self }
    return String(map { $0 == "\u{2019}" || $0 == "\u{2018}" ? "'" : $0 })
  }
}
