// The user's terminal's answers to the client's queries, cut out of what the
// user types before it is parsed as keys, so that no answer (whole, cut
// between reads, malformed, or the query echoed back) reaches a program.
//
// Answers come in the same stream as keys. The filter works only while
// answers are outstanding: from the queries until DA1's answer (asked last,
// so it comes last) or `window` later; outside it, input is not looked at.
// Within it, a sequence that may begin an answer and ends a read is held,
// at most `maxHeld` bytes and `holdNanos` long (a lone ESC 15 ms, as the
// key parser waits for `ESC [`): then it goes on as keys if
// it can be one (ESC, ESC [, ESC P), and is dropped if it cannot (ESC [ ?,
// ESC [ >, ESC P >|). An answer longer than that is dropped, with the rest
// of it up to its end, a pause or the end of the window. The queries echoed
// back (`CSI > q`, `CSI > c`, `CSI ? 2026 $ p`, `CSI c`) are dropped only
// within the window: outside it `ESC [ c` is rxvt's Shift-Right.

/// One answer of the user's terminal.
public enum TerminalReply: Equatable, Sendable {
  /// XTVERSION: `DCS > | text ST`.
  case version(String)
  /// DA2: `CSI > Pp ; Pv ; Pc c`.
  case secondary([Int])
  /// DA1: `CSI ? Ps ; ... c`.
  case primary([Int])
  /// DECRQM's report: `CSI ? mode ; value $ y`.
  case mode(Int, Int)
}

public struct ReplyFilter: Sendable {
  /// How long after the queries answers are looked for.
  public static let window: UInt64 = 3_000_000_000
  /// How long a possible answer cut at the end of a read waits for its rest.
  public static let holdNanos: UInt64 = 100_000_000
  /// How long a lone ESC there waits: it is far more often the Escape key.
  public static let escapeHoldNanos: UInt64 = 15_000_000
  /// The longest answer taken; a longer one is dropped.
  public static let maxHeld = 512
  /// The most parameters an answer's are read for.
  static let maxParameters = 32

  /// Answers are looked for until this time (nil: not looking).
  private var listeningUntil: UInt64?
  /// The start of a possible answer, cut at the end of the last read.
  private var held: [UInt8] = []
  /// When `held` (or `discarding`) started waiting.
  private var heldSince: UInt64 = 0
  /// Dropping the rest of an overlong answer, until an ESC or a pause.
  private var discarding = false

  public init() {}

  /// The queries were just written.
  public mutating func asked(now: UInt64) {
    listeningUntil = now &+ Self.window
  }

  /// Answers are still expected.
  public func listening(now: UInt64) -> Bool {
    listeningUntil.map { now < $0 } ?? false
  }

  /// Input must go through `take` (else it is all keys).
  public func active(now: UInt64) -> Bool {
    listening(now: now) || !held.isEmpty || discarding
  }

  /// When `expire` must be called if no input comes first (nil: never).
  public var deadline: UInt64? {
    if held.isEmpty && !discarding { return nil }
    return heldSince &+ (held.count == 1 ? Self.escapeHoldNanos : Self.holdNanos)
  }

  /// Held bytes that waited long enough: the keys among them, if any.
  public mutating func expire(now: UInt64) -> [UInt8] {
    guard let deadline, now >= deadline else { return [] }
    discarding = false
    let bytes = held
    held.removeAll()
    if !listening(now: now) { listeningUntil = nil }
    return Self.couldBeKey(bytes) ? bytes : []
  }

  /// Cuts the answers out of one read; returns the keys left, in order.
  public mutating func take(_ input: ArraySlice<UInt8>, now: UInt64) -> (
    keys: [UInt8], replies: [TerminalReply]
  ) {
    var b = held
    b.append(contentsOf: input)
    held.removeAll()
    var keys: [UInt8] = []
    var replies: [TerminalReply] = []
    var i = 0
    if discarding {
      // The rest of an overlong answer, up to its end or the next sequence.
      while i < b.count && b[i] != 0x1B { i += 1 }
      if i + 1 < b.count && b[i + 1] == UInt8(ascii: "\\") { i += 2 }
      discarding = i >= b.count
      if discarding { heldSince = now }
    }
    var start = i
    while i < b.count {
      guard b[i] == 0x1B else {
        i += 1
        continue
      }
      switch Self.answer(in: b, at: i, echoes: listening(now: now)) {
      case .notAnswer:
        i += 1
      case .incomplete:
        keys.append(contentsOf: b[start..<i])
        if b.count - i > Self.maxHeld {
          // Too long to be an answer still coming: drop it and its rest.
          discarding = true
        } else {
          held = Array(b[i...])
        }
        heldSince = now
        start = b.count
        i = b.count
      case .answer(let reply, let end):
        keys.append(contentsOf: b[start..<i])
        if let reply {
          replies.append(reply)
          // DA1 was asked last: its answer is the last to come.
          if case .primary = reply { listeningUntil = nil }
        }
        i = end
        start = end
      }
    }
    keys.append(contentsOf: b[start..<b.count])
    if !listening(now: now) { listeningUntil = nil }
    return (keys, replies)
  }

  // MARK: - Reading one sequence

  enum Found: Equatable {
    case notAnswer
    /// It may be an answer, and the read ends before it does.
    case incomplete
    /// An answer (nil: one to drop: malformed, or a query echoed back)
    /// ending before `end`.
    case answer(TerminalReply?, end: Int)
  }

  /// What starts with the ESC at b[i]; `echoes`: `CSI c` is DA1's query
  /// echoed back (not rxvt's Shift-Right).
  static func answer(in b: [UInt8], at i: Int, echoes: Bool = true) -> Found {
    guard i + 1 < b.count else { return .incomplete }
    switch b[i + 1] {
    case UInt8(ascii: "P"): return deviceControl(b, at: i)
    case UInt8(ascii: "["): return controlSequence(b, at: i, echoes: echoes)
    default: return .notAnswer
    }
  }

  /// `ESC P > | text ESC \`: XTVERSION's answer.
  static func deviceControl(_ b: [UInt8], at i: Int) -> Found {
    let introducer: [UInt8] = [UInt8(ascii: ">"), UInt8(ascii: "|")]
    for (k, c) in introducer.enumerated() {
      guard i + 2 + k < b.count else { return .incomplete }
      guard b[i + 2 + k] == c else { return .notAnswer }  // Alt+P, typed
    }
    var j = i + 4
    while j < b.count && b[j] != 0x1B { j += 1 }
    guard j + 1 < b.count else { return .incomplete }
    guard b[j + 1] == UInt8(ascii: "\\") else {
      // Cut short by another sequence: drop what came of it.
      return .answer(nil, end: j)
    }
    guard j - i <= maxHeld else { return .answer(nil, end: j + 2) }
    let text = b[(i + 4)..<j].map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }
    return .answer(.version(String(decoding: text, as: UTF8.self)), end: j + 2)
  }

  /// `ESC [ ...`: DA1's, DA2's and DECRQM's answers, or a query echoed back.
  static func controlSequence(_ b: [UInt8], at i: Int, echoes: Bool) -> Found {
    var j = i + 2
    while j < b.count, b[j] >= 0x20, b[j] < 0x40 { j += 1 }
    let marker = i + 2 < b.count ? b[i + 2] : 0
    let isPrivate = marker == UInt8(ascii: "?") || marker == UInt8(ascii: ">")
    guard j < b.count else {
      // A key's sequence is never this long: let the key parser have it.
      return j - i > maxHeld && !isPrivate ? .notAnswer : .incomplete
    }
    let final = b[j]
    guard final >= 0x40, final <= 0x7E else {
      // Broken off by a control or another ESC: no key, nor an answer.
      return isPrivate ? .answer(nil, end: j) : .notAnswer
    }
    // No answer is this long: one that is was garbled.
    if isPrivate && j - i > maxHeld { return .answer(nil, end: j + 1) }
    let body = Array(b[(i + 2)..<j])
    let parameters = body.prefix { $0 >= 0x30 }
    let intermediates = body[parameters.count...]
    let c = UInt8(ascii: "c")
    switch (marker, Array(intermediates), final) {
    case (UInt8(ascii: "?"), [], c):
      return .answer(.primary(numbers(parameters.dropFirst())), end: j + 1)
    case (UInt8(ascii: ">"), [], c):
      // `CSI > c` and `CSI > 0 c` are the query itself, echoed.
      let p = numbers(parameters.dropFirst())
      return .answer(p.count > 1 ? .secondary(p) : nil, end: j + 1)
    case (UInt8(ascii: "?"), [UInt8(ascii: "$")], UInt8(ascii: "y")):
      let p = numbers(parameters.dropFirst())
      return .answer(p.count == 2 ? .mode(p[0], p[1]) : nil, end: j + 1)
    case (_, _, UInt8(ascii: "u")):
      return .notAnswer  // the kitty keyboard protocol's, not ours
    case _ where isPrivate:
      // `CSI > q`, `CSI ? 2026 $ p` echoed, or an answer with a wrong final.
      return .answer(nil, end: j + 1)
    case (_, [], c) where echoes && (body.isEmpty || body == [UInt8(ascii: "0")]):
      return .answer(nil, end: j + 1)  // `CSI c` echoed
    default:
      return .notAnswer
    }
  }

  /// Parameters as numbers, saturating; anything but digits counts as 0.
  static func numbers(_ text: ArraySlice<UInt8>) -> [Int] {
    var result: [Int] = []
    for field in text.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
      guard result.count < maxParameters else { break }
      var value = 0
      for d in field {
        guard d >= 0x30 && d <= 0x39 else {
          value = 0
          break
        }
        value = min(value * 10 + Int(d - 0x30), 1_000_000)
      }
      result.append(value)
    }
    return result
  }

  /// Held bytes that may be the start of a key: ESC, `ESC [` and a key's
  /// parameters, `ESC P`; never the start of an answer.
  static func couldBeKey(_ b: [UInt8]) -> Bool {
    guard b.count > 2 else { return true }
    if b[1] == UInt8(ascii: "P") { return false }  // ESC P >: no key goes on so
    return b[2] != UInt8(ascii: "?") && b[2] != UInt8(ascii: ">")
  }
}
