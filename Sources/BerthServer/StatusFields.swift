// The values status-string escapes show: window lists (%w and kin) and
// flags (%f), the time and date, the load average. Formats as screen 4.9
// prints them.
import BerthTerminal
import Glibc

enum StatusFields {
  /// screen's marks for windows that want attention in window lists
  /// (its `rendition bell`, `monitor` and `silence`).
  static let bellRendition = Array("=ub".unicodeScalars)[...]
  static let activityRendition = Array("=b".unicodeScalars)[...]
  static let silenceRendition = Array("=u".unicodeScalars)[...]

  /// A window's flags as %f and %Lw show them: & shown in more than one
  /// region, @ activity, ! bell, (L) logged, Z its program has ended.
  static func flags(of w: StatusWindow) -> String {
    var f = ""
    if w.shownTwice { f += "&" }
    if w.activity { f += "@" }
    if w.bell { f += "!" }
    if w.logged { f += "(L)" }
    if !w.careMark.isEmpty { f += w.careMark } else if w.ended { f += "Z" }
    return f
  }

  /// A time escape: %c and %C pad the hour with a blank (%0c with a zero),
  /// %LD and %LM are the names in full.
  static func timePart(_ e: Unicode.Scalar, _ q: StatusQualifiers) -> String {
    var now = time(nil)
    var t = tm()
    localtime_r(&now, &t)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    func hour(_ h: Int32) -> String { q.zero || h >= 10 ? two(h) : " \(h)" }
    let day = Int(t.tm_wday) % 7
    let month = Int(t.tm_mon) % 12
    switch e {
    case "d": return two(t.tm_mday)
    case "D": return q.long ? dayNames[day] : String(dayNames[day].prefix(3))
    case "m": return two(t.tm_mon + 1)
    case "M": return q.long ? monthNames[month] : String(monthNames[month].prefix(3))
    case "y": return two(t.tm_year % 100)
    case "Y": return String(t.tm_year + 1900)
    case "a": return t.tm_hour >= 12 ? "pm" : "am"
    case "A": return t.tm_hour >= 12 ? "PM" : "AM"
    case "s": return two(t.tm_sec)
    case "c": return hour(t.tm_hour) + ":" + two(t.tm_min)
    case "C": return hour((t.tm_hour + 11) % 12 + 1) + ":" + two(t.tm_min)
    default: return ""
    }
  }

  private static let dayNames = [
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
  ]
  private static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]

  /// The 1, 5 and 15 minute load averages, two decimals each ("0.52 0.31 0.20").
  static func loadAverage() -> String? {
    var loads = [Double](repeating: 0, count: 3)
    guard getloadavg(&loads, 3) == 3 else { return nil }
    return loads.map { x -> String in
      let hundredths = x.isFinite && x >= 0 ? Int(min(x, 1e9) * 100 + 0.5) : 0
      let cents = hundredths % 100
      return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }.joined(separator: " ")
  }
}

extension StatusExpansion {
  /// %w and %W (all windows but this one), %-w those before this one, %+w
  /// those after: "N title" two blanks apart, * on this one; with L also
  /// - on the other window and the flags. Titles are cut at 20 columns;
  /// windows wanting attention are drawn in screen's renditions.
  mutating func windowList(_ q: StatusQualifiers, all: Bool) {
    let current = ctx.current
    if q.minus && current == nil { return }
    let start = cells.count
    var first = true
    for w in ctx.windows.sorted(by: { $0.number < $1.number }) {
      if q.plus, let c = current, w.number <= c { continue }
      if !all && w.number == current { continue }
      if !first || q.plus { put("  ", shows: false) }
      first = false
      if q.minus && w.number == current { break }
      let rendition =
        w.activity
        ? StatusFields.activityRendition
        : w.bell ? StatusFields.bellRendition : w.silence ? StatusFields.silenceRendition : nil
      if let rendition { pen.change(rendition) }
      var text = String(w.number)
      if w.number == current { text += "*" }
      if q.long {
        if w.number == ctx.previous { text += "-" }
        text += StatusFields.flags(of: w)
      }
      put(text + " " + Self.cut(w.title, columns: 20), shows: false)
      if rendition != nil { pen.change(["-"]) }
    }
    if cells.count > start { shown = true }
  }

  /// `text`'s first `columns` columns.
  static func cut(_ text: String, columns: Int) -> String {
    var out = ""
    var used = 0
    for u in text.unicodeScalars {
      used += max(TextWidth.of(u.value), 0)
      if used > columns { break }
      out.unicodeScalars.append(u)
    }
    return out
  }
}
