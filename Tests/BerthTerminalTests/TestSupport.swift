// Helpers that make engine tests short: feed strings, read rows back as text.

@testable import BerthTerminal

extension Terminal {
  convenience init(_ columns: Int, _ rows: Int, history: Int = 100) {
    self.init(columns: columns, rows: rows, historyLimit: history)
  }

  func feed(_ text: String) { feed(Array(text.utf8)) }

  /// Row `y` as text: wide characters once, marks included, trailing blanks trimmed.
  func line(_ y: Int) -> String {
    var out: [UInt8] = []
    withRow(y) { core.appendText(of: $0, to: &out) }
    out.removeLast()
    return String(decoding: out, as: UTF8.self)
  }

  var lines: [String] { (0..<rows).map { line($0) } }

  /// The screen as text with trailing empty rows dropped.
  var text: [String] {
    var l = lines
    while let last = l.last, last.isEmpty { l.removeLast() }
    return l
  }

  func historyLine(_ i: Int) -> String {
    var out: [UInt8] = []
    withHistoryRow(i) { core.appendText(of: $0, to: &out) }
    out.removeLast()
    return String(decoding: out, as: UTF8.self)
  }

  func cell(_ x: Int, _ y: Int) -> Cell { withRow(y) { $0[x] } }

  var cursor: (Int, Int) { (cursorX, cursorY) }

  var replyText: String { String(decoding: takeReplies(), as: UTF8.self) }
}

let esc = "\u{1B}"
let csi = "\u{1B}["
