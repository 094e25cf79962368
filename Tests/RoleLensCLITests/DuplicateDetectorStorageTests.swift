import Testing

@testable import RoleLensKit

/// The duplicate detector keeps a posting's id and its numbers in each index for the whole run,
/// compactly; what it gives back must be exactly what it was given.
@Suite("Duplicate detector storage")
struct DuplicateDetectorStorageTests {
  @Test(
    "posting ids read back byte for byte, dataset rows kept as numbers and any other id whole",
    arguments: [
      // Dataset rows of two files, and back to the first.
      ["jobs.csv#1", "jobs.csv#2", "jobs.csv#1099511627775", "more/jobs.jsonl#7", "jobs.csv#3"],
      // Ids that only look like rows: leading zeros, no digits, a '#' in the name, too large.
      ["jobs.csv#01", "jobs.csv#", "#5", "a#b#12", "jobs.csv#1099511627776", "jobs.csv#12a", "jobs.csv#0"],
      // Files' ids (paths), empty ids (postings no index holds), non-ASCII names.
      ["postings/berlin.html", "", "postings/zürich#4", "", "postings/zürich#5", "Saved Pages/é.txt"],
    ])
  func postingIDsRoundTrip(_ ids: [String]) {
    var stored = PostingIDs()
    for id in ids { stored.append(id) }
    #expect(ids.indices.map { stored[$0] } == ids)
  }

  @Test("index numbers map to ordinals: the identity while every posting is indexed, a list after a gap")
  func ordinalMap() {
    var map = OrdinalMap()
    for ordinal in 0..<40_000 { map.append(ordinal) }
    #expect(map.count == 40_000 && map[0] == 0 && map[39_999] == 39_999)
    // Posting 40,000 had no signature: the next number is posting 40,001.
    for ordinal in 40_001..<40_100 { map.append(ordinal) }
    #expect(map.count == 40_099)
    #expect(map[17] == 17 && map[39_999] == 39_999 && map[40_000] == 40_001 && map[40_098] == 40_099)
  }
}
