// berth --tail [-n N] [-f] [--timestamps] [--color] NAME[:WINDOW]: a
// window's last lines, and with -f its output line by line as the program
// writes it, without attaching: the session sees no client, nothing is
// typed and no size changes. The server sends the output as it is; the
// LineFollower makes lines of it here, off the server's time.
import BerthClient
import BerthProtocol
import BerthSystem
import Glibc

extension CommandLineTool {
  func tail() throws -> Int32 {
    let t = options.tail
    let (session, window) = try tailTarget(t.target)
    var connection = try startFollowing(session, window: window, lines: t.lines)
    // Ctrl-C ends a follow as its way out (exit 0); a reader that went
    // away (`| head`) ends it too.
    signal(SIGINT) { _ in _exit(0) }
    // A follower is an onlooker: it runs only on CPU time nothing else
    // wants (SCHED_IDLE), so that on a busy machine the program and its
    // server go first; what it falls behind on, it is told it skipped.
    if t.follow {
      var none = sched_param(sched_priority: 0)
      _ = sched_setscheduler(0, 5 /* SCHED_IDLE */, &none)
    }
    signal(SIGPIPE, SIG_IGN)
    var out = TailOutput(timestamps: t.timestamps)
    var follower: LineFollower?
    var upgrading = false
    var restarts = RestartBudget()
    while true {
      let message: ServerMessage?
      do {
        message = try connection.receive(timeoutMs: -1)
      } catch {
        // Closed without an exit notice: the server carried on as a berth
        // of another protocol, or died and is coming back.
        guard t.follow, connection.isClosed || upgrading else {
          throw BerthError("lost the session \(session.name): it ended")
        }
        let why: Reattach = upgrading ? .upgrade : .restart
        guard why == .upgrade || restarts.allows(now: Clock.nanos()),
          let again = followOn(session, window: window, after: why, output: &out)
        else {
          throw BerthError("lost the session \(session.name): its server ended")
        }
        connection = again
        follower = nil
        upgrading = false
        continue
      }
      guard let message else { continue }
      switch message {
      case .lines(let text):
        // Lines from before the follow: when they were written is not kept.
        out.write(text, stamped: false)
      case .follow(let columns, let seed):
        follower = LineFollower(columns: columns, seed: seed, color: t.color)
      case .output(let bytes):
        if let lines = follower?.feed(bytes), !lines.isEmpty { out.write(lines, stamped: true) }
      case .skipped(let lines):
        follower?.skip()
        out.write(Array("[berth: \(lines) lines skipped]\n".utf8), stamped: true)
      case .exit(let notice):
        if !notice.text.isEmpty { out.write(Array((notice.text + "\n").utf8), stamped: true) }
        return 0
      case .upgrading:
        upgrading = true
      case .error(let text):
        throw BerthError(text)
      default:
        continue
      }
    }
  }

  /// A connection to the session that follows the window (or reads its
  /// last lines, without -f).
  private func startFollowing(_ session: Session, window: String?, lines: Int) throws
    -> SessionConnection
  {
    let t = options.tail
    let connection = try SessionConnection(path: session.path)
    try connection.greet(columns: 80, rows: 24, term: "dumb", colors: 0)
    try connection.send(
      .follow(FollowRequest(window: window, lines: lines, follow: t.follow, color: t.color)),
      timeoutMs: 5000)
    return connection
  }

  /// Once the session answers again (an upgrade's new server, or one that
  /// came back after a crash or a kill), follows on from the present:
  /// through a new connection when it speaks this berth's protocol, else
  /// this process becomes `berth --tail -f -n 0 ...` of the binary now
  /// installed. After a restart one line says output may be missing (an
  /// upgrade hands all of it over). Nil when the session does not come back.
  private func followOn(
    _ session: Session, window: String?, after why: Reattach, output out: inout TailOutput
  ) -> SessionConnection? {
    guard let version = protocolOnceBack(of: session.path, after: why) else { return nil }
    if why == .restart {
      out.write(
        Array("[berth: the server restarted; output meanwhile may be missing]\n".utf8),
        stamped: true)
    }
    if version == protocolVersion {
      return try? startFollowing(session, window: window, lines: 0)
    }
    let t = options.tail
    var words = ["--tail", "-f", "-n", "0"]
    if t.timestamps { words.append("--timestamps") }
    if t.color { words.append("--color") }
    words.append(session.id + (window.map { ":" + $0 } ?? ""))
    becomeInstalledBerth(words)
    return nil
  }

  /// The session and window NAME[:WINDOW] names: a session named exactly
  /// so first (a name may hold ':'), else the part before the last ':'.
  private func tailTarget(_ target: String?) throws -> (Session, String?) {
    _ = try directory.validate(create: false)
    let all = sessions.sessions().filter(\.isAlive)
    var candidates: [(String?, String?)] = [(target, nil)]
    if let target, let colon = target.lastIndex(of: ":") {
      let window = String(target[target.index(after: colon)...])
      candidates.append((String(target[..<colon]), window.isEmpty ? nil : window))
    }
    for (name, window) in candidates {
      let found = sessions.matching(name ?? options.sessionName, in: all)
      if found.count == 1, let session = found.first { return (session, window) }
      if found.count > 1 {
        throw BerthError(
          "several sessions match \(visible(name ?? "")): \(found.map(\.id).joined(separator: ", "))"
        )
      }
    }
    guard let target else { throw BerthError("no session to tail: name one") }
    throw BerthError("no session matching \(visible(target))")
  }
}

/// Writes lines to standard output, each with the time it was completed
/// when asked (RFC 3339, local time, to the second).
struct TailOutput {
  let timestamps: Bool

  mutating func write(_ text: [UInt8], stamped: Bool) {
    guard timestamps && stamped else { return emit(text) }
    let stamp = Array((formatTime(Int64(time(nil)), "%Y-%m-%dT%H:%M:%S%z", utc: false)).utf8)
    // %z is +hhmm; RFC 3339 writes +hh:mm.
    var prefix = stamp
    if prefix.count >= 5 { prefix.insert(UInt8(ascii: ":"), at: prefix.count - 2) }
    prefix.append(0x20)
    var out: [UInt8] = []
    out.reserveCapacity(text.count + 32)
    var atStart = true
    for b in text {
      if atStart { out += prefix }
      out.append(b)
      atStart = b == 0x0A
    }
    emit(out)
  }

  private func emit(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { FD.write(1, $0) }
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        _exit(0)  // nobody reads any more
      }
    }
  }
}
