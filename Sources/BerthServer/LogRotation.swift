// The pure parts of a window's log: sizes as `logsize` takes and shows
// them, the renames one rotation makes, where a chunk of output is cut so
// that lines stay whole across files, and the line that marks a gap.
// No I/O here: WindowLog and LogFile act on what these say.

enum LogRotation {
  /// What a log rotates at and keeps, as `logsize` and `logkeep` set them.
  struct Limits: Equatable {
    /// Bytes a file may hold; 0: it never rotates.
    var size: Int
    /// Rotated files kept: FILE.1 (newest) to FILE.keep.
    var keep: Int
  }

  /// The largest `logsize` (a petabyte): sizes stay far from overflowing.
  static let largestSize = 1 << 50
  /// The most rotated files `logkeep` keeps.
  static let mostKept = 999

  /// "4096", "512K", "10M", "1G" (binary multiples, either case) as bytes;
  /// nil for anything else, a negative number or one past `largestSize`.
  static func parseSize(_ text: String) -> Int? {
    var digits = Substring(text)
    var unit = 1
    switch digits.last {
    case "k", "K": unit = 1 << 10
    case "m", "M": unit = 1 << 20
    case "g", "G": unit = 1 << 30
    default: break
    }
    if unit > 1 { digits = digits.dropLast() }
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count <= 18,
      let n = Int(digits)
    else { return nil }
    let (bytes, overflow) = n.multipliedReportingOverflow(by: unit)
    guard !overflow, bytes <= largestSize else { return nil }
    return bytes
  }

  /// A size as `logsize` shows it: the largest unit that divides it ("10M", "1536K", "100").
  static func describe(size: Int) -> String {
    for (unit, suffix) in [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
    where size > 0 && size % unit == 0 {
      return "\(size / unit)\(suffix)"
    }
    return String(size)
  }

  /// `logkeep`'s argument: a count from 0 to `mostKept`, digits only.
  static func parseKeep(_ text: String) -> Int? {
    guard !text.isEmpty, text.utf8.count <= 3, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let n = Int(text), n <= mostKept
    else { return nil }
    return n
  }

  /// The name of the `index`th rotated file: FILE.1 is the newest.
  static func rotatedName(_ path: String, _ index: Int) -> String {
    "\(path).\(index)"
  }

  /// The renames of one rotation, in order: FILE.(keep-1) to FILE.keep
  /// (replacing the oldest), down to FILE to FILE.1. Each target has moved
  /// on before it is written over. With keep 0 there are none: the file is
  /// removed instead.
  static func renames(of path: String, keep: Int) -> [(from: String, to: String)] {
    guard keep > 0 else { return [] }
    var moves: [(from: String, to: String)] = []
    for i in stride(from: keep - 1, through: 1, by: -1) {
      moves.append((rotatedName(path, i), rotatedName(path, i + 1)))
    }
    moves.append((path, rotatedName(path, 1)))
    return moves
  }

  /// How many of `bytes` go into a file that has `room` bytes left before
  /// it rotates: all when they fit; else up to the last line end that
  /// fits, so that lines stay whole; 0 when none fits and the file holds
  /// something (rotate first); `room` itself when a line alone is longer
  /// than an empty file may hold (the line is split).
  static func cut(_ bytes: UnsafeRawBufferPointer, room: Int, fileIsEmpty: Bool) -> Int {
    guard bytes.count > room else { return bytes.count }
    var i = room
    while i > 0 {
      if bytes[i - 1] == 0x0A { return i }
      i -= 1
    }
    return fileIsEmpty ? max(room, 1) : 0
  }

  /// The line that marks a gap: "[berth: N bytes not logged: REASON]" on a
  /// line of its own (after a line end when the log stopped mid-line),
  /// with the terminal's line ends as the program's output has them.
  static func gapLine(bytes: Int, reason: String, atLineStart: Bool) -> [UInt8] {
    Array(((atLineStart ? "" : "\r\n") + "[berth: \(bytes) bytes not logged: \(reason)]\r\n").utf8)
  }

  /// Why bytes were dropped before any write failed: the writer could not
  /// keep up with the program (the queue was full).
  static let writerBehind = "log writer behind"

  /// The reason a gap reports: its first, unless that was only the writer
  /// falling behind and a write then failed (the failure is the cause).
  static func gapReason(_ current: String?, adding reason: String) -> String {
    guard let current else { return reason }
    return current == writerBehind && reason != writerBehind ? reason : current
  }
}
