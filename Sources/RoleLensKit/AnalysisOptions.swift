import RoleLensClassify
import RoleLensIngest
import RoleLensOverlap

/// Options of an analysis run; the command line maps its flags onto these.
public struct AnalysisOptions: Sendable {
  /// Files and folders to read (`Analysis.run`), as `PathEscaping` text (`\xHH` for a byte that
  /// is not UTF-8); none are needed to classify or inspect.
  public var inputs: [String]
  /// A lexicon file to use instead of the default.
  public var lexiconPath: String?
  /// Options of the overlap stage: the pair compared, resampling counts, seed. Its `jobs` is
  /// not used: a run gives the stage `jobs` (below).
  public var overlap = OverlapOptions()
  /// Worker threads (default: all cores).
  public var jobs: Int = max(ProcessInfoCores.count, 1)
  /// Count duplicate postings in the overlap statistics too.
  public var includeDuplicates = false
  /// Hide titles from the classifier (body-only evaluation).
  public var bodyOnly = false
  /// How files are read: size limit, dataset columns.
  public var ingest = IngestOptions()
  /// Whether a run may tune the process's allocator (glibc's `mallopt` and `malloc_trim`) to
  /// keep its peak memory low. Off by default, so that a host program's allocator is left as
  /// it is; the command line turns it on.
  public var memoryPolicy = MemoryPolicy.leaveAllocatorAlone
  /// Give free-text CSV cells that a spreadsheet would run as a formula a leading apostrophe
  /// (`--no-formula-guard` turns it off); keys are never changed.
  public var formulaGuard = true

  /// Options for reading `inputs`.
  public init(inputs: [String] = []) {
    self.inputs = inputs
  }
}

/// What a run may do to the process's memory allocator.
public enum MemoryPolicy: Sendable, Hashable {
  /// Touch nothing process-wide (a library host's default).
  case leaveAllocatorAlone
  /// Give freed memory back to the system every 1000 files and after duplicate detection
  /// (`malloc_trim`), and map blocks of 4 MB or more on their own (`mallopt(M_MMAP_THRESHOLD)`):
  /// at 100,000 postings this keeps about 50 MB that glibc would hold resident. It changes
  /// process-wide settings, so only a program that owns its process should ask for it.
  case releaseToSystem
}

/// The number of cores this process may use.
package enum ProcessInfoCores {
  package static var count: Int {
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
