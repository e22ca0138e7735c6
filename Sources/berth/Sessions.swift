// Finding sessions: scanning the socket directory, reading each socket's
// state, and matching the names users type (PID, NAME, PID.NAME or
// a unique prefix, as in screen).
import BerthSystem
import Glibc

struct Session {
  enum State: Equatable {
    case attached, detached, dead
    /// A socket berth cannot connect to, or one -wipe removed.
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
  _ = strftime(&buffer, buffer.count, "%m/%d/%y %H:%M:%S", &tm)
  return String(cBuffer: buffer)
}

struct SessionDirectory {
  let directory: SocketDirectory

  /// Every session socket and its state, read from the socket file as
  /// screen and tmux do (see `probe`), so listing wakes no server: 200
  /// sessions cost 200 stats and connects, not 200 round trips.
  func sessions() -> [Session] {
    directory.entries().sorted { $0.name < $1.name }.map(probe)
  }

  /// One session as its socket shows it. A server marks its socket: the
  /// owner's execute bit while a client is attached, and the file's time
  /// is when the session began. Whether anyone listens tells a live
  /// session from the leftover socket of a dead one.
  func probe(_ entry: (name: String, status: stat)) -> Session {
    var session = Session(id: entry.name)
    let path = directory.socketPath(entry.name)
    let st = entry.status
    do {
      guard try UnixSocket.isListening(at: path) else { return session }
    } catch {
      session.state = .unusable("Unreachable")
      session.problem = "cannot reach the session at \(path): \(error)"
      return session
    }
    session.state = st.st_mode & S_IXUSR != 0 ? .attached : .detached
    session.created = Int64(st.st_mtim.tv_sec)
    return session
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
  let hostName = shortHostName() ?? "localhost"
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
