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
    let packed = RawCellWords.layoutMatches
    var src = p
    var left = count
    while left > 0 {
      if pendingWrap {
        pendingWrap = false
        if autowrap { wrapToNextLine() }
      }
      let start = x
      let r = g.rowForASCII(y, at: start, style: cellStyle)
      let k = min(cols &- start, left)
      g.splitWide(r, start, start &+ k)
      storeASCII(r + start, src, k, cellStyle, packed: packed)
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

  /// Prints the complete UTF-8 sequences at `p` (at most `n` bytes) up to
  /// the first ASCII byte or incomplete or invalid sequence; returns the
  /// bytes used. Characters of width 1 or 2 that fit on the row are written
  /// here with the cursor in locals; anything else goes through printScalar.
  mutating func printUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    let g = grid
    let cols = columns
    let autowrap = modeState.autowrap
    let insert = modeState.insertMode
    let cellStyle = style
    let rightHalf = Cell(scalar: 0x20, combining: 0, style: cellStyle, width: 0)
    var cx = x
    var wrapPending = pendingWrap
    var join = joinNext
    var last = lastGraphic
    var r = g.row(y)
    /// Columns written on the cursor's row since the locals were loaded.
    var written = 0
    var i = 0
    while i < n && p[i] >= 0x80 {
      let decoded = TerminalCore.decodeUTF8(p + i, n &- i)
      guard decoded != 0 else { break }
      i &+= Int(truncatingIfNeeded: decoded >> 32)
      let scalar = UInt32(truncatingIfNeeded: decoded)
      let width = CharWidth.of(scalar)
      if scalar < 0xA0 || width == 0 || wrapPending || insert || join
        || cx &+ width > cols
        || (scalar >= 0x1F3FB && scalar <= 0x1F3FF)
      {
        // The general path: store the locals, print, load them again.
        x = cx
        pendingWrap = wrapPending
        lastGraphic = last
        if written > 0 {
          g.noteWritten(y, upTo: written)
          touch(y)
          written = 0
        }
        printScalar(scalar)
        cx = x
        wrapPending = pendingWrap
        join = joinNext
        last = lastGraphic
        r = g.row(y)
        continue
      }
      // Halves of wide characters cut by this one become blanks (splitWide,
      // with the bounds known).
      if cx > 0 && r[cx].width == 0 { r[cx &- 1] = .blank(r[cx &- 1].style) }
      let end = cx &+ width
      if end < cols && r[end].width == 0 { r[end] = .blank(r[end].style) }
      r[cx] = Cell(
        scalar: scalar, combining: 0, style: cellStyle, width: UInt8(truncatingIfNeeded: width))
      if width == 2 { r[cx &+ 1] = rightHalf }
      last = scalar
      if end > written { written = end }
      if end < cols {
        cx = end
      } else {
        cx = cols &- 1
        wrapPending = autowrap
      }
    }
    x = cx
    pendingWrap = wrapPending
    lastGraphic = last
    if written > 0 {
      g.noteWritten(y, upTo: written)
      touch(y)
      joinNext = false
    }
    return i
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
