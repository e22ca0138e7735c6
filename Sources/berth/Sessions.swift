// Finding sessions: scanning the socket directory (and those an older
// berth used), reading each socket's state, and matching the names users
// type (PID, NAME, PID.NAME or a unique prefix, as in screen).
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
  /// The socket's path.
  let path: String
  let pid: Int32
  let name: String
  var state: State
  var created: Int64?
  /// Why berth cannot use this session, in full (for an error line).
  var problem: String?

  var isAlive: Bool { state == .attached || state == .detached }

  init(id: String, directory: String) {
    self.id = id
    path = directory + "/" + id
    let dot = id.firstIndex(of: ".") ?? id.endIndex
    pid = Int32(id[..<dot]) ?? 0
    name = dot < id.endIndex ? String(id[id.index(after: dot)...]) : ""
    state = .dead
  }

  /// screen's list line, "\tPID.NAME\t(date)\t(Attached)": three fields
  /// split by tabs whatever the state, dead and removed sessions included.
  var listLine: String {
    let when = created.map { "(\(formatDate($0)))\t" } ?? ""
    return "\t\(id)\t\(when)(\(stateWord))"
  }

  var stateWord: String {
    switch state {
    case .attached: return "Attached"
    case .detached: return "Detached"
    case .dead: return "Dead ???"
    case .unusable(let why): return why
    }
  }

  /// Does `query` name this session? Exact names first, then prefixes.
  func matches(_ query: String, exactly: Bool) -> Bool {
    if query == id || query == name || query == String(pid) { return true }
    return !exactly && (id.hasPrefix(query) || name.hasPrefix(query))
  }
}

func formatDate(_ seconds: Int64) -> String {
  formatTime(seconds, "%m/%d/%y %H:%M:%S", utc: false)
}

struct SessionDirectory {
  /// Where sessions are made, then where an older berth made them.
  let directories: [SocketDirectory]

  init(directory: SocketDirectory) {
    directories = [directory] + directory.earlierDirectories
  }

  /// Every session socket and its state, read from the socket file as
  /// screen and tmux do (see `probe`), so listing wakes no server: 200
  /// sessions cost 200 stats and connects, not 200 round trips. Sockets of
  /// an older berth's directory come after, and only from a directory that
  /// passes the same checks.
  func sessions() -> [Session] {
    directories.enumerated().flatMap { i, directory -> [Session] in
      if i > 0 && (try? directory.validate(create: false)) != true { return [] }
      return directory.entries().sorted { $0.name < $1.name }.map { probe($0, in: directory) }
    }
  }

  /// One session as its socket shows it. A server marks its socket: the
  /// owner's execute bit while a client is attached, and the file's time
  /// is when the session began. Whether anyone listens tells a live
  /// session from the leftover socket of a dead one.
  func probe(_ entry: (name: String, status: stat), in directory: SocketDirectory) -> Session {
    var session = Session(id: entry.name, directory: directory.path)
    let path = session.path
    let st = entry.status
    // The server stamps its socket with the time it began, which stays on
    // the file of a dead one too.
    session.created = Int64(st.st_mtim.tv_sec)
    do {
      guard try UnixSocket.isListening(at: path) else { return session }
    } catch {
      session.state = .unusable("Unreachable")
      session.problem = "cannot reach the session at \(path): \(error)"
      return session
    }
    session.state = st.st_mode & S_IXUSR != 0 ? .attached : .detached
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

/// The count lines closing a list: one per directory that holds some of
/// `sessions` (the first directory's "No Sockets found" when none does).
func socketCountLines(_ sessions: [Session], in directories: [SocketDirectory]) -> [String] {
  let lines = directories.compactMap { d -> String? in
    let n = sessions.filter { $0.path == d.socketPath($0.id) }.count
    return n == 0 ? nil : socketCountLine(n, d.path)
  }
  return lines.isEmpty ? [socketCountLine(0, directories.first?.path ?? "")] : lines
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
