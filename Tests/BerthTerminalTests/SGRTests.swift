// SGR attributes and colours in all their forms.

import Testing

@testable import BerthTerminal

@Suite struct SGRTests {
  private func styleAfter(_ sgr: String) -> Style {
    let t = Terminal(5, 1)
    t.feed("\(csi)\(sgr)mx")
    return t.cell(0, 0).style
  }

  @Test func attributesOnAndOff() {
    let all = styleAfter("1;2;3;4;5;7;8;9")
    let expected: Attributes = [
      .bold, .dim, .italic, .underline, .blink, .reverse, .hidden, .strikethrough,
    ]
    #expect(all.attributes == expected.union(Attributes(rawValue: 1 << 8)))
    #expect(styleAfter("1;2;3;4;5;7;8;9;22;23;24;25;27;28;29").attributes == [])
    #expect(styleAfter("1;0").attributes == [])
    #expect(styleAfter("1;31;").attributes == [])  // a trailing empty parameter is 0
  }

  @Test func underlineStyles() {
    #expect(styleAfter("4:3").attributes.underlineStyle == 3)
    #expect(styleAfter("4:3").attributes.contains(.underline))
    #expect(styleAfter("4:3;4:0").attributes.contains(.underline) == false)
    #expect(styleAfter("21").attributes.underlineStyle == 2)
    #expect(styleAfter("4").attributes.underlineStyle == 1)
  }

  @Test func basicAndBrightColours() {
    #expect(styleAfter("31;42") == Style(foreground: .palette(1), background: .palette(2)))
    #expect(styleAfter("97;104") == Style(foreground: .palette(15), background: .palette(12)))
    #expect(styleAfter("31;42;39;49") == .plain)
  }

  @Test func indexedAndRGBColoursWithSemicolons() {
    #expect(
      styleAfter("38;5;196;48;5;21") == Style(foreground: .palette(196), background: .palette(21)))
    #expect(styleAfter("38;2;1;2;3;1") == Style(foreground: .rgb(1, 2, 3), attributes: .bold))
  }

  @Test func indexedAndRGBColoursWithColons() {
    #expect(styleAfter("38:5:196") == Style(foreground: .palette(196)))
    #expect(
      styleAfter("38:2::10:20:30;1") == Style(foreground: .rgb(10, 20, 30), attributes: .bold))
    #expect(styleAfter("48:2:10:20:30") == Style(background: .rgb(10, 20, 30)))
    #expect(styleAfter("48:2:0:10:20:30") == Style(background: .rgb(10, 20, 30)))
    // The underline colour is the first decoration: key 1 (DecorationTests).
    #expect(styleAfter("58:2::1:2:3;3") == Style(attributes: .italic, decoration: 1))
  }

  @Test func outOfRangeColoursAreIgnored() {
    #expect(styleAfter("38;5;300") == .plain)
    #expect(styleAfter("38;2;256;0;0") == .plain)
    #expect(styleAfter("38;5") == .plain)
    #expect(styleAfter("38:2:1") == .plain)
  }

  @Test func privateSGRIsNotSGR() {
    #expect(styleAfter("1m\(csi)>4;2") == Style(attributes: .bold))
  }
}
