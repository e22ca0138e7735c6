// ColorMapper: how the colours programs ask for land on terminals with 8, 16,
// 88, 256 and direct (RGB) colours.

import BerthTerminal
import Testing

@testable import BerthClient

@Suite struct ColorMapperTests {
  let eight = ColorMapper(colors: 8)
  let sixteen = ColorMapper(colors: 16)
  let full = ColorMapper(colors: 256)
  let direct = ColorMapper(colors: 0x100_0000)

  @Test func defaultStaysDefault() {
    for mapper in [eight, sixteen, full, direct, ColorMapper(colors: 88)] {
      #expect(mapper.foreground(.default) == .default)
      #expect(mapper.background(.default) == .default)
      #expect(!mapper.foregroundNeedsBold(.default))
    }
  }

  @Test func defaultWithoutDefaultColorsIsWhiteOnBlack() {
    let mapper = ColorMapper(colors: 8, defaultColors: false)
    #expect(mapper.foreground(.default) == .index(7))
    #expect(mapper.background(.default) == .index(0))
  }

  @Test func monochromeMapsEverythingToDefault() {
    let mono = ColorMapper(colors: 0)
    #expect(mono.foreground(.palette(1)) == .default)
    #expect(mono.background(.rgb(1, 2, 3)) == .default)
  }

  @Test func paletteIndicesTheTerminalHasStayAsTheyAre() {
    for i in 0..<256 { #expect(full.foreground(.palette(UInt8(i))) == .index(UInt8(i))) }
    for i in 0..<16 { #expect(sixteen.background(.palette(UInt8(i))) == .index(UInt8(i))) }
    for i in 0..<8 {
      #expect(eight.foreground(.palette(UInt8(i))) == .index(UInt8(i)))
      #expect(!eight.foregroundNeedsBold(.palette(UInt8(i))))
    }
  }

  @Test func palette256OnSixteenColoursTakesTheNearest() {
    #expect(sixteen.foreground(.palette(196)) == .index(9))  // (255,0,0)
    // (0,0,255) is nearer 4 (0,0,238) than 12.
    #expect(sixteen.foreground(.palette(21)) == .index(4))
    #expect(sixteen.foreground(.palette(46)) == .index(10))
    #expect(sixteen.foreground(.palette(16)) == .index(0))
    #expect(sixteen.foreground(.palette(231)) == .index(15))
    #expect(sixteen.foreground(.palette(244)) == .index(8))  // grey 128
    #expect(sixteen.foreground(.palette(250)) == .index(7))  // grey 188
    #expect(sixteen.background(.palette(88)) == .index(1))  // (135,0,0)
  }

  @Test func brightColoursOnEightColoursAreTheBaseColourInBold() {
    #expect(eight.foreground(.palette(9)) == .index(1))
    #expect(eight.foregroundNeedsBold(.palette(9)))
    #expect(eight.foreground(.palette(8)) == .index(0))  // bright black: dark grey in bold
    #expect(eight.foregroundNeedsBold(.palette(8)))
    #expect(eight.foreground(.palette(196)) == .index(1))
    #expect(eight.foregroundNeedsBold(.palette(196)))
    #expect(eight.foreground(.palette(244)) == .index(0))
    #expect(eight.foregroundNeedsBold(.palette(244)))
    #expect(eight.foreground(.palette(88)) == .index(1))
    #expect(!eight.foregroundNeedsBold(.palette(88)))
    #expect(eight.background(.palette(12)) == .index(4))
    #expect(eight.foreground(.rgb(255, 255, 0)) == .index(3))
    #expect(eight.foregroundNeedsBold(.rgb(255, 255, 0)))
    #expect(eight.foreground(.rgb(0, 0, 200)) == .index(4))
    #expect(!eight.foregroundNeedsBold(.rgb(0, 0, 200)))
  }

  @Test func boldIsNeverAddedOnTerminalsWithBrightColours() {
    for mapper in [sixteen, full, direct] {
      #expect(!mapper.foregroundNeedsBold(.palette(9)))
      #expect(!mapper.foregroundNeedsBold(.rgb(255, 0, 0)))
    }
  }

  @Test func rgbOn256ColoursTakesTheNearestCubeOrGrey() {
    #expect(full.foreground(.rgb(255, 0, 0)) == .index(196))
    #expect(full.foreground(.rgb(0, 128, 255)) == .index(33))  // (0,135,255)
    #expect(full.foreground(.rgb(95, 135, 175)) == .index(67))  // exact cube point
    #expect(full.foreground(.rgb(10, 10, 10)) == .index(232))  // grey 8
    #expect(full.foreground(.rgb(128, 128, 128)) == .index(244))
    #expect(full.foreground(.rgb(238, 238, 238)) == .index(255))
    #expect(full.foreground(.rgb(0, 0, 0)) == .index(16))  // the cube, not the themed ANSI black
    #expect(full.background(.rgb(255, 255, 255)) == .index(231))
    #expect(full.foreground(.rgb(18, 52, 86)) == .index(23))  // (0,95,95)
  }

  @Test func nearest256IsTheTrueNearestOfEntries16To255() {
    var r = 0
    while r < 256 {
      var g = 0
      while g < 256 {
        var b = 0
        while b < 256 {
          let c = (UInt8(r), UInt8(g), UInt8(b))
          let fast = ColorMapper.nearest256(c.0, c.1, c.2)
          let slow = ColorMapper.nearest(c.0, c.1, c.2, in: 16..<256, palette: ColorMapper.xtermRGB)
          let fastDistance = ColorMapper.distance(c, ColorMapper.xtermRGB(fast))
          let slowDistance = ColorMapper.distance(c, ColorMapper.xtermRGB(UInt8(slow)))
          #expect(fastDistance == slowDistance, "rgb(\(r),\(g),\(b)): \(fast) vs \(slow)")
          b += 17
        }
        g += 13
      }
      r += 11
    }
  }

  @Test func rgbOnSixteenColoursTakesTheNearestAnsiColour() {
    #expect(sixteen.foreground(.rgb(255, 0, 0)) == .index(9))
    #expect(sixteen.foreground(.rgb(200, 0, 0)) == .index(1))
    #expect(sixteen.foreground(.rgb(120, 120, 120)) == .index(8))
    #expect(sixteen.foreground(.rgb(0, 0, 0)) == .index(0))
  }

  @Test func rgbPassesThroughExactlyOnDirectColourTerminals() {
    #expect(direct.foreground(.rgb(0x12, 0x34, 0x56)) == .rgb(0x12, 0x34, 0x56))
    #expect(direct.background(.rgb(255, 255, 255)) == .rgb(255, 255, 255))
    // No green 1 for pure blues: RGB goes out as RGB, never as a number.
    #expect(direct.foreground(.rgb(0, 0, 5)) == .rgb(0, 0, 5))
    #expect(direct.foreground(.rgb(0, 0, 0)) == .rgb(0, 0, 0))
  }

  @Test func paletteStaysPaletteOnDirectColourTerminals() {
    // A themed palette stays the user's: indices are never turned into RGB.
    #expect(direct.foreground(.palette(3)) == .index(3))
    #expect(direct.foreground(.palette(196)) == .index(196))
    #expect(direct.foreground(.palette(9)) == .index(9))
    #expect(direct.background(.palette(232)) == .index(232))
    let rgbOnEight = ColorMapper(colors: 8, direct: true)
    #expect(rgbOnEight.foreground(.palette(208)) == .index(208))
    #expect(!rgbOnEight.foregroundNeedsBold(.palette(9)))
  }

  @Test func rgbIsNotPassedThroughWhenTheTerminalCannot() {
    let noDirect = ColorMapper(colors: 256, direct: false)
    #expect(noDirect.foreground(.rgb(0x12, 0x34, 0x56)) == .index(23))
    #expect(!ColorMapper(colors: 256).direct)
    #expect(ColorMapper(colors: 0x100_0000).direct)
  }

  @Test func eightyEightColoursUseTheirOwnCube() {
    let mapper = ColorMapper(colors: 88)
    #expect(mapper.foreground(.palette(5)) == .index(5))
    #expect(mapper.foreground(.palette(196)) == .index(64))  // (255,0,0) in the 4x4x4 cube
    #expect(mapper.foreground(.rgb(255, 255, 255)) == .index(79))
    // Grey 128 -> (139,139,139), which the cube has too.
    guard case .index(let grey) = mapper.foreground(.palette(244)) else {
      Issue.record("not an index")
      return
    }
    #expect(ColorMapper.xterm88RGB(grey) == (139, 139, 139))
    #expect(mapper.foreground(.rgb(46, 46, 46)) == .index(80))
  }

  @Test func xtermPaletteValues() {
    #expect(ColorMapper.xtermRGB(1) == (205, 0, 0))
    #expect(ColorMapper.xtermRGB(16) == (0, 0, 0))
    #expect(ColorMapper.xtermRGB(67) == (95, 135, 175))
    #expect(ColorMapper.xtermRGB(231) == (255, 255, 255))
    #expect(ColorMapper.xtermRGB(232) == (8, 8, 8))
    #expect(ColorMapper.xtermRGB(255) == (238, 238, 238))
  }
}
