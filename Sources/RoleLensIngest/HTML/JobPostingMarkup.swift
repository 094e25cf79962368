import Foundation

/// A schema.org `JobPosting` read from a page's JSON-LD.
struct JobPostingMarkup: Sendable, Hashable {
  var title: String?
  var company: String?
  var location: String?
  var datePosted: String?
  var employmentType: String?
  /// The description as published: HTML, sometimes HTML-escaped.
  var descriptionHTML: String?

  /// Finds the first `JobPosting` in the given JSON-LD blocks (top-level object, array, or
  /// `@graph`).
  ///
  /// - Returns: The markup, if any, and one warning per block that is not valid JSON.
  static func find(in blocks: [String]) -> (JobPostingMarkup?, [String]) {
    var warnings: [String] = []
    var found: JobPostingMarkup?
    // A page has a handful of JSON-LD blocks; thousands are junk or an attack, and each costs a
    // JSON parse.
    let limit = 200
    if blocks.count > limit {
      warnings.append("\(blocks.count) JSON-LD blocks; only the first \(limit) were read")
    }
    for (index, block) in blocks.prefix(limit).enumerated() {
      let trimmed = block.trimmingWhitespace()
      guard !trimmed.isEmpty else { continue }
      let object: Any
      do {
        object = try JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed])
      } catch {
        if warnings.filter({ $0.hasPrefix("JSON-LD block") }).count < 5 {
          warnings.append("JSON-LD block \(index + 1) is not valid JSON; ignored")
        }
        continue
      }
      if found == nil, let posting = jobPosting(in: object, depth: 0) {
        var nodes: [String: [String: Any]] = [:]
        collectIdentified(object, into: &nodes, depth: 0)
        found = JobPostingMarkup(posting, nodes: nodes)
      }
    }
    if warnings.filter({ $0.hasPrefix("JSON-LD block") }).count == 5 {
      warnings.append("more invalid JSON-LD blocks not listed")
    }
    return (found, warnings)
  }

  private static func jobPosting(in value: Any, depth: Int) -> [String: Any]? {
    guard depth < 8 else { return nil }
    if let array = value as? [Any] {
      for element in array {
        if let found = jobPosting(in: element, depth: depth + 1) { return found }
      }
      return nil
    }
    guard let object = value as? [String: Any] else { return nil }
    if isJobPosting(object["@type"]) { return object }
    if let graph = object["@graph"] { return jobPosting(in: graph, depth: depth + 1) }
    return nil
  }

  /// Objects with an `@id`, so that references like `"hiringOrganization": {"@id": "#org"}`
  /// resolve to the Organization elsewhere in the graph.
  private static func collectIdentified(_ value: Any, into nodes: inout [String: [String: Any]], depth: Int) {
    guard depth < 8 else { return }
    if let array = value as? [Any] {
      for element in array { collectIdentified(element, into: &nodes, depth: depth + 1) }
    } else if let object = value as? [String: Any] {
      if let id = object["@id"] as? String, object.count > 1 { nodes[id] = object }
      if let graph = object["@graph"] { collectIdentified(graph, into: &nodes, depth: depth + 1) }
    }
  }

  private static func isJobPosting(_ type: Any?) -> Bool {
    if let type = type as? String { return type == "JobPosting" || type.hasSuffix("/JobPosting") }
    if let types = type as? [Any] { return types.contains { isJobPosting($0) } }
    return false
  }

  private init(_ object: [String: Any], nodes: [String: [String: Any]]) {
    title = Self.text(object["title"]) ?? Self.text(object["name"])
    var organization = object["hiringOrganization"]
    if let reference = organization as? [String: Any], reference["name"] == nil, let id = reference["@id"] as? String {
      organization = nodes[id]
    }
    company = Self.name(organization)
    datePosted = Self.text(object["datePosted"])
    employmentType =
      Self.text(object["employmentType"])
      ?? (object["employmentType"] as? [Any])?.compactMap { Self.text($0) }.joined(separator: ", ")
    descriptionHTML = Self.text(object["description"])
    var places: [String] = []
    let locations = (object["jobLocation"] as? [Any]) ?? [object["jobLocation"]].compactMap { $0 }
    for location in locations {
      if let place = Self.place(location), !places.contains(place) { places.append(place) }
    }
    if Self.text(object["jobLocationType"])?.uppercased() == "TELECOMMUTE" { places.append("Remote") }
    location = places.isEmpty ? nil : places.joined(separator: "; ")
  }

  private static func text(_ value: Any?) -> String? {
    guard let string = value as? String else { return nil }
    let trimmed = string.trimmingWhitespace()
    return trimmed.isEmpty ? nil : trimmed
  }

  private static func name(_ value: Any?) -> String? {
    if let object = value as? [String: Any] { return text(object["name"]) }
    return text(value)
  }

  private static func place(_ value: Any?) -> String? {
    guard let object = value as? [String: Any] else { return text(value) }
    guard let address = object["address"] as? [String: Any] else {
      return text(object["name"]) ?? text(object["address"])
    }
    let parts = ["addressLocality", "addressRegion", "addressCountry"].compactMap { key in
      name(address[key])
    }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }
}
