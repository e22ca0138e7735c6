// Cursor movement, autowrap with pending-wrap semantics, tabs, origin mode,
// DECSC/DECRC.

import Testing

@testable import BerthTerminal

@Suite struct CursorTests {
  @Test func printingLastColumnLeavesWrapPending() {
    let t = Terminal(5, 3)
    t.feed("abcde")
    #expect(t.cursor == (4, 0))
    #expect(!t.rowIsWrapped(0))
    t.feed("f")
    #expect(t.lines == ["abcde", "f", ""])
    #expect(t.rowIsWrapped(0))
    #expect(t.cursor == (1, 1))
  }

  @Test func pendingWrapThenCRStaysOnLine() {
    let t = Terminal(5, 3)
    t.feed("abcde\rX")
    #expect(t.lines == ["Xbcde", "", ""])
    #expect(!t.rowIsWrapped(0))
  }

  @Test func pendingWrapSurvivesLineFeedAsInTmux() {
    let t = Terminal(5, 3)
    t.feed("abcde\nX")
    #expect(t.lines == ["abcde", "", "X"])
    #expect(t.rowIsWrapped(1))
  }

  @Test func backspaceAtPendingWrapGoesToLastColumn() {
    let t = Terminal(5, 3)
    t.feed("abcde\u{8}X")
    #expect(t.line(0) == "abcdX")
    #expect(t.cursor == (4, 0))
  }

  @Test func eraseToEndAtPendingWrapErasesNothing() {
    let t = Terminal(5, 3)
    t.feed("abcde\(csi)K")
    #expect(t.line(0) == "abcde")
    t.feed("\(csi)1K")
    #expect(t.line(0) == "")
  }

  @Test func autowrapOffOverwritesLastColumn() {
    let t = Terminal(5, 3)
    t.feed("\(csi)?7labcdefgh")
    #expect(t.lines == ["abcdh", "", ""])
    #expect(t.cursor == (4, 0))
    #expect(!t.modes.autowrap)
  }

  @Test func cursorMovementClamps() {
    let t = Terminal(10, 5)
    t.feed("\(csi)3;4H")
    #expect(t.cursor == (3, 2))
    t.feed("\(csi)10A")
    #expect(t.cursor == (3, 0))
    t.feed("\(csi)B\(csi)2C")
    #expect(t.cursor == (5, 1))
    t.feed("\(csi)100D")
    #expect(t.cursor == (0, 1))
    t.feed("\(csi)7G\(csi)4d")
    #expect(t.cursor == (6, 3))
    t.feed("\(csi)2F")
    #expect(t.cursor == (0, 1))
    t.feed("\(csi)5`\(csi)E")
    #expect(t.cursor == (0, 2))
    t.feed("\(csi)0;0f")
    #expect(t.cursor == (0, 0))
    t.feed("\(csi)2a\(csi)3e")
    #expect(t.cursor == (2, 3))
  }

  @Test func tabsStopEveryEightColumns() {
    let t = Terminal(20, 2)
    t.feed("\tx\ty\tz")
    #expect(t.line(0) == "        x       y  z")
    #expect(t.cursor == (19, 0))
  }

  @Test func tabStopsSetClearAndBackTab() {
    let t = Terminal(20, 2)
    t.feed("\(csi)3g\(csi)4G\(esc)H\r\tA")
    #expect(t.line(0) == "   A")
    t.feed("\(csi)Z\(csi)ZB")
    #expect(t.line(0) == "B  A")
    t.feed("\r\(csi)2I")  // only one stop left: then the margin
    #expect(t.cursor == (19, 0))
  }

  @Test func originModeAddressesInsideRegion() {
    let t = Terminal(10, 10)
    t.feed("\(csi)3;6r\(csi)?6h")
    #expect(t.cursor == (0, 2))
    t.feed("\(csi)2;3H")
    #expect(t.cursor == (2, 3))
    t.feed("\(csi)20;1H")
    #expect(t.cursor == (0, 5))
    t.feed("\(csi)6n")
    #expect(t.replyText == "\(csi)4;1R")
    t.feed("\(csi)?6l")
    #expect(t.cursor == (0, 0))
    t.feed("\(csi)6n")
    #expect(t.replyText == "\(csi)1;1R")
  }

  @Test func saveAndRestoreCursorKeepsAttributesAndCharset() {
    let t = Terminal(10, 3)
    t.feed("\(csi)2;3H\(csi)1;31m\(esc)(0\(esc)7")
    t.feed("\(csi)m\(esc)(B\(csi)H")
    t.feed("\(esc)8q")
    #expect(t.cursor == (3, 1))
    #expect(t.cell(2, 1).scalar == 0x2500)
    #expect(t.cell(2, 1).style == Style(foreground: .palette(1), attributes: .bold))
  }

  @Test func saveCursorKeepsPendingWrap() {
    let t = Terminal(5, 3)
    t.feed("abcde\(esc)7\r\(esc)8X")
    #expect(t.lines == ["abcde", "X", ""])
  }

  @Test func cursorVisibilityAndShape() {
    let t = Terminal(5, 3)
    t.feed("\(csi)?25l\(csi)4 q")
    #expect(!t.cursorVisible)
    #expect(t.cursorShape == .steadyUnderline)
    t.feed("\(csi)?25h\(csi)0 q\(csi)9 q")
    #expect(t.cursorVisible)
    #expect(t.cursorShape == .default)
  }

  @Test func reverseIndexAtTopScrollsDown() {
    let t = Terminal(5, 3)
    t.feed("a\r\nb\(csi)H\(esc)M")
    #expect(t.lines == ["", "a", "b"])
  }

  @Test func nextLineMovesToStartOfNextRow() {
    let t = Terminal(5, 3)
    t.feed("ab\(esc)Ec")
    #expect(t.lines == ["ab", "c", ""])
  }

  @Test func backspaceAtLineStartFollowsWrap() {
    let t = Terminal(5, 3)
    t.feed("abcdef\u{8}\u{8}X")
    #expect(t.lines == ["abcdX", "f", ""])
  }
}
