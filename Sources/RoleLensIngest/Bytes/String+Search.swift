extension String {
  /// Whether `needle` occurs in the string, compared byte for byte in UTF-8.
  ///
  /// Foundation's `contains(_:)` on `String` bridges to `NSString` and costs microseconds per
  /// call; extraction calls this for every element of every page, so it must be cheap.
  ///
  /// - Complexity: O(n · m) worst case, linear in practice.
  func has(_ needle: String) -> Bool {
    if needle.isEmpty { return true }
    var haystack = self
    var pattern = needle
    return haystack.withUTF8 { hay in
      pattern.withUTF8 { sought in
        guard sought.count <= hay.count, let first = sought.first else { return false }
        let last = hay.count - sought.count
        var index = 0
        while index <= last {
          if hay[index] == first {
            var offset = 1
            while offset < sought.count && hay[index + offset] == sought[offset] { offset += 1 }
            if offset == sought.count { return true }
          }
          index += 1
        }
        return false
      }
    }
  }
}
