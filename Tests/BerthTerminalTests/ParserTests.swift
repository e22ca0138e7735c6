// The state machine: controls inside sequences, parameters and their caps,
// strings and their bounds, UTF-8 decoding, splits between feeds.

import Testing

@testable import BerthTerminal

@Suite struct ParserTests {
  @Test func plainTextAndCRLF() {
    let t = Terminal(10, 3)
    t.feed("ab\r\ncd")
    #expect(t.lines == ["ab", "cd", ""])
    #expect(t.cursor == (2, 1))
  }

  @Test func sequenceSplitAcrossFeedsAtEveryByte() {
    let input = Array("x\(csi)1;31mred\(csi)2;5H\u{E9}\u{4E2D}\u{1F600}\(esc)]2;title\u{07}z".utf8)
    let whole = Terminal(20, 5)
    whole.feed(input)
    for split in 1..<input.count {
      let t = Terminal(20, 5)
      t.feed(Array(input[..<split]))
      t.feed(Array(input[split...]))
      #expect(t.lines == whole.lines, "split at \(split)")
      #expect(t.title == "title")
      #expect(t.cell(0, 0).style == whole.cell(0, 0).style)
    }
    #expect(whole.line(1) == "    é中😀z")
  }

  @Test func controlInsideCSIIsExecuted() {
    let t = Terminal(10, 3)
    t.feed("ab\(csi)1\rC")  // CR runs inside the sequence, then CUF 1
    #expect(t.cursor == (1, 0))
  }

  @Test func cancelAbortsSequence() {
    let t = Terminal(10, 3)
    t.feed("\(csi)31\u{18}mx")
    #expect(t.line(0) == "mx")
    #expect(t.cell(0, 0).style == .plain)
  }

  @Test func parametersSaturate() {
    let t = Terminal(10, 5)
    t.feed("\(csi)99999999999999999999B")
    #expect(t.cursor == (0, 4))
    t.feed("\(csi)1;99999999999999999999999H")
    #expect(t.cursor == (9, 0))
  }

  @Test func tooManyParametersAreCapped() {
    let t = Terminal(10, 3)
    let many = Array(repeating: "1", count: 500).joined(separator: ";")
    t.feed("\(csi)\(many)mok")
    #expect(t.line(0) == "ok")
    #expect(t.cell(0, 0).style.attributes.contains(.bold))
  }

  @Test func privateMarkerAfterParamsIsIgnored() {
    let t = Terminal(10, 3)
    t.feed("\(csi)1?Hx")
    #expect(t.line(0) == "x")
  }

  @Test func unknownSequencesAreSkipped() {
    let t = Terminal(10, 3)
    t.feed("a\(csi)>4;2mb\(csi)?1uc\(esc)Pq#0;1;1~~\(esc)\\d\(esc)_apc\(esc)\\e\(esc)^pm\u{07}f")
    // BEL does not end PM (only ST does), so "f" is still inside it.
    #expect(t.line(0) == "abcde")
  }

  @Test func oscIsBoundedAndExcessDropped() {
    let t = Terminal(10, 3)
    let long = String(repeating: "x", count: 200_000)
    t.feed("\(esc)]2;\(long)\u{07}after")
    #expect(t.title.utf8.count <= SequenceBuffer.maxOSCLength)
    #expect(t.line(0) == "after")
  }

  @Test func invalidUTF8ShowsReplacement() {
    let t = Terminal(20, 3)
    t.feed([0x61, 0xFF, 0x62, 0xC3, 0x63, 0xE4, 0xB8, 0x64, 0xED, 0xA0, 0x80, 0x65, 0xC0, 0xAF])
    // Each maximal invalid subpart becomes one U+FFFD.
    #expect(t.line(0) == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}\u{FFFD}\u{FFFD}e\u{FFFD}\u{FFFD}")
  }

  @Test func escInsideUTF8SequenceEndsIt() {
    let t = Terminal(20, 3)
    t.feed([0xE4, 0xB8] + Array("\(csi)1Cx".utf8))
    #expect(t.line(0) == "\u{FFFD} x")
  }

  @Test func c1BytesAreNotControls() {
    let t = Terminal(10, 3)
    t.feed([0x9B, 0x41, 0x42])  // 8-bit CSI is just an invalid byte here
    #expect(t.line(0) == "\u{FFFD}AB")
  }

  @Test func delIsIgnored() {
    let t = Terminal(10, 3)
    t.feed("a\u{7F}b")
    #expect(t.line(0) == "ab")
  }
}
