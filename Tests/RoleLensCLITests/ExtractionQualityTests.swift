import Foundation
import RoleLensKit
import Testing
import _RoleLensTestSupport

/// The article-extraction benchmark's score, computed exactly as
/// `/work/shared/tools/score_extraction.py` does: 4-word shingles over `\w+` tokens, multiset
/// true/false positives and negatives per page (normalised by their sum), precision and recall
/// per page with that script's edge rules, the mean of each over pages, and F1 from the means.
enum ShingleScore {
  /// Python's `\w` on `str`: letters (Lu, Ll, Lt, Lm, Lo), numbers (Nd, Nl, No) and `_`.
  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .decimalNumber,
      .letterNumber, .otherNumber:
      return true
    default:
      return scalar == "_"
    }
  }

  /// `re.findall(r'\w+', text)`: case kept, nothing folded.
  static func tokens(_ text: String) -> [String] {
    var result: [String] = []
    var word = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isWordScalar(scalar) {
        word.append(scalar)
      } else if !word.isEmpty {
        result.append(String(word))
        word = String.UnicodeScalarView()
      }
    }
    if !word.isEmpty { result.append(String(word)) }
    return result
  }

  /// The multiset of `n`-token shingles; a text of 1...n-1 tokens is one shorter shingle, an
  /// empty text has none (the script's `range(max(1, len(t) - n + 1))` with `if t[i:i + n]`).
  static func shingles(_ text: String, n: Int = 4) -> [[String]: Int] {
    let words = tokens(text)
    var result: [[String]: Int] = [:]
    for start in 0..<max(1, words.count - n + 1) {
      let shingle = Array(words[min(start, words.count)..<min(start + n, words.count)])
      if !shingle.isEmpty { result[shingle, default: 0] += 1 }
    }
    return result
  }

  /// (tp, fp, fn) over shingles, each divided by their sum (all 0 when both texts are empty).
  static func counts(truth: String, predicted: String) -> (tp: Double, fp: Double, fn: Double) {
    let a = shingles(truth)
    let b = shingles(predicted)
    var tp = 0.0
    var fp = 0.0
    var fn = 0.0
    for key in Set(a.keys).union(b.keys) {
      let x = Double(a[key] ?? 0)
      let y = Double(b[key] ?? 0)
      tp += min(x, y)
      fp += max(0, y - x)
      fn += max(0, x - y)
    }
    let sum = tp + fp + fn
    return sum > 0 ? (tp / sum, fp / sum, fn / sum) : (0, 0, 0)
  }

  static func precision(_ c: (tp: Double, fp: Double, fn: Double)) -> Double {
    if c.fp == 0 && c.fn == 0 { return 1 }
    if c.tp == 0 && c.fp == 0 { return 0 }
    return c.tp / (c.tp + c.fp)
  }

  static func recall(_ c: (tp: Double, fp: Double, fn: Double)) -> Double {
    if c.fp == 0 && c.fn == 0 { return 1 }
    if c.tp == 0 && c.fn == 0 { return 0 }
    return c.tp / (c.tp + c.fn)
  }

  /// Mean precision over pages with tp + fp > 0, mean recall over pages with tp + fn > 0, and
  /// F1 of the two means.
  static func score(_ pages: [(truth: String, predicted: String)]) -> (
    f1: Double, precision: Double, recall: Double
  ) {
    let rows = pages.map { counts(truth: $0.truth, predicted: $0.predicted) }
    let precisions = rows.filter { $0.tp + $0.fp > 0 }.map(precision)
    let recalls = rows.filter { $0.tp + $0.fn > 0 }.map(recall)
    let p = precisions.isEmpty ? 0 : precisions.reduce(0, +) / Double(precisions.count)
    let r = recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
    return (p + r > 0 ? 2 * p * r / (p + r) : 0, p, r)
  }
}

@Suite("Main-text extraction quality on real saved pages")
struct ExtractionQualityTests {
  // MARK: - The scorer follows score_extraction.py

  @Test("tokens are \\w+ runs: letters, digits and underscore of any script, case kept")
  func tokensLikePython() {
    #expect(
      ShingleScore.tokens("Don't stop—C++ & node.js, snake_case Zürich 東京 ２０２４") == [
        "Don", "t", "stop", "C", "node", "js", "snake_case", "Zürich", "東京", "２０２４",
      ])
  }

  @Test("a text shorter than 4 words is one short shingle; an empty text has none")
  func shortTexts() {
    #expect(ShingleScore.shingles("one two") == [["one", "two"]: 1])
    #expect(ShingleScore.shingles("").isEmpty)
    #expect(
      ShingleScore.shingles("a b c d a b c d") == [
        ["a", "b", "c", "d"]: 2, ["b", "c", "d", "a"]: 1, ["c", "d", "a", "b"]: 1,
        ["d", "a", "b", "c"]: 1,
      ])
  }

  @Test("identical texts score 1; an empty prediction counts for recall (0) but not precision")
  func edgeRules() {
    let text = "the quick brown fox jumps over the lazy dog"
    let same = ShingleScore.score([(text, text)])
    #expect(same.f1 == 1 && same.precision == 1 && same.recall == 1)
    let missed = ShingleScore.score([(text, text), (text, "")])
    #expect(missed.precision == 1)
    #expect(missed.recall == 0.5)
    let half = ShingleScore.counts(truth: "a b c d e", predicted: "a b c d")
    #expect(half.tp == 0.5 && half.fn == 0.5 && half.fp == 0)
  }

  // MARK: - The benchmark

  @Test(
    "main-text extraction scores F1 ≥ 0.93 on the article-extraction benchmark pages",
    .enabled(if: TestSupport.sharedData != nil, Comment(rawValue: TestSupport.sharedDataMissing)))
  func benchmarkF1() throws {
    let data = try #require(TestSupport.sharedData)
    let folder = data.appendingPathComponent("extraction")
    let truthData = try Data(contentsOf: folder.appendingPathComponent("ground-truth.json"))
    let truth = try #require(
      try JSONSerialization.jsonObject(with: truthData) as? [String: [String: Any]])
    let reader = PostingReader()
    var pages: [(truth: String, predicted: String)] = []
    var unread: [String] = []
    for id in truth.keys.sorted() {
      let path = folder.appendingPathComponent("html/\(id).html.gz").path
      let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
      let result = reader.read(InputFile(path: path, relativePath: "\(id).html.gz", size: size))
      if result.postings.isEmpty { unread.append("\(id): \(result.skipped.map(\.detail))") }
      pages.append((truth[id]?["articleBody"] as? String ?? "", result.postings.first?.text ?? ""))
    }
    let (f1, precision, recall) = ShingleScore.score(pages)
    print(
      String(
        format:
          "extraction benchmark: F1 %.4f  precision %.4f  recall %.4f  (%d pages, %d without a posting)",
        f1,
        precision, recall, pages.count, unread.count))
    #expect(pages.count == 127)
    if !unread.isEmpty { print("pages without a posting (scored as empty text): \(unread)") }
    #expect(f1 >= 0.93, "F1 \(f1) (precision \(precision), recall \(recall))")
  }
}
