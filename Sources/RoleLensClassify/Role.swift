/// The roles rolelens tells apart. Raw values are the ids used in every file.
public enum Role: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
  case technicalProjectManager = "technical-project-manager"
  case productManager = "product-manager"
  case projectManager = "project-manager"
  case technicalProgramManager = "technical-program-manager"
  case programManager = "program-manager"
  case technicalProductManager = "technical-product-manager"
  case deliveryManager = "delivery-manager"
  case technicalLead = "technical-lead"
  case engineeringManager = "engineering-manager"
  case other

  /// The roles' ids in the fixed order used for columns.
  public static let ids: [String] = allCases.map(\.rawValue)

  /// Position in `allCases`, used to index score arrays.
  public var index: Int {
    switch self {
    case .technicalProjectManager: return 0
    case .productManager: return 1
    case .projectManager: return 2
    case .technicalProgramManager: return 3
    case .programManager: return 4
    case .technicalProductManager: return 5
    case .deliveryManager: return 6
    case .technicalLead: return 7
    case .engineeringManager: return 8
    case .other: return 9
    }
  }

  /// Orders roles as `allCases` lists them (by `index`).
  public static func < (lhs: Role, rhs: Role) -> Bool { lhs.index < rhs.index }
}
