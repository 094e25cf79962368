import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap

/// Options of an analysis run; the command line maps its flags onto these.
public struct AnalysisOptions: Sendable {
  /// Files and folders to read, as `PathEscaping` text (`\xHH` for a byte that is not UTF-8).
  public var inputs: [String]
  /// A lexicon file to use instead of the default.
  public var lexiconPath: String?
  public var overlap = OverlapOptions()
  /// Worker threads (default: all cores).
  public var jobs: Int = max(ProcessInfoCores.count, 1)
  /// Count duplicate postings in the overlap statistics too.
  public var includeDuplicates = false
  /// Hide titles from the classifier (body-only evaluation).
  public var bodyOnly = false
  public var ingest = IngestOptions()

  public init(inputs: [String]) {
    self.inputs = inputs
  }
}

/// The number of cores this process may use.
public enum ProcessInfoCores {
  public static var count: Int {
    #if canImport(Glibc)
      return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
      return 1
    #endif
  }
}

#if canImport(Glibc)
  import Glibc
#endif
