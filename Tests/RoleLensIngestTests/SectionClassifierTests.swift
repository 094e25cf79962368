import Testing

@testable import RoleLensIngest

/// Section kinds decide what counts as evidence of a role, so the headings postings really use
/// must land in the right kind.
@Suite("Section headings")
struct SectionClassifierTests {
  @Test(
    "headings postings use are recognised as their kind",
    arguments: [
      ("Responsibilities", SectionKind.responsibilities),
      ("Key Responsibilities", .responsibilities),
      ("What you'll do", .responsibilities),
      ("What You’ll Do", .responsibilities),
      ("About the role", .responsibilities),
      ("The Role", .responsibilities),
      ("Day-to-day", .responsibilities),
      ("Requirements", .requirements),
      ("Minimum Qualifications", .requirements),
      ("About you", .requirements),
      ("What you'll bring", .requirements),
      ("Who you are", .requirements),
      ("Skills and experience", .requirements),
      ("What we're looking for", .requirements),
      ("Nice to have", .niceToHave),
      ("Nice-to-haves", .niceToHave),
      ("Preferred qualifications", .niceToHave),
      ("Bonus points", .niceToHave),
      ("About us", .about),
      ("About Mendel Health", .about),
      ("Who we are", .about),
      ("Our mission", .about),
      ("Benefits", .benefits),
      ("Perks", .benefits),
      ("What we offer", .benefits),
      ("Salary and benefits", .benefits),
      ("Why join us?", .benefits),
      ("Equal Opportunity Employer", .legal),
      ("EEO statement", .legal),
      ("Reasonable accommodations", .legal),
      ("Privacy notice", .legal),
      ("How to apply", .general),
      ("Job details", .general),
    ])
  func headingKind(heading: String, kind: SectionKind) {
    #expect(SectionClassifier.kind(ofHeading: heading) == kind)
  }

  @Test("'What you will bring' names requirements, like 'What you'll bring'")
  func longFormOfWhatYoullBring() {
    #expect(SectionClassifier.kind(ofHeading: "What you will bring") == .requirements)
    #expect(SectionClassifier.kind(ofHeading: "WHAT YOU WILL BRING") == .requirements)
  }

  @Test(
    "short lines in capitals, ending in a colon or naming a kind read as headings",
    arguments: ["Responsibilities:", "WHAT YOU WILL DO", "About us", "Benefits", "Our stack:"])
  func headingLines(line: String) {
    #expect(SectionClassifier.looksLikeHeading(line))
  }

  @Test(
    "sentences and long lines do not read as headings",
    arguments: [
      "You will own the delivery plan for three product teams.",
      "We offer a pension, private health cover and 28 days of holiday, plus your birthday off.",
      "Work with stakeholders, engineers and designers, every day",
      "",
    ])
  func sentencesAreNotHeadings(line: String) {
    #expect(!SectionClassifier.looksLikeHeading(line))
  }
}
