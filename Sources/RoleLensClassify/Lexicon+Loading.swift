import Foundation
import RoleLensIngest
import RoleLensText
import Yams

extension Lexicon {
  /// The lexicon that ships with rolelens (`Resources/default-lexicon.yaml`).
  ///
  /// - Throws: `ClassifyError` if the resource is missing or invalid (a packaging bug).
  public static func bundled() throws -> Lexicon {
    guard let url = Bundle.module.url(forResource: "default-lexicon", withExtension: "yaml") else {
      throw ClassifyError.unreadableLexicon(path: "default-lexicon.yaml", reason: "resource missing from the bundle")
    }
    return try load(path: url.path, displayName: "default-lexicon.yaml")
  }

  /// The default lexicon's YAML text, for `lexicon show`.
  public static func bundledSource() throws -> String {
    guard let url = Bundle.module.url(forResource: "default-lexicon", withExtension: "yaml"),
      let data = FileManager.default.contents(atPath: url.path)
    else {
      throw ClassifyError.unreadableLexicon(path: "default-lexicon.yaml", reason: "resource missing from the bundle")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Loads and validates a lexicon file.
  ///
  /// - Throws: `ClassifyError.unreadableLexicon` when the file cannot be read,
  ///   `ClassifyError.invalidLexicon` with every problem found (file:line) otherwise.
  public static func load(path: String, displayName: String? = nil) throws -> Lexicon {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ClassifyError.unreadableLexicon(path: path, reason: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ClassifyError.unreadableLexicon(path: path, reason: "not UTF-8 text")
    }
    return try parse(text, file: displayName ?? path)
  }

  /// Parses lexicon YAML, collecting every problem before failing.
  public static func parse(_ yaml: String, file: String) throws -> Lexicon {
    var reader = LexiconReader(file: file)
    let lexicon = reader.read(yaml)
    if let lexicon, reader.problems.isEmpty { return lexicon }
    throw ClassifyError.invalidLexicon(reader.problems)
  }
}

/// Reads a lexicon's YAML node tree, recording problems with their lines.
private struct LexiconReader {
  let file: String
  var problems: [LexiconProblem] = []
  private let tokenizer = Tokenizer()

  init(file: String) { self.file = file }

  mutating func read(_ yaml: String) -> Lexicon? {
    var root: Node?
    // Yams stops at the first mapping with a repeated key. Each repeat is reported, its line
    // blanked and the file read again, so that one duplicate does not hide the other problems.
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var text = yaml
    for _ in 0..<1000 {
      do {
        guard let composed = try Yams.compose(yaml: text) else {
          problem(nil, "the file is empty")
          return nil
        }
        root = composed
        break
      } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
        var blanked = false
        for key in duplicates {
          let line = Self.repeatLine(of: key, in: lines, from: context.mark.line)
          problems.append(
            LexiconProblem(
              file: file, line: line, message: "duplicate phrase '\(key)' (each phrase may appear once per list)"))
          if let line, line - 1 < lines.count {
            lines[line - 1] = ""
            blanked = true
          }
        }
        guard blanked else { return nil }
        text = lines.joined(separator: "\n")
      } catch let error as YamlError {
        reportYAMLError(error, in: text)
        return nil
      } catch {
        problem(nil, "not valid YAML: \(error)")
        return nil
      }
    }
    guard let root else { return nil }
    guard let top = root.mapping else {
      problem(root, "the top level must be a mapping with `roles`")
      return nil
    }
    var scoring = Lexicon.Scoring()
    var sectionWeights: [SectionKind: Double] = [
      .general: 0.7, .responsibilities: 1, .requirements: 0.9, .niceToHave: 0.5, .about: 0,
      .benefits: 0, .legal: 0,
    ]
    var entries: [Role: Lexicon.RoleEntry] = [:]
    var acronyms: [String: [Lexicon.AcronymReading]] = [:]
    var skills: [Lexicon.SkillCategory] = []
    var sawRoles = false
    var rolesNode: Node?

    for (keyNode, value) in top {
      switch keyNode.string ?? "" {
      case "version":
        if value.int != 1 { problem(value, "unsupported version '\(value.string ?? "")' (expected 1)") }
      case "scoring":
        scoring = readScoring(value)
      case "section_weights":
        for (kindNode, weightNode) in value.mapping ?? [:] {
          guard let kind = SectionKind(rawValue: kindNode.string ?? "") else {
            let known = SectionKind.allCases.map(\.rawValue).joined(separator: ", ")
            problem(kindNode, "unknown section kind '\(kindNode.string ?? "")' (known: \(known))")
            continue
          }
          if let weight = number(weightNode, min: 0) { sectionWeights[kind] = weight }
        }
      case "roles":
        sawRoles = true
        rolesNode = keyNode
        guard let roles = value.mapping else {
          problem(value, "`roles` must be a mapping of role id to its entry")
          continue
        }
        for (idNode, entryNode) in roles {
          let id = idNode.string ?? ""
          guard let role = Role(rawValue: id) else {
            problem(idNode, "unknown role id '\(id)' (known: \(Role.ids.joined(separator: ", ")))")
            continue
          }
          if entries[role] != nil {
            problem(idNode, "role '\(id)' is defined twice")
            continue
          }
          entries[role] = readRole(role, entryNode)
        }
      case "acronyms":
        for (acronymNode, readingsNode) in value.mapping ?? [:] {
          let acronym = (acronymNode.string ?? "").lowercased()
          acronyms[acronym] = readAcronym(acronym, readingsNode)
        }
      case "skills":
        for (idNode, skillNode) in value.mapping ?? [:] {
          if let skill = readSkill(idNode.string ?? "", skillNode, at: idNode) { skills.append(skill) }
        }
      default:
        problem(keyNode, "unknown key '\(keyNode.string ?? "")'")
      }
    }
    if !sawRoles { problem(root, "no `roles` section") }
    var roles: [Lexicon.RoleEntry] = []
    for role in Role.allCases {
      if let entry = entries[role] {
        roles.append(entry)
      } else if role == .other {
        roles.append(Lexicon.RoleEntry(role: .other, name: "Other", titles: [], phrases: [], negative: []))
      } else {
        if sawRoles { problem(rolesNode ?? root, "role '\(role.rawValue)' is missing") }
        roles.append(Lexicon.RoleEntry(role: role, name: role.rawValue, titles: [], phrases: [], negative: []))
      }
    }
    return Lexicon(
      scoring: scoring, sectionWeights: sectionWeights, roles: roles, acronyms: acronyms,
      skills: skills, sourceHash: Lexicon.fnv1a(yaml), source: yaml)
  }

  // MARK: - Parts

  private mutating func readScoring(_ node: Node) -> Lexicon.Scoring {
    var scoring = Lexicon.Scoring()
    for (keyNode, valueNode) in node.mapping ?? [:] {
      let key = keyNode.string ?? ""
      let keyPaths: [String: WritableKeyPath<Lexicon.Scoring, Double>] = [
        "title_weight": \.titleWeight, "body_max": \.bodyMax, "body_half": \.bodyHalf,
        "threshold": \.threshold, "bm25_k1": \.bm25K1, "bm25_b": \.bm25B,
        "average_length": \.averageLength, "temperature": \.temperature,
        "review_confidence": \.reviewConfidence, "review_margin": \.reviewMargin,
      ]
      guard let keyPath = keyPaths[key] else {
        problem(keyNode, "unknown scoring key '\(key)'")
        continue
      }
      let positive: Set<String> = ["body_half", "average_length", "temperature", "bm25_k1"]
      if let value = number(valueNode, min: 0, strictlyPositive: positive.contains(key)) {
        scoring[keyPath: keyPath] = value
      }
    }
    return scoring
  }

  private mutating func readRole(_ role: Role, _ node: Node) -> Lexicon.RoleEntry {
    var entry = Lexicon.RoleEntry(role: role, name: role.rawValue, titles: [], phrases: [], negative: [])
    guard let mapping = node.mapping else {
      problem(node, "role '\(role.rawValue)' must be a mapping with `titles` and `phrases`")
      return entry
    }
    for (keyNode, value) in mapping {
      switch keyNode.string ?? "" {
      case "name":
        entry.name = value.string ?? entry.name
      case "titles":
        entry.titles = readTitles(role, value)
      case "phrases":
        entry.phrases = readPhrases(value, owner: "role '\(role.rawValue)'")
      case "negative":
        entry.negative = readPhrases(value, owner: "negative phrases of role '\(role.rawValue)'")
      default:
        problem(keyNode, "unknown key '\(keyNode.string ?? "")' in role '\(role.rawValue)'")
      }
    }
    if entry.titles.isEmpty && role != .other {
      problem(node, "role '\(role.rawValue)' has no title patterns")
    }
    return entry
  }

  private mutating func readTitles(_ role: Role, _ node: Node) -> [Lexicon.TitlePattern] {
    guard let sequence = node.sequence else {
      problem(node, "titles of role '\(role.rawValue)' must be a list")
      return []
    }
    var patterns: [Lexicon.TitlePattern] = []
    var seen = Set<String>()
    for item in sequence {
      var text: String?
      var weight = 1.0
      if let string = item.string {
        text = string
      } else if let mapping = item.mapping, mapping.count == 1, let (key, value) = mapping.first {
        text = key.string
        guard let parsed = number(value, min: 0, strictlyPositive: true) else { continue }
        weight = parsed
      }
      guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
        problem(item, "empty title pattern in role '\(role.rawValue)'")
        continue
      }
      let segments = text.components(separatedBy: "*").map { part in tokenizer.tokens(part).map(\.text) }
      guard let firstSegment = segments.first, let lastSegment = segments.last,
        !firstSegment.isEmpty, !lastSegment.isEmpty, !segments.contains(where: \.isEmpty)
      else {
        problem(item, "title pattern '\(text)' in role '\(role.rawValue)' has no words (or a wildcard at an end)")
        continue
      }
      let key = segments.map { $0.joined(separator: " ") }.joined(separator: " * ")
      if !seen.insert(key).inserted {
        problem(item, "duplicate title pattern '\(text)' in role '\(role.rawValue)'")
        continue
      }
      patterns.append(Lexicon.TitlePattern(text: text, segments: segments, weight: weight))
    }
    return patterns
  }

  private mutating func readPhrases(_ node: Node, owner: String) -> [Lexicon.Phrase] {
    guard let mapping = node.mapping else {
      problem(node, "phrases of \(owner) must be a mapping of phrase to weight")
      return []
    }
    var phrases: [Lexicon.Phrase] = []
    var seen = Set<[String]>()
    for (phraseNode, weightNode) in mapping {
      let text = phraseNode.string ?? ""
      let tokens = tokenizer.tokens(text).map(\.text)
      guard !tokens.isEmpty else {
        problem(phraseNode, "empty phrase in \(owner)")
        continue
      }
      guard let weight = number(weightNode, min: 0, strictlyPositive: true) else { continue }
      if !seen.insert(tokens).inserted {
        problem(phraseNode, "duplicate phrase '\(text)' in \(owner)")
        continue
      }
      phrases.append(Lexicon.Phrase(text: text, tokens: tokens, weight: weight))
    }
    return phrases
  }

  private mutating func readAcronym(_ acronym: String, _ node: Node) -> [Lexicon.AcronymReading] {
    guard let sequence = node.sequence, !sequence.isEmpty else {
      problem(node, "acronym '\(acronym)' needs a list of readings")
      return []
    }
    var readings: [Lexicon.AcronymReading] = []
    for item in sequence {
      let expansion = tokenizer.tokens(item["reading"]?.string ?? "").map(\.text)
      guard !expansion.isEmpty else {
        problem(item, "a reading of acronym '\(acronym)' has no `reading`")
        continue
      }
      let cues = (item["cues"]?.sequence ?? []).map { tokenizer.tokens($0.string ?? "").map(\.text) }
        .filter { !$0.isEmpty }
      readings.append(Lexicon.AcronymReading(expansion: expansion, cues: cues))
    }
    return readings
  }

  private mutating func readSkill(_ id: String, _ node: Node, at idNode: Node) -> Lexicon.SkillCategory? {
    guard !id.isEmpty, let mapping = node.mapping else {
      problem(idNode, "skill '\(id)' must be a mapping with `name` and `phrases`")
      return nil
    }
    var phrases: [Lexicon.Phrase] = []
    var seen = Set<[String]>()
    for item in mapping["phrases"]?.sequence ?? [] {
      let tokens = tokenizer.tokens(item.string ?? "").map(\.text)
      guard !tokens.isEmpty else {
        problem(item, "empty phrase in skill '\(id)'")
        continue
      }
      if !seen.insert(tokens).inserted {
        problem(item, "duplicate phrase '\(item.string ?? "")' in skill '\(id)'")
        continue
      }
      phrases.append(Lexicon.Phrase(text: item.string ?? "", tokens: tokens, weight: 1))
    }
    if phrases.isEmpty { problem(node, "skill '\(id)' has no phrases") }
    return Lexicon.SkillCategory(id: id, name: mapping["name"]?.string ?? id, phrases: phrases)
  }

  // MARK: - YAML errors

  /// Reports a Yams error as one-line problems with their lines.
  private mutating func reportYAMLError(_ error: YamlError, in yaml: String) {
    switch error {
    case .scanner(let context, let message, let mark, _), .parser(let context, let message, let mark, _),
      .composer(let context, let message, let mark, _):
      let detail = context.map { "\($0.text) (line \($0.mark.line)): " } ?? ""
      problems.append(LexiconProblem(file: file, line: mark.line, message: "not valid YAML: \(detail)\(message)"))
    case .duplicatedKeysInMapping(let duplicates, let context):
      // Yams stops at the first mapping with repeated keys and points at its first key; report
      // each repeated key at the line where it comes again.
      let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for key in duplicates {
        problems.append(
          LexiconProblem(
            file: file, line: Self.repeatLine(of: key, in: lines, from: context.mark.line),
            message: "duplicate phrase '\(key)' (each phrase may appear once per list)"))
      }
    default:
      problems.append(
        LexiconProblem(
          file: file, line: nil,
          message: "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")"))
    }
  }

  /// The line (1-based) of the second `key:` in the mapping that holds line `start`.
  static func repeatLine(of key: String, in lines: [String], from start: Int) -> Int? {
    func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }
    func isKey(_ line: String) -> Bool {
      let trimmed = line.drop { $0 == " " }
      return trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"\(key)\":") || trimmed.hasPrefix("'\(key)':")
    }
    // Find the first occurrence at or after the mapping's first key, then the next one at the
    // same indentation before the mapping ends.
    guard start >= 1, start <= lines.count else { return nil }
    var index = start - 1
    while index < lines.count && !isKey(lines[index]) { index += 1 }
    guard index < lines.count else { return nil }
    let level = indentation(lines[index])
    index += 1
    while index < lines.count {
      let line = lines[index]
      let blank = line.trimmingCharacters(in: .whitespaces).isEmpty || line.drop { $0 == " " }.hasPrefix("#")
      if !blank {
        if indentation(line) < level { return nil }
        if indentation(line) == level && isKey(line) { return index + 1 }
      }
      index += 1
    }
    return nil
  }

  // MARK: - Helpers

  private mutating func number(_ node: Node, min: Double, strictlyPositive: Bool = false) -> Double? {
    guard let value = node.float ?? node.int.map(Double.init), value.isFinite else {
      problem(node, "bad weight '\(node.string ?? "")': expected a number")
      return nil
    }
    if value < min || (strictlyPositive && value <= 0) {
      problem(node, "bad weight '\(node.string ?? "")': must be \(strictlyPositive ? "above" : "at least") \(min)")
      return nil
    }
    return value
  }

  private mutating func problem(_ node: Node?, _ message: String) {
    problems.append(LexiconProblem(file: file, line: node?.mark?.line, message: message))
  }
}
