// The hand-written JSON of status-json and the ended-session records:
// strings escaped so that any title or argument reads back the same, and
// input that is not JSON (or nested too deep) refused without a trap.
import BerthSystem
import Testing

@Test func jsonEscapesQuotesBackslashesAndControlCharacters() {
  let value = JSON.object([("t", .string("a\"b\\c\nd\u{1}e\u{7F}é"))])
  #expect(value.text() == #"{"t":"a\"b\\c\nd\u0001e\u007fé"}"#)
  #expect(JSON(parsing: value.text()) == value)
}

@Test func jsonReadsBackWhatItWrites() {
  let value = JSON.object([
    ("n", .int(-42)), ("z", .null), ("b", .bool(true)),
    ("a", .array([.string("x"), .array([]), .object([])])),
  ])
  #expect(JSON(parsing: value.text()) == value)
  #expect(JSON(parsing: value.text(indent: 2)) == value)
  #expect(JSON(parsing: #"" \ud83d\ude00 ""#) == .string(" 😀 "))
}

@Test func jsonRefusesWhatItDoesNotRead() {
  for text in [
    "", "{", "[1,]", "{\"a\" 1}", "1.5", "01x", "\"\\x\"", "\"\u{1}\"", "nul", "[1] 2",
    #""\ud800""#, String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    "99999999999999999999",
  ] {
    #expect(JSON(parsing: text) == nil, "\(text)")
  }
}
