import RoleLensStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file found while walking the inputs.
public struct InputFile: Hashable, Sendable {
  /// The path (as given, or joined below a given folder) as text, in the escaped form of
  /// `PathEscaping`: a name that is not valid UTF-8 shows its bad bytes as `\xHH`.
  public var path: String
  /// The path relative to the input root it was found under, escaped the same way; used for
  /// posting ids and for matching `labels.csv`.
  public var relativePath: String
  /// Size in bytes, from `stat`.
  public var size: Int
  /// The path's exact bytes, for opening (Latin-1 names from old archives are not UTF-8).
  public var systemPath: [UInt8]

  /// - Parameter systemPath: The bytes to open; by default those `path` stands for.
  public init(path: String, relativePath: String, size: Int, systemPath: [UInt8]? = nil) {
    self.path = path
    self.relativePath = relativePath
    self.size = size
    self.systemPath = systemPath ?? PathEscaping.bytes(path)
  }
}

/// The files of a walk, in order, stored compactly: a run keeps the list of every file it reads
/// until the last is read, so each file costs its path's bytes and 20 more, not three strings.
public struct InputFileList: RandomAccessCollection, Sendable {
  /// The files' paths (their exact bytes).
  private var paths = PackedStrings()
  /// Where each file's relative path starts, counted from the start of its path.
  private var relativeStarts: [UInt32] = []
  private var sizes: [Int] = []

  package init() {}

  /// The position of the first file: 0.
  public var startIndex: Int { 0 }
  /// The position after the last file: the number of files.
  public var endIndex: Int { paths.count }

  /// The file at `index`, rebuilt from the stored bytes (paths in `PathEscaping` text form).
  public subscript(index: Int) -> InputFile {
    let systemPath = Array(paths.bytes(index))
    let path = PathEscaping.text(systemPath)
    let relativePath = PathEscaping.text(systemPath[Int(relativeStarts[index])...])
    return InputFile(path: path, relativePath: relativePath, size: sizes[index], systemPath: systemPath)
  }

  /// Adds a file whose relative path is the end of its path, from byte `relativeStart` on.
  mutating func append(systemPath: [UInt8], relativeStart: Int, size: Int) {
    paths.append(systemPath)
    relativeStarts.append(UInt32(relativeStart))
    sizes.append(size)
  }
}

/// Walks files and folders recursively in a deterministic, sorted order.
///
/// Symbolic links to files and folders are followed; a link that points nowhere or back into a
/// folder being walked is reported, as are FIFOs, sockets and devices, which are never opened
/// (reading a FIFO would block the run).
///
/// Every entry is accounted for: a file to read or a skipped entry. (A labels file beside the
/// postings, such as `Corpus/labels.csv`, is a file like any other; `PostingReader` recognises
/// it by its header.)
public struct InputWalker: Sendable {
  /// A walker; it holds no state, so one can be reused for any number of walks.
  public init() {}

  /// The result of a walk: files to read, in order, and entries that cannot be read.
  public struct Result: Sendable {
    /// The regular files to read, in walk order.
    public var files = InputFileList()
    /// The entries that will not be read (hidden, unreadable, broken or looping links, FIFOs,
    /// sockets and devices), with why.
    public var skipped: [SkippedInput] = []
  }

  /// Walks `inputs` in the order given; inside a folder, entries are sorted by name
  /// (byte order, so the order does not depend on the locale).
  ///
  /// - Parameter inputs: Paths in the text form of `PathEscaping` (`\xHH` for a byte that is
  ///   not UTF-8): the command line passes its raw arguments that way.
  /// - Throws: `IngestError.inputNotFound` when a path given by the user does not exist.
  public func walk(_ inputs: [String]) throws -> Result {
    var result = Result()
    for input in inputs {
      let bytes = PathEscaping.bytes(input)
      var st = stat()
      guard lstat(bytes.map { CChar(bitPattern: $0) } + [0], &st) == 0 else {
        throw IngestError.inputNotFound(path: PathEscaping.text(bytes))
      }
      var visited = Set<DirectoryIdentity>()
      visit(bytes: bytes, relativeStart: nil, visited: &visited, into: &result)
    }
    return result
  }

  // MARK: - Walking

  private struct DirectoryIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  /// Visits one path. `bytes` is the path as the file system has it. Below a root, the path
  /// relative to the root starts at byte `relativeStart` of `bytes`; `nil` for the root itself.
  private func visit(
    bytes: [UInt8], relativeStart: Int?, visited: inout Set<DirectoryIdentity>, into result: inout Result
  ) {
    let path = PathEscaping.text(bytes)
    let cPath = bytes.map { CChar(bitPattern: $0) } + [0]
    var linkStat = stat()
    guard lstat(cPath, &linkStat) == 0 else {
      result.skipped.append(SkippedInput(path: path, reason: .unreadable, detail: systemError()))
      return
    }
    var st = stat()
    if stat(cPath, &st) != 0 {
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
          SkippedInput(
            path: path, reason: .badLink, detail: "symbolic link loops back into a folder already being walked"))
        return
      }
      visited.insert(identity)
      defer { visited.remove(identity) }
      guard let entries = directoryEntries(cPath) else {
        result.skipped.append(SkippedInput(path: path, reason: .unreadable, detail: systemError()))
        return
      }
      let separator = bytes.last == UInt8(ascii: "/") ? [] : [UInt8(ascii: "/")]
      // The root's children are relative to it: their relative paths start after its path.
      let childRelativeStart = relativeStart ?? bytes.count + separator.count
      for entryBytes in entries {
        let childBytes = bytes + separator + entryBytes
        if entryBytes.first == UInt8(ascii: ".") {
          // Reported, not read: hidden entries are tool files (.git, .DS_Store), and a hidden
          // folder is listed once rather than walked.
          result.skipped.append(
            SkippedInput(
              path: PathEscaping.text(childBytes), reason: .hidden, detail: "hidden (name starts with '.'); not read"))
          continue
        }
        visit(bytes: childBytes, relativeStart: childRelativeStart, visited: &visited, into: &result)
      }
    case S_IFREG:
      // A file given as a root is relative to its folder: its relative path is its name.
      let start = relativeStart ?? (bytes.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0)
      result.files.append(systemPath: bytes, relativeStart: start, size: Int(st.st_size))
    default:
      result.skipped.append(
        SkippedInput(path: path, reason: .specialFile, detail: "\(Self.fileTypeName(st.st_mode)); not opened"))
    }
  }

  /// The names of the folder's entries (their exact bytes), sorted by their bytes (so the order
  /// does not depend on the locale), or `nil` (with `errno` set) when it cannot be opened.
  private func directoryEntries(_ path: [CChar]) -> [[UInt8]]? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var entries: [[UInt8]] = []
    // The name is read in place, up to its NUL: a record from readdir is only as long as its
    // name needs, so copying the whole `d_name` array can read past the end of the buffer
    // (a crash when the record ends a page).
    let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
    while let entry = readdir(dir) {
      let cName = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
      let bytes = Array(UnsafeRawBufferPointer(start: cName, count: strlen(cName)))
      if bytes != [UInt8(ascii: ".")] && bytes != [UInt8(ascii: "."), UInt8(ascii: ".")] { entries.append(bytes) }
    }
    return entries.sorted { $0.lexicographicallyPrecedes($1) }
  }

  /// What kind of special file `mode` describes, in words.
  static func fileTypeName(_ mode: mode_t) -> String {
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
  // ASCII paths (nearly all) on bytes: `count` on a Substring walks it by Characters.
  var path = path
  if let component = path.withUTF8({ bytes -> String? in
    var end = bytes.count
    var high: UInt8 = 0
    for byte in bytes { high |= byte }
    guard high < 0x80 else { return nil }
    while end > 1 && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
    var start = end
    while start > 0 && bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }) {
    return component
  }
  var trimmed = Substring(path)
  while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
  if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
  return String(trimmed)
}

/// The current `errno` as text.
func systemError() -> String {
  String(cString: strerror(errno))
}
