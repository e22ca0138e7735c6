// Composes a client's display when it is more than one window's screen:
// its regions (each a window, cropped or padded, or copy mode's view of a
// window's history, or a list), the separators between regions, captions,
// and the hardstatus line. Rows are built whole and compared with what the
// client was last sent; only rows that differ go out.
import BerthProtocol
import BerthTerminal

/// Rows of cells being composed, with each row's combining marks.
struct Canvas {
  let columns: Int
  var rows: [RowUpdate]

  init(columns: Int, rows: Int) {
    self.columns = columns
    self.rows = (0..<rows).map { y in
      RowUpdate(y: y, cells: Array(repeating: Cell.blank(), count: columns))
    }
  }

  /// Copies `cells` to row y from column x, at most `width` cells; a wide
  /// character cut by the edge becomes a blank. `decorations` turns the
  /// cells' decoration keys into the client's; without it they are dropped,
  /// so a terminal's own keys never reach a client.
  mutating func put(
    _ cells: UnsafeBufferPointer<Cell>, y: Int, x: Int, width: Int, marks: (UInt32) -> [UInt32],
    decorations: (UInt8) -> UInt8 = { _ in 0 }
  ) {
    guard y >= 0, y < rows.count else { return }
    let n = min(cells.count, width, columns - x)
    guard n > 0 else { return }
    for i in 0..<n {
      var cell = cells[i]
      if cell.width == 2 && i == n - 1 { cell = Cell.blank(cell.style) }
      if cell.width == 0 && i == 0 { cell = Cell.blank(cell.style) }
      if cell.style.decoration != 0 { cell.style.decoration = decorations(cell.style.decoration) }
      if cell.combining != 0 {
        rows[y].marks.append(marks(cell.combining))
        cell.combining = UInt32(rows[y].marks.count)
      }
      rows[y].cells[x + i] = cell
    }
  }

  mutating func put(_ cells: [Cell], y: Int, x: Int, width: Int, fill: Cell) {
    guard y >= 0, y < rows.count, x < columns else { return }
    let end = min(columns, x + width)
    var i = 0
    while x + i < end {
      var cell = i < cells.count ? cells[i] : fill
      if cell.width == 2 && x + i + 1 >= end { cell = Cell.blank(cell.style) }
      rows[y].cells[x + i] = cell
      i += 1
    }
  }

  /// Applies `change` to the styles of row y's cells in x..<x+width.
  mutating func restyle(y: Int, x: Int, width: Int, _ change: (inout Style) -> Void) {
    guard y >= 0, y < rows.count else { return }
    for i in max(0, x)..<min(columns, x + width) { change(&rows[y].cells[i].style) }
  }
}

extension SessionServer {
  /// Whether client c sees more than one window's screen as it is.
  func isComposed(_ c: ClientConnection) -> Bool {
    !c.layout.isSingle || settings.hardstatusShown || settings.captionAlways || c.copy != nil
      || c.overlay != nil
  }

  /// Lays out c's regions for its terminal's size.
  func arrange(_ c: ClientConnection) {
    guard let h = c.hello else { return }
    let rows = settings.hardstatusShown && h.rows > 1 ? h.rows - 1 : h.rows
    c.layout.arrange(
      columns: h.columns, rows: rows, captions: settings.captionAlways || !c.layout.isSingle)
  }

  /// What a composed frame depends on besides the client's own state: the
  /// windows shown, and with status lines every window (titles, flags).
  func frameStamp(_ c: ClientConnection) -> UInt64 {
    guard isComposed(c) else { return window(of: c)?.generation ?? 0 }
    var stamp = c.displayVersion &* 0x9E37_79B9_7F4A_7C15 &+ sessionVersion
    for r in c.layout.regions {
      stamp = stamp &* 31 &+ (r.window?.generation ?? 7)
    }
    if settings.hardstatusShown || settings.captionAlways || !c.layout.isSingle {
      // Status lines show every window's title, not its screen: a window
      // flooding output unseen must not make frames.
      for w in windows { stamp = stamp &* 31 &+ UInt64(bitPattern: Int64(w.title.hashValue)) }
      stamp = stamp &+ clockMinute
    }
    return stamp
  }

  /// The frame for a composed display, or nil when nothing the client sees changed.
  func composedFrame(for c: ClientConnection, now: UInt64) -> [UInt8]? {
    guard let h = c.hello else { return nil }
    arrange(c)
    c.sentGeneration = frameStamp(c)
    c.lastFrameNanos = now
    var canvas = Canvas(columns: h.columns, rows: h.rows)
    var cursor = (x: 0, y: 0, visible: false)
    let focused = c.layout.focus
    for r in c.layout.regions {
      if r === focused, let overlay = c.overlay {
        overlay.draw(into: &canvas, region: r)
      } else if r === focused, let copy = c.copy, let w = r.window {
        cursor = copy.draw(w, into: &canvas, region: r)
      } else if let w = r.window {
        drawWindow(w, into: &canvas, region: r, client: c)
        if r === focused {
          let t = w.terminal
          cursor = (
            r.x + t.cursorX, r.y + t.cursorY,
            t.cursorVisible && t.cursorX < r.width && t.cursorY < r.height
          )
        }
      }
      if let row = r.captionRow {
        drawCaption(r, row: row, focused: r === focused, client: c, into: &canvas)
      }
    }
    let bar = Cell(scalar: 0x2502)  // │
    for s in c.layout.separators {
      for y in s.top..<min(h.rows, s.top + s.height) where s.x < h.columns {
        canvas.rows[y].cells[s.x] = bar
      }
    }
    if settings.hardstatusShown && h.rows > 1 {
      // As screen draws it: in standout filled to the edge, but plain when
      // captions are shown.
      let ctx = statusContext(window(of: c), focused: false, client: c)
      let captions = settings.captionAlways || !c.layout.isSingle
      let base = captions ? Style() : Style(attributes: .standout)
      let cells = StatusString.expand(
        settings.hardstatus, ctx, base: base, width: h.columns, fill: !captions)
      canvas.put(cells, y: h.rows - 1, x: 0, width: h.columns, fill: Cell.blank())
    }
    if let line = c.copy?.entryLine {
      // Copy mode's search question, in the display's last row.
      let cells = Overlay.cells(line, Style(attributes: .reverse))
      canvas.put(cells, y: h.rows - 1, x: 0, width: h.columns, fill: Cell.blank())
      cursor = (min(cells.count, h.columns - 1), h.rows - 1, true)
    }
    return encodeComposed(canvas, cursor: cursor, for: c, window: window(of: c))
  }

  private func drawWindow(
    _ w: Window, into canvas: inout Canvas, region r: Region, client c: ClientConnection
  ) {
    let t = w.terminal
    for y in 0..<min(r.height, t.rows) {
      t.withRow(y) { cells in
        canvas.put(cells, y: r.y + y, x: r.x, width: r.width, marks: t.combiningMarks) {
          c.decorations.key($0, of: t)
        }
      }
    }
  }

  private func drawCaption(
    _ r: Region, row: Int, focused: Bool, client c: ClientConnection, into canvas: inout Canvas
  ) {
    let style = focused ? Style(attributes: .standout) : Style()
    let ctx = statusContext(
      r.window, focused: focused, client: c, copyMode: focused && c.copy != nil)
    var cells =
      r.window == nil
      ? [] : StatusString.expand(settings.caption, ctx, base: style, width: r.width, fill: focused)
    // Unfocused captions are drawn as a line, so regions read apart.
    let fill = focused ? Cell.blank(style) : Cell(scalar: 0x2500, style: style)  // ─
    if !focused && !cells.isEmpty { cells.append(Cell.blank(style)) }
    canvas.put(cells, y: row, x: r.x, width: r.width, fill: fill)
  }

  /// Encodes the rows of `canvas` that differ from what c was last sent.
  private func encodeComposed(
    _ canvas: Canvas, cursor: (x: Int, y: Int, visible: Bool), for c: ClientConnection,
    window w: Window?
  ) -> [UInt8]? {
    let rows = canvas.rows.count
    let full = c.needsFull || c.sentRows.count != rows
    let modes = w.map { modeFlags($0.terminal.modes) } ?? 0
    let shape = w?.terminal.cursorShape.rawValue ?? 0
    let title = w?.title ?? ""
    let header = ScreenUpdate(
      columns: canvas.columns, rows: rows, cursorX: cursor.x, cursorY: cursor.y,
      cursorVisible: cursor.visible, cursorShape: shape, full: full,
      title: full || title != c.sentTitle ? title : nil, modeFlags: modes)
    var encoder = ScreenUpdateEncoder(header: header)
    for row in canvas.rows where full || c.sentRows[row.y] != row {
      row.cells.withUnsafeBufferPointer { cells in
        encoder.appendRow(row.y, cells) { key in
          key > 0 && Int(key) <= row.marks.count ? row.marks[Int(key) - 1] : []
        }
      }
    }
    let sentCursor = (
      x: cursor.x, y: cursor.y, visible: cursor.visible, shape: shape, modes: modes
    )
    let moved =
      sentCursor.x != c.sentCursor.x || sentCursor.y != c.sentCursor.y
      || sentCursor.visible != c.sentCursor.visible || shape != c.sentCursor.shape
      || modes != c.sentCursor.modes
    c.sentRows = canvas.rows
    guard full || encoder.rowsAppended > 0 || moved || header.title != nil else { return nil }
    c.needsFull = false
    c.sentTitle = title
    c.sentCursor = sentCursor
    // A simple frame after this one must send every row again.
    c.sentVersions.removeAll()
    return encoder.finish()
  }
}
