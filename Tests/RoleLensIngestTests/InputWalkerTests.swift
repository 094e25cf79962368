import Foundation
import Testing
import _RoleLensTestSupport

@testable import RoleLensIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walking inputs: a deterministic order, every entry accounted for, and nothing that could
/// hang the run (FIFOs) or loop forever (symlink loops) ever opened.
@Suite("Walking inputs")
struct InputWalkerTests {
  static let posting =
    "Project Manager\n\nResponsibilities:\n- Keep the plan, budget and risks current.\n"

  /// A temporary folder removed when the test ends.
  final class Folder {
    let url: URL
    var path: String { url.path }
    init() throws { url = try TestSupport.temporaryFolder("rolelens-walk") }
    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func file(_ name: String, _ text: String = InputWalkerTests.posting) throws -> String {
      try TestSupport.write(text, to: name, in: url)
    }

    func link(_ name: String, to destination: String) throws {
      try FileManager.default.createSymbolicLink(
        atPath: url.appendingPathComponent(name).path, withDestinationPath: destination)
    }
  }

  @Test("files are walked recursively in byte order of their names, relative to the input folder")
  func sortedRecursiveOrder() throws {
    let folder = try Folder()
    for name in ["b.html", "a/z.txt", "a/b.md", "C.txt", "a/sub/01.htm", "a-b.txt"] {
      try folder.file(name)
    }
    let walk = try InputWalker().walk([folder.path])
    #expect(
      walk.files.map(\.relativePath) == [
        "C.txt", "a/b.md", "a/sub/01.htm", "a/z.txt", "a-b.txt", "b.html",
      ])
    #expect(walk.files.map(\.path) == walk.files.map { folder.path + "/" + $0.relativePath })
    #expect(walk.skipped.isEmpty)
  }

  @Test("a folder given with a trailing slash walks the same files, paths joined without a double slash")
  func trailingSlash() throws {
    let folder = try Folder()
    for name in ["a/sub/01.htm", "b.html"] { try folder.file(name) }
    let walk = try InputWalker().walk([folder.path + "/"])
    #expect(walk.files.map(\.relativePath) == ["a/sub/01.htm", "b.html"])
    #expect(walk.files.map(\.path) == [folder.path + "/a/sub/01.htm", folder.path + "/b.html"])
    #expect(walk.files.map(\.systemPath) == walk.files.map { Array($0.path.utf8) })
  }

  @Test("the same tree walks in the same order whatever order the files were created in")
  func orderDoesNotDependOnCreation() throws {
    let names = ["2024-05/tpm.html", "2024-04/pm.txt", "2024-05/em.md", "2024-04/delivery.txt"]
    let first = try Folder()
    let second = try Folder()
    for name in names { try first.file(name) }
    for name in names.reversed() { try second.file(name) }
    let walked = try [first, second].map {
      try InputWalker().walk([$0.path]).files.map(\.relativePath)
    }
    #expect(walked[0] == walked[1])
    #expect(
      walked[0] == ["2024-04/delivery.txt", "2024-04/pm.txt", "2024-05/em.md", "2024-05/tpm.html"])
  }

  @Test("inputs are walked in the order given, and a file given directly keeps its name")
  func inputsInGivenOrder() throws {
    let folder = try Folder()
    let later = try folder.file("z-later/posting.txt")
    try folder.file("a-earlier/one.txt")
    let walk = try InputWalker().walk([later, folder.path + "/a-earlier"])
    #expect(walk.files.map(\.relativePath) == ["posting.txt", "one.txt"])
  }

  @Test("hidden files and folders are reported as hidden, not read; a labels.csv is walked like any file")
  func hiddenFilesAreSkippedAndLabelsAreWalked() throws {
    let folder = try Folder()
    try folder.file("posting.html")
    try folder.file(".DS_Store", "binary junk")
    try folder.file(".cache/old-posting.html")
    try folder.file("labels.csv", "file,label\nposting.html,project-manager\n")
    try folder.file("2024/labels.csv", "file,label\n")
    let walk = try InputWalker().walk([folder.path])
    // The reader, not the walker, says what a labels file is: nothing is dropped unreported.
    #expect(walk.files.map(\.relativePath) == ["2024/labels.csv", "labels.csv", "posting.html"])
    #expect(walk.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [".DS_Store", ".cache"])
    #expect(walk.skipped.allSatisfy { $0.reason == .hidden })
  }

  @Test("files of other types are still walked, so the reader can report them as unsupported")
  func otherFileTypesAreWalked() throws {
    let folder = try Folder()
    try folder.file("posting.html")
    try folder.file("scan.pdf", "%PDF-1.4")
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.map(\.relativePath) == ["posting.html", "scan.pdf"])
  }

  @Test("file sizes come from the file system")
  func fileSizes() throws {
    let folder = try Folder()
    try folder.file("posting.txt", String(repeating: "x", count: 1234))
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.first?.size == 1234)
  }

  // MARK: - Special files and links

  /// Watches a FIFO for a reader: a writer opened without blocking succeeds only when some
  /// process has the FIFO open for reading. Opening the writer also releases a reader blocked
  /// in `open`, so a walker that wrongly opens the FIFO fails the test instead of hanging it.
  final class FIFOWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var _readerSeen = false
    private var _done = false
    private let finished = DispatchSemaphore(value: 0)

    var readerSeen: Bool { lock.withLock { _readerSeen } }

    init(path: String) {
      Thread.detachNewThread { [self] in
        let deadline = Date().addingTimeInterval(30)
        while !lock.withLock({ _done }) && Date() < deadline {
          let descriptor = open(path, O_WRONLY | O_NONBLOCK)
          if descriptor >= 0 {
            lock.withLock { _readerSeen = true }
            close(descriptor)
          }
          usleep(10_000)
        }
        finished.signal()
      }
    }

    func stop() {
      lock.withLock { _done = true }
      finished.wait()
    }
  }

  @Test(
    "a FIFO among the inputs is reported as a special file and never opened",
    .timeLimit(.minutes(1)))
  func fifoIsNeverOpened() throws {
    let folder = try Folder()
    try folder.file("a-posting.txt")
    let fifo = folder.path + "/b-pipe.html"
    try #require(mkfifo(fifo, 0o644) == 0)
    let watch = FIFOWatch(path: fifo)
    let walk = try InputWalker().walk([folder.path])
    watch.stop()
    #expect(!watch.readerSeen)
    #expect(walk.files.map(\.relativePath) == ["a-posting.txt"])
    let skipped = try #require(walk.skipped.first)
    #expect(walk.skipped.count == 1)
    #expect(skipped.reason == .specialFile)
    #expect(skipped.path == fifo)
  }

  @Test("a FIFO given directly as an input is reported as a special file", .timeLimit(.minutes(1)))
  func fifoAsInput() throws {
    let folder = try Folder()
    let fifo = folder.path + "/postings.fifo"
    try #require(mkfifo(fifo, 0o644) == 0)
    let watch = FIFOWatch(path: fifo)
    let walk = try InputWalker().walk([fifo])
    watch.stop()
    #expect(!watch.readerSeen)
    #expect(walk.files.isEmpty)
    #expect(walk.skipped.map(\.reason) == [.specialFile])
  }

  @Test(
    "a folder link back to its parent is reported as a bad link, and the walk ends",
    .timeLimit(.minutes(1)))
  func symlinkLoop() throws {
    let folder = try Folder()
    try folder.file("postings/pm.txt")
    try folder.link("postings/up", to: "..")
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.map(\.relativePath) == ["postings/pm.txt"])
    #expect(walk.skipped.map(\.reason) == [.badLink])
    #expect(walk.skipped.first?.path == folder.path + "/postings/up")
  }

  @Test("a link to itself is reported as a bad link")
  func selfLink() throws {
    let folder = try Folder()
    try folder.link("me.html", to: "me.html")
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.isEmpty)
    #expect(walk.skipped.map(\.reason) == [.badLink])
  }

  @Test("a dangling link is reported as a bad link")
  func danglingLink() throws {
    let folder = try Folder()
    try folder.file("real.txt")
    try folder.link("moved.html", to: "archive/moved.html")
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.map(\.relativePath) == ["real.txt"])
    let skipped = try #require(walk.skipped.first)
    #expect(skipped.reason == .badLink)
    #expect(skipped.path == folder.path + "/moved.html")
    #expect(!skipped.detail.isEmpty)
  }

  @Test("links to files and folders are followed")
  func linksAreFollowed() throws {
    let folder = try Folder()
    try folder.file("store/2024/tpm.html")
    try folder.link("inputs", to: folder.path + "/store/2024")
    try folder.link("latest.html", to: "store/2024/tpm.html")
    let walk = try InputWalker().walk([folder.path + "/inputs", folder.path + "/latest.html"])
    #expect(walk.files.map(\.relativePath) == ["tpm.html", "latest.html"])
    #expect(walk.skipped.isEmpty)
  }

  @Test("a missing input throws inputNotFound naming the path")
  func missingInput() throws {
    let folder = try Folder()
    let missing = folder.path + "/no-such-folder"
    #expect(throws: IngestError.inputNotFound(path: missing)) {
      try InputWalker().walk([missing])
    }
  }

  @Test("a missing input stops the walk even after good inputs")
  func missingInputAfterGoodOnes() throws {
    let folder = try Folder()
    try folder.file("ok.txt")
    #expect(throws: IngestError.self) {
      try InputWalker().walk([folder.path, folder.path + "/typo.txt"])
    }
  }

  // MARK: - Awkward names

  @Test(
    "file names with spaces, non-ASCII letters and a newline are walked and read",
    arguments: [
      "Technical Project Manager (Remote).txt",
      "Produktmanager – Zürich.txt",
      "プロダクトマネージャー.md",
      "two\nlines.txt",
    ])
  func awkwardNames(name: String) throws {
    let folder = try Folder()
    try folder.file("sub folder/" + name)
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.map(\.relativePath) == ["sub folder/" + name])
    #expect(walk.skipped.isEmpty)
    let file = try #require(walk.files.first)
    let read = PostingReader().read(file)
    #expect(read.postings.first?.title == "Project Manager")
    #expect(read.postings.first?.id == "sub folder/" + name)
  }

  @Test("a file name that is not valid UTF-8 is walked and read")
  func latin1FileName() throws {
    let folder = try Folder()
    // "Stellenanzeige_München.txt" as an old Latin-1 zip would extract it: ü is the byte 0xFC.
    var name = Array((folder.path + "/Stellenanzeige_M").utf8).map { CChar(bitPattern: $0) }
    name += [CChar(bitPattern: 0xFC)] + Array("nchen.txt".utf8).map { CChar(bitPattern: $0) } + [0]
    let descriptor = open(name, O_WRONLY | O_CREAT, 0o644)
    try #require(descriptor >= 0)
    let text = Array(Self.posting.utf8)
    _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)

    let walk = try InputWalker().walk([folder.path])
    #expect(walk.skipped.isEmpty)
    let file = try #require(walk.files.first)
    #expect(file.relativePath == "Stellenanzeige_M\\xFCnchen.txt")
    #expect(PostingReader().read(file).postings.count == 1)
  }

  /// Creates a file whose name is `name`'s bytes in `folder`, holding a posting.
  static func createFile(named name: [UInt8], in folder: Folder) throws {
    let path = Array((folder.path + "/").utf8) + name
    let descriptor = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o644)
    try #require(descriptor >= 0)
    let text = Array(Self.posting.utf8)
    _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
  }

  @Test("names with the bytes ff fe and fe ff keep distinct ids and paths, each bad byte as \\xHH")
  func invalidBytesAreEscapedDistinctly() throws {
    let folder = try Folder()
    try Self.createFile(named: [0xFF, 0xFE] + Array(".txt".utf8), in: folder)
    try Self.createFile(named: [0xFE, 0xFF] + Array(".txt".utf8), in: folder)
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.map(\.relativePath) == ["\\xFE\\xFF.txt", "\\xFF\\xFE.txt"])
    #expect(walk.files.map(\.path) == walk.files.map { folder.path + "/" + $0.relativePath })
    let ids = walk.files.flatMap { PostingReader().read($0).postings.map(\.id) }
    #expect(ids == ["\\xFE\\xFF.txt", "\\xFF\\xFE.txt"])
  }

  @Test("a name that really holds a backslash and x is written \\x5Cx, so it differs from an escaped byte")
  func literalBackslashXIsEscaped() throws {
    let folder = try Folder()
    try Self.createFile(named: Array("\\xFF.txt".utf8), in: folder)
    try Self.createFile(named: [0xFF] + Array(".txt".utf8), in: folder)
    let walk = try InputWalker().walk([folder.path])
    #expect(walk.files.map(\.relativePath) == ["\\x5CxFF.txt", "\\xFF.txt"])
    let names = walk.files.map { Array($0.systemPath.split(separator: UInt8(ascii: "/")).last ?? []) }
    #expect(names == [Array("\\xFF.txt".utf8), [0xFF] + Array(".txt".utf8)])
  }

  @Test("an input given in the escaped form names the file with those exact bytes")
  func escapedInputIsOpenedByItsBytes() throws {
    let folder = try Folder()
    try Self.createFile(named: [0xFF, 0xFE] + Array(".txt".utf8), in: folder)
    let walk = try InputWalker().walk([folder.path + "/\\xFF\\xFE.txt"])
    let file = try #require(walk.files.first)
    #expect(file.path == folder.path + "/\\xFF\\xFE.txt")
    #expect(file.relativePath == "\\xFF\\xFE.txt")
    #expect(PostingReader().read(file).postings.map(\.id) == ["\\xFF\\xFE.txt"])
  }
}
