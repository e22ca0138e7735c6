// Reflow of the main screen and its history when the width changes, as tmux
// does: runs of soft-wrapped rows (logical lines) are joined and split again
// at the new width, wide characters never straddle two rows, and the cursor
// stays on the same character. The cursor also keeps its screen row where it
// can (so a screen whose lines grow pushes its top rows into history, and one
// whose lines shrink pulls history back), and moves up when what follows it
// would not fit. Nothing is lost but what the history limit drops. (Only when
// the cursor's row and what follows it take more than the screen does the
// cursor leave its character: its row goes to history and it goes to the top
// row, as in tmux.)

extension TerminalCore {
  /// The main grid reflowed to `c` columns and `r` rows, with history
  /// rebuilt at the new width. `cursor` is the main screen's cursor, moved
  /// to the same character.
  mutating func reflowMain(columns c: Int, rows r: Int, cursor: inout ReflowCursor) -> Grid {
    let old = mainGrid
    var history = Scrollback(limit: historyLimit)
    var line = LogicalLine(width: c)

    // History: logical lines that end in history go straight into the new one.
    for i in 0..<scrollback.count {
      scrollback.withLine(i) { cells, wrapped in
        line.add(cells, wrapped: wrapped, cursorX: nil)
        if !wrapped {
          _ = line.split(lastWrapped: false) { row, used, w in
            if let base = row.baseAddress { history.push(base, columns: c, used: used, wrapped: w) }
          }
        }
      }
    }

    // The screen, up to the last row that holds something or the cursor;
    // its rows are kept aside until it is known where the screen starts.
    let cursorY = min(max(cursor.y, 0), old.rows - 1)
    var last = old.rows - 1
    while last > cursorY && old.isBlank(last) { last -= 1 }
    var tail: [(cells: [Cell], used: Int, wrapped: Bool)] = []
    var cursorAt = (row: 0, column: 0, pending: false)
    // A pending wrap: the cursor is after its character.
    let cursorX = cursor.pendingWrap ? cursor.x + 1 : cursor.x
    for y in 0...last {
      let wrapped = old.isWrapped(y)
      let cells = UnsafeBufferPointer(start: old.readRow(y), count: old.columns)
      line.add(cells, wrapped: wrapped, cursorX: y == cursorY ? cursorX : nil)
      if !wrapped || y == last {
        let base = tail.count
        let found = line.split(lastWrapped: wrapped) { row, used, w in
          tail.append((Array(row), used, w))
        }
        if let f = found { cursorAt = (base + f.row, f.column, f.pending) }
      }
    }

    // The cursor keeps its screen row, unless what follows it would not fit.
    let kept = history.count
    let cursorRow = kept + cursorAt.row
    let top = max(0, cursorRow - cursorY, kept + tail.count - r)
    let new = Grid(columns: c, rows: r, keepsText: true)
    if top < kept {
      for k in stride(from: kept - top - 1, through: 0, by: -1) {
        history.popNewest { cells, wrapped in
          new.copyRow(k, from: cells)
          new.setWrapped(k, wrapped)
        }
      }
    }
    for (k, row) in tail.enumerated() {
      let at = kept + k - top
      row.cells.withUnsafeBufferPointer { cells in
        if at < 0 {
          if let base = cells.baseAddress {
            history.push(base, columns: c, used: row.used, wrapped: row.wrapped)
          }
        } else {
          new.copyRow(at, from: UnsafeBufferPointer(rebasing: cells[0..<row.used]))
          new.setWrapped(at, row.wrapped)
        }
      }
    }
    scrollback = history

    // When what follows the cursor takes more than the screen, its row went
    // to history: it goes to the top row instead, as in tmux.
    cursor.y = max(cursorRow - top, 0)
    cursor.x = cursorAt.column
    cursor.pendingWrap = cursorAt.pending
    return new
  }
}

/// Where the cursor of the main screen is, for reflow.
struct ReflowCursor {
  var x: Int
  var y: Int
  var pendingWrap: Bool
}

/// The cells of one logical line, gathered from its rows, and split again
/// into rows of a new width.
struct LogicalLine {
  let width: Int
  private var cells: [Cell] = []
  /// Index in `cells` of the cursor's cell, when the cursor is on this line.
  private var cursor: Int?
  /// Index of a plain blank that ended the last row added, when it wrapped:
  /// padding left by a wide character that did not fit, if one follows.
  private var padding: Int?
  /// One row being built, reused.
  private var row: [Cell]

  init(width: Int) {
    self.width = width
    row = [Cell](repeating: .blank(), count: width)
  }

  /// Adds a stored row: all of it when it wrapped, else up to its last
  /// character that is not a plain blank. `cursorX` (0...count) is the
  /// cursor's column on this row, which may be past that character.
  mutating func add(_ source: UnsafeBufferPointer<Cell>, wrapped: Bool, cursorX: Int?) {
    let plain = Cell.blank()
    if let p = padding, p == cells.count - 1, let first = source.first, first.width == 2 {
      cells.removeLast()
      if let c = cursor, c > p { cursor = c - 1 }
    }
    padding = nil
    var n = source.count
    if !wrapped {
      while n > 0 && source[n - 1] == plain { n -= 1 }
    }
    if let cx = cursorX {
      let column = min(max(cx, 0), source.count)
      cursor = cells.count + column
    }
    cells.append(contentsOf: source.prefix(n))
    if wrapped && n > 0 && source[n - 1] == plain { padding = cells.count - 1 }
  }

  /// Splits the line into rows: `emit(cells, used, wrapped)` for each, every
  /// row but the last wrapped, the last `lastWrapped`. Returns the cursor's
  /// row and column among them, if it is on the line; a cursor past the end
  /// of a full last row is at its last column with a wrap pending. The line
  /// is empty afterwards.
  mutating func split(
    lastWrapped: Bool, _ emit: (UnsafeBufferPointer<Cell>, Int, Bool) -> Void
  ) -> (row: Int, column: Int, pending: Bool)? {
    defer {
      cells.removeAll(keepingCapacity: true)
      cursor = nil
      padding = nil
    }
    var found: (row: Int, column: Int, pending: Bool)?
    var rowIndex = 0
    var column = 0
    let n = cells.count
    var i = 0
    while i < n {
      var cell = cells[i]
      var taken = 1
      if cell.width == 2 && i + 1 < n && cells[i + 1].width == 0 {
        taken = 2
      } else if cell.width != 1 {
        cell = .blank(cell.style)  // half of a wide character whose other half is gone
      }
      // A wide character fits on no row of a 1-column screen: a blank instead.
      var cellWidth = taken
      if taken == 2 && width < 2 {
        cell = .blank(cell.style)
        cellWidth = 1
      }
      if column + cellWidth > width {
        flush(column, wrapped: true, emit)
        rowIndex += 1
        column = 0
      }
      if let c = cursor, c >= i && c < i + taken {
        found = (rowIndex, min(column + (c - i), column + cellWidth - 1), false)
      }
      row[column] = cell
      if cellWidth == 2 { row[column + 1] = cells[i + 1] }
      column += cellWidth
      i += taken
      if column == width && i < n {
        flush(column, wrapped: true, emit)
        rowIndex += 1
        column = 0
      }
    }
    flush(column, wrapped: lastWrapped, emit)
    if found == nil, let c = cursor {
      // Past the end by `c - n` cells: as far on the last row as there is
      // room; at the end of a full row, with a wrap pending.
      let at = column + (c - n)
      found = at < width ? (rowIndex, at, false) : (rowIndex, width - 1, column == width)
    }
    return found
  }

  private mutating func flush(
    _ used: Int, wrapped: Bool, _ emit: (UnsafeBufferPointer<Cell>, Int, Bool) -> Void
  ) {
    for k in used..<width { row[k] = .blank() }
    row.withUnsafeBufferPointer { emit($0, used, wrapped) }
  }
}
