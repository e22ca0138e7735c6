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

  /// Every session socket, each asked for its state.
  func sessions() -> [Session] {
    directory.entries().sorted().map(probe)
  }

  func probe(_ id: String) -> Session {
    var s = Session(id: id)
    let conn: SessionConnection
    do {
      conn = try SessionConnection(path: directory.socketPath(id))
    } catch let e as SystemError where e.code == ECONNREFUSED || e.code == ENOENT {
      return s
    } catch {
      s.state = .unusable("Unreachable")
      return s
    }
    do {
      try conn.greet(columns: 80, rows: 24, term: "dumb", colors: 0, timeoutMs: 2000)
      try conn.send(.info, timeoutMs: 2000)
      guard case .info(let info)? = try conn.receive(timeoutMs: 2000) else {
        s.state = .unusable("Unreachable")
        return s
      }
      s.state = info.attachedClients > 0 ? .attached : .detached
      s.created = info.created
    } catch let e as BerthError where e.description.contains("protocol version") {
      s.state = .unusable("Other version")
      s.problem = e.description
    } catch {
      s.state = .unusable("Unreachable")
    }
    return s
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

/// Checks a session name given with -S: it becomes part of a file name.
func validateSessionName(_ name: String, directory: String) throws {
  guard !name.isEmpty else { throw BerthError("a session name cannot be empty") }
  guard !name.contains("/") else {
    throw BerthError("session name '\(name)' contains '/'; a name cannot hold a slash")
  }
  guard name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
    throw BerthError("session name contains a control character")
  }
  guard name != "." && name != ".." else { throw BerthError("'\(name)' is not a session name") }
  // The socket is DIR/PID.NAME; a pid has at most 7 digits on Linux.
  let length = directory.utf8.count + 1 + 7 + 1 + name.utf8.count
  guard length <= UnixSocket.maxPathLength else {
    throw BerthError(
      "session name '\(name.prefix(40))…' is too long: its socket path would be over the limit of \(UnixSocket.maxPathLength) bytes"
    )
  }
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
