// Copy mode (C-a [): a cursor over a window's history and screen, moved
// with vi's keys, searching, and marking text for the paste buffer, as in
// screen. Positions are absolute lines: history first (0 = oldest), then
// the screen's rows. The state is the client's; the text is the window's.
import BerthTerminal

struct CopyMode {
  /// The first line shown, and the cursor.
  var top: Int
  var x: Int
  var line: Int
  /// Where the first space (or y) set the mark.
  var mark: (x: Int, line: Int)?
  /// A search being typed (after / or ?), and the last one made.
  var entry: (forward: Bool, text: String)?
  var lastSearch: (forward: Bool, text: String)?
  /// A repeat count typed before a movement.
  var count = 0
  /// Searches ignore case (ignorecase).
  let ignoreCase: Bool

  init(_ t: Terminal, ignoreCase: Bool = false) {
    self.ignoreCase = ignoreCase
    top = t.historyCount
    x = t.cursorX
    line = t.historyCount + t.cursorY
  }

  var entryLine: String? { entry.map { ($0.forward ? "/" : "?") + $0.text } }

  /// What a key does in copy mode.
  enum Outcome: Equatable {
    case stay
    case leave
    /// Leave and put this text in the paste buffer.
    case copy([UInt8])
    case message(String)
  }

  // MARK: - Text

  static func lineCount(_ t: Terminal) -> Int { t.historyCount + t.rows }

  static func withLine<R>(_ t: Terminal, _ i: Int, _ body: (UnsafeBufferPointer<Cell>) -> R) -> R {
    i < t.historyCount ? t.withHistoryRow(i, body) : t.withRow(i - t.historyCount, body)
  }

  static func isWrapped(_ t: Terminal, _ i: Int) -> Bool {
    i < t.historyCount ? t.historyRowIsWrapped(i) : t.rowIsWrapped(i - t.historyCount)
  }

  /// Line i's characters, one per cell (the right half of a wide one as "").
  static func characters(_ t: Terminal, _ i: Int) -> [UInt32] {
    withLine(t, i) { cells in cells.map { $0.width == 0 ? 0 : $0.scalar } }
  }

  /// The text from (x0, l0) to (x1, l1) inclusive: trailing blanks trimmed,
  /// wrapped lines joined, others ended with a newline.
  static func text(_ t: Terminal, from a: (x: Int, line: Int), to b: (x: Int, line: Int)) -> [UInt8]
  {
    let (s, e) = (a.line, a.x) <= (b.line, b.x) ? (a, b) : (b, a)
    var out: [UInt8] = []
    for i in s.line...e.line {
      withLine(t, i) { cells in
        let first = i == s.line ? s.x : 0
        let last = i == e.line ? min(e.x, cells.count - 1) : cells.count - 1
        guard first <= last else { return }
        var piece: [UInt8] = []
        for c in cells[first...last] where c.width != 0 {
          utf8(c.scalar, into: &piece)
          for m in c.combining == 0 ? [] : t.combiningMarks(c.combining) { utf8(m, into: &piece) }
        }
        let wrapped = isWrapped(t, i) && i != e.line
        if !wrapped { while piece.last == 0x20 { piece.removeLast() } }
        out += piece
        if i != e.line && !wrapped { out.append(0x0A) }
      }
    }
    return out
  }

  static func utf8(_ scalar: UInt32, into out: inout [UInt8]) {
    guard let u = Unicode.Scalar(scalar) else { return }
    out.append(contentsOf: String(Character(u)).utf8)
  }

  // MARK: - Keys

  /// A typed byte (or a cursor key as its vi letter); `height` is the view's.
  mutating func type(_ b: UInt8, _ t: Terminal, height: Int) -> Outcome {
    if entry != nil { return typeSearch(b, t) }
    let lines = Self.lineCount(t)
    let width = t.columns
    if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(b) || (b == UInt8(ascii: "0") && count > 0)
    {
      count = min(count * 10 + Int(b - UInt8(ascii: "0")), 100_000)
      return .stay
    }
    let n = max(count, 1)
    count = 0
    switch b {
    case UInt8(ascii: "h"), 0x08, 0x7F: x = max(0, x - n)
    case UInt8(ascii: "l"): x = min(width - 1, x + n)
    case UInt8(ascii: "j"), 0x0E, 0x0A: line = min(lines - 1, line + n)
    case UInt8(ascii: "k"), 0x10: line = max(0, line - n)
    case UInt8(ascii: "0"), UInt8(ascii: "^"): x = 0
    case UInt8(ascii: "$"):
      let chars = Self.characters(t, line)
      x = max(0, (chars.lastIndex { $0 != 0x20 && $0 != 0 } ?? 0))
    case UInt8(ascii: "H"): line = top
    case UInt8(ascii: "M"): line = min(lines - 1, top + height / 2)
    case UInt8(ascii: "L"): line = min(lines - 1, top + height - 1)
    case UInt8(ascii: "g"): (line, x) = (0, 0)
    case UInt8(ascii: "G"): line = lines - 1
    case 0x15: scroll(-max(1, height / 2) * n, lines: lines, height: height)  // C-u
    case 0x04: scroll(max(1, height / 2) * n, lines: lines, height: height)  // C-d
    case 0x02: scroll(-height * n, lines: lines, height: height)  // C-b
    case 0x06: scroll(height * n, lines: lines, height: height)  // C-f
    case UInt8(ascii: "w"): for _ in 0..<n { word(forward: true, t) }
    case UInt8(ascii: "b"): for _ in 0..<n { word(forward: false, t) }
    case UInt8(ascii: "/"), UInt8(ascii: "?"):
      entry = (b == UInt8(ascii: "/"), "")
    case UInt8(ascii: "n"), UInt8(ascii: "N"):
      guard let last = lastSearch else { return .message("No previous pattern") }
      if !search(last.text, forward: b == UInt8(ascii: "n") ? last.forward : !last.forward, t) {
        return .message("Pattern not found")
      }
    case UInt8(ascii: " "), 0x0D:
      guard let m = mark else {
        if b == 0x0D { return .leave }
        mark = (x, line)
        return .message("First mark set - Column \(x + 1) Line \(line + 1)")
      }
      return .copy(Self.text(t, from: m, to: (x, line)))
    case UInt8(ascii: "y"):
      mark = (0, line)
      return .message("First mark set - Column 1 Line \(line + 1)")
    case UInt8(ascii: "Y"):
      let start = mark.map { min($0.line, line) } ?? line
      return .copy(Self.text(t, from: (0, start), to: (width - 1, max(mark?.line ?? line, line))))
    case UInt8(ascii: "W"):
      let chars = Self.characters(t, line)
      guard x < chars.count, chars[x] != 0x20 else { return .stay }
      var s = x
      var e = x
      while s > 0, chars[s - 1] != 0x20 { s -= 1 }
      while e + 1 < chars.count, chars[e + 1] != 0x20 { e += 1 }
      return .copy(Self.text(t, from: (s, line), to: (e, line)))
    case 0x1B, UInt8(ascii: "q"), 0x07: return .leave
    default: return .stay
    }
    keepInView(height: height)
    return .stay
  }

  /// A cursor key, as the vi letter it stands for.
  mutating func press(_ key: Key, _ t: Terminal, height: Int) -> Outcome {
    let letter: UInt8
    switch key {
    case .up: letter = UInt8(ascii: "k")
    case .down: letter = UInt8(ascii: "j")
    case .left: letter = UInt8(ascii: "h")
    case .right: letter = UInt8(ascii: "l")
    case .home: letter = UInt8(ascii: "0")
    case .end: letter = UInt8(ascii: "$")
    case .pageUp: letter = 0x02
    case .pageDown: letter = 0x06
    default: return .stay
    }
    return type(letter, t, height: height)
  }

  /// Scrolls the view by `delta` lines (the mouse wheel), the cursor with it.
  mutating func scroll(lines delta: Int, _ t: Terminal, height: Int) {
    scroll(delta, lines: Self.lineCount(t), height: height)
  }

  private mutating func scroll(_ delta: Int, lines: Int, height: Int) {
    top = max(0, min(lines - height, top + delta))
    line = max(0, min(lines - 1, line + delta))
  }

  private mutating func keepInView(height: Int) {
    if line < top { top = line }
    if line >= top + height { top = line - height + 1 }
  }

  /// w and b: to the start of the next (or this or the previous) word.
  private mutating func word(forward: Bool, _ t: Terminal) {
    let lines = Self.lineCount(t)
    func isWord(_ l: Int, _ c: Int) -> Bool {
      let chars = Self.characters(t, l)
      return c < chars.count && chars[c] != 0x20 && chars[c] != 0
    }
    func step(_ p: (Int, Int)) -> (Int, Int)? {
      var (l, c) = p
      c += forward ? 1 : -1
      if c >= t.columns { (l, c) = (l + 1, 0) }
      if c < 0 { (l, c) = (l - 1, t.columns - 1) }
      return l >= 0 && l < lines ? (l, c) : nil
    }
    var p = (line, x)
    if forward {
      while isWord(p.0, p.1), let n = step(p) { p = n }
      while !isWord(p.0, p.1), let n = step(p) { p = n }
    } else {
      if let n = step(p) { p = n }
      while !isWord(p.0, p.1), let n = step(p) { p = n }
      while let n = step(p), isWord(n.0, n.1) { p = n }
    }
    (line, x) = p
  }

  private mutating func typeSearch(_ b: UInt8, _ t: Terminal) -> Outcome {
    guard var e = entry else { return .stay }
    switch b {
    case 0x0D, 0x0A:
      entry = nil
      guard !e.text.isEmpty else { return .stay }
      lastSearch = e
      if !search(e.text, forward: e.forward, t) { return .message("Pattern not found") }
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

  /// Moves to the next match of `text` after (or before) the cursor.
  mutating func search(_ text: String, forward: Bool, _ t: Terminal) -> Bool {
    let needle = text.unicodeScalars.map { fold($0.value) }
    let lines = Self.lineCount(t)
    guard !needle.isEmpty else { return false }
    var l = line
    var start = forward ? x + 1 : x - 1
    for _ in 0...lines {
      let chars = Self.characters(t, l).filter { $0 != 0 }.map(fold)
      let hits = matches(needle, in: chars)
      let hit = forward ? hits.first { $0 >= start } : hits.last { $0 <= start }
      if let hit {
        (line, x) = (l, hit)
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

  // MARK: - Drawing

  /// Draws the view into the region; returns where the cursor goes.
  func draw(_ w: Window, into canvas: inout Canvas, region r: Region) -> (
    x: Int, y: Int, visible: Bool
  ) {
    let t = w.terminal
    let lines = Self.lineCount(t)
    for y in 0..<r.height where top + y < lines {
      let l = top + y
      Self.withLine(t, l) { cells in
        canvas.put(cells, y: r.y + y, x: r.x, width: r.width, marks: t.combiningMarks)
      }
      guard let m = mark else { continue }
      let (s, e) = (m.line, m.x) <= (line, x) ? (m, (x: x, line: line)) : ((x: x, line: line), m)
      guard l >= s.line && l <= e.line else { continue }
      let from = l == s.line ? s.x : 0
      let to = l == e.line ? e.x : r.width - 1
      canvas.restyle(y: r.y + y, x: r.x + from, width: to - from + 1) {
        $0.attributes.formSymmetricDifference(.reverse)
      }
    }
    return (r.x + min(x, r.width - 1), r.y + line - top, line >= top && line - top < r.height)
  }
}
