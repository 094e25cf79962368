/// A posting's publication date, read from the many ways postings and datasets write one, as
/// an ISO 8601 calendar date (`2021-03-12`).
///
/// Only unambiguous dates are read: `03/04/2021` could be 3 April or 4 March, so it is refused
/// (the caller warns), as are impossible dates (31 April) and years outside 1990–2100. Times and
/// time zones are dropped: the date is the one written, not converted to UTC.
package enum PostingDate {
  /// Years outside this range are refused (typos, placeholders such as 0001-01-01).
  static let years = 1990...2100

  /// The ISO date `text` states, or `nil` when it states none unambiguously.
  ///
  /// Reads ISO dates and date-times (`2021-03-12`, `2021-03-12T09:30:00Z`, `20210312`),
  /// `2021/03/12` and `2021.03.12`, day-month-year and month-day-year with month names in
  /// English (`12 March 2021`, `12-Mar-2021`, `March 12, 2021`, `Mar 12th 2021`), numeric
  /// day/month orders only when one part is above 12, and Unix times in seconds or milliseconds
  /// (10 or 13 digits, as dataset dumps store `created_at`).
  package static func parse(_ text: String) -> String? {
    let parts = tokens(text)
    guard !parts.isEmpty else { return nil }
    // A Unix time: one number of 10 or 13 digits.
    if parts.count == 1, case .number(let value, let digits) = parts[0], digits == 10 || digits == 13 {
      return fromUnix(digits == 13 ? value / 1000 : value)
    }
    // A compact ISO date: 8 digits.
    if case .number(let value, 8) = parts[0] {
      return iso(year: value / 10000, month: value / 100 % 100, day: value % 100)
    }
    guard parts.count >= 3 else { return nil }
    switch (parts[0], parts[1], parts[2]) {
    case (.number(let year, 4), .number(let month, _), .number(let day, _)):
      return iso(year: year, month: month, day: day)
    case (.number(let day, let digits), .month(let month), .number(let year, 4)) where digits <= 2:
      return iso(year: year, month: month, day: day)
    case (.month(let month), .number(let day, let digits), .number(let year, 4)) where digits <= 2:
      return iso(year: year, month: month, day: day)
    case (.number(let first, let a), .number(let second, let b), .number(let year, 4)) where a <= 2 && b <= 2:
      // Day and month in an unknown order: only a part above 12 tells which is the day.
      if first > 12 && second <= 12 { return iso(year: year, month: second, day: first) }
      if second > 12 && first <= 12 { return iso(year: year, month: first, day: second) }
      if first == second { return iso(year: year, month: first, day: first) }
      return nil
    default:
      return nil
    }
  }

  // MARK: - Parts

  /// A run of digits (its value and length) or an English month name.
  enum Part: Equatable {
    case number(Int, digits: Int)
    case month(Int)
  }

  static let months: [String: Int] = {
    let names = [
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
      "december",
    ]
    var table: [String: Int] = [:]
    for (index, name) in names.enumerated() {
      table[name] = index + 1
      table[String(name.prefix(3))] = index + 1
    }
    table["sept"] = 9
    return table
  }()

  /// The date's numbers and month names, in order, up to a time of day (`T09:30`, ` 09:30`).
  /// Weekday names, ordinal suffixes (12th) and words such as "on" are passed over.
  static func tokens(_ text: String) -> [Part] {
    var parts: [Part] = []
    var digits: [UInt8] = []
    var letters: [UInt8] = []
    func flushDigits() {
      guard !digits.isEmpty else { return }
      if digits.count <= 18 {
        var value = 0
        for digit in digits { value = value * 10 + Int(digit - 0x30) }
        parts.append(.number(value, digits: digits.count))
      }
      digits.removeAll(keepingCapacity: true)
    }
    func flushLetters() {
      guard !letters.isEmpty else { return }
      if let month = months[String(decoding: letters, as: UTF8.self)] { parts.append(.month(month)) }
      letters.removeAll(keepingCapacity: true)
    }
    for byte in text.utf8 {
      switch byte {
      case 0x30...0x39:
        flushLetters()
        digits.append(byte)
      case 0x41...0x5A, 0x61...0x7A:
        flushDigits()
        letters.append(byte | 0x20)
        // A time of day after the date ends it ("2021-03-12T09:30").
        if letters == [0x74], parts.count >= 3 { return parts }
      case UInt8(ascii: ":"):
        // "09:30" is a time: what came before the hour is the date.
        if !digits.isEmpty {
          digits.removeAll()
          return parts
        }
      default:
        flushDigits()
        flushLetters()
      }
    }
    flushDigits()
    flushLetters()
    return parts
  }

  // MARK: - Calendar

  /// `yyyy-mm-dd`, when the date exists.
  static func iso(year: Int, month: Int, day: Int) -> String? {
    guard years.contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
      return nil
    }
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// The UTC calendar date of a Unix time in seconds (days-from-civil inverse, Hinnant).
  static func fromUnix(_ seconds: Int) -> String? {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return iso(year: year, month: month, day: day)
  }
}

extension Posting {
  /// Sets `datePosted` to the ISO date `raw` states, unless a date is set already; a `raw` that
  /// states none unambiguously leaves the date unset and adds a warning quoting it (never a
  /// guess).
  ///
  /// - Parameters:
  ///   - raw: The date as the input writes it.
  ///   - origin: Where it was read, for the warning ("JSON-LD datePosted", "column 'date'").
  mutating func setDate(_ raw: String, from origin: String) {
    guard datePosted == nil else { return }
    let trimmed = normalizeSpace(raw)
    guard !trimmed.isEmpty else { return }
    if let date = PostingDate.parse(trimmed) {
      datePosted = date
      return
    }
    let shown = trimmed.count > 40 ? String(trimmed.prefix(40)) + "…" : trimmed
    warnings.append("date '\(shown)' (\(origin)) is not a date read unambiguously; left out")
  }
}
