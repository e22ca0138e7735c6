// Screen operations: cursor movement, line feeds and scrolling within the
// scroll region (feeding history), erasing, inserting and deleting cells and
// lines, and the alternate screen. Every change bumps the versions of the rows
// it touched; anything that moves rows bumps every row it moved.
//
// Where xterm and tmux differ, tmux wins (it is the reference renderer): a
// pending wrap acts as if the cursor were one column past the margin, so
// EL 0 there erases nothing and EL 1 the whole line, and LF keeps it pending.

extension TerminalCore {
  // MARK: Cursor

  /// The cursor column as tmux sees it: one past the margin when a wrap is pending.
  var logicalX: Int { pendingWrap ? columns : x }

  /// Moves to column `cx`, row `cy` (relative to the scroll region in origin mode).
  mutating func moveCursor(column cx: Int, row cy: Int) {
    x = min(max(cx, 0), columns - 1)
    if modeState.originMode {
      y = min(max(scrollTop + cy, scrollTop), scrollBottom)
    } else {
      y = min(max(cy, 0), rows - 1)
    }
    pendingWrap = false
  }

  mutating func cursorUp(_ n: Int) {
    let limit = y >= scrollTop ? scrollTop : 0
    y = max(y - n, limit)
    pendingWrap = false
  }

  mutating func cursorDown(_ n: Int) {
    let limit = y <= scrollBottom ? scrollBottom : rows - 1
    y = min(y + n, limit)
    pendingWrap = false
  }

  mutating func cursorForward(_ n: Int) {
    x = min(x + n, columns - 1)
    pendingWrap = false
  }

  mutating func cursorBackward(_ n: Int) {
    x = max(logicalX - n, 0)
    pendingWrap = false
  }

  /// BS: one column left; at column 0 of a row that continues a wrapped one,
  /// to the end of the row above (as tmux does).
  mutating func backspace() {
    if pendingWrap {
      pendingWrap = false
    } else if x > 0 {
      x -= 1
    } else if y > 0 && grid.isWrapped(y - 1) {
      y -= 1
      x = columns - 1
    }
  }

  mutating func carriageReturn() {
    x = 0
    pendingWrap = false
  }

  /// HT: to the next tab stop, or the last column.
  mutating func tabForward(_ n: Int) {
    guard !pendingWrap else { return }
    var count = n
    while count > 0 && x < columns - 1 {
      x += 1
      while x < columns - 1 && !tabStops[x] { x += 1 }
      count -= 1
    }
  }

  /// CBT: back to the previous tab stop, or the first column.
  mutating func tabBackward(_ n: Int) {
    var count = n
    pendingWrap = false
    while count > 0 && x > 0 {
      x -= 1
      while x > 0 && !tabStops[x] { x -= 1 }
      count -= 1
    }
  }

  /// The cursor as DECSC saves it.
  var currentCursor: SavedCursor {
    SavedCursor(
      x: x, y: y, pendingWrap: pendingWrap, style: style, charsets: charsets,
      originMode: modeState.originMode)
  }

  mutating func restoreCursor(from saved: SavedCursor) {
    x = min(saved.x, columns - 1)
    y = min(saved.y, rows - 1)
    pendingWrap = saved.pendingWrap && x == columns - 1
    style = saved.style
    charsets = saved.charsets
    modeState.originMode = saved.originMode
  }

  /// DECSC and DECRC keep one saved cursor per screen.
  mutating func saveCursor() {
    if grid === altGrid { savedAlt = currentCursor } else { savedMain = currentCursor }
  }

  mutating func restoreCursor() {
    restoreCursor(from: grid === altGrid ? savedAlt : savedMain)
  }

  // MARK: Line feeds and scrolling

  /// LF, IND and wrapping: down one row, scrolling at the region's bottom.
  mutating func lineFeed() {
    if y == scrollBottom {
      scrollUp(1)
    } else if y < rows - 1 {
      y += 1
    }
  }

  /// RI: up one row, scrolling down at the region's top.
  mutating func reverseIndex() {
    if y == scrollTop {
      scrollDown(1)
    } else if y > 0 {
      y -= 1
    }
  }

  /// Scrolls the region up; on the main screen, lines leaving row 0 go to history.
  mutating func scrollUp(_ n: Int) {
    let count = min(max(n, 1), scrollBottom - scrollTop + 1)
    if scrollTop == 0 && grid === mainGrid && historyLimit > 0 {
      for k in 0..<count {
        let text = grid.text(k)
        scrollback.push(
          grid.readRow(k), columns: columns, used: grid.extent(k), wrapped: grid.isWrapped(k),
          uniform: grid.uniformStyle(k), oneStyle: grid.oneStyle(k), text: text?.0,
          textCells: text?.cells ?? 0)
      }
    }
    grid.scrollUp(top: scrollTop, bottom: scrollBottom, count: count, blank: eraseBlank)
    touch(scrollTop, through: scrollBottom)
  }

  mutating func scrollDown(_ n: Int) {
    let count = min(max(n, 1), scrollBottom - scrollTop + 1)
    grid.scrollDown(top: scrollTop, bottom: scrollBottom, count: count, blank: eraseBlank)
    touch(scrollTop, through: scrollBottom)
  }

  /// IL: blank lines at the cursor row, pushing the rest of the region down.
  /// Outside the region, the rest of the screen is the region (as tmux does).
  mutating func insertLines(_ n: Int) {
    let bottom = y >= scrollTop && y <= scrollBottom ? scrollBottom : rows - 1
    grid.scrollDown(top: y, bottom: bottom, count: n, blank: eraseBlank)
    touch(y, through: bottom)
  }

  /// DL: removes lines at the cursor row; blank lines come in at the bottom.
  mutating func deleteLines(_ n: Int) {
    let bottom = y >= scrollTop && y <= scrollBottom ? scrollBottom : rows - 1
    grid.scrollUp(top: y, bottom: bottom, count: n, blank: eraseBlank)
    touch(y, through: bottom)
  }

  // MARK: Erasing

  /// ED.
  mutating func eraseInDisplay(_ mode: Int) {
    switch mode {
    case 0:
      if x == 0 && y == 0 && !pendingWrap {
        clearScreenIntoHistory()
        return
      }
      eraseInLine(0)
      grid.clearRows(y + 1, rows, with: eraseBlank)
      touch(y + 1, through: rows - 1)
    case 1:
      grid.clearRows(0, y, with: eraseBlank)
      touch(0, through: y - 1)
      eraseInLine(1)
    case 2:
      clearScreenIntoHistory()
    case 3:
      scrollback.removeAll()
    default:
      break
    }
  }

  /// Clears the whole screen; on the main screen its lines up to the last
  /// non-blank one go to history first (tmux's scroll-on-clear).
  private mutating func clearScreenIntoHistory() {
    if grid === mainGrid && historyLimit > 0 {
      var last = rows - 1
      while last >= 0 && grid.isBlank(last) { last -= 1 }
      if last >= 0 {
        for k in 0...last {
          scrollback.push(
            grid.row(k), columns: columns, used: grid.extent(k), wrapped: grid.isWrapped(k))
        }
      }
    }
    grid.clearRows(0, rows, with: eraseBlank)
    touchAll()
  }

  /// EL.
  mutating func eraseInLine(_ mode: Int) {
    switch mode {
    case 0:
      guard !pendingWrap else { return }
      grid.clear(row: y, from: x, to: columns, with: eraseBlank)
      grid.setWrapped(y, false)
    case 1:
      grid.clear(row: y, from: 0, to: logicalX + 1, with: eraseBlank)
    case 2:
      grid.clear(row: y, from: 0, to: columns, with: eraseBlank)
      grid.setWrapped(y, false)
    default:
      return
    }
    touch(y)
  }

  /// ECH: blanks `n` cells from the cursor, which stays.
  mutating func eraseCharacters(_ n: Int) {
    guard !pendingWrap else { return }
    grid.clear(row: y, from: x, to: x + min(n, columns), with: eraseBlank)
    touch(y)
  }

  /// ICH.
  mutating func insertCharacters(_ n: Int) {
    guard !pendingWrap else { return }
    grid.insertCells(row: y, at: x, count: n, blank: eraseBlank)
    touch(y)
  }

  /// DCH.
  mutating func deleteCharacters(_ n: Int) {
    guard !pendingWrap else { return }
    grid.deleteCells(row: y, at: x, count: n, blank: eraseBlank)
    touch(y)
  }

  /// DECALN: the screen full of E, for alignment.
  mutating func screenAlignment() {
    scrollTop = 0
    scrollBottom = rows - 1
    let e = Cell(scalar: 0x45)
    for r in 0..<rows {
      grid.row(r).update(repeating: e, count: columns)
      grid.noteWritten(r, upTo: columns)
      grid.setWrapped(r, false)
    }
    moveCursor(column: 0, row: 0)
    touchAll()
  }

  // MARK: Scroll region and screens

  /// DECSTBM: `top` and `bottom` are 1-based; 0 means the screen's edge.
  mutating func setScrollRegion(top: Int, bottom: Int) {
    let t = max(top, 1) - 1
    let b = bottom == 0 ? rows - 1 : min(bottom, rows) - 1
    guard t < b else { return }
    scrollTop = t
    scrollBottom = b
    moveCursor(column: 0, row: 0)
  }

  /// Shows the alternate screen (cleared) or the main one again. With
  /// `saveCursor` (1049) the cursor is saved on the way in and restored on
  /// the way out, in a slot of its own so DECSC inside does not disturb it.
  /// `CSI ? 1049 l` on the main screen still restores the cursor 1049 saved
  /// (xterm and tmux do; `dialog` relies on it when it exits).
  mutating func setAlternateScreen(_ on: Bool, saveCursor save: Bool) {
    guard on != modeState.alternateScreen else {
      if !on && save && hasSavedForAltScreen { restoreCursor(from: savedForAltScreen) }
      return
    }
    if on {
      if save {
        savedForAltScreen = currentCursor
        hasSavedForAltScreen = true
      }
      makeAltGrid()
      altGrid.clearRows(0, rows, with: .blank())
      grid = altGrid
    } else {
      grid = mainGrid
      altGrid = TerminalCore.noAltGrid()
      if save { restoreCursor(from: savedForAltScreen) }
    }
    modeState.alternateScreen = on
    joinNext = false
    touchAll()
  }
}
