// Copy mode (C-a [): a cursor over a window's history and screen, moved
// with screen's (vi's) keys, searching, and marking text for the paste
// buffer, as screen's copy mode does, key for key. Positions are text
// lines: history first (0 = oldest), then the screen's rows. The state is
// the client's; the text is the window's. Motions and the marked text
// themselves are the engine's (TextMotion, TextSelection).
import BerthTerminal

struct CopyMode {
  /// The first line shown, and the cursor.
  var top: Int
  var x: Int
  var line: Int
  /// Where the first mark was set (space, y, W).
  var mark: TextPosition?
  /// The rectangle's margins (c and C; v sets the left one to column 9);
  /// no right margin is the line's end, whatever the width.
  var left = 0
  var right: Int?
  /// a toggles it: the copy goes after what the paste buffer holds.
  var append = false
  /// > sets it: the paste buffer goes to the exchange file after the copy.
  var writeFile = false
  /// J cycles it: what goes between the lines copied.
  var join = Join.lines
  /// A repeat count typed before a key.
  var count = 0
  /// f, F, t or T waiting for its character, and the last one done.
  var pendingFind: UInt8?
  var lastFind: (kind: UInt8, target: UInt32)?
  /// A search being typed, and the last one made.
  var entry: SearchEntry?
  var lastSearch: (forward: Bool, text: String)?
  /// Searches ignore case (ignorecase).
  let ignoreCase: Bool

  init(_ t: Terminal, ignoreCase: Bool = false) {
    self.ignoreCase = ignoreCase
    top = t.historyCount
    x = min(t.cursorX, t.columns - 1)
    line = t.historyCount + t.cursorY
  }

  var cursor: TextPosition { TextPosition(x: x, line: line) }

  /// What a key does in copy mode.
  enum Outcome: Equatable {
    case stay
    case leave
    /// Leave, and put this in the paste buffer.
    case copy(Copied)
    case message(String)
  }

  struct Copied: Equatable {
    var text: [UInt8]
    /// After what the buffer holds, with `separator` between (a, A).
    var append = false
    var separator: [UInt8] = [0x0A]
    /// Then write the buffer to the exchange file (>).
    var writeFile = false
  }

  /// What J puts between the lines copied (and before an appended copy).
  enum Join: Int {
    case lines, glued, blanks, commas

    var separator: [UInt8] {
      switch self {
      case .lines: [0x0A]
      case .glued: []
      case .blanks: [0x20]
      case .commas: [0x2C]
      }
    }

    var message: String {
      switch self {
      case .lines: "Multiple lines (LF)"
      case .glued: "Lines joined"
      case .blanks: "Lines joined with blanks"
      case .commas: "Lines joined with comma"
      }
    }

    var next: Join { Join(rawValue: (rawValue + 1) % 4) ?? .lines }
  }

  /// The text marked from the first mark to the cursor.
  func selection(_ mark: TextPosition) -> TextSelection {
    TextSelection(mark, cursor, left: left, right: right ?? .max)
  }

  // MARK: - Keys

  /// A typed byte; `height` is the view's.
  mutating func type(_ b: UInt8, _ t: Terminal, height: Int) -> Outcome {
    if entry != nil { return typeSearch(b, t, height: height) }
    if let kind = pendingFind {
      pendingFind = nil
      // Any printable character is the one to find; anything else is a key
      // of its own (screen's rule), keeping the count.
      if (0x21...0x7E).contains(b) {
        defer { count = 0 }
        lastFind = (kind, UInt32(b))
        find(kind, UInt32(b), count: max(count, 1), t, height: height)
        return .stay
      }
    }
    if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(b) || (b == UInt8(ascii: "0") && count > 0)
    {
      count = min(count * 10 + Int(b - UInt8(ascii: "0")), 100_000)
      return .stay
    }
    let given = count
    count = 0
    let n = max(given, 1)
    let lines = t.textLineCount
    switch b {
    case UInt8(ascii: "h"), 0x08: move(x - n, line, t, height: height)
    case UInt8(ascii: "l"): move(x + n, line, t, height: height)
    case UInt8(ascii: "j"), 0x0E: move(x, line + n, t, height: height)
    case UInt8(ascii: "k"), 0x10: move(x, line - n, t, height: height)
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      let l = max(0, min(lines - 1, line + (b == UInt8(ascii: "+") ? n : -n)))
      move(t.firstNonBlank(line: l, from: left) ?? left, l, t, height: height)
    case UInt8(ascii: "^"):
      move(t.firstNonBlank(line: line, from: left) ?? left, line, t, height: height)
    case UInt8(ascii: "$"):
      move(t.lastNonBlank(line: line, upTo: right ?? .max) ?? left, line, t, height: height)
    case UInt8(ascii: "0"), 0x01: move(left, line, t, height: height)
    case 0x0A: move(left, line + 1, t, height: height)  // C-j
    case UInt8(ascii: "|"): move(given - 1, line, t, height: height)
    case UInt8(ascii: "H"): move(left, top, t, height: height)
    case UInt8(ascii: "M"): move(left, top + (height - 1) / 2, t, height: height)
    case UInt8(ascii: "L"): move(left, top + height - 1, t, height: height)
    case UInt8(ascii: "g"): move(left, 0, t, height: height, row: (height - 1) / 2)
    case UInt8(ascii: "G"):
      move(left, given > 0 ? given - 1 : lines - 1, t, height: height, row: (height - 1) / 2)
    case UInt8(ascii: "%"):
      move(left, min(given, 100) * lines / 100, t, height: height, row: (height - 1) / 2)
    case 0x04, 0x15:  // C-d, C-u: half a screen (or the count), the view along
      let step = given > 0 ? given : (height + 1) / 2
      move(x, line + (b == 0x04 ? step : -step), t, height: height, row: line - top)
    case 0x06: move(x, line + n * height, t, height: height)  // C-f
    case 0x02: move(x, line - n * height, t, height: height)  // C-b
    case 0x05, 0x19:  // C-e, C-y: the view by lines, the cursor kept in it
      scrollView(by: b == 0x05 ? n : -n, lines: lines, height: height)
    case UInt8(ascii: "w"): moveWord(.nextStart, n, t, height: height)
    case UInt8(ascii: "e"): moveWord(.nextEnd, n, t, height: height)
    case UInt8(ascii: "E"): moveWord(WordMotion.nextEnd.union(.big), n, t, height: height)
    case UInt8(ascii: "b"): moveWord(.previousStart, n, t, height: height)
    case UInt8(ascii: "B"): moveWord(WordMotion.previousStart.union(.big), n, t, height: height)
    case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "t"), UInt8(ascii: "T"):
      pendingFind = b
      count = given
    case UInt8(ascii: ";"), UInt8(ascii: ","):
      guard let last = lastFind else { break }
      // , goes the other way: f and F (t and T) differ in one bit.
      find(
        b == UInt8(ascii: ";") ? last.kind : last.kind ^ 0x20, last.target, count: n, t,
        height: height)
    case UInt8(ascii: "/"), UInt8(ascii: "?"), 0x13, 0x12:  // C-s and C-r: incremental
      entry = SearchEntry(
        forward: b == UInt8(ascii: "/") || b == 0x13, incremental: b == 0x13 || b == 0x12,
        origin: cursor)
    case UInt8(ascii: "n"), UInt8(ascii: "N"):
      guard let last = lastSearch else { return .message("No previous pattern") }
      let forward = b == UInt8(ascii: "n") ? last.forward : !last.forward
      if !search(last.text, forward: forward, t, height: height) {
        return .message("Pattern not found")
      }
    case UInt8(ascii: "a"):
      append.toggle()
      return .message(append ? ":set append" : ":set noappend")
    case UInt8(ascii: "c"), UInt8(ascii: "C"):
      setMargin(left: b == UInt8(ascii: "c"), given > 0 ? given - 1 : x, t)
    case UInt8(ascii: "v"), UInt8(ascii: "V"):
      setMargin(left: true, left == 8 ? 0 : 8, t)
      return .message(left == 8 ? ":set nu" : ":set nonu")
    case UInt8(ascii: "J"):
      join = join.next
      return .message(join.message)
    case UInt8(ascii: "x"), UInt8(ascii: "o"):
      guard let m = mark else { break }
      mark = cursor
      move(m.x, m.line, t, height: height)
    case 0x07:  // C-g
      let last = min(right ?? .max, t.columns - 1)
      let column =
        left == 0 && last == t.columns - 1 ? "\(x + 1)" : "\(x + 1)(\(left + 1)..\(last + 1))"
      return .message("Column \(column) Line \(line - top + 1)(+\(top))")
    case UInt8(ascii: "y"), UInt8(ascii: "Y"):
      if mark == nil {
        move(t.firstNonBlank(line: line, from: left) ?? left, line, t, height: height)
        mark = cursor
      }
      if n > 1 { move(x, line + n - 1, t, height: height) }
      move(t.lastNonBlank(line: line, upTo: right ?? .max) ?? left, line, t, height: height)
      return b == UInt8(ascii: "Y") ? copy(t) : .stay
    case UInt8(ascii: "W"):
      if mark == nil {
        let start = t.wordSpan(at: cursor).0
        move(start.x, start.line, t, height: height)
        mark = cursor
      }
      let end = t.position(after: .toEnd, from: cursor, count: n)
      move(end.x, end.line, t, height: height)
      return copy(t)
    case UInt8(ascii: "A"), UInt8(ascii: ">"), UInt8(ascii: " "), 0x0D:
      if b == UInt8(ascii: "A") { append = true }
      if b == UInt8(ascii: ">") { writeFile = true }
      guard mark != nil else {
        mark = cursor
        return .message("First mark set - Column \(x + 1) Line \(line - top + 1)")
      }
      return copy(t)
    case 0x0C, UInt8(ascii: "@"): break  // C-l redraws (every key does); @ does nothing
    default: return .leave
    }
    return .stay
  }

  /// A special key: the cursor keys as h, j, k and l, Home and End as g and
  /// G, the page keys as C-b and C-f; any other leaves, as in screen.
  mutating func press(_ key: Key, _ t: Terminal, height: Int) -> Outcome {
    guard entry == nil else { return .stay }
    pendingFind = nil
    let letter: UInt8
    switch key {
    case .up: letter = UInt8(ascii: "k")
    case .down: letter = UInt8(ascii: "j")
    case .left: letter = UInt8(ascii: "h")
    case .right: letter = UInt8(ascii: "l")
    case .home: letter = UInt8(ascii: "g")
    case .end: letter = UInt8(ascii: "G")
    case .pageUp: letter = 0x02
    case .pageDown: letter = 0x06
    default: return .leave
    }
    return type(letter, t, height: height)
  }

  private func copy(_ t: Terminal) -> Outcome {
    guard let m = mark else { return .stay }
    return .copy(
      Copied(
        text: selection(m).text(in: t, separator: join.separator), append: append,
        separator: join.separator, writeFile: writeFile))
  }

  // MARK: - Moving

  /// Moves the cursor to column x of line l (both clamped), scrolling the
  /// view as little as keeps it in view, or else so that it shows on `row`.
  mutating func move(_ x: Int, _ l: Int, _ t: Terminal, height: Int, row: Int? = nil) {
    let lines = t.textLineCount
    let rightward = x > self.x
    line = max(0, min(lines - 1, l))
    self.x = max(0, min(t.columns - 1, x))
    // Not onto the right half of a wide character: past it, or to its left half.
    let onRightHalf = t.withTextLine(line) { self.x < $0.count && $0[self.x].width == 0 }
    if onRightHalf { self.x = rightward && self.x + 1 < t.columns ? self.x + 1 : self.x - 1 }
    if let row { top = line - row }
    if line < top { top = line }
    if line >= top + height { top = line - height + 1 }
    top = max(0, min(max(0, lines - height), top))
  }

  private mutating func moveWord(_ motion: WordMotion, _ n: Int, _ t: Terminal, height: Int) {
    let p = t.position(after: motion, from: cursor, count: n)
    move(p.x, p.line, t, height: height)
  }

  /// f, F, t or T (`kind`) for `target`: nowhere when the line lacks it.
  private mutating func find(
    _ kind: UInt8, _ target: UInt32, count: Int, _ t: Terminal, height: Int
  ) {
    let forward = kind == UInt8(ascii: "f") || kind == UInt8(ascii: "t")
    let till = kind == UInt8(ascii: "t") || kind == UInt8(ascii: "T")
    guard
      let column = t.column(
        of: target, from: x, line: line, forward: forward, till: till, count: count)
    else { return }
    move(column, line, t, height: height)
  }

  /// c and C: the rectangle's left or right margin, never past the other.
  private mutating func setMargin(left isLeft: Bool, _ column: Int, _ t: Terminal) {
    let c = max(0, min(t.columns - 1, column))
    if isLeft { left = min(c, right ?? c) } else { right = max(c, left) }
  }

  /// Scrolls the view by `delta` lines (the mouse wheel), the cursor with it.
  mutating func scroll(lines delta: Int, _ t: Terminal, height: Int) {
    let lines = t.textLineCount
    top = max(0, min(lines - height, top + delta))
    line = max(0, min(lines - 1, line + delta))
  }

  /// C-e and C-y: the view moves, the cursor stays unless it would leave it.
  private mutating func scrollView(by delta: Int, lines: Int, height: Int) {
    top = max(0, min(max(0, lines - height), top + delta))
    line = max(top, min(top + height - 1, line))
    line = min(line, lines - 1)
  }

  // MARK: - Drawing

  /// Draws the view into the region; returns where the cursor goes.
  func draw(_ w: Window, into canvas: inout Canvas, region r: Region) -> (
    x: Int, y: Int, visible: Bool
  ) {
    let t = w.terminal
    let lines = t.textLineCount
    let marked = mark.map(selection)
    for y in 0..<r.height where top + y < lines {
      let l = top + y
      t.withTextLine(l) { cells in
        canvas.put(cells, y: r.y + y, x: r.x, width: r.width, marks: t.combiningMarks)
      }
      guard let span = marked?.columns(ofLine: l, in: t), span.lowerBound < r.width else {
        continue
      }
      let last = min(span.upperBound, r.width - 1)
      canvas.restyle(y: r.y + y, x: r.x + span.lowerBound, width: last - span.lowerBound + 1) {
        $0.attributes.formSymmetricDifference(.reverse)
      }
    }
    return (r.x + min(x, r.width - 1), r.y + line - top, line >= top && line - top < r.height)
  }
}
