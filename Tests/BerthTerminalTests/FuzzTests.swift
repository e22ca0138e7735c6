// Hostile input: seeded random bytes and mutated escape sequences must never
// trap or hang, and history stays within its bound.

import Testing

@testable import BerthTerminal

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct FuzzTests {
  static let fragments: [String] = [
    "\u{1B}[", "\u{1B}]", "\u{1B}P", "\u{1B}(0", "\u{1B}#8", "\u{1B}7", "\u{1B}8", "\u{1B}c",
    "\u{1B}M",
    "\u{1B}[?1049h", "\u{1B}[?1049l", "\u{1B}[?47h", "\u{1B}[?6h", "\u{1B}[?7l", "\u{1B}[4h",
    "\u{1B}[2J",
    "\u{1B}[3J", "\u{1B}[r", "\u{1B}[5;2r", "\u{1B}[L", "\u{1B}[99M", "\u{1B}[9999@",
    "\u{1B}[65535P",
    "\u{1B}[38:2::1:2:3m", "\u{1B}[48;5;300m", "\u{1B}[b", "\u{1B}[22t", "\u{1B}[23t", "\u{1B}[6n",
    "\u{1B}]2;t\u{07}", "\u{1B}]52;c;", "\u{1B}\\", "中", "\u{301}", "\u{200D}", "\u{FE0F}", "👍🏽",
    "\r", "\n", "\t", "\u{8}", "\u{0E}", "\u{0F}", ";", ":", "9999999", "?", "$p", " q",
  ]

  @Test func randomAndMutatedInputNeverTraps() {
    var rng = SeededRandom(state: 0xBE27)
    let t = Terminal(columns: 37, rows: 11, historyLimit: 50)
    var total = 0
    var chunk: [UInt8] = []
    while total < 2_000_000 {
      chunk.removeAll(keepingCapacity: true)
      while chunk.count < 4096 {
        switch rng.next() % 4 {
        case 0:
          for _ in 0..<(rng.next() % 16) { chunk.append(UInt8(truncatingIfNeeded: rng.next())) }
        case 1:
          let f = Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))]
          chunk += Array(f.utf8)
        case 2:
          // A fragment with one byte flipped.
          var f = Array(Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))].utf8)
          if !f.isEmpty {
            f[Int(rng.next() % UInt64(f.count))] ^= UInt8(truncatingIfNeeded: rng.next())
          }
          chunk += f
        default:
          for _ in 0..<(rng.next() % 40) { chunk.append(UInt8(0x20 + rng.next() % 95)) }
        }
      }
      t.feed(chunk)
      total += chunk.count
      if rng.next() % 64 == 0 {
        t.resize(columns: Int(1 + rng.next() % 60), rows: Int(1 + rng.next() % 20))
      }
      #expect(t.historyCount <= 50)
      #expect(t.core.mainGrid.invariantViolation() == nil)
      #expect(t.core.altGrid.invariantViolation() == nil)
      #expect(t.cursorX >= 0 && t.cursorX < t.columns && t.cursorY >= 0 && t.cursorY < t.rows)
    }
    _ = t.hardcopy(includeHistory: true)
    for i in 0..<t.historyCount { t.withHistoryRow(i) { _ in } }
    _ = t.takeReplies()
  }

  @Test func tinyScreensSurviveHostileInput() {
    // One to three columns: every wide character and wrap is an edge case.
    var rng = SeededRandom(state: 7)
    for columns in 1...3 {
      for rows in 1...3 {
        let t = Terminal(columns: columns, rows: rows, historyLimit: 5)
        var bytes: [UInt8] = []
        for _ in 0..<4000 {
          let f = Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))]
          bytes += Array(f.utf8)
          if rng.next() % 3 == 0 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        }
        t.feed(bytes)
        #expect(t.core.mainGrid.invariantViolation() == nil)
        #expect(t.core.altGrid.invariantViolation() == nil)
        #expect(t.historyCount <= 5)
        #expect(t.cursorX < columns && t.cursorY < rows)
      }
    }
  }

  @Test func everyByteInEveryState() {
    // Each parser state, then each byte value, then text: nothing sticks.
    let prefixes = [
      "", "\u{1B}", "\u{1B}(", "\u{1B}[", "\u{1B}[1", "\u{1B}[ ", "\u{1B}[?", "\u{1B}P",
      "\u{1B}P1", "\u{1B}P$", "\u{1B}Pq", "\u{1B}]", "\u{1B}]2;", "\u{1B}X", "\u{E4}",
      "\u{F0}\u{9F}",
    ]
    for p in prefixes {
      for b in 0..<256 {
        let t = Terminal(10, 2)
        t.feed(Array(p.utf8) + [UInt8(b)])
        t.feed("\u{1B}\\\u{18}\u{1B}(B\u{0F}\rok")
        #expect(
          t.line(0).hasSuffix("ok") || t.line(1).hasSuffix("ok"),
          "prefix \(p.debugDescription) byte \(b)")
      }
    }
  }
}
