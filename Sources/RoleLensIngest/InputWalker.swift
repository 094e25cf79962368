#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A regular file found while walking the inputs.
public struct InputFile: Hashable, Sendable {
  /// The path to open (as given, or joined below a given folder).
  public var path: String
  /// The path relative to the input root it was found under; used for posting ids and for
  /// matching `labels.csv`.
  public var relativePath: String
  /// Size in bytes, from `stat`.
  public var size: Int

  public init(path: String, relativePath: String, size: Int) {
    self.path = path
    self.relativePath = relativePath
    self.size = size
  }
}

/// Walks files and folders recursively in a deterministic, sorted order.
///
/// Symbolic links to files and folders are followed; a link that points nowhere or back into a
/// folder being walked is reported, as are FIFOs, sockets and devices, which are never opened
/// (reading a FIFO would block the run).
public struct InputWalker: Sendable {
  /// Extensions rolelens reads (lowercased, last component; `.gz` handled by the loader).
  public static let readableExtensions: Set<String> = [
    "html", "htm", "xhtml", "txt", "md", "markdown", "text",
  ]

  /// Names of files the walker never treats as inputs: project metadata living beside
  /// postings (`labels.csv` in Corpus/) and hidden files.
  public var ignoredNames: Set<String> = ["labels.csv"]

  public init() {}

  /// The result of a walk: files to read, in order, and entries that cannot be read.
  public struct Result: Sendable {
    public var files: [InputFile] = []
    public var skipped: [SkippedInput] = []
  }

  /// Walks `inputs` in the order given; inside a folder, entries are sorted by name
  /// (byte order of their UTF-8 form, so the order does not depend on the locale).
  ///
  /// - Throws: `IngestError.inputNotFound` when a path given by the user does not exist.
  public func walk(_ inputs: [String]) throws -> Result {
    var result = Result()
    for input in inputs {
      var st = stat()
      guard lstat(input, &st) == 0 else { throw IngestError.inputNotFound(path: input) }
      var visited = Set<DirectoryIdentity>()
      visit(path: input, relative: lastComponent(of: input), isRoot: true, visited: &visited, into: &result)
    }
    return result
  }

  // MARK: - Walking

  private struct DirectoryIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  private func visit(
    path: String, relative: String, isRoot: Bool, visited: inout Set<DirectoryIdentity>,
    into result: inout Result
  ) {
    var linkStat = stat()
    guard lstat(path, &linkStat) == 0 else {
      result.skipped.append(SkippedInput(path: path, reason: .unreadable, detail: systemError()))
      return
    }
    var st = stat()
    if stat(path, &st) != 0 {
      let isLink = (linkStat.st_mode & S_IFMT) == S_IFLNK
      let detail = isLink ? "symbolic link points at nothing or loops (\(systemError()))" : systemError()
      result.skipped.append(SkippedInput(path: path, reason: isLink ? .badLink : .unreadable, detail: detail))
      return
    }
    switch st.st_mode & S_IFMT {
    case S_IFDIR:
      let identity = DirectoryIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
      guard !visited.contains(identity) else {
        result.skipped.append(
          SkippedInput(path: path, reason: .badLink, detail: "symbolic link loops back into a folder already being walked"))
        return
      }
      visited.insert(identity)
      defer { visited.remove(identity) }
      guard let names = directoryEntries(path) else {
        result.skipped.append(SkippedInput(path: path, reason: .unreadable, detail: systemError()))
        return
      }
      for name in names where !name.hasPrefix(".") && !ignoredNames.contains(name) {
        let childPath = path.hasSuffix("/") ? path + name : path + "/" + name
        let childRelative = isRoot ? name : relative + "/" + name
        visit(path: childPath, relative: childRelative, isRoot: false, visited: &visited, into: &result)
      }
    case S_IFREG:
      let relativePath = isRoot ? lastComponent(of: path) : relative
      result.files.append(InputFile(path: path, relativePath: relativePath, size: Int(st.st_size)))
    default:
      result.skipped.append(
        SkippedInput(path: path, reason: .specialFile, detail: "\(fileTypeName(st.st_mode)); not opened"))
    }
  }

  /// The folder's entry names sorted by their UTF-8 bytes, or `nil` (with `errno` set) when it
  /// cannot be opened.
  private func directoryEntries(_ path: String) -> [String]? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
        let bytes = raw.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }

  private func fileTypeName(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: return "FIFO (named pipe)"
    case S_IFSOCK: return "socket"
    case S_IFCHR: return "character device"
    case S_IFBLK: return "block device"
    default: return "special file"
    }
  }
}

/// The last path component, without trailing slashes ("Corpus/" -> "Corpus").
func lastComponent(of path: String) -> String {
  var trimmed = Substring(path)
  while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
  if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
  return String(trimmed)
}

/// The current `errno` as text.
func systemError() -> String {
  String(cString: strerror(errno))
}
