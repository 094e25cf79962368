import Foundation
import Testing
import _RoleLensTestSupport

@Suite("rolelens eval and lexicon, end to end")
struct EvalAndLexiconCommandTests {
  /// Four postings whose roles the scorer gets right by title; the labels file gets one wrong
  /// on purpose (b.txt is labelled technical-project-manager), so every figure is computable by
  /// hand.
  static func labelledFolder() throws -> URL {
    let folder = try TestSupport.temporaryFolder()
    try TestSupport.write(
      "Product Manager\n\nResponsibilities:\n- Own the product roadmap and run customer interviews\n", to: "a.txt",
      in: folder)
    try TestSupport.write(
      "Senior Product Manager\n\nResponsibilities:\n- Define product metrics and prioritize the backlog\n", to: "b.txt",
      in: folder)
    try TestSupport.write(
      "Technical Project Manager\n\nResponsibilities:\n- Own the project schedule across the SDLC\n", to: "c.txt",
      in: folder)
    try TestSupport.write(
      "Data Analyst\n\nResponsibilities:\n- Build dashboards in SQL and present findings\n", to: "d.txt", in: folder)
    try TestSupport.write(
      "file,label\na.txt,product-manager\nb.txt,technical-project-manager\nc.txt,technical-project-manager\nd.txt,other\n",
      to: "labels.csv", in: folder)
    return folder
  }

  @Test("eval prints per-role precision, recall, F1, macro-F1 and accuracy computed as by hand")
  func evalFigures() throws {
    let folder = try Self.labelledFolder()
    let out = try TestSupport.temporaryFolder()
    let result = try TestSupport.run([
      "eval", folder.path, "--labels", folder.appendingPathComponent("labels.csv").path, "--min-support", "1",
      "--out", out.path,
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    // product-manager: predicted a, b; correct a -> P 1/2, R 1/1, F1 2/3.
    // technical-project-manager: predicted c; labelled b, c -> P 1/1, R 1/2, F1 2/3.
    // other: P 1, R 1, F1 1. Macro-F1 (2/3 + 2/3 + 1) / 3 = 0.7778; accuracy 3/4.
    let eval = try String(contentsOf: out.appendingPathComponent("eval.csv"), encoding: .utf8)
    #expect(
      eval == """
        role,precision,recall,f1,support,predicted
        technical-project-manager,1.0000,0.5000,0.6667,2,1
        product-manager,0.5000,1.0000,0.6667,1,2
        other,1.0000,1.0000,1.0000,1,1
        macro,,,0.7778,4,
        accuracy,,,0.7500,4,

        """)
    #expect(result.stdout.contains("macro-F1 0.778 over 3 roles"))
    let confusion = try String(contentsOf: out.appendingPathComponent("confusion.csv"), encoding: .utf8)
    let rows = confusion.split(separator: "\n")
    #expect(rows[1] == "technical-project-manager,1,1,0,0,0,0,0,0,0,0")
    #expect(rows[2] == "product-manager,0,1,0,0,0,0,0,0,0,0")
    #expect(rows[10] == "other,0,0,0,0,0,0,0,0,0,1")
  }

  @Test("eval --min-support leaves roles with fewer labels out of macro-F1")
  func evalMinimumSupport() throws {
    let folder = try Self.labelledFolder()
    let result = try TestSupport.run([
      "eval", folder.path, "--labels", folder.appendingPathComponent("labels.csv").path, "--min-support", "2",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.contains("macro-F1 0.667 over 1 roles"))
  }

  @Test("a labels file with an unknown role is a usage error naming file and line")
  func evalBadLabels() throws {
    let folder = try Self.labelledFolder()
    let labels = try TestSupport.write("file,label\na.txt,product-manager\nb.txt,pm\n", to: "bad.csv", in: folder)
    let result = try TestSupport.run(["eval", folder.path, "--labels", labels])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("rolelens: \(labels):3: unknown role 'pm'"))
  }

  @Test("lexicon validate accepts the default lexicon and reports every problem of a bad one with exit 2")
  func lexiconValidate() throws {
    let good = try TestSupport.run(["lexicon", "validate", "Sources/RoleLensClassify/Resources/default-lexicon.yaml"])
    #expect(good.status == 0)
    #expect(good.stdout.contains("valid (10 roles"))
    let folder = try TestSupport.temporaryFolder()
    let bad = try TestSupport.write(
      "version: 1\nroles:\n  pm:\n    titles: [product manager]\n  product-manager:\n    titles: [product manager]\n    phrases:\n      roadmap: lots\n",
      to: "bad.yaml", in: folder)
    let result = try TestSupport.run(["lexicon", "validate", bad])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(bad):3: unknown role id 'pm'"))
    #expect(result.stderr.contains("\(bad):8: bad weight 'lots'"))
    #expect(result.stderr.contains("\(bad):2: role 'technical-project-manager' is missing"))
  }

  @Test("lexicon show prints the default lexicon")
  func lexiconShow() throws {
    let result = try TestSupport.run(["lexicon", "show"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("# Learned by `rolelens lexicon learn`"))
    #expect(result.stdout.contains("# rolelens default lexicon"))
    #expect(result.stdout.contains("technical-project-manager:"))
  }
}
