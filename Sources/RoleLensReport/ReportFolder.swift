import CRename
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Replaces the report set in an output folder all at once, so that the folder always holds
/// either the complete previous set or the complete new one, even if the run is killed or the
/// disk fills up in the middle.
///
/// The new set is written into a staging folder beside the output folder, named
/// `.<name>.rolelens-staging-<pid>` (a name only rolelens uses); every file and the folder are
/// fsynced. Files in the output folder that rolelens did not write are hard-linked into it (the
/// same files, not copies). The staging folder is then swapped with the output folder in one
/// step (`renameat2(RENAME_EXCHANGE)`), the parent folder is fsynced, and what was swapped out
/// (the previous set, and second links to the user's files) is removed. A run first removes the
/// staging folders of runs that were killed.
struct ReportFolder {
  /// The output folder, without a trailing slash, symbolic links resolved.
  let target: String
  /// The name the user gave, for messages.
  let given: String
  /// The files of a report set.
  let files: [String]

  /// Whether the folder is reached through an open descriptor (`/proc/self/fd/N`: the command
  /// line does this for a name that is not UTF-8, which a Swift path cannot spell). Its parent
  /// cannot be named either, so such a folder's set is staged inside it and renamed in file by
  /// file: each file atomic, the set not.
  var throughDescriptor: Bool { given.hasPrefix("/proc/self/fd/") || given.hasPrefix("/dev/fd/") }

  init(_ folder: String, files: [String]) {
    given = folder
    self.files = files
    var path = folder
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    if folder.hasPrefix("/proc/self/fd/") || folder.hasPrefix("/dev/fd/") {
      target = path
      return
    }
    // Swap the folder a symbolic link points to, not the link.
    target =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { destination in
        destination.hasPrefix("/")
          ? destination : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
      } ?? path
  }

  private var parent: String {
    let parent = (target as NSString).deletingLastPathComponent
    return parent.isEmpty ? "." : parent
  }
  private var name: String { (target as NSString).lastPathComponent }
  private var stagingPrefix: String { ".\(name).rolelens-staging-" }

  /// Writes a new report set with `body`, which gets the staging folder's path, and swaps it in.
  ///
  /// - Throws: `ReportError.cannotWrite`; the output folder is then as it was.
  func replace(_ body: (String) throws -> Void) throws {
    if throughDescriptor { return try replaceInside(body) }
    let exists = try checkTarget()
    do {
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    } catch {
      throw ReportError.cannotWrite(path: given, reason: "cannot create the folder")
    }
    removeLeftovers()
    let staging = parent + "/" + stagingPrefix + String(getpid())
    guard mkdir(staging, 0o777) == 0 else { throw failure(staging) }
    do {
      if exists { try carryOver(into: staging) }
      try body(staging)
      try AtomicFile.syncFolder(staging)
      if exists {
        try swap(staging)
      } else {
        guard crename_noreplace(staging, target) == 0 || (errno == ENOSYS && rename(staging, target) == 0) else {
          throw failure(target)
        }
      }
      try AtomicFile.syncFolder(parent)
    } catch {
      removeSwappedOut(staging)
      throw error
    }
    // Now the previous set (if any): gone from view already, so a failure here loses nothing.
    removeSwappedOut(staging)
  }

  /// `replace` for a folder reached through a descriptor: staged in a hidden folder inside it,
  /// then renamed in file by file.
  private func replaceInside(_ body: (String) throws -> Void) throws {
    let prefix = ".rolelens-staging-"
    if let names = try? entries(target) {
      for entry in names where entry.hasPrefix(prefix) {
        guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
        let leftover = target + "/" + entry
        for name in (try? entries(leftover)) ?? [] where isOurs(name) { unlink(leftover + "/" + name) }
        rmdir(leftover)
      }
    }
    let staging = target + "/" + prefix + String(getpid())
    guard mkdir(staging, 0o777) == 0 else { throw failure(given) }
    defer {
      for name in (try? entries(staging)) ?? [] where isOurs(name) { unlink(staging + "/" + name) }
      rmdir(staging)
    }
    try body(staging)
    try AtomicFile.syncFolder(staging)
    for file in files where FileManager.default.fileExists(atPath: staging + "/" + file) {
      guard rename(staging + "/" + file, target + "/" + file) == 0 else { throw failure(given) }
    }
    try AtomicFile.syncFolder(target)
  }

  /// Checks `--out` before any input is read: writable, and (when it exists) free of folders
  /// of the user's own, so that a run does not fail at its end.
  func check() throws {
    if throughDescriptor {
      guard access(target, W_OK) == 0 else { throw failure(given) }
      return
    }
    _ = try checkTarget()
  }

  /// Checks the output folder up front; returns whether it exists.
  private func checkTarget() throws -> Bool {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { return false }
    guard isDirectory.boolValue else { throw ReportError.cannotWrite(path: given, reason: "not a folder") }
    guard access(target, W_OK) == 0, access(parent, W_OK) == 0 else { throw failure(given) }
    for entry in try entries(target) where !isOurs(entry) {
      var status = stat()
      if lstat(target + "/" + entry, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
        throw ReportError.cannotWrite(
          path: given,
          reason:
            "it holds the folder '\(entry)', which rolelens did not write; the reports replace the folder as a whole, so --out must hold no folders of its own"
        )
      }
    }
    return true
  }

  /// Hard-links the files rolelens did not write into `staging`, and gives it the folder's mode.
  private func carryOver(into staging: String) throws {
    var status = stat()
    if stat(target, &status) == 0 { chmod(staging, status.st_mode & 0o7777) }
    for entry in try entries(target) where !isOurs(entry) {
      guard linkat(AT_FDCWD, target + "/" + entry, AT_FDCWD, staging + "/" + entry, 0) == 0 else {
        let reason = String(cString: strerror(errno))
        throw ReportError.cannotWrite(path: given, reason: "cannot carry '\(entry)' over to the new report (\(reason))")
      }
    }
  }

  /// Swaps `staging` with the output folder, or (where the file system cannot swap) renames
  /// the staged files in one by one.
  private func swap(_ staging: String) throws {
    if crename_exchange(staging, target) == 0 { return }
    guard errno == EINVAL || errno == ENOSYS else { throw failure(target) }
    for file in files where FileManager.default.fileExists(atPath: staging + "/" + file) {
      guard rename(staging + "/" + file, target + "/" + file) == 0 else { throw failure(target + "/" + file) }
    }
    try AtomicFile.syncFolder(target)
  }

  /// Removes a staging folder: report files and rolelens temporaries, and entries that are
  /// second links to the same file in the output folder. Anything else stays (with the folder).
  private func removeSwappedOut(_ staging: String) {
    guard let names = try? entries(staging) else { return }
    for entry in names {
      let path = staging + "/" + entry
      if isOurs(entry) || isSameFile(path, target + "/" + entry) { unlink(path) }
    }
    rmdir(staging)
  }

  /// Removes the staging folders left beside the output folder by killed runs.
  private func removeLeftovers() {
    guard let names = try? entries(parent) else { return }
    for entry in names where entry.hasPrefix(stagingPrefix) {
      guard let pid = Int32(entry.dropFirst(stagingPrefix.count)) else { continue }
      // A living process with that id may be another rolelens writing the same folder.
      if pid != getpid() && kill(pid, 0) == 0 { continue }
      removeSwappedOut(parent + "/" + entry)
    }
  }

  /// Whether `entry` is a report file or a temporary file of an interrupted rolelens write.
  private func isOurs(_ entry: String) -> Bool {
    if files.contains(entry) { return true }
    guard entry.hasPrefix("."), let marker = entry.range(of: ".tmp-") else { return false }
    let file = String(entry[entry.index(after: entry.startIndex)..<marker.lowerBound])
    let pid = entry[marker.upperBound...]
    return files.contains(file) && !pid.isEmpty && pid.allSatisfy(\.isASCIIDigitCharacter)
  }

  private func isSameFile(_ a: String, _ b: String) -> Bool {
    var first = stat()
    var second = stat()
    return lstat(a, &first) == 0 && lstat(b, &second) == 0 && first.st_dev == second.st_dev
      && first.st_ino == second.st_ino
  }

  private func entries(_ folder: String) throws -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw ReportError.cannotWrite(path: folder, reason: "cannot list the folder")
    }
  }

  private func failure(_ path: String) -> ReportError {
    ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
  }
}

extension Character {
  fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
