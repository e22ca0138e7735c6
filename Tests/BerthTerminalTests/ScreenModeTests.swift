// The alternate screen, DEC special graphics, and the modes in `Modes`.

import Testing

@testable import BerthTerminal

@Suite struct ScreenModeTests {
  @Test func columnModeClearsAndHomesButKeepsTheWidth() {
    // DECCOLM set or reset: no resize, but the clear and home a VT100 does.
    let t = Terminal(10, 3)
    t.feed("abc\r\ndef\(csi)?3h")
    #expect(t.lines == ["", "", ""])
    #expect(t.cursor == (0, 0))
    #expect(t.columns == 10)
    t.feed("xyz\(csi)2;3r\(csi)?6h\(csi)?3l")
    #expect(t.lines == ["", "", ""])
    #expect(t.cursor == (0, 1))  // home is the region's top in origin mode
  }

  @Test func alternateScreen1049SavesAndRestoresCursor() {
    let t = Terminal(10, 3)
    t.feed("main\(csi)2;3H\(csi)?1049h")
    #expect(t.modes.alternateScreen)
    #expect(t.lines == ["", "", ""])
    t.feed("\(csi)HALT\(esc)7\(csi)3;3H")
    t.feed("\(csi)?1049l")
    #expect(!t.modes.alternateScreen)
    #expect(t.lines == ["main", "", ""])
    #expect(t.cursor == (2, 1))
  }

  @Test func mode1048SavesAndRestoresTheCursor() {
    let t = Terminal(10, 3)
    t.feed("\(csi)2;4H\(csi)?1048h\(csi)3;1H\(csi)?1048lx")
    #expect(t.line(1) == "   x")
  }

  @Test func savedCursorIsPerScreen() {
    let t = Terminal(10, 3)
    t.feed("\(csi)2;2H\(esc)7\(csi)?1049h\(csi)3;3H\(esc)7\(csi)H\(esc)8")
    #expect(t.cursor == (2, 2))
    t.feed("\(csi)?1049l\(csi)H\(esc)8")
    #expect(t.cursor == (1, 1))
  }

  @Test func alternateScreenIsClearedOnEntryAndKeepsNoHistory() {
    let t = Terminal(5, 2, history: 50)
    t.feed("\(csi)?47hold\(csi)?47l\(csi)?47h")
    #expect(t.lines == ["", ""])
    t.feed("1\r\n2\r\n3\r\n4")
    #expect(t.historyCount == 0)
    t.feed("\(csi)?47l")
    #expect(t.lines == ["", ""])
  }

  @Test func decSpecialGraphicsDrawsBoxes() {
    let t = Terminal(10, 2)
    t.feed("\(esc)(0lqk\(esc)(Bx")
    #expect(t.line(0) == "┌─┐x")
    t.feed("\r\n\(esc))0a\u{0E}x\u{0F}x")
    #expect(t.line(1) == "a│x")
    #expect(t.cell(1, 1).scalar == 0x2502)
  }

  @Test func ukCharsetShowsPound() {
    let t = Terminal(10, 2)
    t.feed("\(esc)(A#\(esc)(B#")
    #expect(t.line(0) == "£#")
  }

  @Test func keyAndMouseModes() {
    let t = Terminal(10, 2)
    t.feed("\(csi)?1h\(esc)=\(csi)?2004h\(csi)?1004h\(csi)?1002h\(csi)?1006h\(csi)?2026h")
    var m = t.modes
    #expect(m.applicationCursorKeys && m.applicationKeypad && m.bracketedPaste && m.focusEvents)
    #expect(m.mouseTracking == .buttonEvent && m.mouseEncoding == .sgr && m.synchronizedOutput)
    t.feed("\(csi)?1003h\(csi)?1005h")
    #expect(t.modes.mouseTracking == .anyEvent && t.modes.mouseEncoding == .utf8)
    t.feed("\(csi)?1006l")  // not the current encoding: no change
    #expect(t.modes.mouseEncoding == .utf8)
    t.feed("\(csi)?1000l\(csi)?1005l\(csi)?1l\(esc)>\(csi)?2004;1004;2026l")
    m = t.modes
    #expect(m == Modes())
    t.feed("\(csi)?9h")
    #expect(t.modes.mouseTracking == .x10)
    t.feed("\(csi)?1015h")
    #expect(t.modes.mouseEncoding == .urxvt)
  }

  @Test func multipleModesInOneSequence() {
    let t = Terminal(10, 2)
    t.feed("\(csi)?1049;1000;1006h")
    #expect(
      t.modes.alternateScreen && t.modes.mouseTracking == .normal && t.modes.mouseEncoding == .sgr)
  }
}
