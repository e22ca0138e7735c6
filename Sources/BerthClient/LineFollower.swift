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
  /// Plain mode: the line so far, as the program wrote it, and its text.
  private var fast = false
  private var raw: [UInt8] = []
  private var text: [UInt8] = []
  /// A carriage return ended the last piece: a newline may follow.
  private var pendingReturn = false

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
    raw.removeAll(keepingCapacity: true)
    text.removeAll(keepingCapacity: true)
    pendingReturn = false
    seen = terminal.historyLinesAdded
    unfinished = 0
  }

  // MARK: Plain lines

  /// Copies plain lines from `start`; returns where it stopped: the end, or
  /// a byte the terminal must see (then plain mode is over).
  private func copyPlainLines(
    _ all: UnsafeRawBufferPointer, from start: Int, into out: inout [UInt8]
  ) -> Int {
    var i = start
    while i < all.count {
      let b = all[i]
      if pendingReturn {
        pendingReturn = false
        guard b == 0x0A else { return leavePlainMode(at: i) }
        raw.append(b)
        endPlainLine(into: &out)
        i += 1
        continue
      }
      switch b {
      case 0x0A:
        raw.append(b)
        endPlainLine(into: &out)
        i += 1
      case 0x0D:
        raw.append(b)
        pendingReturn = true
        i += 1
      case 0x07:
        raw.append(b)
        i += 1
      case 0x1B:
        guard let end = plainSequenceEnd(all, at: i) else {
          return leavePlainMode(at: i)
        }
        raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[i..<end]))
        i = end
      case 0x00..<0x20, 0x7F:
        return leavePlainMode(at: i)
      default:
        // A run of text, copied at once.
        var j = i + 1
        while j < all.count, all[j] >= 0x20, all[j] != 0x7F { j += 1 }
        let run = UnsafeRawBufferPointer(rebasing: all[i..<j])
        raw.append(contentsOf: run)
        text.append(contentsOf: run)
        i = j
      }
    }
    return i
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

  private func endPlainLine(into out: inout [UInt8]) {
    // The cursor's trailing blanks are not the line's, as on the screen.
    while text.last == 0x20 { text.removeLast() }
    out += text
    out.append(0x0A)
    raw.removeAll(keepingCapacity: true)
    text.removeAll(keepingCapacity: true)
  }

  /// Hands the line so far, as written, to the terminal, which goes on from i.
  private func leavePlainMode(at i: Int) -> Int {
    // Rows the line wraps into go to history: collect() finds them there.
    fast = false
    terminal.feed(raw)
    raw.removeAll(keepingCapacity: true)
    text.removeAll(keepingCapacity: true)
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
