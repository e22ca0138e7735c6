// What `berth --status` asks each session: `status-json` answers with the
// session and its windows' programs as one JSON object (state, pid,
// uptime, restarts, last exit, policy, command, directory). And, when a
// session ends with nobody attached, the record `--status` shows after it
// (EndedRecords).
import BerthSystem
import Glibc

extension SessionServer {
  /// status-json: the session as one JSON object.
  func statusJSONCommand(_ args: [String]) -> (Int32, String) {
    guard args.isEmpty else { return (1, "status-json: usage: status-json") }
    return (0, statusJSON(now: Clock.nanos()).text())
  }

  /// The session as `berth --status --json` shows it.
  func statusJSON(now: UInt64) -> JSON {
    let id = String(config.socketPath.split(separator: "/").last ?? "")
    let dot = id.firstIndex(of: ".") ?? id.endIndex
    return .object([
      ("name", .string(dot < id.endIndex ? String(id[id.index(after: dot)...]) : id)),
      ("id", .string(id)),
      ("pid", .int(Int64(pid))),
      ("attached", .int(Int64(attachedClients.count))),
      ("created", .string(EndedRecords.rfc3339(created))),
      ("recovered", recoveredAt.map { .string(EndedRecords.rfc3339($0)) } ?? .null),
      ("recovered_after", recoveredAt == nil ? .null : .string(recoveredAfter)),
      ("windows", .array(windows.map { statusJSON(of: $0, now: now) })),
    ])
  }

  private func statusJSON(of w: Window, now: UInt64) -> JSON {
    let care = w.lifecycle
    var since: UInt64?
    var left: JSON = .null
    let state: String
    switch care.state {
    case .starting: state = "running"
    case .running(let s):
      state = "running"
      since = s
    case .stopping(let s, _, _):
      state = "stopping"
      since = s
    case .backoff(let until):
      state = "backoff"
      // Rounded up: "backoff 1s" until the restart, never "backoff 0s".
      left = .int(Int64((until > now ? until - now : 0) / Lifecycle.second + 1))
    case .fatal: state = "fatal"
    case .stopped: state = "stopped"
    case .exited: state = "exited"
    }
    let running = since != nil && !w.hasEnded
    return .object([
      ("number", .int(Int64(w.number))),
      ("title", .string(w.title)),
      ("state", .string(state)),
      ("backoff_left", left),
      ("pid", running ? .int(Int64(w.pid)) : .null),
      ("uptime", since.map { .int(Int64((now > $0 ? now - $0 : 0) / Lifecycle.second)) } ?? .null),
      ("restarts", .int(Int64(care.restarts))),
      ("restart", .string(care.policy.rawValue)),
      ("restart_limit", care.limit.map { .int(Int64($0)) } ?? .null),
      ("last_exit", care.lastExit.map(EndedRecords.exitJSON) ?? .null),
      ("command", .array(w.program.spec.commandLine.map(JSON.string))),
      ("cwd", .string(w.program.spec.directory ?? Self.serverDirectory)),
    ])
  }

  /// Where the server runs, so where windows opened without a directory start.
  private static var serverDirectory: String {
    var buffer = [CChar](repeating: 0, count: 4096)
    return getcwd(&buffer, buffer.count) != nil ? String(cBuffer: buffer) : "/"
  }

  /// Keeps a record of the session's end when nobody is attached to see it
  /// (`exit`: how the last program ended; nil when `reason`, quit or a
  /// signal to the server, ended it). A failure is not an error: the
  /// session ends all the same.
  func recordEnd(exit: ExitStatus?, reason: String) {
    guard attachedClients.isEmpty else { return }
    let id = String(config.socketPath.split(separator: "/").last ?? "")
    let now = Clock.wallSeconds()
    // "[NAME terminated: SIGTERM]" (a signal to the server) says "SIGTERM";
    // "[NAME is terminating]" (the quit command) says "quit".
    var why = Substring(reason == "exit" ? "exit" : "quit")
    if let space = reason.lastIndex(of: " "), reason.hasSuffix("]"),
      case let word = reason[reason.index(after: space)...].dropLast(), word.hasPrefix("SIG")
    {
      why = word
    }
    EndedRecords.write(
      EndedRecords.record(
        id: id, ended: now, ran: now - created, exit: exit, reason: String(why)), id: id)
  }
}
