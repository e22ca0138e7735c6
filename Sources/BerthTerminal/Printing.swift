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
    let cols = columns
    let cellStyle = style
    let packed = packedCells
    if !pendingWrap && x &+ count < cols {
      // The common case, a run that ends before the margin: nothing here
      // changes `grid`, so it is used without a retain (dense SGR prints a
      // few characters per call).
      let start = x
      let r = grid.rowForASCII(y, at: start, style: cellStyle)
      grid.splitWide(r, start, start &+ count)
      storeASCII(r + start, p, count, cellStyle, packed: packed)
      grid.noteWritten(y, upTo: start &+ count)
      x = start &+ count
      touch(y)
      lastGraphic = UInt32(p[count &- 1])
      joinNext = false
      return
    }
    let g = grid
    let autowrap = modeState.autowrap
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

  /// Prints the text at `p` (at most `n` bytes): printable ASCII and
  /// complete UTF-8 sequences, up to the first control, DEL, or incomplete or
  /// invalid sequence; returns the bytes used. Mixed text is written here in
  /// one loop with the cursor and row in locals: ASCII runs, characters of
  /// width 1 or 2 that fit on the row, and marks joining the cell before the
  /// cursor. Anything else (wrapping, C1 controls, emoji modifiers) goes
  /// through printScalar.
  ///
  /// On the main screen it also appends the text of what it writes to the
  /// row's kept text (see Grid), while the row allows: the UTF-8 bytes as
  /// they came, 0xF8 before a wide character, 0xFB and a key after a mark.
  mutating func printText(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    guard packedCells && charsets.active == .ascii && !modeState.insertMode else {
      return printTextSlowly(p, n)
    }
    let cols = columns
    let autowrap = modeState.autowrap
    let cellStyle = style
    let words = CellStoreWords(cellStyle)
    var cx = x
    var wrapPending = pendingWrap
    var join = joinNext
    var last = lastGraphic
    var r = grid.rowForText(y, at: cx, style: cellStyle)
    /// Columns written on the cursor's row since the locals were loaded.
    var written = 0
    // The row's kept text: where the next byte goes, whether it is kept
    // (if not, bytes go to a spare buffer, from its start each round), and
    // the cells it covered when loaded.
    let spare = grid.spareText
    var text = grid.textForAppend(y, at: cx, pendingWrap: wrapPending, autowrap: autowrap)
    var keepsText = text != nil
    var tw = text ?? spare
    var textFrom = wrapPending ? cx &+ 1 : cx
    /// Cells from here on are plain blanks, with no wide halves to split.
    /// With autowrap the cursor never goes back over what this loop wrote;
    /// without, it may stay on the last column, so that is always checked.
    var clean = autowrap ? grid.extent(y) : cols
    var i = 0
    while i < n {
      if !keepsText { tw = spare }
      let b0 = p[i]
      var scalar = UInt32(b0)
      /// The character's bytes, first in the low byte.
      var bytes = UInt32(b0)
      var width = 1
      var length = 1
      if b0 < 0x80 {
        guard b0 >= 0x20 && b0 != 0x7F else { break }
        if !wrapPending {
          // A run of ASCII up to the margin. Halves of wide characters cut
          // at either end become blanks (splitWide, with the bounds known).
          let check = cx < clean
          if check && cx > 0 && r[cx].width == 0 { r[cx &- 1] = .blank(r[cx &- 1].style) }
          var c = b0
          let runStart = cx
          while true {
            words.store(r + cx, scalar: UInt32(c), width: 1)
            tw[cx &- runStart] = c
            cx &+= 1
            i &+= 1
            guard i < n && cx < cols else { break }
            c = p[i]
            guard c >= 0x20 && c < 0x7F else { break }
          }
          if check && cx < cols && r[cx].width == 0 { r[cx] = .blank(r[cx].style) }
          tw += cx &- runStart
          last = UInt32(p[i &- 1])
          join = false
          if cx > written { written = cx }
          if cx == cols {
            cx = cols &- 1
            wrapPending = autowrap
          }
          continue
        }
      } else {
        // Decoded here rather than by decodeUTF8: the same checks, but each
        // length on a path of its own, and inlined.
        if b0 < 0xE0 {
          guard b0 >= 0xC2 && i &+ 1 < n else { break }
          let b1 = p[i &+ 1]
          guard b1 & 0xC0 == 0x80 else { break }
          scalar = UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F)
          bytes |= UInt32(b1) << 8
          length = 2
          // Latin, Greek, Cyrillic and marks mixed: the table, not a branch.
          width = CharWidth.fromTable(scalar)
        } else if b0 < 0xF0 {
          guard i &+ 2 < n else { break }
          // Both continuation bytes in one load and one test.
          let c = UInt32(
            UInt16(littleEndian: UnsafeRawPointer(p + (i &+ 1)).loadUnaligned(as: UInt16.self)))
          guard c & 0xC0C0 == 0x8080 else { break }
          scalar = UInt32(b0 & 0x0F) << 12 | (c & 0x3F) << 6 | (c >> 8) & 0x3F
          // Only E0 (overlong below U+0800) and ED (surrogates) need more.
          if (0x2001 as UInt32) >> (b0 & 0x0F) & 1 != 0 {
            guard scalar >= 0x800 && scalar & 0xF800 != 0xD800 else { break }
          }
          bytes |= c << 8
          length = 3
          width = CharWidth.isCommonWide(scalar) ? 2 : CharWidth.fromTable(scalar)
        } else {
          guard b0 <= 0xF4 && i &+ 3 < n else { break }
          let b1 = p[i &+ 1]
          let b2 = p[i &+ 2]
          let b3 = p[i &+ 3]
          scalar =
            UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6
            | UInt32(b3 & 0x3F)
          // Continuations, not overlong (F0 80...8F), not past U+10FFFF (F4 90...).
          guard
            (b1 & b2 & b3) & 0xC0 == 0x80 && (b1 | b2 | b3) & 0x40 == 0
              && scalar &- 0x10000 < 0x10_0000
          else { break }
          bytes |= UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
          length = 4
          width = CharWidth.fromTable(scalar)
        }
        if width == 0 || (join && scalar >= 0x300) {
          if !wrapPending && cx > 0 {
            // A mark joining the cell before the cursor (combine, inline).
            var px = cx &- 1
            if px > 0 && r[px].width == 0 { px &-= 1 }
            let key = combining.appending(scalar, to: r[px].combining)
            r[px].combining = key
            if keepsText {
              // The kept text ends with the cell at px: its new key after it,
              // if that leaves room for the rest of the row.
              if tw + (6 &+ 8 &+ 4 &* (cols &- cx)) <= grid.textStart(y) + grid.textCapacity {
                tw[0] = 0xFB
                tw += 1
                var v = key
                while v >= 0x80 {
                  tw[0] = UInt8(truncatingIfNeeded: v) | 0x80
                  tw += 1
                  v >>= 7
                }
                tw[0] = UInt8(truncatingIfNeeded: v)
                tw += 1
              } else {
                keepsText = false
                grid.dropText(y)
              }
            }
            join = scalar == 0x200D
            if px &+ 1 > written { written = px &+ 1 }
            i &+= length
            continue
          }
          width = -1  // the general path
        }
      }
      if wrapPending || width < 0 || scalar &- 0x80 < 0x20 || cx &+ width > cols
        || scalar &- 0x1F3FB <= 4
      {
        // The general path: store the locals, print, load them again.
        x = cx
        pendingWrap = wrapPending
        lastGraphic = last
        joinNext = join
        if keepsText { grid.textAppended(y, end: tw, cells: max(written, textFrom)) }
        if written > 0 {
          grid.noteWritten(y, upTo: written)
          touch(y)
          written = 0
        }
        printScalar(scalar)
        i &+= length
        cx = x
        wrapPending = pendingWrap
        join = joinNext
        last = lastGraphic
        r = grid.rowForText(y, at: cx, style: cellStyle)
        clean = autowrap ? grid.extent(y) : cols
        text = grid.textForAppend(y, at: cx, pendingWrap: wrapPending, autowrap: autowrap)
        keepsText = text != nil
        tw = text ?? spare
        textFrom = wrapPending ? cx &+ 1 : cx
        continue
      }
      let end = cx &+ width
      if cx < clean {
        if cx > 0 && r[cx].width == 0 { r[cx &- 1] = .blank(r[cx &- 1].style) }
        if end < cols && r[end].width == 0 { r[end] = .blank(r[end].style) }
      }
      words.store(r + cx, scalar: scalar, width: width)
      // The bytes, after 0xF8 if wide, in one store (the buffers have room).
      let wideMark = width &- 1
      UnsafeMutableRawPointer(tw).storeBytes(
        of: (UInt64(bytes) << (wideMark &* 8) | UInt64(wideMark &* 0xF8)).littleEndian,
        as: UInt64.self)
      tw += length &+ wideMark
      i &+= length
      last = scalar
      join = false
      if width == 2 {
        words.store(r + (cx &+ 1), scalar: 0x20, width: 0)
      }
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
    joinNext = join
    if keepsText { grid.textAppended(y, end: tw, cells: max(written, textFrom)) }
    if written > 0 {
      grid.noteWritten(y, upTo: written)
      touch(y)
    }
    return i
  }

  /// printText for another character set, insert mode, or a cell layout
  /// that cannot be stored as words: a scalar at a time.
  private mutating func printTextSlowly(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = 0
    while i < n {
      let b = p[i]
      if b < 0x80 {
        guard b >= 0x20 && b != 0x7F else { break }
        printScalar(charsets.active.translate(b))
        i &+= 1
        continue
      }
      let decoded = TerminalCore.decodeUTF8(p + i, n &- i)
      guard decoded != 0 else { break }
      i &+= Int(truncatingIfNeeded: decoded >> 32)
      printScalar(UInt32(truncatingIfNeeded: decoded))
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
