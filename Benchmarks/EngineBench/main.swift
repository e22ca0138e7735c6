// Engine throughput: three generated corpora of about 64 MB each (plain ASCII
// scrolling lines, dense SGR colour, mixed UTF-8 with CJK wide characters)
// fed to a 120x40 terminal in 64 KiB chunks, as a PTY would deliver them.
// Prints MB/s per corpus (best of a few runs). Build in release:
//   swift build -c release && .build/release/EngineBench [megabytes [corpus [history]]]
// corpus: plain, sgr, utf8, or cjk (CJK text alone, not in the default three);
// history: the history limit in lines (default 10000; 0 measures without history).

import BerthTerminal

/// SplitMix64: deterministic, so every run measures the same bytes.
struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

let megabytes = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 64 : 64
/// An optional second argument picks one corpus: plain, sgr, utf8 or cjk.
let only = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : nil
let historyLimit =
  CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 10_000 : 10_000
let target = megabytes << 20

func appendASCII(_ s: String, _ out: inout [UInt8]) { out.append(contentsOf: s.utf8) }

func plainCorpus() -> [UInt8] {
  var rng = SplitMix(state: 1)
  var out: [UInt8] = []
  out.reserveCapacity(target + 256)
  while out.count < target {
    let length = rng.below(119)
    var column = 0
    while column < length {
      let word = 1 + rng.below(10)
      for _ in 0..<min(word, length - column) { out.append(UInt8(0x61 + rng.below(26))) }
      column += word
      if column < length {
        out.append(0x20)
        column += 1
      }
    }
    out.append(0x0D)
    out.append(0x0A)
  }
  return out
}

func sgrCorpus() -> [UInt8] {
  var rng = SplitMix(state: 2)
  var out: [UInt8] = []
  out.reserveCapacity(target + 256)
  while out.count < target {
    var column = 0
    let length = 40 + rng.below(79)
    while column < length {
      switch rng.below(4) {
      case 0: appendASCII("\u{1B}[38;5;\(rng.below(256))m", &out)
      case 1:
        appendASCII("\u{1B}[38;2;\(rng.below(256));\(rng.below(256));\(rng.below(256))m", &out)
      case 2:
        appendASCII(
          "\u{1B}[1;48;5;\(rng.below(256));38:2::\(rng.below(256)):\(rng.below(256)):9m", &out)
      default: appendASCII("\u{1B}[0;\(30 + rng.below(8));\(40 + rng.below(8))m", &out)
      }
      let n = min(1 + rng.below(6), length - column)
      for _ in 0..<n { out.append(UInt8(0x21 + rng.below(94))) }
      column += n
    }
    appendASCII("\u{1B}[m\r\n", &out)
  }
  return out
}

func unicodeCorpus() -> [UInt8] {
  var rng = SplitMix(state: 3)
  var out: [UInt8] = []
  out.reserveCapacity(target + 256)
  let latin: [UInt32] = [0xE9, 0xE8, 0xFC, 0xF6, 0xE7, 0xF1, 0x3B1, 0x3B2, 0x436, 0x44F]
  let emoji: [UInt32] = [0x1F600, 0x1F680, 0x1F44D, 0x2728]
  func scalar(_ v: UInt32) { appendUTF8(v, to: &out) }
  while out.count < target {
    var column = 0
    let length = rng.below(118)
    while column < length {
      switch rng.below(10) {
      case 0...4:  // CJK
        scalar(UInt32(0x4E00 + rng.below(0x5000)))
        column += 2
      case 5...6:
        scalar(latin[rng.below(latin.count)])
        column += 1
      case 7:
        scalar(emoji[rng.below(emoji.count)])
        column += 2
      case 8:
        scalar(0x65)
        scalar(0x301)
        column += 1
      default:
        let n = 1 + rng.below(8)
        for _ in 0..<n { out.append(UInt8(0x61 + rng.below(26))) }
        out.append(0x20)
        column += n + 1
      }
    }
    out.append(0x0D)
    out.append(0x0A)
  }
  return out
}

/// Not one of the three: lines of CJK text alone, for the wide-text path.
func cjkCorpus() -> [UInt8] {
  var rng = SplitMix(state: 4)
  var out: [UInt8] = []
  out.reserveCapacity(target + 256)
  while out.count < target {
    for _ in 0..<(rng.below(59)) { appendUTF8(UInt32(0x4E00 + rng.below(0x5000)), to: &out) }
    out.append(0x0D)
    out.append(0x0A)
  }
  return out
}

func measure(_ name: String, _ corpus: [UInt8], runs: Int = 3) {
  var best = Double.infinity
  let chunk = 65536
  for _ in 0..<runs {
    let terminal = Terminal(columns: 120, rows: 40, historyLimit: historyLimit)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      corpus.withUnsafeBytes { all in
        var offset = 0
        while offset < all.count {
          let end = min(offset + chunk, all.count)
          terminal.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
          offset = end
        }
      }
    }
    let c = elapsed.components
    let seconds = Double(c.seconds) + Double(c.attoseconds) / 1e18
    best = min(best, seconds)
    precondition(terminal.historyCount > 0 || terminal.historyLimit == 0)
  }
  let mb = Double(corpus.count) / 1_048_576
  let rate = Int(mb / best + 0.5)
  print("\(name): \(Int(mb + 0.5)) MB, \(rate) MB/s")
}

if only == nil || only == "plain" { measure("plain ASCII scrolling", plainCorpus()) }
if only == nil || only == "sgr" { measure("dense SGR colour     ", sgrCorpus()) }
if only == nil || only == "utf8" { measure("mixed UTF-8 with CJK ", unicodeCorpus()) }
if only == "cjk" { measure("CJK alone           ", cjkCorpus()) }
