// What the user's terminal sends, cut into events (for the client, and for
// bindkey's strings in the server): plain bytes, special keys
// (in any of the forms terminals use: CSI, SS3, with xterm's modifier
// parameter), bracketed pastes, SGR and legacy mouse reports, and focus
// changes. The server encodes them again for the program's own modes.
//
// No escape-time: a lone ESC at the end of a read is the Escape key at once.
// Only a sequence cut off after `ESC [` or `ESC O` waits, for the next read
// or a few milliseconds (see `flushPending`).

public enum InputEvent: Equatable, Sendable {
  case text([UInt8])
  case key(Key, KeyModifiers)
  /// A key legacy bytes cannot say (C-Enter, S-Enter, C-;, C-S-a): its
  /// code as kitty numbers keys (the Unicode scalar; 13 Enter, 9 Tab,
  /// 27 Esc, 127 Backspace). See ExtendedKeyInput.swift.
  case character(UInt32, KeyModifiers)
  case paste([UInt8])
  case mouse(MouseEvent)
  case focus(Bool)
}

public struct InputParser {
  private var pending: [UInt8] = []
  private var pasting = false
  private var pasteBuffer: [UInt8] = []
  /// A paste larger than this is passed on in pieces.
  static let pasteChunk = 1 << 20
  private static let pasteEnd: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]

  public init() {}

  /// Bytes are held back waiting for the rest of a sequence.
  public var hasPending: Bool { !pending.isEmpty || pasting }

  public mutating func parse(_ input: ArraySlice<UInt8>) -> [InputEvent] {
    var b = pending
    b.append(contentsOf: input)
    pending.removeAll()
    var events: [InputEvent] = []
    var text: [UInt8] = []
    func flushText() {
      if !text.isEmpty {
        events.append(.text(text))
        text.removeAll()
      }
    }
    var i = 0
    while i < b.count {
      if pasting {
        flushText()
        i = consumePaste(b, from: i, into: &events)
        continue
      }
      let c = b[i]
      guard c == 0x1B else {
        text.append(c)
        i += 1
        continue
      }
      guard i + 1 < b.count else {
        text.append(c)  // a lone Escape key
        i += 1
        continue
      }
      let next = b[i + 1]
      if next == UInt8(ascii: "[") || next == UInt8(ascii: "O") {
        switch sequence(b, at: i) {
        case .incomplete:
          pending = Array(b[i...])
          i = b.count
        case .unknown(let end):
          text.append(contentsOf: b[i..<end])
          i = end
        case .ignored(let end):
          i = end
        case .event(let event, let end):
          flushText()
          if case .paste = event {
            pasting = true
          } else {
            events.append(event)
          }
          i = end
        }
      } else {
        // ESC and a key: Alt+key, passed on as it is.
        text.append(c)
        i += 1
      }
    }
    flushText()
    return events
  }

  /// The bytes held for an unfinished sequence, as typed text: called when
  /// nothing more came for a moment, so that nothing is held for long.
  public mutating func flushPending() -> [InputEvent] {
    var events: [InputEvent] = []
    if pasting {
      events.append(.paste(pasteBuffer + pending))
      pasting = false
      pasteBuffer.removeAll()
    } else if !pending.isEmpty {
      events.append(.text(pending))
    }
    pending.removeAll()
    return events
  }

  /// Collects pasted bytes up to the end marker; returns where parsing goes on.
  private mutating func consumePaste(_ b: [UInt8], from start: Int, into events: inout [InputEvent])
    -> Int
  {
    let end = Self.pasteEnd
    var i = start
    while i < b.count {
      if b[i] == 0x1B {
        let available = min(end.count, b.count - i)
        if Array(b[i..<i + available]) == Array(end[..<available]) {
          if available < end.count {
            pending = Array(b[i...])  // the marker may be cut between reads
            return b.count
          }
          events.append(.paste(pasteBuffer))
          pasteBuffer.removeAll()
          pasting = false
          return i + end.count
        }
      }
      pasteBuffer.append(b[i])
      if pasteBuffer.count >= Self.pasteChunk {
        events.append(.paste(pasteBuffer))
        pasteBuffer.removeAll()
      }
      i += 1
    }
    return i
  }

  private enum Sequence {
    case incomplete
    case unknown(end: Int)
    /// A sequence that says nothing for the program (a key release).
    case ignored(end: Int)
    case event(InputEvent, end: Int)
  }

  /// Reads `ESC [ ...` or `ESC O x` at i.
  private func sequence(_ b: [UInt8], at i: Int) -> Sequence {
    if b[i + 1] == UInt8(ascii: "O") {
      guard i + 2 < b.count else { return .incomplete }
      guard let key = Self.ss3Keys[b[i + 2]] else { return .unknown(end: i + 3) }
      return .event(.key(key, []), end: i + 3)
    }
    // CSI: parameter and intermediate bytes, then a final byte.
    var j = i + 2
    while j < b.count, b[j] >= 0x20, b[j] < 0x40 { j += 1 }
    guard j < b.count else { return j - i > 64 ? .unknown(end: j) : .incomplete }
    let final = b[j]
    guard final >= 0x40, final <= 0x7E else { return .unknown(end: j) }
    let body = b[(i + 2)..<j]
    if final == UInt8(ascii: "M") && body.isEmpty {
      // Legacy mouse: three bytes follow.
      guard j + 3 < b.count else { return .incomplete }
      let event = Self.legacyMouse(b[j + 1], b[j + 2], b[j + 3])
      return event.map { .event(.mouse($0), end: j + 4) } ?? .unknown(end: j + 4)
    }
    if let extended = Self.extendedKey(body, final) {
      return extended.map { .event($0, end: j + 1) } ?? .ignored(end: j + 1)
    }
    guard let event = Self.csiEvent(body, final) else { return .unknown(end: j + 1) }
    return .event(event, end: j + 1)
  }

  private static func params(_ body: ArraySlice<UInt8>) -> [Int]? {
    var result: [Int] = []
    var value = 0
    var digits = 0
    for c in body {
      if c >= 0x30 && c <= 0x39 {
        value = min(value * 10 + Int(c - 0x30), 100_000)
        digits += 1
      } else if c == UInt8(ascii: ";") {
        result.append(value)
        value = 0
        digits = 0
      } else {
        return nil
      }
    }
    if digits > 0 || !result.isEmpty { result.append(value) }
    return result
  }

  private static func modifiers(_ p: [Int], at i: Int) -> KeyModifiers {
    guard i < p.count, p[i] > 1, p[i] <= 16 else { return [] }
    return KeyModifiers(rawValue: UInt8(p[i] - 1))
  }

  private static func csiEvent(_ body: ArraySlice<UInt8>, _ final: UInt8) -> InputEvent? {
    if body.first == UInt8(ascii: "<") {
      guard final == UInt8(ascii: "M") || final == UInt8(ascii: "m"),
        let p = params(body.dropFirst()), p.count == 3
      else { return nil }
      return sgrMouse(p[0], p[1], p[2], release: final == UInt8(ascii: "m")).map { .mouse($0) }
    }
    guard let p = params(body) else { return nil }
    switch final {
    case UInt8(ascii: "I") where p.isEmpty: return .focus(true)
    case UInt8(ascii: "O") where p.isEmpty: return .focus(false)
    case UInt8(ascii: "Z"): return .key(.backTab, [])
    case UInt8(ascii: "~"):
      guard let n = p.first else { return nil }
      if n == 200 { return .paste([]) }
      guard let key = tildeKeys[n] else { return nil }
      return .key(key, modifiers(p, at: 1))
    default:
      guard let key = letterKeys[final] else { return nil }
      return .key(key, modifiers(p, at: 1))
    }
  }

  private static func sgrMouse(_ code: Int, _ x: Int, _ y: Int, release: Bool) -> MouseEvent? {
    guard x >= 1, y >= 1, code >= 0, code < 256 else { return nil }
    var mods: KeyModifiers = []
    if code & 4 != 0 { mods.insert(.shift) }
    if code & 8 != 0 { mods.insert(.alt) }
    if code & 16 != 0 { mods.insert(.control) }
    let button = UInt8(code & 0b1100_0011)
    let kind: MouseEvent.Kind = release ? .release : code & 32 != 0 ? .motion : .press
    return MouseEvent(button: button, kind: kind, x: x - 1, y: y - 1, modifiers: mods)
  }

  private static func legacyMouse(_ cb: UInt8, _ cx: UInt8, _ cy: UInt8) -> MouseEvent? {
    guard cb >= 32, cx > 32, cy > 32 else { return nil }
    let code = Int(cb) - 32
    var e = sgrMouse(code, Int(cx) - 32, Int(cy) - 32, release: false)
    // Legacy reports say "released" without saying which button.
    if code & 0b11 == 3 && code & 64 == 0 && code & 32 == 0 { e?.kind = .release }
    return e
  }

  private static let letterKeys: [UInt8: Key] = [
    UInt8(ascii: "A"): .up, UInt8(ascii: "B"): .down, UInt8(ascii: "C"): .right,
    UInt8(ascii: "D"): .left, UInt8(ascii: "H"): .home, UInt8(ascii: "F"): .end,
    UInt8(ascii: "P"): .f1, UInt8(ascii: "Q"): .f2, UInt8(ascii: "R"): .f3, UInt8(ascii: "S"): .f4,
  ]

  private static let tildeKeys: [Int: Key] = [
    1: .home, 7: .home, 2: .insert, 3: .delete, 4: .end, 8: .end, 5: .pageUp, 6: .pageDown,
    11: .f1, 12: .f2, 13: .f3, 14: .f4, 15: .f5, 17: .f6, 18: .f7, 19: .f8, 20: .f9, 21: .f10,
    23: .f11, 24: .f12,
  ]

  private static let ss3Keys: [UInt8: Key] = [
    UInt8(ascii: "A"): .up, UInt8(ascii: "B"): .down, UInt8(ascii: "C"): .right,
    UInt8(ascii: "D"): .left, UInt8(ascii: "H"): .home, UInt8(ascii: "F"): .end,
    UInt8(ascii: "P"): .f1, UInt8(ascii: "Q"): .f2, UInt8(ascii: "R"): .f3, UInt8(ascii: "S"): .f4,
    UInt8(ascii: "p"): .keypad0, UInt8(ascii: "q"): .keypad1, UInt8(ascii: "r"): .keypad2,
    UInt8(ascii: "s"): .keypad3, UInt8(ascii: "t"): .keypad4, UInt8(ascii: "u"): .keypad5,
    UInt8(ascii: "v"): .keypad6, UInt8(ascii: "w"): .keypad7, UInt8(ascii: "x"): .keypad8,
    UInt8(ascii: "y"): .keypad9, UInt8(ascii: "M"): .keypadEnter, UInt8(ascii: "k"): .keypadPlus,
    UInt8(ascii: "m"): .keypadMinus, UInt8(ascii: "j"): .keypadMultiply,
    UInt8(ascii: "o"): .keypadDivide, UInt8(ascii: "n"): .keypadDecimal,
    UInt8(ascii: "X"): .keypadEqual,
  ]
}
