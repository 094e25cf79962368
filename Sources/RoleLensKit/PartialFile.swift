import CZlib
import RoleLensIngest
import RoleLensStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file one shard of a run writes (`analyze --shard K/N --partial FILE`) and `merge` reads:
/// everything the serial part of a run needs, so that merging the shards' files gives exactly
/// the reports one `analyze` of the same inputs writes.
///
/// A shard does the per-file work (reading, extraction, tokenizing, classification, term
/// counts, MinHash signatures); what needs every posting at once (duplicates and clusters
/// across shards, term ids, the overlap statistics and their resampling) is done by `merge`,
/// from these per-posting results, in the order one run would have met them.
///
/// ## Format (version 1)
/// - 17 bytes: `ROLELENS PARTIAL` and a line feed.
/// - Frames, each: payload length (4 bytes, little-endian), CRC-32 of the payload (4 bytes,
///   little-endian; zlib's CRC-32), the payload.
///   1. The header (`PartialHeader`): format version, tool version, shard `K/N`, the options
///      that change any output, the lexicon (hash and YAML), the inputs as given and a digest
///      of the walk (every file's path and size, the entries it skipped), the walk's skips.
///   2. Data frames of about 256 KB before compression (or one unit, when larger), each holding
///      whole units: a unit is one file's or one dataset block's outcome (its position in the
///      walk and first row, its postings' rows, term counts, signatures and reading facts, its
///      skipped entries). A data frame's payload is the units' length (varint) and their bytes
///      compressed with zlib (`compress2`); the CRC covers the compressed payload.
///   3. The trailer, always 27 payload bytes: `END`, then the counts of units, postings and
///      data frames (8 bytes each, little-endian).
///
/// Values inside payloads are `ByteWriter`'s forms. A file that was cut short has no trailer
/// where it should be; a damaged byte fails its frame's CRC. Either is refused before a
/// report is written.
enum PartialFile {
  /// The file's first bytes.
  static let magic = Array("ROLELENS PARTIAL\n".utf8)
  /// The format's version; a file of another version is refused.
  static let formatVersion = 2
  /// The trailer's first bytes.
  static let trailerTag = Array("END".utf8)
  /// The trailer frame's size: frame head, tag and three counts.
  static let trailerFrameSize = 8 + 3 + 24
  /// Units are gathered into frames of about this many bytes.
  static let frameSize = 256 << 10

  /// CRC-32 of `bytes` (zlib's `crc32`).
  static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
      var crc = crc32(0, nil, 0)
      var start = 0
      // zlib takes lengths as 32-bit counts.
      while start < buffer.count {
        let length = min(buffer.count - start, 1 << 30)
        crc = crc32(crc, buffer.baseAddress.map { $0 + start }, uInt(length))
        start += length
      }
      return UInt32(truncatingIfNeeded: crc)
    }
  }

  /// A data frame's stored form: the raw length (`ByteWriter` varint), then the raw bytes
  /// compressed by zlib (`compress2`, level 1: the signatures do not compress, the terms do,
  /// and speed matters more than the last percent).
  static func deflate(_ raw: [UInt8]) -> [UInt8]? {
    var bound = compressBound(uLong(raw.count))
    var stored = ByteWriter()
    stored.write(UInt64(raw.count))
    var output = [UInt8](repeating: 0, count: Int(bound))
    let status = raw.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        compress2(target.baseAddress, &bound, source.baseAddress, uLong(source.count), 1)
      }
    }
    guard status == Z_OK else { return nil }
    stored.append(raw: output[..<Int(bound)])
    return stored.bytes
  }

  /// The raw bytes of a stored data frame; `nil` when they are not what `deflate` made.
  static func inflate(_ stored: [UInt8]) -> [UInt8]? {
    var reader = ByteReader(stored[...])
    // A frame holds at most a few megabytes: a larger claimed length is damage.
    guard let length = try? reader.readUInt64(), length <= 1 << 31 else { return nil }
    var output = [UInt8](repeating: 0, count: Int(length))
    var produced = uLong(length)
    let start = reader.position
    let status = stored.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        uncompress(target.baseAddress, &produced, source.baseAddress.map { $0 + start }, uLong(source.count - start))
      }
    }
    guard status == Z_OK, produced == uLong(length) else { return nil }
    return output
  }

  /// The exact bytes of a path given as `PathEscaping` text, for the C library's calls.
  static func systemPath(_ path: String) -> [CChar] {
    PathEscaping.bytes(path).map { CChar(bitPattern: $0) } + [0]
  }

  static func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
  }

  static func readUInt32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
  }
}

/// Why a partial file cannot be written, read or merged.
public enum PartialError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file cannot be opened or read.
  case unreadable(path: String, reason: String)
  /// The file is not a partial file of rolelens.
  case notAPartial(path: String)
  /// The file was made by another version of rolelens or of the format.
  case version(path: String, found: String, expected: String)
  /// The file ends before its trailer: it was cut short (a shard that did not finish, a copy
  /// that stopped).
  case truncated(path: String)
  /// A frame's checksum or contents are wrong.
  case corrupt(path: String, detail: String)
  /// The partials do not form one run: a shard missing or given twice, different shard
  /// counts, options, lexicons or inputs.
  case inconsistent(String)
  /// The partial file cannot be written.
  case writeFailed(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "\(path): cannot read the partial file: \(reason)"
    case .notAPartial(let path): return "\(path): not a rolelens partial file (made by analyze --partial)"
    case .version(let path, let found, let expected):
      return "\(path): made by \(found); this is \(expected): make every partial with the same rolelens"
    case .truncated(let path):
      return "\(path): the partial file is truncated (no trailer): run its shard again"
    case .corrupt(let path, let detail): return "\(path): the partial file is corrupt: \(detail): run its shard again"
    case .inconsistent(let message): return message
    case .writeFailed(let path, let reason): return "\(path): cannot write the partial file: \(reason)"
    }
  }

  /// Whether the error is the user's to fix by the command's arguments (exit 2), not a failure
  /// of the machine (a full disk, exit 1).
  public var isUsageError: Bool {
    if case .writeFailed = self { return false }
    return true
  }
}

// MARK: - Writing

/// Writes a partial file: the header, then units as they come, then the trailer, into a
/// temporary file beside the destination that is renamed over it only when complete, so a
/// shard that is killed leaves no partial file behind (or an earlier, complete one).
final class PartialWriter {
  private let path: String
  private let temporaryPath: String
  private var stream: UnsafeMutablePointer<FILE>?
  private var frame = ByteWriter()
  private var units = 0
  private var postings = 0
  private var dataFrames = 0
  /// Bytes written, the trailer included once `finish` returns.
  private(set) var size = 0

  /// The suffix of a partial's temporary file, before the writer's process id.
  static let temporarySuffix = ".incomplete-"

  /// Creates the temporary file and writes the magic and the header frame; first removes the
  /// temporary files of earlier writers of `path` that were killed (their process is gone).
  init(path: String, header: ByteWriter) throws(PartialError) {
    self.path = path
    temporaryPath = path + Self.temporarySuffix + "\(getpid())"
    Self.removeAbandoned(path)
    guard let stream = fopen(PartialFile.systemPath(temporaryPath), "wb") else {
      throw .writeFailed(path: path, reason: Self.errnoText())
    }
    self.stream = stream
    try put(PartialFile.magic[...])
    try putFrame(header.bytes[...])
  }

  deinit {
    if let stream {
      fclose(stream)
      unlink(PartialFile.systemPath(temporaryPath))
    }
  }

  /// Adds a unit (`PartialCoding.write(_:to:)` gives its bytes).
  func add(unit: ByteWriter, postings count: Int) throws(PartialError) {
    frame.append(raw: unit.bytes)
    units += 1
    postings += count
    if frame.bytes.count >= PartialFile.frameSize { try flushFrame() }
  }

  /// Writes the last data frame and the trailer, flushes the file to disk and renames it
  /// into place.
  func finish() throws(PartialError) {
    try flushFrame()
    var trailer = ByteWriter()
    trailer.append(raw: PartialFile.trailerTag)
    trailer.writeFixed(UInt64(units))
    trailer.writeFixed(UInt64(postings))
    trailer.writeFixed(UInt64(dataFrames))
    try putFrame(trailer.bytes[...])
    guard let stream else { return }
    self.stream = nil
    let flushed = fflush(stream) == 0 && fsync(fileno(stream)) == 0
    let reason = Self.errnoText()
    let closed = fclose(stream) == 0
    guard flushed, closed, rename(PartialFile.systemPath(temporaryPath), PartialFile.systemPath(path)) == 0
    else {
      let failure = flushed && closed ? Self.errnoText() : reason
      unlink(PartialFile.systemPath(temporaryPath))
      throw .writeFailed(path: path, reason: failure)
    }
  }

  private func flushFrame() throws(PartialError) {
    guard !frame.bytes.isEmpty else { return }
    guard let deflated = PartialFile.deflate(frame.bytes) else {
      throw .writeFailed(path: path, reason: "zlib could not compress a frame")
    }
    try putFrame(deflated[...])
    dataFrames += 1
    frame.removeAll()
  }

  private func putFrame(_ payload: ArraySlice<UInt8>) throws(PartialError) {
    guard let length = UInt32(exactly: payload.count) else {
      throw .writeFailed(path: path, reason: "a frame of \(payload.count) bytes is over the format's 4 GiB")
    }
    try put((PartialFile.littleEndian(length) + PartialFile.littleEndian(PartialFile.checksum(payload)))[...])
    try put(payload)
  }

  private func put(_ bytes: ArraySlice<UInt8>) throws(PartialError) {
    guard let stream else { return }
    let written = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { fwrite($0, 1, buffer.count, stream) } ?? 0
    }
    guard written == bytes.count else { throw .writeFailed(path: path, reason: Self.errnoText()) }
    size += bytes.count
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }

  /// Removes `path.incomplete-PID` files beside `path` whose process no longer runs: what a
  /// shard killed while writing (out of memory, a scheduler's time limit) leaves.
  private static func removeAbandoned(_ path: String) {
    let bytes = PathEscaping.bytes(path)
    let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
    let folder = slash.map { Array(bytes[...$0]) } ?? Array("./".utf8)
    let prefix = Array(bytes[(slash.map { $0 + 1 } ?? 0)...]) + Array(temporarySuffix.utf8)
    guard let directory = opendir(folder.map { CChar(bitPattern: $0) } + [0]) else { return }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
      guard name.count > prefix.count, name.starts(with: prefix),
        let pid = Int32(String(decoding: name[prefix.count...], as: UTF8.self)), pid > 0,
        kill(pid, 0) != 0 && errno == ESRCH
      else { continue }
      unlink((folder + name).map { CChar(bitPattern: $0) } + [0])
    }
  }
}

// MARK: - Reading

/// Reads a partial file: `init` checks the magic, reads the header and finds the trailer
/// (a truncated file fails here); `verify` checks every frame's CRC; `nextUnit` hands the units
/// on in file order, and `check` compares what they held with the trailer's counts.
final class PartialReader {
  let path: String
  private let stream: UnsafeMutablePointer<FILE>
  /// The header frame's payload.
  private(set) var header: [UInt8] = []
  /// The counts the trailer states.
  private(set) var unitCount = 0
  private(set) var postingCount = 0
  private var dataFrameCount = 0
  private(set) var fileSize = 0
  /// Where the data frames start.
  private var dataStart = 0
  /// The current data frame and the reader over it.
  private var frame: [UInt8] = []
  private var frameReader = ByteReader([])
  private var framesRead = 0

  init(path: String) throws(PartialError) {
    self.path = path
    guard let stream = fopen(PartialFile.systemPath(path), "rb") else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    self.stream = stream
    guard fseeko(stream, 0, SEEK_END) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    fileSize = Int(ftello(stream))
    rewind(stream)
    guard fileSize >= PartialFile.magic.count, try read(PartialFile.magic.count) == PartialFile.magic[...] else {
      throw .notAPartial(path: path)
    }
    header = try readFrame(what: "header")
    dataStart = Int(ftello(stream))
    try readTrailer()
    guard fseeko(stream, off_t(dataStart), SEEK_SET) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  deinit { fclose(stream) }

  /// Reads every data frame once and checks its CRC-32, and that the frames end where the
  /// trailer starts; then rewinds to the first unit. (The units are decoded once, as they are
  /// merged: `check(units:postings:)` then compares them with the trailer.)
  func verify() throws(PartialError) {
    for _ in 0..<dataFrameCount { _ = try readFrame(what: "data") }
    guard Int(ftello(stream)) == fileSize - PartialFile.trailerFrameSize else {
      throw .corrupt(path: path, detail: "its frames do not end where its trailer starts")
    }
    guard fseeko(stream, off_t(dataStart), SEEK_SET) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// Checks the units and postings read from the file against its trailer's counts.
  func check(units: Int, postings: Int) throws(PartialError) {
    guard units == unitCount, postings == postingCount else {
      throw .corrupt(
        path: path,
        detail: "it holds \(units) units and \(postings) postings, its trailer says \(unitCount) and \(postingCount)")
    }
  }

  /// Calls `body` with a reader positioned at the next unit; `false` once every unit is read.
  func nextUnit<T>(_ body: (inout ByteReader) throws -> T) throws(PartialError) -> T? {
    if frameReader.isAtEnd {
      guard framesRead < dataFrameCount else { return nil }
      frame = try readDataFrame()
      framesRead += 1
      frameReader = ByteReader(frame[...])
    }
    do {
      return try body(&frameReader)
    } catch let error as PartialError {
      throw error
    } catch {
      throw .corrupt(path: path, detail: "a unit cannot be read")
    }
  }

  private func readTrailer() throws(PartialError) {
    guard fileSize - dataStart >= PartialFile.trailerFrameSize,
      fseeko(stream, off_t(fileSize - PartialFile.trailerFrameSize), SEEK_SET) == 0
    else { throw .truncated(path: path) }
    let head = try read(8)
    let payload = try read(PartialFile.trailerFrameSize - 8)
    guard PartialFile.readUInt32(head.prefix(4)) == UInt32(payload.count),
      PartialFile.readUInt32(head.suffix(4)) == PartialFile.checksum(payload),
      payload.prefix(3).elementsEqual(PartialFile.trailerTag)
    else { throw .truncated(path: path) }
    var reader = ByteReader(payload.dropFirst(3))
    do {
      (unitCount, postingCount, dataFrameCount) = (
        Int(clamping: try reader.readFixed()), Int(clamping: try reader.readFixed()),
        Int(clamping: try reader.readFixed())
      )
    } catch {
      throw .truncated(path: path)
    }
  }

  /// Reads a data frame, checks its CRC and inflates it.
  private func readDataFrame() throws(PartialError) -> [UInt8] {
    guard let raw = PartialFile.inflate(try readFrame(what: "data")) else {
      throw .corrupt(path: path, detail: "a data frame does not decompress")
    }
    return raw
  }

  /// Reads a frame at the current position and checks its CRC.
  private func readFrame(what: String) throws(PartialError) -> [UInt8] {
    let head = try read(8)
    guard head.count == 8 else { throw .truncated(path: path) }
    let length = Int(PartialFile.readUInt32(head.prefix(4)))
    // A frame that runs past the end is what a file cut short looks like.
    guard Int(ftello(stream)) + length <= fileSize else { throw .truncated(path: path) }
    let payload = try read(length)
    guard payload.count == length else { throw .truncated(path: path) }
    guard PartialFile.checksum(payload) == PartialFile.readUInt32(head.suffix(4)) else {
      throw .corrupt(path: path, detail: "a \(what) frame fails its CRC-32 check")
    }
    return Array(payload)
  }

  private func read(_ count: Int) throws(PartialError) -> ArraySlice<UInt8> {
    var bytes = [UInt8](repeating: 0, count: count)
    let got = bytes.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.map { fread($0, 1, count, stream) } ?? 0
    }
    if got < count && ferror(stream) != 0 {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    return bytes[..<got]
  }
}
