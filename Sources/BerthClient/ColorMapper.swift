// Maps the colours programs ask for onto the colours the user's terminal has:
// the terminal's default stays default, palette indices it has stay indices
// (so a themed palette stays the user's), RGB stays RGB where the terminal
// takes it, and the rest become the nearest colour by the xterm palette's
// values. Pure, so it is unit-tested.

import BerthTerminal

/// A colour as it goes to the terminal: its default, a palette index, or RGB.
public enum TerminalColor: Equatable, Sendable {
  case `default`
  case index(UInt8)
  case rgb(UInt8, UInt8, UInt8)
}

/// Turns a `Color` into what one kind of terminal is sent for it.
public struct ColorMapper: Sendable, Hashable {
  /// The palette entries the terminal has (terminfo `colors`, at most 256
  /// counted); 0 for none.
  public let colors: Int
  /// The terminal takes RGB (`38;2;r;g;b`): RGB colours go out exactly.
  /// Palette colours stay indices all the same, so that a themed palette
  /// stays the user's.
  public let direct: Bool
  /// The terminal has default colours (`op`, SGR 39/49); without them the
  /// default is drawn as white on black.
  public let defaultColors: Bool

  public init(colors: Int, direct: Bool? = nil, defaultColors: Bool = true) {
    let rgb = direct ?? (colors >= 0x100_0000)
    // A terminal that takes RGB takes the 256 palette too (tmux thinks so).
    self.colors = rgb ? max(256, min(max(0, colors), 256)) : min(max(0, colors), 256)
    self.direct = rgb
    self.defaultColors = defaultColors
  }

  @inlinable public func foreground(_ color: Color) -> TerminalColor {
    map(color, background: false)
  }
  @inlinable public func background(_ color: Color) -> TerminalColor {
    map(color, background: true)
  }

  public func map(_ color: Color, background: Bool) -> TerminalColor {
    if color.isDefault || colors == 0 {
      return defaultColors || colors == 0 ? .default : .index(background ? 0 : 7)
    }
    if let index = color.paletteIndex { return map(palette: Int(index)) }
    guard let (r, g, b) = color.rgbComponents else { return .default }
    return map(r: r, g: g, b: b)
  }

  /// On an 8-colour terminal the bright colours are shown as their base
  /// colour in bold (bold is bright on most such terminals, and this is what
  /// screen and tmux do); true when a foreground needs that bold.
  public func foregroundNeedsBold(_ color: Color) -> Bool {
    guard hasBrightAsBold else { return false }
    if let index = color.paletteIndex { return Self.sixteen(palette: Int(index)) >= 8 }
    guard let (r, g, b) = color.rgbComponents else { return false }
    return Self.nearest(r, g, b, in: 0..<16, palette: Self.xtermRGB) >= 8
  }

  var hasBrightAsBold: Bool { !direct && colors >= 8 && colors < 16 }

  func map(palette index: Int) -> TerminalColor {
    // The 88-colour palette shares only the first 16 entries with xterm's 256.
    if index < colors && (colors != 88 || index < 16) { return .index(UInt8(index)) }
    // 256 -> 16 -> 8: a bright colour becomes its base colour (plus bold).
    if hasBrightAsBold { return .index(UInt8(Self.sixteen(palette: index) & 7)) }
    let (r, g, b) = Self.xtermRGB(UInt8(index))
    return .index(UInt8(nearest(r: r, g: g, b: b)))
  }

  func map(r: UInt8, g: UInt8, b: UInt8) -> TerminalColor {
    if direct { return .rgb(r, g, b) }
    if hasBrightAsBold {
      return .index(UInt8(Self.nearest(r, g, b, in: 0..<16, palette: Self.xtermRGB) & 7))
    }
    return .index(UInt8(nearest(r: r, g: g, b: b)))
  }

  /// The nearest of the 16 ANSI colours to a 256-palette entry.
  static func sixteen(palette index: Int) -> Int {
    if index < 16 { return index }
    let (r, g, b) = xtermRGB(UInt8(index))
    return nearest(r, g, b, in: 0..<16, palette: xtermRGB)
  }

  /// The nearest colour the terminal has. The 16 ANSI colours are often
  /// themed by the user, so the search skips them when the terminal has a
  /// fixed cube and greys to choose from.
  func nearest(r: UInt8, g: UInt8, b: UInt8) -> Int {
    if colors >= 256 { return Int(Self.nearest256(r, g, b)) }
    if colors == 88 { return Self.nearest(r, g, b, in: 16..<88, palette: Self.xterm88RGB) }
    let range = colors > 16 ? 16..<colors : 0..<colors
    return Self.nearest(r, g, b, in: range, palette: Self.xtermRGB)
  }

  // MARK: - The xterm palettes

  static let ansi: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]
  static let cubeSteps: [UInt8] = [0, 95, 135, 175, 215, 255]

  /// xterm's default value for a 256-palette entry.
  public static func xtermRGB(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
    let i = Int(index)
    if i < 16 { return ansi[i] }
    if i < 232 {
      let c = i - 16
      return (cubeSteps[c / 36], cubeSteps[c / 6 % 6], cubeSteps[c % 6])
    }
    let grey = UInt8(8 + 10 * (i - 232))
    return (grey, grey, grey)
  }

  static let cube88Steps: [UInt8] = [0, 139, 205, 255]
  static let greys88: [UInt8] = [46, 92, 115, 139, 162, 185, 208, 231]

  /// xterm's default value for an 88-palette entry (4x4x4 cube, 8 greys).
  static func xterm88RGB(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
    let i = Int(index)
    if i < 16 { return ansi[i] }
    if i < 80 {
      let c = i - 16
      return (cube88Steps[c / 16], cube88Steps[c / 4 % 4], cube88Steps[c % 4])
    }
    let grey = greys88[min(i - 80, 7)]
    return (grey, grey, grey)
  }

  static func distance(
    _ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)
  ) -> Int {
    let dr = Int(a.0) - Int(b.0)
    let dg = Int(a.1) - Int(b.1)
    let db = Int(a.2) - Int(b.2)
    return dr * dr + dg * dg + db * db
  }

  /// Nearest by squared RGB distance over a range of a palette; first wins ties.
  static func nearest(
    _ r: UInt8, _ g: UInt8, _ b: UInt8, in range: Range<Int>,
    palette: (UInt8) -> (UInt8, UInt8, UInt8)
  ) -> Int {
    var best = range.lowerBound
    var bestDistance = Int.max
    for i in range {
      let d = distance((r, g, b), palette(UInt8(i)))
      if d < bestDistance { (best, bestDistance) = (i, d) }
    }
    return best
  }

  /// Nearest of entries 16-255 (cube and greys) in constant time: the nearest
  /// cube point is the nearest step per component, the nearest grey is the
  /// one nearest the components' mean; the closer of the two wins.
  public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
    func step(_ v: UInt8) -> Int {
      // Midpoints between 0, 95, 135, 175, 215, 255.
      v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40
    }
    let (qr, qg, qb) = (step(r), step(g), step(b))
    let cube = 16 + 36 * qr + 6 * qg + qb
    let mean = (Int(r) + Int(g) + Int(b)) / 3
    let greyIndex = max(0, min(23, (mean - 3) / 10))
    let grey = 232 + greyIndex
    let cubeDistance = distance((r, g, b), xtermRGB(UInt8(cube)))
    let greyDistance = distance((r, g, b), xtermRGB(UInt8(grey)))
    return UInt8(greyDistance < cubeDistance ? grey : cube)
  }
}
