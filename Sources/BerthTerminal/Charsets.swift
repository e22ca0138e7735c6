// Character sets a program can designate into G0/G1 (`ESC ( x`, `ESC ) x`) and
// shift in with SI/SO: ASCII, DEC special graphics (line drawing) and UK.
// Cells store the translated Unicode scalars, so clients need no charset logic.

enum Charset: UInt8, Sendable {
  case ascii, decSpecialGraphics, uk

  /// The charset a designation's final byte names; anything unknown is ASCII.
  init(designator: UInt8) {
    switch designator {
    case UInt8(ascii: "0"): self = .decSpecialGraphics
    case UInt8(ascii: "A"): self = .uk
    default: self = .ascii
    }
  }

  /// `byte` (0x20...0x7E) as this charset shows it.
  @inline(__always)
  func translate(_ byte: UInt8) -> UInt32 {
    switch self {
    case .ascii:
      return UInt32(byte)
    case .uk:
      return byte == 0x23 ? 0xA3 : UInt32(byte)  // '#' is the pound sign
    case .decSpecialGraphics:
      switch byte {
      case 0x2B: return 0x2192  // + arrow right
      case 0x2C: return 0x2190  // , arrow left
      case 0x2D: return 0x2191  // - arrow up
      case 0x2E: return 0x2193  // . arrow down
      case 0x30: return 0x25AE  // 0 solid block
      case 0x60...0x7E: return Charset.decGraphics[Int(byte &- 0x60)]
      default: return UInt32(byte)
      }
    }
  }

  /// DEC special graphics for 0x60...0x7E, as tmux maps them to Unicode.
  private static let decGraphics: [UInt32] = [
    0x25C6,  // ` diamond
    0x2592,  // a checkerboard
    0x2409,  // b HT
    0x240C,  // c FF
    0x240D,  // d CR
    0x240A,  // e LF
    0x00B0,  // f degree
    0x00B1,  // g plus/minus
    0x2424,  // h NL
    0x240B,  // i VT
    0x2518,  // j lower right corner
    0x2510,  // k upper right corner
    0x250C,  // l upper left corner
    0x2514,  // m lower left corner
    0x253C,  // n crossing lines
    0x23BA,  // o scan line 1
    0x23BB,  // p scan line 3
    0x2500,  // q horizontal line
    0x23BC,  // r scan line 7
    0x23BD,  // s scan line 9
    0x251C,  // t left tee
    0x2524,  // u right tee
    0x2534,  // v bottom tee
    0x252C,  // w top tee
    0x2502,  // x vertical line
    0x2264,  // y less or equal
    0x2265,  // z greater or equal
    0x03C0,  // { pi
    0x2260,  // | not equal
    0x00A3,  // } pound
    0x00B7,  // ~ centred dot
  ]
}

/// G0 and G1 and which of them is shifted in; DECSC saves all of it.
struct CharsetState: Equatable, Sendable {
  var g0: Charset = .ascii
  var g1: Charset = .ascii
  /// SO selects G1, SI selects G0.
  var shiftOut = false

  var active: Charset { shiftOut ? g1 : g0 }
}
