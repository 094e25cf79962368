import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

/// A schema.org `JobPosting` in JSON-LD is the best source of a page's title, company,
/// location, date and description.
@Suite("schema.org JobPosting JSON-LD")
struct JobPostingMarkupTests {
  @Test("a plain JobPosting object gives title, company, address location and date")
  func plainObjectFields() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-object.html"))
    #expect(posting.title == "Technical Program Manager, Fleet Software")
    #expect(posting.company == "Orchard Robotics")
    #expect(posting.location == "Fresno, CA, US")
    #expect(posting.datePosted == "2024-05-14")
    #expect(posting.warnings.isEmpty)
  }

  @Test("the JSON-LD description replaces the page text and keeps its headings and lists")
  func descriptionBecomesSections() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-object.html"))
    #expect(!posting.text.contains("Loading the job description"))
    #expect(!posting.text.contains("Use the filters"))
    let outline = posting.sections.map { "\($0.kind.rawValue): \($0.heading)" }
    #expect(
      outline == [
        "general: ", "responsibilities: Responsibilities", "requirements: Qualifications",
      ])
    let responsibilities = try #require(Ingest.section("Responsibilities", in: posting))
    #expect(
      responsibilities.text == """
        Drive cross-functional programs spanning perception, controls and cloud teams.
        Own the release train for fleet software updates and the launch checklist for each season.
        """)
  }

  @Test("a JobPosting inside @graph is found, and several places join into one location")
  func graphPosting() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-graph.html"))
    #expect(posting.title == "Delivery Manager")
    #expect(posting.company == "Civic Digital Partners")
    #expect(posting.location == "Manchester, GB; Bristol, GB")
    #expect(posting.datePosted == "2024-03-02")
    let section = try #require(Ingest.section("What you'll do", in: posting))
    #expect(section.kind == .responsibilities)
    #expect(section.text.contains("kanban board"))
  }

  @Test(
    "a JobPosting in a top-level array is found; a plain-string hiringOrganization is the company")
  func topLevelArrayPosting() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-array.html"))
    #expect(posting.title == "Engineering Manager, Billing Platform")
    #expect(posting.company == "Tessellate")
    #expect(posting.location == "Lisbon, PT")
    #expect(posting.datePosted == "2024-06-20")
    #expect(posting.text.contains("hold weekly one-on-ones"))
    #expect(!posting.text.contains("Tessellate is hiring."))
  }

  @Test("an HTML-escaped description (&lt;p&gt;) is read as markup, not as literal tags")
  func escapedDescription() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-escaped-remote.html"))
    #expect(!posting.text.contains("<p>"))
    #expect(!posting.text.contains("<li>"))
    #expect(!posting.text.contains("&lt;"))
    let section = try #require(Ingest.section("What you will do", in: posting))
    #expect(section.kind == .responsibilities)
    #expect(
      section.text.split(separator: "\n") == [
        "Own the API roadmap and the versioning policy.",
        "Talk to developers every week and turn their feedback into specifications.",
        "Work with developer relations on documentation and sample code.",
      ])
  }

  @Test("jobLocationType TELECOMMUTE makes the location Remote")
  func telecommuteIsRemote() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-escaped-remote.html"))
    #expect(posting.location == "Remote")
    #expect(posting.title == "Technical Product Manager, Public API")
    #expect(posting.company == "Quillstack")
  }

  @Test("a remote posting with an office address lists both")
  func telecommuteWithAddress() throws {
    let html = """
      <html><head><script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "JobPosting", "title": "Program Manager, Grants",
       "hiringOrganization": {"@type": "Organization", "name": "Riverside Community Trust"},
       "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Leeds", "addressCountry": "GB"}},
       "jobLocationType": "TELECOMMUTE"}
      </script></head><body><h1>Program Manager, Grants</h1>
      <p>Riverside Community Trust funds forty youth programmes across Yorkshire and needs someone to run the grant portfolio.</p>
      </body></html>
      """
    let posting = try Ingest.posting(html: html)
    #expect(posting.location == "Leeds, GB; Remote")
  }

  @Test("malformed JSON-LD gives a warning and the page text is used")
  func malformedJSONLD() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-malformed.html"))
    #expect(posting.warnings.contains { $0.contains("JSON-LD") })
    #expect(posting.title == "Project Manager, Commercial Fit-outs")
    #expect(posting.company == nil)
    let responsibilities = try #require(Ingest.section("Responsibilities", in: posting))
    #expect(responsibilities.text.contains("Manage project budgets, schedules and subcontractors"))
  }

  @Test(
    "a JSON-LD description too short to be a posting leaves the page text in place, with a warning")
  func shortDescriptionKeepsPageText() throws {
    let html = """
      <html><head><script type="application/ld+json">
      {"@type": "JobPosting", "title": "Scrum Master", "description": "See below."}
      </script></head><body>
      <h1>Scrum Master</h1>
      <p>Palisade Insurance needs a scrum master for two claims-platform teams in our Dublin office.</p>
      <h2>Responsibilities</h2><ul><li>Facilitate planning, reviews and retrospectives for both teams.</li></ul>
      </body></html>
      """
    let posting = try Ingest.posting(html: html)
    #expect(posting.text.contains("Facilitate planning, reviews and retrospectives"))
    #expect(posting.warnings.contains { $0.contains("description") })
  }

  @Test("JSON-LD of other types only (an Organization) leaves the page as the source")
  func nonJobPostingMarkupIsIgnored() throws {
    let html = """
      <html><head><script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "Organization", "name": "Palisade Insurance", "url": "https://palisade.example"}
      </script></head><body>
      <h1>Claims Platform Product Manager</h1>
      <p>Palisade Insurance is rebuilding how customers report and track a claim, starting with the mobile app.</p>
      </body></html>
      """
    let posting = try Ingest.posting(html: html)
    #expect(posting.title == "Claims Platform Product Manager")
    #expect(posting.company == nil)
    #expect(posting.warnings.isEmpty)
  }

  @Test("a plain-text JSON-LD description keeps its lines and headings")
  func plainTextDescriptionKeepsItsLines() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-plain-description.html"))
    let responsibilities = try #require(Ingest.section("Responsibilities", in: posting))
    #expect(responsibilities.kind == .responsibilities)
    #expect(responsibilities.text.split(separator: "\n").count == 3)
    #expect(!responsibilities.text.contains("PMP"))
    let requirements = try #require(Ingest.section("Requirements", in: posting))
    #expect(requirements.text.contains("PMP or PRINCE2 certification"))
  }

  @Test("HTML entities in JSON-LD company and location are decoded")
  func entitiesInCompanyAndLocationAreDecoded() throws {
    let posting = try Ingest.posting(html: try Ingest.fixtureText("jsonld-plain-description.html"))
    #expect(posting.company == "Smith & Sons Distribution")
    #expect(posting.location == "Köln, DE")
  }

  @Test("an HTML entity in a JSON-LD title is decoded")
  func entityInTitleIsDecoded() throws {
    let html = """
      <html><head><script type="application/ld+json">
      {"@type": "JobPosting", "title": "R&amp;D Project Manager &ndash; Medical Devices"}
      </script></head><body><h1>R&amp;D Project Manager</h1>
      <p>Corvale Medical designs infusion pumps and needs someone to run the R&amp;D project portfolio.</p>
      </body></html>
      """
    #expect(try Ingest.posting(html: html).title == "R&D Project Manager – Medical Devices")
  }
}
