// What `berth --tail -f` prints: a window's output made into lines, by a
// terminal of the window's width and one row. A line is complete when the
// program moves past it (it scrolls off that row into history); one the
// program redraws in place with \r (a progress bar) is printed once, as
// it was last drawn; rows that wrapped are joined back into the line the
// program wrote. While the program has the alternate screen (a full-screen
// program) nothing reaches history, so nothing is printed.
//
// Most output is plain lines, and emulating a terminal for them costs the
// machine the program runs on: in plain mode, a line of text that ends in
// a newline (colours dropped, \e[K at its end ignored) is copied as it is;
// the first byte that moves the cursor anywhere else hands the line, from
// its start, to the terminal, which keeps it until a line ends with the
// terminal back where a plain line starts.
import BerthTerminal

public final class LineFollower {
  private let terminal: Terminal
  private let color: Bool
  /// History lines already made into text, by the count of lines added.
  private var seen: UInt64 = 0
  /// Rows at the end of history that wrapped: their line goes on.
  private var unfinished = 0
  /// Plain mode, and the line it is making.
  private(set) var fast = false
  private var line = PlainLine()

  /// The start of a line in plain mode, when it began in an earlier feed:
  /// its bytes as the program wrote them. A struct worked on as a local: a
  /// class's array would be checked for exclusive access at every use.
  private struct PlainLine {
    var carry: [UInt8] = []
    /// It holds more than text (an SGR, \e[K, a bell), to be dropped.
    var extras = false
    /// A carriage return ended the last feed: a newline must follow.
    var pendingReturn = false

    mutating func reset() {
      carry.removeAll(keepingCapacity: true)
      extras = false
      pendingReturn = false
    }
  }

  /// A feed is cut into pieces of this many bytes, fewer than history
  /// keeps, so that no line scrolls out of history before it is read.
  private static let piece = 4096

  public init(columns: Int, seed: [UInt8], color: Bool) {
    terminal = Terminal(columns: columns, rows: 1, historyLimit: 2 * Self.piece)
    self.color = color
    terminal.feed(seed)
    seen = terminal.historyLinesAdded
    // A seed longer than a row wrapped: the line's first rows are history.
    unfinished = terminal.historyCount
  }

  /// The lines the output completes, each ending with a newline.
  public func feed(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    bytes.withUnsafeBytes { all in
      var start = 0
      while start < all.count {
        if fast {
          start = copyPlainLines(all, from: start, into: &out)
          continue
        }
        let end = min(start + Self.piece, all.count)
        start = emulate(all, from: start, to: end, into: &out)
      }
    }
    return out
  }

  /// The program's output skipped ahead, to the start of a line: the line
  /// being made is dropped.
  public func skip() {
    if !fast { terminal.feed(Array("\r\u{1B}[2K".utf8)) }
    line.reset()
    seen = terminal.historyLinesAdded
    unfinished = 0
  }

  // MARK: Plain lines

  /// Copies plain lines from `start`; returns where it stopped: the end, or
  /// a byte the terminal must see (then plain mode is over). A line's text
  /// is copied once, from the feed, when its newline comes.
  private func copyPlainLines(
    _ all: UnsafeRawBufferPointer, from start: Int, into out: inout [UInt8]
  ) -> Int {
    var line = self.line
    self.line = PlainLine()
    defer { self.line = line }
    var lineStart = start
    var i = start
    while i < all.count {
      let b = all[i]
      if line.pendingReturn {
        line.pendingReturn = false
        guard b == 0x0A else { return leavePlainMode(&line, all, lineStart, at: i) }
        // The text ends before the carriage return.
        Self.end(
          &line, UnsafeRawBufferPointer(rebasing: all[lineStart..<max(lineStart, i - 1)]),
          into: &out)
        i += 1
        lineStart = i
        continue
      }
      switch b {
      case 0x0A:
        Self.end(&line, UnsafeRawBufferPointer(rebasing: all[lineStart..<i]), into: &out)
        i += 1
        lineStart = i
      case 0x0D:
        line.pendingReturn = true
        i += 1
      case 0x07:
        line.extras = true
        i += 1
      case 0x1B:
        guard let end = plainSequenceEnd(all, at: i) else {
          return leavePlainMode(&line, all, lineStart, at: i)
        }
        line.extras = true
        i = end
      case 0x00..<0x20, 0x7F:
        return leavePlainMode(&line, all, lineStart, at: i)
      default:
        i = Self.textRunEnd(all, from: i + 1)
      }
    }
    line.carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[lineStart..<i]))
    return i
  }

  /// Where the run of text (no control character, no DEL) from i ends:
  /// eight bytes at a time, as a run is most of a line.
  static func textRunEnd(_ all: UnsafeRawBufferPointer, from i: Int) -> Int {
    var j = i
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while j + 8 <= all.count {
      let x = all.loadUnaligned(fromByteOffset: j, as: UInt64.self)
      // A byte under 0x20 (high bit clear), or 0x7F (x ^ 0x7F... is zero).
      let below = (x &- ones &* 0x20) & ~x & highs
      let y = x ^ (ones &* 0x7F)
      let del = (y &- ones) & ~y & highs
      if below | del != 0 { break }
      j += 8
    }
    while j < all.count, all[j] >= 0x20, all[j] != 0x7F { j += 1 }
    return j
  }

  /// The end of an SGR (`CSI ... m`) or of `CSI K` at i, which plain lines
  /// drop (\e[K erases from the cursor, at the line's end: nothing); nil
  /// for anything else, or a sequence cut off at the piece's end.
  private func plainSequenceEnd(_ all: UnsafeRawBufferPointer, at i: Int) -> Int? {
    guard i + 2 < all.count, all[i + 1] == 0x5B else { return nil }
    if all[i + 2] == 0x4B { return i + 3 }
    var j = i + 2
    while j < all.count, (0x30...0x3B).contains(all[j]) { j += 1 }
    guard j < all.count, all[j] == 0x6D else { return nil }
    return j + 1
  }

  /// A plain line ended (its newline read): its text goes out, the
  /// carry's and then `rest`'s, without what is not text.
  private static func end(
    _ line: inout PlainLine, _ rest: UnsafeRawBufferPointer, into out: inout [UInt8]
  ) {
    let start = out.count
    if !line.carry.isEmpty {
      // A carriage return that ended the last feed is not text either.
      if rest.isEmpty && line.carry.last == 0x0D { line.carry.removeLast() }
      line.carry.withUnsafeBytes { appendText($0, extras: line.extras, to: &out) }
    }
    appendText(rest, extras: line.extras, to: &out)
    // The cursor's trailing blanks are not the line's, as on the screen.
    while out.count > start && out[out.count - 1] == 0x20 { out.removeLast() }
    out.append(0x0A)
    line.reset()
  }

  /// The text of a plain line's bytes: all of them, or without its SGRs,
  /// \e[K and bells.
  private static func appendText(
    _ bytes: UnsafeRawBufferPointer, extras: Bool, to out: inout [UInt8]
  ) {
    guard extras else { return out.append(contentsOf: bytes) }
    var i = 0
    while i < bytes.count {
      switch bytes[i] {
      case 0x1B:
        // Known to be whole: plain mode took only those it could end.
        i += 2
        while i < bytes.count && bytes[i - 1] != 0x6D && bytes[i - 1] != 0x4B { i += 1 }
      case 0x07, 0x0D:
        i += 1
      default:
        let j = textRunEnd(bytes, from: i + 1)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
        i = j
      }
    }
  }

  /// Hands the line so far, as written, to the terminal, which goes on from i.
  private func leavePlainMode(
    _ line: inout PlainLine, _ all: UnsafeRawBufferPointer, _ lineStart: Int, at i: Int
  ) -> Int {
    // Rows the line wraps into go to history: collect() finds them there.
    fast = false
    terminal.feed(line.carry)
    terminal.feed(UnsafeRawBufferPointer(rebasing: all[lineStart..<i]))
    line.reset()
    return i
  }

  // MARK: The terminal

  /// Feeds [start, end) to the terminal, a line at a time once it could
  /// go back to plain mode; returns where it stopped.
  private func emulate(
    _ all: UnsafeRawBufferPointer, from start: Int, to end: Int, into out: inout [UInt8]
  ) -> Int {
    // Up to the first newline, when plain mode may follow it.
    var stop = end
    if !color, let nl = all[start..<end].firstIndex(of: 0x0A) { stop = nl + 1 }
    terminal.feed(UnsafeRawBufferPointer(rebasing: all[start..<stop]))
    collect(into: &out)
    if !color && all[stop - 1] == 0x0A && atPlainLineStart { fast = true }
    return stop
  }

  /// The terminal is where a plain line starts: the main screen, the first
  /// column, nothing of a line pending, the plain pen.
  private var atPlainLineStart: Bool {
    !terminal.modes.alternateScreen && terminal.cursorX == 0 && unfinished == 0
      && terminal.withRow(0, { $0.allSatisfy { $0.scalar == 0x20 } })
  }

  private func collect(into out: inout [UInt8]) {
    let added = terminal.historyLinesAdded
    guard added != seen else { return }
    let new = Int(clamping: added &- seen) + unfinished
    let first = max(0, terminal.historyCount - new)
    let (text, used) = terminal.historyText(from: first, color: color)
    out += text
    unfinished = terminal.historyCount - first - used
    seen = added
  }
}
