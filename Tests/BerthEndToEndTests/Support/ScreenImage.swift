// What a terminal shows after a program's output: the bytes a client (berth's,
// or real screen's) wrote to its terminal, played into berth's own terminal
// engine, read back as rows of cells. Lets a test compare what berth and
// GNU screen draw, colours and attributes included, without a third
// program in between.
import BerthTerminal
import Glibc

struct ScreenImage {
  let rows: [[Cell]]

  /// Plays `output` on a terminal of the given size.
  init(_ output: [UInt8], columns: Int, rows: Int) {
    let t = Terminal(columns: columns, rows: rows)
    t.feed(output)
    self.rows = (0..<rows).map { y in t.withRow(y) { Array($0) } }
  }

  /// Row y's cells as a user sees them: a blank's foreground colour is not
  /// seen (unless it is underlined or reversed), so it is dropped, as are
  /// the attributes that change nothing on a blank.
  func seen(_ y: Int) -> [Cell] {
    guard y >= 0, y < rows.count else { return [] }
    return rows[y].map { cell in
      var c = cell
      c.combining = 0
      let a = c.style.attributes
      if c.scalar == 0x20 && a.isDisjoint(with: [.underline, .reverse, .standout, .strikethrough]) {
        c.style.foreground = .default
        c.style.attributes = []
      }
      return c
    }
  }

  /// Row y's text, trailing blanks trimmed.
  func text(_ y: Int) -> String {
    guard y >= 0, y < rows.count else { return "" }
    var s = ""
    for c in rows[y] where c.width != 0 {
      if let u = Unicode.Scalar(c.scalar) { s.unicodeScalars.append(u) }
    }
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }

  /// Row y with its styles spelled out, for failure messages: each change
  /// of style as {fg/bg attributes}.
  func described(_ y: Int) -> String {
    var out = ""
    var last: Style?
    for c in seen(y) where c.width != 0 {
      if c.style != last {
        out += "{\(Self.name(c.style.foreground))/\(Self.name(c.style.background))"
        out += " \(String(c.style.attributes.rawValue, radix: 16))}"
        last = c.style
      }
      if let u = Unicode.Scalar(c.scalar) { out.unicodeScalars.append(u) }
    }
    return out
  }

  private static func name(_ c: Color) -> String {
    if c.isDefault { return "d" }
    if let n = c.paletteIndex { return String(n) }
    return String(c.rawValue, radix: 16)
  }
}

/// A program (not berth) on a terminal of its own, as TerminalClient runs
/// berth; the caller closes it.
func programOnTerminal(
  _ argv: [String], environment: [String], directory: String, columns: Int, rows: Int
) throws -> TerminalClient {
  try TerminalClient(
    arguments: [], command: argv, environment: environment, directory: directory,
    columns: columns, rows: rows)
}

/// The full path of `program` on $PATH, nil when it is not installed.
func installedProgram(_ program: String) -> String? {
  let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
  for dir in path.split(separator: ":") {
    let candidate = "\(dir)/\(program)"
    if access(candidate, X_OK) == 0 { return candidate }
  }
  return nil
}
