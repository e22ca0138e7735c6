// Erasing, inserting and deleting characters and lines, with the current
// background (BCE), scroll regions, and the version bumps they cause.

import Testing

@testable import BerthTerminal

@Suite struct EditingTests {
  @Test func eraseInLineModes() {
    let t = Terminal(10, 3)
    t.feed("0123456789\(csi)5G\(csi)K")
    #expect(t.line(0) == "0123")
    t.feed("\(csi)2G\(csi)1K")
    #expect(t.line(0) == "  23")
    t.feed("\(csi)2K")
    #expect(t.line(0) == "")
  }

  @Test func eraseInDisplayModes() {
    let t = Terminal(4, 4)
    t.feed("aaaa\r\nbbbb\r\ncccc\r\ndddd\(csi)2;3H\(csi)J")
    #expect(t.lines == ["aaaa", "bb", "", ""])
    t.feed("\(csi)1J")
    #expect(t.lines == ["", "", "", ""])
  }

  @Test func eraseUsesCurrentBackground() {
    let t = Terminal(6, 2)
    t.feed("abcdef\r\(csi)44;1m\(csi)3G\(csi)K")
    let erased = t.cell(4, 0)
    #expect(erased.scalar == 0x20)
    #expect(erased.style == Style(background: .palette(4)))
    #expect(t.cell(1, 0).style == .plain)
  }

  @Test func scrollingBringsInCurrentBackground() {
    let t = Terminal(3, 2)
    t.feed("\(csi)41m\r\n\r\n")
    #expect(t.cell(0, 1).style.background == .palette(1))
  }

  @Test func eraseCharactersDoesNotMoveCursor() {
    let t = Terminal(10, 2)
    t.feed("abcdefgh\(csi)3G\(csi)3X")
    #expect(t.line(0) == "ab   fgh")
    #expect(t.cursor == (2, 0))
  }

  @Test func insertAndDeleteCharacters() {
    let t = Terminal(8, 2)
    t.feed("abcdefgh\(csi)3G\(csi)2@")
    #expect(t.line(0) == "ab  cdef")
    t.feed("\(csi)3P")
    #expect(t.line(0) == "abdef")
  }

  @Test func insertModeShiftsRest() {
    let t = Terminal(8, 2)
    t.feed("abcdef\r\(csi)4hXY\(csi)4l")
    #expect(t.line(0) == "XYabcdef")
    #expect(t.modes.insertMode == false)
  }

  @Test func insertAndDeleteLinesWithinRegion() {
    let t = Terminal(3, 5)
    t.feed("1\r\n2\r\n3\r\n4\r\n5\(csi)2;4r\(csi)3;1H\(csi)L")
    #expect(t.lines == ["1", "2", "", "3", "5"])
    t.feed("\(csi)2M")
    #expect(t.lines == ["1", "2", "", "", "5"])
  }

  @Test func scrollRegionConfinesLineFeeds() {
    let t = Terminal(3, 5, history: 10)
    t.feed("1\r\n2\r\n3\r\n4\r\n5\(csi)2;4r\(csi)4;1H\nX")
    #expect(t.lines == ["1", "3", "4", "X", "5"])
    #expect(t.historyCount == 0)  // the region does not start at the top
  }

  @Test func scrollUpAndDownCommands() {
    let t = Terminal(3, 4)
    t.feed("1\r\n2\r\n3\r\n4\(csi)2S")
    #expect(t.lines == ["3", "4", "", ""])
    t.feed("\(csi)T")
    #expect(t.lines == ["", "3", "4", ""])
  }

  @Test func repeatLastCharacter() {
    let t = Terminal(10, 2)
    t.feed("ab\(csi)3b")
    #expect(t.line(0) == "abbbb")
  }

  @Test func repeatNeedsAGraphicCharacterRightBeforeIt() {
    // After a control, an escape or a control sequence (REP itself
    // included) there is nothing to repeat, as ECMA-48 and tmux have it.
    let t = Terminal(10, 4)
    t.feed("x\r\n\(csi)3bq")
    #expect(t.line(1) == "q")
    t.feed("\r\ny\(csi)2b\(csi)2b")
    #expect(t.line(2) == "yyy")
    t.feed("\r\nz\(csi)1m\(csi)2b\(esc)7\(csi)2b!")
    #expect(t.line(3) == "z!")
  }

  @Test func alignmentTestFillsScreen() {
    let t = Terminal(3, 2)
    t.feed("\(esc)#8")
    #expect(t.lines == ["EEE", "EEE"])
  }

  @Test func rowVersionBumpsOnPrintEraseAndScroll() {
    let t = Terminal(5, 3)
    let v0 = (0..<3).map { t.rowVersion($0) }
    t.feed("a")
    #expect(t.rowVersion(0) > v0[0])
    #expect(t.rowVersion(1) == v0[1])
    let v1 = (0..<3).map { t.rowVersion($0) }
    t.feed("\(csi)3;1H\(csi)K")
    #expect(t.rowVersion(2) > v1[2])
    let v2 = (0..<3).map { t.rowVersion($0) }
    t.feed("\n")  // scroll: every row shows other content now
    for y in 0..<3 { #expect(t.rowVersion(y) > v2[y]) }
    let v3 = (0..<3).map { t.rowVersion($0) }
    t.feed("\(csi)H")  // moving the cursor changes no row
    #expect((0..<3).map { t.rowVersion($0) } == v3)
  }

  @Test func rowVersionBumpsOnScreenSwitchAndResize() {
    let t = Terminal(5, 3)
    let v0 = (0..<3).map { t.rowVersion($0) }
    t.feed("\(csi)?1049h")
    for y in 0..<3 { #expect(t.rowVersion(y) > v0[y]) }
    let v1 = (0..<3).map { t.rowVersion($0) }
    t.feed("\(csi)?1049l")
    for y in 0..<3 { #expect(t.rowVersion(y) > v1[y]) }
    let v2 = (0..<3).map { t.rowVersion($0) }
    t.resize(columns: 6, rows: 3)
    for y in 0..<3 { #expect(t.rowVersion(y) > v2[y]) }
  }

  @Test func softResetRestoresDefaults() {
    let t = Terminal(5, 5)
    t.feed("\(csi)2;3r\(csi)?6h\(csi)4h\(csi)?7l\(csi)?25l\(csi)1m\(csi)!p")
    #expect(t.modes.autowrap && !t.modes.insertMode && !t.modes.originMode)
    #expect(t.cursorVisible)
    t.feed("\(csi)5;1H\nx")
    #expect(t.line(4) == "x")
    #expect(t.cell(0, 4).style == .plain)
  }

  @Test func fullResetClearsScreenAndModes() {
    let t = Terminal(5, 3)
    t.feed("abc\(csi)?1h\(csi)?2004h\(csi)?1049h\(esc)c")
    #expect(t.lines == ["", "", ""])
    #expect(t.modes == Modes())
    #expect(t.cursor == (0, 0))
  }
}
