import Foundation
import RoleLensStorage

/// One posting as the overlap stage stores it between `add` and the end of the run.
struct SpilledPosting {
  /// The role's index in `Role.allCases`.
  var role: UInt8
  /// Bit `role.index` is set for each role the posting scores as.
  var scoresAs: UInt32
  var skills: [Int] = []
  var vector = TermVector()
  /// The posting's cluster (its resampling unit together with its role); unique when the
  /// caller gave none.
  var cluster: Int64 = 0
  /// The role's index of the posting's body-only reading.
  var bodyRole: UInt8 = 0
  /// The posting's group (`OverlapAccumulator.groups` index) when the run groups postings;
  /// -1 for none.
  var group: Int32 = -1
}

/// Postings' records, appended in input order and read back once in the same order: in memory,
/// or (given a directory) in a temporary file once more than a buffer's worth is pending.
///
/// A record is its byte length, then role, scored-as mask, skills and (delta-coded) term ids
/// with counts, all as LEB128 varints (signed values zigzag-coded), so a posting's
/// vector takes about 3 bytes per distinct term. The file is a `SpillFile`: unlinked as soon
/// as it is created, it disappears when closed, even if the run fails.
final class SpillStore {
  private let directory: URL?
  private let bufferCapacity: Int
  /// Encoded records not yet written to the file.
  private var pending: [UInt8] = []
  /// The temporary file, made at the first flush.
  private var file: SpillFile?
  /// Bytes written to the file so far.
  var fileBytes: Int { file?.size ?? 0 }
  /// The first write error; reported by `forEach`, since `append` cannot throw.
  private var failure: OverlapError?

  /// - Parameters:
  ///   - directory: Where the temporary file goes; `nil` keeps every record in memory.
  ///   - bufferCapacity: Encoded bytes kept in memory before they are written to the file.
  init(directory: URL?, bufferCapacity: Int) {
    self.directory = directory
    self.bufferCapacity = max(bufferCapacity, 1)
  }

  /// Appends one posting's record.
  func append(_ posting: SpilledPosting) {
    var body: [UInt8] = []
    body.reserveCapacity(8 + 3 * posting.vector.ids.count)
    body.append(posting.role)
    body.append(posting.bodyRole)
    Self.appendVarint(Self.zigzag(posting.cluster), to: &body)
    Self.appendVarint(Self.zigzag(Int64(posting.group)), to: &body)
    Self.appendVarint(UInt64(posting.scoresAs), to: &body)
    Self.appendVarint(UInt64(posting.skills.count), to: &body)
    for skill in posting.skills { Self.appendVarint(Self.zigzag(Int64(skill)), to: &body) }
    Self.appendVarint(UInt64(posting.vector.ids.count), to: &body)
    var previous: Int64 = 0
    for (id, count) in zip(posting.vector.ids, posting.vector.counts) {
      Self.appendVarint(Self.zigzag(Int64(id) - previous), to: &body)
      Self.appendVarint(Self.zigzag(Int64(count)), to: &body)
      previous = Int64(id)
    }
    Self.appendVarint(UInt64(body.count), to: &pending)
    pending += body
    if directory != nil && pending.count >= bufferCapacity && failure == nil { flush() }
  }

  /// Reads every record back, in the order they were appended.
  ///
  /// - Parameter body: Called once per record; the posting passed is reused between calls.
  /// - Throws: `OverlapError.spillFile` when writing or reading the file failed.
  func forEach(_ body: (SpilledPosting) -> Void) throws {
    if let failure { throw failure }
    var posting = SpilledPosting(role: 0, scoresAs: 0)
    if let file {
      var window: [UInt8] = []
      do {
        try file.forEachChunk(size: max(bufferCapacity, 1 << 16)) { chunk in
          window += chunk
          let used = try Self.decodeRecords(window, into: &posting, body)
          window.removeFirst(used)
        }
      } catch let failure as SpillFile.Failure {
        throw Self.error(failure)
      }
      guard window.isEmpty else {
        throw OverlapError.spillFile(path: file.path, operation: "read", reason: "a record is cut short")
      }
    }
    let used = try Self.decodeRecords(pending, into: &posting, body)
    guard used == pending.count else {
      throw OverlapError.spillFile(path: file?.path ?? "", operation: "read", reason: "a record is cut short")
    }
  }

  // MARK: - File

  private func flush() {
    guard let directory else { return }
    do {
      let file = try self.file ?? SpillFile(directory: directory.path, prefix: "rolelens-overlap")
      self.file = file
      try pending.withUnsafeBytes { try file.append($0) }
      pending.removeAll(keepingCapacity: true)
    } catch let error as SpillFile.Failure {
      failure = Self.error(error)
    } catch {
      failure = .spillFile(path: file?.path ?? "", operation: "write", reason: String(describing: error))
    }
  }

  private static func error(_ failure: SpillFile.Failure) -> OverlapError {
    .spillFile(path: failure.path, operation: failure.operation, reason: failure.reason)
  }

  // MARK: - Coding

  private static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
  private static func unzigzag(_ value: UInt64) -> Int64 {
    Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
  }

  private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  /// A varint at `offset`, or `nil` when `bytes` ends inside it.
  private static func varint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count, shift < 64 {
      let byte = bytes[offset]
      offset += 1
      value |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { return value }
      shift += 7
    }
    return nil
  }

  /// Decodes the complete records at the start of `bytes`, calling `body` for each.
  ///
  /// - Returns: The number of bytes used (a record cut off at the end is left for later).
  private static func decodeRecords(
    _ bytes: [UInt8], into posting: inout SpilledPosting, _ body: (SpilledPosting) -> Void
  ) throws -> Int {
    try bytes.withUnsafeBytes { bytes in
      var used = 0
      while used < bytes.count {
        var offset = used
        guard let length = varint(bytes, &offset), bytes.count - offset >= Int(length) else { break }
        let end = offset + Int(length)
        let record = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
        guard decode(record, into: &posting) else {
          throw OverlapError.spillFile(path: "", operation: "read", reason: "a record is malformed")
        }
        body(posting)
        used = end
      }
      return used
    }
  }

  private static func decode(_ record: UnsafeRawBufferPointer, into posting: inout SpilledPosting) -> Bool {
    guard record.count >= 2 else { return false }
    var offset = 2
    guard let cluster = varint(record, &offset), let group = varint(record, &offset),
      let scoresAs = varint(record, &offset),
      let skillCount = varint(record, &offset)
    else { return false }
    posting.role = record[0]
    posting.bodyRole = record[1]
    posting.cluster = unzigzag(cluster)
    posting.group = Int32(truncatingIfNeeded: unzigzag(group))
    posting.scoresAs = UInt32(truncatingIfNeeded: scoresAs)
    posting.skills.removeAll(keepingCapacity: true)
    for _ in 0..<skillCount {
      guard let skill = varint(record, &offset) else { return false }
      posting.skills.append(Int(unzigzag(skill)))
    }
    guard let termCount = varint(record, &offset) else { return false }
    posting.vector.ids.removeAll(keepingCapacity: true)
    posting.vector.counts.removeAll(keepingCapacity: true)
    var previous: Int64 = 0
    for _ in 0..<termCount {
      guard let delta = varint(record, &offset), let count = varint(record, &offset) else { return false }
      previous += unzigzag(delta)
      posting.vector.ids.append(Int32(truncatingIfNeeded: previous))
      posting.vector.counts.append(Int32(truncatingIfNeeded: unzigzag(count)))
    }
    return offset == record.count
  }
}
