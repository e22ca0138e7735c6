// Copy mode's motions and marked text over a terminal's lines: screen's
// words (w, e, b), vi's WORDs (E, B), f/t, a line's ends, and the text a
// selection or a rectangle takes.

import Testing

@testable import BerthTerminal

@Suite struct TextMotionTests {
  func at(_ x: Int, _ line: Int) -> TextPosition { TextPosition(x: x, line: line) }

  /// A terminal showing `lines`, one per row, nothing in history.
  func showing(_ lines: [String], columns: Int = 30, rows: Int = 4) -> Terminal {
    let t = Terminal(columns, rows)
    t.feed(lines.joined(separator: "\r\n"))
    return t
  }

  @Test func wordsAreScreensLettersOthersAndBlanks() {
    // 0         1         2
    // 0123456789012345678901234
    // foo bar.baz qux(x) end
    let t = showing(["foo bar.baz qux(x) end"])
    #expect(t.position(after: .nextStart, from: at(0, 0)) == at(4, 0))  // "." is a letter
    #expect(t.position(after: .nextStart, from: at(4, 0)) == at(12, 0))
    #expect(t.position(after: .nextStart, from: at(12, 0)) == at(15, 0))  // "(" is another kind
    #expect(t.position(after: .nextStart, from: at(0, 0), count: 4) == at(16, 0))
    #expect(t.position(after: .nextEnd, from: at(0, 0)) == at(2, 0))
    #expect(t.position(after: .nextEnd, from: at(2, 0)) == at(10, 0))  // e leaves a word's end
    #expect(t.position(after: .nextEnd, from: at(0, 0), count: 3) == at(14, 0))
    #expect(t.position(after: .previousStart, from: at(21, 0)) == at(19, 0))
    #expect(t.position(after: .previousStart, from: at(19, 0)) == at(17, 0))
    #expect(t.position(after: .previousStart, from: at(6, 0)) == at(4, 0))
  }

  @Test func wordsAreVisWORDsBetweenBlanks() {
    let t = showing(["foo bar.baz qux(x) end"])
    let end = WordMotion.nextEnd.union(.big)
    let back = WordMotion.previousStart.union(.big)
    // E stops on the WORD's last character, B on its first (vi's).
    #expect(t.position(after: end, from: at(0, 0)) == at(2, 0))
    #expect(t.position(after: end, from: at(2, 0)) == at(10, 0))
    #expect(t.position(after: end, from: at(12, 0)) == at(17, 0))
    #expect(t.position(after: end, from: at(4, 0), count: 2) == at(17, 0))
    #expect(t.position(after: back, from: at(21, 0)) == at(19, 0))
    #expect(t.position(after: back, from: at(19, 0)) == at(12, 0))
    #expect(t.position(after: back, from: at(19, 0), count: 2) == at(4, 0))
  }

  @Test func wordMotionsCrossLinesAndHistory() {
    let t = Terminal(20, 2)
    t.feed("one two\r\nthree\r\n  four")
    // "one two" went to history: line 0; "three" is line 1, "  four" line 2.
    #expect(t.historyCount == 1)
    #expect(t.position(after: .nextStart, from: at(4, 0)) == at(0, 1))
    #expect(t.position(after: .nextEnd, from: at(4, 1)) == at(5, 2))
    #expect(t.position(after: .previousStart, from: at(2, 2)) == at(0, 1))
    #expect(t.position(after: .previousStart, from: at(0, 1)) == at(4, 0))
    // At the ends of the text a motion stops at the last boundary it passed.
    #expect(t.position(after: .nextStart, from: at(2, 2), count: 5) == at(6, 2))
    #expect(t.position(after: .previousStart, from: at(4, 0), count: 5) == at(0, 0))
  }

  @Test func wSpanIsTheWordAtOrBeforeTheCursor() {
    let t = showing(["L08 iiiii jjjjj"])
    #expect(t.wordSpan(at: at(6, 0)) == (at(4, 0), at(8, 0)))
    #expect(t.wordSpan(at: at(4, 0)) == (at(4, 0), at(8, 0)))
    // On a blank: the word before it.
    #expect(t.wordSpan(at: at(9, 0)) == (at(4, 0), at(8, 0)))
    #expect(t.wordSpan(at: at(6, 0), count: 2) == (at(4, 0), at(14, 0)))
  }

  @Test func wideCharactersAreWholeAndLettersBeyondASCIIMakeWords() {
    let t = showing(["ab 中文字 x"])
    // 中文字 takes columns 3 to 8; e ends on the last one's left half.
    #expect(t.position(after: .nextStart, from: at(0, 0)) == at(3, 0))
    #expect(t.position(after: .nextEnd, from: at(3, 0)) == at(7, 0))
    #expect(t.position(after: .previousStart, from: at(10, 0)) == at(3, 0))
    #expect(t.lastNonBlank(line: 0, upTo: 8) == 7)
  }

  @Test func findCharacterInTheLine() {
    // 0123456789012345
    // kk1 abcabc xyz
    let t = showing(["kk1 abcabc xyz"])
    let c = UInt32(UInt8(ascii: "c"))
    #expect(t.column(of: c, from: 0, line: 0, forward: true, till: false) == 6)
    #expect(t.column(of: c, from: 0, line: 0, forward: true, till: false, count: 2) == 9)
    #expect(t.column(of: c, from: 0, line: 0, forward: true, till: true) == 5)
    #expect(t.column(of: c, from: 13, line: 0, forward: false, till: false) == 9)
    #expect(t.column(of: c, from: 13, line: 0, forward: false, till: true) == 10)
    #expect(t.column(of: c, from: 0, line: 0, forward: true, till: false, count: 3) == nil)
    // t stays put when the character is next to the cursor, as in screen.
    #expect(t.column(of: c, from: 5, line: 0, forward: true, till: true) == 5)
  }

  @Test func aLinesFirstAndLastCharacters() {
    let t = showing(["   indented  ", "", "x"])
    #expect(t.firstNonBlank(line: 0) == 3)
    #expect(t.firstNonBlank(line: 0, from: 5) == 5)
    #expect(t.lastNonBlank(line: 0) == 10)
    #expect(t.lastNonBlank(line: 0, upTo: 6) == 6)
    #expect(t.firstNonBlank(line: 1) == nil)
    #expect(t.lastNonBlank(line: 1) == nil)
    #expect(t.lastNonBlank(line: 2, upTo: -1) == nil)
    #expect(t.firstNonBlank(line: 9) == nil)
  }

  // MARK: - Marked text

  func text(_ s: TextSelection, _ t: Terminal, _ separator: [UInt8] = [0x0A]) -> String {
    String(decoding: s.text(in: t, separator: separator), as: UTF8.self)
  }

  @Test func aSelectionLeavesOutTrailingBlanksAndEndsLines() {
    let t = showing(["aaaa bbbb   ", "cccc dddd", "eeee"])
    #expect(text(TextSelection(at(5, 0), at(3, 1)), t) == "bbbb\ncccc")
    // Either order; a start past a line's text takes nothing from it.
    #expect(text(TextSelection(at(3, 1), at(20, 0)), t) == "\ncccc")
    #expect(text(TextSelection(at(0, 0), at(29, 2)), t, [0x2C]) == "aaaa bbbb,cccc dddd,eeee")
    #expect(text(TextSelection(at(0, 0), at(29, 2)), t, []) == "aaaa bbbbcccc ddddeeee")
  }

  @Test func aRectangleTakesOnlyTheColumnsBetweenItsMargins() {
    let t = showing(["0123456789", "abcdefghij", "ABC", "KLMNOPQRST"])
    let s = TextSelection(at(2, 0), at(6, 3), left: 2, right: 5)
    #expect(text(s, t) == "2345\ncdef\nC\nMNOP")
    #expect(s.columns(ofLine: 1, in: t) == 2...5)
    #expect(s.columns(ofLine: 2, in: t) == 2...2)
    #expect(s.columns(ofLine: 3, in: t) == 2...5)
    #expect(TextSelection(at(0, 2), at(9, 2), left: 4).columns(ofLine: 2, in: t) == nil)
  }

  @Test func wrappedLinesJoinWithTheirBlanks() {
    let t = Terminal(6, 3)
    t.feed("abc   def\r\nxyz")
    // "abc   " wrapped into "def": its blanks are text, and no newline.
    #expect(text(TextSelection(at(0, 0), at(5, 2)), t) == "abc   def\nxyz")
    // Cut by a right margin, a wrapped line ends as any other.
    #expect(text(TextSelection(at(0, 0), at(5, 1), right: 3), t) == "abc\ndef")
  }

  @Test func wideCharactersAndMarksAreCopiedWhole() {
    let t = showing(["a中b e\u{301}"])
    // From the right half of 中 to the e with its accent.
    #expect(text(TextSelection(at(2, 0), at(5, 0)), t) == "中b e\u{301}")
    #expect(TextSelection(at(1, 0), at(1, 0)).columns(ofLine: 0, in: t) == 1...2)
  }
}
