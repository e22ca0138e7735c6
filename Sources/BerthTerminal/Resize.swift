// Resizing. A width change reflows the main screen and its history
// (Reflow.swift). Otherwise, and always for the alternate screen, the
// content keeps its top-left corner, as in xterm and tmux: getting shorter
// first drops blank rows below the cursor, then pushes rows from the top into
// history (main screen) so the cursor's row stays in view; getting taller
// pulls lines back from history. The alternate screen's rows are cut or
// padded to the new width.

extension TerminalCore {
  mutating func resize(columns newColumns: Int, rows newRows: Int) {
    let (c, r) = TerminalCore.clamp(newColumns, newRows)
    guard c != columns || r != rows else { return }
    // Both at once: the height first, as xterm does it (pulling back lines a
    // shorter screen pushed into history), then the width's reflow. So a
    // region split and unsplit gives back the screen it had.
    if c != columns && r != rows {
      resize(columns: columns, rows: r)
      resize(columns: c, rows: r)
      return
    }

    let onAlt = grid === altGrid
    var mainCursorY = onAlt ? savedForAltScreen.y : y
    if c != columns {
      var cursor = ReflowCursor(
        x: onAlt ? savedForAltScreen.x : x, y: mainCursorY,
        pendingWrap: onAlt ? savedForAltScreen.pendingWrap : pendingWrap)
      mainGrid = reflowMain(columns: c, rows: r, cursor: &cursor)
      mainCursorY = cursor.y
      if onAlt {
        savedForAltScreen.x = cursor.x
        savedForAltScreen.pendingWrap = cursor.pendingWrap
      } else {
        x = cursor.x
        pendingWrap = cursor.pendingWrap
      }
    } else {
      mainGrid = resized(mainGrid, columns: c, rows: r, cursorY: &mainCursorY, history: true)
    }
    var altCursorY = onAlt ? y : 0
    altGrid =
      onAlt
      ? resized(altGrid, columns: c, rows: r, cursorY: &altCursorY, history: false)
      : TerminalCore.noAltGrid()
    grid = onAlt ? altGrid : mainGrid
    if onAlt {
      y = altCursorY
      savedForAltScreen.y = mainCursorY
    } else {
      y = mainCursorY
    }

    var stops = TerminalCore.defaultTabStops(c)
    for i in 0..<min(c, columns) { stops[i] = tabStops[i] }
    tabStops = stops
    columns = c
    rows = r
    scrollTop = 0
    scrollBottom = r - 1
    if x >= c || (pendingWrap && x != c - 1) {
      x = min(x, c - 1)
      pendingWrap = false
    }
    y = min(max(y, 0), r - 1)
    joinNext = false
    versions = versions.resized(rows: r)
  }

  /// A copy of `old` at the new size; `cursorY` follows its row.
  private mutating func resized(
    _ old: Grid, columns c: Int, rows r: Int, cursorY: inout Int, history: Bool
  ) -> Grid {
    let new = Grid(columns: c, rows: r, keepsText: history)
    var dropTop = 0
    var pulled = 0
    if r < old.rows {
      var excess = old.rows - r
      var bottom = old.rows - 1
      while excess > 0 && bottom > cursorY && old.isBlank(bottom) {
        bottom -= 1
        excess -= 1
      }
      dropTop = excess
      if history && historyLimit > 0 {
        for k in 0..<dropTop {
          scrollback.push(
            old.row(k), columns: old.columns, used: old.extent(k), wrapped: old.isWrapped(k))
        }
      }
    } else if r > old.rows && history {
      pulled = min(r - old.rows, scrollback.count)
      var k = pulled - 1
      while k >= 0 {
        let row = k
        scrollback.popNewest { cells, wrapped in
          new.copyRow(row, from: cells)
          new.setWrapped(row, wrapped && cells.count <= c)
        }
        k -= 1
      }
    }
    let keep = min(old.rows - dropTop, r - pulled)
    for k in 0..<max(keep, 0) {
      new.copyRow(pulled + k, from: old, row: dropTop + k)
    }
    cursorY = min(max(cursorY - dropTop + pulled, 0), r - 1)
    return new
  }
}
