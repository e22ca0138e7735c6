// The value types a screen is made of: colours, attributes and cells.
// They are shared with the protocol (screen updates carry cells) and the
// client (which draws them), so they stay small, plain and Sendable.

/// A colour as a program set it: the terminal's default, a palette index, or RGB.
/// Packed in 32 bits: tag in the top byte, value below.
public struct Color: Hashable, Sendable {
  public var rawValue: UInt32

  @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let `default` = Color(rawValue: 0)

  @inlinable public static func palette(_ index: UInt8) -> Color {
    Color(rawValue: 0x0100_0000 | UInt32(index))
  }

  @inlinable public static func rgb(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Color {
    Color(rawValue: 0x0200_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
  }

  @inlinable public var isDefault: Bool { rawValue >> 24 == 0 }
  /// The palette index, when this is a palette colour.
  @inlinable public var paletteIndex: UInt8? {
    rawValue >> 24 == 1 ? UInt8(truncatingIfNeeded: rawValue) : nil
  }
  /// The red, green and blue components, when this is an RGB colour.
  @inlinable public var rgbComponents: (r: UInt8, g: UInt8, b: UInt8)? {
    guard rawValue >> 24 == 2 else { return nil }
    return (
      UInt8(truncatingIfNeeded: rawValue >> 16), UInt8(truncatingIfNeeded: rawValue >> 8),
      UInt8(truncatingIfNeeded: rawValue)
    )
  }
}

/// SGR attributes. The underline style (single, double, curly, dotted,
/// dashed) lives in bits 8-10 so that `4:x` survives a round trip.
public struct Attributes: OptionSet, Hashable, Sendable {
  public var rawValue: UInt16
  @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

  public static let bold = Attributes(rawValue: 1 << 0)
  public static let dim = Attributes(rawValue: 1 << 1)
  public static let italic = Attributes(rawValue: 1 << 2)
  public static let underline = Attributes(rawValue: 1 << 3)
  public static let blink = Attributes(rawValue: 1 << 4)
  public static let reverse = Attributes(rawValue: 1 << 5)
  public static let hidden = Attributes(rawValue: 1 << 6)
  public static let strikethrough = Attributes(rawValue: 1 << 7)
  /// Standout: what SGR 3 means under TERM=screen* (whose terminfo says
  /// smso=\E[3m), shown as the user's terminal shows standout (reverse).
  public static let standout = Attributes(rawValue: 1 << 11)
  /// Underline style, 0 (none) to 5 as in `CSI 4:x m`; see `underlineStyle`.
  public static let underlineStyleMask = Attributes(rawValue: 0x7 << 8)

  @inlinable public var underlineStyle: UInt8 {
    get { UInt8(truncatingIfNeeded: (rawValue >> 8) & 0x7) }
    set {
      rawValue = (rawValue & ~(0x7 << 8)) | (UInt16(newValue & 0x7) << 8)
      if newValue == 0 { remove(.underline) } else { insert(.underline) }
    }
  }
}

/// How a cell is drawn: colours, attributes and decoration.
public struct Style: Hashable, Sendable {
  public var foreground: Color
  public var background: Color
  public var attributes: Attributes
  /// 0, or the key of the cell's `Decoration` (underline colour, hyperlink)
  /// in a table beside the cells: one byte here keeps a cell at 20 bytes.
  public var decoration: UInt8

  @inlinable public init(
    foreground: Color = .default, background: Color = .default, attributes: Attributes = [],
    decoration: UInt8 = 0
  ) {
    self.foreground = foreground
    self.background = background
    self.attributes = attributes
    self.decoration = decoration
  }

  public static let plain = Style()
}

/// What a cell carries beyond its colours and attributes, rare enough to
/// live in a small table (see `Style.decoration`): the underline colour
/// (SGR 58) and the hyperlink (OSC 8).
public struct Decoration: Hashable, Sendable {
  public var underlineColor: Color
  public var link: Hyperlink?

  public init(underlineColor: Color = .default, link: Hyperlink? = nil) {
    self.underlineColor = underlineColor
    self.link = link
  }

  public static let none = Decoration()
}

/// An OSC 8 hyperlink: its target and the optional `id=` that joins the
/// pieces of one link (cells of a link split across lines or redrawn).
public struct Hyperlink: Hashable, Sendable {
  public var uri: [UInt8]
  public var id: [UInt8]

  /// Longer targets or ids are not kept (the link is dropped), so that a
  /// program cannot make the server hold big strings per cell.
  public static let maxURI = 2048
  public static let maxID = 256

  public init(uri: [UInt8], id: [UInt8] = []) {
    self.uri = uri
    self.id = id
  }
}

/// One character cell of the screen.
///
/// `scalar` is the base Unicode scalar (U+0020 for an empty cell). A wide
/// character occupies two cells: the left has `width == 2`, the right
/// `width == 0` and carries only the style. Combining marks and ZWJ
/// sequences that join the base are kept by the terminal in a table of its own;
/// `combining` is 0, or a key for `Terminal.combiningMarks(_:)`.
public struct Cell: Hashable, Sendable {
  public var scalar: UInt32
  public var combining: UInt32
  public var style: Style
  public var width: UInt8

  @inlinable public init(
    scalar: UInt32 = 0x20, combining: UInt32 = 0, style: Style = .plain, width: UInt8 = 1
  ) {
    self.scalar = scalar
    self.combining = combining
    self.style = style
    self.width = width
  }

  /// An empty cell in the given style (erase uses the current background).
  @inlinable public static func blank(_ style: Style = .plain) -> Cell {
    Cell(scalar: 0x20, combining: 0, style: style, width: 1)
  }
}

/// Cursor shape as set by DECSCUSR (`CSI Ps SP q`); 0 is the terminal's default.
public enum CursorShape: UInt8, Sendable {
  case `default` = 0
  case blinkingBlock = 1
  case steadyBlock = 2
  case blinkingUnderline = 3
  case steadyUnderline = 4
  case blinkingBar = 5
  case steadyBar = 6
}

/// Mouse reporting a program asked for (DECSET 9, 1000, 1002, 1003).
public enum MouseTracking: UInt8, Sendable {
  case none, x10, normal, buttonEvent, anyEvent
}

/// Mouse coordinate encoding (DECSET 1005, 1006, 1015).
public enum MouseEncoding: UInt8, Sendable {
  case legacy, utf8, sgr, urxvt
}
