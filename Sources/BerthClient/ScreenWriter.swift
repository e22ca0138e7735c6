// Keeps what the user's terminal shows and what it should show, and turns
// the difference into escape sequences: for each changed span of a row, a
// cursor move (CR LF, cuf or cup), the cells, an SGR only where the style
// changes, and erase-to-end-of-line for a blank tail. Every character takes
// the columns the server gave it; where the local wcwidth disagrees the
// cursor is placed again after it, so later cells stay in their columns.
// Pure but for the bytes it gathers, so tests render into a buffer.

import BerthTerminal
@preconcurrency import CNcurses
import Glibc

/// A row as the server last sent it.
struct SavedRow: Equatable {
  var cells: [Cell] = []
  /// Combining marks by column, for the cells that have any.
  var marks: [Int: [UInt32]] = [:]
}

struct ScreenWriter {
  let caps: TerminalCapabilities
  var glyphs: GlyphMapper
  /// The locale is UTF-8 (else characters go through wcrtomb).
  let utf8: Bool
  var features = TerminalFeatures() {
    didSet {
      mapper = Self.mapper(caps, features)
      (lastStyle, lastPen) = (.plain, .plain)
      redraw()
    }
  }
  private(set) var mapper: ColorMapper?
  var decorations = [Decoration](repeating: .none, count: 256)
  private(set) var columns: Int
  private(set) var rows: Int

  /// The server's rows, as it sent them (any width).
  private(set) var wanted: [SavedRow]
  /// A message over the last row, `columns` cells, when one is shown.
  private(set) var message: [Cell]?
  /// What the terminal shows: `columns` cells a row.
  private var shown: [SavedRow]
  /// The columns of each row that may differ from the terminal (empty: none).
  private var dirtyLow: [Int]
  private var dirtyHigh: [Int]

  var out = OutputBuffer()
  /// Where the terminal's cursor is; -1 when not known (after a character
  /// whose width the terminal may see otherwise, or at the right margin).
  private var cx = -1
  private var cy = -1
  /// The pen the terminal has; nil when not known.
  var current: Pen?
  /// The decoration key of the hyperlink open in the terminal (0: none).
  var openLink: UInt8 = 0
  private var inACS = false
  private var needsClear = true
  private var cursorShown: Bool?
  /// Where the cursor is left after a frame.
  var cursor = (x: 0, y: 0, visible: true)
  private var lastStyle = Style.plain
  private var lastPen = Pen.plain

  /// A cell the terminal is not known to show: it differs from every real one.
  static let unknown = Cell(scalar: 0xFFFF_FFFF, style: .plain, width: 1)

  init(
    caps: TerminalCapabilities, glyphs: GlyphMapper, utf8: Bool, columns: Int, rows: Int,
    features: TerminalFeatures = TerminalFeatures()
  ) {
    self.caps = caps
    self.glyphs = glyphs
    self.utf8 = utf8
    self.features = features
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    mapper = Self.mapper(caps, features)
    wanted = Array(repeating: SavedRow(), count: self.rows)
    shown = []
    dirtyLow = []
    dirtyHigh = []
    resetShown()
  }

  static func mapper(_ caps: TerminalCapabilities, _ features: TerminalFeatures) -> ColorMapper? {
    guard caps.colors > 0 || caps.directColor || features.trueColor else { return nil }
    return ColorMapper(
      colors: caps.colors, direct: caps.directColor || features.trueColor,
      defaultColors: true)
  }

  // MARK: - What should be shown

  /// A new terminal size: the rows are kept (cropped or padded when drawn)
  /// and the whole screen is cleared and drawn again.
  mutating func resize(columns: Int, rows: Int) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    if wanted.count > self.rows {
      wanted.removeLast(wanted.count - self.rows)
    } else {
      wanted.append(contentsOf: repeatElement(SavedRow(), count: self.rows - wanted.count))
    }
    if message != nil { message = Self.fit(message ?? [], self.columns) }
    resetShown()
    redraw()
  }

  /// Row y as the server sent it; only the columns that changed are marked.
  mutating func setRow(
    _ y: Int, _ cells: UnsafeBufferPointer<Cell>, marks: (UInt32) -> [UInt32]
  ) {
    guard y >= 0, y < rows else { return }
    var marked: [Int: [UInt32]] = [:]
    for x in cells.indices where cells[x].combining != 0 {
      marked[x] = marks(cells[x].combining)
    }
    // Most rows of a frame are unchanged but for a cell or two: compare in
    // place, and copy into the kept row's storage rather than a new array.
    if marked.isEmpty && wanted[y].marks.isEmpty && wanted[y].cells.count == cells.count {
      guard let changed = Self.changedSpan(cells, wanted[y].cells) else { return }
      wanted[y].cells.withUnsafeMutableBufferPointer { kept in
        for x in changed { kept[x] = cells[x] }
      }
      markDirty(y, changed.lowerBound, changed.upperBound)
    } else {
      let row = SavedRow(cells: Array(cells), marks: marked)
      guard row != wanted[y] else { return }
      wanted[y] = row
      markDirty(y, 0, columns - 1)
    }
  }

  /// The columns where two versions of a row of the same width differ (nil: none).
  static func changedSpan(_ new: UnsafeBufferPointer<Cell>, _ old: [Cell]) -> ClosedRange<Int>? {
    old.withUnsafeBufferPointer { old in
      guard new.count == old.count,
        let first = new.indices.first(where: { new[$0] != old[$0] }),
        let last = new.indices.last(where: { new[$0] != old[$0] })
      else { return nil }
      // A wide character's right half changes with its left: take both.
      return first...min(last + 1, new.count - 1)
    }
  }

  /// Blank rows from y down (below the window).
  mutating func clearRows(from y: Int) {
    for row in max(0, y)..<max(max(0, y), rows) where wanted[row] != SavedRow() {
      wanted[row] = SavedRow()
      markDirty(row, 0, columns - 1)
    }
  }

  /// A message over the last row (reverse video), or nil to show the row again.
  mutating func setMessage(_ cells: [Cell]?) {
    message = cells.map { Self.fit($0, columns) }
    if rows > 0 { markDirty(rows - 1, 0, columns - 1) }
  }

  private static func fit(_ cells: [Cell], _ columns: Int) -> [Cell] {
    var row = Array(cells.prefix(columns))
    if row.count < columns { row += repeatElement(Cell.blank(), count: columns - row.count) }
    return row
  }

  /// Clears and draws everything on the next frame.
  mutating func redraw() {
    needsClear = true
  }

  /// The terminal was given back and is taken again: nothing it shows or
  /// is set to is known.
  mutating func forgetTerminal() {
    current = nil
    openLink = 0
    inACS = false
    cursorShown = nil
    cx = -1
    cy = -1
    needsClear = true
  }

  /// The decoration of a key changed: the cells the terminal shows with it
  /// are drawn again (a key new to the screen costs nothing).
  mutating func define(_ key: UInt8, _ decoration: Decoration) {
    guard decorations[Int(key)] != decoration else { return }
    decorations[Int(key)] = decoration
    lastStyle = .plain
    lastPen = .plain
    for y in shown.indices {
      var low = Int.max
      var high = -1
      shown[y].cells.withUnsafeMutableBufferPointer { cells in
        for x in cells.indices where cells[x].style.decoration == key {
          cells[x] = Self.unknown
          low = min(low, x)
          high = x
        }
      }
      if high >= 0 { markDirty(y, low, high) }
    }
  }

  private mutating func markDirty(_ y: Int, _ low: Int, _ high: Int) {
    guard y >= 0 && y < rows else { return }
    dirtyLow[y] = min(dirtyLow[y], max(0, low))
    dirtyHigh[y] = max(dirtyHigh[y], high)
  }

  private mutating func resetShown() {
    let known = !caps.clearScreen.isEmpty
    let row = SavedRow(
      cells: Array(repeating: known ? Cell.blank() : Self.unknown, count: columns), marks: [:])
    shown = Array(repeating: row, count: rows)
    dirtyLow = Array(repeating: 0, count: rows)
    dirtyHigh = Array(repeating: columns - 1, count: rows)
  }

  // MARK: - The frame

  /// Gathers in `out` what makes the terminal show what it should.
  mutating func render() {
    let start = out.count
    if features.synchronizedOutput { out.append("\u{1B}[?2026h") }
    let body = out.count
    if !cursor.visible && cursorShown != false {
      out.append(caps.hideCursor)
      cursorShown = false
    }
    if needsClear {
      needsClear = false
      closeLink()
      setPen(.plain)
      out.append(caps.clearScreen)
      (cx, cy) = caps.clearScreen.isEmpty ? (-1, -1) : (0, 0)
      resetShown()
      lastStyle = .plain
      lastPen = pen(for: .plain)
    }
    for y in 0..<rows where dirtyLow[y] <= dirtyHigh[y] {
      paint(y)
      dirtyLow[y] = Int.max
      dirtyHigh[y] = -1
    }
    closeLink()
    if rows > 0 && columns > 0 {
      moveTo(min(max(cursor.x, 0), columns - 1), min(max(cursor.y, 0), rows - 1))
    }
    if cursor.visible && cursorShown != true {
      out.append(caps.showCursor)
      cursorShown = true
    }
    if out.count == body {
      out.truncate(to: start)
    } else if features.synchronizedOutput {
      out.append("\u{1B}[?2026l")
    }
  }

  /// The cell the terminal should show at (x, y), with its width there
  /// (1 or 2; a right half or a wide character cut by the margin is a blank).
  @inline(__always)
  private func unit(_ row: UnsafeBufferPointer<Cell>, _ x: Int) -> (Cell, Int) {
    guard x < row.count else { return (Cell.blank(), 1) }
    let cell = row[x]
    if cell.width == 0 { return (Cell.blank(cell.style), 1) }
    if cell.width >= 2 {
      if x + 1 >= columns { return (Cell.blank(cell.style), 1) }
      return (cell, 2)
    }
    return (cell, 1)
  }

  private mutating func paint(_ y: Int) {
    let marks = message != nil && y == rows - 1 ? [:] : wanted[y].marks
    let cells = message != nil && y == rows - 1 ? (message ?? []) : wanted[y].cells
    cells.withUnsafeBufferPointer { row in
      var x = max(0, dirtyLow[y])
      var high = min(dirtyHigh[y], columns - 1)
      // Start on a character's left half.
      if x > 0, x < row.count, row[x].width == 0 { x -= 1 }
      // Where the row turns into plain blanks to its end: erased in one go.
      var blankFrom = min(row.count, columns)
      while blankFrom > 0, row[blankFrom - 1] == Cell.blank(), marks[blankFrom - 1] == nil {
        blankFrom -= 1
      }
      while x <= high {
        if x >= blankFrom && !caps.clearToEndOfLine.isEmpty {
          if shown[y].cells[x...].contains(where: { $0 != Cell.blank() }) || !shown[y].marks.isEmpty
          {
            moveTo(x, y)
            setPen(lastPenFor(.plain))
            out.append(caps.clearToEndOfLine)
            for i in x..<columns { shown[y].cells[i] = Cell.blank() }
            shown[y].marks = shown[y].marks.filter { $0.key < x }
          }
          return
        }
        let (cell, width) = unit(row, x)
        let cellMarks = cell.combining == 0 ? nil : marks[x]
        if shown[y].cells[x] == cell
          && (cellMarks == nil && shown[y].marks.isEmpty || shown[y].marks[x] == cellMarks)
          && (width == 1 || shown[y].cells[x + 1] == rightHalf(row, x))
        {
          // A short gap in a run is written through: cheaper than a move,
          // and the run's text reaches the terminal whole.
          if cx == x && cy == y && width == 1 && cellMarks == nil
            && (cell.scalar == 0 || (cell.scalar >= 0x20 && cell.scalar < 0x7F))
            && !inACS && openLink == 0 && lastPenFor(cell.style) == current
            && changesSoon(row, y, after: x, through: min(x + 4, high))
          {
            out.append(cell.scalar == 0 ? 0x20 : UInt8(truncatingIfNeeded: cell.scalar))
            cx = cx + 1 < columns ? cx + 1 : -1
          }
          x += width
          continue
        }
        // Writing over a wide character's right half blanks its left half.
        if shown[y].cells[x].width == 0 && x > 0 && shown[y].cells[x - 1].width == 2 {
          shown[y].cells[x - 1] = Self.unknown
          x -= 1
          continue
        }
        // And over its left half, its right half.
        let end = x + width - 1
        if shown[y].cells[end].width == 2 && end + 1 < columns {
          shown[y].cells[end + 1] = Self.unknown
          high = max(high, end + 1)
        }
        write(cell, width: width, marks: cellMarks, x: x, y: y)
        shown[y].cells[x] = cell
        if cellMarks != nil || (!shown[y].marks.isEmpty && shown[y].marks[x] != nil) {
          shown[y].marks[x] = cellMarks
        }
        if width == 2 { shown[y].cells[x + 1] = rightHalf(row, x) }
        x += width
      }
    }
  }

  /// Whether a cell after x (up to `last`) differs from what is shown.
  private func changesSoon(
    _ row: UnsafeBufferPointer<Cell>, _ y: Int, after x: Int, through last: Int
  )
    -> Bool
  {
    guard x + 1 <= last else { return false }
    for i in (x + 1)...last {
      let want = i < row.count ? row[i] : Cell.blank()
      if want != shown[y].cells[i] { return true }
    }
    return false
  }

  @inline(__always)
  private func rightHalf(_ row: UnsafeBufferPointer<Cell>, _ x: Int) -> Cell {
    Cell(scalar: 0x20, style: x + 1 < row.count ? row[x + 1].style : .plain, width: 0)
  }

  @inline(__always)
  private mutating func lastPenFor(_ style: Style) -> Pen {
    if style != lastStyle {
      lastStyle = style
      lastPen = pen(for: style)
    }
    return lastPen
  }

  /// One character at (x, y).
  private mutating func write(_ cell: Cell, width: Int, marks: [UInt32]?, x: Int, y: Int) {
    // Without xenl the bottom-right cell would scroll the screen: left out.
    if y == rows - 1 && x + width >= columns && caps.autoMargins && !caps.lateWrap { return }
    moveTo(x, y)
    setPen(lastPenFor(cell.style))
    let s = cell.scalar
    let plain = width == 1 && s >= 0x20 && s < 0x7F && marks == nil
    let glyph = plain ? .scalar(s) : glyphs.glyph(s, width: width)
    var kept: [UInt32] = []
    var exact = true
    if !plain, case .scalar(let scalar) = glyph {
      kept = marks.map(keptMarks) ?? []
      exact =
        glyphs.localWidth(scalar) == width && kept.allSatisfy { glyphs.localWidth($0) == 0 }
      if !exact {
        // Blank the columns first, whatever width the terminal gives it,
        // and come back to write it.
        exitACS()
        for _ in 0..<width { out.append(0x20) }
        cx = -1
        moveTo(x, y)
      }
    }
    if features.hyperlinks || openLink != 0 { setLink(cell.style.decoration) }
    switch glyph {
    case .scalar(let scalar):
      exitACS()
      if plain {
        out.append(UInt8(truncatingIfNeeded: scalar))
      } else {
        encode(scalar)
        for mark in kept { encode(mark) }
      }
    case .acs(let letter):
      if caps.acsAlternate[Int(letter)] {
        if !inACS {
          out.append(caps.enterACS)
          inACS = true
        }
      } else {
        exitACS()
      }
      out.append(caps.acs[Int(letter)])
    case .replacement:
      exitACS()
      out.append(UInt8(ascii: "?"))
      if width == 2 { out.append(0x20) }
    }
    if exact && cx >= 0 && cx + width < columns {
      cx += width
    } else {
      cx = -1  // at the margin (pending wrap or not), or not known
    }
  }

  /// The marks the user's locale can put with their base; a joiner with
  /// nothing after it to join would only confuse the terminal.
  private func keptMarks(_ marks: [UInt32]) -> [UInt32] {
    var kept = marks.filter { glyphs.keepsMark($0) }
    while kept.last == 0x200D { kept.removeLast() }
    return kept
  }

  private mutating func encode(_ scalar: UInt32) {
    if utf8 || scalar < 0x80 {
      out.append(utf8: scalar)
      return
    }
    var state = mbstate_t()
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 16) { bytes in
      let n = wcrtomb(bytes.baseAddress, wchar_t(bitPattern: scalar), &state)
      if n == size_t.max || n == 0 || n > 16 {
        out.append(UInt8(ascii: "?"))
      } else {
        for i in 0..<n { out.append(UInt8(bitPattern: bytes[i])) }
      }
    }
  }

  mutating func exitACS() {
    guard inACS else { return }
    out.append(caps.exitACS)
    inACS = false
  }

  /// Moves the terminal's cursor, by the fewest bytes this knows of.
  private mutating func moveTo(_ x: Int, _ y: Int) {
    if cx == x && cy == y { return }
    // A link is not carried across a move.
    closeLink()
    if cx >= 0 && cy >= 0 && x == 0 && (y == cy || (y == cy + 1 && y < rows)) {
      out.append(0x0D)
      if y != cy { out.append(0x0A) }
    } else if caps.ansiCursor && cx >= 0 && cy == y && x > cx {
      out.append("\u{1B}[")
      if x - cx > 1 { out.append(decimal: x - cx) }
      out.append(UInt8(ascii: "C"))
    } else if caps.ansiCursor {
      out.append("\u{1B}[")
      out.append(decimal: y + 1)
      out.append(UInt8(ascii: ";"))
      out.append(decimal: x + 1)
      out.append(UInt8(ascii: "H"))
    } else {
      out.append(caps.moveCursor(y, x))
    }
    cx = x
    cy = y
  }

  /// What is left behind on the terminal when it is given back: no link,
  /// no attributes, the cursor on the last line.
  mutating func renderEnd() {
    closeLink()
    exitACS()
    if current != .plain {
      out.append(caps.reset)
      current = .plain
    }
    if rows > 0 {
      cx = -1
      moveTo(0, rows - 1)
    }
  }
}
