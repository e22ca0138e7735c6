// Decides what the user's terminal is sent for a cell's character: the
// character itself when the locale can encode it (at the server's width:
// where the local wcwidth disagrees, the renderer places the cursor again
// after it), a VT100 line-drawing (ACS) character for box drawing in a
// locale that cannot (LANG=C), and '?' for anything else. Pure, given the
// locale's width and encoding tests.

/// What to put in one cell.
public enum Glyph: Equatable, Sendable {
  /// The scalar itself.
  case scalar(UInt32)
  /// The VT100 alternate-character-set letter (`q` is a horizontal line).
  case acs(UInt8)
  /// '?' in the cell (plus a blank for the right half of a wide one).
  case replacement
}

public struct GlyphMapper {
  /// `wcwidth` in the user's locale: -1 for a scalar it cannot show.
  public var localWidth: (UInt32) -> Int
  /// Whether the locale's charset can encode the scalar.
  public var encodable: (UInt32) -> Bool

  /// Marks that take columns of their own here (an emoji's skin tone, a
  /// joined emoji) still go with their base: a UTF-8 terminal joins them.
  public var keepsWideMarks: Bool

  public init(
    localWidth: @escaping (UInt32) -> Int, encodable: @escaping (UInt32) -> Bool,
    keepsWideMarks: Bool = false
  ) {
    self.localWidth = localWidth
    self.encodable = encodable
    self.keepsWideMarks = keepsWideMarks
  }

  /// The glyph for a base scalar that the server laid out `width` columns wide.
  @inline(__always)
  public func glyph(_ scalar: UInt32, width: Int) -> Glyph {
    if scalar >= 0x21 && scalar < 0x7F { return width == 1 ? .scalar(scalar) : .replacement }
    if scalar == 0x20 || scalar == 0 { return width == 1 ? .scalar(0x20) : .replacement }
    if Self.printable(scalar) && encodable(scalar) { return .scalar(scalar) }
    if width == 1, let letter = Self.acsLetter(scalar) { return .acs(letter) }
    return .replacement
  }

  /// Not a control character, a surrogate or a noncharacter.
  @inline(__always)
  static func printable(_ s: UInt32) -> Bool {
    s >= 0xA0 && s <= 0x10_FFFF && !(0xD800...0xDFFF).contains(s)
      && !(0xFDD0...0xFDEF).contains(s) && s & 0xFFFE != 0xFFFE
  }

  /// Whether a combining mark can go into the base's cell: where it would
  /// take a column of its own, only in a UTF-8 locale (the renderer then
  /// places the cursor again after the cell).
  @inline(__always)
  public func keepsMark(_ scalar: UInt32) -> Bool {
    guard scalar >= 0x300 || scalar == 0x200D, Self.printable(scalar) || scalar == 0x200D,
      encodable(scalar)
    else { return false }
    return keepsWideMarks || localWidth(scalar) == 0
  }

  /// The VT100 line-drawing letter that looks like a Unicode scalar: box
  /// drawing (light, heavy, double and rounded alike), blocks, arrows and the
  /// DEC special graphics symbols.
  public static func acsLetter(_ s: UInt32) -> UInt8? {
    switch s {
    case 0x25C6, 0x2666: return UInt8(ascii: "`")  // diamond
    case 0x2592: return UInt8(ascii: "a")  // checker board
    case 0x00B0: return UInt8(ascii: "f")  // degree
    case 0x00B1: return UInt8(ascii: "g")  // plus/minus
    case 0x2591: return UInt8(ascii: "h")  // board of squares
    case 0x23BA: return UInt8(ascii: "o")  // scan line 1
    case 0x23BB: return UInt8(ascii: "p")  // scan line 3
    case 0x23BC: return UInt8(ascii: "r")  // scan line 7
    case 0x23BD: return UInt8(ascii: "s")  // scan line 9
    case 0x2264: return UInt8(ascii: "y")  // less or equal
    case 0x2265: return UInt8(ascii: "z")  // greater or equal
    case 0x03C0: return UInt8(ascii: "{")  // pi
    case 0x2260: return UInt8(ascii: "|")  // not equal
    case 0x00A3: return UInt8(ascii: "}")  // pound
    case 0x00B7: return UInt8(ascii: "~")  // bullet
    case 0x2190: return UInt8(ascii: ",")  // arrows
    case 0x2192: return UInt8(ascii: "+")
    case 0x2193: return UInt8(ascii: ".")
    case 0x2191: return UInt8(ascii: "-")
    case 0x2588: return UInt8(ascii: "0")  // block
    case 0x2500...0x257F: return boxLetter(s)
    default: return nil
    }
  }

  /// Which lines a box-drawing character has, reduced to the VT100 pieces.
  static func boxLetter(_ s: UInt32) -> UInt8? {
    let letter: Character
    switch s {
    case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550,
      0x2574, 0x2576, 0x2578, 0x257A, 0x257C, 0x257E:
      letter = "q"  // horizontal
    case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551,
      0x2575, 0x2577, 0x2579, 0x257B, 0x257D, 0x257F:
      letter = "x"  // vertical
    case 0x250C...0x250F, 0x2552...0x2554, 0x256D: letter = "l"  // top left
    case 0x2510...0x2513, 0x2555...0x2557, 0x256E: letter = "k"  // top right
    case 0x2514...0x2517, 0x2558...0x255A, 0x2570: letter = "m"  // bottom left
    case 0x2518...0x251B, 0x255B...0x255D, 0x256F: letter = "j"  // bottom right
    case 0x251C...0x2523, 0x255E...0x2560: letter = "t"  // tee pointing right
    case 0x2524...0x252B, 0x2561...0x2563: letter = "u"  // tee pointing left
    case 0x252C...0x2533, 0x2564...0x2566: letter = "w"  // tee pointing down
    case 0x2534...0x253B, 0x2567...0x2569: letter = "v"  // tee pointing up
    case 0x253C...0x254B, 0x256A...0x256C: letter = "n"  // cross
    default: return nil  // diagonals
    }
    return letter.asciiValue
  }
}
