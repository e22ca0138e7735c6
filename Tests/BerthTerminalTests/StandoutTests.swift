// SGR 3 under TERM=screen-256color is standout (its terminfo's smso), as GNU
// screen reads it; elsewhere it is italic.
import Testing

@testable import BerthTerminal

@Test func sgr3IsItalicByDefault() {
  let t = Terminal(columns: 10, rows: 2)
  t.feed(Array("\u{1B}[3mx\u{1B}[23my".utf8))
  t.withRow(0) { row in
    #expect(row[0].style.attributes.contains(.italic))
    #expect(!row[0].style.attributes.contains(.standout))
    #expect(row[1].style.attributes.isEmpty)
  }
}

@Test func sgr3IsStandoutForScreenTerm() {
  let t = Terminal(columns: 10, rows: 2)
  t.sgr3IsStandout = true
  t.feed(Array("\u{1B}[3mx\u{1B}[23my".utf8))
  t.withRow(0) { row in
    #expect(row[0].style.attributes == .standout)
    #expect(row[1].style.attributes.isEmpty)
  }
  // A full reset (RIS) keeps the terminal's reading of SGR 3.
  t.feed(Array("\u{1B}c\u{1B}[3mz".utf8))
  t.withRow(0) { row in
    #expect(row[0].scalar == UInt32(UInt8(ascii: "z")))
    #expect(row[0].style.attributes == .standout)
  }
}
