import Testing

@testable import RoleLensIngest

/// Publication dates as postings, pages and dataset dumps write them: read when unambiguous,
/// refused (never guessed) otherwise.
@Suite("Posting dates")
struct PostingDateTests {
  @Test(
    "Unambiguous dates become ISO dates",
    arguments: [
      ("2021-03-12", "2021-03-12"),
      ("2021-03-12T09:30:00Z", "2021-03-12"),
      ("2021-03-12T23:59:59-08:00", "2021-03-12"),
      ("2021-03-12 09:30", "2021-03-12"),
      ("20210312", "2021-03-12"),
      ("2021/3/2", "2021-03-02"),
      ("12 March 2021", "2021-03-12"),
      ("12-Mar-2021", "2021-03-12"),
      ("March 12, 2021", "2021-03-12"),
      ("Mar 12th 2021", "2021-03-12"),
      ("Fri, 12 Mar 2021 09:30:00 GMT", "2021-03-12"),
      ("Sept 1, 2019", "2019-09-01"),
      ("31/12/2020", "2020-12-31"),
      ("12/31/2020", "2020-12-31"),
      ("05/05/2020", "2020-05-05"),
      ("1615507200", "2021-03-12"),
      ("1615507200000", "2021-03-12"),
      ("2024-02-29", "2024-02-29"),
    ])
  func reads(text: String, expected: String) {
    #expect(PostingDate.parse(text) == expected)
  }

  @Test(
    "Ambiguous, impossible or missing dates are refused",
    arguments: [
      "03/04/2021", "2021-04-31", "2023-02-29", "0001-01-01", "2150-01-01", "3 days ago", "30+ days ago", "", "today",
      "March 2021", "12 March", "2021-13-01", "not a date 12345",
    ])
  func refuses(text: String) {
    #expect(PostingDate.parse(text) == nil)
  }
}
