// The pen: the colours and attributes the terminal draws new characters
// with, and the SGR sequences that change it. Palette colours go out as
// indices (3n, 9n, 38;5;n), RGB exactly (38;2;r;g;b) where the terminal
// takes it; attributes the terminal lacks are left out. On ANSI terminals
// one change is one sequence (`ESC [ 0;1;38;5;208 m`); others get the
// terminfo strings one by one.

import BerthTerminal

struct Pen: Equatable {
  /// bold, dim, italic, blink, reverse, hidden and strikethrough, as in
  /// `Attributes`; the underline is `underline` (0 none, 1 single, 2-5 styled).
  var attributes: UInt16 = 0
  var underline: UInt8 = 0
  var foreground: TerminalColor = .default
  var background: TerminalColor = .default
  var underlineColor: TerminalColor = .default

  static let plain = Pen()

  static let attributeOrder: [(Attributes, UInt8)] = [
    (.bold, 1), (.dim, 2), (.italic, 3), (.blink, 5), (.reverse, 7), (.hidden, 8),
    (.strikethrough, 9),
  ]
}

extension ScreenWriter {
  /// The pen a style is drawn with on this terminal.
  func pen(for style: Style) -> Pen {
    var p = Pen()
    let a = style.attributes
    var kept: Attributes = []
    if a.contains(.bold) && !caps.bold.isEmpty { kept.insert(.bold) }
    if a.contains(.dim) && !caps.dim.isEmpty { kept.insert(.dim) }
    if a.contains(.italic) && !caps.italic.isEmpty { kept.insert(.italic) }
    if a.contains(.blink) && !caps.blink.isEmpty { kept.insert(.blink) }
    if a.contains(.reverse) || a.contains(.standout) { kept.insert(.reverse) }
    if a.contains(.hidden) && !caps.invisible.isEmpty { kept.insert(.hidden) }
    if a.contains(.strikethrough) && (features.strikethrough || !caps.strikethrough.isEmpty) {
      kept.insert(.strikethrough)
    }
    if let mapper {
      p.foreground = mapper.foreground(style.foreground)
      p.background = mapper.background(style.background)
      if mapper.foregroundNeedsBold(style.foreground) { kept.insert(.bold) }
    }
    if a.contains(.underline) && !caps.underline.isEmpty {
      let styled = features.styledUnderlines || !caps.styledUnderline.isEmpty
      p.underline = styled ? min(5, max(1, a.underlineStyle)) : 1
      if style.decoration != 0, features.underlineColor || caps.hasUnderlineColor, let mapper {
        p.underlineColor = mapper.foreground(decorations[Int(style.decoration)].underlineColor)
      }
    }
    p.attributes = kept.rawValue
    return p
  }

  /// Changes the terminal's pen to `new`.
  mutating func setPen(_ new: Pen) {
    if current == new { return }
    let old = current ?? .plain
    let removed =
      old.attributes & ~new.attributes != 0 || (old.underline != 0 && new.underline == 0)
    let reset = current == nil || removed
    if caps.ansi {
      writeANSI(from: reset ? .plain : old, to: new, reset: reset)
    } else {
      writeTerminfo(from: reset ? .plain : old, to: new, reset: reset)
    }
    current = new
  }

  private mutating func writeANSI(from old: Pen, to new: Pen, reset: Bool) {
    out.append(0x1B)
    out.append(UInt8(ascii: "["))
    var first = true
    func separate(_ out: inout OutputBuffer) {
      if !first { out.append(UInt8(ascii: ";")) }
      first = false
    }
    if reset {
      out.append(UInt8(ascii: "0"))
      first = false
    }
    let added = new.attributes & ~old.attributes
    if added != 0 {
      for (attribute, code) in Pen.attributeOrder where added & attribute.rawValue != 0 {
        separate(&out)
        out.append(0x30 &+ code)
      }
    }
    if new.underline != old.underline {
      separate(&out)
      out.append(UInt8(ascii: "4"))
      if new.underline > 1 {
        out.append(UInt8(ascii: ":"))
        out.append(0x30 &+ new.underline)
      }
    }
    if new.foreground != old.foreground {
      separate(&out)
      writeColor(new.foreground, base: 30)
    }
    if new.background != old.background {
      separate(&out)
      writeColor(new.background, base: 40)
    }
    if new.underlineColor != old.underlineColor {
      separate(&out)
      writeUnderlineColor(new.underlineColor)
    }
    out.append(UInt8(ascii: "m"))
  }

  /// An SGR colour parameter: 30-37/90-97, 38;5;n, 38;2;r;g;b or 39 (40... for backgrounds).
  private mutating func writeColor(_ color: TerminalColor, base: Int) {
    switch color {
    case .default:
      out.append(decimal: base + 9)
    case .index(let i) where i < 8:
      out.append(decimal: base + Int(i))
    case .index(let i) where i < 16:
      out.append(decimal: base + 60 + Int(i) - 8)
    case .index(let i):
      out.append(decimal: base + 8)
      out.append(";5;")
      out.append(decimal: Int(i))
    case .rgb(let r, let g, let b):
      out.append(decimal: base + 8)
      out.append(";2;")
      writeRGB(r, g, b, separator: UInt8(ascii: ";"))
    }
  }

  /// `r;g;b` (or with colons), the components of an RGB colour parameter.
  private mutating func writeRGB(_ r: UInt8, _ g: UInt8, _ b: UInt8, separator: UInt8) {
    out.append(decimal: Int(r))
    out.append(separator)
    out.append(decimal: Int(g))
    out.append(separator)
    out.append(decimal: Int(b))
  }

  /// SGR 58 in the colon form that terminals with underline colours take.
  private mutating func writeUnderlineColor(_ color: TerminalColor) {
    switch color {
    case .default:
      out.append("59")
    case .index(let i):
      out.append("58:5:")
      out.append(decimal: Int(i))
    case .rgb(let r, let g, let b):
      out.append("58:2::")
      writeRGB(r, g, b, separator: UInt8(ascii: ":"))
    }
  }

  /// For terminals whose strings are not ANSI's: one terminfo string each.
  private mutating func writeTerminfo(from old: Pen, to new: Pen, reset: Bool) {
    if reset {
      exitACS()
      out.append(caps.reset)
    }
    let added = new.attributes & ~old.attributes
    for (attribute, _) in Pen.attributeOrder where added & attribute.rawValue != 0 {
      switch attribute {
      case .bold: out.append(caps.bold)
      case .dim: out.append(caps.dim)
      case .italic: out.append(caps.italic)
      case .blink: out.append(caps.blink)
      case .reverse: out.append(caps.reverse)
      case .hidden: out.append(caps.invisible)
      default:
        if caps.strikethrough.isEmpty {
          out.append("\u{1B}[9m")
        } else {
          out.append(caps.strikethrough)
        }
      }
    }
    if new.underline != old.underline {
      if new.underline > 1 && Int(new.underline) < caps.styledUnderline.count {
        out.append(caps.styledUnderline[Int(new.underline)])
      } else if new.underline > 1 {
        out.append("\u{1B}[4:")
        out.append(0x30 &+ new.underline)
        out.append(UInt8(ascii: "m"))
      } else {
        out.append(caps.underline)
      }
    }
    var foreground = old.foreground
    var background = old.background
    // op resets both colours; the other one is set again after it.
    if (new.foreground == .default && foreground != .default)
      || (new.background == .default && background != .default)
    {
      out.append(caps.defaultColors)
      (foreground, background) = (.default, .default)
    }
    if new.foreground != foreground { writeTerminfoColor(new.foreground, background: false) }
    if new.background != background { writeTerminfoColor(new.background, background: true) }
    if new.underlineColor != old.underlineColor {
      out.append("\u{1B}[")
      writeUnderlineColor(new.underlineColor)
      out.append(UInt8(ascii: "m"))
    }
  }

  private mutating func writeTerminfoColor(_ color: TerminalColor, background: Bool) {
    switch color {
    case .default: break
    case .index(let i):
      let table = background ? caps.backgrounds : caps.foregrounds
      if Int(i) < table.count { out.append(table[Int(i)]) }
    case .rgb:
      out.append("\u{1B}[")
      writeColor(color, base: background ? 40 : 30)
      out.append(UInt8(ascii: "m"))
    }
  }

  // MARK: - Hyperlinks

  /// Opens the link of decoration `key` (0: none), closing the one open.
  mutating func setLink(_ key: UInt8) {
    guard key != openLink else { return }
    let link = key == 0 || !features.hyperlinks ? nil : decorations[Int(key)].link
    let opened = openLink == 0 ? nil : decorations[Int(openLink)].link
    if link == opened {
      openLink = link == nil ? 0 : key
      return
    }
    closeLink()
    guard let link, Self.safeInOSC(link.uri), Self.safeInOSC(link.id),
      !link.id.contains(UInt8(ascii: ";")), !link.id.contains(UInt8(ascii: ":"))
    else { return }
    out.append("\u{1B}]8;")
    if !link.id.isEmpty {
      out.append("id=")
      out.append(link.id)
    }
    out.append(UInt8(ascii: ";"))
    out.append(link.uri)
    out.append("\u{1B}\\")
    openLink = key
  }

  mutating func closeLink() {
    guard openLink != 0 else { return }
    out.append("\u{1B}]8;;\u{1B}\\")
    openLink = 0
  }

  /// No control character can end the OSC early or start another sequence.
  static func safeInOSC(_ bytes: [UInt8]) -> Bool {
    !bytes.contains { $0 < 0x20 || $0 == 0x7F }
  }
}
