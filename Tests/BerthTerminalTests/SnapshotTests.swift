// Terminal snapshots: a restored terminal looks the same as the original and,
// fed the same bytes, goes on exactly as it does; bad bytes throw, never trap.

import Testing

@testable import BerthTerminal

@Suite struct SnapshotTests {
  /// A terminal with a bit of everything: history in colour with wide
  /// characters and marks, wrapped lines, a scroll region, DECSC with a
  /// charset, changed tab stops, modes, titles, and the alternate screen
  /// shown over a main screen with content.
  static func richTerminal(historyLines: Int = 3000) -> Terminal {
    let t = Terminal(columns: 60, rows: 20, historyLimit: 5000)
    t.sgr3IsStandout = true
    var s = ""
    for i in 0..<historyLines {
      s += "\(csi)38;5;\(i % 256)mline \(i) \(csi)38;2;\(i % 256);10;200;48;5;17m中文\(csi)0m"
      s += " e\u{301}\u{302} 👩\u{200D}👩\u{200D}👧 \(csi)3;4:3;9mx\(csi)m"
      if i % 7 == 0 { s += String(repeating: "wrap-", count: 20) }
      s += "\r\n"
    }
    s += "\(csi)1;31;44mred on blue\(csi)0m plain 한국어 a\u{308}\r\n"
    s += String(repeating: "0123456789", count: 13) + "\r\n"
    s += "\(esc)H\(csi)5G\(esc)H\(csi)3g\(esc)H"  // tab stops: cleared, then one at column 4
    s += "\t\(csi)20G\(esc)H\r\tT1\tT2\r\n"
    s += "\(csi)4;15r"  // scroll region
    s += "\(csi)7;9H\(esc)(0\(esc))A\u{0E}\(csi)1;4;38;2;1;2;3m\(esc)7\u{0F}\(esc)(B\(csi)0m"  // DECSC
    s += "\(esc)]2;first title\u{07}\(csi)22t\(esc)]2;second title\(esc)\\\(esc)]1;icon\u{07}"
    s += "\(csi)?2004h\(csi)?1002h\(csi)?1006h\(csi)?1h\(esc)=\(csi)?1004h\(csi)5 q\(csi)?25l"
    s += "\(csi)?1049h\(csi)2;3Halternate \(csi)7mscreen\(csi)m 中"
    s += "\(csi)5;6H\(esc)7\(csi)10;1H\(csi)48;2;9;8;7m\(csi)K\(csi)3mpen"
    t.feed(s)
    return t
  }

  /// What a program would go on printing: leaving the alternate screen,
  /// DECRC, REP, tabs, scrolling into history, replies, resizing.
  static let continuation: [String] = [
    "more on alt\(csi)b\(csi)2b\r\n\(esc)8X",
    "\(csi)?1049l\(esc)8restored\tTAB\tTAB2\r\n\u{0E}lqk\u{0F}",
    "\(csi)6n\(csi)?1049\u{24}p\(csi)?2004\u{24}p",
    "\(csi)r" + (0..<50).map { "after \($0) 中 e\u{301}\r\n" }.joined(),
    "\(csi)23t\(csi)4hINS\(csi)4l\(csi)?7l" + String(repeating: "nowrap", count: 20),
    "\(csi)?7h\(csi)H\(csi)2J\(csi)3;5r\(csi)5;1H" + String(repeating: "x\n", count: 30),
    "\(esc)c\(csi)?1047hnew alt\(csi)?1047l",
    (0..<2500).map { "\(csi)3\($0 % 8)mpast the limit \($0)\r\n" }.joined(),
  ]

  @Test func roundTripKeepsEverything() throws {
    let t = Self.richTerminal()
    #expect(t.historyCount > 3000)
    #expect(t.modes.alternateScreen)
    let copy = try Terminal(snapshot: t.snapshot())
    expectSameState(t, copy)
    #expect(copy.core.mainGrid.invariantViolation() == nil)
    #expect(copy.core.altGrid.invariantViolation() == nil)
  }

  @Test func restoredTerminalGoesOnAsTheOriginal() throws {
    let t = Self.richTerminal()
    let copy = try Terminal(snapshot: t.snapshot())
    for (i, chunk) in Self.continuation.enumerated() {
      t.feed(chunk)
      copy.feed(chunk)
      #expect(t.takeReplies() == copy.takeReplies(), "chunk \(i)")
      expectSameState(t, copy)
      if i == 3 {
        t.resize(columns: 45, rows: 25)
        copy.resize(columns: 45, rows: 25)
        expectSameState(t, copy)
      }
    }
    // A snapshot of the restored terminal restores to the same again.
    let again = try Terminal(snapshot: copy.snapshot())
    expectSameState(copy, again)
  }

  @Test func sequencesCutAtTheSnapshotAreFinishedAfterIt() throws {
    let cuts: [([UInt8], [UInt8])] = [
      (Array("ab\(csi)3".utf8), Array("1;4mred\(csi)0m".utf8)),
      ([0x61, 0xE4, 0xB8], [0xAD, 0x62]),  // 中 split
      (Array("x\(esc)]2;half a ti".utf8), Array("tle\u{07}y".utf8)),
      (Array("👩\u{200D}".utf8), Array("👧 done".utf8)),  // ZWJ joins across
      (Array("z\(csi)?20".utf8), Array("04h".utf8)),
      (Array("q\(esc)".utf8), Array("7w\(esc)8".utf8)),
    ]
    for (before, after) in cuts {
      let t = Terminal(columns: 20, rows: 4, historyLimit: 10)
      t.feed(before)
      let copy = try Terminal(snapshot: t.snapshot())
      t.feed(after)
      copy.feed(after)
      expectSameState(t, copy)
    }
  }

  @Test func historyWithLinesPulledBackRoundTrips() throws {
    // Enough history for two chunks; a taller screen pulls back more lines
    // than the newest chunk holds, a shorter one pushes them again.
    let t = Terminal(columns: 40, rows: 5, historyLimit: 10_000)
    t.feed((0..<3000).map { "history line \($0) 中 e\u{301}\r\n" }.joined())
    t.resize(columns: 40, rows: 2000)
    t.resize(columns: 40, rows: 5)
    t.feed((0..<20).map { "new \($0)\r\n" }.joined())
    let copy = try Terminal(snapshot: t.snapshot())
    expectSameState(t, copy)
    let more = (0..<100).map { "more \($0)\r\n" }.joined()
    t.feed(more)
    copy.feed(more)
    t.resize(columns: 40, rows: 300)
    copy.resize(columns: 40, rows: 300)
    expectSameState(t, copy)
  }

  @Test func freshAndHistorylessTerminalsRoundTrip() throws {
    for t in [Terminal(columns: 80, rows: 24), Terminal(columns: 1, rows: 1, historyLimit: 0)] {
      let copy = try Terminal(snapshot: t.snapshot())
      expectSameState(t, copy)
      t.feed("hello\r\nworld")
      copy.feed("hello\r\nworld")
      expectSameState(t, copy)
    }
  }

  @Test func snapshotAppendsToABuffer() throws {
    let t = Self.richTerminal(historyLines: 10)
    var out: [UInt8] = [1, 2, 3]
    t.appendSnapshot(to: &out)
    #expect(Array(out[0..<3]) == [1, 2, 3])
    #expect(Array(out[3...]) == t.snapshot())
    let copy = try out.withUnsafeBytes { raw in
      try Terminal(snapshot: UnsafeRawBufferPointer(rebasing: raw[3...]))
    }
    expectSameState(t, copy)
  }

  // MARK: Bad input

  /// A small snapshot with something in every part.
  static func smallSnapshot() -> [UInt8] {
    let t = Terminal(columns: 10, rows: 4, historyLimit: 5)
    t.feed(
      "a\(csi)31mb中e\u{301}\r\n1\r\n2\r\n3\r\n4\r\n5\(esc)]2;t\u{07}\(csi)22t\(csi)?1049h\(csi)44mz"
    )
    return t.snapshot()
  }

  @Test func everyTruncationThrows() {
    let full = Self.smallSnapshot()
    #expect(full.count > 50)
    for n in 0..<full.count {
      #expect(throws: SnapshotError.self, "length \(n)") {
        try Terminal(snapshot: Array(full[0..<n]))
      }
    }
    #expect(throws: SnapshotError.self) { try Terminal(snapshot: full + [0]) }
  }

  @Test func randomBytesThrow() {
    var rng = SeededRandom(state: 0x5AA9)
    for _ in 0..<3000 {
      let n = Int(rng.next() % 400)
      let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      #expect(throws: SnapshotError.self) { try Terminal(snapshot: bytes) }
      // Past the magic too: whatever it holds, no trap.
      if let t = try? Terminal(snapshot: [0x42, 0x54, 0x53, 1] + bytes) { expectSound(t) }
    }
  }

  @Test func mutatedSnapshotsThrowOrStaySound() {
    let full = Self.smallSnapshot()
    var rng = SeededRandom(state: 0x1234)
    var restored = 0
    for i in 0..<full.count {
      for value: UInt8 in [0, 1, 0x7F, 0x80, 0xFF, UInt8(truncatingIfNeeded: rng.next())] {
        var bytes = full
        bytes[i] = value
        guard let t = try? Terminal(snapshot: bytes) else { continue }
        restored += 1
        expectSound(t)
      }
    }
    #expect(restored > 0)
  }

  @Test func hugeClaimsThrowBeforeAllocating() {
    let header: [UInt8] = [0x42, 0x54, 0x53, 1]
    func varint(_ v: UInt64) -> [UInt8] {
      var w = SnapshotWriter()
      w.varint(v)
      return w.bytes
    }
    let cases: [[UInt8]] = [
      header + varint(1 << 40) + varint(24),
      header + varint(10_000) + varint(10_000) + varint(100),
      header + varint(80) + varint(UInt64.max),
      header + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
      [0x42, 0x54, 0x53, 99] + varint(80) + varint(24),
      Array("not a snapshot at all".utf8),
    ]
    for bytes in cases {
      #expect(throws: SnapshotError.self) { try Terminal(snapshot: bytes) }
    }
    // A fresh terminal's snapshot ends with the history count: claim 2^40 lines.
    var fresh = Terminal(columns: 80, rows: 24).snapshot()
    #expect(fresh.last == 0)
    fresh.removeLast()
    do throws(SnapshotError) {
      _ = try Terminal(snapshot: fresh + varint(1 << 40))
      Issue.record("a huge history count was accepted")
    } catch {
      #expect(error.message.hasPrefix("terminal snapshot: "))
      #expect(error.message.contains("history lines"))
      #expect(!error.message.contains("\n"))
    }
  }

  @Test func foreignBytesSayWhatTheyAre() {
    do throws(SnapshotError) {
      _ = try Terminal(snapshot: Array("PK\u{3}\u{4}zip".utf8))
      Issue.record("accepted")
    } catch {
      #expect(error.message == "terminal snapshot: not a berth terminal snapshot")
    }
    do throws(SnapshotError) {
      _ = try Terminal(snapshot: [0x42, 0x54, 0x53, 3])
      Issue.record("accepted")
    } catch {
      #expect(error.message.contains("version 3"))
    }
  }

  // MARK: Size and speed

  @Test func sizeAndTimeOfALargeSnapshot() throws {
    let t = Terminal(columns: 200, rows: 50, historyLimit: 10_000)
    var s: [UInt8] = []
    for i in 0..<10_050 {
      s += Array("\(csi)3\(i % 8)m\(i): \(csi)m".utf8)
      s += Array(String(repeating: "text of a line ", count: 8).utf8)
      if i % 5 == 0 { s += Array("中文 e\u{301} \(csi)1mbold\(csi)m".utf8) }
      s += [0x0D, 0x0A]
    }
    t.feed(s)
    #expect(t.historyCount == 10_000)
    let clock = ContinuousClock()
    var bytes: [UInt8] = []
    let saving = clock.measure { bytes = t.snapshot() }
    var copy: Terminal?
    let restoring = try clock.measure { copy = try Terminal(snapshot: bytes) }
    print(
      "snapshot of 200x50 with 10,000 lines of history: \(bytes.count) bytes,",
      "taken in \(saving), restored in \(restoring) (history in memory:",
      "\(t.core.scrollback.memoryFootprint) bytes)")
    if let copy { expectSameState(t, copy) }
  }
}

// MARK: Comparing terminals

/// Every part of the state a snapshot keeps is the same in `a` and `b`.
func expectSameState(
  _ a: Terminal, _ b: Terminal, sourceLocation: SourceLocation = #_sourceLocation
) {
  let x = a.core
  let y = b.core
  // Only what differs is named: the values can be whole screens.
  func same<T: Equatable>(_ l: T, _ r: T, _ what: String) {
    let equal = l == r
    #expect(equal, "\(what) differs", sourceLocation: sourceLocation)
  }
  same(x.columns, y.columns, "columns")
  same(x.rows, y.rows, "rows")
  same(x.historyLimit, y.historyLimit, "history limit")
  same(a.hardcopy(includeHistory: true), b.hardcopy(includeHistory: true), "hardcopy -h")
  same(x.grid === x.altGrid, y.grid === y.altGrid, "alternate screen shown")
  for (name, g, h) in [("main", x.mainGrid, y.mainGrid), ("alt", x.altGrid, y.altGrid)] {
    for row in 0..<min(g.rows, h.rows) {
      let l = Array(UnsafeBufferPointer(start: g.readRow(row), count: g.columns))
      let r = Array(UnsafeBufferPointer(start: h.readRow(row), count: h.columns))
      same(l, r, "\(name) row \(row)")
      same(g.isWrapped(row), h.isWrapped(row), "\(name) row \(row) wrapped")
    }
    #expect(h.invariantViolation() == nil, sourceLocation: sourceLocation)
  }
  same(x.scrollback.count, y.scrollback.count, "history lines")
  same(x.scrollback.added, y.scrollback.added, "history lines added")
  for i in 0..<min(x.scrollback.count, y.scrollback.count) {
    let (l, lw) = x.scrollback.withLine(i) { (Array($0), $1) }
    let (r, rw) = y.scrollback.withLine(i) { (Array($0), $1) }
    same(l, r, "history line \(i)")
    same(lw, rw, "history line \(i) wrapped")
  }
  same(x.combining.allEntries, y.combining.allEntries, "combining marks")
  same(x.x, y.x, "cursor x")
  same(x.y, y.y, "cursor y")
  same(x.pendingWrap, y.pendingWrap, "pending wrap")
  same(x.style, y.style, "pen")
  same(x.sgr3IsStandout, y.sgr3IsStandout, "sgr3IsStandout")
  same(x.charsets, y.charsets, "charsets")
  for (name, l, r) in [
    ("main", x.savedMain, y.savedMain), ("alt", x.savedAlt, y.savedAlt),
    ("for alt", x.savedForAltScreen, y.savedForAltScreen),
  ] {
    same(l.x, r.x, "saved \(name) x")
    same(l.y, r.y, "saved \(name) y")
    same(l.pendingWrap, r.pendingWrap, "saved \(name) pending wrap")
    same(l.style, r.style, "saved \(name) style")
    same(l.charsets, r.charsets, "saved \(name) charsets")
    same(l.originMode, r.originMode, "saved \(name) origin mode")
  }
  same(x.scrollTop, y.scrollTop, "scroll top")
  same(x.scrollBottom, y.scrollBottom, "scroll bottom")
  same(x.tabStops, y.tabStops, "tab stops")
  same(x.modeState, y.modeState, "modes")
  same(x.cursorIsVisible, y.cursorIsVisible, "cursor visible")
  same(x.cursorShapeValue, y.cursorShapeValue, "cursor shape")
  same(x.titleValue, y.titleValue, "title")
  same(x.iconName, y.iconName, "icon name")
  same(x.titleStack, y.titleStack, "title stack")
  same(x.lastGraphic, y.lastGraphic, "last graphic")
  same(x.joinNext, y.joinNext, "join next")
  same(x.parserState, y.parserState, "parser state")
  same(x.utf8Need, y.utf8Need, "UTF-8 awaited")
  if x.utf8Need > 0 {
    same(x.utf8Value, y.utf8Value, "UTF-8 value")
    same(x.utf8Lower, y.utf8Lower, "UTF-8 lower")
    same(x.utf8Upper, y.utf8Upper, "UTF-8 upper")
  }
  same(x.sequence.paramCount, y.sequence.paramCount, "parameters")
  for i in 0..<min(x.sequence.paramCount, y.sequence.paramCount, 32) {
    same(x.sequence.params[i], y.sequence.params[i], "parameter \(i)")
  }
  same(x.sequence.marker, y.sequence.marker, "marker")
  same(x.sequence.intermediates, y.sequence.intermediates, "intermediates")
  if x.parserState == .oscString { same(x.sequence.osc, y.sequence.osc, "OSC string") }
}

/// A restored terminal keeps the engine's invariants and takes more input.
func expectSound(_ t: Terminal, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(t.core.mainGrid.invariantViolation() == nil, sourceLocation: sourceLocation)
  #expect(t.core.altGrid.invariantViolation() == nil, sourceLocation: sourceLocation)
  t.feed("more \(csi)b\(csi)?1049l\(esc)8text 中 e\u{301}\r\n\(csi)23t\(csi)6n\(csi)S")
  t.resize(columns: t.columns + 3, rows: t.rows + 2)
  _ = t.hardcopy(includeHistory: true)
  #expect(t.core.mainGrid.invariantViolation() == nil, sourceLocation: sourceLocation)
}
