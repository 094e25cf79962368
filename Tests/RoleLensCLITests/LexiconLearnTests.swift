import Foundation
import Testing
import _RoleLensTestSupport

/// `rolelens lexicon learn`, end to end through the binary, on small corpora whose answer is
/// known.
@Suite("rolelens lexicon learn")
struct LexiconLearnTests {
  static let filler = [
    "budgets", "vendors", "dashboards", "onboarding", "forecasts", "audits", "workshops", "migrations", "payroll",
    "inventory", "compliance", "pricing", "analytics", "hiring", "training", "reporting", "contracts", "surveys",
    "invoices", "logistics", "warehouses", "suppliers", "newsletters", "campaigns",
  ]
  static let verbs = ["review", "plan", "track", "present", "draft", "update", "share", "check", "lead", "support"]

  /// A folder of text postings: `count` per (title, word). Each body is six sentences of
  /// different filler words (so no two postings are near-copies, which would be one cluster)
  /// and uses its `word` twice: the word is what tells the roles apart.
  static func corpus(_ groups: [(title: String, word: String, count: Int)]) throws -> URL {
    let folder = try TestSupport.temporaryFolder()
    var number = 0
    for group in groups {
      for _ in 0..<group.count {
        number += 1
        var lines: [String] = []
        for sentence in 0..<6 {
          let n = number * 7 + sentence * 3
          let verb = verbs[(n + sentence) % verbs.count]
          let first = filler[n % filler.count]
          let second = filler[(n * 5 + 3) % filler.count]
          let object = sentence == 1 || sentence == 4 ? group.word : filler[(n * 11 + 7) % filler.count]
          lines.append("- \(verb.capitalized) \(first) with \(second) and the \(object).")
        }
        let text = "\(group.title)\n\nResponsibilities:\n" + lines.joined(separator: "\n") + "\n"
        try text.write(
          to: folder.appendingPathComponent("posting-\(number).txt"), atomically: true, encoding: .utf8)
      }
    }
    return folder
  }

  static func phrases(_ yaml: String, role: String, list: String = "phrases") -> [String: Double] {
    var result: [String: Double] = [:]
    var inRole = false
    var inList = false
    for line in yaml.components(separatedBy: "\n") {
      if line.hasPrefix("  ") && !line.hasPrefix("   ") {
        inRole = line.trimmingCharacters(in: .whitespaces) == role + ":"
        inList = false
      } else if inRole && line.hasPrefix("    ") && !line.hasPrefix("     ") {
        inList = line.trimmingCharacters(in: .whitespaces) == list + ":"
      } else if inRole && inList && line.hasPrefix("      ") {
        let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: ": ")
        if parts.count == 2, let weight = Double(parts[1]) {
          result[parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "\""))] = weight
        }
      }
    }
    return result
  }

  @Test("the word that tells two roles apart becomes each role's phrase, and the other's negative one")
  func learnsTheDistinguishingWord() throws {
    let folder = try Self.corpus([
      ("Product Manager", "storyboard", 10), ("Project Manager", "gantt", 10), ("Software Engineer", "kubernetes", 6),
    ])
    let out = folder.appendingPathComponent("learned.yaml")
    let result = try TestSupport.run(["lexicon", "learn", folder.path, "--out", out.path, "--folds", "2"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("26 title-labelled postings"))
    #expect(result.stdout.contains("macro-F1"))
    let yaml = try String(contentsOf: out, encoding: .utf8)
    let product = Self.phrases(yaml, role: "product-manager")
    let project = Self.phrases(yaml, role: "project-manager")
    // The distinguishing word outweighs every word the roles share (the filler) ...
    let shared = Set(Self.filler)
    let productWord = try #require(product["storyboard"])
    let projectWord = try #require(project["gantt"])
    #expect(product.filter { shared.contains($0.key) }.allSatisfy { $0.value < productWord })
    #expect(project.filter { shared.contains($0.key) }.allSatisfy { $0.value < projectWord })
    // ... and is no evidence for the other role.
    #expect((project["storyboard"] ?? 0) < projectWord / 4)
    #expect((product["gantt"] ?? 0) < productWord / 4)
    // Titles and the training facts are there; the file is a valid lexicon.
    #expect(yaml.contains("      - product manager"))
    #expect(yaml.contains("# Postings per title label: product-manager 10, project-manager 10, other 6"))
    let validated = try TestSupport.run(["lexicon", "validate", out.path])
    #expect(validated.status == 0, "\(validated.stderr)")
    // The scorer reads it: with the title hidden, a new posting using "gantt" is a project manager.
    let posting = folder.appendingPathComponent("new.txt")
    try "Coordinator\n\nResponsibilities:\n- Keep the gantt current with partners in audits.\n- Own the gantt.\n"
      .write(to: posting, atomically: true, encoding: .utf8)
    let classified = try TestSupport.run([
      "classify", posting.path, "--lexicon", out.path, "--body-only", "--explain",
    ])
    #expect(classified.status == 0, "\(classified.stderr)")
    #expect(classified.stdout.contains("project-manager"))
    #expect(classified.stdout.contains("gantt"))
  }

  @Test("the same postings and seed give the same lexicon")
  func deterministic() throws {
    let folder = try Self.corpus([("Product Manager", "storyboard", 6), ("Project Manager", "gantt", 6)])
    var texts: [String] = []
    for run in 0..<2 {
      let out = folder.appendingPathComponent("learned-\(run).yaml")
      let result = try TestSupport.run([
        "lexicon", "learn", folder.path, "--out", out.path, "--folds", "2", "--seed", "7", "--jobs",
        run == 0 ? "1" : "2",
      ])
      #expect(result.status == 0, "stderr: \(result.stderr)")
      texts.append(
        try String(contentsOf: out, encoding: .utf8).components(separatedBy: "\n").filter {
          !$0.hasPrefix("# Learned on")
        }.joined(separator: "\n"))
    }
    #expect(texts[0] == texts[1])
  }

  @Test("a corpus with fewer than 2 title-labelled roles is refused with one clear line")
  func refusesOneRole() throws {
    let folder = try Self.corpus([("Product Manager", "storyboard", 5), ("Software Engineer", "kubernetes", 5)])
    let out = folder.appendingPathComponent("learned.yaml")
    let result = try TestSupport.run(["lexicon", "learn", folder.path, "--out", out.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("needs title-labelled postings of at least 2 roles besides other"))
    #expect(result.stderr.contains("product-manager 5"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }
}
