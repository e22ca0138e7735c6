// berth --up and --down: the sessions declared as
// $XDG_CONFIG_HOME/berth/sessions/NAME.berthrc (startup files, each run by
// the session NAME's server as -c would run it), or one Procfile's
// session (Procfile.swift). --up starts those not running, detached;
// --down `stop`s each window's program (SIGTERM, then SIGKILL after
// stopwait), then ends the session with `quit`, which leaves no save for
// --resurrect (a session taken down on purpose is not one to bring back;
// SIGTERM to the server would keep one, and hang the programs up instead).
import BerthClient
import BerthServer
import BerthSystem
import Glibc

extension CommandLineTool {
  /// Where the declared sessions' files are.
  static func declaredDirectory() -> String? {
    if let config = environment("XDG_CONFIG_HOME"), config.hasPrefix("/") {
      return config + "/berth/sessions"
    }
    guard let home = environment("HOME"), !home.isEmpty else { return nil }
    return home + "/.config/berth/sessions"
  }

  /// NAME -> file of every declared session, sorted by name.
  static func declaredSessions() -> [(name: String, path: String)] {
    guard let dir = declaredDirectory(), let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var found: [(name: String, path: String)] = []
    while let entry = readdir(d) {
      let file = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      guard file.hasSuffix(".berthrc"), !file.hasPrefix(".") else { continue }
      found.append((String(file.dropLast(".berthrc".count)), dir + "/" + file))
    }
    return found.sorted { $0.name < $1.name }
  }

  /// The declared sessions named (none: all); an undeclared name is an error.
  private func chosenDeclared() throws -> [(name: String, path: String)] {
    let all = Self.declaredSessions()
    guard !options.declaredNames.isEmpty else { return all }
    return try options.declaredNames.map { name in
      guard let found = all.first(where: { $0.name == name }) else {
        throw BerthError(
          "\(visible(name)) is not a declared session (no \(Self.declaredDirectory() ?? "~/.config/berth/sessions")/\(name).berthrc)"
        )
      }
      return found
    }
  }

  private func running(_ name: String) -> [Session] {
    sessions.sessions().filter { $0.isAlive && $0.name == name }
  }

  func up() throws -> Int32 {
    try directory.validate(create: true)
    if let procfile = options.procfile { return try upProcfile(procfile) }
    let chosen = try chosenDeclared()
    guard !chosen.isEmpty else {
      print("No declared sessions in \(Self.declaredDirectory() ?? "~/.config/berth/sessions").")
      return 0
    }
    var failed = false
    for (name, path) in chosen {
      if !running(name).isEmpty {
        print("\(name): already running")
        continue
      }
      do {
        try start(name, startupFile: path)
        print("\(name): started")
      } catch {
        printError("berth: \(name): \(error)")
        failed = true
      }
    }
    return failed ? 1 : 0
  }

  /// Starts NAME detached, its windows those `startupFile` opens.
  func start(_ name: String, startupFile: String) throws {
    try validateSessionName(name, directory: directory.path)
    var config = ServerConfig(
      socketPath: "", sessionName: "", columns: 80, rows: 24, historyLimit: 10_000,
      term: DefaultTerm.choose(), argv: ["-"], readyFd: nil)
    config.explicitProgram = false
    config.startupFile = startupFile
    _ = try Launcher.start(config: config, directory: directory.path, name: name, connect: false)
  }

  func down() throws -> Int32 {
    _ = try directory.validate(create: false)
    let names: [String]
    if let procfile = options.procfile {
      names = [try procfileSessionName(absolutePath(procfile))]
    } else {
      names = try chosenDeclared().map(\.name)
    }
    var failed = false
    for name in names {
      let live = running(name)
      guard !live.isEmpty else {
        print("\(name): not running")
        continue
      }
      for session in live {
        do {
          try quit(session)
        } catch {
          printError("berth: \(name): \(error)")
          failed = true
          continue
        }
        waitForEnd(of: session)
      }
      print("\(name): stopped")
    }
    return failed ? 1 : 0
  }

  /// Stops every running program of the session (`stop`: SIGTERM, then
  /// SIGKILL after stopwait, no restart), waits for them, then `quit`s it,
  /// which leaves no save; the connection may close without an answer.
  private func quit(_ session: Session) throws {
    let windows = ask(session)?["windows"]?.array ?? []
    let running = windows.filter { $0["state"]?.string == "running" }
    let connection = try SessionConnection(path: session.path)
    try connection.greet(columns: 80, rows: 24, term: "dumb", colors: 0)
    func run(_ argv: [String], window: String?) throws {
      try connection.send(.command(window: window, argv), timeoutMs: 5000)
      while let reply = try? connection.receive(timeoutMs: 10_000) {
        if case .commandResult = reply { return }
      }
    }
    for w in running {
      if let n = w["number"]?.int { try run(["stop"], window: String(n)) }
    }
    let pids = running.compactMap { $0["pid"]?.int }.compactMap { pid_t(exactly: $0) }
    // The server sends SIGKILL after stopwait; this waits a little longer.
    let deadline = Clock.nanos() &+ 75_000_000_000
    while pids.contains(where: { $0 > 1 && kill($0, 0) == 0 }), Clock.nanos() < deadline {
      usleep(20_000)
    }
    try run(["quit"], window: nil)
  }

  /// Waits while the server (PID of PID.NAME) still ends its programs:
  /// stopwait, then SIGKILL, at most a little over a minute.
  private func waitForEnd(of session: Session) {
    guard let dot = session.id.firstIndex(of: "."), let pid = pid_t(session.id[..<dot]), pid > 1
    else { return }
    let deadline = Clock.nanos() &+ 75_000_000_000
    while kill(pid, 0) == 0 || errno == EPERM, Clock.nanos() < deadline {
      usleep(20_000)
    }
  }
}
