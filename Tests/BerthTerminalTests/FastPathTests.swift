// The fast paths (runs of ASCII and of UTF-8 printed with the cursor in
// locals) must leave exactly what the general path leaves: the same input fed
// whole and fed a byte at a time (which never takes a run) must agree.

import Testing

@testable import BerthTerminal

@Suite struct FastPathTests {
  static let pieces = [
    "abc", "x", " ", "中", "文字", "é", "ß", "e\u{301}", "\u{1F600}", "\u{1F44D}\u{1F3FD}",
    "\u{1F468}\u{200D}\u{1F469}", "\u{2764}\u{FE0F}", "\u{C2}\u{80}", "\u{FF}", "\u{E4}\u{B8}",
    "한국", "\r\n", "\r", "\u{8}", "\t", "\(csi)4h", "\(csi)4l", "\(csi)?7l", "\(csi)?7h",
    "\(csi)1;31m", "\(csi)m", "\(csi)44m", "\(csi)H", "\(csi)5;9H", "\(csi)2K", "\(csi)3@",
    "\(csi)2P", "\(esc)(0", "\(esc)(B", "\u{E}", "\u{F}", "\(csi)2b", "\(esc)M", "\(csi)?1049h",
    "\(csi)?1049l", "\(csi)38;2;300;2;3m", "\(csi)38:2::10:20:30m", "\(csi)99999999C",
    "\(csi)" + (1...40).map { "\($0 % 10)" }.joined(separator: ";") + "m", "\(csi)4:3;58:5:1m",
    "\(csi)0;1;2;3;4;5;7;8;9;21;22;23;24;27;28;29;39;49m", "\(csi)2;3r", "\(csi)r",
  ]

  /// Screen, cursor and history of a terminal, for comparing.
  static func state(_ t: Terminal) -> [String] {
    var out = (0..<t.rows).map { y in t.withRow(y) { "\(Array($0))" } + "\(t.rowIsWrapped(y))" }
    out += (0..<t.historyCount).map { i in t.withHistoryRow(i) { "\(Array($0))" } }
    out.append("\(t.cursor) \(t.core.pendingWrap) \(t.core.lastGraphic) \(t.core.joinNext)")
    out.append("\(t.core.style)")
    return out
  }

  @Test(arguments: [1, 2, 3, 5, 7, 80])
  func wholeAndByteByByteAgree(columns: Int) {
    var seed = UInt64(columns) &* 0x9E37_79B9
    func next(_ n: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(n))
    }
    for _ in 0..<40 {
      var bytes: [UInt8] = []
      for _ in 0..<(20 + next(60)) {
        bytes += Array(FastPathTests.pieces[next(FastPathTests.pieces.count)].utf8)
      }
      if next(4) == 0 { bytes += [0xE4, 0xB8, 0x41, 0xF0, 0x9F, 0x98] }  // cut sequences
      let whole = Terminal(columns, 4, history: 50)
      let single = Terminal(columns, 4, history: 50)
      whole.feed(bytes)
      for b in bytes { single.feed([b]) }
      #expect(FastPathTests.state(whole) == FastPathTests.state(single))
      #expect(whole.core.grid.invariantViolation() == nil)
    }
  }

  /// Parameter bytes taken in one go agree with taking them one by one.
  @Test func parameterRunsAgreeWithSingleBytes() {
    var seed: UInt64 = 7
    func next(_ n: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(n))
    }
    for _ in 0..<2000 {
      let bytes = (0..<(1 + next(90))).map { _ in UInt8(0x30 + next(12)) } + [0x6D]
      var one = SequenceBuffer()
      for b in bytes.dropLast() { one.param(b) }
      var run = SequenceBuffer()
      let last = bytes.withUnsafeBufferPointer {
        run.params($0.baseAddress!, from: 0, to: $0.count)
      }
      #expect(last == bytes.count - 2)
      #expect(run.paramCount == one.paramCount)
      #expect(run.paramOverflow == one.paramOverflow)
      #expect(run.subParamMask == one.subParamMask)
      for i in 0..<32 { #expect(run.raw(i) == one.raw(i)) }
    }
  }

  /// Mixed text in long lines (printText's loop): ASCII runs, CJK at and
  /// across the margin, marks after runs and after wide characters, ZWJ and
  /// emoji modifiers, with autowrap on and off and over old wide characters.
  @Test(arguments: [1, 2, 3, 4, 9, 10, 11, 40])
  func mixedTextAgreesWithSingleBytes(columns: Int) {
    let pieces = [
      "a", "bc", "defgh", " ", "中", "文字", "한", "é", "ж", "α", "e\u{301}", "\u{301}",
      "\u{301}\u{302}", "\u{200D}", "\u{1F468}\u{200D}\u{1F469}", "\u{1F44D}\u{1F3FD}",
      "\u{1F3FD}", "\u{FE0F}", "\u{1F600}", "\u{2728}", "\u{C2}\u{85}", "\u{FFFD}",
      "\u{10FFFF}", "\r", "\r\n", "\(csi)?7l", "\(csi)?7h", "\(csi)5G", "\(csi)1;32m", "\(csi)m",
    ]
    var seed = UInt64(columns) &* 0x2545_F491
    func next(_ n: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(n))
    }
    for _ in 0..<60 {
      var bytes: [UInt8] = []
      for _ in 0..<(30 + next(120)) { bytes += Array(pieces[next(pieces.count)].utf8) }
      let whole = Terminal(columns, 3, history: 20)
      let single = Terminal(columns, 3, history: 20)
      whole.feed(bytes)
      for b in bytes { single.feed([b]) }
      #expect(FastPathTests.state(whole) == FastPathTests.state(single))
      #expect(whole.core.grid.invariantViolation() == nil)
    }
  }

  /// Every lead byte with continuation bytes at the edges of the valid
  /// ranges (overlong, surrogate, past U+10FFFF), after ASCII and alone.
  @Test func utf8EdgesAgreeWithSingleBytes() {
    let seconds: [UInt8] = [0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0]
    for lead in UInt8(0x80)...0xFF {
      for second in seconds {
        for prefix in [[], [UInt8(0x61)]] {
          let bytes = prefix + [lead, second, 0x80, 0xBF, 0x41]
          let whole = Terminal(8, 2, history: 4)
          let single = Terminal(8, 2, history: 4)
          whole.feed(bytes)
          for b in bytes { single.feed([b]) }
          #expect(FastPathTests.state(whole) == FastPathTests.state(single), "\(bytes)")
        }
      }
    }
  }
}
