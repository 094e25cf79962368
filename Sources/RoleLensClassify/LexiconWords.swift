import RoleLensText

/// The words of a lexicon (phrase, title-pattern, acronym, expansion and cue tokens) as dense
/// ids, so the scorer matches phrases on integers: a posting's words are looked up once each,
/// not compared as Strings at every position.
///
/// Words with equal Strings (canonical equivalence) share an id, as they would share a
/// dictionary key.
struct LexiconWords: Sendable {
  private var table = WordTable(capacity: 1024)

  /// No words yet.
  init() {}

  /// The number of ids (some ids may be unused spellings of an earlier word).
  var count: Int { table.count }

  /// The id of `word`, adding it if new.
  mutating func intern(_ word: String) -> Int32 {
    let id = table.intern(word)
    return table.canonical[Int(id)]
  }

  /// The ids of `words`, adding new ones.
  mutating func intern(_ words: [String]) -> [Int32] { words.map { intern($0) } }

  /// The id of `word`, or -1 when it is no lexicon word.
  func id(_ word: String) -> Int32 { table.findEqual(word) ?? -1 }

  /// Per word of `words` (by its id there): its lexicon id, or -1 when it is no lexicon word.
  ///
  /// - Complexity: O(total bytes of `words`).
  func ids(of words: WordTable) -> [Int32] {
    words.withStorage { bytes, starts in
      (0..<words.count).map { word in
        let spelling = UnsafeBufferPointer(rebasing: bytes[Int(starts[word])..<Int(starts[word + 1])])
        return table.findEqual(spelling, hash: words.hashes[word]) ?? -1
      }
    }
  }
}
