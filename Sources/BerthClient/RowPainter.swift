// Turns one row of cells into ncurses' cchar_t's and writes it into a window
// in one wadd_wchnstr call, which neither moves the cursor nor wraps (so the
// bottom-right cell cannot scroll). Every cchar_t written takes exactly the
// columns the server gave its cell, whatever the local wcwidth says: a
// character the user's locale shows at another width becomes '?'.

import BerthTerminal
@preconcurrency import CNcurses
import Glibc

/// A row as the server last sent it, kept to repaint it after a message, a
/// resize or a change of colour pairs.
struct SavedRow: Equatable {
  var cells: [Cell] = []
  /// Combining marks by column, for the cells that have any.
  var marks: [Int: [UInt32]] = [:]
}

struct RowPainter {
  var glyphs: GlyphMapper
  var pairs: ColorPairs
  private var buffer: [cchar_t] = []

  /// The marks that fit into a cchar_t next to its base character.
  static let maxMarks = Int(CCHARW_MAX) - 1

  init(glyphs: GlyphMapper, pairs: ColorPairs) {
    self.glyphs = glyphs
    self.pairs = pairs
  }

  /// Writes `row` into line `y` of `window`, cropped or padded to `columns`.
  /// With `span`, only the columns from its start through its end are
  /// written (widened to whole characters): an echoed key costs one cell.
  mutating func paint(
    _ row: SavedRow, y: Int, columns: Int, window: UnsafeMutablePointer<WINDOW>,
    span: ClosedRange<Int>? = nil
  ) {
    buffer.removeAll(keepingCapacity: true)
    let cells = row.cells
    var x = 0
    var last = columns - 1
    if let span {
      x = max(0, min(span.lowerBound, columns - 1))
      // Start on a character's left half.
      if x > 0, x < cells.count, cells[x].width == 0 { x -= 1 }
      last = min(span.upperBound, columns - 1)
    }
    let start = x
    while x < columns && x <= last {
      guard x < cells.count else {
        append(0x20, style: .plain)
        x += 1
        continue
      }
      let cell = cells[x]
      // A right half without its left (cropped or orphaned) is a blank.
      if cell.width == 0 {
        append(0x20, style: cell.style)
        x += 1
        continue
      }
      let width = cell.width >= 2 ? 2 : 1
      // A wide character that does not fit at the right edge is left out.
      if width == 2 && x + 1 >= columns {
        append(0x20, style: cell.style)
        x += 1
        continue
      }
      switch glyphs.glyph(cell.scalar, width: width) {
      case .scalar(let scalar):
        append(scalar, marks: cell.combining == 0 ? nil : row.marks[x], style: cell.style)
      case .acs(let letter):
        append(UInt32(letter), style: cell.style, acs: true)
      case .replacement:
        append(0x3F, style: cell.style)
        if width == 2 { append(0x20, style: cell.style) }
      }
      x += width
    }
    write(y: y, x: start, window: window)
  }

  /// Writes a message in reverse video over line `y`, padded to `columns`.
  mutating func paintMessage(
    _ text: String, y: Int, columns: Int, window: UnsafeMutablePointer<WINDOW>
  ) {
    buffer.removeAll(keepingCapacity: true)
    let style = Style(attributes: .reverse)
    var x = 0
    for scalar in text.unicodeScalars {
      var s = scalar.value
      if s == 0x09 || s == 0x0A || s == 0x0D { s = 0x20 }
      var width = s >= 0x20 && s < 0x7F ? 1 : glyphs.localWidth(s)
      if width == 0 { continue }  // marks are dropped from messages
      if width < 0 { (s, width) = (0x3F, 1) }
      guard x + width <= columns else { break }
      switch glyphs.glyph(s, width: width) {
      case .scalar(let scalar): append(scalar, style: style)
      case .acs(let letter): append(UInt32(letter), style: style, acs: true)
      case .replacement:
        append(0x3F, style: style)
        if width == 2 { append(0x20, style: style) }
      }
      x += width
    }
    while x < columns {
      append(0x20, style: .plain)
      x += 1
    }
    write(y: y, window: window)
  }

  private mutating func write(y: Int, x: Int = 0, window: UnsafeMutablePointer<WINDOW>) {
    guard wmove(window, Int32(y), Int32(x)) != ERR else { return }
    buffer.withUnsafeBufferPointer { cells in
      _ = wadd_wchnstr(window, cells.baseAddress, Int32(cells.count))
    }
  }

  /// Appends one cchar_t: the base character, the marks that the user's
  /// locale can put over it, the attributes and the colour pair.
  @inline(__always)
  private mutating func append(
    _ base: UInt32, marks: [UInt32]? = nil, style: Style, acs: Bool = false
  ) {
    var chars: (wchar_t, wchar_t, wchar_t, wchar_t, wchar_t, wchar_t) = (
      wchar_t(bitPattern: base), 0, 0, 0, 0, 0
    )
    if let marks {
      var kept: [wchar_t] = []
      for mark in marks where kept.count < Self.maxMarks {
        guard glyphs.keepsMark(mark) else { continue }
        kept.append(wchar_t(bitPattern: mark))
      }
      // A joiner with nothing after it to join would only confuse the terminal.
      while kept.last == 0x200D { kept.removeLast() }
      withUnsafeMutableBytes(of: &chars) { raw in
        let slots = raw.bindMemory(to: wchar_t.self)
        for (i, mark) in kept.enumerated() { slots[i + 1] = mark }
      }
    }
    let colors = pairs.entry(style.foreground, style.background)
    var attributes = Self.attributes(style.attributes)
    if acs { attributes |= BERTH_WA_ALTCHARSET }
    if colors.bold { attributes |= BERTH_WA_BOLD }
    var pair = colors.pair
    var cell = cchar_t()
    withUnsafePointer(to: &chars) { chars in
      chars.withMemoryRebound(to: wchar_t.self, capacity: 6) { chars in
        _ = setcchar(&cell, chars, attributes, 0, &pair)
      }
    }
    buffer.append(cell)
  }

  /// The curses attributes for SGR attributes; strikethrough has none.
  static func attributes(_ a: Attributes) -> attr_t {
    if a.isEmpty { return BERTH_WA_NORMAL }
    var result = BERTH_WA_NORMAL
    if a.contains(.bold) { result |= BERTH_WA_BOLD }
    if a.contains(.dim) { result |= BERTH_WA_DIM }
    if a.contains(.italic) { result |= BERTH_WA_ITALIC }
    if a.contains(.underline) { result |= BERTH_WA_UNDERLINE }
    if a.contains(.blink) { result |= BERTH_WA_BLINK }
    if a.contains(.reverse) { result |= BERTH_WA_REVERSE }
    if a.contains(.hidden) { result |= BERTH_WA_INVIS }
    if a.contains(.standout) { result |= BERTH_WA_STANDOUT }
    return result
  }
}
