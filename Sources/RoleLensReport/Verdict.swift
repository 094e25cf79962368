import RoleLensClassify
import RoleLensOverlap

/// The answer in words, grounded in the figures: the first thing `summary.json` and
/// `report.html` say. Small samples are said first.
public struct Verdict: Sendable {
  /// The figures the verdict is about.
  public let overlap: OverlapResult
  /// The display name of a role ("technical project manager").
  public let name: @Sendable (Role) -> String

  /// A verdict on `overlap`, naming roles with `name` (`AnalysisReport.displayName`).
  public init(overlap: OverlapResult, name: @escaping @Sendable (Role) -> String) {
    self.overlap = overlap
    self.name = name
  }

  /// Whether the pair has too few clusters for its figures to be trusted.
  public var insufficient: Bool { overlap.isInsufficient }

  /// The sentence about sample size when it is too small, else `nil`.
  public var sampleWarning: String? {
    let (a, b) = (overlap.options.roleA, overlap.options.roleB)
    guard insufficient else { return nil }
    let small = [a, b].filter { overlap.clusterCount($0) < overlap.options.minimumClusters }
      .map { role in
        let n = overlap.postings(role)
        let k = overlap.clusterCount(role)
        if n == 0 { return "no \(name(role)) postings" }
        return "only \(n) \(name(role)) posting\(n == 1 ? "" : "s") in \(k) cluster\(k == 1 ? "" : "s")"
      }
    return
      "\(small.joined(separator: " and ")): too few to tell (at least \(overlap.options.minimumClusters) clusters per role are needed); the figures are computed but not reliable."
  }

  /// The verdict: sample warning (if any), then separability, vocabulary overlap and the
  /// cross-reading shares, each with its interval and p-value.
  public var sentence: String {
    let (a, b) = (overlap.options.roleA, overlap.options.roleB)
    var parts: [String] = []
    if let warning = sampleWarning { parts.append(capitalized(warning)) }
    let pair = "\(capitalized(name(a))) and \(name(b)) postings"
    if let auc = overlap.figure("separability_auc"), let value = auc.value {
      let distinct = (auc.pValue ?? 1) < 0.05
      parts.append(
        "\(pair) are \(distinct ? "distinguishable" : "not distinguishable") by their bodies (AUC \(Self.format(value))\(Self.interval(auc))\(Self.p(auc)))"
      )
    }
    if let index = overlap.figure("overlap_index"), let value = index.value {
      let lead = parts.count > (insufficient ? 1 : 0) ? "their" : "The \(name(a)) and \(name(b))"
      parts.append(
        "\(lead) vocabularies overlap at \(Self.format(value))\(Self.interval(index)) of the within-role level (1 = exchangeable\(Self.p(index, prefix: "; ")))"
      )
    }
    if let ab = overlap.figure("share_a_reads_as_b"), let x = ab.value, let ba = overlap.figure("share_b_reads_as_a"),
      let y = ba.value
    {
      parts.append(
        "with titles hidden, \(Self.percent(x))\(Self.percentInterval(ab)) of \(name(a)) postings read as \(name(b)) and \(Self.percent(y))\(Self.percentInterval(ba)) the other way"
      )
    }
    let trend = trendSentence.map { " " + $0 } ?? ""
    guard parts.count > (insufficient ? 1 : 0) else {
      return (parts.first ?? "No \(name(a)) or \(name(b)) postings to compare.") + trend
    }
    if insufficient {
      return parts[0] + " " + capitalized(parts[1...].joined(separator: "; ")) + "." + trend
    }
    return parts.joined(separator: "; ") + "." + trend
  }

  /// For postings grouped by period: how the overlap index moved from the first to the last
  /// period the trend was fitted on, and the slope ("Over time, overlap rose from 0.55 [0.48,
  /// 0.62] in 2017 to 0.81 [0.76, 0.86] in 2024; slope +0.03/year [0.02, 0.04], p < 0.001.");
  /// `nil` when the run did not group by period.
  public var trendSentence: String? {
    guard let grouped = overlap.grouped, grouped.key.isTime, let trend = grouped.trend else { return nil }
    guard let slope = trend.value, let firstLabel = grouped.trendGroups.first,
      let lastLabel = grouped.trendGroups.last,
      let first = grouped.groups.first(where: { $0.group == firstLabel })?.figure("overlap_index"),
      let last = grouped.groups.first(where: { $0.group == lastLabel })?.figure("overlap_index"),
      let from = first.value, let to = last.value
    else {
      let reason = trend.note.replacingOccurrences(of: "insufficient: ", with: "")
      return "Over time: too few periods to fit a trend (\(reason))."
    }
    let sign = slope >= 0 ? "+" : "−"
    // Three decimals: a slope of a few thousandths a year adds up over a decade.
    func fine(_ value: Double) -> String { CSVWriter.format(value, decimals: 3) }
    let band = trend.ciLow.flatMap { low in trend.ciHigh.map { " [\(fine(low)), \(fine($0))]" } } ?? ""
    let slopeText = "slope \(sign)\(fine(abs(slope)))/year\(band)\(Self.p(trend))"
    let clear = trend.ciLow.map { $0 > 0 } == true || trend.ciHigh.map { $0 < 0 } == true
    let direction = clear ? (slope > 0 ? "rose" : "fell") : "went"
    let change =
      "overlap \(direction) from \(Self.format(from))\(Self.interval(first)) in \(firstLabel) to \(Self.format(to))\(Self.interval(last)) in \(lastLabel)"
    let reading = clear ? "" : " (no clear trend: the interval holds 0)"
    return "Over time, \(change); \(slopeText)\(reading)."
  }

  // MARK: - Formatting

  static func format(_ value: Double) -> String { CSVWriter.format(value, decimals: 2) }
  static func percent(_ value: Double) -> String { CSVWriter.format(value * 100, decimals: 0) + "%" }

  static func interval(_ figure: OverlapFigure) -> String {
    guard let low = figure.ciLow, let high = figure.ciHigh else { return "" }
    return " [\(format(low)), \(format(high))]"
  }

  static func percentInterval(_ figure: OverlapFigure) -> String {
    guard let low = figure.ciLow, let high = figure.ciHigh else { return "" }
    return " [\(percent(low)), \(percent(high))]"
  }

  /// ", p = 0.012" or ", p < 0.001"; empty without a test.
  static func p(_ figure: OverlapFigure, prefix: String = ", ") -> String {
    guard let p = figure.pValue else { return "" }
    return prefix + (p < 0.001 ? "p < 0.001" : "p = \(CSVWriter.format(p, decimals: 3))")
  }

  func capitalized(_ text: String) -> String {
    guard let first = text.first else { return text }
    return first.uppercased() + text.dropFirst()
  }
}
