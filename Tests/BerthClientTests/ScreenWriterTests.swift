// ScreenWriter: the client's own output. Frames are rendered into a byte
// buffer and fed to berth's terminal engine, which shows what a terminal
// would make of them; a few tests read the raw bytes (palette indices kept,
// RGB exact), which no screen comparison can see.

import BerthTerminal
import Testing

@testable import BerthClient

@Suite struct ScreenWriterTests {
  /// A UTF-8 locale whose wcwidth knows CJK but not newer emoji.
  static var glyphs: GlyphMapper {
    GlyphMapper(
      localWidth: { s in
        switch s {
        case 0x20..<0x7F, 0xE9, 0x2500...0x257F: return 1
        case 0x4E00...0x9FFF: return 2
        case 0x0300...0x036F, 0x200D: return 0
        default: return -1
        }
      },
      encodable: { _ in true }, keepsWideMarks: true)
  }

  static func writer(
    columns: Int = 20, rows: Int = 4, colors: Int = 256, features: TerminalFeatures = .init(),
    caps: TerminalCapabilities? = nil
  ) -> ScreenWriter {
    ScreenWriter(
      caps: caps ?? .xtermLike(colors: colors), glyphs: glyphs, utf8: true, columns: columns,
      rows: rows, features: features)
  }

  /// Cells from text in one style (each scalar one column unless CJK).
  static func cells(_ text: String, _ style: Style = .plain) -> [Cell] {
    var row: [Cell] = []
    for s in text.unicodeScalars {
      let wide = (0x4E00...0x9FFF).contains(s.value) || s.value >= 0x1F000
      row.append(Cell(scalar: s.value, style: style, width: wide ? 2 : 1))
      if wide { row.append(Cell(scalar: 0x20, style: style, width: 0)) }
    }
    return row
  }

  static func set(_ w: inout ScreenWriter, _ y: Int, _ cells: [Cell]) {
    cells.withUnsafeBufferPointer { w.setRow(y, $0, marks: { _ in [] }) }
  }

  /// Renders and returns the frame's bytes.
  static func frame(_ w: inout ScreenWriter) -> [UInt8] {
    w.render()
    let bytes = w.out.bytes
    w.out.removeAll()
    return bytes
  }

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  /// What a terminal shows after these frames.
  static func screen(_ frames: [[UInt8]], columns: Int = 20, rows: Int = 4) -> Terminal {
    let t = Terminal(columns: columns, rows: rows)
    for f in frames { t.feed(f) }
    return t
  }

  static func row(_ t: Terminal, _ y: Int) -> [Cell] { t.withRow(y) { Array($0) } }

  static func line(_ t: Terminal, _ y: Int) -> String {
    String(
      String.UnicodeScalarView(
        row(t, y).filter { $0.width != 0 }.compactMap { Unicode.Scalar($0.scalar) }))
  }

  @Test func stylesArriveAsTheProgramSetThem() {
    var f = TerminalFeatures()
    f.trueColor = true
    f.strikethrough = true
    var w = Self.writer(features: f)
    var underline = Attributes()
    underline.underlineStyle = 1
    let styles: [Style] = [
      Style(foreground: .palette(1), attributes: .bold),
      Style(attributes: .italic),
      Style(attributes: .strikethrough),
      Style(foreground: .palette(208), background: .palette(9)),
      Style(foreground: .rgb(0, 0, 255), attributes: underline),
      Style(attributes: [.reverse, .dim]),
    ]
    var row: [Cell] = []
    for (i, style) in styles.enumerated() { row += Self.cells("\(i)", style) }
    Self.set(&w, 0, row)
    let t = Self.screen([Self.frame(&w)])
    let shown = Self.row(t, 0)
    for (i, style) in styles.enumerated() {
      #expect(shown[i].scalar == UInt32(0x30 + i))
      #expect(shown[i].style.foreground == style.foreground, "cell \(i)")
      #expect(shown[i].style.background == style.background, "cell \(i)")
      #expect(shown[i].style.attributes == style.attributes, "cell \(i)")
    }
    #expect(shown[6].style == .plain)
  }

  @Test func paletteIndicesStayIndicesAndRGBIsExact() {
    var f = TerminalFeatures()
    f.trueColor = true
    var w = Self.writer(features: f)
    Self.set(
      &w, 0,
      Self.cells("a", Style(foreground: .palette(208)))
        + Self.cells("b", Style(foreground: .palette(9)))
        + Self.cells("c", Style(foreground: .rgb(0, 0, 255)))
        + Self.cells("d", Style(background: .palette(4))))
    let out = Self.text(Self.frame(&w))
    #expect(out.contains("38;5;208m"))
    #expect(out.contains("91m"))
    #expect(out.contains("38;2;0;0;255m"))
    #expect(out.contains("44m"))
    #expect(!out.contains("38;2;255;135;0"))
  }

  @Test func rgbIsTheNearestPaletteEntryWithoutTrueColour() {
    var w = Self.writer()
    Self.set(&w, 0, Self.cells("c", Style(foreground: .rgb(0, 0, 255))))
    let out = Self.text(Self.frame(&w))
    #expect(out.contains("38;5;21m"))
    #expect(!out.contains("38;2;"))
  }

  @Test func brightColoursAreBoldOnEightColours() {
    var w = Self.writer(colors: 8)
    Self.set(&w, 0, Self.cells("x", Style(foreground: .palette(9))))
    let t = Self.screen([Self.frame(&w)])
    let cell = Self.row(t, 0)[0]
    #expect(cell.style.foreground == .palette(1))
    #expect(cell.style.attributes.contains(.bold))
  }

  @Test func styledUnderlinesAndStrikethroughOnlyWhereTheTerminalTakesThem() {
    let curly = Style(
      attributes: {
        var a = Attributes()
        a.underlineStyle = 3
        return a
      }())
    var plain = Self.writer()
    Self.set(&plain, 0, Self.cells("u", curly))
    #expect(Self.row(Self.screen([Self.frame(&plain)]), 0)[0].style.attributes.underlineStyle == 1)
    var f = TerminalFeatures()
    f.styledUnderlines = true
    var styled = Self.writer(features: f)
    Self.set(&styled, 0, Self.cells("u", curly))
    let bytes = Self.frame(&styled)
    #expect(Self.text(bytes).contains("4:3"))
    #expect(Self.row(Self.screen([bytes]), 0)[0].style.attributes.underlineStyle == 3)
    // xterm-like entries have no smxx: SGR 9 needs the feature.
    var caps = TerminalCapabilities.xtermLike(colors: 256)
    caps.strikethrough = []
    var none = Self.writer(caps: caps)
    Self.set(&none, 0, Self.cells("s", Style(attributes: .strikethrough)))
    #expect(!Self.text(Self.frame(&none)).contains("9m"))
  }

  @Test func underlineColourGoesOutWhereTheTerminalTakesIt() {
    var f = TerminalFeatures()
    f.underlineColor = true
    f.trueColor = true
    var w = Self.writer(features: f)
    w.define(1, Decoration(underlineColor: .rgb(255, 0, 0)))
    w.define(2, Decoration(underlineColor: .palette(196)))
    Self.set(
      &w, 0,
      Self.cells("a", Style(attributes: .underline, decoration: 1))
        + Self.cells("b", Style(attributes: .underline, decoration: 2)))
    let out = Self.text(Self.frame(&w))
    #expect(out.contains("58:2::255:0:0"))
    #expect(out.contains("58:5:196"))
  }

  @Test func hyperlinksOpenAndCloseWithinTheFrame() {
    var f = TerminalFeatures()
    f.hyperlinks = true
    var w = Self.writer(features: f)
    w.define(3, Decoration(link: Hyperlink(uri: Array("https://example.com".utf8), id: [0x31])))
    Self.set(&w, 0, Self.cells("go ") + Self.cells("here", Style(decoration: 3)) + Self.cells(" x"))
    let out = Self.text(Self.frame(&w))
    #expect(out.contains("\u{1B}]8;id=1;https://example.com\u{1B}\\here\u{1B}]8;;\u{1B}\\"))
    // Without the feature nothing is sent.
    var off = Self.writer()
    off.define(3, Decoration(link: Hyperlink(uri: Array("https://example.com".utf8))))
    Self.set(&off, 0, Self.cells("here", Style(decoration: 3)))
    #expect(!Self.text(Self.frame(&off)).contains("]8;"))
    // A link with a control character in it is never sent.
    var bad = Self.writer(features: f)
    bad.define(4, Decoration(link: Hyperlink(uri: [0x61, 0x1B, 0x62])))
    Self.set(&bad, 0, Self.cells("x", Style(decoration: 4)))
    #expect(!Self.text(Self.frame(&bad)).contains("]8;"))
  }

  @Test func aKeyDefinedAgainRepaintsOnlyItsCells() {
    var f = TerminalFeatures()
    f.hyperlinks = true
    var w = Self.writer(features: f)
    w.define(3, Decoration(link: Hyperlink(uri: Array("https://a.example".utf8))))
    Self.set(&w, 0, Self.cells("text ") + Self.cells("link", Style(decoration: 3)))
    Self.set(&w, 1, Self.cells("other row"))
    _ = Self.frame(&w)
    // A key nothing shows yet costs nothing.
    w.define(9, Decoration(link: Hyperlink(uri: Array("https://b.example".utf8))))
    #expect(Self.frame(&w).isEmpty)
    // A key on screen: its cells go out again with the new link, nothing else.
    w.define(3, Decoration(link: Hyperlink(uri: Array("https://c.example".utf8))))
    let again = Self.text(Self.frame(&w))
    #expect(again.contains("\u{1B}]8;;https://c.example\u{1B}\\link\u{1B}]8;;\u{1B}\\"))
    #expect(!again.contains("text") && !again.contains("other"))
  }

  @Test func onlyTheChangedCellsAreSentAgain() {
    var w = Self.writer()
    Self.set(&w, 0, Self.cells("hello world"))
    Self.set(&w, 1, Self.cells("second", Style(foreground: .palette(2))))
    let first = Self.frame(&w)
    Self.set(&w, 0, Self.cells("hello World"))
    let second = Self.frame(&w)
    #expect(Self.text(second).contains("W"))
    #expect(!Self.text(second).contains("hello"))
    #expect(second.count < 16)
    #expect(Self.frame(&w).isEmpty)
    let t = Self.screen([first, second])
    #expect(Self.line(t, 0).hasPrefix("hello World"))
    #expect(Self.row(t, 1)[0].style.foreground == .palette(2))
  }

  @Test func shorterRowsAreErasedToTheEnd() {
    var w = Self.writer()
    Self.set(&w, 0, Self.cells("a long line here"))
    let first = Self.frame(&w)
    Self.set(&w, 0, Self.cells("short"))
    let second = Self.frame(&w)
    #expect(Self.text(second).contains("\u{1B}[K"))
    let t = Self.screen([first, second])
    #expect(Self.row(t, 0)[5].scalar == 0x20 && Self.row(t, 0)[10].scalar == 0x20)
  }

  @Test func charactersTheLocalWidthDisagreesWithKeepLaterCellsInPlace() {
    var w = Self.writer()
    // U+1FAE8 is newer than the local tables (wcwidth -1), wide for the server.
    Self.set(&w, 0, Self.cells("a\u{1FAE8}b日c"))
    let bytes = Self.frame(&w)
    #expect(Self.text(bytes).contains("\u{1FAE8}"))
    let t = Self.screen([bytes])
    let row = Self.row(t, 0)
    #expect(row[0].scalar == 0x61)
    #expect(row[1].scalar == 0x1FAE8)
    #expect(row[3].scalar == 0x62)
    #expect(row[4].scalar == 0x65E5 && row[4].width == 2)
    #expect(row[6].scalar == 0x63)
  }

  @Test func combiningMarksGoWithTheirBase() {
    var w = Self.writer()
    let cells = [Cell(scalar: 0x65, combining: 1, width: 1), Cell(scalar: 0x78)]
    cells.withUnsafeBufferPointer { w.setRow(0, $0, marks: { _ in [0x301] }) }
    let bytes = Self.frame(&w)
    #expect(Self.text(bytes).contains("e\u{301}x"))
  }

  @Test func synchronizedOutputWrapsEachFrame() {
    var f = TerminalFeatures()
    f.synchronizedOutput = true
    var w = Self.writer(features: f)
    Self.set(&w, 0, Self.cells("x"))
    let out = Self.text(Self.frame(&w))
    #expect(out.hasPrefix("\u{1B}[?2026h"))
    #expect(out.hasSuffix("\u{1B}[?2026l"))
    #expect(Self.frame(&w).isEmpty)
  }

  @Test func theBottomRightCellIsLeftOutWithoutLateWrap() {
    var caps = TerminalCapabilities.xtermLike(colors: 8)
    caps.lateWrap = false
    var w = Self.writer(columns: 4, rows: 2, caps: caps)
    Self.set(&w, 1, Self.cells("abcZ"))
    #expect(!Self.text(Self.frame(&w)).contains("Z"))
    var xenl = Self.writer(columns: 4, rows: 2)
    Self.set(&xenl, 1, Self.cells("abcZ"))
    let bytes = Self.frame(&xenl)
    #expect(Self.text(bytes).contains("Z"))
    #expect(Self.row(Self.screen([bytes], columns: 4, rows: 2), 1)[3].scalar == 0x5A)
  }

  @Test func lineDrawingUsesTheAlternateSetWhereTheLocaleCannot() {
    let ascii = GlyphMapper(
      localWidth: { (0x20..<0x7F).contains($0) ? 1 : -1 }, encodable: { $0 < 0x80 })
    var w = ScreenWriter(
      caps: .xtermLike(colors: 8), glyphs: ascii, utf8: false, columns: 10, rows: 2)
    Self.set(&w, 0, Self.cells("\u{250C}\u{2500}\u{2510}x"))
    let bytes = Self.frame(&w)
    #expect(Self.text(bytes).contains("\u{1B}(0lqk\u{1B}(Bx"))
    let row = Self.row(Self.screen([bytes], columns: 10, rows: 2), 0)
    #expect(row[0].scalar == 0x250C && row[1].scalar == 0x2500 && row[3].scalar == 0x78)
  }

  @Test func aMessageCoversTheLastRowAndGivesItBack() {
    var w = Self.writer(columns: 10, rows: 2)
    Self.set(&w, 1, Self.cells("window"))
    let first = Self.frame(&w)
    w.setMessage(Self.cells("hi", Style(attributes: .reverse)))
    let second = Self.frame(&w)
    #expect(Self.row(Self.screen([first, second], columns: 10, rows: 2), 1)[0].scalar == 0x68)
    w.setMessage(nil)
    let third = Self.frame(&w)
    let t = Self.screen([first, second, third], columns: 10, rows: 2)
    #expect(Self.line(t, 1).hasPrefix("window"))
  }

  @Test func aChangeOfFeaturesRepaintsEverything() {
    var w = Self.writer()
    Self.set(&w, 0, Self.cells("x", Style(foreground: .rgb(1, 2, 3))))
    _ = Self.frame(&w)
    w.features.trueColor = true
    let out = Self.text(Self.frame(&w))
    #expect(out.contains("\u{1B}[H\u{1B}[2J"))
    #expect(out.contains("38;2;1;2;3m"))
  }

  @Test func aResizeRedrawsTheKeptRowsAtTheNewSize() {
    var w = Self.writer(columns: 10, rows: 2)
    Self.set(&w, 0, Self.cells("top"))
    _ = Self.frame(&w)
    w.resize(columns: 12, rows: 4)
    Self.set(&w, 3, Self.cells("bottom"))
    w.setMessage(Self.cells("msg"))
    let bytes = Self.frame(&w)
    let t = Self.screen([bytes], columns: 12, rows: 4)
    #expect(Self.line(t, 0).hasPrefix("top"))
    #expect(Self.line(t, 3).hasPrefix("msg"))
    w.resize(columns: 5, rows: 1)
    Self.set(&w, 0, Self.cells("abcdefgh"))
    #expect(Self.line(Self.screen([Self.frame(&w)], columns: 5, rows: 1), 0) == "msg  ")
  }
}
