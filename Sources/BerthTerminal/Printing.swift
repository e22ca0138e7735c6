// Putting characters on the screen: runs of ASCII (the fast path), single
// scalars of width 1 or 2, and zero-width scalars that join the cell before
// the cursor. Wrapping follows xterm: printing the last column leaves the
// cursor there with a pending wrap, and the next character wraps first.

extension TerminalCore {
  /// A blank for erasing and scrolling: the current background only (BCE).
  var eraseBlank: Cell {
    style.background.isDefault ? .blank() : .blank(Style(background: style.background))
  }

  /// Prints `count` bytes of printable ASCII (0x20...0x7E).
  mutating func printASCII(_ p: UnsafePointer<UInt8>, _ count: Int) {
    let active = charsets.active
    if active != .ascii || modeState.insertMode {
      for k in 0..<count { printScalar(active.translate(p[k])) }
      return
    }
    let g = grid
    let cols = columns
    let cellStyle = style
    let autowrap = modeState.autowrap
    var src = p
    var left = count
    while left > 0 {
      if pendingWrap {
        pendingWrap = false
        if autowrap { wrapToNextLine() }
      }
      let r = g.row(y)
      let start = x
      let k = min(cols &- start, left)
      g.splitWide(r, start, start &+ k)
      var j = 0
      while j < k {
        r[start &+ j] = Cell(scalar: UInt32(src[j]), combining: 0, style: cellStyle, width: 1)
        j &+= 1
      }
      g.noteWritten(y, upTo: start &+ k)
      src += k
      left &-= k
      if start &+ k >= cols {
        x = cols &- 1
        if autowrap {
          pendingWrap = true
        } else if left > 0 {
          // Without autowrap the rest lands on the last column; the last one stays.
          r[cols &- 1] = Cell(
            scalar: UInt32(src[left &- 1]), combining: 0, style: cellStyle, width: 1)
          left = 0
        }
      } else {
        x = start &+ k
      }
      touch(y)
    }
    lastGraphic = UInt32(p[count &- 1])
    joinNext = false
  }

  /// Prints one scalar, joining it to the previous cell when it has no width
  /// of its own (combining marks, ZWJ and what follows a ZWJ, emoji modifiers).
  mutating func printScalar(_ scalar: UInt32) {
    if scalar >= 0x7F && scalar < 0xA0 { return }  // DEL and C1 controls never print
    var width = 1
    if scalar >= 0x300 {
      if joinNext {
        combine(scalar)
        return
      }
      width = CharWidth.of(scalar)
      if width == 0 || (scalar >= 0x1F3FB && scalar <= 0x1F3FF && previousCellIsWide()) {
        combine(scalar)
        return
      }
    }
    joinNext = false
    put(scalar, width: width)
  }

  /// Writes a character of `width` cells at the cursor and advances it.
  private mutating func put(_ scalar: UInt32, width: Int) {
    guard width <= columns else { return }  // a wide character on a 1-column screen
    if pendingWrap {
      pendingWrap = false
      if modeState.autowrap { wrapToNextLine() }
    }
    if width == 2 && x == columns &- 1 {
      // A wide character does not fit at the margin: it wraps first, or is dropped.
      guard modeState.autowrap else { return }
      wrapToNextLine()
    }
    if modeState.insertMode {
      grid.insertCells(row: y, at: x, count: width, blank: eraseBlank)
    }
    let r = grid.row(y)
    grid.splitWide(r, x, x &+ width)
    r[x] = Cell(scalar: scalar, combining: 0, style: style, width: UInt8(width))
    if width == 2 {
      r[x &+ 1] = Cell(scalar: 0x20, combining: 0, style: style, width: 0)
    }
    grid.noteWritten(y, upTo: x &+ width)
    touch(y)
    lastGraphic = scalar
    x &+= width
    if x >= columns {
      x = columns &- 1
      pendingWrap = modeState.autowrap
    }
  }

  /// Marks the cursor's row as continuing on the next one and moves there.
  mutating func wrapToNextLine() {
    grid.setWrapped(y, true)
    lineFeed()
    x = 0
  }

  /// Column of the cell a zero-width scalar joins: the one before the cursor
  /// (the cursor's own when a wrap is pending), the left half of a wide one.
  private mutating func previousCellX() -> Int? {
    var px: Int
    if pendingWrap {
      px = x
    } else {
      guard x > 0 else { return nil }
      px = x &- 1
    }
    if px > 0 && grid.row(y)[px].width == 0 { px &-= 1 }
    return px
  }

  private mutating func previousCellIsWide() -> Bool {
    guard let px = previousCellX() else { return false }
    return grid.row(y)[px].width == 2
  }

  /// Joins `mark` to the cell before the cursor; dropped at the line start.
  private mutating func combine(_ mark: UInt32) {
    guard let px = previousCellX() else {
      joinNext = false
      return
    }
    let r = grid.row(y)
    var cell = r[px]
    cell.combining = combining.appending(mark, to: cell.combining)
    joinNext = mark == 0x200D
    // VS16 stays a mark and leaves its base as wide as it was: tmux and
    // xterm both lay out by code point, and the client draws what they do.
    r[px] = cell
    grid.noteWritten(y, upTo: px &+ 1)  // the base may be a blank never written
    touch(y)
  }
}
