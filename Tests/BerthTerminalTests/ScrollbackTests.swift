// History: what goes in, its bound, its compactness, and resize.

import Testing

@testable import BerthTerminal

@Suite struct ScrollbackTests {
  @Test func linesScrollingOffTopGoToHistory() {
    let t = Terminal(10, 2, history: 100)
    t.feed("one\r\ntwo\r\nthree\r\nfour")
    #expect(t.historyCount == 2)
    #expect(t.historyLine(0) == "one")
    #expect(t.historyLine(1) == "two")
    #expect(t.lines == ["three", "four"])
  }

  @Test func historyIsBounded() {
    let t = Terminal(10, 2, history: 5)
    for i in 0..<50 { t.feed("line\(i)\r\n") }
    #expect(t.historyCount == 5)
    #expect(t.historyLine(0) == "line44")
    #expect(t.historyLine(4) == "line48")
    t.historyLimit = 2
    #expect(t.historyCount == 2)
    #expect(t.historyLine(0) == "line47")
    t.historyLimit = 0
    t.feed("x\r\ny\r\n")
    #expect(t.historyCount == 0)
  }

  @Test func historyKeepsStylesWideCharsMarksAndWrap() {
    let t = Terminal(8, 1, history: 10)
    t.feed("a\(csi)1;38;2;1;2;3m中\(csi)48;5;9m\u{E9}\u{301}\(csi)m z12345")
    #expect(t.historyCount == 1)
    t.withHistoryRow(0) { cells in
      #expect(cells.count == 8)
      #expect(cells[0] == Cell(scalar: 0x61))
      #expect(cells[1].width == 2 && cells[2].width == 0)
      #expect(cells[1].style == Style(foreground: .rgb(1, 2, 3), attributes: .bold))
      #expect(cells[3].style.background == .palette(9))
      #expect(t.combiningMarks(cells[3].combining) == [0x301])
    }
    #expect(t.historyLine(0) == "a中\u{E9}\u{301} z12")
    #expect(t.historyRowIsWrapped(0))
  }

  @Test func historyKeepsErasedBackground() {
    let t = Terminal(4, 1, history: 10)
    t.feed("\(csi)44m\(csi)K\(csi)m\r\n")
    t.withHistoryRow(0) { cells in
      #expect(cells[3].style.background == .palette(4))
    }
  }

  @Test func historyIsCompact() {
    let t = Terminal(100, 10, history: 5000)
    let line = String(repeating: "abcdefghij", count: 10)
    for _ in 0..<5100 { t.feed(line + "\r\n") }
    #expect(t.historyCount == 5000)
    let perLine = t.core.scrollback.memoryFootprint / 5000
    #expect(perLine <= 150, "\(perLine) bytes per line")
  }

  @Test func historyGrowsLazily() {
    let t = Terminal(80, 24, history: 100_000)
    #expect(t.core.scrollback.memoryFootprint == 0)
    t.feed("x\r\n")
    #expect(t.core.scrollback.memoryFootprint < 8192)
  }

  @Test func eraseDisplayPushesScreenIntoHistory() {
    let t = Terminal(10, 3, history: 10)
    t.feed("a\r\nb\(csi)2J")
    #expect(t.historyCount == 2)
    #expect(t.lines == ["", "", ""])
    t.feed("\(csi)3J")
    #expect(t.historyCount == 0)
  }

  @Test func shrinkingPushesTopRowsKeepingCursorRow() {
    let t = Terminal(10, 5, history: 10)
    t.feed("1\r\n2\r\n3\r\n4")
    t.resize(columns: 10, rows: 2)
    #expect(t.lines == ["3", "4"])
    #expect(t.historyCount == 2)
    #expect(t.cursor == (1, 1))
  }

  @Test func shrinkingDropsBlankRowsBelowCursorFirst() {
    let t = Terminal(10, 5, history: 10)
    t.feed("1\r\n2")
    t.resize(columns: 10, rows: 3)
    #expect(t.lines == ["1", "2", ""])
    #expect(t.historyCount == 0)
    #expect(t.cursor == (1, 1))
  }

  @Test func growingPullsHistoryBack() {
    let t = Terminal(10, 2, history: 10)
    t.feed("1\r\n2\r\n3\r\n4")
    t.resize(columns: 10, rows: 4)
    #expect(t.lines == ["1", "2", "3", "4"])
    #expect(t.historyCount == 0)
    #expect(t.cursor == (1, 3))
  }

  /// Width changes reflow (ReflowTests has the details).
  @Test func narrowingReflowsAndWideningJoins() {
    let t = Terminal(10, 2)
    t.feed("abcd中fghi")
    t.resize(columns: 5, rows: 2)
    #expect(t.lines == ["i", ""])
    #expect(t.historyLine(0) == "abcd" && t.historyLine(1) == "中fgh")
    #expect(t.cursor == (1, 0))
    t.resize(columns: 12, rows: 2)
    #expect(t.lines == ["abcd中fghi", ""])
    #expect(t.cursor == (10, 0))
    #expect(t.columns == 12)
    t.withRow(1) { #expect($0.count == 12) }
  }

  @Test func resizeClampsToSaneSizes() {
    let t = Terminal(columns: 0, rows: -5)
    #expect(t.columns == 1 && t.rows == 1)
    t.feed("中abc")
    t.resize(columns: 1_000_000, rows: 0)
    #expect(t.columns == Terminal.maxDimension && t.rows == 1)
    t.resize(columns: 10_000, rows: 10_000)
    #expect(t.columns * t.rows <= Terminal.maxCells)
  }

  @Test func resizeOnAlternateScreenKeepsMainForReturn() {
    let t = Terminal(10, 4, history: 10)
    t.feed("1\r\n2\r\n3\r\n4\(csi)?1049h")
    t.resize(columns: 10, rows: 2)
    t.feed("\(csi)?1049l")
    #expect(t.lines == ["3", "4"])
    #expect(t.cursor == (1, 1))
  }

  @Test func hardcopyWithHistory() {
    let t = Terminal(6, 2, history: 10)
    t.feed("old\r\n中文  \r\ne\u{301}")
    let text = String(decoding: t.hardcopy(includeHistory: true), as: UTF8.self)
    #expect(text == "old\n中文\ne\u{301}\n")
    let screen = String(decoding: t.hardcopy(includeHistory: false), as: UTF8.self)
    #expect(screen == "中文\ne\u{301}\n")
  }
}
