// berth --status [NAME] [--json]: every running session's windows (or
// NAME's) with their programs' state, asked of each session with the
// `status-json` command, then the sessions that ended with nobody attached
// (EndedRecords). A session that does not answer in time is shown as
// `unreachable`; the text form fits 80 columns, --json prints one document.
import BerthClient
import BerthProtocol
import BerthSystem
import BerthTerminal
import Glibc

extension CommandLineTool {
  func status() throws -> Int32 {
    let exists = try directory.validate(create: false)
    let all = exists ? sessions.sessions() : []
    let found = sessions.matching(options.sessionName, in: all)
    let ended = matchingRecords(endedSessions())
    let saved = savedSessions(running: all)
    if let name = options.sessionName, found.isEmpty, ended.isEmpty, saved.isEmpty {
      throw BerthError("no session matching \(visible(name)), running, ended or saved")
    }
    let reports = found.map(report(of:))
    if options.json {
      let document = JSON.object([
        ("sessions", .array(reports)), ("ended", .array(ended.map(\.1))),
        ("saved", .array(saved.map(StatusTable.savedJSON))),
      ])
      print(document.text(indent: 2))
    } else {
      var lines =
        reports.isEmpty && ended.isEmpty && !saved.isEmpty
        ? [] : StatusTable.lines(sessions: reports, ended: ended.map(\.1))
      lines += StatusTable.savedLines(saved, after: !lines.isEmpty)
      for line in lines { print(line) }
    }
    return 0
  }

  /// The ended sessions' records, each with a Session for matching its name.
  func endedSessions() -> [(Session, JSON)] {
    EndedRecords.all().map { (Session(id: $0.id, directory: ""), $0.record) }
  }

  /// The records `--status NAME` (and `-wipe NAME`) names: as -ls matches sessions.
  func matchingRecords(_ records: [(Session, JSON)]) -> [(Session, JSON)] {
    guard let query = options.sessionName, !query.isEmpty else { return records }
    let exact = records.filter { $0.0.matches(query, exactly: true) }
    return exact.isEmpty ? records.filter { $0.0.matches(query, exactly: false) } : exact
  }

  /// What a session says of itself, or what berth knows when it cannot say.
  private func report(of session: Session) -> JSON {
    let fallback = { (state: String) -> JSON in
      .object([
        ("name", .string(session.name)), ("id", .string(session.id)),
        ("pid", .int(Int64(session.pid))), ("state", .string(state)),
        ("attached", .null), ("windows", .array([])),
      ])
    }
    guard session.isAlive else { return fallback(session.state == .dead ? "dead" : "unreachable") }
    guard let answer = ask(session), case .object(var members) = answer,
      answer["windows"]?.array != nil
    else { return fallback("unreachable") }
    members.insert(("state", .string("running")), at: min(3, members.count))
    return .object(members)
  }

  /// The session's `status-json` answer; nil when it gives none in time.
  func ask(_ session: Session) -> JSON? {
    guard let connection = try? SessionConnection(path: session.path),
      (try? connection.greet(columns: 80, rows: 24, term: "dumb", colors: 0, timeoutMs: 2000))
        != nil,
      (try? connection.send(.command(window: nil, ["status-json"]), timeoutMs: 2000)) != nil
    else { return nil }
    let deadline = Clock.nanos() &+ 3_000_000_000
    while case let now = Clock.nanos(), now < deadline {
      let wait = Int32((deadline - now) / 1_000_000 + 1)
      guard let reply = try? connection.receive(timeoutMs: wait) else { return nil }
      if case .commandResult(0, let output) = reply {
        return JSON(parsing: String(decoding: output, as: UTF8.self))
      }
      if case .commandResult = reply { return nil }
      if case .error = reply { return nil }
    }
    return nil
  }
}

/// The text form: a row per window, then the ended sessions, in 80 columns.
/// Each column is as wide as its widest field (up to its most), so that the
/// command, last, gets what is left.
enum StatusTable {
  static let columns = [10, 12, 11, 7, 6, 3, 8, 10]
  static let header = ["SESSION", "WINDOW", "STATE", "PID", "UPTIME", "RST", "LAST", "POLICY"]
  static let endedColumns = [10, 5, 7, 20, 6, 8]
  static let endedHeader = ["SESSION", "STATE", "PID", "ENDED", "RAN", "EXIT"]
  static let width = 80

  static func lines(sessions: [JSON], ended: [JSON]) -> [String] {
    var out: [String] = []
    if sessions.isEmpty && ended.isEmpty { return ["No sessions."] }
    if !sessions.isEmpty {
      let body = sessions.flatMap(rows)
      let widths = fitted(columns, [header] + body.map(\.fields))
      out.append(row(header, widths, last: "COMMAND"))
      for r in body { out.append(row(r.fields, widths, last: r.last)) }
      // A server that came back from a crash or a kill says when, under the rows.
      for s in sessions {
        guard let when = s["recovered"]?.string else { continue }
        let after = s["recovered_after"]?.string.map { " after \($0)" } ?? ""
        out.append(
          String("\(s["name"]?.string ?? "?"): server restarted at \(when)\(after)".prefix(width)))
      }
    }
    if !ended.isEmpty {
      if !out.isEmpty { out.append("") }
      let body = ended.map { e in
        (
          fields: [
            e["name"]?.string ?? "?", "ended", number(e["pid"]), e["ended"]?.string ?? "-",
            duration(e["ran"]), exitText(e["exit"]),
          ], last: e["reason"]?.string ?? ""
        )
      }
      let widths = fitted(endedColumns, [endedHeader] + body.map(\.fields))
      out.append(row(endedHeader, widths, last: "REASON"))
      for r in body { out.append(row(r.fields, widths, last: r.last)) }
    }
    return out
  }

  /// Each column's width: its widest field, up to `most`.
  private static func fitted(_ most: [Int], _ rows: [[String]]) -> [Int] {
    most.indices.map { i in
      min(most[i], rows.map { i < $0.count ? printable($0[i]).count : 0 }.max() ?? 0)
    }
  }

  private static func rows(of s: JSON) -> [(fields: [String], last: String)] {
    let name = s["name"]?.string ?? "?"
    let windows = s["windows"]?.array ?? []
    guard !windows.isEmpty else {
      let state = s["state"]?.string ?? "unreachable"
      return [(fields: [name, "-", state, number(s["pid"]), "-", "-", "-", "-"], last: "")]
    }
    return windows.map { w in
      var state = w["state"]?.string ?? "?"
      if state == "backoff", let left = w["backoff_left"]?.int { state += " \(left)s" }
      let command = (w["command"]?.array ?? []).compactMap(\.string).joined(separator: " ")
      return (
        fields: [
          name, "\(number(w["number"])) \(w["title"]?.string ?? "")", state, number(w["pid"]),
          duration(w["uptime"]), number(w["restarts"]), exitText(w["last_exit"]),
          w["restart"]?.string ?? "-",
        ], last: command
      )
    }
  }

  /// Fields padded (or cut, with `~`) to their widths, the last field cut
  /// to what is left of the 80 columns.
  static func row(_ fields: [String], _ widths: [Int], last: String) -> String {
    var line = ""
    for (field, w) in zip(fields, widths) {
      line += fit(field, w) + " "
    }
    return line + cut(printable(last), width - line.count)
  }

  private static func fit(_ text: String, _ w: Int) -> String {
    let t = cut(printable(text), w)
    return t + String(repeating: " ", count: max(0, w - t.count))
  }

  private static func cut(_ text: String, _ w: Int) -> String {
    guard text.count > w else { return text }
    guard w > 1 else { return String(text.prefix(max(0, w))) }
    return String(text.prefix(w - 1)) + "~"
  }

  /// Control characters, and anything not one column wide, as `?`: a
  /// character is then a column, which the padding counts.
  private static func printable(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for u in text.unicodeScalars {
      let oneColumn = u.value >= 0x20 && u.value != 0x7F && TextWidth.of(u.value) == 1
      out.append(oneColumn ? u : "?")
    }
    return String(out)
  }

  private static func number(_ v: JSON?) -> String {
    v?.int.map(String.init) ?? "-"
  }

  /// "exit 3", "SIGKILL", "-" before the first end.
  static func exitText(_ v: JSON?) -> String {
    if let code = v?["code"]?.int { return "exit \(code)" }
    return v?["signal"]?.string ?? "-"
  }

  /// Seconds as "59s", "12m05s", "3h04m", "12d03h".
  static func duration(_ v: JSON?) -> String {
    guard let s = v?.int, s >= 0 else { return "-" }
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    switch s {
    case ..<60: return "\(s)s"
    case ..<3600: return "\(s / 60)m\(two(s % 60))s"
    case ..<86400: return "\(s / 3600)h\(two(s % 3600 / 60))m"
    case ..<(100 * 86400): return "\(s / 86400)d\(two(s % 86400 / 3600))h"
    default: return "\(s / 86400)d"
    }
  }
}
