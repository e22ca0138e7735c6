// The parts of a terminal snapshot (Snapshot.swift) made of the engine's
// value types: a screen's rows of cells, styles, charsets, saved cursors
// and modes, written and read back with the checks that keep a restored
// screen within the engine's invariants (Grid.invariantViolation).
//
// A row: flags (bit 0: wrapped), the cells in use (up to the last that is
// not a plain blank; the rest are), then each cell:
//   a header byte: bits 0-1 width (0, 1 or 2), bit 2 a style follows,
//     bit 3 a combining key follows, bit 4 the scalar is U+0020 (omitted)
//   the scalar (varint), the combining key (varint), the style
// A style is written only where it differs from the cell before (plain
// before the first): tag (bit 0 fg, bit 1 bg, bit 2 attributes, bit 3
// decoration), then the colours (4 bytes each), attributes (2) and
// decoration key (1) that are not the default.

extension TerminalCore {
  private static let cellWidthBits: UInt8 = 3
  private static let cellHasStyle: UInt8 = 4
  private static let cellHasMarks: UInt8 = 8
  private static let cellIsSpace: UInt8 = 16

  func writeScreen(_ g: Grid, _ w: inout SnapshotWriter) {
    let plain = Cell.blank()
    for y in 0..<g.rows {
      let r = g.readRow(y)
      var used = min(g.extent(y), g.columns)
      while used > 0 && r[used - 1] == plain { used -= 1 }
      w.flag(g.isWrapped(y))
      w.int(used)
      var previous = Style.plain
      for x in 0..<used {
        let c = r[x]
        var header = c.width & TerminalCore.cellWidthBits
        if c.style != previous { header |= TerminalCore.cellHasStyle }
        if c.combining != 0 { header |= TerminalCore.cellHasMarks }
        if c.scalar == 0x20 { header |= TerminalCore.cellIsSpace }
        w.byte(header)
        if c.scalar != 0x20 { w.varint(UInt64(c.scalar)) }
        if c.combining != 0 { w.varint(UInt64(c.combining)) }
        if c.style != previous {
          w.style(c.style)
          previous = c.style
        }
      }
    }
  }

  /// Fills `g`, a new grid of this terminal's size, from the snapshot.
  func readScreen(_ g: Grid, _ r: inout SnapshotReader, _ what: StaticString)
    throws(SnapshotError)
  {
    let marks = UInt64(combining.allEntries.count)
    for y in 0..<g.rows {
      let wrapped = try r.flag(what)
      let used = try r.count(what, max: g.columns, bytesEach: 1)
      let row = g.row(y)
      var style = Style.plain
      for x in 0..<used {
        let header = try r.bits(what, mask: 31)
        let width = header & TerminalCore.cellWidthBits
        guard width <= 2 else { throw r.failure(what, "a cell of width 3") }
        var scalar: UInt32 = 0x20
        if header & TerminalCore.cellIsSpace == 0 { scalar = try r.scalar(what) }
        var key: UInt32 = 0
        if header & TerminalCore.cellHasMarks != 0 {
          let k = try r.varint(what)
          guard k >= 1 && k <= marks else { throw r.failure(what, "unknown combining key \(k)") }
          key = UInt32(k)
        }
        if header & TerminalCore.cellHasStyle != 0 { style = try r.style(what) }
        row[x] = Cell(scalar: scalar, combining: key, style: style, width: width)
      }
      // Wide characters in whole pairs, as the engine keeps them.
      for x in 0..<used {
        let width = row[x].width
        if width == 2 && (x + 1 >= used || row[x + 1].width != 0) {
          throw r.failure(what, "row \(y): a wide character without its right half")
        }
        if width == 0 && (x == 0 || row[x - 1].width != 2) {
          throw r.failure(what, "row \(y): a right half without its character")
        }
      }
      g.noteWritten(y, upTo: used)
      g.setWrapped(y, wrapped)
    }
  }
}

// MARK: Value types

extension SnapshotWriter {
  mutating func style(_ s: Style) {
    let tag: UInt8 =
      (s.foreground.isDefault ? 0 : 1) | (s.background.isDefault ? 0 : 2)
      | (s.attributes.rawValue == 0 ? 0 : 4) | (s.decoration == 0 ? 0 : 8)
    byte(tag)
    if tag & 1 != 0 { u32(s.foreground.rawValue) }
    if tag & 2 != 0 { u32(s.background.rawValue) }
    if tag & 4 != 0 { u16(s.attributes.rawValue) }
    if tag & 8 != 0 { byte(s.decoration) }
  }

  /// The table's keys in order: for each, whether it is in use, then its
  /// underline colour, link target and link id (an empty target: no link).
  mutating func decorations(_ t: DecorationTable) {
    int(t.slots.count)
    for slot in t.slots {
      flag(slot != nil)
      guard let d = slot else { continue }
      u32(d.underlineColor.rawValue)
      blob(d.link?.uri ?? [])
      blob(d.link?.id ?? [])
    }
  }

  mutating func charsets(_ c: CharsetState) {
    byte(c.g0.rawValue | c.g1.rawValue << 2 | (c.shiftOut ? 16 : 0))
  }

  mutating func savedCursor(_ s: SavedCursor) {
    int(s.x)
    int(s.y)
    byte((s.pendingWrap ? 1 : 0) | (s.originMode ? 2 : 0))
    style(s.style)
    charsets(s.charsets)
  }

  mutating func modes(_ m: Modes) {
    let flags: [Bool] = [
      m.applicationCursorKeys, m.applicationKeypad, m.bracketedPaste, m.focusEvents,
      m.alternateScreen, m.synchronizedOutput, m.insertMode, m.autowrap, m.originMode,
    ]
    var bits: UInt16 = 0
    for (i, on) in flags.enumerated() where on { bits |= 1 << UInt16(i) }
    u16(bits)
    byte(m.mouseTracking.rawValue)
    byte(m.mouseEncoding.rawValue)
    keyboard(m.keyboard)
  }
}

extension SnapshotReader {
  /// Every attribute bit Attributes defines.
  static let knownAttributes: UInt16 = 0x0FFF

  static func isScalar(_ v: UInt32) -> Bool {
    v <= 0x10_FFFF && (v < 0xD800 || v > 0xDFFF)
  }

  static func isValid(_ c: Color) -> Bool {
    switch c.rawValue >> 24 {
    case 0: return c.rawValue == 0
    case 1: return c.rawValue <= 0x0100_00FF
    case 2: return true
    default: return false
    }
  }

  static func isValid(_ s: Style) -> Bool {
    isValid(s.foreground) && isValid(s.background)
      && s.attributes.rawValue & ~knownAttributes == 0 && s.attributes.underlineStyle <= 5
  }

  /// A Unicode scalar value as a varint.
  mutating func scalar(_ what: StaticString) throws(SnapshotError) -> UInt32 {
    let v = try varint(what)
    guard v <= 0x10_FFFF, SnapshotReader.isScalar(UInt32(v)) else {
      throw failure(what, "\(v) is not a Unicode scalar")
    }
    return UInt32(v)
  }

  mutating func style(_ what: StaticString) throws(SnapshotError) -> Style {
    let tag = try bits(what, mask: 15)
    var s = Style.plain
    if tag & 1 != 0 { s.foreground = Color(rawValue: try u32(what)) }
    if tag & 2 != 0 { s.background = Color(rawValue: try u32(what)) }
    if tag & 4 != 0 { s.attributes = Attributes(rawValue: try u16(what)) }
    if tag & 8 != 0 { s.decoration = try byte(what) }
    // Written only when not the default, and only as the engine makes them.
    guard tag & 1 == 0 || !s.foreground.isDefault, tag & 2 == 0 || !s.background.isDefault,
      tag & 4 == 0 || s.attributes.rawValue != 0, SnapshotReader.isValid(s)
    else { throw failure(what, "an unknown colour or attribute") }
    guard tag & 8 == 0 || decorationKeys[Int(s.decoration)] else {
      throw failure(what, "unknown decoration key \(s.decoration)")
    }
    return s
  }

  mutating func decorations(_ what: StaticString) throws(SnapshotError) -> DecorationTable {
    let n = try count(what, max: DecorationTable.capacity, bytesEach: 1)
    var entries: [Decoration?] = []
    for _ in 0..<n {
      guard try flag(what) else {
        entries.append(nil)
        continue
      }
      let color = Color(rawValue: try u32(what))
      guard SnapshotReader.isValid(color) else { throw failure(what, "an unknown colour") }
      let uri = Array(try blob(what, max: Hyperlink.maxURI))
      let id = Array(try blob(what, max: Hyperlink.maxID))
      guard !uri.isEmpty || id.isEmpty else { throw failure(what, "a link id without a link") }
      entries.append(
        Decoration(underlineColor: color, link: uri.isEmpty ? nil : Hyperlink(uri: uri, id: id)))
    }
    guard let table = DecorationTable(entries: entries) else {
      throw failure(what, "an empty or repeated decoration")
    }
    for (i, d) in entries.enumerated() { decorationKeys[i + 1] = d != nil }
    return table
  }

  mutating func charsets(_ what: StaticString) throws(SnapshotError) -> CharsetState {
    let b = try bits(what, mask: 31)
    guard let g0 = Charset(rawValue: b & 3), let g1 = Charset(rawValue: b >> 2 & 3) else {
      throw failure(what, "unknown character set")
    }
    return CharsetState(g0: g0, g1: g1, shiftOut: b & 16 != 0)
  }

  mutating func savedCursor(_ what: StaticString) throws(SnapshotError) -> SavedCursor {
    // DECRC clamps to the screen, so a column from a wider screen is kept.
    let x = try int(what, max: Terminal.maxDimension)
    let y = try int(what, max: Terminal.maxDimension)
    let flags = try bits(what, mask: 3)
    let style = try style(what)
    let charsets = try charsets(what)
    return SavedCursor(
      x: x, y: y, pendingWrap: flags & 1 != 0, style: style, charsets: charsets,
      originMode: flags & 2 != 0)
  }

  /// `keyboard`: the snapshot has the keyboard's modes (version 2 on).
  mutating func modes(_ what: StaticString, keyboard hasKeyboard: Bool) throws(SnapshotError)
    -> Modes
  {
    let bits = try u16(what)
    guard bits >> 9 == 0 else { throw failure(what, "unknown mode bits") }
    let tracking = try byte(what)
    let encoding = try byte(what)
    guard let t = MouseTracking(rawValue: tracking), let e = MouseEncoding(rawValue: encoding)
    else { throw failure(what, "unknown mouse mode") }
    func on(_ i: UInt16) -> Bool { bits & 1 << i != 0 }
    var m = Modes()
    m.applicationCursorKeys = on(0)
    m.applicationKeypad = on(1)
    m.bracketedPaste = on(2)
    m.focusEvents = on(3)
    m.alternateScreen = on(4)
    m.synchronizedOutput = on(5)
    m.insertMode = on(6)
    m.autowrap = on(7)
    m.originMode = on(8)
    m.mouseTracking = t
    m.mouseEncoding = e
    if hasKeyboard { m.keyboard = try keyboard(what) }
    return m
  }
}
