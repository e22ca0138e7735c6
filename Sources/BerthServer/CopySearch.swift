// Copy mode's searches: / and ? (typed, then Enter), n and N to repeat,
// and the incremental C-s and C-r, which move as each character is typed
// (backspace takes the last key back, C-g returns to where it began, Escape
// or Enter stays). One deviation from screen: / and ? wrap around the ends
// of the history, as vi does, instead of failing there.
import BerthTerminal

/// A search being typed in the last row.
struct SearchEntry {
  var forward: Bool
  var incremental: Bool
  /// Where the cursor was when it began.
  var origin: TextPosition
  var text = ""
  /// The incremental search found nothing for `text`.
  var failing = false
  /// The incremental search's keys so far (characters, C-s, C-r), which
  /// backspace replays but for the last.
  var keys: [UInt8] = []
  let startedForward: Bool

  init(forward: Bool, incremental: Bool, origin: TextPosition) {
    self.forward = forward
    self.incremental = incremental
    self.origin = origin
    startedForward = forward
  }
}

extension CopyMode {
  /// The question in the last row while a search is typed.
  var entryLine: String? {
    guard let e = entry else { return nil }
    guard e.incremental else { return (e.forward ? "/" : "?") + e.text }
    return (e.failing ? "failing " : "") + (e.forward ? "I-search: " : "I-search backward: ")
      + e.text
  }

  mutating func typeSearch(_ b: UInt8, _ t: Terminal, height: Int) -> Outcome {
    guard var e = entry else { return .stay }
    if e.incremental { return typeIncremental(b, &e, t, height: height) }
    switch b {
    case 0x0D, 0x0A:
      entry = nil
      guard !e.text.isEmpty else { return .stay }
      lastSearch = (e.forward, e.text)
      if !search(e.text, forward: e.forward, t, height: height) {
        return .message("Pattern not found")
      }
      return .stay
    case 0x1B, 0x07:
      entry = nil
      return .stay
    case 0x7F, 0x08:
      if e.text.isEmpty {
        entry = nil
        return .stay
      }
      e.text.removeLast()
    case 0x20..<0x7F: e.text.unicodeScalars.append(Unicode.Scalar(b))
    default: break
    }
    entry = e
    return .stay
  }

  private mutating func typeIncremental(
    _ b: UInt8, _ e: inout SearchEntry, _ t: Terminal, height: Int
  ) -> Outcome {
    switch b {
    case 0x07:  // C-g: back where it began
      entry = nil
      move(e.origin.x, e.origin.line, t, height: height)
      return .stay
    case 0x1B, 0x0D, 0x0A:
      entry = nil
      if !e.text.isEmpty { lastSearch = (e.forward, e.text) }
      return .stay
    case 0x7F, 0x08:
      guard !e.keys.isEmpty else { return .stay }
      let keys = e.keys.dropLast()
      e = SearchEntry(forward: e.startedForward, incremental: true, origin: e.origin)
      move(e.origin.x, e.origin.line, t, height: height)
      for key in keys { incrementalStep(key, &e, t, height: height) }
    case 0x13, 0x12, 0x20..<0x7F:
      incrementalStep(b, &e, t, height: height)
    default: break
    }
    entry = e
    return .stay
  }

  /// One key of an incremental search: a character searches for the text
  /// so far from the cursor on; C-s and C-r look for the next match (the
  /// last search's text, when nothing is typed yet).
  private mutating func incrementalStep(
    _ b: UInt8, _ e: inout SearchEntry, _ t: Terminal, height: Int
  ) {
    e.keys.append(b)
    if b == 0x13 || b == 0x12 {
      let forward = b == 0x13
      if e.text.isEmpty, forward == e.forward, let last = lastSearch { e.text = last.text }
      e.forward = forward
      guard !e.text.isEmpty else { return }
      e.failing = !search(e.text, forward: forward, t, height: height)
      return
    }
    e.text.unicodeScalars.append(Unicode.Scalar(b))
    e.failing = !search(e.text, forward: e.forward, t, height: height, includingCursor: true)
  }

  /// Moves to the next match of `text` after (or before) the cursor, or at
  /// it too when `includingCursor`, around the ends of the text.
  mutating func search(
    _ text: String, forward: Bool, _ t: Terminal, height: Int, includingCursor: Bool = false
  ) -> Bool {
    let needle = text.unicodeScalars.map { fold($0.value) }
    let lines = t.textLineCount
    guard !needle.isEmpty else { return false }
    var l = line
    var start = includingCursor ? x : forward ? x + 1 : x - 1
    for _ in 0...lines {
      // Characters, and the column each starts at (wide ones take two).
      let (chars, columns) = t.withTextLine(l) { cells in
        var chars: [UInt32] = []
        var columns: [Int] = []
        for (i, c) in cells.enumerated() where c.width != 0 {
          chars.append(fold(c.scalar))
          columns.append(i)
        }
        return (chars, columns)
      }
      let hits = matches(needle, in: chars)
      let hit = forward ? hits.first { columns[$0] >= start } : hits.last { columns[$0] <= start }
      if let hit {
        move(columns[hit], l, t, height: height)
        return true
      }
      l += forward ? 1 : -1
      if l < 0 || l >= lines { l = forward ? 0 : lines - 1 }
      start = forward ? 0 : Int.max
    }
    return false
  }

  /// A character as searches compare it: in lower case with ignorecase
  /// (where that is one character), else as it is.
  private func fold(_ v: UInt32) -> UInt32 {
    guard ignoreCase else { return v }
    if v < 0x80 { return (0x41...0x5A).contains(v) ? v | 0x20 : v }
    let lower = Unicode.Scalar(v)?.properties.lowercaseMapping.unicodeScalars
    guard let lower, lower.count == 1, let first = lower.first else { return v }
    return first.value
  }

  private func matches(_ needle: [UInt32], in chars: [UInt32]) -> [Int] {
    guard chars.count >= needle.count else { return [] }
    return (0...(chars.count - needle.count)).filter { i in
      chars[i..<(i + needle.count)].elementsEqual(needle)
    }
  }
}
