// What `berth --tail -f` prints: a window's output made into lines, by a
// terminal of the window's width and one row. A line is complete when the
// program moves past it (it scrolls off that row into history); one the
// program redraws in place with \r (a progress bar) is printed once, as
// it was last drawn; rows that wrapped are joined back into the line the
// program wrote. While the program has the alternate screen (a full-screen
// program) nothing reaches history, so nothing is printed.
import BerthTerminal

public final class LineFollower {
  private let terminal: Terminal
  private let color: Bool
  /// History lines already made into text, by the count of lines added.
  private var seen: UInt64 = 0
  /// Rows at the end of history that wrapped: their line goes on.
  private var unfinished = 0

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
    var start = 0
    while start < bytes.count {
      let end = min(start + Self.piece, bytes.count)
      bytes[start..<end].withUnsafeBytes { terminal.feed($0) }
      collect(into: &out)
      start = end
    }
    return out
  }

  /// The program's output skipped ahead, to the start of a line: the line
  /// being made is dropped.
  public func skip() {
    terminal.feed(Array("\r\u{1B}[2K".utf8))
    seen = terminal.historyLinesAdded
    unfinished = 0
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
