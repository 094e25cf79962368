import RoleLensClassify

/// What the postings of a run are grouped by (`--by`): a period of their publication date, or a
/// field such as the company or a dataset column. Every figure of the pair is then computed per
/// group too, and for a period a trend over time.
public enum GroupKey: Sendable, Hashable {
  case year, quarter, month, company, source
  /// A dataset column, by name (`--by column:site`).
  case column(String)

  /// The label of the group of postings without a value for the key.
  public static let noneLabel = "(none)"

  /// The key an argument names: `year`, `quarter`, `month`, `company`, `source` or
  /// `column:NAME`; `nil` for anything else.
  public init?(argument: String) {
    switch argument {
    case "year": self = .year
    case "quarter": self = .quarter
    case "month": self = .month
    case "company": self = .company
    case "source": self = .source
    default:
      guard argument.hasPrefix("column:") else { return nil }
      let name = String(argument.dropFirst("column:".count))
      guard !name.isEmpty else { return nil }
      self = .column(name)
    }
  }

  /// The key as `--by` takes it (`year`, `column:site`), also the `group_by` cell.
  public var name: String {
    switch self {
    case .year: return "year"
    case .quarter: return "quarter"
    case .month: return "month"
    case .company: return "company"
    case .source: return "source"
    case .column(let column): return "column:" + column
    }
  }

  /// Whether the groups are periods of time, ordered, with a trend.
  public var isTime: Bool {
    switch self {
    case .year, .quarter, .month: return true
    default: return false
    }
  }

  /// The period of an ISO date (`2021-03-12`): `2021`, `2021-Q1` or `2021-03`; `nil` for a key
  /// that is not a period, or no date.
  public func period(of date: String?) -> String? {
    guard let date, date.utf8.count >= 10 else { return nil }
    let year = String(date.prefix(4))
    let monthText = String(date.dropFirst(5).prefix(2))
    guard let month = Int(monthText), (1...12).contains(month), Int(year) != nil else { return nil }
    switch self {
    case .year: return year
    case .quarter: return "\(year)-Q\((month - 1) / 3 + 1)"
    case .month: return "\(year)-\(monthText)"
    default: return nil
    }
  }

  /// A period label's start in years (`2021` → 2021, `2021-Q2` → 2021.25, `2021-03` →
  /// 2021 + 2/12), the x of the trend; `nil` for the none group and labels that are not periods.
  public func time(of label: String) -> Double? {
    let year = label.prefix(4)
    guard isTime, year.count == 4, let value = Int(year) else { return nil }
    let rest = label.dropFirst(4)
    switch self {
    case .year:
      return rest.isEmpty ? Double(value) : nil
    case .quarter:
      guard rest.hasPrefix("-Q"), let quarter = Int(rest.dropFirst(2)), (1...4).contains(quarter) else { return nil }
      return Double(value) + Double(quarter - 1) / 4
    case .month:
      guard rest.hasPrefix("-"), let month = Int(rest.dropFirst()), (1...12).contains(month) else { return nil }
      return Double(value) + Double(month - 1) / 12
    default:
      return nil
    }
  }
}

/// One role's postings and clusters in a group.
public struct GroupRoleCount: Sendable, Hashable {
  public var role: Role
  /// Postings counted (duplicates left out unless the run includes them).
  public var postings: Int
  /// Resampling units: the role's clusters within the group.
  public var clusters: Int
}

/// Every figure of the pair within one group.
public struct GroupOverlap: Sendable {
  /// The group's label (`2021`, `2021-Q1`, a company, `(none)`).
  public var group: String
  /// Postings and clusters of each role with postings in the group, in `Role.allCases` order.
  public var roles: [GroupRoleCount]
  /// The pair's figures in the group, as for the whole run (`OverlapAnalysis.metrics` order),
  /// with the same intervals, tests and `insufficient` flags.
  public var figures: [OverlapFigure]
  /// Whether either role of the pair has fewer clusters in the group than the minimum.
  public var isInsufficient: Bool

  /// Postings of `role` in the group; 0 when it has none.
  public func postings(_ role: Role) -> Int { roles.first { $0.role == role }?.postings ?? 0 }
  /// Clusters of `role` in the group; 0 when it has none.
  public func clusters(_ role: Role) -> Int { roles.first { $0.role == role }?.clusters ?? 0 }
  /// The figure with the id `metric`, or `nil` when there is none.
  public func figure(_ metric: String) -> OverlapFigure? { figures.first { $0.metric == metric } }
}

/// The pair's figures per group, and for periods the trend of the overlap index over time.
public struct GroupedOverlap: Sendable {
  /// What the postings were grouped by.
  public var key: GroupKey
  /// The groups in report order: periods in time order, other keys by the pair's postings
  /// (most first, ties by label); the none group last.
  public var groups: [GroupOverlap]
  /// `trend_per_year`: the least-squares slope of the groups' `overlap_index` per year, with a
  /// cluster-bootstrap interval and a permutation p-value; `nil` when the key is not a period.
  public var trend: OverlapFigure?
  /// The groups the trend was fitted on (periods with enough clusters of both roles).
  public var trendGroups: [String]
}
