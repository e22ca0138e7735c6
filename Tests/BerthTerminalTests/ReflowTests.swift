// Reflow on resize: soft-wrapped lines of the screen and of history are
// joined and wrapped again at the new width; the cursor stays on its
// character; nothing is lost but what the history limit drops.

import Testing

@testable import BerthTerminal

extension Terminal {
  /// History and screen as logical lines (wrapped rows joined), without
  /// trailing blanks and without the empty lines at the end.
  var logicalLines: [String] {
    /// A row's text; a wrapped row keeps its trailing blanks.
    func text(_ cells: UnsafeBufferPointer<Cell>, _ wrapped: Bool) -> (String, Bool) {
      var out: [UInt8] = []
      core.appendText(of: cells, to: &out)
      out.removeLast()
      if wrapped {
        let chars = cells.filter { $0.width != 0 }.count
        let kept = String(decoding: out, as: UTF8.self)
        let scalarsKept = cells.filter { $0.width != 0 }.prefix { _ in true }.count
        _ = scalarsKept
        let trimmed =
          chars - kept.unicodeScalars.filter { !(0x300...0x36F).contains($0.value) }.count
        return (kept + String(repeating: " ", count: max(0, trimmed)), true)
      }
      return (String(decoding: out, as: UTF8.self), false)
    }
    var rows: [(String, Bool)] = []
    for i in 0..<historyCount {
      rows.append(withHistoryRow(i) { text($0, historyRowIsWrapped(i)) })
    }
    for y in 0..<self.rows { rows.append(withRow(y) { text($0, rowIsWrapped(y)) }) }
    var lines: [String] = []
    var current = ""
    for (text, wrapped) in rows {
      current += text
      if !wrapped {
        lines.append(current)
        current = ""
      }
    }
    if !current.isEmpty { lines.append(current) }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    return lines
  }

  /// The character under the cursor.
  var cursorCharacter: String {
    String(
      decoding: [UInt8](String(UnicodeScalar(cell(cursorX, cursorY).scalar)!).utf8), as: UTF8.self)
  }

  var violation: String? { core.grid.invariantViolation() }
}

@Suite struct ReflowTests {
  @Test func narrowThenWidenRestoresTheLines() {
    let t = Terminal(10, 5, history: 100)
    t.feed("hello world, this wraps\r\nshort\r\n0123456789abcdefghij\r\nend")
    let screen = t.lines
    let logical = t.logicalLines
    #expect(logical == ["hello world, this wraps", "short", "0123456789abcdefghij", "end"])
    t.resize(columns: 4, rows: 5)
    #expect(t.logicalLines == logical)
    #expect(t.historyCount > 0)
    #expect(t.lines == ["4567", "89ab", "cdef", "ghij", "end"])
    #expect(t.violation == nil)
    t.resize(columns: 10, rows: 5)
    #expect(t.lines == screen)
    #expect(t.historyCount == 2)
    #expect(t.logicalLines == logical)
    #expect(t.cursor == (3, 4))
  }

  @Test func unwrappedLinesAreNotJoined() {
    let t = Terminal(6, 3, history: 10)
    t.feed("abc\r\ndef\r\nghi")
    t.resize(columns: 12, rows: 3)
    #expect(t.lines == ["abc", "def", "ghi"])
    t.resize(columns: 2, rows: 3)
    #expect(t.logicalLines == ["abc", "def", "ghi"])
    #expect(t.lines == ["de", "f", "gh"] || t.lines == ["f", "gh", "i"])
  }

  @Test func wideCharactersNeverSplitAtTheNewMargin() {
    let t = Terminal(6, 4, history: 10)
    t.feed("ab中文")
    t.resize(columns: 3, rows: 4)
    // The cursor (after 文) keeps its row: the rows before it go to history.
    #expect(t.lines == ["文", "", "", ""])
    #expect(t.historyLine(0) == "ab" && t.historyLine(1) == "中")
    #expect(t.historyRowIsWrapped(0) && t.historyRowIsWrapped(1) && !t.rowIsWrapped(0))
    #expect(t.violation == nil)
    // The blank left at the margin is padding, not a space: widening drops it.
    t.resize(columns: 6, rows: 4)
    #expect(t.lines == ["ab中文", "", "", ""])
    t.resize(columns: 5, rows: 4)
    #expect(t.lines == ["文", "", "", ""])
    #expect(t.historyLine(t.historyCount - 1) == "ab中")
    #expect(t.cursor == (2, 0))
    #expect(t.violation == nil)
  }

  @Test func cursorStaysOnTheSameCharacter() {
    let t = Terminal(10, 4, history: 100)
    t.feed("0123456789abcdef\r\nnext\(csi)2;3H")
    #expect(t.cursorCharacter == "c")
    for width in [4, 7, 3, 16, 5, 10, 2, 10] {
      t.resize(columns: width, rows: 4)
      #expect(t.cursorCharacter == "c", "width \(width)")
      #expect(t.logicalLines == ["0123456789abcdef", "next"])
    }
    #expect(t.cursor == (2, 0))
    // On one column the cursor's row and what follows take 8 rows of 4: the
    // lines are kept, and the cursor goes to the top row (as in tmux).
    t.resize(columns: 1, rows: 4)
    #expect(t.logicalLines == ["0123456789abcdef", "next"])
    #expect(t.lines == ["n", "e", "x", "t"])
    #expect(t.cursor == (0, 0))
  }

  @Test func cursorAfterTheTextStaysAfterIt() {
    let t = Terminal(10, 3, history: 10)
    t.feed("abcdefghijklm")
    #expect(t.cursor == (3, 1))
    t.resize(columns: 5, rows: 3)
    #expect(t.lines == ["fghij", "klm", ""])
    #expect(t.historyLine(0) == "abcde")
    #expect(t.cursor == (3, 1))
    t.feed("X")
    #expect(t.logicalLines == ["abcdefghijklmX"])
  }

  @Test func pendingWrapAtTheMarginStaysPending() {
    let t = Terminal(5, 3, history: 10)
    t.feed("abcde")
    #expect(t.cursor == (4, 0))
    t.resize(columns: 10, rows: 3)
    #expect(t.cursor == (5, 0))
    t.feed("f")
    #expect(t.lines == ["abcdef", "", ""])
    t.resize(columns: 3, rows: 3)
    #expect(t.lines == ["def", "", ""])
    #expect(t.historyLine(0) == "abc")
    #expect(t.cursor == (2, 0))
    t.feed("g")
    #expect(t.logicalLines == ["abcdefg"])
  }

  @Test func historyIsReflowed() {
    let t = Terminal(10, 2, history: 100)
    t.feed("first line that wraps\r\nsecond\r\nthird one wraps too\r\nlast")
    let logical = t.logicalLines
    #expect(t.historyCount > 0)
    t.resize(columns: 5, rows: 2)
    #expect(t.logicalLines == logical)
    for i in 0..<t.historyCount {
      t.withHistoryRow(i) { #expect($0.count == 5) }
    }
    #expect(t.historyLine(0) == "first")
    #expect(t.historyRowIsWrapped(0))
    t.resize(columns: 30, rows: 2)
    #expect(t.logicalLines == logical)
    #expect(t.historyLine(0) == "first line that wraps")
    #expect(!t.historyRowIsWrapped(0))
  }

  @Test func aLineLongerThanTheWholeScreen() {
    let t = Terminal(10, 3, history: 100)
    let long = (0..<100).map { String($0 % 10) }.joined()
    t.feed(long)
    #expect(t.historyCount == 7)
    t.resize(columns: 5, rows: 3)
    #expect(t.historyCount == 17)
    #expect(t.lines == ["56789", "01234", "56789"])
    #expect(t.logicalLines == [long])
    t.resize(columns: 50, rows: 3)
    #expect(t.historyCount == 0)
    #expect(t.lines == [String(long.prefix(50)), String(long.suffix(50)), ""])
    #expect(t.cursor == (49, 1))
    t.resize(columns: 200, rows: 3)
    #expect(t.lines == [long, "", ""])
    #expect(t.cursor == (100, 0))
  }

  @Test func theHistoryLimitStillHolds() {
    let t = Terminal(20, 3, history: 5)
    for i in 0..<10 { t.feed("line \(i) is long enough\r\n") }
    t.resize(columns: 4, rows: 3)
    #expect(t.historyCount == 5)
    #expect(t.violation == nil)
    t.resize(columns: 40, rows: 3)
    #expect(t.historyCount <= 5)
    #expect(t.logicalLines.last == "line 9 is long enough")
  }

  @Test func oneColumnAndBack() {
    let t = Terminal(8, 4, history: 1000)
    t.feed("abc def\r\n12345678901\r\nxyz")
    let screen = t.lines
    let logical = t.logicalLines
    t.resize(columns: 1, rows: 4)
    #expect(t.violation == nil)
    #expect(t.lines == ["1", "x", "y", "z"])
    #expect(t.logicalLines == logical)
    t.resize(columns: 8, rows: 4)
    #expect(t.lines == screen)
    #expect(t.logicalLines == logical)
    // Wide characters have no room on one column: they become blanks there.
    t.feed("中")
    t.resize(columns: 1, rows: 4)
    #expect(t.violation == nil)
    t.resize(columns: 8, rows: 4)
    #expect(t.violation == nil)
  }

  @Test func alternateScreenIsCroppedAndMainReflowed() {
    let t = Terminal(10, 3, history: 10)
    t.feed("0123456789abc\(csi)?1049h")
    t.feed("\(csi)HALTERNATE!")
    t.resize(columns: 5, rows: 3)
    #expect(t.line(0) == "ALTER")
    #expect(!t.rowIsWrapped(0))
    t.feed("\(csi)?1049l")
    // The main cursor kept its row: the first row went to history.
    #expect(t.lines == ["56789", "abc", ""])
    #expect(t.historyLine(0) == "01234")
    #expect(t.cursor == (3, 1))
  }

  /// Random text, random sizes: no trap, grids valid, the cursor in range,
  /// and the logical lines (spaces aside: padding is guessed) unchanged.
  @Test func randomResizesKeepInvariantsAndText() {
    var seed: UInt64 = 42
    func next(_ n: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(n))
    }
    let pieces = [
      "word ", "x", "中", "文字", "e\u{301}", "\u{1F600}", "\r\n", "\r\n", "\(csi)31m", "\(csi)m",
      "\(csi)44m \(csi)m", "tail", "\t", "ab", "\(csi)3;4H", "\(csi)K",
    ]
    for round in 0..<100 {
      let t = Terminal(1 + next(30), 1 + next(8), history: 10_000)
      for _ in 0..<(5 + next(60)) { t.feed(pieces[next(pieces.count)]) }
      func text() -> [String] {
        var lines = t.logicalLines.map { $0.filter { $0 != " " } }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
      }
      var before = text()
      for _ in 0..<12 {
        let w = 1 + next(40)
        t.resize(columns: w, rows: 1 + next(10))
        #expect(t.violation == nil, "round \(round)")
        #expect(t.cursorX >= 0 && t.cursorX < t.columns && t.cursorY >= 0 && t.cursorY < t.rows)
        let after = text()
        if w >= 2 && !before.joined().isEmpty {
          #expect(after == before, "round \(round), width \(w)")
        }
        before = after
        if next(3) == 0 { t.feed(pieces[next(pieces.count)]) }
        before = text()
      }
    }
  }
}

/// A region split and unsplit (narrower and one row shorter, then back)
/// gives back the screen it had: the row pushed into history comes back.
@Test func narrowerAndShorterThenBackRestoresTheScreen() {
  let t = Terminal(columns: 80, rows: 24)
  for i in 1...30 { t.feed(Array("line \(i)\r\n".utf8)) }
  t.feed(Array("end".utf8))
  let before = (0..<24).map { y in t.withRow(y) { row in row.map(\.scalar) } }
  t.resize(columns: 40, rows: 23)
  t.resize(columns: 80, rows: 24)
  let after = (0..<24).map { y in t.withRow(y) { row in row.map(\.scalar) } }
  #expect(after == before)
  #expect(t.cursorY == 23)
}
