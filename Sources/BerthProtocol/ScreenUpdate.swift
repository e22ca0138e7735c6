// Screen updates: the window's size, cursor, title and modes, and the rows
// that changed, each as runs of cells sharing a style (colours, attributes,
// and a decoration key the client was given by a decoration message, 0 for
// none). A cell is written as
// its UTF-8 character; prefixes mark the rare kinds:
//   0xFE c       a wide character (it covers this column and the next)
//   0xFD         the right half of a wide character whose left half is elsewhere
//   0xFF n c m…  a character with combining marks: n = width << 6 | count
import BerthTerminal

public struct RowUpdate: Equatable, Sendable {
  public var y: Int
  /// Cells of the row; `combining` is 0 or an index + 1 into `marks`.
  public var cells: [Cell]
  public var marks: [[UInt32]]

  public init(y: Int, cells: [Cell], marks: [[UInt32]] = []) {
    self.y = y
    self.cells = cells
    self.marks = marks
  }
}

public struct ScreenUpdate: Equatable, Sendable {
  public var columns: Int
  public var rows: Int
  public var cursorX: Int
  public var cursorY: Int
  public var cursorVisible: Bool
  public var cursorShape: UInt8
  /// A full frame: every row is included and the client forgets what it had.
  public var full: Bool
  /// The window title, when it changed.
  public var title: String?
  /// Modes the client mirrors to the user's terminal (see ModeFlags).
  public var modeFlags: UInt32
  public var rowUpdates: [RowUpdate]

  public init(
    columns: Int, rows: Int, cursorX: Int = 0, cursorY: Int = 0, cursorVisible: Bool = true,
    cursorShape: UInt8 = 0, full: Bool = false, title: String? = nil, modeFlags: UInt32 = 0,
    rowUpdates: [RowUpdate] = []
  ) {
    self.columns = columns
    self.rows = rows
    self.cursorX = cursorX
    self.cursorY = cursorY
    self.cursorVisible = cursorVisible
    self.cursorShape = cursorShape
    self.full = full
    self.title = title
    self.modeFlags = modeFlags
    self.rowUpdates = rowUpdates
  }

  func encode(into w: inout ByteWriter) {
    var encoder = ScreenUpdateEncoder(header: self)
    for row in rowUpdates {
      row.cells.withUnsafeBufferPointer { cells in
        encoder.appendRow(row.y, cells) { key in
          key > 0 && Int(key) <= row.marks.count ? row.marks[Int(key) - 1] : []
        }
      }
    }
    w.bytes.append(contentsOf: encoder.finish().dropFirst(Frame.headerSize))
  }

  static func decode(_ r: inout ByteReader) throws -> ScreenUpdate {
    let columns = Int(try r.u16("columns"))
    let rows = Int(try r.u16("rows"))
    guard columns <= maxDimension, rows <= maxDimension else {
      throw ProtocolError.invalid("screen of \(columns)x\(rows) is too large")
    }
    var u = ScreenUpdate(columns: columns, rows: rows)
    u.cursorX = Int(try r.u16("cursor"))
    u.cursorY = Int(try r.u16("cursor"))
    let flags = try r.u8("flags")
    u.cursorVisible = flags & 1 != 0
    u.full = flags & 2 != 0
    u.cursorShape = try r.u8("cursor shape")
    u.modeFlags = try r.u32("modes")
    if flags & 4 != 0 { u.title = try r.string("title", max: Limits.title) }
    let count = Int(try r.u16("row count"))
    guard count <= rows else { throw ProtocolError.invalid("\(count) rows in a screen of \(rows)") }
    for _ in 0..<count {
      u.rowUpdates.append(try decodeRow(&r, screenRows: rows))
    }
    return u
  }

  private static func decodeRow(_ r: inout ByteReader, screenRows: Int) throws -> RowUpdate {
    let y = Int(try r.u16("row"))
    let width = Int(try r.u16("row width"))
    guard y < screenRows, width <= maxDimension else {
      throw ProtocolError.invalid("row \(y) of width \(width) is out of range")
    }
    var row = RowUpdate(y: y, cells: [])
    row.cells.reserveCapacity(width)
    while row.cells.count < width {
      let style = Style(
        foreground: Color(rawValue: try r.u32("colour")),
        background: Color(rawValue: try r.u32("colour")),
        attributes: Attributes(rawValue: try r.u16("attributes")),
        decoration: try r.u8("decoration"))
      let runEnd = row.cells.count + Int(try r.u16("run length"))
      guard runEnd <= width, runEnd > row.cells.count else {
        throw ProtocolError.invalid("run overruns its row")
      }
      while row.cells.count < runEnd {
        try decodeCell(&r, style: style, into: &row, end: runEnd)
      }
    }
    return row
  }

  private static func decodeCell(
    _ r: inout ByteReader, style: Style, into row: inout RowUpdate, end: Int
  ) throws {
    let room = end - row.cells.count
    switch try r.peek("cell") {
    case 0xFD:
      _ = try r.u8()
      row.cells.append(Cell(scalar: 0x20, style: style, width: 0))
    case 0xFE:
      _ = try r.u8()
      let c = try r.scalar()
      appendCell(Cell(scalar: c, style: style, width: 2), room: room, to: &row)
    case 0xFF:
      _ = try r.u8()
      let n = try r.u8("marks")
      let base = try r.scalar()
      var marks: [UInt32] = []
      for _ in 0..<(n & 0x3F) { marks.append(try r.scalar("mark")) }
      row.marks.append(marks)
      let cell = Cell(
        scalar: base, combining: UInt32(row.marks.count), style: style,
        width: n >> 6 == 2 ? 2 : 1)
      appendCell(cell, room: room, to: &row)
    default:
      row.cells.append(Cell(scalar: try r.scalar(), style: style, width: 1))
    }
  }

  /// A wide cell brings its right half; without room for it, it is shown narrow.
  private static func appendCell(_ cell: Cell, room: Int, to row: inout RowUpdate) {
    var c = cell
    if c.width == 2 && room < 2 { c.width = 1 }
    row.cells.append(c)
    if c.width == 2 { row.cells.append(Cell(scalar: 0x20, style: c.style, width: 0)) }
  }
}

/// Builds a screen-update frame straight from the engine's rows, without
/// copying them into RowUpdate values first (the server's hot path).
public struct ScreenUpdateEncoder {
  private var w: ByteWriter
  private var rowCountOffset: Int
  private var rowCount: UInt16 = 0

  public init(header u: ScreenUpdate) {
    w = ByteWriter(capacity: 4096)
    w.bytes.append(contentsOf: [ServerType.screen.rawValue, 0, 0, 0, 0, 0, 0, 0])
    w.u16(UInt16(clamping: u.columns))
    w.u16(UInt16(clamping: u.rows))
    w.u16(UInt16(clamping: u.cursorX))
    w.u16(UInt16(clamping: u.cursorY))
    w.u8((u.cursorVisible ? 1 : 0) | (u.full ? 2 : 0) | (u.title != nil ? 4 : 0))
    w.u8(u.cursorShape)
    w.u32(u.modeFlags)
    if let title = u.title { w.string(title, max: Limits.title) }
    rowCountOffset = w.bytes.count
    w.u16(0)
  }

  public var rowsAppended: Int { Int(rowCount) }

  /// Appends row `y`; `decorations` turns the cells' decoration keys into
  /// the client's (the identity when they are the client's already).
  public mutating func appendRow(
    _ y: Int, _ cells: UnsafeBufferPointer<Cell>, marks: (UInt32) -> [UInt32],
    decorations: (UInt8) -> UInt8 = { $0 }
  ) {
    rowCount &+= 1
    w.u16(UInt16(clamping: y))
    w.u16(UInt16(clamping: cells.count))
    var i = 0
    while i < cells.count {
      // One run: cells sharing the style of cells[i].
      let style = cells[i].style
      w.u32(style.foreground.rawValue)
      w.u32(style.background.rawValue)
      w.u16(style.attributes.rawValue)
      w.u8(style.decoration == 0 ? 0 : decorations(style.decoration))
      let lengthOffset = w.bytes.count
      w.u16(0)
      let runStart = i
      while i < cells.count && cells[i].style == style && i - runStart < 0xFFF0 {
        let cell = cells[i]
        if cell.combining != 0 {
          let m = marks(cell.combining).prefix(63)
          w.u8(0xFF)
          w.u8(UInt8(cell.width == 2 ? 2 : 1) << 6 | UInt8(m.count))
          w.scalar(cell.scalar)
          for mark in m { w.scalar(mark) }
        } else if cell.width == 2 {
          w.u8(0xFE)
          w.scalar(cell.scalar)
        } else if cell.width == 0 {
          w.u8(0xFD)
        } else {
          w.scalar(cell.scalar)
        }
        // The right half of a wide character travels with its left half.
        i += cell.width == 2 && i + 1 < cells.count && cells[i + 1].width == 0 ? 2 : 1
      }
      let length = UInt16(i - runStart)
      w.bytes[lengthOffset] = UInt8(truncatingIfNeeded: length)
      w.bytes[lengthOffset + 1] = UInt8(truncatingIfNeeded: length >> 8)
    }
  }

  /// The finished frame, header included.
  public mutating func finish() -> [UInt8] {
    w.bytes[rowCountOffset] = UInt8(truncatingIfNeeded: rowCount)
    w.bytes[rowCountOffset + 1] = UInt8(truncatingIfNeeded: rowCount >> 8)
    let length = UInt32(w.bytes.count - Frame.headerSize)
    w.bytes[4] = UInt8(truncatingIfNeeded: length)
    w.bytes[5] = UInt8(truncatingIfNeeded: length >> 8)
    w.bytes[6] = UInt8(truncatingIfNeeded: length >> 16)
    w.bytes[7] = UInt8(truncatingIfNeeded: length >> 24)
    return w.bytes
  }
}

/// Bits of ScreenUpdate.modeFlags.
public enum ModeFlags {
  public static let bracketedPaste: UInt32 = 1 << 0
  public static let focusEvents: UInt32 = 1 << 1
  public static let applicationCursor: UInt32 = 1 << 2
  public static let applicationKeypad: UInt32 = 1 << 3
  /// The program asked for extended keys (modifyOtherKeys or kitty flags):
  /// the client asks the user's terminal for them.
  public static let extendedKeys: UInt32 = 1 << 4
  /// Bits 8-11: MouseTracking raw value; 12-15: MouseEncoding raw value.
  public static let mouseTrackingShift: UInt32 = 8
  public static let mouseEncodingShift: UInt32 = 12
}
