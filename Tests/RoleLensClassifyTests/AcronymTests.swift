import Foundation
import RoleLensIngest
import Testing

@testable import RoleLensClassify

/// Acronyms in titles are read from the words around them: a "TPM" can be a technical
/// program, project or product manager.
@Suite("Acronyms in context")
struct AcronymTests {
  struct Reading: Sendable, CustomTestStringConvertible {
    var title: String
    var body: String
    var acronym: String
    var expansion: String
    var role: Role
    var testDescription: String { "\(title) → \(expansion)" }
  }

  static let readings: [Reading] = [
    Reading(
      title: "TPM",
      body: """
        Drive cross-functional programs across our storage and networking teams.
        Own program execution and program status for three launches at scale.
        Keep the portfolio of infrastructure programs on track.
        """,
      acronym: "tpm", expansion: "technical program manager", role: .technicalProgramManager),
    Reading(
      title: "Senior TPM",
      body: """
        Own the project plan, schedule and budget for the ERP rollout.
        Track project scope and the projects' milestones, and report project risks weekly.
        """,
      acronym: "tpm", expansion: "technical project manager", role: .technicalProjectManager),
    Reading(
      title: "TPM, Developer Platform",
      body: """
        Own the product roadmap for our public APIs and SDKs.
        Talk to customers every week and run product discovery with design.
        Improve the developer experience of our customers' integration teams.
        """,
      acronym: "tpm", expansion: "technical product manager", role: .technicalProductManager),
    Reading(
      title: "PM - Payments",
      body: """
        Own the product roadmap for card payments and talk to customers every week.
        Run discovery and user research, and decide which features we build next.
        """,
      acronym: "pm", expansion: "product manager", role: .productManager),
    Reading(
      title: "PM (Construction)",
      body: """
        Run the project schedule and budget for two school builds.
        Keep the project scope, deliverables and change orders under control; PMP preferred.
        """,
      acronym: "pm", expansion: "project manager", role: .projectManager),
  ]

  @Test("an acronym title is read from the cue words in the posting", arguments: readings)
  func acronymReadFromContext(_ example: Reading) throws {
    let posting = Classify.posting(example.title, [(.responsibilities, example.body)])
    let result = try Classify.classify(posting)
    #expect(result.acronymReadings[example.acronym] == example.expansion)
    #expect(result.role == example.role)
  }

  @Test(
    "the reading shows in the explanation as the title pattern that matched", arguments: readings)
  func readingInEvidence(_ example: Reading) throws {
    let posting = Classify.posting(example.title, [(.responsibilities, example.body)])
    let result = try Classify.classify(posting, explain: true)
    #expect(
      result.evidence.contains {
        $0.source == .title && $0.role == example.role && $0.phrase == example.expansion
      })
  }

  @Test("a TPM posting with no cue words takes the first reading, technical program manager")
  func ambiguousTakesFirstReading() throws {
    let posting = Classify.posting(
      "TPM", [(.general, "Join our Austin office. Friendly colleagues and a good coffee machine.")])
    let result = try Classify.classify(posting)
    #expect(result.acronymReadings["tpm"] == "technical program manager")
    #expect(result.role == .technicalProgramManager)
  }

  @Test("a posting without acronyms has no acronym readings")
  func noAcronymNoReading() throws {
    let posting = Classify.posting("Technical Project Manager", Classify.productBody)
    #expect(try Classify.classify(posting).acronymReadings.isEmpty)
  }

  @Test("cue words in the about-us section still tell which TPM is meant")
  func cuesAreReadAcrossThePosting() throws {
    // The reading is a property of the posting, not evidence of a role.
    let posting = Classify.posting(
      "TPM",
      [
        (
          .about,
          "We build software for construction projects: project plans, schedules and budgets."
        ),
        (.general, "Join our Austin office."),
      ])
    #expect(try Classify.classify(posting).acronymReadings["tpm"] == "technical project manager")
  }
}
