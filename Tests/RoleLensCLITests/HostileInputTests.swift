import CZlib
import Foundation
import Testing
import _RoleLensTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `rolelens analyze` on a folder of hostile inputs: every file is accounted for, with the
/// reason or warning a user can act on, and nothing hangs, blows up memory or reaches the
/// network. The folder is built once, at test time (several of its files are megabytes).
@Suite("rolelens analyze on hostile inputs, end to end")
struct HostileInputTests {
  // MARK: - What each input should become

  enum Outcome: Sendable, CustomStringConvertible {
    /// A row of postings.csv, with a warning containing this text (or none of the watched ones).
    case posting(warning: String?)
    /// A row of skipped.csv with this reason, and a detail containing this text.
    case skipped(reason: String, detail: String?)

    var description: String {
      switch self {
      case .posting(let warning): return "posting" + (warning.map { " warning '\($0)'" } ?? "")
      case .skipped(let reason, let detail):
        return "skipped \(reason)" + (detail.map { " '\($0)'" } ?? "")
      }
    }
  }

  /// One input of the hostile folder: its path relative to the folder, and what it should become.
  struct Input: Sendable, CustomTestStringConvertible {
    var name: String
    var outcome: Outcome
    var testDescription: String { "\(name.debugDescription) -> \(outcome)" }
  }

  /// Every input of the folder. `check` tests these one by one; `everyFileAccountedFor` checks
  /// that the folder holds nothing else.
  static let inputs: [Input] = [
    Input(name: "empty.txt", outcome: .skipped(reason: "empty", detail: nil)),
    Input(name: "blank.md", outcome: .skipped(reason: "empty", detail: nil)),
    Input(name: "image.html", outcome: .skipped(reason: "binary", detail: "PNG")),
    Input(name: "nul-bytes.txt", outcome: .skipped(reason: "binary", detail: "NUL")),
    Input(name: "utf16le-bom.txt", outcome: .posting(warning: nil)),
    Input(
      name: "utf16le-no-bom.txt",
      outcome: .posting(warning: "no byte-order mark; bytes look like UTF-16LE")),
    Input(name: "deep-nesting.html", outcome: .posting(warning: "nested more than 1000 deep")),
    Input(
      name: "many-attributes.html",
      outcome: .posting(warning: "an element has more than 1000 attributes; the rest were ignored")),
    Input(name: "long-line.html", outcome: .posting(warning: nil)),
    Input(name: "long-line-again.txt", outcome: .posting(warning: nil)),
    Input(name: "huge-title.html", outcome: .posting(warning: "title longer than 300 characters")),
    Input(
      name: "many-jsonld.html",
      outcome: .posting(warning: "5000 JSON-LD blocks; only the first 200 were read")),
    Input(
      name: "broken-jsonld.html",
      outcome: .posting(warning: "JSON-LD block 1 is not valid JSON; ignored")),
    Input(name: "xxe.xhtml", outcome: .posting(warning: nil)),
    Input(name: "billion-laughs.xhtml", outcome: .posting(warning: nil)),
    Input(name: "remote-resources.html", outcome: .posting(warning: nil)),
    Input(name: "bomb.html.gz", outcome: .skipped(reason: "too-large", detail: nil)),
    Input(name: "fake.html.gz", outcome: .skipped(reason: "corrupt", detail: nil)),
    Input(name: "page.html.gz", outcome: .posting(warning: nil)),
    Input(name: "loop-a.html", outcome: .skipped(reason: "bad-link", detail: nil)),
    Input(name: "loop-b.html", outcome: .skipped(reason: "bad-link", detail: nil)),
    Input(name: "nested/parent", outcome: .skipped(reason: "bad-link", detail: "loops back")),
    Input(name: "dangling.html", outcome: .skipped(reason: "bad-link", detail: nil)),
    Input(name: "pipe.html", outcome: .skipped(reason: "special-file", detail: nil)),
    Input(name: "folder.html/inner.txt", outcome: .posting(warning: nil)),
    Input(name: "with spaces.txt", outcome: .posting(warning: nil)),
    Input(name: "naïve-résumé.txt", outcome: .posting(warning: nil)),
    Input(name: "line\nbreak.txt", outcome: .posting(warning: nil)),
  ]

  /// Warnings no input of the folder should get unless its outcome names them.
  static let watchedWarnings = [
    "no byte-order mark", "attributes; the rest were ignored", "title longer than",
    "JSON-LD blocks",
    "not valid JSON",
  ]

  // MARK: - The run, done once

  /// The analysis of the hostile folder, shared by the tests of this suite.
  struct Run: Sendable {
    var folder: URL
    var out: URL
    var execution: TimedRun
    /// What the folder held when rolelens ran (relative paths of files, links and FIFOs).
    var entries: [String]
    /// postings.csv and skipped.csv as rows of column -> value.
    var postings: [[String: String]]
    var skipped: [[String: String]]
    /// Connections the tool made to the local listener the remote URLs point at.
    var connections: Int

    func posting(_ name: String) -> [String: String]? {
      postings.first { $0["path"] == folder.path + "/" + name }
    }

    func skip(_ name: String) -> [String: String]? {
      skipped.first { $0["path"] == folder.path + "/" + name }
    }
  }

  static let shared: Result<Run, any Error> = Result { try makeRun() }

  static func run() throws -> Run { try shared.get() }

  static func makeRun() throws -> Run {
    let listener = try LocalListener()
    defer { listener.close() }
    let folder = try TestSupport.temporaryFolder("rolelens-hostile")
    try HostileFolder.build(in: folder, port: listener.port)
    let out = try TestSupport.temporaryFolder("rolelens-hostile-out")
    let execution = try TimedRun.run(
      ["analyze", folder.path, "--out", out.path, "--bootstrap", "0", "--quiet"], timeout: 300)
    let postings = try rows(of: out.appendingPathComponent("postings.csv"))
    let skipped = try rows(of: out.appendingPathComponent("skipped.csv"))
    let entries = try HostileFolder.entries(in: folder)
    // No later test reads the biggest files: do not leave 10 MB behind in the temporary folder.
    for name in ["long-line.html", "long-line-again.txt", "bomb.html.gz"] {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
    return Run(
      folder: folder, out: out, execution: execution, entries: entries, postings: postings,
      skipped: skipped,
      connections: listener.acceptedConnections())
  }

  /// A CSV written by rolelens as rows of column -> value (empty when the file is missing).
  static func rows(of url: URL) throws -> [[String: String]] {
    guard FileManager.default.fileExists(atPath: url.path) else { return [] }
    let rows = try AnalyzeCommandTests.readCSV(url)
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { row in
      Dictionary(zip(header, row).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
    }
  }

  // MARK: - The whole run

  @Test("analyze exits 0 on the hostile folder, within two minutes, with nothing on stderr")
  func exitsZero() throws {
    let run = try Self.run()
    #expect(
      !run.execution.timedOut, "rolelens did not finish in 300 s (a FIFO opened? a URL fetched?)")
    #expect(run.execution.status == 0, "stderr: \(run.execution.stderr)")
    #expect(run.execution.stderr.isEmpty)
    #expect(run.execution.seconds < 120, "took \(run.execution.seconds) s")
  }

  @Test("every file of the hostile folder is in postings.csv or skipped.csv, and only once")
  func everyFileAccountedFor() throws {
    let run = try Self.run()
    let present = run.entries
    #expect(
      present.sorted() == Self.inputs.map(\.name).sorted(),
      "the folder and the table of inputs differ")
    let accounted = (run.postings + run.skipped).compactMap { $0["path"] }
    for name in present {
      let path = run.folder.path + "/" + name
      #expect(
        accounted.filter { $0 == path }.count == 1,
        "\(name.debugDescription) is accounted for \(accounted.filter { $0 == path }.count) times")
    }
    #expect(
      accounted.count == present.count,
      "rows for paths that are not inputs: \(Set(accounted).subtracting(present.map { run.folder.path + "/" + $0 }))"
    )
  }

  @Test("each hostile input becomes the expected posting or skip", arguments: inputs)
  func check(input: Input) throws {
    let run = try Self.run()
    switch input.outcome {
    case .posting(let warning):
      let row = try #require(
        run.posting(input.name), "not in postings.csv; skipped as \(run.skip(input.name) ?? [:])")
      let warnings = row["warnings"] ?? ""
      if let warning {
        #expect(warnings.contains(warning), "warnings: \(warnings)")
      }
      for watched in Self.watchedWarnings where !(warning?.contains(watched) ?? false) {
        #expect(!warnings.contains(watched), "unexpected warning: \(warnings)")
      }
      #expect(!(row["title"] ?? "").isEmpty, "no title")
    case .skipped(let reason, let detail):
      let row = try #require(
        run.skip(input.name),
        "not in skipped.csv; in postings.csv: \(run.posting(input.name) != nil)")
      #expect(row["reason"] == reason, "detail: \(row["detail"] ?? "")")
      if let detail {
        #expect((row["detail"] ?? "").contains(detail), "detail: \(row["detail"] ?? "")")
      }
    }
  }

  // MARK: - Particular inputs

  @Test("the posting inside 200,000 nested <div>s is extracted whole")
  func deepNestingExtracted() throws {
    let run = try Self.run()
    let row = try #require(run.posting("deep-nesting.html"))
    #expect(row["title"] == HostileFolder.deepPosting.title)
    let inspected = try Self.inspect(run.folder.appendingPathComponent("deep-nesting.html"))
    let text = inspected["text"] as? String ?? ""
    for line in HostileFolder.deepPosting.duties + HostileFolder.deepPosting.requirements {
      #expect(text.contains(line), "missing: \(line)")
    }
  }

  @Test("a 1 MB <title> with no <h1> is cut to 300 characters")
  func hugeTitleCut() throws {
    let run = try Self.run()
    let row = try #require(run.posting("huge-title.html"))
    let title = row["title"] ?? ""
    #expect(title.count == 300)
    #expect(title.hasPrefix("Technical Project Manager"))
  }

  @Test("no term longer than 64 characters reaches terms.csv, even from a 5 MB word")
  func longWordNotATerm() throws {
    let run = try Self.run()
    let terms = try Self.rows(of: run.out.appendingPathComponent("terms.csv"))
    #expect(!terms.isEmpty, "terms.csv is empty: the check would prove nothing")
    let long = terms.compactMap { $0["term"] }.filter { $0.count > 64 }
    #expect(long.isEmpty, "long terms: \(long.map { String($0.prefix(80)) + "… (\($0.count))" })")
    // Both files with the long word are postings of the compared pair, not duplicates, so the
    // word would be listed (it occurs in 2 postings) if the tokenizer kept it.
    for name in ["long-line.html", "long-line-again.txt"] {
      let row = try #require(run.posting(name))
      #expect(
        ["technical-project-manager", "product-manager"].contains(row["role"] ?? ""),
        "\(name): \(row["role"] ?? "")")
      #expect(row["duplicate_of"] == "", "\(name) is a duplicate of \(row["duplicate_of"] ?? "")")
    }
  }

  @Test("an external entity in an .xhtml file is never expanded: no /etc/passwd in the text")
  func externalEntityNotExpanded() throws {
    let run = try Self.run()
    let inspected = try Self.inspect(run.folder.appendingPathComponent("xxe.xhtml"))
    let text = inspected["text"] as? String ?? ""
    #expect(
      text.contains(HostileFolder.sample(11).duties[0]),
      "the posting was not extracted: \(text.prefix(300))")
    #expect(!text.contains("root:"))
    #expect(!text.contains("/bin/"))
  }

  @Test("a billion-laughs entity bomb is not expanded and costs no time")
  func billionLaughsNotExpanded() throws {
    let run = try Self.run()
    let started = Date()
    let inspected = try Self.inspect(run.folder.appendingPathComponent("billion-laughs.xhtml"))
    #expect(Date().timeIntervalSince(started) < 10)
    let text = inspected["text"] as? String ?? ""
    #expect(text.contains(HostileFolder.sample(12).duties[0]))
    #expect(!text.contains("lollol"))
    #expect(text.count < 20_000)
  }

  @Test("remote stylesheets, scripts, images, frames and DTDs are never fetched")
  func remoteResourcesNotFetched() throws {
    let run = try Self.run()
    #expect(
      run.connections == 0, "rolelens connected to the local listener \(run.connections) times")
    let listener = try LocalListener()
    defer { listener.close() }
    let folder = try TestSupport.temporaryFolder()
    try TestSupport.write(
      HostileFolder.remotePage(port: listener.port), to: "remote.html", in: folder)
    let started = Date()
    let inspected = try Self.inspect(folder.appendingPathComponent("remote.html"))
    #expect(Date().timeIntervalSince(started) < 10)
    #expect(listener.acceptedConnections() == 0)
    #expect((inspected["text"] as? String ?? "").contains(HostileFolder.sample(13).duties[0]))
  }

  @Test("a gzip bomb is skipped as too-large without inflating it in memory")
  func gzipBombMemory() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try HostileFolder.writeBomb(to: folder.appendingPathComponent("bomb.html.gz"))
    try TestSupport.write(HostileFolder.sample(0).plainText, to: "posting.txt", in: folder)
    let out = try TestSupport.temporaryFolder()
    let time = URL(fileURLWithPath: "/usr/bin/time")
    let measured = FileManager.default.isExecutableFile(atPath: time.path)
    let arguments = ["analyze", folder.path, "--out", out.path, "--bootstrap", "0", "--quiet"]
    let execution = try TimedRun.run(
      measured ? ["-v", TestSupport.executable.path] + arguments : arguments,
      executable: measured ? time : TestSupport.executable,
      timeout: 120)
    #expect(execution.status == 0, "stderr: \(execution.stderr)")
    let skipped = try Self.rows(of: out.appendingPathComponent("skipped.csv"))
    #expect(skipped.map { $0["reason"] } == ["too-large"])
    if measured {
      let line = execution.stderr.split(separator: "\n").first {
        $0.contains("Maximum resident set size")
      }
      let kilobytes = try #require(
        line.flatMap { $0.split(separator: ":").last }.flatMap {
          Int($0.trimmingCharacters(in: .whitespaces))
        })
      #expect(kilobytes < 150_000, "peak memory \(kilobytes / 1024) MB for a 300 MB bomb")
    } else {
      print("/usr/bin/time is absent: peak memory of the gzip bomb not measured")
    }
  }

  @Test("a file over --max-file-size is skipped as too-large; smaller files are read")
  func maxFileSizeOption() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var big = HostileFolder.sample(2).plainText
    while big.utf8.count < 200_000 {
      big += "\n- " + HostileFolder.sample(big.utf8.count % 7).duties.joined(separator: ". ")
    }
    try TestSupport.write(big, to: "big.txt", in: folder)
    try TestSupport.write(HostileFolder.sample(3).plainText, to: "small.txt", in: folder)
    let out = try TestSupport.temporaryFolder()
    let execution = try TimedRun.run(
      [
        "analyze", folder.path, "--out", out.path, "--bootstrap", "0", "--quiet", "--max-file-size",
        "100000",
      ], timeout: 120)
    #expect(execution.status == 0, "stderr: \(execution.stderr)")
    let skipped = try Self.rows(of: out.appendingPathComponent("skipped.csv"))
    #expect(skipped.map { $0["path"] } == [folder.path + "/big.txt"])
    #expect(skipped.first?["reason"] == "too-large")
    #expect(skipped.first?["detail"]?.contains("100000") == true)
    let postings = try Self.rows(of: out.appendingPathComponent("postings.csv"))
    #expect(postings.map { $0["path"] } == [folder.path + "/small.txt"])
  }

  /// `rolelens inspect <file> --json` as an object.
  static func inspect(_ file: URL) throws -> [String: Any] {
    let execution = try TimedRun.run(["inspect", file.path, "--json"], timeout: 120)
    #expect(execution.status == 0, "inspect \(file.lastPathComponent): \(execution.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(execution.stdout.utf8)) as? [String: Any])
  }
}

// MARK: - Running the binary with a time limit

/// A run with its time and whether it passed its limit: `TestSupport.run` measures both.
typealias TimedRun = TestSupport.Execution

extension TestSupport.Execution {
  static func run(_ arguments: [String], executable: URL = TestSupport.executable, timeout: Double) throws -> Self {
    try TestSupport.run(arguments, executable: executable, timeout: timeout)
  }
}

// MARK: - A local listener that counts connections

/// A TCP socket listening on 127.0.0.1; remote URLs in test pages point at it, so any fetch
/// shows up as a connection (the kernel completes the handshake into the backlog even before
/// `accept`).
struct LocalListener: Sendable {
  let descriptor: Int32
  let port: UInt16

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  init() throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else {
      throw Failure(description: "socket: \(String(cString: strerror(errno)))")
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0, listen(descriptor, 64) == 0 else {
      Glibc.close(descriptor)
      throw Failure(description: "bind/listen: \(String(cString: strerror(errno)))")
    }
    var actual = sockaddr_in()
    var actualLength = length
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &actualLength)
      }
    }
    self.descriptor = descriptor
    self.port = UInt16(bigEndian: actual.sin_port)
    _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
  }

  /// Accepts (and closes) every pending connection; returns how many there were.
  func acceptedConnections() -> Int {
    var count = 0
    while true {
      let connection = accept(descriptor, nil, nil)
      if connection < 0 { break }
      Glibc.close(connection)
      count += 1
    }
    return count
  }

  func close() { Glibc.close(descriptor) }
}

// MARK: - Building the folder

/// Writes the hostile folder; every readable file holds a short realistic posting.
enum HostileFolder {
  /// A realistic short posting, varied by index so that files are not near-duplicates.
  struct Sample {
    var title: String
    var company: String
    var city: String
    var duties: [String]
    var requirements: [String]

    var plainText: String {
      """
      \(title)
      Company: \(company)
      Location: \(city)

      About the role:
      \(company) is hiring in \(city). You will join a team of twelve and report to the head of delivery.

      Responsibilities:
      \(duties.map { "- " + $0 }.joined(separator: "\n"))

      Requirements:
      \(requirements.map { "- " + $0 }.joined(separator: "\n"))
      """
    }

    /// The posting as HTML body content, inside `<main>`.
    var htmlMain: String {
      """
      <main class="job-description"><h1>\(title)</h1>
      <p>\(company) is hiring in \(city). You will join a team of twelve and report to the head of delivery.</p>
      <h2>Responsibilities</h2><ul>\(duties.map { "<li>\($0)</li>" }.joined())</ul>
      <h2>Requirements</h2><ul>\(requirements.map { "<li>\($0)</li>" }.joined())</ul></main>
      """
    }

    /// A whole page around the posting.
    func page(
      head: String = "", title documentTitle: String? = nil, before: String = "", after: String = ""
    ) -> String {
      """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(documentTitle ?? "\(title) | \(company) careers")</title>\(head)</head>
      <body><nav><a href="/">Home</a> <a href="/jobs">All jobs</a></nav>
      \(before)\(htmlMain)\(after)
      <footer>© \(company). All rights reserved.</footer></body></html>
      """
    }
  }

  static let technicalDuties = [
    "Plan and run the cutover of our warehouse management system to the cloud",
    "Keep the vendor, the infrastructure team and operations on one integrated schedule",
    "Own the risk register and the RAID log, and escalate blockers early",
    "Run sprint planning and release readiness reviews with four engineering squads",
    "Coordinate data migration rehearsals and go-live checklists across three sites",
    "Report delivery status, budget and scope changes to the steering committee every two weeks",
    "Track technical dependencies between the API, mobile and data platform teams",
    "Manage the change control process for network and firewall upgrades",
  ]
  static let technicalRequirements = [
    "5+ years delivering technical projects with hard deadlines",
    "Hands-on experience with Jira, Confluence and MS Project",
    "Working knowledge of cloud infrastructure, networking and CI/CD",
    "PMP or PRINCE2 certification",
    "Experience running vendor contracts and statements of work",
    "Calm under pressure during cutover weekends",
  ]
  static let productDuties = [
    "Own the roadmap for in-store payments and decide what we build next",
    "Interview shop owners every week and turn their problems into product bets",
    "Write clear problem statements and acceptance criteria with design and engineering",
    "Define success metrics and measure every launch with experiments",
    "Prioritise the backlog using customer research, revenue impact and effort",
    "Run discovery for a new subscription offer with pricing and market research",
    "Present product strategy and quarterly results to leadership",
    "Work with sales and support to find where customers struggle during onboarding",
  ]
  static let productRequirements = [
    "4+ years of product management on a consumer or SaaS product",
    "Comfort with A/B testing, funnels and SQL",
    "A record of shipping features customers love",
    "Strong written communication and crisp specifications",
    "Experience with pricing, packaging or marketplaces",
    "Curiosity about customers and about data",
  ]
  static let companies = [
    "Northwind Logistics", "Fabrikam Retail", "Contoso Health", "Tailspin Airlines",
    "Wingtip Games",
    "Litware Energy", "Adventure Works", "Proseware Media", "Alpine Ski House", "Woodgrove Bank",
    "Coho Winery", "Margie's Travel", "Lucerne Publishing", "Trey Research",
  ]
  static let cities = [
    "Rotterdam", "Lyon", "Porto", "Kraków", "Dublin", "Tallinn", "Valencia", "Leeds", "Gothenburg",
    "Ghent",
    "Bologna", "Brno", "Aarhus", "Graz",
  ]

  /// Sample `index`: technical project manager postings at even indices, product manager ones
  /// at odd indices.
  static func sample(_ index: Int) -> Sample {
    let technical = index % 2 == 0
    let k = index / 2
    let titles =
      technical
      ? [
        "Technical Project Manager", "Senior Technical Project Manager",
        "Technical Project Manager, Infrastructure",
      ]
      : ["Product Manager", "Senior Product Manager, Payments", "Product Manager, Growth"]
    let duties = technical ? technicalDuties : productDuties
    let requirements = technical ? technicalRequirements : productRequirements
    return Sample(
      title: titles[k % titles.count], company: companies[index % companies.count],
      city: cities[(index * 5) % cities.count],
      duties: (0..<3).map { duties[(k * 3 + $0) % duties.count] },
      requirements: (0..<3).map { requirements[(k * 2 + $0) % requirements.count] })
  }

  /// The posting inside the deep nesting.
  static let deepPosting = sample(4)

  /// Relative paths of everything in `folder` that is not a real folder (files, links, FIFOs),
  /// found with `lstat` (links are not followed).
  static func entries(in folder: URL, prefix: String = "") throws -> [String] {
    var result: [String] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      let url = folder.appendingPathComponent(name)
      let type =
        try FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType
      if type == .typeDirectory {
        result += try entries(in: url, prefix: prefix + name + "/")
      } else {
        result.append(prefix + name)
      }
    }
    return result
  }

  static func utf16LE(_ text: String) -> [UInt8] {
    text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
  }

  /// A page whose external resources all point at `port` on 127.0.0.1 (and one at an address
  /// that never answers, which would hang a fetch).
  static func remotePage(port: UInt16) -> String {
    let base = "http://127.0.0.1:\(port)"
    let head = """
      <link rel="stylesheet" href="\(base)/style.css"><link rel="preload" href="\(base)/font.woff2" as="font">
      <script src="\(base)/app.js"></script><script src="http://203.0.113.7/tracker.js"></script>
      """
    let before = """
      <img src="\(base)/logo.png" alt="logo"><iframe src="\(base)/apply-widget"></iframe>
      <object data="\(base)/video.swf"></object><embed src="\(base)/embed.swf">
      """
    return sample(13).page(head: head, before: before).replacingOccurrences(
      of: "<!DOCTYPE html>",
      with:
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"\(base)/xhtml1-strict.dtd\">")
  }

  /// A gzip file of 300 MB of zeros (about 300 KB), compressed as it is produced.
  static func writeBomb(to url: URL) throws {
    let zeros = [UInt8](repeating: 0, count: 1 << 20)
    let bytes = gzipStream(chunks: 300) { _ in zeros }
    try Data(bytes).write(to: url)
  }

  /// Gzip-compresses the concatenation of `chunks` chunks produced by `chunk`, with zlib.
  static func gzipStream(chunks: Int, chunk: (Int) -> [UInt8]) -> [UInt8] {
    var stream = z_stream()
    // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
    guard
      deflateInit2_(
        &stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
        Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { return [] }
    defer { deflateEnd(&stream) }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    for index in 0..<chunks {
      var input = chunk(index)
      let flush = index == chunks - 1 ? Z_FINISH : Z_NO_FLUSH
      input.withUnsafeMutableBufferPointer { inputBuffer in
        stream.next_in = inputBuffer.baseAddress
        stream.avail_in = UInt32(inputBuffer.count)
        repeat {
          let produced = buffer.withUnsafeMutableBufferPointer { outBuffer -> Int in
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = UInt32(outBuffer.count)
            _ = deflate(&stream, flush)
            return outBuffer.count - Int(stream.avail_out)
          }
          output.append(contentsOf: buffer[0..<produced])
        } while stream.avail_out == 0 || stream.avail_in > 0
      }
    }
    return output
  }

  /// Builds every input of `HostileInputTests.inputs` in `folder`.
  static func build(in folder: URL, port: UInt16) throws {
    func write(_ text: String, _ name: String) throws {
      try TestSupport.write(text, to: name, in: folder)
    }
    func write(_ bytes: [UInt8], _ name: String) throws {
      try TestSupport.write(bytes, to: name, in: folder)
    }

    // Empty, blank and binary files.
    try write("", "empty.txt")
    try write("  \n\t\n   \r\n\n", "blank.md")
    try write(
      [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0,
        1, 0, 0, 0, 1, 0, 8, 6,
      ]
        + [UInt8](repeating: 0x5A, count: 64), "image.html")
    try write(
      Array(sample(0).plainText.utf8.prefix(120)) + [0, 0, 0, 0]
        + Array(sample(0).plainText.utf8.dropFirst(120)), "nul-bytes.txt")

    // UTF-16LE with and without a byte-order mark.
    try write([0xFF, 0xFE] + utf16LE(sample(1).plainText), "utf16le-bom.txt")
    try write(utf16LE(sample(2).plainText), "utf16le-no-bom.txt")

    // 200,000 nested <div>s around a posting.
    let depth = 200_000
    try write(
      deepPosting.page(
        before: String(repeating: "<div class=\"wrapper\">", count: depth),
        after: String(repeating: "</div>", count: depth)),
      "deep-nesting.html")

    // One element with 50,000 attributes.
    let attributes = (0..<50_000).map { " data-a\($0)=\"\($0)\"" }.joined()
    try write(sample(5).page(before: "<div\(attributes)>", after: "</div>"), "many-attributes.html")

    // A 5 MB word inside a posting, twice (in two postings of the compared pair), so that the
    // word would be listed in terms.csv if it were a term.
    let longWord = String(repeating: "x", count: 5_000_000)
    try write(
      sample(6).page(before: "", after: "").replacingOccurrences(
        of: "<h2>Requirements</h2>", with: "<p>\(longWord)</p><h2>Requirements</h2>"),
      "long-line.html")
    try write(
      sample(7).plainText.replacingOccurrences(
        of: "Requirements:\n", with: "\(longWord)\nRequirements:\n"), "long-line-again.txt")

    // A 1 MB <title> and no <h1>.
    var hugeTitle = ""
    while hugeTitle.utf8.count < 1 << 20 {
      hugeTitle += "Technical Project Manager – cloud migration programme – Rotterdam – "
    }
    try write(
      sample(8).page(title: hugeTitle).replacingOccurrences(of: "<h1>", with: "<p>")
        .replacingOccurrences(of: "</h1>", with: "</p>"), "huge-title.html")

    // 5,000 JSON-LD blocks, and one broken JSON-LD block.
    let block =
      "<script type=\"application/ld+json\">{\"@context\": \"https://schema.org\", \"@type\": \"BreadcrumbList\", \"itemListElement\": []}</script>\n"
    try write(sample(9).page(head: String(repeating: block, count: 5_000)), "many-jsonld.html")
    let broken = """
      <script type="application/ld+json">{"@context": "https://schema.org", "@type": "JobPosting", "title": "Product "Lead" Manager", "description": "Own the roadmap"}</script>
      """
    try write(sample(10).page(head: broken), "broken-jsonld.html")

    // An external entity and an entity bomb in XHTML.
    try write(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE html [
        <!ENTITY xxe SYSTEM "file:///etc/passwd">
      ]>
      <html xmlns="http://www.w3.org/1999/xhtml"><head><title>\(sample(11).title)</title></head>
      <body><p>&xxe;</p>\(sample(11).htmlMain)<p>&xxe;</p></body></html>
      """, "xxe.xhtml")
    let laughs = (1...9).map { level in
      "  <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
    }.joined(separator: "\n")
    try write(
      """
      <?xml version="1.0"?>
      <!DOCTYPE lolz [
        <!ENTITY lol0 "lol">
      \(laughs)
      ]>
      <html xmlns="http://www.w3.org/1999/xhtml"><head><title>\(sample(12).title)</title></head>
      <body><p>&lol9;</p>\(sample(12).htmlMain)</body></html>
      """, "billion-laughs.xhtml")

    // Remote resources, pointing at the local listener.
    try write(remotePage(port: port), "remote-resources.html")

    // Gzip: a bomb, a fake, a real one.
    try writeBomb(to: folder.appendingPathComponent("bomb.html.gz"))
    try write(sample(14).page(), "fake.html.gz")
    try write(gzipStream(chunks: 1) { _ in Array(sample(15).page().utf8) }, "page.html.gz")

    // Links: a loop, a link to a folder being walked, a dangling link.
    let links = FileManager.default
    try links.createSymbolicLink(
      atPath: folder.appendingPathComponent("loop-a.html").path, withDestinationPath: "loop-b.html")
    try links.createSymbolicLink(
      atPath: folder.appendingPathComponent("loop-b.html").path, withDestinationPath: "loop-a.html")
    try links.createDirectory(
      at: folder.appendingPathComponent("nested"), withIntermediateDirectories: true)
    try links.createSymbolicLink(
      atPath: folder.appendingPathComponent("nested/parent").path, withDestinationPath: "..")
    try links.createSymbolicLink(
      atPath: folder.appendingPathComponent("dangling.html").path,
      withDestinationPath: "missing.html")

    // A FIFO that would block a reader forever.
    guard mkfifo(folder.appendingPathComponent("pipe.html").path, 0o644) == 0 else {
      throw LocalListener.Failure(description: "mkfifo: \(String(cString: strerror(errno)))")
    }

    // A folder named like a file, and awkward file names.
    try write(sample(16).plainText, "folder.html/inner.txt")
    try write(sample(17).plainText, "with spaces.txt")
    try write(sample(18).plainText, "naïve-résumé.txt")
    try write(sample(19).plainText, "line\nbreak.txt")
  }
}

/// The cost of one pathological page: `rolelens inspect` on it, run as a child so that its peak
/// memory is its own (`wait4`'s `ru_maxrss`).
@Suite("Pathological nesting costs time linear in the bytes and bounded memory")
struct PathologicalNestingTests {
  /// Seconds and peak resident kilobytes of `rolelens inspect file`.
  static func cost(_ file: URL) throws -> (seconds: Double, kilobytes: Int) {
    let arguments = [TestSupport.executable.path, "inspect", file.path]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let start = Date()
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
    try #require(spawned == 0, "cannot run \(arguments[0])")
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    #expect(status == 0, "inspect \(file.lastPathComponent) exited with status \(status)")
    return (Date().timeIntervalSince(start), usage.ru_maxrss)
  }

  static let head =
    "<html><head><title>Technical Project Manager</title></head><body>"
    + "<h1>Technical Project Manager</h1><p>Plan releases and coordinate the teams on the roadmap.</p>"

  /// The three pathological shapes, with `n` tags of each kind.
  static func page(_ kind: String, _ n: Int) -> String {
    switch kind {
    case "deep": return head + String(repeating: "<div>", count: n) + "<p>Deep text.</p></body></html>"
    case "flat": return head + String(repeating: "<b>x</b> ", count: n) + "</body></html>"
    case "unmatched":
      return head + String(repeating: "<div>", count: n) + String(repeating: "</span>", count: n) + "</body></html>"
    default:
      return head + String(repeating: "<div>", count: n) + String(repeating: "</span>", count: n)
        + String(repeating: "<b>", count: n) + "</body></html>"
    }
  }

  @Test(
    "four times the bytes cost at most about four times the time, and memory stays bounded",
    arguments: ["deep", "unmatched", "both", "flat"])
  func linear(kind: String) throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // 25,000 and 100,000 pairs: 0.3 and 1.2 MB of unmatched end tags (the latter took ~19 s
    // before the pre-pass cut them); 100,000 and 400,000 nested divs.
    // Flat markup: 300,000 and 1,200,000 elements (2.7 and 11 MB), past the element cap.
    let small = kind == "deep" ? 100_000 : (kind == "flat" ? 300_000 : 25_000)
    let smallFile = URL(fileURLWithPath: try TestSupport.write(Self.page(kind, small), to: "small.html", in: folder))
    let largeFile = URL(
      fileURLWithPath: try TestSupport.write(Self.page(kind, small * 4), to: "large.html", in: folder))
    let smallCost = try Self.cost(smallFile)
    let largeCost = try Self.cost(largeFile)
    // Linear would be 4x (less, with start-up); quadratic is 16x. 8x leaves room for a busy machine.
    #expect(largeCost.seconds < 8 * smallCost.seconds + 0.5, "\(smallCost) -> \(largeCost)")
    // And small in absolute terms: about a second per megabyte in a debug build, at most.
    #expect(largeCost.seconds < 15, "\(smallCost) -> \(largeCost)")
    #expect(largeCost.kilobytes < 200_000, "peak \(largeCost.kilobytes) KB")
  }

  @Test("a page of more elements than the cap keeps all its text, with a warning")
  func elementCapKeepsText() throws {
    let folder = try TestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try TestSupport.write(Self.page("flat", 250_000), to: "flat.html", in: folder)
    let result = try TestSupport.run(["inspect", file, "--json"])
    #expect(result.status == 0)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let warnings = try #require(json["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("more than 200000 elements") }, "\(warnings)")
    let text = try #require(json["text"] as? String)
    #expect(text.filter { $0 == "x" }.count == 250_000)
  }
}
