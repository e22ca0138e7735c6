// Widths from the wcwidth table: wide characters, combining marks, ZWJ
// sequences, emoji modifiers and presentation.

import Testing

@testable import BerthTerminal

@Suite struct UnicodeTests {
  @Test func widthTableAgreesWithGlibc() {
    #expect(CharWidth.of(0x41) == 1)
    #expect(CharWidth.of(0x301) == 0)
    #expect(CharWidth.of(0x200D) == 0)
    #expect(CharWidth.of(0x4E2D) == 2)
    #expect(CharWidth.of(0xFF21) == 2)
    #expect(CharWidth.of(0x1F600) == 2)
    #expect(CharWidth.of(0xAC00) == 2)
    #expect(CharWidth.of(0x10FFFF) == 1)
    #expect(CharWidth.of(0xFFFF_FFFF) == 1)
  }

  @Test func wideCharTakesTwoCells() {
    let t = Terminal(10, 2)
    t.feed("a中b")
    #expect(t.cell(1, 0).width == 2)
    #expect(t.cell(2, 0).width == 0)
    #expect(t.cell(3, 0).scalar == 0x62)
    #expect(t.cursor == (4, 0))
    #expect(t.line(0) == "a中b")
  }

  @Test func wideCharAtRightMarginWraps() {
    let t = Terminal(5, 3)
    t.feed("abcd中")
    #expect(t.lines == ["abcd", "中", ""])
    #expect(t.rowIsWrapped(0))
    #expect(t.cursor == (2, 1))
  }

  @Test func wideCharFillingLastTwoColumnsLeavesWrapPending() {
    let t = Terminal(5, 3)
    t.feed("abc中")
    #expect(t.cursor == (4, 0))
    t.feed("x")
    #expect(t.lines == ["abc中", "x", ""])
  }

  @Test func wideCharWithoutAutowrapAtMarginIsDropped() {
    let t = Terminal(5, 3)
    t.feed("\(csi)?7labcd中")
    #expect(t.lines == ["abcd", "", ""])
  }

  @Test func overwritingHalfAWideCharBlanksTheOtherHalf() {
    let t = Terminal(6, 2)
    t.feed("中文\(csi)1;2Hx")
    #expect(t.line(0) == " x文")
    #expect(t.cell(0, 0).width == 1)
    t.feed("\(csi)1;3Hy")
    #expect(t.line(0) == " xy")
    #expect(t.cell(3, 0).width == 1)
  }

  @Test func erasingHalfAWideCharBlanksIt() {
    let t = Terminal(6, 2)
    t.feed("a中b\(csi)1;3H\(csi)K")
    #expect(t.line(0) == "a")
    t.feed("\r中文\(csi)1;2H\(csi)P")
    #expect(t.line(0) == " 文")  // the orphaned left half is blanked
    #expect(t.cell(1, 0).width == 2)
  }

  @Test func combiningMarkJoinsPreviousCell() {
    let t = Terminal(10, 2)
    t.feed("e\u{301}x")
    #expect(t.line(0) == "e\u{301}x")
    let c = t.cell(0, 0)
    #expect(t.combiningMarks(c.combining) == [0x301])
    #expect(t.cursor == (2, 0))
  }

  @Test func combiningMarkAtPendingWrapJoinsLastColumn() {
    let t = Terminal(3, 2)
    t.feed("abc\u{308}")
    #expect(t.line(0) == "abc\u{308}")
    #expect(t.cursor == (2, 0))
  }

  @Test func combiningMarksAreDeduplicated() {
    let t = Terminal(10, 2)
    t.feed("e\u{301}a\u{301}")
    #expect(t.cell(0, 0).combining == t.cell(1, 0).combining)
  }

  @Test func combiningMarkAtLineStartIsDropped() {
    let t = Terminal(10, 2)
    t.feed("\u{301}a")
    #expect(t.line(0) == "a")
  }

  @Test func zwjSequenceJoinsOneCell() {
    let t = Terminal(10, 2)
    t.feed("👨\u{200D}👩\u{200D}👧x")
    #expect(t.cell(0, 0).width == 2)
    #expect(t.combiningMarks(t.cell(0, 0).combining) == [0x200D, 0x1F469, 0x200D, 0x1F467])
    #expect(t.cell(2, 0).scalar == 0x78)
    #expect(t.line(0) == "👨\u{200D}👩\u{200D}👧x")
  }

  @Test func emojiModifierJoinsWideBase() {
    let t = Terminal(10, 2)
    t.feed("👍🏽x")
    #expect(t.combiningMarks(t.cell(0, 0).combining) == [0x1F3FD])
    #expect(t.cursor == (3, 0))
  }

  @Test func variationSelector16KeepsNarrowBaseNarrow() {
    // tmux and xterm lay out by code point: VS16 is a mark on its base.
    let t = Terminal(10, 2)
    t.feed("\u{2764}\u{FE0F}x")
    #expect(t.cell(0, 0).width == 1)
    #expect(t.combiningMarks(t.cell(0, 0).combining) == [0xFE0F])
    #expect(t.cell(1, 0).scalar == 0x78)
    #expect(t.cursor == (2, 0))
  }

  @Test func combiningTableIsBounded() {
    let t = Terminal(10, 2)
    // Far more distinct combinations than the table keeps: never a trap.
    var bytes: [UInt8] = []
    for a in 0..<200 {
      for b in 0..<100 {
        bytes += Array("\r\u{1B}[Ke".utf8)
        appendUTF8(UInt32(0x300 + a % 0x70), to: &bytes)
        appendUTF8(UInt32(0x1AB0 + b % 0x0F), to: &bytes)
        appendUTF8(UInt32(0x20D0 + (a * 100 + b) % 0x20), to: &bytes)
      }
    }
    t.feed(bytes)
    #expect(t.line(0).unicodeScalars.first == "e")
  }

  @Test func tooManyMarksOnOneCellAreDropped() {
    let t = Terminal(10, 2)
    t.feed("e" + String(repeating: "\u{301}", count: 100))
    #expect(t.combiningMarks(t.cell(0, 0).combining).count == CombiningTable.maxMarksPerCell)
  }
}
