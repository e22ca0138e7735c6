// A terminal's whole state as bytes and back, so a window outlives its
// server: an upgrade in place hands it to the new binary, a save brings it
// back after a reboot. A restored terminal looks the same and, fed the same
// bytes, goes on exactly as the original would have.
//
// Layout (fields as SnapshotCoding.swift writes them):
//   "BTS" version
//   size         columns, rows, history limit
//   decorations  (version 2) the DecorationTable, key by key
//   cursor       x, y, flags (pending wrap, SGR 3 as standout, cursor shown,
//                a ZWJ awaiting its partner, alternate screen shown, and in
//                version 2 whether 1049 saved a cursor), pen
//                style, charsets, cursor shape, last graphic (for REP)
//   saved        DECSC's cursor for the main and the alternate screen, and
//                the one 1049 saves: x, y, flags, style, charsets each
//   region       scroll top and bottom
//   tab stops    a bit per column
//   modes        flags, mouse tracking, mouse encoding, then the keyboard's:
//                modifyOtherKeys and each screen's kitty flag stack
//   titles       title, icon name, the title stack
//   parser       state, a UTF-8 character begun, the sequence being read
//   combining    every combination of marks, in key order
//   screens      main, then alternate (SnapshotScreens.swift)
//   history      lines added so far, then each line as history stores it
//
// Left out, by design: replies, bells and a clipboard not yet taken (the
// server takes them after every feed); the rows' versions, which start
// again from a new clock with every row changed (compare them only within
// one Terminal); and what Grid knows only to go faster (a row's kept text,
// whether it is in one style), found again as rows are written. The
// parser's state is kept, so a sequence or a UTF-8 character cut in two at
// the snapshot is finished by the bytes after it.
//
// Reading checks every field against the engine's own bounds: sizes
// against maxDimension and maxCells, counts against the bytes left before
// anything is allocated, cells and history lines against what the engine
// could have made. Bad bytes give a SnapshotError, never a trap.

extension Terminal {
  /// The terminal's state as bytes, for `init(snapshot:)`. They begin with
  /// "BTS" and the format's version, so a reader knows what it holds.
  public func snapshot() -> [UInt8] {
    var out: [UInt8] = []
    appendSnapshot(to: &out)
    return out
  }

  /// `snapshot()` appended to `out`.
  public func appendSnapshot(to out: inout [UInt8]) {
    var w = SnapshotWriter(appendingTo: out)
    out = []
    core.writeSnapshot(&w)
    out = w.bytes
  }

  /// A terminal in the state `snapshot()` recorded.
  public convenience init(snapshot bytes: [UInt8]) throws(SnapshotError) {
    let result: Result<TerminalCore, SnapshotError> = bytes.withUnsafeBytes { raw in
      do throws(SnapshotError) {
        return .success(try TerminalCore.restore(raw))
      } catch {
        return .failure(error)
      }
    }
    let restored = try result.get()
    self.init(columns: 1, rows: 1, historyLimit: 0)
    core = restored
  }

  /// A terminal in the state `snapshot()` recorded, from bytes in memory.
  public convenience init(snapshot bytes: UnsafeRawBufferPointer) throws(SnapshotError) {
    let restored = try TerminalCore.restore(bytes)
    self.init(columns: 1, rows: 1, historyLimit: 0)
    core = restored
  }
}

extension TerminalCore {
  static let snapshotMagic: [UInt8] = [0x42, 0x54, 0x53]  // "BTS"
  /// Version 2 added decorations and the keyboard's modes; version 1 snapshots (neither)
  /// are still read, so an upgrade from an older berth keeps its windows.
  static let snapshotVersion: UInt8 = 2
  /// XTWINOPS 22 keeps at most this many titles (CSI.swift).
  static let titleStackLimit = 10

  // Flags of the cursor field.
  private static let flagPendingWrap: UInt8 = 1
  private static let flagStandout: UInt8 = 2
  private static let flagCursorVisible: UInt8 = 4
  private static let flagJoinNext: UInt8 = 8
  private static let flagAltShown: UInt8 = 16
  private static let flagSavedForAlt: UInt8 = 32

  // MARK: Writing

  func writeSnapshot(_ w: inout SnapshotWriter) {
    // Mostly history, copied as it is kept: one allocation for all of it.
    w.bytes.reserveCapacity(
      w.bytes.count + scrollback.memoryFootprint + 4 * columns * rows + 4096)
    for b in TerminalCore.snapshotMagic { w.byte(b) }
    w.byte(TerminalCore.snapshotVersion)
    w.int(columns)
    w.int(rows)
    w.int(historyLimit)
    w.decorations(decorations)

    w.int(x)
    w.int(y)
    var flags: UInt8 = 0
    if pendingWrap { flags |= TerminalCore.flagPendingWrap }
    if sgr3IsStandout { flags |= TerminalCore.flagStandout }
    if cursorIsVisible { flags |= TerminalCore.flagCursorVisible }
    if joinNext { flags |= TerminalCore.flagJoinNext }
    if grid === altGrid { flags |= TerminalCore.flagAltShown }
    if hasSavedForAltScreen { flags |= TerminalCore.flagSavedForAlt }
    w.byte(flags)
    w.style(style)
    w.charsets(charsets)
    w.byte(cursorShapeValue.rawValue)
    w.varint(UInt64(lastGraphic))

    for saved in [savedMain, savedAlt, savedForAltScreen] { w.savedCursor(saved) }

    w.int(scrollTop)
    w.int(scrollBottom)
    writeTabStops(&w)
    w.modes(modeState)

    w.string(titleValue)
    w.string(iconName)
    w.int(titleStack.count)
    for t in titleStack { w.string(t) }

    writeParser(&w)

    let entries = combining.allEntries
    w.int(entries.count)
    for marks in entries {
      w.int(marks.count)
      for m in marks { w.varint(UInt64(m)) }
    }

    writeScreen(mainGrid, &w)
    if altGrid.rows == rows {
      writeScreen(altGrid, &w)
    } else {
      for _ in 0..<rows {  // not shown: blank rows, as a cleared one reads
        w.flag(false)
        w.int(0)
      }
    }
    writeHistory(&w)
  }

  private func writeTabStops(_ w: inout SnapshotWriter) {
    var b: UInt8 = 0
    for i in 0..<columns {
      if i < tabStops.count && tabStops[i] { b |= 1 << UInt8(i & 7) }
      if i & 7 == 7 || i == columns - 1 {
        w.byte(b)
        b = 0
      }
    }
  }

  private func writeParser(_ w: inout SnapshotWriter) {
    w.byte(parserState.rawValue)
    w.int(utf8Need)
    w.varint(UInt64(utf8Value))
    w.byte(utf8Lower)
    w.byte(utf8Upper)
    let s = sequence
    let count = min(max(s.paramCount, 0), SequenceBuffer.maxParams)
    w.int(count)
    for i in 0..<count { w.varint(UInt64(s.params[i])) }
    w.u32(s.subParamMask)
    w.flag(s.paramOverflow)
    w.byte(s.marker)
    w.u16(s.intermediates)
    w.int(s.intermediateCount)
    // The OSC string only matters while one is being read.
    if parserState == .oscString {
      w.blob(s.osc)
      w.flag(s.oscOverflow)
    } else {
      w.int(0)
      w.flag(false)
    }
  }

  private func writeHistory(_ w: inout SnapshotWriter) {
    w.varint(scrollback.added)
    w.int(scrollback.count)
    for i in 0..<scrollback.count {
      scrollback.withEncodedLine(i) { w.blob($0) }
    }
  }

  // MARK: Reading

  static func restore(_ data: UnsafeRawBufferPointer) throws(SnapshotError) -> TerminalCore {
    var r = SnapshotReader(data)
    for b in snapshotMagic {
      guard r.remaining > 0, try r.byte("magic") == b else {
        throw SnapshotError("terminal snapshot: not a berth terminal snapshot")
      }
    }
    let version = try r.byte("version")
    guard version == 1 || version == snapshotVersion else {
      throw SnapshotError(
        "terminal snapshot: version \(version) is not one this berth reads (\(snapshotVersion))")
    }
    let c = try r.int("columns", max: Terminal.maxDimension)
    let rowCount = try r.int("rows", max: Terminal.maxDimension)
    guard c >= 1 && rowCount >= 1 && clamp(c, rowCount) == (c, rowCount) else {
      throw r.failure("size", "\(c)x\(rowCount) is not a size a terminal can have")
    }
    let limit = try r.int("history limit", max: Int.max)
    // Every row of both screens takes two bytes at least: no screens are
    // allocated for a size the data cannot hold.
    guard rowCount * 4 <= r.remaining else { throw r.truncated("screens") }
    var core = TerminalCore(columns: c, rows: rowCount, historyLimit: limit)
    if version >= 2 { core.decorations = try r.decorations("decorations") }
    try core.readState(&r, version: version)
    guard r.remaining == 0 else {
      throw r.failure("the end", "\(r.remaining) bytes follow the snapshot")
    }
    core.touchAll()
    return core
  }

  private mutating func readState(_ r: inout SnapshotReader, version: UInt8)
    throws(SnapshotError)
  {
    x = try r.int("cursor column", max: columns - 1)
    y = try r.int("cursor row", max: rows - 1)
    let flags = try r.bits("cursor flags", mask: version >= 2 ? 63 : 31)
    hasSavedForAltScreen = flags & TerminalCore.flagSavedForAlt != 0
    pendingWrap = flags & TerminalCore.flagPendingWrap != 0
    sgr3IsStandout = flags & TerminalCore.flagStandout != 0
    cursorIsVisible = flags & TerminalCore.flagCursorVisible != 0
    joinNext = flags & TerminalCore.flagJoinNext != 0
    let altShown = flags & TerminalCore.flagAltShown != 0
    style = try r.style("pen")
    charsets = try r.charsets("charsets")
    let shape = try r.byte("cursor shape")
    guard let s = CursorShape(rawValue: shape) else {
      throw r.failure("cursor shape", "unknown shape \(shape)")
    }
    cursorShapeValue = s
    lastGraphic = try r.scalar("last character")

    savedMain = try r.savedCursor("saved cursor")
    savedAlt = try r.savedCursor("saved cursor of the alternate screen")
    savedForAltScreen = try r.savedCursor("cursor saved for the alternate screen")

    scrollTop = try r.int("scroll region top", max: rows - 1)
    scrollBottom = try r.int("scroll region bottom", max: rows - 1)
    guard scrollTop <= scrollBottom else {
      throw r.failure("scroll region", "top \(scrollTop) below bottom \(scrollBottom)")
    }
    try readTabStops(&r)
    modeState = try r.modes("modes", keyboard: version >= 2)

    let maxTitle = SequenceBuffer.maxOSCLength
    titleValue = try r.string("title", max: maxTitle)
    iconName = try r.string("icon name", max: maxTitle)
    let stacked = try r.count("title stack", max: TerminalCore.titleStackLimit, bytesEach: 1)
    titleStack = []
    for _ in 0..<stacked { titleStack.append(try r.string("title stack", max: maxTitle)) }

    try readParser(&r)
    try readCombining(&r)

    try readScreen(mainGrid, &r, "main screen")
    makeAltGrid()
    try readScreen(altGrid, &r, "alternate screen")
    if !altShown { altGrid = TerminalCore.noAltGrid() }
    grid = altShown ? altGrid : mainGrid
    try readHistory(&r)
  }

  private mutating func readTabStops(_ r: inout SnapshotReader) throws(SnapshotError) {
    let data = try r.bytes((columns + 7) / 8, "tab stops")
    var stops = [Bool](repeating: false, count: columns)
    for i in 0..<columns { stops[i] = data[i >> 3] & (1 << UInt8(i & 7)) != 0 }
    // Bits past the last column are never set.
    if columns & 7 != 0, let last = data.last, last >> UInt8(columns & 7) != 0 {
      throw r.failure("tab stops", "a stop past the last column")
    }
    tabStops = stops
  }

  private mutating func readParser(_ r: inout SnapshotReader) throws(SnapshotError) {
    let state = try r.byte("parser state")
    guard let s = ParserState(rawValue: state) else {
      throw r.failure("parser state", "unknown state \(state)")
    }
    parserState = s
    utf8Need = try r.int("UTF-8 bytes awaited", max: 3)
    let value = try r.varint("UTF-8 character begun")
    // With the bytes still to come, the character stays within Unicode.
    guard value <= UInt64(0x10_FFFF >> (6 * utf8Need)) else {
      throw r.failure("UTF-8 character begun", "value \(value) out of range")
    }
    utf8Value = UInt32(value)
    utf8Lower = try r.byte("UTF-8 lower bound")
    utf8Upper = try r.byte("UTF-8 upper bound")
    guard (0x80...0xBF).contains(utf8Lower) && (0x80...0xBF).contains(utf8Upper) else {
      throw r.failure("UTF-8 bounds", "bounds outside 0x80...0xBF")
    }

    var seq = SequenceBuffer()
    seq.paramCount = try r.int("parameter count", max: SequenceBuffer.maxParams)
    for i in 0..<seq.paramCount {
      seq.params[i] = UInt16(try r.int("parameter", max: SequenceBuffer.maxParamValue))
    }
    seq.subParamMask = try r.u32("sub-parameters")
    seq.paramOverflow = try r.flag("parameter overflow")
    seq.marker = try r.byte("private marker")
    seq.intermediates = try r.u16("intermediates")
    seq.intermediateCount = try r.int("intermediate count", max: Int(Int32.max))
    seq.osc = Array(try r.blob("OSC string", max: SequenceBuffer.maxOSCLength))
    seq.oscOverflow = try r.flag("OSC overflow")
    sequence = seq
  }

  private mutating func readCombining(_ r: inout SnapshotReader) throws(SnapshotError) {
    let n = try r.count("combining marks", max: CombiningTable.maxEntries, bytesEach: 2)
    var entries: [[UInt32]] = []
    entries.reserveCapacity(n)
    for _ in 0..<n {
      let count = try r.count(
        "combining marks", max: CombiningTable.maxMarksPerCell, bytesEach: 1)
      var marks: [UInt32] = []
      marks.reserveCapacity(count)
      for _ in 0..<count { marks.append(try r.scalar("combining mark")) }
      entries.append(marks)
    }
    guard let table = CombiningTable(entries: entries) else {
      throw r.failure("combining marks", "an empty or repeated combination")
    }
    combining = table
  }

  /// The shortest line history writes: flags, width, cell count, style.
  private static let minimumLineBytes = 4
  /// The longest: HistoryEncoder reserves 40 bytes and 30 a cell.
  private static let maximumLineBytes = 64 + Terminal.maxDimension * 32

  private mutating func readHistory(_ r: inout SnapshotReader) throws(SnapshotError) {
    let added = try r.varint("history lines added")
    let n = try r.count(
      "history lines", max: historyLimit, bytesEach: TerminalCore.minimumLineBytes + 1)
    for _ in 0..<n {
      let line = try r.blob("history line", max: TerminalCore.maximumLineBytes)
      guard line.count >= TerminalCore.minimumLineBytes else {
        throw r.failure("history line", "a line of \(line.count) bytes")
      }
      scrollback.pushEncoded(line)
      if let problem = checkNewestHistoryLine() { throw r.failure("history line", problem) }
    }
    scrollback.restoreAdded(added)
  }

  /// What is wrong with the newest history line as it decodes, if anything.
  private func checkNewestHistoryLine() -> String? {
    let marks = combining.allEntries.count
    return scrollback.withLine(scrollback.count - 1) { cells, _ -> String? in
      guard cells.count >= 1 && cells.count <= Terminal.maxDimension else {
        return "a line \(cells.count) cells wide"
      }
      for cell in cells {
        if !SnapshotReader.isScalar(cell.scalar) { return "character \(cell.scalar) not Unicode" }
        if cell.combining > marks { return "unknown combining key \(cell.combining)" }
        if !SnapshotReader.isValid(cell.style) { return "an unknown colour or attribute" }
      }
      return nil
    }
  }
}
