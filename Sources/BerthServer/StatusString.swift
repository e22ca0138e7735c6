// screen's string escapes (man screen, STRING ESCAPES) for the hardstatus
// line, captions and log stamps, expanded into styled cells the way screen
// 4.9 expands them (its MakeWinMsgEv, read for behaviour, and real screen
// run side by side): the escapes and their qualifiers (%+, %-, %0, a
// number, %L), %?...%:...%? groups, %{...} styles with their stack, %=
// padding and %< %> truncation, and backtick output read again with ^E as
// its escape character. Positions count columns where screen counts bytes,
// so that a line with UTF-8 in it pads as it is seen.
//
//   %n window number    %t title          %w %W %-w %+w %Lw  window lists
//   %f window flags     %h hardstatus     %H host   %S session   %p %+p pid
//   %x %X command       %e encoding       %l load average        %u users
//   %c %C %s %a %A %d %D %m %M %y %Y %LD %LM %0c  time and date
//   %?...%:...%?   %F focus   %P copy mode   %E command key seen
//   %{spec} %{-}   %= %10= %-0= %<  %50> %L>   %N`  backtick N   %% percent
// An unknown escape is the window number followed by the letter, as in screen.
import BerthSystem
import BerthTerminal
import Glibc

enum StatusString {
  /// Whether `format` shows the time or the load (so the line must be
  /// redrawn as they change).
  static func showsTime(_ format: String) -> Bool {
    uses(format.utf8, escapes: "cCsaAdDmMyYl")
  }

  /// Whether `format` has one of the escapes whose letters are in
  /// `escapes`, qualifiers (+ - 0 digits L) allowed between (`%%` is a
  /// percent sign, not an escape); `escape` is ^E for backtick output. A
  /// scan of the bytes: the server asks this on every turn of its loop.
  static func uses(
    _ format: some Sequence<UInt8>, escape: UInt8 = UInt8(ascii: "%"), escapes: StaticString
  ) -> Bool {
    let letters = UnsafeBufferPointer(start: escapes.utf8Start, count: escapes.utf8CodeUnitCount)
    var afterEscape = false
    for b in format {
      if afterEscape {
        if b == escape {
          afterEscape = false
        } else if letters.contains(b) {
          return true
        } else if !(b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "L")
          || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b))
        {
          afterEscape = false
        }
      } else {
        afterEscape = b == escape
      }
    }
    return false
  }

  static func uses(_ format: String, escapes: StaticString) -> Bool {
    uses(format.utf8, escapes: escapes)
  }

  /// Expands `format` for a line `width` columns wide (nil: no padding, as
  /// for a log stamp); with `fill`, the line is filled to `width` with
  /// blanks in the style its end left, as screen draws captions and a
  /// lone hardstatus line. Control characters, which a line on the screen
  /// cannot show, are dropped unless `keepingControls` (a log stamp's newline).
  static func expand(
    _ format: String, _ ctx: StatusContext, base: Style, width: Int? = nil, fill: Bool = false,
    keepingControls: Bool = false
  ) -> [Cell] {
    let columns = min(max(width ?? 0, 0), StatusExpansion.cellLimit)
    var e = StatusExpansion(
      ctx: ctx, escape: "%", padTo: columns, depth: 0, pen: StatusPen(style: base))
    e.keepsControls = keepingControls
    e.run(Array(format.unicodeScalars))
    var cells = e.cells
    mendWidePairs(&cells)
    if fill, cells.count < columns {
      cells += repeatElement(Cell.blank(e.pen.style), count: columns - cells.count)
    }
    if !ctx.attrColors.isEmpty {
      for i in cells.indices { cells[i].style = ctx.attrColors.apply(to: cells[i].style) }
    }
    return cells
  }

  /// Truncation and ellipses can cut a wide character in two: each half left
  /// alone becomes a blank.
  private static func mendWidePairs(_ cells: inout [Cell]) {
    for i in cells.indices {
      if cells[i].width == 2 && (i + 1 == cells.count || cells[i + 1].width != 0) {
        cells[i] = Cell.blank(cells[i].style)
      } else if cells[i].width == 0 && (i == 0 || cells[i - 1].width != 2) {
        cells[i] = Cell.blank(cells[i].style)
      }
    }
  }
}

/// The style in force and the `%{...}` changes stacked under it, shared by
/// a line and the backtick output expanded into it (whose `%{-}` may pop
/// what the line pushed, as in screen).
struct StatusPen {
  var style: Style
  var stack: [Style] = []
  /// Style changes so far: screen keeps at most 256 a line.
  var changes = 0
  /// Characters of backtick output a line may still read: output that
  /// names backticks, ten levels deep, must not take forever.
  var stepsLeft = 1 << 17

  mutating func change(_ spec: ArraySlice<Unicode.Scalar>) {
    guard changes < 256 else { return }
    if spec.count == 1 && spec.first == "-" {
      changes += 1
      if let last = stack.popLast() { style = last }
    } else if let c = StatusStyleChange.parse(spec) {
      changes += 1
      stack.append(style)
      style = c.apply(to: style)
    }
  }
}

/// An escape's qualifiers: `%+`, `%-`, `%0`, a number and `%L`.
struct StatusQualifiers {
  var plus = false
  var minus = false
  var zero = false
  var number = 0
  var long = false
}

/// One expansion of a string (screen's MakeWinMsgEv): the cells so far and
/// what its escapes keep track of.
struct StatusExpansion {
  let ctx: StatusContext
  /// % for the string itself, ^E for the backtick output expanded into it.
  let escape: Unicode.Scalar
  /// Columns %= pads to; 0 in backtick output, where a plain %= is a blank.
  let padTo: Int
  let depth: Int
  var pen: StatusPen
  var cells: [Cell] = []
  /// Control characters become cells too (for text, not for the screen).
  var keepsControls = false

  // The open %? group: where it began and the pen then; `shown` is screen's
  // "an escape showed something", `otherwise` where its %: has taken it.
  var group: (start: Int, pen: StatusPen)?
  var shown = false
  var otherwise = 0

  // Padding and truncation (see StatusPadding.swift).
  var padMarks = 0
  var lastPad = 0
  var truncateAt = -1
  var truncatePercent = 0
  var ellipsis = false

  /// A bound on a line's cells, whatever its escapes ask (screen's is 767 bytes).
  static let cellLimit = 2048
  /// Backtick output holding backticks: screen follows ten levels.
  static let depthLimit = 10
  /// A %= still to be shared out: no character's value.
  static let padMark: UInt32 = 0x11_0000

  init(ctx: StatusContext, escape: Unicode.Scalar, padTo: Int, depth: Int, pen: StatusPen) {
    self.ctx = ctx
    self.escape = escape
    self.padTo = padTo
    self.depth = depth
    self.pen = pen
  }

  mutating func run(_ s: [Unicode.Scalar]) {
    var i = 0
    var caret = false
    while i < s.count && cells.count < Self.cellLimit && (depth == 0 || pen.stepsLeft > 0) {
      let ch = s[i]
      i += 1
      if depth > 0 { pen.stepsLeft -= 1 }
      if caret {
        // ^X: a control character; ^^ is a caret.
        caret = false
        let controlled = Unicode.Scalar(ch.value & 0x1F) ?? ch
        put(ch == "^" || ch.value < 64 ? ch : controlled)
        continue
      }
      guard ch == escape else {
        if ch == "^" && escape == "%" { caret = true } else { put(ch) }
        continue
      }
      if i < s.count && s[i] == escape {
        put(escape)
        i += 1
        continue
      }
      var q = StatusQualifiers()
      if i < s.count && s[i] == "+" { (q.plus, i) = (true, i + 1) }
      if i < s.count && s[i] == "-" { (q.minus, i) = (true, i + 1) }
      if i < s.count && s[i] == "0" { (q.zero, i) = (true, i + 1) }
      while i < s.count, ("0"..."9").contains(s[i]) {
        q.number = min(q.number * 10 + Int(s[i].value - 0x30), 10_000_000_000)
        i += 1
      }
      if i < s.count && s[i] == "L" { (q.long, i) = (true, i + 1) }
      if i < s.count, escapeLetter(s[i], q, s, &i) {
        i += 1
      } else {
        // %n, and an unknown letter: the window number, the letter
        // following as text.
        if i < s.count && s[i] == "n" { i += 1 }
        windowNumber(q)
      }
    }
    finish()
  }

  /// Expands escape `e` (its qualifiers q); false for %n and unknown letters.
  private mutating func escapeLetter(
    _ e: Unicode.Scalar, _ q: StatusQualifiers, _ s: [Unicode.Scalar], _ i: inout Int
  ) -> Bool {
    let w = ctx.window
    switch e {
    case "?": conditional()
    case ":": otherwisePart()
    case "d", "D", "m", "M", "y", "Y", "a", "A", "s", "c", "C":
      put(StatusFields.timePart(e, q), shows: true)
      shown = true
    case "x", "X":
      let words = w?.command ?? []
      put(e == "X" ? words.first ?? "" : words.joined(separator: " "), shows: false)
    case "l": put(StatusFields.loadAverage() ?? "?", shows: true)
    case "`", "h": nested(e == "h" ? nil : q.number)
    case "w", "W": windowList(q, all: e == "w")
    case "u": break  // other users on the window: berth serves its owner alone
    case "f": put(w.map(StatusFields.flags) ?? "", shows: true)
    case "t": put(w?.title ?? "", shows: true)
    case "k": put(w?.careState ?? "", shows: true)  // berth's: the program's state
    case "e": put(w == nil ? "" : " UTF-8", shows: false)
    case "{":
      // Up to 127 characters to the closing brace; unclosed, nothing.
      var j = i + 1
      while j < s.count && j - i <= 127 && s[j] != "}" { j += 1 }
      if j < s.count && s[j] == "}" { pen.change(s[(i + 1)..<j]) }
      i = j
    case "H": put(ctx.hostName(), shows: true)
    case "S": put(ctx.sessionName, shows: true)
    case "p": put(String(q.plus ? ctx.clientPID() ?? ctx.serverPID : ctx.serverPID), shows: false)
    case "F": if ctx.focused != q.minus { shown = true }
    case "P": if ctx.copyMode { shown = true }
    case "E": break  // the command key is the client's: the server never sees it pending
    case ">": markTruncation(q)
    case "=", "<": pad(e, q)
    default: return false
    }
    return true
  }

  /// Draws text: control characters have nothing to show.
  mutating func put(_ text: String, shows: Bool) {
    let before = cells.count
    for u in text.unicodeScalars { put(u) }
    if shows && cells.count > before { shown = true }
  }

  mutating func put(_ u: Unicode.Scalar) {
    let v = u.value
    let control = v < 0x20 || (0x7F...0x9F).contains(v)
    guard cells.count < Self.cellLimit, !control || keepsControls else { return }
    let w = control ? 1 : TextWidth.of(v)
    if w == 0 { return }
    cells.append(Cell(scalar: v, style: pen.style, width: w == 2 ? 2 : 1))
    if w == 2 { cells.append(Cell(scalar: 0x20, style: pen.style, width: 0)) }
  }

  private mutating func windowNumber(_ q: StatusQualifiers) {
    let width = min(max(q.number, 1), Self.cellLimit)
    let n = ctx.current.map(String.init) ?? (width > 1 ? "--" : "-")
    put(String(repeating: " ", count: max(0, width - n.count)) + n, shows: false)
    shown = true
  }

  /// %?: opens a group, or closes it, dropping what it showed when no
  /// escape in it showed anything (or its %: part when one did).
  private mutating func conditional() {
    if let g = group {
      if (!shown && otherwise == 0) || otherwise == 1 { drop(to: g) }
      group = nil
    } else {
      group = (cells.count, pen)
      shown = false
      otherwise = 0
    }
  }

  /// %:: the part before it stays when something in it showed; else it goes.
  private mutating func otherwisePart() {
    guard let g = group else { return }
    if shown && otherwise != 1 {
      otherwise = 1
      group = (cells.count, pen)
    } else {
      drop(to: g)
      otherwise = -1
    }
  }

  private mutating func drop(to g: (start: Int, pen: StatusPen)) {
    if g.start < cells.count { cells.removeSubrange(g.start...) }
    pen = g.pen
  }

  /// A backtick's output (or a window's hardstatus, which berth's windows do
  /// not set), read as a status string whose escape character is ^E.
  private mutating func nested(_ id: Int?) {
    guard depth < Self.depthLimit, let id, let text = ctx.backtick(id) else { return }
    var inner = StatusExpansion(
      ctx: ctx, escape: "\u{5}", padTo: 0, depth: depth + 1, pen: pen)
    inner.keepsControls = keepsControls
    inner.run(Array(String(decoding: text, as: UTF8.self).unicodeScalars))
    pen = inner.pen
    let room = Self.cellLimit - cells.count
    cells += inner.cells.prefix(room)
    if !inner.cells.isEmpty { shown = true }
  }

  /// The end: an open group that showed nothing goes, and the %= left
  /// share the room that remains.
  private mutating func finish() {
    if let g = group, !shown { drop(to: g) }
    if padTo > 0 && padMarks > 0 { sharePads(to: padTo) }
  }
}
