// Underline colours (SGR 58/59) and hyperlinks (OSC 8): what cells carry,
// how the table of decorations stays bounded, and what survives a snapshot.

import Testing

@testable import BerthTerminal

@Suite struct DecorationTests {
  private func decoration(_ t: Terminal, _ x: Int, _ y: Int) -> Decoration? {
    t.decoration(t.cell(x, y).style.decoration)
  }

  private func link(_ uri: String, id: String = "") -> String {
    "\(esc)]8;\(id.isEmpty ? "" : "id=\(id)");\(uri)\(esc)\\"
  }

  @Test func underlineColourInEveryForm() {
    let forms: [(String, Color)] = [
      ("58:2::1:2:3", .rgb(1, 2, 3)), ("58:2:4:5:6", .rgb(4, 5, 6)), ("58;2;7;8;9", .rgb(7, 8, 9)),
      ("58:5:100", .palette(100)), ("58;5;200", .palette(200)),
    ]
    for (sgr, colour) in forms {
      let t = Terminal(5, 1)
      t.feed("\(csi)4;\(sgr)mx")
      #expect(decoration(t, 0, 0)?.underlineColor == colour, "\(sgr)")
      #expect(t.cell(0, 0).style.attributes.contains(.underline))
    }
  }

  @Test func sgr59AndSgr0ClearTheUnderlineColour() {
    let t = Terminal(10, 1)
    t.feed("\(csi)58;5;1ma\(csi)59mb\(csi)58;5;2mc\(csi)0md\(csi)58;5;3mf\(csi)mg")
    #expect(decoration(t, 0, 0)?.underlineColor == .palette(1))
    #expect(t.cell(1, 0).style.decoration == 0)
    #expect(decoration(t, 2, 0)?.underlineColor == .palette(2))
    #expect(t.cell(3, 0).style.decoration == 0)
    #expect(decoration(t, 4, 0)?.underlineColor == .palette(3))
    #expect(t.cell(5, 0).style.decoration == 0)
  }

  @Test func badUnderlineColoursAreIgnored() {
    let t = Terminal(5, 1)
    t.feed("\(csi)58;5;300ma\(csi)58:2::1:2:999mb\(csi)58mc")
    for x in 0..<3 { #expect(t.cell(x, 0).style.decoration == 0) }
  }

  @Test func hyperlinkCoversTheTextBetween() {
    let t = Terminal(20, 1)
    t.feed("a" + link("https://example.com/", id: "k1") + "link" + link("") + "b")
    #expect(t.cell(0, 0).style.decoration == 0)
    let d = decoration(t, 1, 0)
    #expect(d?.link == Hyperlink(uri: Array("https://example.com/".utf8), id: Array("k1".utf8)))
    #expect(t.cell(4, 0).style.decoration == t.cell(1, 0).style.decoration)
    #expect(t.cell(5, 0).style.decoration == 0)
    #expect(t.line(0) == "alinkb")
  }

  @Test func linkParametersOtherThanIdAreSkippedAndBELEnds() {
    let t = Terminal(20, 1)
    t.feed("\(esc)]8;foo=bar:id=x:baz=1;file:///tmp\u{07}z")
    #expect(
      decoration(t, 0, 0)?.link == Hyperlink(uri: Array("file:///tmp".utf8), id: [UInt8]("x".utf8)))
  }

  @Test func linkOutlivesSgr0AndKeepsTheUnderlineColour() {
    let t = Terminal(20, 1)
    t.feed(link("http://a") + "\(csi)4;58;5;9mx\(csi)0my" + link("") + "z")
    #expect(
      decoration(t, 0, 0)
        == Decoration(underlineColor: .palette(9), link: Hyperlink(uri: Array("http://a".utf8))))
    #expect(decoration(t, 1, 0) == Decoration(link: Hyperlink(uri: Array("http://a".utf8))))
    #expect(t.cell(2, 0).style.decoration == 0)
  }

  @Test func oversizedOrUnprintableLinksAreDropped() {
    let long = String(repeating: "a", count: Hyperlink.maxURI + 1)
    let longID = String(repeating: "i", count: Hyperlink.maxID + 1)
    for bad in [
      link("http://" + long), link("http://x", id: longID), "\(esc)]8;;http://a\u{7F}b\(esc)\\",
      "\(esc)]8;;http://é\(esc)\\", "\(esc)]8;http://nosemicolon\(esc)\\",
    ] {
      let t = Terminal(10, 1)
      t.feed(link("http://before") + bad + "x")
      #expect(t.cell(0, 0).style.decoration == 0, "\(bad.prefix(30))")
    }
    // Just within the bounds, kept.
    let t = Terminal(10, 1)
    t.feed(
      link(
        "h" + String(repeating: "a", count: Hyperlink.maxURI - 1), id: String(longID.dropFirst()))
        + "x")
    #expect(decoration(t, 0, 0)?.link?.uri.count == Hyperlink.maxURI)
  }

  @Test func erasedAndScrolledInCellsCarryNoDecoration() {
    let t = Terminal(10, 3)
    t.feed("\(csi)44;58;5;1;4m" + link("http://a") + "ab\(csi)K\r\n\(csi)2J\(csi)L\(csi)5X")
    for y in 0..<3 {
      for x in 0..<10 {
        #expect(t.cell(x, y).style.decoration == 0)
        #expect(t.cell(x, y).style.background == .palette(4))
      }
    }
  }

  @Test func historyKeepsNoDecorations() {
    let t = Terminal(10, 2)
    t.feed(link("http://a") + "\(csi)58;5;1mold\(csi)m" + link("") + "\r\n\n\n")
    #expect(t.historyCount >= 1)
    #expect(t.historyLine(0) == "old")
    t.withHistoryRow(0) { cells in #expect(cells.allSatisfy { $0.style.decoration == 0 }) }
  }

  @Test func floodingLinksKeepsTheTableBounded() {
    let t = Terminal(20, 2)
    for i in 0..<2000 { t.feed(link("http://x/\(i)") + "\r\(i)") }
    #expect(t.core.decorations.count <= DecorationTable.capacity)
    // The last link printed is kept: the ones scrolled over were collected.
    #expect(decoration(t, 0, 0)?.link?.uri == Array("http://x/1999".utf8))
  }

  @Test func aFullTableOfVisibleLinksKeepsNoNewOne() {
    let t = Terminal(300, 2)
    for i in 0..<DecorationTable.capacity { t.feed(link("http://x/\(i)") + "x") }
    #expect(t.core.decorations.isFull)
    t.feed(link("http://new") + "y")
    // Every key is on the screen or the pen: the new link is not kept.
    #expect(t.cell(DecorationTable.capacity, 0).style.decoration == 0)
    #expect(t.core.decorations.count == DecorationTable.capacity)
    #expect(decoration(t, 254, 0)?.link?.uri == Array("http://x/254".utf8))
  }

  @Test func resetForgetsEveryDecoration() {
    let t = Terminal(10, 2)
    t.feed(link("http://a") + "x\(esc)c")
    #expect(t.core.decorations.count == 0)
    #expect(t.cell(0, 0).style.decoration == 0)
  }

  @Test func snapshotKeepsLinksAndUnderlineColours() throws {
    let t = Terminal(20, 3)
    t.feed(link("http://a", id: "7") + "\(csi)58:2::1:2:3;4mab\(csi)m" + link("") + "c")
    t.feed("\(esc)7\(csi)?1049h" + link("http://alt") + "alt")
    let copy = try Terminal(snapshot: t.snapshot())
    expectSameState(t, copy)
    #expect(copy.decoration(copy.cell(0, 0).style.decoration) == decoration(t, 0, 0))
    copy.feed("\(csi)?1049l")
    t.feed("\(csi)?1049l")
    #expect(
      decoration(copy, 0, 0)
        == Decoration(
          underlineColor: .rgb(1, 2, 3), link: Hyperlink(uri: Array("http://a".utf8), id: [0x37])))
  }

  @Test func snapshotWithAnUnknownDecorationKeyThrows() {
    let t = Terminal(4, 1)
    t.feed(link("http://a") + "x")
    var bytes = t.snapshot()
    // The table (one entry) follows the magic, version and size: drop it.
    let table: [UInt8] = [1, 1, 0, 0, 0, 0, 8] + Array("http://a".utf8) + [0]
    guard let at = bytes.firstIndex(of: 0x68).map({ $0 - 7 }),
      Array(bytes[at..<at + table.count]) == table
    else {
      Issue.record("table not where expected")
      return
    }
    bytes.replaceSubrange(at..<at + table.count, with: [0])
    #expect(throws: SnapshotError.self) { try Terminal(snapshot: bytes) }
  }
}

@Suite struct SmallFixTests {
  @Test func leaving1049OnTheMainScreenRestoresTheSavedCursor() {
    let t = Terminal(20, 6)
    // What dialog does: enter and leave, then its own exit leaves again.
    t.feed("\(csi)3;5H\(csi)?1049h\(csi)5;1Hdialog\(csi)?1049l")
    #expect(t.cursor == (4, 2))
    t.feed("\(csi)6;10H\(csi)?1049l")
    #expect(t.cursor == (4, 2))
    #expect(!t.modes.alternateScreen)
  }

  @Test func leaving1049WithNothingSavedLeavesTheCursor() {
    let t = Terminal(20, 6)
    t.feed("\(csi)4;7H\(csi)?1049l")
    #expect(t.cursor == (6, 3))
  }

  @Test func textAreaSizeReport() {
    let t = Terminal(83, 27)
    t.feed("\(csi)18t")
    #expect(t.replyText == "\(csi)8;27;83t")
  }

  @Test func skinToneJoinsEmojiNewerThanTheCLibrary() {
    let t = Terminal(10, 1)
    t.feed("\u{1FAF7}\u{1F3FD}x")
    #expect(t.cell(0, 0).width == 2)
    #expect(t.combiningMarks(t.cell(0, 0).combining) == [0x1F3FD])
    #expect(t.cell(2, 0).scalar == 0x78)
    #expect(t.cursor == (3, 0))
  }

  @Test func skinToneAtTheMarginJoins() {
    let t = Terminal(4, 2)
    t.feed("ab👍🏿x")
    #expect(t.cell(2, 0).width == 2)
    #expect(t.combiningMarks(t.cell(2, 0).combining) == [0x1F3FF])
    #expect(t.line(1) == "x")
  }

  @Test func emojiNewerThanTheCLibraryAreWide() {
    for scalar: UInt32 in [0x1FAE8, 0x1FA89, 0x1FAAD, 0x1F6DC, 0x1FA77, 0x1FADF, 0x1FAE9] {
      #expect(CharWidth.of(scalar) == 2, "U+\(String(scalar, radix: 16))")
      let t = Terminal(6, 1)
      t.feed(String(UnicodeScalar(scalar)!) + "x")
      #expect(t.cursor == (3, 0))
    }
    #expect(CharWidth.of(0x1FAAA) == 2)  // Unicode 14: glibc already has it
  }
}
