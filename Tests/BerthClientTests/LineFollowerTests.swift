// What `berth --tail -f` makes of a program's output: whole lines, once.
import Testing

@testable import BerthClient

private func lines(_ follower: LineFollower, _ text: String) -> String {
  String(decoding: follower.feed(Array(text.utf8)), as: UTF8.self)
}

@Test func aLineIsPrintedOnceTheProgramMovesPastIt() {
  let f = LineFollower(columns: 80, seed: [], color: false)
  #expect(lines(f, "one\r\ntw") == "one\n")
  #expect(lines(f, "o\r\n") == "two\n")
  // A progress bar redrawn in place: its last form, once.
  #expect(lines(f, "10%\r50%") == "")
  #expect(lines(f, "\r100%\r\n") == "100%\n")
}

@Test func aLineWiderThanTheWindowIsJoinedBack() {
  let f = LineFollower(columns: 10, seed: [], color: false)
  let long = String(repeating: "abcdefghij", count: 3) + "xyz"
  #expect(lines(f, long) == "")
  #expect(lines(f, "\r\n") == long + "\n")
}

@Test func theSeedIsTheLineTheCursorWasOn() {
  // The window's cursor line "$ ec", the cursor after it.
  let f = LineFollower(columns: 80, seed: Array("$ ec\r\u{1B}[5G".utf8), color: false)
  #expect(lines(f, "ho hi\r\nhi\r\n") == "$ echo hi\nhi\n")
}

@Test func aFullScreenProgramPrintsNothingUntilItLeaves() {
  let f = LineFollower(columns: 80, seed: [], color: false)
  #expect(lines(f, "$ vim\r\n\u{1B}[?1049h\u{1B}[Hfile\r\n~\r\n~\r\n") == "$ vim\n")
  #expect(lines(f, "\u{1B}[?1049l$ done\r\n") == "$ done\n")
}

@Test func colorKeepsSGRAndSkipDropsTheLineBeingMade() {
  let f = LineFollower(columns: 80, seed: [], color: true)
  #expect(lines(f, "\u{1B}[1;31mred\u{1B}[0m ok\r\n") == "\u{1B}[0;1;31mred\u{1B}[0m ok\n")
  #expect(lines(f, "half a li") == "")
  f.skip()
  #expect(lines(f, "whole\r\n") == "whole\n")
}
