import Foundation
import RoleLensIngest
import Testing
import _RoleLensTestSupport

@testable import RoleLensClassify

/// The lexicon that ships, and the problems `Lexicon.parse` reports in a user's own lexicon,
/// each with the file and line to fix.
@Suite("Lexicon")
struct LexiconTests {
  // MARK: - The bundled lexicon

  @Test("the bundled lexicon loads and has an entry for every role id, in column order")
  func bundledHasEveryRole() throws {
    let lexicon = try Lexicon.bundled()
    #expect(lexicon.roles.map(\.role) == Role.allCases)
    #expect(lexicon.roles.map(\.role.rawValue) == Role.ids)
  }

  @Test(
    "every role of the bundled lexicon has title patterns and body phrases",
    arguments: Role.allCases.filter { $0 != .other })
  func bundledRoleHasEvidence(role: Role) throws {
    let entry = try Lexicon.bundled().entry(role)
    #expect(!entry.titles.isEmpty)
    #expect(!entry.phrases.isEmpty)
    #expect(entry.phrases.allSatisfy { $0.weight > 0 && !$0.tokens.isEmpty })
  }

  @Test("the bundled lexicon's source validates with Lexicon.parse, with the same hash")
  func bundledSourceValidates() throws {
    let source = try Lexicon.bundledSource()
    let parsed = try Lexicon.parse(source, file: "default-lexicon.yaml")
    #expect(parsed.sourceHash == (try Lexicon.bundled().sourceHash))
    #expect(parsed.sourceHash == Lexicon.fnv1a(source))
  }

  @Test("evidence from about-us, benefits and legal sections weighs nothing in the bundled lexicon")
  func bundledSectionWeights() throws {
    let weights = try Lexicon.bundled().sectionWeights
    #expect(weights[.about] == 0)
    #expect(weights[.benefits] == 0)
    #expect(weights[.legal] == 0)
    #expect((weights[.responsibilities] ?? 0) > (weights[.niceToHave] ?? 0))
    #expect((weights[.niceToHave] ?? 0) > 0)
  }

  // MARK: - Parsing a user's lexicon

  static func validSource() throws -> String {
    try String(contentsOf: TestSupport.fixture("valid-lexicon.yaml"), encoding: .utf8)
  }

  /// The problems `Lexicon.parse` reports for `yaml`; records an issue if it parses.
  static func problems(_ yaml: String, file: String = "team-lexicon.yaml") -> [LexiconProblem] {
    do {
      _ = try Lexicon.parse(yaml, file: file)
      Issue.record("the lexicon parsed without problems")
      return []
    } catch ClassifyError.invalidLexicon(let problems) {
      return problems
    } catch {
      Issue.record("unexpected error \(error)")
      return []
    }
  }

  /// The 1-based number of the line of `yaml` equal to `line` (the `occurrence`-th such line).
  static func lineNumber(of line: String, in yaml: String, occurrence: Int = 1) -> Int? {
    var seen = 0
    for (index, candidate) in yaml.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    where candidate == line {
      seen += 1
      if seen == occurrence { return index + 1 }
    }
    return nil
  }

  @Test("a complete, correct lexicon parses, keeping its titles, weights and acronyms")
  func validLexiconParses() throws {
    let lexicon = try Lexicon.parse(try Self.validSource(), file: "team-lexicon.yaml")
    #expect(lexicon.roles.map(\.role) == Role.allCases)
    #expect(
      lexicon.entry(.productManager).phrases.map(\.text) == [
        "product roadmap", "customer interviews",
      ])
    #expect(lexicon.entry(.productManager).phrases.map(\.weight) == [1.5, 1.2])
    #expect(
      lexicon.entry(.technicalLead).titles.map(\.segments) == [
        [["tech", "lead"]], [["lead"], ["engineer"]],
      ])
    #expect(lexicon.entry(.other).titles.first?.weight == 0.8)
    #expect(
      lexicon.acronyms["tpm"]?.map { $0.expansion.joined(separator: " ") } == [
        "technical program manager", "technical project manager",
      ])
  }

  /// One mistake put into the valid lexicon: `find` replaced by `replace`; the problem must be
  /// reported on the line equal to `problemLine` and mention `message`.
  struct Mistake: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var find: String
    var replace: String
    var problemLine: String
    var message: String
  }

  @Test(
    "a mistake in a lexicon is reported with the file and its line",
    arguments: [
      Mistake(
        testDescription: "unknown role id", find: "  delivery-manager:\n",
        replace: "  scrum-master:\n    titles: [scrum master]\n  delivery-manager:\n",
        problemLine: "  scrum-master:", message: "unknown role id 'scrum-master'"),
      Mistake(
        testDescription: "bad weight: text", find: "      product roadmap: 1.5",
        replace: "      product roadmap: high", problemLine: "      product roadmap: high",
        message: "bad weight 'high'"),
      Mistake(
        testDescription: "bad weight: negative", find: "      product roadmap: 1.5",
        replace: "      product roadmap: -1.5", problemLine: "      product roadmap: -1.5",
        message: "bad weight '-1.5'"),
      Mistake(
        testDescription: "bad weight: zero", find: "      product roadmap: 1.5",
        replace: "      product roadmap: 0", problemLine: "      product roadmap: 0",
        message: "bad weight '0'"),
      Mistake(
        testDescription: "bad weight on a title pattern", find: "      - engineer: 0.8",
        replace: "      - engineer: -2", problemLine: "      - engineer: -2",
        message: "bad weight '-2'"),
      Mistake(
        testDescription: "duplicate phrase (same words, other case)",
        find: "      customer interviews: 1.2\n",
        replace: "      customer interviews: 1.2\n      Product Roadmap: 1.0\n",
        problemLine: "      Product Roadmap: 1.0", message: "duplicate phrase 'Product Roadmap'"),
      Mistake(
        testDescription: "duplicate title pattern", find: "      - product manager\n",
        replace: "      - product manager\n      - Product  Manager\n",
        problemLine: "      - Product  Manager",
        message: "duplicate title pattern 'Product  Manager'"),
      Mistake(
        testDescription: "unknown top-level key", find: "acronyms:\n",
        replace: "weights:\n  title: 2\n\nacronyms:\n", problemLine: "weights:",
        message: "unknown key 'weights'"),
      Mistake(
        testDescription: "unknown section kind", find: "scoring:\n",
        replace: "section_weights:\n  perks: 0\n\nscoring:\n", problemLine: "  perks: 0",
        message: "unknown section kind 'perks'"),
      Mistake(
        testDescription: "misspelt scoring key", find: "  threshold: 3.0\n",
        replace: "  threshold: 3.0\n  treshold: 2.0\n", problemLine: "  treshold: 2.0",
        message: "unknown scoring key 'treshold'"),
      Mistake(
        testDescription: "zero temperature", find: "  threshold: 3.0\n",
        replace: "  threshold: 3.0\n  temperature: 0\n", problemLine: "  temperature: 0",
        message: "'0'"),
      Mistake(
        testDescription: "unsupported version", find: "version: 1\n", replace: "version: 2\n",
        problemLine: "version: 2", message: "version"),
    ])
  func mistakeIsReportedWithItsLine(_ mistake: Mistake) throws {
    let valid = try Self.validSource()
    #expect(valid.contains(mistake.find))
    let yaml = valid.replacingOccurrences(of: mistake.find, with: mistake.replace)
    let problems = Self.problems(yaml)
    #expect(problems.count == 1, "\(problems)")
    let problem = try #require(problems.first)
    let line = try #require(Self.lineNumber(of: mistake.problemLine, in: yaml))
    #expect(problem.file == "team-lexicon.yaml")
    #expect(problem.line == line)
    #expect(problem.message.contains(mistake.message))
    #expect(problem.description.hasPrefix("team-lexicon.yaml:\(line): "))
    #expect(!problem.description.contains("\n"))
  }

  @Test("a role with no title patterns is reported on a line of that role")
  func roleWithoutTitles() throws {
    let yaml = try Self.validSource().replacingOccurrences(
      of: "    titles:\n      - product manager\n", with: "    titles: []\n")
    let problems = Self.problems(yaml)
    #expect(problems.count == 1, "\(problems)")
    let problem = try #require(problems.first)
    #expect(problem.message.contains("role 'product-manager' has no title patterns"))
    let roleStart = try #require(Self.lineNumber(of: "  product-manager:", in: yaml))
    let nextRole = try #require(Self.lineNumber(of: "  project-manager:", in: yaml))
    let line = try #require(problem.line)
    #expect((roleStart..<nextRole).contains(line))
  }

  @Test("a role left out of the lexicon is reported as missing")
  func missingRole() throws {
    let valid = try Self.validSource()
    let block = """
        delivery-manager:
          name: Delivery Manager
          titles:
            - delivery manager
          phrases:
            agile delivery: 1.5

      """
    #expect(valid.contains(block))
    let problems = Self.problems(valid.replacingOccurrences(of: block, with: ""))
    #expect(problems.count == 1, "\(problems)")
    let problem = try #require(problems.first)
    #expect(problem.message.contains("delivery-manager"))
    #expect(problem.message.contains("missing"))
    #expect(problem.file == "team-lexicon.yaml")
    #expect(problem.line != nil)
  }

  @Test("several problems in one file are all reported, each with its line")
  func severalProblems() throws {
    let yaml = try String(contentsOf: TestSupport.fixture("several-problems.yaml"), encoding: .utf8)
    let problems = Self.problems(yaml, file: "several-problems.yaml")
    func reported(_ fragment: String, onLine line: String?) -> Bool {
      let number = line.flatMap { Self.lineNumber(of: $0, in: yaml) }
      return problems.contains {
        $0.message.contains(fragment) && (line == nil || $0.line == number)
      }
    }
    #expect(reported("bad weight 'lots'", onLine: "      cutover: lots"))
    #expect(
      reported("duplicate title pattern 'Product Manager'", onLine: "      - Product Manager"))
    #expect(reported("unknown role id 'tech-lead'", onLine: "  tech-lead:"))
    #expect(reported("role 'technical-lead' is missing", onLine: nil))
    #expect(problems.count == 4, "\(problems)")
    #expect(problems.allSatisfy { $0.file == "several-problems.yaml" && $0.line != nil })
  }

  @Test("a repeated phrase key does not hide the file's other problems")
  func duplicateKeyThenOtherProblems() throws {
    var yaml = try Self.validSource()
    // A phrase given twice in one mapping (Yams stops at such a mapping), and a bad weight.
    let phrases = try #require(yaml.range(of: "    phrases:\n"))
    yaml.insert(
      contentsOf: "      twice over: 1\n      twice over: 2\n      unweighed: heavy\n", at: phrases.upperBound)
    let problems = Self.problems(yaml)
    #expect(
      problems.contains {
        $0.message.contains("duplicate phrase 'twice over'")
          && $0.line == Self.lineNumber(of: "      twice over: 2", in: yaml)
      })
    #expect(
      problems.contains {
        $0.message.contains("bad weight 'heavy'") && $0.line == Self.lineNumber(of: "      unweighed: heavy", in: yaml)
      })
  }

  @Test("a YAML syntax error is one problem line with the line number")
  func yamlSyntaxError() throws {
    let yaml = try String(contentsOf: TestSupport.fixture("syntax-error.yaml"), encoding: .utf8)
    let problems = Self.problems(yaml, file: "syntax-error.yaml")
    let problem = try #require(problems.first)
    #expect(problems.count == 1)
    // The unclosed "[10.0" is on line 3; the parser notices on line 4.
    let line = try #require(problem.line)
    #expect((3...4).contains(line))
    #expect(problem.description.hasPrefix("syntax-error.yaml:\(line): "))
    #expect(!problem.description.contains("\n"))
  }

  @Test("a YAML syntax error is reported as invalid YAML, naming the file")
  func yamlSyntaxErrorIsReported() throws {
    let yaml = try String(contentsOf: TestSupport.fixture("syntax-error.yaml"), encoding: .utf8)
    let problems = Self.problems(yaml, file: "syntax-error.yaml")
    #expect(problems.count == 1)
    #expect(problems.first?.file == "syntax-error.yaml")
    #expect(problems.first?.message.contains("YAML") == true)
  }

  @Test("an exact duplicate phrase is reported at the line where it repeats")
  func exactDuplicatePhrase() throws {
    let yaml = try Self.validSource().replacingOccurrences(
      of: "      customer interviews: 1.2\n",
      with: "      customer interviews: 1.2\n      product roadmap: 1.0\n")
    let problems = Self.problems(yaml)
    let problem = try #require(problems.first)
    #expect(problems.count == 1)
    #expect(problem.message.contains("duplicate"))
    #expect(problem.message.contains("product roadmap"))
    #expect(problem.line == Self.lineNumber(of: "      product roadmap: 1.0", in: yaml))
    #expect(!problem.description.contains("\n"))
  }

  @Test("an empty lexicon file is a problem, not a crash")
  func emptyFile() {
    let problems = Self.problems("")
    #expect(problems.count == 1)
  }

  @Test("a lexicon that is a list, not a mapping, is reported")
  func topLevelNotAMapping() {
    let problems = Self.problems("- product manager\n- project manager\n")
    #expect(problems.first?.message.contains("mapping") == true)
  }

  @Test("a lexicon file that does not exist is reported as unreadable, naming the path")
  func missingFile() throws {
    let path = TestSupport.fixture("no-such-lexicon.yaml").path
    let error = #expect(throws: ClassifyError.self) { try Lexicon.load(path: path) }
    guard case .unreadableLexicon(let reported, _) = error else {
      Issue.record("expected unreadableLexicon, got \(String(describing: error))")
      return
    }
    #expect(reported == path)
  }

  @Test("problems in a loaded file are reported under the name the user gave")
  func loadReportsDisplayName() throws {
    let path = TestSupport.fixture("several-problems.yaml").path
    do {
      _ = try Lexicon.load(path: path, displayName: "my-lexicon.yaml")
      Issue.record("the lexicon loaded without problems")
    } catch ClassifyError.invalidLexicon(let problems) {
      #expect(!problems.isEmpty)
      #expect(problems.allSatisfy { $0.file == "my-lexicon.yaml" })
    }
  }
}
