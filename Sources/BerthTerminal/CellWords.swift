// Cells read and written as machine words instead of field by field: the
// history encoder compares a cell's fields other than the scalar with two
// loads, and printing stores a cell with three stores instead of six. This
// relies on the layout Swift gives Cell (scalar, combining, foreground,
// background, attributes, width, in that order, little-endian), which is
// checked once at run time; with any other layout the field-by-field twins
// are used.

/// A cell's fields other than the scalar as two words, for comparing cells
/// with few instructions: the first is combining and foreground, the second
/// background, attributes, decoration and, in its top byte, the width.
protocol CellWords {
  static func load(_ c: UnsafePointer<Cell>) -> (UInt64, UInt64)
}

/// The words of a cell of `width` in `style` with `combining`.
@inline(__always)
func cellKey(_ s: Style, width: UInt8, combining: UInt32 = 0) -> (UInt64, UInt64) {
  let fg = s.foreground.rawValue
  return (
    UInt64(combining) | UInt64(fg) << 32,
    UInt64(s.background.rawValue) | UInt64(s.attributes.rawValue) << 32
      | UInt64(s.decoration) << 48 | UInt64(width) << 56
  )
}

/// The second word without the width.
let cellStyleMask: UInt64 = 0x00FF_FFFF_FFFF_FFFF

/// Straight from memory (bytes 4..<20 of a cell), where
/// Cell has the layout this expects.
enum RawCellWords: CellWords {
  static let layoutMatches: Bool = {
    #if _endian(little)
      return MemoryLayout<Cell>.stride == 20
        && MemoryLayout<Cell>.offset(of: \Cell.combining) == 4
        && MemoryLayout<Cell>.offset(of: \Cell.style.foreground) == 8
        && MemoryLayout<Cell>.offset(of: \Cell.style.background) == 12
        && MemoryLayout<Cell>.offset(of: \Cell.style.attributes) == 16
        && MemoryLayout<Cell>.offset(of: \Cell.style.decoration) == 18
        && MemoryLayout<Cell>.offset(of: \Cell.width) == 19
    #else
      return false
    #endif
  }()

  @inline(__always)
  static func load(_ c: UnsafePointer<Cell>) -> (UInt64, UInt64) {
    let raw = UnsafeRawPointer(c)
    return (
      raw.loadUnaligned(fromByteOffset: 4, as: UInt64.self),
      raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self)
    )
  }
}

/// Assembled from the fields: any layout.
enum FieldCellWords: CellWords {
  @inline(__always)
  static func load(_ c: UnsafePointer<Cell>) -> (UInt64, UInt64) {
    let cell = c.pointee
    return cellKey(cell.style, width: cell.width, combining: cell.combining)
  }
}

/// Writes `count` cells of printable ASCII from `src` in `style`. `packed`
/// is `RawCellWords.layoutMatches`: three stores a cell (scalar and
/// combining, the colours, attributes with decoration and width)
/// instead of six.
@inline(__always)
func storeASCII(
  _ dst: UnsafeMutablePointer<Cell>, _ src: UnsafePointer<UInt8>, _ count: Int, _ style: Style,
  packed: Bool
) {
  var j = 0
  if packed {
    let colours =
      (UInt64(style.foreground.rawValue) | UInt64(style.background.rawValue) << 32).littleEndian
    let rest = (CellStoreWords.attributeWord(style) | 1 << 24).littleEndian
    var q = UnsafeMutableRawPointer(dst)
    while j < count {
      q.storeBytes(of: UInt64(src[j]).littleEndian, as: UInt64.self)
      q.storeBytes(of: colours, toByteOffset: 8, as: UInt64.self)
      q.storeBytes(of: rest, toByteOffset: 16, as: UInt32.self)
      q += 20
      j &+= 1
    }
  } else {
    while j < count {
      dst[j] = Cell(scalar: UInt32(src[j]), combining: 0, style: style, width: 1)
      j &+= 1
    }
  }
}

/// A cell in one style stored as three words (scalar and combining 0, the
/// colours, attributes with decoration and width), where
/// `RawCellWords.layoutMatches`.
struct CellStoreWords {
  let colours: UInt64
  let attributes: UInt32

  @inline(__always)
  init(_ style: Style) {
    colours = UInt64(style.foreground.rawValue) | UInt64(style.background.rawValue) << 32
    attributes = Self.attributeWord(style)
  }

  /// Bytes 16..<20 of a cell without its width: attributes and decoration.
  @inline(__always)
  static func attributeWord(_ style: Style) -> UInt32 {
    UInt32(style.attributes.rawValue) | UInt32(style.decoration) << 16
  }

  /// Writes a cell of `scalar` and `width` (0, 1 or 2) with no marks.
  @inline(__always)
  func store(_ c: UnsafeMutablePointer<Cell>, scalar: UInt32, width: Int) {
    let q = UnsafeMutableRawPointer(c)
    q.storeBytes(of: UInt64(scalar).littleEndian, as: UInt64.self)
    q.storeBytes(of: colours.littleEndian, toByteOffset: 8, as: UInt64.self)
    q.storeBytes(
      of: (attributes | UInt32(truncatingIfNeeded: width) << 24).littleEndian, toByteOffset: 16,
      as: UInt32.self)
  }
}
