// berth --up -f Procfile [-S NAME]: one session (named after the
// Procfile's directory) with a window per entry, titled with its name,
// run by `sh -c` in the Procfile's directory with `restart on-failure`, the
// directory's .env in its environment as foreman and overmind load it.
// The session's startup file is written for the server and removed once
// the server has read it (it reads it before it says it is ready).
import BerthServer
import BerthSystem
import Glibc

extension CommandLineTool {
  /// The session's name: -S, else the Procfile's directory's last component.
  func procfileSessionName(_ path: String) throws -> String {
    if let name = options.sessionName { return name }
    let dir = Self.directoryOf(path)
    let name = String(dir.split(separator: "/").last ?? "procfile")
    return name.isEmpty ? "procfile" : name
  }

  static func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  func upProcfile(_ given: String) throws -> Int32 {
    let path = absolutePath(given)
    guard let bytes = FD.readFile(path, limit: 1 << 20) else {
      throw BerthError("\(visible(given)): cannot read: \(SystemError.text(for: errno))")
    }
    let entries: [ProcfileEntry]
    switch Procfile.parse(String(decoding: bytes, as: UTF8.self)) {
    case .success(let found): entries = found
    case .failure(let error):
      throw BerthError(
        error.line > 0 ? "\(given):\(error.line): \(error.message)" : "\(given): \(error.message)")
    }
    let dir = Self.directoryOf(path)
    let name = try procfileSessionName(path)
    guard sessions.sessions().first(where: { $0.isAlive && $0.name == name }) == nil else {
      print("\(name): already running")
      return 0
    }
    // .env: into this process's environment, which the server and its
    // windows inherit; the server starts in the Procfile's directory.
    if let env = FD.readFile(dir + "/.env", limit: 1 << 20) {
      switch DotEnv.parse(String(decoding: env, as: UTF8.self)) {
      case .success(let pairs): for (key, value) in pairs { setenv(key, value, 1) }
      case .failure(let error): throw BerthError("\(dir)/.env:\(error.line): \(error.message)")
      }
    }
    guard chdir(dir) == 0 else {
      throw BerthError("cannot enter \(visible(dir)): \(SystemError.text(for: errno))")
    }
    let lines = entries.map { entry in
      "screen -t \(entry.name) --restart=on-failure sh -c \(Self.singleQuoted(entry.command))"
    }
    let startup = try Self.temporaryStartupFile(lines.joined(separator: "\n") + "\n")
    defer { unlink(startup) }
    try start(name, startupFile: startup)
    print("\(name): started")
    return 0
  }

  /// A word in single quotes for a startup-file line: no variable is put
  /// in by the server (sh does that when it runs the command).
  static func singleQuoted(_ text: String) -> String {
    "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''")
      + "'"
  }

  /// A private file holding `text`, in $TMPDIR or /tmp.
  static func temporaryStartupFile(_ text: String) throws -> String {
    let base = environment("TMPDIR").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
    var template = Array((base + "/berth-procfile-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw SystemError("mkstemp") }
    defer { close(fd) }
    let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    do {
      try FD.writeAll(fd, text)
    } catch {
      unlink(path)
      throw error
    }
    return path
  }
}
