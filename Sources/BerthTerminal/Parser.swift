// The DEC/ANSI escape-sequence state machine of "A parser for DEC's
// ANSI-compatible video terminals" (vt100.net), as a table: each state lists
// byte ranges with the action to take and the state to go to, and the rows are
// packed once into a byte table indexed by `state << 8 | byte` that yields
// `action << 4 | next state`. Adding a sequence is a row, not a branch.
//
// Differences from the original, as xterm and tmux in UTF-8 mode behave:
// bytes 0x80-0xFF are UTF-8 (decoded in ground by the terminal, collected into
// OSC strings, ignored elsewhere), never 8-bit C1 controls; ':' separates
// sub-parameters (`38:2::r:g:b`) instead of sending CSI to ignore; BEL ends
// an OSC string. The loop that runs the table lives in Terminal.feed.

/// Parser states; fits in the low 4 bits of a table entry.
enum ParserState: UInt8 {
  case ground = 0
  case escape
  case escapeIntermediate
  case csiEntry
  case csiParam
  case csiIntermediate
  case csiIgnore
  case dcsEntry
  case dcsParam
  case dcsIntermediate
  case dcsPassthrough
  case dcsIgnore
  case oscString
  case sosPmApcString
}

/// What to do with a byte; fits in the high 4 bits of a table entry.
enum ParserAction: UInt8 {
  case none = 0
  case print
  case execute
  /// Forget the sequence collected so far (entering escape, CSI or DCS).
  case clear
  case collect
  case param
  case escDispatch
  case csiDispatch
  case oscStart
  case oscPut
  /// Dispatch the OSC string; also clears, since ESC ends it and starts a sequence.
  case oscEnd
}

enum ParserTable {
  /// One row of the state machine: bytes `lo...hi` in `state` do `action`
  /// and move to `next` (nil: stay).
  private struct Row {
    var state: ParserState?  // nil: anywhere
    var lo: UInt8
    var hi: UInt8
    var action: ParserAction
    var next: ParserState?
  }

  private static func rows() -> [Row] {
    typealias S = ParserState
    var r: [Row] = []
    func add(_ s: S?, _ lo: UInt8, _ hi: UInt8, _ a: ParserAction, _ n: S? = nil) {
      r.append(Row(state: s, lo: lo, hi: hi, action: a, next: n))
    }
    // C0 controls execute in every state but the strings, which ignore them.
    let c0: [(UInt8, UInt8)] = [(0x00, 0x17), (0x19, 0x19), (0x1C, 0x1F)]
    for s in [
      S.ground, .escape, .escapeIntermediate, .csiEntry, .csiParam, .csiIntermediate, .csiIgnore,
    ] {
      for (lo, hi) in c0 { add(s, lo, hi, .execute) }
      add(s, 0x7F, 0x7F, .none)
    }

    add(.ground, 0x20, 0x7E, .print)
    add(.ground, 0x80, 0xFF, .print)  // UTF-8, decoded by the terminal

    add(.escape, 0x20, 0x2F, .collect, .escapeIntermediate)
    add(.escape, 0x30, 0x7E, .escDispatch, .ground)
    add(.escape, 0x50, 0x50, .clear, .dcsEntry)  // P
    add(.escape, 0x58, 0x58, .none, .sosPmApcString)  // X
    add(.escape, 0x5B, 0x5B, .clear, .csiEntry)  // [
    add(.escape, 0x5D, 0x5D, .oscStart, .oscString)  // ]
    add(.escape, 0x5E, 0x5F, .none, .sosPmApcString)  // ^ _
    add(.escape, 0x80, 0xFF, .none, .ground)

    add(.escapeIntermediate, 0x20, 0x2F, .collect)
    add(.escapeIntermediate, 0x30, 0x7E, .escDispatch, .ground)
    add(.escapeIntermediate, 0x80, 0xFF, .none, .ground)

    add(.csiEntry, 0x20, 0x2F, .collect, .csiIntermediate)
    add(.csiEntry, 0x30, 0x3B, .param, .csiParam)
    add(.csiEntry, 0x3C, 0x3F, .collect, .csiParam)  // private marker
    add(.csiEntry, 0x40, 0x7E, .csiDispatch, .ground)
    add(.csiEntry, 0x80, 0xFF, .none, .csiIgnore)

    add(.csiParam, 0x20, 0x2F, .collect, .csiIntermediate)
    add(.csiParam, 0x30, 0x3B, .param)
    add(.csiParam, 0x3C, 0x3F, .none, .csiIgnore)
    add(.csiParam, 0x40, 0x7E, .csiDispatch, .ground)
    add(.csiParam, 0x80, 0xFF, .none, .csiIgnore)

    add(.csiIntermediate, 0x20, 0x2F, .collect)
    add(.csiIntermediate, 0x30, 0x3F, .none, .csiIgnore)
    add(.csiIntermediate, 0x40, 0x7E, .csiDispatch, .ground)
    add(.csiIntermediate, 0x80, 0xFF, .none, .csiIgnore)

    add(.csiIgnore, 0x20, 0x3F, .none)
    add(.csiIgnore, 0x40, 0x7E, .none, .ground)
    add(.csiIgnore, 0x80, 0xFF, .none)

    // DCS: berth answers no DCS request, so its parts are only skipped.
    for s in [S.dcsEntry, .dcsParam, .dcsIntermediate, .dcsPassthrough, .dcsIgnore] {
      add(s, 0x00, 0x7F, .none)
      add(s, 0x80, 0xFF, .none)
    }
    add(.dcsEntry, 0x20, 0x2F, .none, .dcsIntermediate)
    add(.dcsEntry, 0x30, 0x3B, .none, .dcsParam)
    add(.dcsEntry, 0x3C, 0x3F, .none, .dcsParam)
    add(.dcsEntry, 0x40, 0x7E, .none, .dcsPassthrough)
    add(.dcsParam, 0x20, 0x2F, .none, .dcsIntermediate)
    add(.dcsParam, 0x3C, 0x3F, .none, .dcsIgnore)
    add(.dcsParam, 0x40, 0x7E, .none, .dcsPassthrough)
    add(.dcsIntermediate, 0x30, 0x3F, .none, .dcsIgnore)
    add(.dcsIntermediate, 0x40, 0x7E, .none, .dcsPassthrough)

    add(.oscString, 0x00, 0x1F, .none)
    add(.oscString, 0x07, 0x07, .oscEnd, .ground)  // BEL ends it, as in xterm
    add(.oscString, 0x20, 0xFF, .oscPut)

    add(.sosPmApcString, 0x00, 0xFF, .none)

    // Anywhere: CAN and SUB cancel, ESC starts a sequence (and ends a string).
    add(nil, 0x18, 0x18, .execute, .ground)
    add(nil, 0x1A, 0x1A, .execute, .ground)
    add(nil, 0x1B, 0x1B, .clear, .escape)
    add(.oscString, 0x18, 0x18, .none, .ground)  // cancelled: not dispatched
    add(.oscString, 0x1A, 0x1A, .none, .ground)
    add(.oscString, 0x1B, 0x1B, .oscEnd, .escape)
    return r
  }

  static let stateCount = 14

  /// `table[state << 8 | byte]` is `action << 4 | next state`; later rows win.
  static let table: [UInt8] = {
    var t = [UInt8](repeating: 0, count: stateCount * 256)
    for s in 0..<stateCount {
      for b in 0..<256 { t[s << 8 | b] = UInt8(s) }  // default: ignore, stay
    }
    for row in rows() {
      let states =
        row.state.map { [$0] } ?? (0..<stateCount).compactMap { ParserState(rawValue: UInt8($0)) }
      for s in states {
        for b in Int(row.lo)...Int(row.hi) {
          t[Int(s.rawValue) << 8 | b] = row.action.rawValue << 4 | (row.next ?? s).rawValue
        }
      }
    }
    return t
  }()
}

/// The parts of the sequence being parsed: parameters with their colon
/// sub-parameters, private marker, intermediates, and an OSC string.
/// Everything is bounded: parameters saturate at 65535, at most 32 are kept,
/// at most 2 intermediates, and OSC strings at 64 KiB (the excess is dropped).
struct SequenceBuffer {
  static let maxParams = 32
  static let maxParamValue = 65535
  static let maxOSCLength = 65536

  var params = InlineArray<32, UInt16>(repeating: 0)
  /// Parameters in use (the one being typed included).
  var paramCount = 0
  /// Bit i: parameter i followed a ':' (it belongs to the parameter before).
  var subParamMask: UInt32 = 0
  /// More parameters came than are kept: the rest are skipped.
  var paramOverflow = false
  /// Private marker (`<`, `=`, `>` or `?`), or 0.
  var marker: UInt8 = 0
  /// Up to two intermediates, the first in the low byte; `tooMany` past that.
  var intermediates: UInt16 = 0
  var intermediateCount = 0
  var osc: [UInt8] = []
  var oscOverflow = false

  @inline(__always)
  mutating func clear() {
    paramCount = 0
    subParamMask = 0
    paramOverflow = false
    marker = 0
    intermediates = 0
    intermediateCount = 0
  }

  @inline(__always)
  mutating func collect(_ byte: UInt8) {
    if byte >= 0x3C && byte <= 0x3F {
      marker = byte
    } else {
      if intermediateCount < 2 {
        intermediates |= UInt16(byte) << (8 * UInt16(intermediateCount))
      }
      intermediateCount &+= 1
    }
  }

  /// A digit, ';' or ':' of the parameter list.
  @inline(__always)
  mutating func param(_ byte: UInt8) {
    if paramCount == 0 {
      paramCount = 1
      params[0] = 0
    }
    if paramOverflow { return }
    if byte <= 0x39 {
      let i = paramCount &- 1
      let v = Int(params[i]) &* 10 &+ Int(byte &- 0x30)
      params[i] = UInt16(v > SequenceBuffer.maxParamValue ? SequenceBuffer.maxParamValue : v)
    } else if paramCount < SequenceBuffer.maxParams {
      if byte == 0x3A { subParamMask |= 1 << UInt32(paramCount) }
      params[paramCount] = 0
      paramCount &+= 1
    } else {
      paramOverflow = true
    }
  }

  /// The parameter bytes (digits, ';' and ':') from `p[start]` on, as far
  /// as they go before `end`, as `param` would take them one by one but with
  /// the parameter being typed in a local; returns the index of the last.
  @inline(__always)
  mutating func params(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
    if paramCount == 0 {
      paramCount = 1
      params[0] = 0
    }
    if paramOverflow {
      // Past the last parameter kept: the rest are skipped.
      var i = start
      while i &+ 1 < end && p[i &+ 1] >= 0x30 && p[i &+ 1] <= 0x3B { i &+= 1 }
      return i
    }
    var count = paramCount
    var value = Int(params[count &- 1])
    var i = start
    var byte = p[i]
    while true {
      let d = byte &- 0x30
      if d < 10 {
        value = value &* 10 &+ Int(d)
        if value > SequenceBuffer.maxParamValue { value = SequenceBuffer.maxParamValue }
      } else if d <= 0x0B {
        guard count < SequenceBuffer.maxParams else {
          paramOverflow = true
          params[count &- 1] = UInt16(truncatingIfNeeded: value)
          paramCount = count
          return params(p, from: i, to: end)
        }
        params[count &- 1] = UInt16(truncatingIfNeeded: value)
        if d == 0x0A { subParamMask |= 1 << UInt32(count) }
        count &+= 1
        value = 0
      } else {
        break
      }
      i &+= 1
      guard i < end else { break }
      byte = p[i]
    }
    params[count &- 1] = UInt16(truncatingIfNeeded: value)
    paramCount = count
    return max(i &- 1, start)
  }

  /// Parameter `i`, or `defaultValue` when it is absent or 0.
  @inline(__always)
  func param(_ i: Int, default defaultValue: Int) -> Int {
    guard i < paramCount else { return defaultValue }
    let v = Int(params[i])
    return v == 0 ? defaultValue : v
  }

  /// Parameter `i` as given (absent is 0).
  @inline(__always)
  func raw(_ i: Int) -> Int {
    i < paramCount ? Int(params[i]) : 0
  }

  @inline(__always)
  func isSubParam(_ i: Int) -> Bool {
    i < 32 && subParamMask & (1 << UInt32(i)) != 0
  }

  mutating func oscStart() {
    osc.removeAll(keepingCapacity: osc.capacity <= 4096)
    oscOverflow = false
  }

  @inline(__always)
  mutating func oscPut(_ byte: UInt8) {
    if osc.count < SequenceBuffer.maxOSCLength {
      osc.append(byte)
    } else {
      oscOverflow = true
    }
  }
}
