// Row storage of one screen (main or alternate): a fixed block of cells in
// physical rows, a map from visible row to physical row, and a soft-wrap flag
// per row. Scrolling rotates the map instead of moving cells, so a line feed at
// the bottom costs one row's clearing, not a screen's copying.
//
// Each row also knows its extent: every cell at or past it is a plain blank.
// Clearing a recycled row and encoding it into history then only touch the
// part that was written, which for scrolling text is about half a row.
// Whoever writes cells directly (the printing paths) reports the columns it
// wrote with `noteWritten`.
//
// A row may also be known to be uniform: every cell before its extent a
// narrow, unmarked ASCII character in one style (what printing plain text
// leaves), so history can encode it without looking at each cell's fields.
// Or, weaker, in one style: every cell before its extent in that style, of
// any scalar, width or marks (what printing mixed text leaves), so history
// need not compare styles. Only printASCII and printText keep that knowledge
// (through `rowForASCII` and `rowForText`); `row`, which every other writer
// goes through, forgets it. Readers that write nothing use `readRow`. Code
// here must not write cells other than through `row`.
//
// A row of the main screen may also carry its text: the bytes history would
// store for its cells, appended by printText as it writes characters left
// to right from column 0 in one style (see Scrollback's encoding). A line
// of mixed text then goes into history as one copy rather than being
// encoded cell by cell. The text is only trusted while the row is known to
// be in one style and the text covers exactly the row's extent; `row`, and
// printASCII through `rowForASCII`, drop it.
//
// Every method clamps its coordinates: callers pass values derived from
// program input, and nothing here may index out of range.

final class Grid {
  let columns: Int
  let rows: Int
  private let cells: UnsafeMutablePointer<Cell>
  private let lineMap: UnsafeMutablePointer<Int>
  /// Indexed by physical row, so the flag travels with its row when scrolling.
  private let wrappedFlags: UnsafeMutablePointer<Bool>
  /// By physical row: cells at or past this column are plain blanks.
  private let extents: UnsafeMutablePointer<Int>
  /// A row of plain blanks to copy from when clearing.
  private let blankRow: UnsafeMutablePointer<Cell>
  /// By physical row, what is known (see above) about it in `uniformStyles`.
  private let uniformFlags: UnsafeMutablePointer<RowKind>
  private let uniformStyles: UnsafeMutablePointer<Style>
  /// Whether rows keep their text (the main screen's, for history).
  let keepsText: Bool
  /// Bytes of text a row may hold: four a cell (two for a wide character's
  /// five), and room for marks and for eight-byte stores past the end.
  let textCapacity: Int
  /// By physical row, `textCapacity` bytes each; then one more row's worth
  /// that printText writes into while a row's text is not kept.
  private let texts: UnsafeMutablePointer<UInt8>
  /// By physical row, bytes of text, and the cells it covers (-1: no text).
  private let textLengths: UnsafeMutablePointer<Int>
  private let textCells: UnsafeMutablePointer<Int>

  init(columns: Int, rows: Int, keepsText: Bool = false) {
    self.columns = columns
    self.rows = rows
    cells = .allocate(capacity: columns * rows)
    cells.initialize(repeating: .blank(), count: columns * rows)
    lineMap = .allocate(capacity: rows)
    for y in 0..<rows { (lineMap + y).initialize(to: y) }
    wrappedFlags = .allocate(capacity: rows)
    wrappedFlags.initialize(repeating: false, count: rows)
    extents = .allocate(capacity: rows)
    extents.initialize(repeating: 0, count: rows)
    blankRow = .allocate(capacity: columns)
    blankRow.initialize(repeating: .blank(), count: columns)
    uniformFlags = .allocate(capacity: rows)
    uniformFlags.initialize(repeating: .unknown, count: rows)
    uniformStyles = .allocate(capacity: rows)
    uniformStyles.initialize(repeating: .plain, count: rows)
    self.keepsText = keepsText
    textCapacity = columns * 4 + 64
    // Only the spare row when no text is kept; untouched pages cost nothing.
    texts = .allocate(capacity: textCapacity * (keepsText ? rows + 1 : 1))
    textLengths = .allocate(capacity: rows)
    textLengths.initialize(repeating: 0, count: rows)
    textCells = .allocate(capacity: rows)
    textCells.initialize(repeating: -1, count: rows)
  }

  deinit {
    cells.deallocate()
    lineMap.deallocate()
    wrappedFlags.deallocate()
    extents.deallocate()
    blankRow.deallocate()
    uniformFlags.deallocate()
    uniformStyles.deallocate()
    texts.deallocate()
    textLengths.deallocate()
    textCells.deallocate()
  }

  /// Columns of row `y` that may hold something other than plain blanks.
  @inline(__always)
  func extent(_ y: Int) -> Int {
    y >= 0 && y < rows ? extents[lineMap[y]] : 0
  }

  /// Cells before column `end` of row `y` were written.
  @inline(__always)
  func noteWritten(_ y: Int, upTo end: Int) {
    guard y >= 0 && y < rows else { return }
    let p = lineMap[y]
    if extents[p] < end { extents[p] = min(end, columns) }
  }

  /// The cells of visible row `y` (0..<rows, unchecked: callers clamp), to
  /// write: the row is no longer known to be uniform.
  @inline(__always)
  func row(_ y: Int) -> UnsafeMutablePointer<Cell> {
    let p = lineMap[y]
    uniformFlags[p] = .unknown
    textCells[p] = -1
    return cells + p &* columns
  }

  /// The cells of visible row `y` (unchecked), only to read.
  @inline(__always)
  func readRow(_ y: Int) -> UnsafePointer<Cell> {
    UnsafePointer(cells + lineMap[y] &* columns)
  }

  /// Row `y` (unchecked) about to get printable ASCII in `style` from column
  /// `start` on, and nothing else: keeps track of whether it stays uniform.
  @inline(__always)
  func rowForASCII(_ y: Int, at start: Int, style: Style) -> UnsafeMutablePointer<Cell> {
    let p = lineMap[y]
    let e = extents[p]
    textCells[p] = -1
    if e == 0 {
      // Plain blanks so far: uniform if the blanks before `start` fit the style.
      uniformFlags[p] = start == 0 || style == .plain ? .uniform : .unknown
      uniformStyles[p] = style
    } else if uniformFlags[p] != .unknown
      && (uniformStyles[p] != style || (start > e && style != .plain))
    {
      uniformFlags[p] = .unknown
    }
    return cells + p &* columns
  }

  /// Row `y` (unchecked) about to get characters of any kind in `style`
  /// from column `start` on, written left to right without gaps (marks may
  /// join cells before `start`): keeps track of whether it stays in one style.
  @inline(__always)
  func rowForText(_ y: Int, at start: Int, style: Style) -> UnsafeMutablePointer<Cell> {
    let p = lineMap[y]
    let e = extents[p]
    if e == 0 {
      uniformFlags[p] = start == 0 || style == .plain ? .oneStyle : .unknown
      uniformStyles[p] = style
      textCells[p] = keepsText && start == 0 ? 0 : -1
      textLengths[p] = 0
    } else if uniformFlags[p] != .unknown {
      uniformFlags[p] =
        uniformStyles[p] != style || (start > e && style != .plain) ? .unknown : .oneStyle
    }
    return cells + p &* columns
  }

  // MARK: Text kept for history

  /// Where printText appends the text of what it writes on row `y` from
  /// `cursor` on (after rowForText); nil if the row's text is not kept,
  /// which it then no longer is (its room ends at textStart + textCapacity). Only
  /// appending at the row's extent keeps it: with autowrap, which the
  /// last column does not overwrite, and a cursor past any written cell
  /// (or on the last one, about to wrap).
  @inline(__always)
  func textForAppend(_ y: Int, at cursor: Int, pendingWrap: Bool, autowrap: Bool)
    -> UnsafeMutablePointer<UInt8>?
  {
    let p = lineMap[y]
    let cellsCovered = textCells[p]
    if autowrap && cellsCovered >= 0 && uniformFlags[p] == .oneStyle
      && cellsCovered == extents[p] && cellsCovered == (pendingWrap ? cursor &+ 1 : cursor)
    {
      return texts + p &* textCapacity + textLengths[p]
    }
    textCells[p] = -1
    return nil
  }

  /// Where printText writes what it would append while no text is kept.
  var spareText: UnsafeMutablePointer<UInt8> {
    texts + (keepsText ? rows : 0) &* textCapacity
  }

  /// The start of row `y`'s text buffer (unchecked).
  @inline(__always)
  func textStart(_ y: Int) -> UnsafeMutablePointer<UInt8> {
    texts + lineMap[y] &* textCapacity
  }

  /// printText appended up to `end`: the text now covers `cellsCovered` cells.
  @inline(__always)
  func textAppended(_ y: Int, end: UnsafeMutablePointer<UInt8>, cells cellsCovered: Int) {
    let p = lineMap[y]
    textLengths[p] = end - (texts + p &* textCapacity)
    textCells[p] = cellsCovered
  }

  /// Row `y`'s text is no longer kept.
  func dropText(_ y: Int) {
    guard y >= 0 && y < rows else { return }
    textCells[lineMap[y]] = -1
  }

  /// Row `y`'s text and the cells it covers, when it can stand for the
  /// row in history: in one style, covering exactly the row's extent.
  func text(_ y: Int) -> (UnsafeBufferPointer<UInt8>, cells: Int)? {
    guard y >= 0 && y < rows else { return nil }
    let p = lineMap[y]
    let covered = textCells[p]
    guard covered >= 0 && covered == extents[p] && uniformFlags[p] == .oneStyle else { return nil }
    return (UnsafeBufferPointer(start: texts + p &* textCapacity, count: textLengths[p]), covered)
  }

  /// The style of the written cells of row `y` when it is uniform.
  func uniformStyle(_ y: Int) -> Style? {
    guard y >= 0 && y < rows else { return nil }
    let p = lineMap[y]
    return uniformFlags[p] == .uniform ? uniformStyles[p] : nil
  }

  /// The style of every written cell of row `y` when it is known to be one.
  func oneStyle(_ y: Int) -> Style? {
    guard y >= 0 && y < rows else { return nil }
    let p = lineMap[y]
    return uniformFlags[p] != .unknown ? uniformStyles[p] : nil
  }

  @inline(__always)
  func isWrapped(_ y: Int) -> Bool {
    y >= 0 && y < rows && wrappedFlags[lineMap[y]]
  }

  @inline(__always)
  func setWrapped(_ y: Int, _ on: Bool) {
    guard y >= 0 && y < rows else { return }
    wrappedFlags[lineMap[y]] = on
  }

  /// Blanks the cells `x0..<x1` of row `y`, and the other half of any wide
  /// character cut at either end.
  func clear(row y: Int, from x0: Int, to x1: Int, with blank: Cell) {
    guard y >= 0 && y < rows else { return }
    let a = max(0, x0)
    let b = min(columns, x1)
    guard a < b else { return }
    let r = row(y)
    splitWide(r, a, b)
    let p = lineMap[y]
    if blank == blankRow[0] {
      let end = min(b, extents[p])
      if a < end { (r + a).update(from: blankRow, count: end &- a) }
      if b >= extents[p] { extents[p] = min(extents[p], a) }
    } else {
      (r + a).update(repeating: blank, count: b &- a)
      extents[p] = max(extents[p], b)
    }
  }

  /// Blanks whole rows `y0..<y1` and forgets that they wrapped.
  func clearRows(_ y0: Int, _ y1: Int, with blank: Cell) {
    let a = max(0, y0)
    let b = min(rows, y1)
    guard a < b else { return }
    let plain = blank == blankRow[0]
    for y in a..<b {
      let p = lineMap[y]
      if plain {
        row(y).update(from: blankRow, count: extents[p])
        extents[p] = 0
      } else {
        row(y).update(repeating: blank, count: columns)
        extents[p] = columns
      }
      wrappedFlags[p] = false
    }
  }

  /// Before cells `a..<b` of row `r` are overwritten: blanks the halves of
  /// wide characters that straddle `a` or `b`, which would be left orphaned.
  @inline(__always)
  func splitWide(_ r: UnsafeMutablePointer<Cell>, _ a: Int, _ b: Int) {
    if a > 0 && a < columns && r[a].width == 0 {
      r[a &- 1] = .blank(r[a &- 1].style)
    }
    if b < columns && b > 0 && r[b].width == 0 {
      r[b] = .blank(r[b].style)
    }
  }

  /// Scrolls rows `top...bottom` up by `count`: row `top` leaves, blank rows
  /// come in at `bottom`.
  func scrollUp(top: Int, bottom: Int, count: Int, blank: Cell) {
    let t = max(0, top)
    let b = min(rows &- 1, bottom)
    guard t <= b, count > 0 else { return }
    let n = min(count, b &- t &+ 1)
    rotate(t, b, by: n)
    clearRows(b &- n &+ 1, b &+ 1, with: blank)
  }

  /// Scrolls rows `top...bottom` down by `count`: blank rows come in at `top`.
  func scrollDown(top: Int, bottom: Int, count: Int, blank: Cell) {
    let t = max(0, top)
    let b = min(rows &- 1, bottom)
    guard t <= b, count > 0 else { return }
    let n = min(count, b &- t &+ 1)
    rotate(t, b, by: (b &- t &+ 1) &- n)
    clearRows(t, t &+ n, with: blank)
  }

  /// Rotates the visible rows `t...b` of the line map left by `n`.
  private func rotate(_ t: Int, _ b: Int, by n: Int) {
    let len = b &- t &+ 1
    guard n > 0 && n < len else { return }
    if n == 1 {
      let first = lineMap[t]
      (lineMap + t).update(from: lineMap + (t &+ 1), count: len &- 1)
      lineMap[b] = first
      return
    }
    reverse(t, t &+ n &- 1)
    reverse(t &+ n, b)
    reverse(t, b)
  }

  private func reverse(_ a: Int, _ b: Int) {
    var i = a
    var j = b
    while i < j {
      let tmp = lineMap[i]
      lineMap[i] = lineMap[j]
      lineMap[j] = tmp
      i &+= 1
      j &-= 1
    }
  }

  /// Inserts `count` blanks at column `x` of row `y`; cells pushed past the
  /// right margin are lost.
  func insertCells(row y: Int, at x: Int, count: Int, blank: Cell) {
    guard y >= 0 && y < rows && x >= 0 && x < columns && count > 0 else { return }
    let n = min(count, columns &- x)
    let r = row(y)
    splitWide(r, x, x)
    // A wide character whose right half would fall off the edge goes entirely.
    let lastKept = columns &- n &- 1
    if lastKept >= x && r[lastKept].width == 2 { r[lastKept] = .blank(r[lastKept].style) }
    if n < columns &- x {
      (r + (x &+ n)).update(from: r + x, count: columns &- x &- n)
    }
    (r + x).update(repeating: blank, count: n)
    let p = lineMap[y]
    extents[p] = blank == blankRow[0] ? min(columns, max(extents[p], x) &+ n) : columns
  }

  /// Deletes `count` cells at column `x` of row `y`; blanks come in at the right.
  func deleteCells(row y: Int, at x: Int, count: Int, blank: Cell) {
    guard y >= 0 && y < rows && x >= 0 && x < columns && count > 0 else { return }
    let n = min(count, columns &- x)
    let r = row(y)
    splitWide(r, x, x &+ n)
    if n < columns &- x {
      (r + x).update(from: r + (x &+ n), count: columns &- x &- n)
    }
    (r + (columns &- n)).update(repeating: blank, count: n)
    if blank != blankRow[0] { extents[lineMap[y]] = columns }
  }

  /// Copies visible row `y` of `other` into row `y2` of this grid, cut or
  /// padded to this width.
  func copyRow(_ y2: Int, from other: Grid, row y: Int) {
    guard y2 >= 0 && y2 < rows && y >= 0 && y < other.rows else { return }
    copyRow(y2, from: UnsafeBufferPointer(start: other.row(y), count: other.columns))
    setWrapped(y2, other.isWrapped(y) && other.columns <= columns)
  }

  /// Copies `source` into row `y`, cut or padded (with plain blanks) to this width.
  func copyRow(_ y: Int, from source: UnsafeBufferPointer<Cell>) {
    guard y >= 0 && y < rows, let base = source.baseAddress else { return }
    let r = row(y)
    let n = min(columns, source.count)
    r.update(from: base, count: n)
    if n < columns { (r + n).update(repeating: .blank(), count: columns &- n) }
    // A wide character cut in half by a narrower width is dropped.
    if n > 0 && r[n &- 1].width == 2 && (n == columns && source.count > columns) {
      r[n &- 1] = .blank(r[n &- 1].style)
    }
    wrappedFlags[lineMap[y]] = false
    extents[lineMap[y]] = n
  }

  /// True if row `y` holds only plain blanks.
  func isBlank(_ y: Int) -> Bool {
    guard y >= 0 && y < rows else { return true }
    let r = readRow(y)
    let plain = blankRow[0]
    for x in 0..<extents[lineMap[y]] where r[x] != plain { return false }
    return true
  }

  /// Why the grid breaks an invariant (tests check it after hostile input):
  /// cells past a row's extent must be plain blanks, and the halves of wide
  /// characters must come in pairs.
  func invariantViolation() -> String? {
    let plain = blankRow[0]
    for y in 0..<rows {
      let r = readRow(y)
      let e = extents[lineMap[y]]
      if e < 0 || e > columns { return "row \(y): extent \(e)" }
      for x in e..<columns where r[x] != plain { return "row \(y): cell \(x) past extent \(e)" }
      if let s = oneStyle(y) {
        for x in 0..<e where r[x].style != s {
          return "row \(y): cell \(x) breaks the row's one style"
        }
      }
      if let (bytes, covered) = text(y), let s = oneStyle(y) {
        var history = Scrollback(limit: 1)
        history.push(
          r, columns: columns, used: e, wrapped: false, oneStyle: s, text: bytes, textCells: covered
        )
        let same = history.withLine(0) { line, _ in
          // History keeps no decorations (HistoryEncoder).
          line.count == columns
            && (0..<e).allSatisfy {
              var c = r[$0]
              c.style.decoration = 0
              return line[$0] == c
            }
        }
        if !same { return "row \(y): its kept text does not match its cells" }
      }
      if let u = uniformStyle(y) {
        for x in 0..<e
        where r[x].scalar >= 0x80 || r[x].width != 1 || r[x].combining != 0
          || r[x].style != u
        {
          return "row \(y): cell \(x) breaks the row's uniform style"
        }
      }
      for x in 0..<columns {
        if r[x].width == 2 && (x + 1 >= columns || r[x + 1].width != 0) {
          return "row \(y): lone left half at \(x)"
        }
        if r[x].width == 0 && (x == 0 || r[x - 1].width != 2) {
          return "row \(y): lone right half at \(x)"
        }
      }
    }
    return nil
  }
}

/// What a row is known to hold before its extent (see the top of the file).
enum RowKind: UInt8 {
  case unknown
  /// Every cell in one style.
  case oneStyle
  /// Every cell a narrow, unmarked ASCII character in one style.
  case uniform
}
