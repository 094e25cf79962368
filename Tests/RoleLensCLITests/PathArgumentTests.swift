import Foundation
import Testing
import _RoleLensTestSupport

/// Paths on the command line are taken byte for byte, also when they are not UTF-8, and shown
/// in the escaped form (`\xHH`) the README documents.
@Suite("rolelens path arguments, end to end")
struct PathArgumentTests {
  static let posting = """
    Product Manager

    Responsibilities:
    - Own the roadmap for the mobile checkout and decide what we build next
    - Interview customers every week and turn what you learn into product bets
    """

  /// A folder holding `$(printf '\377\376').txt` and `$(printf '\376\377').txt`, made by the
  /// shell (a Swift string cannot name them).
  static func folderWithByteNames() throws -> URL {
    let folder = try TestSupport.temporaryFolder("rolelens-paths")
    try TestSupport.write(posting, to: "source.txt", in: folder)
    let made = try TestSupport.runShell(
      #"cp source.txt "$(printf '\377\376').txt" && mv source.txt "$(printf '\376\377').txt""#, in: folder)
    try #require(made.status == 0, "\(made.stderr)")
    return folder
  }

  @Test("inspect takes a file name that is not UTF-8 as given and shows it escaped")
  func inspectNonUTF8Path() throws {
    let folder = try Self.folderWithByteNames()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try TestSupport.runShell(#""$ROLELENS" inspect "$(printf '\377\376').txt" --json"#, in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["title"] as? String == "Product Manager")
  }

  @Test("analyze reads a non-UTF-8 input and writes into a non-UTF-8 --out, paths distinct and escaped")
  func analyzeNonUTF8InputAndOut() throws {
    let folder = try Self.folderWithByteNames()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try TestSupport.runShell(
      #"mkdir in && mv "$(printf '\377\376').txt" "$(printf '\376\377').txt" in/ && "#
        + #""$ROLELENS" analyze in --out "$(printf 'out\377')" --bootstrap 0 --permutations 0 --quiet"#,
      in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("out\\xFF"))
    // The reports are in the folder named by the byte 0xFF, not in one named U+FFFD.
    let listing = try TestSupport.runShell(#"cat "$(printf 'out\377')/postings.csv""#, in: folder)
    #expect(listing.status == 0, "\(listing.stderr)")
    let rows = listing.stdout.split(separator: "\n").dropFirst().map {
      $0.split(separator: ",").prefix(2).joined(separator: ",")
    }
    #expect(rows == ["\\xFE\\xFF.txt,in/\\xFE\\xFF.txt", "\\xFF\\xFE.txt,in/\\xFF\\xFE.txt"])
    let replaced = try TestSupport.runShell(#"test ! -e "$(printf 'out\357\277\275')""#, in: folder)  // U+FFFD
    #expect(replaced.status == 0)
  }

  @Test("a path that really contains backslash-x is found and shown as \\x5Cx")
  func literalBackslashX() throws {
    let folder = try TestSupport.temporaryFolder("rolelens-paths")
    defer { try? FileManager.default.removeItem(at: folder) }
    try TestSupport.write(Self.posting, to: "pm\\xFF.txt", in: folder)
    let result = try TestSupport.run(["classify", "pm\\xFF.txt"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("pm\\x5CxFF.txt\t"))
  }
}
