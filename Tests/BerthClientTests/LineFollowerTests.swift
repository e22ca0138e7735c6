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

@Test func plainLinesTakeTheFastWayAndAnythingElseTheTerminal() {
  let f = LineFollower(columns: 80, seed: Array("$ \r\u{1B}[3G\u{1B}[0m".utf8), color: false)
  #expect(lines(f, "cat log\r\n") == "$ cat log\n")
  #expect(f.fast)
  #expect(lines(f, "\u{1B}[1;32mok\u{1B}[0m done\u{1B}[K\r\n日本 ok\r\n") == "ok done\n日本 ok\n")
  #expect(f.fast)
  #expect(lines(f, "tab\there\r\n") == "tab     here\n")
  #expect(lines(f, "back\r\n") == "back\n")
  #expect(f.fast)
}

@Test func aTextRunEndsAtTheFirstControlCharacterOrDelete() {
  for (text, end) in [
    ("0123456789abcdef\r\n", 16), ("日本語のテキストです\u{1B}[m", 30), ("abc\u{7F}defghijklmnop", 3),
    ("abcdefghijklmnopqrstuvwxyz", 26), ("", 0), ("\u{01}", 0), ("abcdefg\u{1F}hij", 7),
  ] {
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBytes { LineFollower.textRunEnd($0, from: 0) } == end, "\(text)")
  }
}

@Test func aPlainLineSplitAcrossFeedsIsOneLine() {
  let f = LineFollower(columns: 80, seed: [], color: false)
  #expect(lines(f, "x\r\n") == "x\n")
  #expect(f.fast)
  #expect(lines(f, "hel") == "")
  #expect(lines(f, "lo \u{1B}[31mwor") == "")
  #expect(lines(f, "ld\u{1B}[0m\r") == "")
  #expect(lines(f, "\nnext\r\n") == "hello world\nnext\n")
  // A carriage return that redraws, cut from its line by a feed's end.
  #expect(lines(f, "50%\r") == "")
  #expect(lines(f, "99%\r\n") == "99%\n")
}
