import Foundation
import RoleLensClassify
import RoleLensOverlap

/// `report.html`: one self-contained page (inline CSS and SVG, no script, no network) with the
/// headline answer, the figures with their intervals, distinctive terms, skills side by side
/// and the role-similarity heatmap. Numbers are formatted exactly as in the CSV files.
struct HTMLReport {
  let report: AnalysisReport

  var overlap: OverlapResult { report.overlap }
  var roleA: Role { overlap.options.roleA }
  var roleB: Role { overlap.options.roleB }

  func render() -> String {
    var html = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>rolelens: \(escape(name(roleA))) vs \(escape(name(roleB)))</title>
      <style>
      body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d2330; max-width: 980px; margin: 2em auto; padding: 0 1em; }
      h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #d8dce4; padding-bottom: .2em; }
      .lead { font-size: 1.1em; background: #f3f6fb; border-left: 4px solid #3b6fd4; padding: .8em 1em; }
      table { border-collapse: collapse; margin: .5em 0; } th, td { padding: .25em .7em; text-align: left; border-bottom: 1px solid #e6e9ef; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; } .note { color: #6b7385; font-size: .9em; }
      .a { fill: #3b6fd4; } .b { fill: #d9822b; } svg text { font-size: 12px; fill: #1d2330; }
      footer { margin-top: 3em; color: #6b7385; font-size: .85em; }
      svg { max-width: 100%; height: auto; } .scroll { overflow-x: auto; }
      .warn { background: #fff4e5; border-left: 4px solid #d9822b; padding: .6em 1em; }
      </style>
      </head>
      <body>
      <h1>\(escape(name(roleA))) vs \(escape(name(roleB)))</h1>
      <p class="note">\(report.postings.count) postings from \(report.run.inputFiles) inputs; \(report.skipped.count) skipped; \(report.postings.duplicates) duplicates \(report.run.includeDuplicates ? "included" : "left out of the statistics").</p>
      \(warning())<p class="lead">\(headline())</p>

      """
    html += figuresSection()
    html += groupsSection()
    if overlap.isInsufficient {
      html +=
        "<h2>Distinctive terms and skills</h2><p class=\"note\">Not drawn: too few clusters for them to mean anything (terms.csv and skills.csv still list them).</p>\n"
    } else {
      html += termsSection()
      html += skillsSection()
    }
    html += heatmapSection()
    html += rolesSection()
    html += """
      <footer>rolelens \(escape(report.run.toolVersion)) · lexicon \(escape(report.run.lexiconHash)) · seed \(report.run.seed) · clusters resampled: \(overlap.options.replicates) bootstrap replicates, \(overlap.options.permutations) permutations · top \(overlap.options.topK) terms · figures need at least \(overlap.options.minimumClusters) clusters per role</footer>
      </body>
      </html>

      """
    return html
  }

  // MARK: - Sections

  /// The sample-size warning, first, when the pair has too few clusters.
  func warning() -> String {
    guard let text = Verdict(overlap: overlap, name: report.displayName).sampleWarning else { return "" }
    return "<p class=\"warn\"><b>\(escape(text.prefix(1).uppercased() + text.dropFirst()))</b></p>\n"
  }

  func headline() -> String {
    escape(Verdict(overlap: overlap, name: report.displayName).sentence)
  }

  func figuresSection() -> String {
    var rows = ""
    // Notes are listed once below the table (several metrics share one), so the table fits a
    // phone's width.
    var notes: [(note: String, metrics: [String])] = []
    for figure in overlap.figures {
      let value = figure.value.map(number) ?? "–"
      let low = figure.ciLow.map(number) ?? ""
      let high = figure.ciHigh.map(number) ?? ""
      let p = figure.pValue.map(number) ?? ""
      var mark = ""
      if !figure.note.isEmpty {
        if let index = notes.firstIndex(where: { $0.note == figure.note }) {
          notes[index].metrics.append(figure.metric)
          mark = "<sup>\(index + 1)</sup>"
        } else {
          notes.append((figure.note, [figure.metric]))
          mark = "<sup>\(notes.count)</sup>"
        }
      }
      rows +=
        "<tr><td>\(escape(figure.metric))\(mark)</td><td class=\"num\">\(value)</td><td class=\"num\">\(low)</td><td class=\"num\">\(high)</td><td class=\"num\">\(p)</td></tr>\n"
    }
    let list = notes.enumerated().map { "<li value=\"\($0.offset + 1)\">\(escape($0.element.note))</li>" }.joined(
      separator: "\n")
    let (kA, kB) = (overlap.clusterCount(roleA), overlap.clusterCount(roleB))
    return """
      <h2>Overlap figures</h2>
      <p class="note">\(overlap.postings(roleA)) \(escape(name(roleA))) postings in \(kA) clusters, \(overlap.postings(roleB)) \(escape(name(roleB))) postings in \(kB) clusters. A cluster (the same posting in substance: reposts, per-city copies) is the unit of every interval, test and cross-validation split.</p>
      <div class="scroll"><table><tr><th>metric</th><th>value</th><th>95% CI low</th><th>95% CI high</th><th>p</th></tr>
      \(rows)</table></div>
      <ol class="note">
      \(list)
      </ol>
      <p class="note">Same numbers as overlap.csv. overlap_index is 1 when the two roles' postings are exchangeable and does not depend on sample size; separability AUC is 0.5 when the roles cannot be told apart; p-values are one-sided permutation tests of exchangeable roles. The descriptive figures are size-matched and have no interval.</p>

      """
  }

  /// The figures per group (`--by`): for periods, the overlap index over time as a line with its
  /// 95% band and the fitted trend; then the groups as a table, largest first.
  func groupsSection() -> String {
    guard let grouped = overlap.grouped else { return "" }
    let by = grouped.key.name
    var html = "<h2>By \(escape(by))</h2>\n"
    if grouped.key.isTime { html += timeChart(grouped) }
    let n = { (group: GroupOverlap) in group.postings(roleA) + group.postings(roleB) }
    let sorted = grouped.groups.enumerated().sorted { first, second in
      n(first.element) != n(second.element) ? n(first.element) > n(second.element) : first.offset < second.offset
    }.map(\.element)
    let limit = 50
    var rows = ""
    func cell(_ figure: OverlapFigure?) -> String {
      guard let figure, let value = figure.value else { return "–" }
      guard let low = figure.ciLow, let high = figure.ciHigh else { return number(value) }
      let short = { (x: Double) in CSVWriter.format(x, decimals: 2) }
      return "\(number(value)) [\(short(low)), \(short(high))]"
    }
    for group in sorted.prefix(limit) {
      rows +=
        "<tr><td>\(escape(group.group))</td><td class=\"num\">\(group.postings(roleA))</td><td class=\"num\">\(group.postings(roleB))</td><td class=\"num\">\(group.clusters(roleA)) / \(group.clusters(roleB))</td><td class=\"num\">\(cell(group.figure("overlap_index")))</td><td class=\"num\">\(cell(group.figure("separability_auc")))</td><td>\(group.isInsufficient ? "insufficient" : "")</td></tr>\n"
    }
    let more =
      sorted.count > limit
      ? "<p class=\"note\">… \(sorted.count - limit) more groups in overlap_by_group.csv.</p>\n" : ""
    html += """
      <p class="note">Every figure of the pair computed within each group, with the same intervals, tests and cluster units as above (a cluster reposted in two groups is a unit in each); groups below \(overlap.options.minimumClusters) clusters per role are marked insufficient; postings without a value form the group (none). Largest groups first; every figure in overlap_by_group.csv.</p>
      <div class="scroll"><table><tr><th>\(escape(by))</th><th>n \(escape(name(roleA)))</th><th>n \(escape(name(roleB)))</th><th>clusters</th><th>overlap_index [95% CI]</th><th>separability AUC [95% CI]</th><th></th></tr>
      \(rows)</table></div>
      \(more)
      """
    return html
  }

  /// The overlap index per period: points (hollow when the period is insufficient) joined by a
  /// line, the 95% intervals as a band, and the trend line over the periods it was fitted on.
  func timeChart(_ grouped: GroupedOverlap) -> String {
    let points = grouped.groups.compactMap { group -> (time: Double, figure: OverlapFigure, group: GroupOverlap)? in
      guard let time = grouped.key.time(of: group.group), let figure = group.figure("overlap_index"),
        figure.value != nil
      else { return nil }
      return (time, figure, group)
    }
    guard !points.isEmpty else {
      return "<p class=\"note\">No period has an overlap index (each needs at least 2 clusters of both roles).</p>\n"
    }
    let (width, height) = (760.0, 300.0)
    let (left, right, top, bottom) = (56.0, 20.0, 16.0, 40.0)
    let step = grouped.key == .year ? 1.0 : (grouped.key == .quarter ? 0.25 : 1.0 / 12)
    let minTime = points.map(\.time).min() ?? 0
    let maxTime = max(points.map(\.time).max() ?? 0, minTime + step)
    let highest = points.map { $0.figure.ciHigh ?? $0.figure.value ?? 1 }.max() ?? 1
    let yMax = max(1.2, (highest * 5).rounded(.up) / 5)
    func x(_ time: Double) -> Double { left + (time - minTime) / (maxTime - minTime) * (width - left - right) }
    func y(_ value: Double) -> Double { top + (1 - min(max(value, 0), yMax) / yMax) * (height - top - bottom) }
    var svg = ""
    // Axes: y from 0 in steps of 0.2 (1 = exchangeable drawn darker), x by year.
    var tick = 0.0
    while tick <= yMax + 1e-9 {
      let colour = abs(tick - 1) < 1e-9 ? "#8a93a6" : "#e6e9ef"
      svg +=
        "<line x1=\"\(fixed(left))\" y1=\"\(fixed(y(tick)))\" x2=\"\(fixed(width - right))\" y2=\"\(fixed(y(tick)))\" stroke=\"\(colour)\"/><text x=\"\(fixed(left - 6))\" y=\"\(fixed(y(tick) + 4))\" text-anchor=\"end\">\(CSVWriter.format(tick, decimals: 1))</text>\n"
      tick += 0.2
    }
    let firstYear = Int(minTime.rounded(.up))
    let lastYear = Int(maxTime.rounded(.down))
    let yearStep = max(1, (lastYear - firstYear) / 10 + 1)
    for year in stride(from: firstYear, through: lastYear, by: yearStep) {
      let position = fixed(x(Double(year)))
      svg +=
        "<line x1=\"\(position)\" y1=\"\(fixed(height - bottom))\" x2=\"\(position)\" y2=\"\(fixed(height - bottom + 5))\" stroke=\"#8a93a6\"/><text x=\"\(position)\" y=\"\(fixed(height - bottom + 18))\" text-anchor=\"middle\">\(year)</text>\n"
    }
    let middle = fixed(top + (height - top - bottom) / 2)
    svg +=
      "<line x1=\"\(fixed(left))\" y1=\"\(fixed(height - bottom))\" x2=\"\(fixed(width - right))\" y2=\"\(fixed(height - bottom))\" stroke=\"#8a93a6\"/>\n"
      + "<text x=\"14\" y=\"\(middle)\" transform=\"rotate(-90 14 \(middle))\" text-anchor=\"middle\">overlap_index (1 = exchangeable)</text>\n"
      + "<text x=\"\(fixed(left + (width - left - right) / 2))\" y=\"\(fixed(height - 4))\" text-anchor=\"middle\">\(escape(grouped.key.name)) posted</text>\n"
    // The band: upper ends left to right, then lower ends back, over the points with an interval.
    let banded = points.filter { $0.figure.ciLow != nil && $0.figure.ciHigh != nil }
    if banded.count >= 2 {
      let upper = banded.map { "\(fixed(x($0.time))),\(fixed(y($0.figure.ciHigh ?? 0)))" }
      let lower = banded.reversed().map { "\(fixed(x($0.time))),\(fixed(y($0.figure.ciLow ?? 0)))" }
      svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#3b6fd4\" fill-opacity=\"0.15\"/>\n"
    } else {
      for point in banded {
        svg +=
          "<line x1=\"\(fixed(x(point.time)))\" y1=\"\(fixed(y(point.figure.ciLow ?? 0)))\" x2=\"\(fixed(x(point.time)))\" y2=\"\(fixed(y(point.figure.ciHigh ?? 0)))\" stroke=\"#3b6fd4\" stroke-opacity=\"0.4\" stroke-width=\"6\"/>\n"
      }
    }
    let line = points.map { "\(fixed(x($0.time))),\(fixed(y($0.figure.value ?? 0)))" }.joined(separator: " ")
    svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#3b6fd4\" stroke-width=\"2\"/>\n"
    for point in points {
      let value = point.figure.value ?? 0
      let fill = point.group.isInsufficient ? "#ffffff" : "#3b6fd4"
      let title =
        "\(point.group.group): \(number(value))\(interval(point.figure)), \(point.group.postings(roleA)) and \(point.group.postings(roleB)) postings\(point.group.isInsufficient ? ", insufficient" : "")"
      svg +=
        "<circle cx=\"\(fixed(x(point.time)))\" cy=\"\(fixed(y(value)))\" r=\"4\" fill=\"\(fill)\" stroke=\"#3b6fd4\" stroke-width=\"1.5\"><title>\(escape(title))</title></circle>\n"
    }
    var trendNote = ""
    if let trend = grouped.trend, let slope = trend.value {
      let fitted = points.filter { grouped.trendGroups.contains($0.group.group) }
      let times = fitted.map(\.time)
      let values = fitted.compactMap(\.figure.value)
      if let first = times.first, let last = times.last, values.count == times.count {
        let meanT = times.reduce(0, +) / Double(times.count)
        let meanV = values.reduce(0, +) / Double(values.count)
        let start = meanV + slope * (first - meanT)
        let end = meanV + slope * (last - meanT)
        svg +=
          "<line x1=\"\(fixed(x(first)))\" y1=\"\(fixed(y(start)))\" x2=\"\(fixed(x(last)))\" y2=\"\(fixed(y(end)))\" stroke=\"#d9822b\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
      }
      let band =
        trend.ciLow.flatMap { low in
          trend.ciHigh.map { " [\(CSVWriter.format(low, decimals: 3)), \(CSVWriter.format($0, decimals: 3))]" }
        } ?? ""
      let p = trend.pValue.map { $0 < 0.001 ? ", p &lt; 0.001" : ", p = \(CSVWriter.format($0, decimals: 3))" } ?? ""
      trendNote =
        " Dashed: the least-squares trend, \(slope >= 0 ? "+" : "−")\(CSVWriter.format(abs(slope), decimals: 3)) per year\(band)\(p), fitted on the \(grouped.trendGroups.count) periods with enough clusters."
    } else if let trend = grouped.trend {
      trendNote = " No trend line: \(escape(trend.note))."
    }
    return """
      <p class="note">overlap_index per \(escape(grouped.key.name)), with its 95% cluster-bootstrap interval as the band; hollow points have too few clusters (insufficient).\(trendNote)</p>
      <svg width="\(fixed(width))" height="\(fixed(height))" viewBox="0 0 \(fixed(width)) \(fixed(height))" role="img" aria-label="overlap over time">
      \(svg)</svg>

      """
  }

  /// A diverging bar chart of the terms distinctive of each side (q < 0.05), on a z-score axis.
  func termsSection() -> String {
    let positive = overlap.distinctive(roleA)
    let negative = overlap.distinctive(roleB)
    let terms = positive + negative.reversed()
    let core =
      "<p><b>Shared core</b> (common in both, not distinctive): \(overlap.sharedCore().map { escape($0.term) }.joined(separator: ", "))</p>"
    guard !terms.isEmpty else {
      return
        "<h2>Distinctive terms</h2><p class=\"note\">No term is distinctive of either role at q &lt; \(CSVWriter.format(overlap.options.termFalseDiscoveryRate, decimals: 2)) (Fisher exact test over clusters, Benjamini-Hochberg).</p>\(core)\n"
    }
    let maximum = max(terms.map { abs($0.z) }.max() ?? 1, 1e-9)
    let rowHeight = 18.0
    let width = 760.0
    let center = width / 2
    let scale = (center - 150) / maximum
    let top = 34.0
    var svg = ""
    // The axis: z-scores at round steps, both ways.
    let step = Self.axisStep(maximum)
    var tick = 0.0
    while tick <= maximum + 1e-9 {
      for sign in tick == 0 ? [1.0] : [1.0, -1.0] {
        let x = center + sign * tick * scale
        svg +=
          "<line x1=\"\(fixed(x))\" y1=\"\(fixed(top - 6))\" x2=\"\(fixed(x))\" y2=\"\(fixed(top - 2))\" stroke=\"#8a93a6\"/>"
        svg +=
          "<text x=\"\(fixed(x))\" y=\"\(fixed(top - 10))\" text-anchor=\"middle\">\(CSVWriter.format(sign * tick, decimals: step < 1 ? 1 : 0))</text>"
      }
      tick += step
    }
    svg +=
      "<line x1=\"\(fixed(center - maximum * scale))\" y1=\"\(fixed(top - 4))\" x2=\"\(fixed(center + maximum * scale))\" y2=\"\(fixed(top - 4))\" stroke=\"#8a93a6\"/>\n"
    for (index, term) in terms.enumerated() {
      let y = Double(index) * rowHeight + top
      let length = abs(term.z) * scale
      let x = term.z >= 0 ? center : center - length
      svg +=
        "<rect class=\"\(term.z >= 0 ? "a" : "b")\" x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(length))\" height=\"\(fixed(rowHeight - 4))\"><title>\(escape(term.term)): z \(number(term.z)), q \(number(term.qValue))</title></rect>"
      let labelX = term.z >= 0 ? center - 6 : center + 6
      svg +=
        "<text x=\"\(fixed(labelX))\" y=\"\(fixed(y + 12))\" text-anchor=\"\(term.z >= 0 ? "end" : "start")\">\(escape(term.term))</text>\n"
    }
    let height = Double(terms.count) * rowHeight + top + 10
    return """
      <h2>Distinctive terms</h2>
      <p class="note">Terms whose share of clusters differs between the roles (Fisher exact test, Benjamini-Hochberg q &lt; \(CSVWriter.format(overlap.options.termFalseDiscoveryRate, decimals: 2))), drawn by their log-odds z-score with informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008; axis: z): <span style="color:#3b6fd4">more typical of \(escape(name(roleA)))</span> to the right, <span style="color:#d9822b">more typical of \(escape(name(roleB)))</span> to the left. All terms in terms.csv.</p>
      \(core)
      <svg width="\(fixed(width))" height="\(fixed(height))" viewBox="0 0 \(fixed(width)) \(fixed(height))" role="img" aria-label="distinctive terms">
      <line x1="\(fixed(center))" y1="\(fixed(top - 4))" x2="\(fixed(center))" y2="\(fixed(height - 5))" stroke="#8a93a6"/>
      \(svg)</svg>

      """
  }

  /// A round step for an axis up to `maximum`: 1, 2 or 5 times a power of ten, 2–6 steps.
  static func axisStep(_ maximum: Double) -> Double {
    let raw = maximum / 4
    let power = pow(10, (log10(max(raw, 1e-9))).rounded(.down))
    for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return factor * power }
    return 10 * power
  }

  /// Skill prevalence of both roles, side by side.
  func skillsSection() -> String {
    guard let statsA = overlap.statistics[roleA], let statsB = overlap.statistics[roleB], statsA.postings > 0,
      statsB.postings > 0
    else { return "" }
    let skills = report.lexicon.skills
    let rowHeight = 34.0
    let labelWidth = 220.0
    let barWidth = 480.0
    var svg = ""
    for (index, skill) in skills.enumerated() {
      let y = Double(index) * rowHeight + 10
      let shareA = Double(statsA.skillPostings[index] ?? 0) / Double(statsA.postings)
      let shareB = Double(statsB.skillPostings[index] ?? 0) / Double(statsB.postings)
      svg += "<text x=\"0\" y=\"\(fixed(y + 20))\">\(escape(skill.name))</text>"
      svg +=
        "<rect class=\"a\" x=\"\(fixed(labelWidth))\" y=\"\(fixed(y + 2))\" width=\"\(fixed(shareA * barWidth))\" height=\"13\"><title>\(escape(name(roleA))): \(number(shareA))</title></rect>"
      svg += "<text x=\"\(fixed(labelWidth + shareA * barWidth + 4))\" y=\"\(fixed(y + 13))\">\(percent(shareA))</text>"
      svg +=
        "<rect class=\"b\" x=\"\(fixed(labelWidth))\" y=\"\(fixed(y + 16))\" width=\"\(fixed(shareB * barWidth))\" height=\"13\"><title>\(escape(name(roleB))): \(number(shareB))</title></rect>"
      svg +=
        "<text x=\"\(fixed(labelWidth + shareB * barWidth + 4))\" y=\"\(fixed(y + 27))\">\(percent(shareB))</text>\n"
    }
    let height = Double(skills.count) * rowHeight + 20
    return """
      <h2>Skills mentioned</h2>
      <p class="note">Share of postings mentioning each skill category of the lexicon: <span style="color:#3b6fd4">\(escape(name(roleA)))</span> (n=\(statsA.postings)) above, <span style="color:#d9822b">\(escape(name(roleB)))</span> (n=\(statsB.postings)) below. All roles in skills.csv.</p>
      <svg width="780" height="\(fixed(height))" viewBox="0 0 780 \(fixed(height))" role="img" aria-label="skills">
      \(svg)</svg>

      """
  }

  /// The overlap index of every pair of roles with enough clusters, as a heatmap with role
  /// names on both axes and a colour legend.
  func heatmapSection() -> String {
    let roles = Role.allCases.filter { overlap.clusterCount($0) >= overlap.options.minimumClusters }
    guard roles.count >= 2 else { return "" }
    var index: [Set<Role>: Double] = [:]
    for similarity in overlap.similarities {
      if let value = similarity.overlapIndex { index[[similarity.roleA, similarity.roleB]] = value }
    }
    func colour(_ value: Double) -> String { "hsl(218,65%,\(fixed(95 - min(max(value, 0), 1) * 55))%)" }
    let cell = 52.0
    let left = 210.0
    let top = 150.0
    var svg = ""
    for (column, b) in roles.enumerated() {
      let x = left + Double(column) * cell + cell / 2
      svg +=
        "<text transform=\"translate(\(fixed(x)),\(fixed(top - 8))) rotate(-45)\" text-anchor=\"start\">\(escape(name(b)))</text>"
    }
    svg += "\n"
    for (row, a) in roles.enumerated() {
      svg +=
        "<text x=\"\(fixed(left - 8))\" y=\"\(fixed(top + Double(row) * cell + cell / 2 + 4))\" text-anchor=\"end\">\(escape(name(a)))</text>"
      for (column, b) in roles.enumerated() {
        let x = left + Double(column) * cell
        let y = top + Double(row) * cell
        if a == b {
          svg +=
            "<rect x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(cell - 2))\" height=\"\(fixed(cell - 2))\" fill=\"#eef0f4\"/>"
          continue
        }
        guard let value = index[[a, b]] else {
          svg +=
            "<rect x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(cell - 2))\" height=\"\(fixed(cell - 2))\" fill=\"#fff\" stroke=\"#d8dce4\"/>"
          continue
        }
        svg +=
          "<rect x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(cell - 2))\" height=\"\(fixed(cell - 2))\" fill=\"\(colour(value))\"><title>\(escape(name(a))) / \(escape(name(b))): overlap index \(number(value))</title></rect>"
        svg +=
          "<text x=\"\(fixed(x + cell / 2 - 1))\" y=\"\(fixed(y + cell / 2 + 4))\" text-anchor=\"middle\" style=\"fill:\(value > 0.55 ? "#fff" : "#1d2330")\">\(CSVWriter.format(value, decimals: 2))</text>"
      }
      svg += "\n"
    }
    // Legend: the colour scale from 0 to 1 (values above 1 take the darkest colour).
    let legendY = top + Double(roles.count) * cell + 24
    let legendWidth = 200.0
    for step in 0..<20 {
      let value = Double(step) / 19
      svg +=
        "<rect x=\"\(fixed(left + Double(step) * legendWidth / 20))\" y=\"\(fixed(legendY))\" width=\"\(fixed(legendWidth / 20 + 0.5))\" height=\"12\" fill=\"\(colour(value))\"/>"
    }
    for tick in [0.0, 0.5, 1.0] {
      svg +=
        "<text x=\"\(fixed(left + tick * legendWidth))\" y=\"\(fixed(legendY + 28))\" text-anchor=\"middle\">\(CSVWriter.format(tick, decimals: 1))</text>"
    }
    svg += "<text x=\"\(fixed(left - 8))\" y=\"\(fixed(legendY + 11))\" text-anchor=\"end\">overlap index</text>\n"
    let width = left + Double(roles.count) * cell + 60
    let height = legendY + 40
    return """
      <h2>How similar all roles are</h2>
      <p class="note">Overlap index (size-free; 1 = exchangeable) for every pair of roles with at least \(overlap.options.minimumClusters) clusters (darker = more alike; an empty cell: no index); role_similarity.csv has the four-decimal values and the raw cosine and top-term Jaccard.</p>
      <svg width="\(fixed(width))" height="\(fixed(height))" viewBox="0 0 \(fixed(width)) \(fixed(height))" role="img" aria-label="role similarity">
      \(svg)</svg>

      """
  }

  func rolesSection() -> String {
    let total = report.postings.count
    var rows = ""
    for role in Role.allCases {
      let count = report.postings.count(of: role)
      guard count > 0 else { continue }
      let share = total == 0 ? 0 : Double(count) / Double(total)
      rows +=
        "<tr><td>\(escape(role.rawValue))</td><td class=\"num\">\(count)</td><td class=\"num\">\(number(share))</td><td class=\"num\">\(report.postings.needsReview(of: role))</td></tr>\n"
    }
    return """
      <h2>Postings per role</h2>
      <table><tr><th>role</th><th>postings</th><th>share</th><th>needs review</th></tr>
      \(rows)</table>

      """
  }

  // MARK: - Formatting

  func name(_ role: Role) -> String { report.lexicon.entry(role).name.lowercased() }
  func number(_ value: Double) -> String { CSVWriter.format(value, decimals: 4) }
  func fixed(_ value: Double) -> String { CSVWriter.format(value, decimals: 1) }
  func percent(_ value: Double) -> String { CSVWriter.format(value * 100, decimals: 0) + "%" }

  func interval(_ figure: OverlapFigure) -> String {
    guard let low = figure.ciLow, let high = figure.ciHigh else { return "" }
    return " (95% CI \(number(low))–\(number(high)))"
  }

  func escape(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      default: result.append(character)
      }
    }
    return result
  }
}
