// The session berth itself runs in, when run from one of its windows:
// named by $BERTH (its socket's path) or $STY (PID.NAME), as screen's
// windows carry $STY. -X and -Q without -S act on it, as screen's do; and
// no client may attach to it, which would show the session inside itself.
import BerthSystem
import Glibc

enum EnclosingSession {
  /// The socket of the session named by $BERTH, else by $STY (looked up in
  /// `sessions`), with the variable that named it; nil outside a session.
  static func named(among sessions: SessionDirectory) -> (path: String, by: String)? {
    if let path = environment("BERTH") { return (path, "$BERTH") }
    guard let sty = environment("STY") else { return nil }
    let all = sessions.sessions()
    let path = all.first { $0.id == sty }?.path ?? sessions.directories[0].socketPath(sty)
    return (path, "$STY")
  }

  /// Whether attaching to `session` from here would attach it to itself:
  /// $BERTH or $STY name it, or this process runs under its server (which
  /// holds even when a program emptied the environment).
  static func contains(_ session: Session) -> Bool {
    if let path = environment("BERTH"), sameFile(path, session.path) { return true }
    if environment("STY") == session.id { return true }
    return isAncestor(session.pid)
  }

  private static func sameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat()
    var sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return a == b }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
  }

  /// Whether `pid` is this process's parent, grandparent, and so on.
  static func isAncestor(_ pid: pid_t) -> Bool {
    guard pid > 1 else { return false }
    var current = getppid()
    // A chain of parents ends at init; the bound only guards against a
    // /proc that answers in a loop.
    for _ in 0..<4096 where current > 1 {
      if current == pid { return true }
      guard let parent = parentPID(of: current) else { return false }
      current = parent
    }
    return false
  }

  /// The parent of `pid` from /proc/PID/stat ("PID (comm) S PPID ..."; the
  /// command may hold spaces and parentheses, so read after the last ')').
  private static func parentPID(of pid: pid_t) -> pid_t? {
    guard let bytes = FD.readFile("/proc/\(pid)/stat", limit: 4096),
      let close = bytes.lastIndex(of: UInt8(ascii: ")"))
    else { return nil }
    let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
    guard fields.count > 1 else { return nil }
    return pid_t(String(decoding: fields[1], as: UTF8.self))
  }
}
