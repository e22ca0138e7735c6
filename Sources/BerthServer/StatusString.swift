// screen's string escapes for the hardstatus line and captions: a useful
// subset, expanded into styled cells.
//   %n window number (%3n padded)   %t title        %w all windows
//   %-w windows before the current   %+w after      %W all but the current
//   %h %H host name   %S session name   %c 24-hour time (%C 12-hour)
//   %d %m %y %Y %D %M date parts       %%  percent
//   %? ... %: ... %?  the first part only if an escape in it was non-empty
//   %F  true (for %?) when the region has the focus
//   %N`  the last line of backtick command N's output
//   %{= XY} %{+b} %{-}  colours and attributes (k r g y b m c w, d default;
//                      b bold, r reverse, u underline, s standout)
//   %=  padding: what follows goes to the right edge
import BerthSystem
import BerthTerminal
import Glibc

struct StatusContext {
  var window: Window?
  var windows: [Window]
  var focused: Bool
  var sessionName: String
  var flags: (Window) -> String
  /// The text of backtick command N (%N`).
  var backtick: (Int) -> String = { _ in "" }
}

enum StatusString {
  /// Whether `format` shows the time (so the line must be redrawn as it passes).
  static func showsTime(_ format: String) -> Bool {
    uses(format, escapes: "cCs")
  }

  /// Whether `format` has one of the `%` escapes whose letters are in
  /// `escapes` (`%%` is a percent sign, not an escape). A scan of the bytes:
  /// the server asks this on every turn of its loop.
  static func uses(_ format: String, escapes: StaticString) -> Bool {
    var afterPercent = false
    for b in format.utf8 {
      if afterPercent {
        afterPercent = false
        let letters = UnsafeBufferPointer(
          start: escapes.utf8Start, count: escapes.utf8CodeUnitCount)
        if letters.contains(b) { return true }
      } else {
        afterPercent = b == UInt8(ascii: "%")
      }
    }
    return false
  }

  /// Expands `format`; with a `width`, `%=` marks pad the line to it
  /// (shared out among the marks, the first taking the remainder).
  static func expand(_ format: String, _ ctx: StatusContext, base: Style, width: Int? = nil)
    -> [Cell]
  {
    var pads: [(at: Int, style: Style)] = []
    let s = Array(format.unicodeScalars)
    var out: [Cell] = []
    var style = base
    var styles: [Style] = []
    // A %? group (not nested): where it starts, where its %: is, and
    // whether an escape before the %: produced text.
    var group: (start: Int, elseAt: Int?, shown: Bool)?
    var i = 0
    func emit(_ text: String, escape: Bool) {
      for u in text.unicodeScalars {
        let w = TextWidth.of(u.value)
        if w == 0 { continue }
        out.append(Cell(scalar: u.value, style: style, width: w == 2 ? 2 : 1))
        if w == 2 { out.append(Cell(scalar: 0x20, style: style, width: 0)) }
      }
      if escape && !text.isEmpty, group != nil, group?.elseAt == nil { group?.shown = true }
    }
    while i < s.count {
      let ch = s[i]
      i += 1
      guard ch == "%", i < s.count else {
        emit(String(ch), escape: false)
        continue
      }
      var digits = 0
      while i < s.count, let d = s[i].properties.numericType != nil ? Int(String(s[i])) : nil {
        digits = min(digits * 10 + d, 1000)
        i += 1
      }
      var modifier: Unicode.Scalar?
      if i < s.count, s[i] == "-" || s[i] == "+" {
        modifier = s[i]
        i += 1
      }
      guard i < s.count else { break }
      let e = s[i]
      i += 1
      switch e {
      case "%": emit("%", escape: false)
      case "n":
        let n = ctx.window.map { String($0.number) } ?? "-"
        emit(String(repeating: " ", count: max(0, digits - n.count)) + n, escape: true)
      case "t": emit(ctx.window?.title ?? "", escape: true)
      case "w", "W":
        var list = ctx.windows
        if let cur = ctx.window, let k = list.firstIndex(where: { $0 === cur }) {
          if modifier == "-" { list = Array(list[..<k]) }
          if modifier == "+" { list = Array(list[(k + 1)...]) }
          if e == "W" { list.removeAll { $0 === cur } }
        }
        var text = list.map { "\($0.number)\(ctx.flags($0)) \($0.title)" }.joined(separator: "  ")
        if modifier == "-" && !text.isEmpty { text += "  " }
        if modifier == "+" && !text.isEmpty { text = "  " + text }
        emit(text, escape: true)
      case "h", "H": emit(shortHostName() ?? "", escape: true)
      case "`": emit(ctx.backtick(digits), escape: true)
      case "S": emit(ctx.sessionName, escape: true)
      case "c", "C", "s", "d", "m", "y", "Y", "D", "M": emit(timePart(e), escape: true)
      case "F":
        if ctx.focused, group != nil, group?.elseAt == nil { group?.shown = true }
      case "?":
        if let g = group {
          if g.shown {
            if let e = g.elseAt { out.removeSubrange(e...) }
          } else {
            out.removeSubrange(g.start..<(g.elseAt ?? out.count))
          }
          group = nil
        } else {
          group = (out.count, nil, false)
        }
      case ":":
        if group != nil, group?.elseAt == nil { group?.elseAt = out.count }
      case "{":
        var spec = ""
        while i < s.count, s[i] != "}" {
          spec.unicodeScalars.append(s[i])
          i += 1
        }
        i += 1
        if spec == "-" {
          style = styles.popLast() ?? base
        } else {
          styles.append(style)
          style = applyStyle(spec, to: style, base: base)
        }
      case "=": pads.append((out.count, style))
      case "<", ">", "L": break  // truncation marks: not supported, dropped
      default: break
      }
    }
    if let width, !pads.isEmpty, out.count < width {
      let room = width - out.count
      for (i, pad) in pads.enumerated().reversed() {
        let n = room / pads.count + (i == 0 ? room % pads.count : 0)
        out.insert(contentsOf: repeatElement(Cell.blank(pad.style), count: n), at: pad.at)
      }
    }
    return out
  }

  /// `%{spec}` as screen reads it: attribute letters after a modifier
  /// (+ add, - remove, = reset to these), then, after a blank, up to two
  /// colour letters (foreground, background).
  private static func applyStyle(_ spec: String, to current: Style, base: Style) -> Style {
    var style = current
    var colours: [Color] = []
    var modifier: Character?
    for ch in spec {
      switch ch {
      case "=":
        style = base
        style.attributes = []
        modifier = "+"
      case "+", "-", "!": modifier = ch
      case " ": modifier = nil
      default:
        if let m = modifier {
          let attribute: Attributes? =
            switch ch {
            case "b": .bold
            case "r": .reverse
            case "u": .underline
            case "s": .standout
            case "d": .dim
            case "B": .blink
            default: nil
            }
          guard let attribute else { continue }
          if m == "-" {
            style.attributes.remove(attribute)
          } else if m == "!" {
            style.attributes.formSymmetricDifference(attribute)
          } else {
            style.attributes.insert(attribute)
          }
        } else if let n = Array("krgybmcw").firstIndex(of: Character(ch.lowercased())) {
          colours.append(.palette(UInt8(n + (ch.isUppercase ? 8 : 0))))
        } else if ch == "d" || ch == "D" {
          colours.append(.default)
        }
      }
    }
    if colours.count >= 1 { style.foreground = colours[0] }
    if colours.count >= 2 { style.background = colours[1] }
    return style
  }

  private static func timePart(_ e: Unicode.Scalar) -> String {
    var now = time(nil)
    var t = tm()
    localtime_r(&now, &t)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    switch e {
    case "c": return "\(two(t.tm_hour)):\(two(t.tm_min))"
    case "C": return "\(two((t.tm_hour + 11) % 12 + 1)):\(two(t.tm_min))"
    case "s": return two(t.tm_sec)
    case "d": return two(t.tm_mday)
    case "m": return two(t.tm_mon + 1)
    case "y": return two(t.tm_year % 100)
    case "Y": return String(t.tm_year + 1900)
    case "D": return days[Int(t.tm_wday) % 7]
    case "M": return months[Int(t.tm_mon) % 12]
    default: return ""
    }
  }
}
