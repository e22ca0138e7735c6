// GlyphMapper: what is drawn for a cell's character, in a UTF-8 locale and in
// one that cannot encode it (LANG=C).

import Testing

@testable import BerthClient

@Suite struct GlyphMapperTests {
  /// A UTF-8 locale, with widths for the few scalars these tests use.
  let utf8 = GlyphMapper(
    localWidth: { s in
      switch s {
      case 0x20..<0x7F, 0xE9, 0x2500...0x257F: return 1
      case 0x4E00...0x9FFF, 0x1F600: return 2
      case 0x0300...0x036F, 0x200D: return 0
      default: return -1
      }
    },
    encodable: { _ in true })
  /// The C locale: ASCII only.
  let ascii = GlyphMapper(
    localWidth: { s in (0x20..<0x7F).contains(s) ? 1 : -1 }, encodable: { $0 < 0x80 })

  @Test func asciiIsDrawnAsItIs() {
    #expect(utf8.glyph(0x41, width: 1) == .scalar(0x41))
    #expect(ascii.glyph(0x7E, width: 1) == .scalar(0x7E))
    #expect(ascii.glyph(0x20, width: 1) == .scalar(0x20))
    #expect(ascii.glyph(0, width: 1) == .scalar(0x20))
  }

  @Test func charactersAreDrawnAtTheServersWidthWhateverTheLocalWidth() {
    #expect(utf8.glyph(0x65E5, width: 2) == .scalar(0x65E5))
    #expect(utf8.glyph(0x1F600, width: 2) == .scalar(0x1F600))
    // Emoji newer than the C library's tables (wcwidth -1) are drawn too.
    #expect(utf8.glyph(0x1FAE8, width: 2) == .scalar(0x1FAE8))
    #expect(utf8.glyph(0x65E5, width: 1) == .scalar(0x65E5))
    #expect(utf8.glyph(0xE9, width: 2) == .scalar(0xE9))
    #expect(utf8.glyph(0x41, width: 2) == .replacement)
  }

  @Test func unprintableScalarsAreReplaced() {
    #expect(utf8.glyph(0x07, width: 1) == .replacement)
    #expect(utf8.glyph(0x7F, width: 1) == .replacement)
    #expect(utf8.glyph(0x10FFFF, width: 1) == .replacement)
  }

  @Test func nonAsciiInTheCLocaleIsBoxDrawingOrQuestionMark() {
    #expect(ascii.glyph(0xE9, width: 1) == .replacement)
    #expect(ascii.glyph(0x65E5, width: 2) == .replacement)
    #expect(ascii.glyph(0x2500, width: 1) == .acs(UInt8(ascii: "q")))
    #expect(ascii.glyph(0x2502, width: 1) == .acs(UInt8(ascii: "x")))
    #expect(ascii.glyph(0x25C6, width: 1) == .acs(UInt8(ascii: "`")))
    #expect(ascii.glyph(0x00B7, width: 1) == .acs(UInt8(ascii: "~")))
    // Box drawing the UTF-8 locale can show stays Unicode.
    #expect(utf8.glyph(0x2500, width: 1) == .scalar(0x2500))
  }

  @Test func boxDrawingLettersFollowTheLines() {
    let cases: [(UInt32, Character)] = [
      (0x2500, "q"), (0x2501, "q"), (0x2550, "q"), (0x2502, "x"), (0x2551, "x"),
      (0x250C, "l"), (0x2554, "l"), (0x256D, "l"), (0x250F, "l"),
      (0x2510, "k"), (0x2557, "k"), (0x256E, "k"),
      (0x2514, "m"), (0x255A, "m"), (0x2570, "m"),
      (0x2518, "j"), (0x255D, "j"), (0x256F, "j"),
      (0x251C, "t"), (0x2560, "t"), (0x2524, "u"), (0x2563, "u"),
      (0x252C, "w"), (0x2566, "w"), (0x2534, "v"), (0x2569, "v"),
      (0x253C, "n"), (0x254B, "n"), (0x256C, "n"),
    ]
    for (scalar, letter) in cases {
      #expect(GlyphMapper.acsLetter(scalar) == letter.asciiValue, "U+\(String(scalar, radix: 16))")
    }
    #expect(GlyphMapper.acsLetter(0x2571) == nil)  // diagonal
    #expect(GlyphMapper.acsLetter(0x41) == nil)
  }

  @Test func onlyZeroWidthEncodableMarksAreKept() {
    #expect(utf8.keepsMark(0x0301))
    #expect(utf8.keepsMark(0x200D))
    #expect(!utf8.keepsMark(0x41))
    #expect(!utf8.keepsMark(0))
    #expect(!ascii.keepsMark(0x0301))
    #expect(!utf8.keepsMark(0x1F3FB))
    var joining = utf8
    joining.keepsWideMarks = true
    #expect(joining.keepsMark(0x1F3FB))  // a skin tone goes with its emoji
    #expect(!joining.keepsMark(0x85))
  }
}
