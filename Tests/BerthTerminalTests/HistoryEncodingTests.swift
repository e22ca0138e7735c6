// History encoding round trips: whatever a row holds, the line read back
// from history has the same cells.

import Testing

@testable import BerthTerminal

@Suite struct HistoryEncodingTests {
  /// Random rows of styled ASCII, wide and combined characters, erased
  /// spans and colours: each row scrolled into history reads back unchanged.
  @Test func randomRowsRoundTrip() {
    var seed: UInt64 = 0x1234_5678
    func next(_ n: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(n))
    }
    let pieces = [
      "a", "xyz", " ", "中", "é", "e\u{301}", "\u{1F600}", "\(csi)1m", "\(csi)0m", "\(csi)38;5;200m",
      "\(csi)48;2;1;2;3m", "\(csi)4:3m", "\(csi)7m", "\(csi)K", "\(csi)3X", "\(csi)2@", "\(csi)P",
      "\(csi)5G", "\u{2764}\u{FE0F}", "\(csi)39;49m", "\(csi)31m",
      "plain text ", "\(csi)9G", "\(csi)12G", "\(csi)1G", "\(csi)44mab", "\(csi)H", "\(csi)2;3H",
    ]
    let t = Terminal(13, 3, history: 2000)
    var sawWide = false
    var sawMark = false
    var sawErased = false
    t.feed("\r\n\r\n")  // the cursor stays on the bottom row from here on
    for _ in 0..<400 {
      var line = ""
      for _ in 0..<(1 + next(12)) { line += pieces[next(pieces.count)] }
      t.feed(line)
      #expect(t.core.grid.invariantViolation() == nil)
      // Three line feeds on the bottom row push the whole screen into history.
      let rowsBefore = (0..<3).map { y in t.withRow(y) { Array($0) } }
      let wrappedBefore = (0..<3).map { t.rowIsWrapped($0) }
      let count = t.historyCount
      t.feed("\(csi)m\(csi)3H\r\n\r\n\r\n")
      #expect(t.historyCount == count + 3)
      for k in 0..<3 {
        let i = t.historyCount - 3 + k
        t.withHistoryRow(i) { #expect(Array($0) == rowsBefore[k]) }
        for c in rowsBefore[k] {
          if c.width == 2 { sawWide = true }
          if c.combining != 0 { sawMark = true }
          if c.style.background != .default && c.scalar == 0x20 { sawErased = true }
        }
        #expect(t.historyRowIsWrapped(i) == wrappedBefore[k])
      }
    }
    #expect(sawWide && sawMark && sawErased)
  }

  /// Mixed text printed in one style leaves its row known to be in one style
  /// (history then skips comparing styles); a second style, or a write
  /// through any other path, forgets it. Either way the line reads back.
  @Test func rowsInOneStyleAreKnownAndRoundTrip() {
    let t = Terminal(20, 2, history: 10)
    t.feed("\(csi)1;31mab中e\u{301}ж\u{1F600}")
    #expect(t.core.grid.oneStyle(0) == t.core.style)
    #expect(t.core.grid.uniformStyle(0) == nil)
    t.feed("\r\n\(csi)32mx\(csi)33m中")
    #expect(t.core.grid.oneStyle(1) == nil)
    #expect(t.core.grid.invariantViolation() == nil)
    let rows = (0..<2).map { y in t.withRow(y) { Array($0) } }
    t.feed("\(csi)m\r\n\r\n")
    #expect(t.historyCount == 2)
    for k in 0..<2 { t.withHistoryRow(k) { #expect(Array($0) == rows[k]) } }
  }

  /// Mixed text printed from column 0 in one style keeps its text (what
  /// history stores), which then goes into history as it is; each way of
  /// changing the row otherwise drops it. Every line reads back the same.
  @Test func keptTextStandsForTheRow() {
    // 251 columns: a header's width varint would start with 0xFB, the byte
    // of a mark after a line's last cell.
    for columns in [20, 251] {
      let t = Terminal(columns, 2, history: 50)
      func roundTrips(_ input: String, keepsText: Bool, _ comment: Comment) {
        t.feed("\(csi)m\(csi)2J\(csi)H")
        t.feed(input)
        #expect((t.core.grid.text(0) != nil) == keepsText, comment)
        #expect(t.core.grid.invariantViolation() == nil, comment)
        let row = t.withRow(0) { Array($0) }
        let count = t.historyCount
        t.feed("\r\n\r\n")
        t.withHistoryRow(count) { #expect(Array($0) == row, comment) }
        t.withHistoryRow(count + 1) { #expect($0.allSatisfy { $0 == .blank() }, comment) }
      }
      roundTrips("ab中e\u{301}ж\u{1F600}z", keepsText: true, "mixed text")
      roundTrips("\(csi)1;31m中e\u{301}", keepsText: true, "styled, a mark on the last cell")
      roundTrips("x\u{1F468}\u{200D}\u{1F469}", keepsText: true, "a ZWJ sequence at the end")
      roundTrips("中文   ", keepsText: true, "trailing blanks")
      roundTrips("中文\r中", keepsText: false, "overwritten after a carriage return")
      roundTrips("中文\(csi)1K", keepsText: false, "erased in part")
      roundTrips("中文\(csi)3G文", keepsText: false, "written past a gap")
      roundTrips("中\(csi)31m文", keepsText: false, "a second style")
      roundTrips(
        "e" + String(repeating: "\u{301}", count: 40), keepsText: false, "marks past the room")
      // Separate feeds: ASCII alone goes through printASCII, which drops it.
      t.feed("\(csi)m\(csi)2J\(csi)H中")
      t.feed("abc")
      #expect(t.core.grid.text(0) == nil)
      #expect(t.core.grid.invariantViolation() == nil)
      // A mark in a later feed joins the kept text's last cell.
      t.feed("\(csi)2J\(csi)H中e")
      t.feed("\u{301}")
      #expect(t.core.grid.text(0) != nil)
      #expect(t.core.grid.invariantViolation() == nil)
    }
  }
}
