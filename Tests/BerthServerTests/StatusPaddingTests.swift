// %=, %< and %>: padding and truncation on a 40-column line. Each expected
// line is what screen 4.9 showed for the same string and windows (six
// windows, 3 shown after 5).
import BerthTerminal
import Testing

@testable import BerthServer

@Suite struct StatusPaddingTests {
  @Test(arguments: [
    ("%-Lw%{= BW}%50>%n%f* %t%{-}%+Lw%<", "1 one  2 twotwotwo  3* three  4 four  5-"),
    ("%-w%50L>%n %t%+w%<", "...ne  2 twotwotwo  3 three  4 four  ..."),
    ("abc%=def%=ghi", "abc               def                ghi"),
    ("left%10=x", "leftx"),
    ("left%010=x", "left      x"),
    ("ab%-5=x", "ab                                 x"),
    ("a%=b%+20=c", "a      bc"),
    ("0123456789abcdefghij%10<xyz", "0123xyz"),
    ("%w%50L>%<", "...2 twotwotwo  3* three  4 four  5 five"),
    ("xx%=%w%w%L<", "xx 0 zero  1 one  2 twotwotwo  3* three"),
    ("%=%=%=abc", "                                     abc"),
    ("%w%w%=%w|", "0 zero  1 one  2 twotwotwo  3* three  4"),
    ("%w%10L>%-10=|x|", "...o  3* three  4 four  5 five|x|"),
    ("%-w%0L>%n %t%+w%L<", "0 zero  1 one  2 twotwotwo  3 three  4 f"),
    (
      "[%w%+0=]%20L>abcdefghijklmnopqrstuvwxyz0123456789%30<x",
      "]abcdefgh...x"
    ),
  ])
  func asScreenDrawsIt(format: String, shown: String) {
    // What screen showed, its trailing blanks trimmed.
    let text = String(
      String(Status.text(format, width: 40).prefix(40)).reversed().drop { $0 == " " }.reversed())
    #expect(text == shown)
  }

  @Test func theRightmostPadTakesTheLargerShare() {
    #expect(Status.text("a%=b%=c", width: 8) == "a  b   c")
    // Past the edge, each pad is still one blank (and the line is cut
    // where it is drawn: "abcdef g").
    #expect(Status.text("abcdef%=ghi%=jk", width: 8) == "abcdef ghi jk")
  }

  @Test func padsTakeTheStyleInForceWhereTheyStand() {
    let cells = Status.cells("%{= kr}a%=%{= kg}b", width: 6)
    #expect(cells.count == 6)
    #expect(cells[1].style.foreground == .palette(1))
    #expect(cells[4].style.foreground == .palette(1))
    #expect(cells[5].style.foreground == .palette(2))
  }

  @Test func withoutAWidthAPlainPadIsABlank() {
    #expect(Status.text("a%=b%<c%10=d", width: nil) == "a bcd")
  }

  @Test func anEllipsisKeepsTheStyleOfWhatItReplaces() {
    let cells = Status.cells("%{= kr}0123456789%{= kg}abcdefghij%5L>%10<", width: 40)
    #expect(Status.text(cells) == "...j")
    #expect(cells[0].style.foreground == .palette(2))
    let kept = Status.cells("%{= kr}0123456789%{= kg}abcdefghij%50L>%025<", width: 40)
    #expect(Status.text(kept) == "0123456789abcdefghij")
  }
}
