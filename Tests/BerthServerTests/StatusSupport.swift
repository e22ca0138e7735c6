// What the status-string tests share: six windows as a screenrc would open
// them (window 3 shown, 5 the other window), expansion, and reading cells
// back as text and styles.
import BerthTerminal
import Testing

@testable import BerthServer

enum Status {
  static let titles = ["zero", "one", "twotwotwo", "three", "four", "five"]

  /// Six windows, window 3 shown after window 5.
  static func context(current: Int? = 3, previous: Int? = 5) -> StatusContext {
    StatusContext(
      current: current,
      windows: titles.enumerated().map { n, title in
        StatusWindow(number: n, title: title, command: ["sleep", "1000"])
      },
      sessionName: "work", previous: previous, hostName: { "host" }, serverPID: 4242,
      clientPID: { 4343 })
  }

  /// The standout a lone hardstatus line starts in.
  static let standout = Style(attributes: .standout)

  static func cells(
    _ format: String, _ ctx: StatusContext = context(), width: Int? = 40, base: Style = standout,
    fill: Bool = false
  ) -> [Cell] {
    StatusString.expand(format, ctx, base: base, width: width, fill: fill)
  }

  /// What the cells show, as text.
  static func text(_ cells: [Cell]) -> String {
    var s = ""
    for c in cells where c.width != 0 {
      if let u = Unicode.Scalar(c.scalar) { s.unicodeScalars.append(u) }
    }
    return s
  }

  static func text(
    _ format: String, _ ctx: StatusContext = context(), width: Int? = 40
  ) -> String {
    text(cells(format, ctx, width: width))
  }

  /// The style of the first cell showing `needle`.
  static func style(of needle: String, in cells: [Cell]) -> Style? {
    let shown = Array(text(cells).unicodeScalars)
    let wanted = Array(needle.unicodeScalars)
    guard shown.count >= wanted.count else { return nil }
    for column in 0...(shown.count - wanted.count)
    where Array(shown[column..<(column + wanted.count)]) == wanted {
      return cells.filter { $0.width != 0 }[column].style
    }
    return nil
  }

  static func palette(_ n: UInt8) -> Color { .palette(n) }
}
