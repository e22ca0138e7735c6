// SGR (`CSI ... m`): attributes and colours of what is printed next. Both
// forms of extended colours are accepted: `38;5;n` / `38;2;r;g;b` and the
// ITU form with colons `38:5:n` / `38:2:[colourspace]:r:g:b`. Out-of-range
// values leave the colour alone, as xterm does. 58 and 59 set and clear the
// underline colour, which lives in the pen's decoration with its link.

extension TerminalCore {
  mutating func selectGraphicRendition() {
    let count = sequence.paramCount
    var s = style
    // The raw value of the underline colour SGR 0, 58 or 59 set, or
    // `unchanged`: the pen's decoration is looked at only then (dense SGR
    // rarely does).
    let unchanged = UInt32.max
    var underline = unchanged
    if count == 0 {
      s = .plain
      underline = 0
    }
    var i = 0
    while i < count {
      let p = sequence.raw(i)
      // Colon sub-parameters belong to this parameter.
      var end = i + 1
      while end < count && sequence.isSubParam(end) { end += 1 }
      var next = end
      switch p {
      case 0:
        s = .plain
        underline = 0
      case 1: s.attributes.insert(.bold)
      case 2: s.attributes.insert(.dim)
      case 3: s.attributes.insert(sgr3IsStandout ? .standout : .italic)
      case 4:
        if end > i + 1 {
          let kind = sequence.raw(i + 1)
          if kind <= 5 { s.attributes.underlineStyle = UInt8(kind) }
        } else {
          s.attributes.underlineStyle = 1
        }
      case 5, 6: s.attributes.insert(.blink)
      case 7: s.attributes.insert(.reverse)
      case 8: s.attributes.insert(.hidden)
      case 9: s.attributes.insert(.strikethrough)
      case 21: s.attributes.underlineStyle = 2
      case 22: s.attributes.remove([.bold, .dim])
      case 23: s.attributes.remove([.italic, .standout])
      case 24: s.attributes.underlineStyle = 0
      case 25: s.attributes.remove(.blink)
      case 27: s.attributes.remove(.reverse)
      case 28: s.attributes.remove(.hidden)
      case 29: s.attributes.remove(.strikethrough)
      case 30...37: s.foreground = .palette(UInt8(p - 30))
      case 39: s.foreground = .default
      case 40...47: s.background = .palette(UInt8(p - 40))
      case 49: s.background = .default
      case 59: underline = 0
      case 90...97: s.foreground = .palette(UInt8(p - 90 + 8))
      case 100...107: s.background = .palette(UInt8(p - 100 + 8))
      case 38, 48, 58:
        let color: Color?
        if end > i + 1 {
          color = colonColor(from: i + 1, to: end)
        } else {
          (color, next) = semicolonColor(at: i + 1)
        }
        if let c = color {
          if p == 38 {
            s.foreground = c
          } else if p == 48 {
            s.background = c
          } else {
            underline = c.rawValue
          }
        }
      default: break
      }
      i = next
    }
    if underline != unchanged {
      // The link outlives SGR 0; the underline colour does not.
      s.decoration = style.decoration
      if s.decoration != 0 || underline != 0 {
        s.decoration = decorationKey(underlineColor: Color(rawValue: underline))
      }
    }
    style = s
  }

  /// The key of the pen's decoration with `color` as its underline colour.
  @inline(never)
  private mutating func decorationKey(underlineColor color: Color) -> UInt8 {
    var d = penDecoration
    guard d.underlineColor != color else { return style.decoration }
    d.underlineColor = color
    return decorationKey(for: d)
  }

  /// `5;n` or `2;r;g;b` starting at parameter `i`; the colour and the index
  /// of the parameter after it.
  private mutating func semicolonColor(at i: Int) -> (Color?, Int) {
    let count = sequence.paramCount
    guard i < count else { return (nil, i) }
    switch sequence.raw(i) {
    case 5:
      guard i + 1 < count else { return (nil, count) }
      return (paletteColor(sequence.raw(i + 1)), i + 2)
    case 2:
      guard i + 3 < count else { return (nil, count) }
      return (rgbColor(sequence.raw(i + 1), sequence.raw(i + 2), sequence.raw(i + 3)), i + 4)
    default:
      return (nil, i + 1)
    }
  }

  /// The sub-parameters `i..<end` after 38/48/58: `5:n`, `2:r:g:b` or
  /// `2:colourspace:r:g:b` (the colourspace may be empty).
  private mutating func colonColor(from i: Int, to end: Int) -> Color? {
    let n = end - i
    switch sequence.raw(i) {
    case 5:
      return n >= 2 ? paletteColor(sequence.raw(i + 1)) : nil
    case 2:
      if n >= 5 { return rgbColor(sequence.raw(i + 2), sequence.raw(i + 3), sequence.raw(i + 4)) }
      if n == 4 { return rgbColor(sequence.raw(i + 1), sequence.raw(i + 2), sequence.raw(i + 3)) }
      return nil
    default:
      return nil
    }
  }

  private mutating func paletteColor(_ n: Int) -> Color? {
    n <= 255 ? .palette(UInt8(n)) : nil
  }

  private mutating func rgbColor(_ r: Int, _ g: Int, _ b: Int) -> Color? {
    guard r <= 255 && g <= 255 && b <= 255 else { return nil }
    return .rgb(UInt8(r), UInt8(g), UInt8(b))
  }
}
