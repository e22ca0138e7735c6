// Finding sessions: scanning the socket directory, asking each server
// about itself, and matching the names users type (PID, NAME, PID.NAME or
// a unique prefix, as in screen).
import BerthClient
import BerthProtocol
import BerthSystem
import Glibc

struct Session {
  enum State: Equatable {
    case attached, detached, dead
    /// A server that answers but not as this berth expects (another version, stuck).
    case unusable(String)
  }

  /// PID.NAME, the socket's file name.
  let id: String
  let pid: Int32
  let name: String
  var state: State
  var created: Int64?
  /// Why berth cannot use this session, in full (for an error line).
  var problem: String?

  var isAlive: Bool { state == .attached || state == .detached }

  init(id: String) {
    self.id = id
    let dot = id.firstIndex(of: ".") ?? id.endIndex
    pid = Int32(id[..<dot]) ?? 0
    name = dot < id.endIndex ? String(id[id.index(after: dot)...]) : ""
    state = .dead
  }

  /// screen's list line: "\tPID.NAME\t(date)\t(Attached)".
  var listLine: String {
    switch state {
    case .dead: return "\t\(id)\t(Dead ???)"
    case .unusable(let why): return "\t\(id)\t(\(why))"
    case .attached, .detached:
      let when = created.map { "(\(formatDate($0)))\t" } ?? ""
      return "\t\(id)\t\(when)(\(state == .attached ? "Attached" : "Detached"))"
    }
  }

  /// Does `query` name this session? Exact names first, then prefixes.
  func matches(_ query: String, exactly: Bool) -> Bool {
    if query == id || query == name || query == String(pid) { return true }
    return !exactly && (id.hasPrefix(query) || name.hasPrefix(query))
  }
}

func formatDate(_ seconds: Int64) -> String {
  var t = time_t(seconds)
  var tm = tm()
  localtime_r(&t, &tm)
  var buffer = [CChar](repeating: 0, count: 64)
  let n = strftime(&buffer, buffer.count, "%m/%d/%y %H:%M:%S", &tm)
  return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

struct SessionDirectory {
  let directory: SocketDirectory

  /// Every session socket, each asked for its state. All are asked at once
  /// (in batches, to stay well inside the descriptor limit), so a list of
  /// 200 sessions takes about as long as their servers need to answer
  /// together, not 200 round trips one after another.
  func sessions() -> [Session] {
    let ids = directory.entries().sorted()
    var out: [Session] = []
    out.reserveCapacity(ids.count)
    let batch = Self.batchSize()
    var start = 0
    while start < ids.count {
      let end = min(start + batch, ids.count)
      out += probe(Array(ids[start..<end]))
      start = end
    }
    return out
  }

  /// Sessions asked at once: 256, or fewer where the descriptor limit is low.
  static func batchSize() -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 16 }
    return max(1, min(256, Int(clamping: limit.rlim_cur) - 32))
  }
  /// How long a server has to answer before it is listed as Unreachable.
  static let answerNanos: UInt64 = 2_000_000_000

  /// Asks each of `ids` for its state: connects to all, sends each a hello
  /// and an info request, then reads the answers as they come.
  func probe(_ ids: [String]) -> [Session] {
    var sessions = ids.map { Session(id: $0) }
    var waiting: [(index: Int, connection: SessionConnection)] = []
    for (i, id) in ids.enumerated() {
      do {
        let connection = try SessionConnection(path: directory.socketPath(id))
        try connection.post(.hello(ClientHello(columns: 80, rows: 24, term: "dumb", colors: 0)))
        try connection.post(.info)
        waiting.append((i, connection))
      } catch let e as SystemError where e.code == ECONNREFUSED || e.code == ENOENT {
        continue  // nobody listens: Dead
      } catch {
        sessions[i].state = .unusable("Unreachable")
      }
    }
    let deadline = Clock.nanos() &+ Self.answerNanos
    var fds: [pollfd] = []
    while !waiting.isEmpty {
      let now = Clock.nanos()
      guard now < deadline else { break }
      fds.removeAll(keepingCapacity: true)
      for (_, c) in waiting {
        let out: Int16 = c.hasPendingOutput ? Int16(POLLOUT) : 0
        fds.append(pollfd(fd: c.fd, events: Int16(POLLIN) | out, revents: 0))
      }
      let n = poll(&fds, nfds_t(fds.count), Int32((deadline - now) / 1_000_000) + 1)
      if n < 0 && errno != EINTR { break }
      var still: [(index: Int, connection: SessionConnection)] = []
      for (k, entry) in waiting.enumerated() {
        let events = fds[k].revents
        if events != 0,
          let state = answer(entry.connection, events: events, into: &sessions[entry.index])
        {
          sessions[entry.index].state = state
        } else {
          still.append(entry)
        }
      }
      waiting = still
    }
    for (i, _) in waiting { sessions[i].state = .unusable("Unreachable") }
    return sessions
  }

  /// Reads what `connection` has; the session's state once its answer is
  /// complete (or it failed), nil while it is still to come.
  private func answer(_ connection: SessionConnection, events: Int16, into s: inout Session)
    -> Session.State?
  {
    do {
      if events & Int16(POLLOUT) != 0 { try connection.flush() }
      var open = true
      if events & ~Int16(POLLOUT) != 0 { open = try connection.readAvailable() }
      while let message = try connection.nextBuffered() {
        switch message {
        case .hello:
          continue
        case .info(let info):
          s.created = info.created
          return info.attachedClients > 0 ? .attached : .detached
        case .error(let text) where text.contains("protocol version"):
          s.problem = text
          return .unusable("Other version")
        default:
          return .unusable("Unreachable")
        }
      }
      return open ? nil : .unusable("Unreachable")
    } catch ProtocolError.versionMismatch(let ours, let theirs) {
      s.problem =
        "the session at \(connection.path) speaks protocol version \(theirs), this berth speaks version \(ours); use the berth that started it"
      return .unusable("Other version")
    } catch {
      return .unusable("Unreachable")
    }
  }

  /// Sessions matching `query` (all when nil): exact matches win over prefixes.
  func matching(_ query: String?, in all: [Session]) -> [Session] {
    guard let query, !query.isEmpty else { return all }
    let exact = all.filter { $0.matches(query, exactly: true) }
    return exact.isEmpty ? all.filter { $0.matches(query, exactly: false) } : exact
  }
}

/// "There is a screen on:" / "There are screens on:" and the lines.
func printList(_ header: (one: String, many: String), _ sessions: [Session]) {
  print(sessions.count == 1 ? header.one : header.many)
  for s in sessions { print(s.listLine) }
}

func socketCountLine(_ n: Int, _ dir: String) -> String {
  n == 0 ? "No Sockets found in \(dir)." : "\(n) Socket\(n == 1 ? "" : "s") in \(dir)."
}

/// screen's default name: the terminal and the host ("pts-3.myhost").
func defaultSessionName() -> String {
  var host = [CChar](repeating: 0, count: 256)
  gethostname(&host, host.count - 1)
  let hostName = String(cString: host).split(separator: ".").first.map(String.init) ?? "localhost"
  var tty = "notty"
  if let p = ttyname(0) {
    var path = String(cString: p)
    if path.hasPrefix("/dev/") { path.removeFirst(5) }
    tty = path.replacingSlashes()
  }
  return "\(tty).\(hostName)"
}

extension String {
  func replacingSlashes() -> String {
    String(map { $0 == "/" ? "-" : $0 })
  }
}
