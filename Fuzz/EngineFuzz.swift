// libFuzzer entry point over the terminal engine (BerthTerminal), built by
// scripts/fuzz.sh against a copy of the module compiled with -enable-testing,
// so that the grid's own invariant check can be used.
//
// Input layout:
//   byte 0      columns: 1 + b % 132
//   byte 1      rows: 1 + b % 50
//   byte 2      history limit: b % 48 (0 keeps no history)
//   byte 3      bit 0: SGR 3 is standout; bits 1-2: how the stream is split
//               (in equal parts, one more than the resizes; byte by byte;
//               pieces of 1...16; pieces of 1...512); bits 3-5: resizes
//               (0...7, at random piece boundaries); bit 6: also change the
//               history limit before each resize; bit 7: check row versions
//               after each piece (when the screen and piece count are small)
//   bytes 4-7   seed of the generator that picks split points and new sizes
//   the rest    program output, fed in pieces
// Shorter inputs are padded with zeros, so anything is a valid input.
//
// Unless the stream is fed in equal parts, a twin terminal is fed the same
// bytes with only the resizes as boundaries: screen, history, cursor, modes,
// title, replies and bells must come out the same (any bytes, in any split).
//
// After each piece: the cursor is on the screen, history within its limit,
// the size is what was asked, and (bit 7) no visible row changed without its
// version changing. At every resize and at the end: both grids pass their
// invariant check, every row reads back as exactly `columns` cells, marks of
// combining cells exist, history rows decode within the widest width seen,
// hardcopy has one line per row, and history memory stays within a bound that
// depends on the limit and width only, never on how much was fed.

@testable import BerthTerminal

/// SplitMix64, as in the unit tests: cheap and well mixed.
private struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// A broken invariant: say which, then trap so libFuzzer records the input.
private func fail(_ message: String) -> Never {
  print("EngineFuzz invariant broken: \(message)")
  fatalError(message)
}

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
  if !condition() { fail(message()) }
}

private let maxColumns = 132
private let maxRows = 50

private struct Harness {
  let t: Terminal
  var columns: Int
  var rows: Int
  var widestColumns: Int
  /// Visible rows and their versions after the previous piece (bit 7).
  var lastCells: [Cell] = []
  var lastVersions: [UInt64] = []
  var trackVersions: Bool
  /// A second terminal fed each stretch between resizes in one piece: the
  /// split must not matter (nil when the stream is not split).
  let twin: Terminal?
  var segment: [UInt8] = []
  var replies: [UInt8] = []
  var bells = 0

  init(columns: Int, rows: Int, history: Int, trackVersions: Bool, twin: Bool) {
    t = Terminal(columns: columns, rows: rows, historyLimit: history)
    self.twin = twin ? Terminal(columns: columns, rows: rows, historyLimit: history) : nil
    self.columns = columns
    self.rows = rows
    widestColumns = columns
    self.trackVersions = trackVersions
    check(t.columns == columns && t.rows == rows, "initial size \(t.columns)x\(t.rows)")
    snapshot()
  }

  mutating func snapshot() {
    guard trackVersions else { return }
    lastCells.removeAll(keepingCapacity: true)
    lastVersions.removeAll(keepingCapacity: true)
    for y in 0..<rows {
      t.withRow(y) { lastCells.append(contentsOf: $0) }
      lastVersions.append(t.rowVersion(y))
    }
  }

  /// Cheap checks after every piece.
  mutating func afterPiece() {
    check(
      t.columns == columns && t.rows == rows, "size \(t.columns)x\(t.rows), want \(columns)x\(rows)"
    )
    check(t.cursorX >= 0 && t.cursorX < columns, "cursor x \(t.cursorX) of \(columns)")
    check(t.cursorY >= 0 && t.cursorY < rows, "cursor y \(t.cursorY) of \(rows)")
    check(
      t.historyCount >= 0 && t.historyCount <= t.historyLimit,
      "history \(t.historyCount) > limit \(t.historyLimit)")
    let core = t.core
    check(
      core.scrollTop >= 0 && core.scrollTop <= core.scrollBottom,
      "scroll region \(core.scrollTop)...\(core.scrollBottom) of \(rows)")
    check(core.scrollBottom < rows, "scroll bottom \(core.scrollBottom) of \(rows)")
    check(core.tabStops.count == columns, "\(core.tabStops.count) tab stops for \(columns) columns")
    check(core.versions.count == rows, "\(core.versions.count) versions for \(rows) rows")
    check(
      t.modes.alternateScreen == (core.grid === core.altGrid),
      "alternate-screen mode disagrees with the grid shown")
    check(
      core.grid.columns == columns && core.grid.rows == rows,
      "grid is \(core.grid.columns)x\(core.grid.rows)")
    replies += t.takeReplies()
    bells += t.takeBells()
    _ = t.takeClipboard()
    if trackVersions {
      var i = 0
      for y in 0..<rows {
        let v = t.rowVersion(y)
        check(v >= lastVersions[y], "row \(y) version went back from \(lastVersions[y]) to \(v)")
        t.withRow(y) { cells in
          if v == lastVersions[y] {
            for x in 0..<columns where cells[x] != lastCells[i + x] {
              fail("row \(y) changed at column \(x) but its version \(v) did not")
            }
          }
        }
        i += columns
      }
      snapshot()
    }
  }

  /// Everything, at resizes and at the end.
  func full() {
    let core = t.core
    if let v = core.mainGrid.invariantViolation() { fail("main grid: \(v)") }
    if let v = core.altGrid.invariantViolation() { fail("alternate grid: \(v)") }
    for y in 0..<rows {
      t.withRow(y) { cells in
        check(cells.count == columns, "row \(y) has \(cells.count) cells, want \(columns)")
        for c in cells {
          check(c.width <= 2, "cell width \(c.width)")
          if c.combining != 0 {
            let m = t.combiningMarks(c.combining)
            check(
              !m.isEmpty && m.count <= CombiningTable.maxMarksPerCell,
              "combining key \(c.combining) has \(m.count) marks")
          }
        }
      }
      _ = t.rowIsWrapped(y)
    }
    _ = t.withRow(-1) { $0.count }
    _ = t.withRow(rows) { $0.count }
    for i in 0..<t.historyCount {
      t.withHistoryRow(i) { cells in
        check(
          cells.count >= 1 && cells.count <= widestColumns,
          "history row \(i) has \(cells.count) cells, widest screen was \(widestColumns)")
        for c in cells where c.combining != 0 {
          check(
            !t.combiningMarks(c.combining).isEmpty, "history combining key \(c.combining) unknown")
        }
      }
      _ = t.historyRowIsWrapped(i)
    }
    // One history line is at most ~30 bytes a cell (style change, combining
    // key, wide marker, 4 bytes of UTF-8) plus a few bytes of header; chunks
    // are 64 KiB and one may be partly dead, one partly empty.
    let limit = t.historyLimit
    let lineBound = widestColumns * 32 + 32
    let bound = 8 * max(limit, 64) + (limit * lineBound / 65536 + 3) * 65536
    let footprint = core.scrollback.memoryFootprint
    check(
      footprint <= bound,
      "history holds \(footprint) bytes for \(t.historyCount) lines (limit \(limit)), bound \(bound)"
    )

    let screen = t.hardcopy(includeHistory: false)
    var newlines = 0
    for b in screen where b == 0x0A { newlines += 1 }
    check(newlines == rows, "hardcopy has \(newlines) lines for \(rows) rows")
    let all = t.hardcopy(includeHistory: true)
    newlines = 0
    for b in all where b == 0x0A { newlines += 1 }
    check(newlines == rows + t.historyCount, "hardcopy with history has \(newlines) lines")
    check(validUTF8(all), "hardcopy is not UTF-8")
    _ = t.title
    _ = t.cursorShape
    _ = t.cursorVisible
  }

  mutating func feed(_ piece: UnsafeRawBufferPointer) {
    t.feed(piece)
    if twin != nil { segment.append(contentsOf: piece) }
    afterPiece()
  }

  /// Feeds the twin what `t` had in pieces, and compares the two.
  mutating func compareTwin() {
    defer {
      segment.removeAll(keepingCapacity: true)
      replies.removeAll(keepingCapacity: true)
      bells = 0
    }
    guard let u = twin else { return }
    u.feed(segment)
    let whole = "after \(segment.count) bytes fed whole and in pieces"
    check(
      u.cursorX == t.cursorX && u.cursorY == t.cursorY,
      "cursor \(t.cursorX),\(t.cursorY) vs \(u.cursorX),\(u.cursorY) \(whole)")
    check(u.modes == t.modes, "modes differ \(whole)")
    check(u.title == t.title, "title differs \(whole)")
    check(
      u.cursorVisible == t.cursorVisible && u.cursorShape == t.cursorShape,
      "cursor look differs \(whole)")
    check(u.takeReplies() == replies, "replies differ \(whole)")
    check(u.takeBells() == bells, "bells differ \(whole)")
    _ = u.takeClipboard()
    func same(_ a: UnsafeBufferPointer<Cell>, _ b: UnsafeBufferPointer<Cell>, _ what: String) {
      check(a.count == b.count, "\(what): \(a.count) cells vs \(b.count) \(whole)")
      for x in 0..<a.count {
        var p = a[x]
        var q = b[x]
        let pm = t.combiningMarks(p.combining)
        let qm = u.combiningMarks(q.combining)
        p.combining = 0
        q.combining = 0
        check(p == q && pm == qm, "\(what) column \(x): \(p) \(pm) vs \(q) \(qm) \(whole)")
      }
    }
    for y in 0..<rows {
      t.withRow(y) { a in u.withRow(y) { b in same(a, b, "row \(y)") } }
      check(t.rowIsWrapped(y) == u.rowIsWrapped(y), "row \(y) wrap flag \(whole)")
    }
    check(
      t.historyCount == u.historyCount, "history \(t.historyCount) vs \(u.historyCount) \(whole)")
    for i in 0..<t.historyCount {
      t.withHistoryRow(i) { a in u.withHistoryRow(i) { b in same(a, b, "history row \(i)") } }
    }
  }

  mutating func resize(columns c: Int, rows r: Int) {
    compareTwin()
    full()
    t.resize(columns: c, rows: r)
    twin?.resize(columns: c, rows: r)
    columns = c
    rows = r
    widestColumns = max(widestColumns, c)
    snapshot()
    afterPiece()
    full()
  }
}

private func validUTF8(_ bytes: [UInt8]) -> Bool {
  var it = bytes.makeIterator()
  var decoder = UTF8()
  while true {
    switch decoder.decode(&it) {
    case .scalarValue: continue
    case .emptyInput: return true
    case .error: return false
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func engineFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  func header(_ i: Int) -> UInt8 { i < size ? input[i] : 0 }
  let columns = 1 + Int(header(0)) % maxColumns
  let rows = 1 + Int(header(1)) % maxRows
  let history = Int(header(2)) % 48
  let flags = header(3)
  var rng = SplitMix(
    state: UInt64(header(4)) | UInt64(header(5)) << 8 | UInt64(header(6)) << 16
      | UInt64(header(7)) << 24)
  let body = UnsafeRawBufferPointer(start: data + min(size, 8), count: max(0, size - 8))

  let splitMode = Int(flags >> 1) & 3
  let totalResizes = Int(flags >> 3) & 7
  var resizes = totalResizes
  // Comparing every cell after every piece is quadratic: only for modest work.
  let pieces = splitMode == 1 ? body.count : splitMode == 0 ? totalResizes + 1 : body.count / 4 + 1
  let track = flags & 0x80 != 0 && pieces * columns * rows <= 1_000_000

  var h = Harness(
    columns: columns, rows: rows, history: history, trackVersions: track, twin: splitMode != 0)
  h.t.sgr3IsStandout = flags & 1 != 0
  h.twin?.sgr3IsStandout = flags & 1 != 0

  var offset = 0
  while offset < body.count {
    let length: Int
    switch splitMode {
    case 0: length = body.count / (totalResizes + 1) + 1
    case 1: length = 1
    case 2: length = 1 + rng.below(16)
    default: length = 1 + rng.below(512)
    }
    let n = min(length, body.count - offset)
    h.feed(UnsafeRawBufferPointer(rebasing: body[offset..<(offset + n)]))
    offset += n
    // Resize at about one piece in eight while resizes remain (between the
    // equal parts of an unsplit stream).
    if resizes > 0 && offset < body.count && (splitMode == 0 || rng.below(8) == 0) {
      resizes -= 1
      h.compareTwin()  // before the twin sees the new limit
      if flags & 0x40 != 0 {
        let limit = rng.below(48)
        h.t.historyLimit = limit
        h.twin?.historyLimit = limit
        h.afterPiece()
      }
      h.resize(columns: 1 + rng.below(maxColumns), rows: 1 + rng.below(maxRows))
    }
  }
  h.compareTwin()
  h.full()
  return 0
}
