// What each command line does: create, list, wipe, resume, detach, -X.
import BerthClient
import BerthProtocol
import BerthServer
import BerthSystem
import Glibc

struct CommandLineTool {
  let options: Options
  let directory = SocketDirectory()

  var sessions: SessionDirectory { SessionDirectory(directory: directory) }

  func run() throws -> Int32 {
    switch options.mode {
    case .version:
      print("berth version \(berthVersion) (protocol \(protocolVersion))")
      return 0
    case .help:
      print(helpText)
      return 0
    case .list: return try list(wiping: false)
    case .wipe: return try list(wiping: true)
    case .command: return try command()
    case .status: return try status()
    case .tail: return try tail()
    case .upgrade: return try upgrade()
    case .resurrect: return try resurrect()
    case .forget: return try forget()
    case .up: return try up()
    case .down: return try down()
    case .create:
      if options.resume || options.multiAttach || options.resumeOrCreate
        || (options.detach && !options.startDetached)
      {
        return try resume()
      }
      return try create()
    }
  }

  // MARK: - Creating

  private func create() throws -> Int32 {
    // -m with -d starts detached; -m alone only forces a new session, as in screen.
    let attachNow = !(options.startDetached && options.detach)
    let size = attachNow ? try Attach.terminalSize() : (columns: 80, rows: 24)
    try directory.validate(create: true)
    let name = options.sessionName ?? defaultSessionName()
    try validateSessionName(name, directory: directory.path)
    // Without a program the server starts the shell (-s, the startup file's
    // `shell`, $SHELL); argv is then only a placeholder.
    let argv = options.words.isEmpty ? ["-"] : options.words
    var config = ServerConfig(
      socketPath: "", sessionName: "", columns: size.columns, rows: size.rows,
      historyLimit: options.historyLimit ?? 10_000, term: options.term ?? DefaultTerm.choose(),
      argv: argv, readyFd: nil)
    config.explicitProgram = !options.words.isEmpty
    config.startupFile = options.configFile.map(absolutePath)
    config.logAllWindows = options.logging
    config.logFile = options.logFile
    config.title = options.title
    config.shell = options.shell
    config.restart = options.restart
    guard attachNow else {
      // -D -m: this process is the session's server, in the foreground
      // until the session ends, as screen's is (for systemd, containers,
      // supervisord); -d -m starts it in the background and returns.
      if options.powerDetach {
        return Foreground.serve(config, directory: directory.path, name: name)
      }
      _ = try Launcher.start(config: config, directory: directory.path, name: name, connect: false)
      return 0
    }
    let (renderer, signals) = try Attach.takeTerminal()
    let started: (id: String, connection: Int32?)
    do {
      started = try Launcher.start(
        config: config, directory: directory.path, name: name, connect: true)
    } catch {
      renderer.end()
      throw error
    }
    guard let fd = started.connection else { throw BerthError("no connection to the new session") }
    let connection = SessionConnection(connected: fd, path: directory.socketPath(started.id))
    return try attach(
      connection, renderer: renderer, signals: signals, size: size, detachOthers: false)
  }

  // MARK: - Resuming

  private func resume() throws -> Int32 {
    // -d NAME alone detaches the session elsewhere and stays here.
    let attachHere = options.resume || options.multiAttach || options.resumeOrCreate
    if attachHere { _ = try Attach.terminalSize() }
    let exists = try directory.validate(create: options.resumeOrCreate)
    let all = sessions.sessions()
    guard exists || !all.isEmpty else { return try noSessionToResume() }
    let candidates = sessions.matching(options.sessionName, in: all).filter(\.isAlive)
    let usable =
      options.multiAttach || options.detach
      ? candidates : candidates.filter { $0.state == .detached }

    guard usable.count <= 1 || options.firstOfSeveral else {
      // -q: the count tells a script how many there are to choose from.
      if options.quiet { return quietStatus(10 + usable.count) }
      printList(
        ("There is a suitable screen on:", "There are several suitable screens on:"), usable)
      print("Type \"berth [-d] -r [pid.]tty.host\" to resume one of them.")
      return 1
    }
    guard let target = usable.first else {
      try reportUnusable(sessions.matching(options.sessionName, in: all))
      if options.resumeOrCreate, let id = try resurrectForAttach(running: all) {
        return try attachTo(Session(id: id, directory: directory.path), detachOthers: false)
      }
      if options.resumeOrCreate { return try create() }
      if !candidates.isEmpty && !options.quiet {
        printList(("There is a screen on:", "There are screens on:"), candidates)
      }
      return try noSessionToResume()
    }
    if usable.count > 1 && !options.quiet {
      // -RR takes the first, after saying which there were, as screen does.
      printList(
        ("There is a suitable screen on:", "There are several suitable screens on:"), usable)
    }
    guard attachHere else {
      return try sendCommand(["detach"], to: target.path)
    }
    return try attachTo(target, detachOthers: options.detach)
  }

  /// A matching session this berth cannot talk to is an error, not "no session".
  private func reportUnusable(_ matching: [Session]) throws {
    if let problem = matching.lazy.compactMap(\.problem).first { throw BerthError(problem) }
  }

  /// screen's words: "attached" for -x, "detached" for -d, else "resumed".
  private func noSessionToResume() throws -> Int32 {
    if options.quiet { return 10 }
    let verb = options.multiAttach ? "attached" : options.detach ? "detached" : "resumed"
    if let name = options.sessionName {
      print("There is no screen to be \(verb) matching \(visible(name)).")
    } else {
      print("There is no screen to be \(verb).")
    }
    return 1
  }

  private func attachTo(_ session: Session, detachOthers: Bool) throws -> Int32 {
    // Attaching to the session this runs in would show it inside itself,
    // keys going round in a loop: refused, as screen refuses it.
    guard !EnclosingSession.contains(session) else {
      throw BerthError(
        "cannot attach to \(visible(session.id)) from inside it (this runs in that session)")
    }
    let size = try Attach.terminalSize()
    let connection = try SessionConnection(path: session.path)
    let (renderer, signals) = try Attach.takeTerminal()
    return try attach(
      connection, renderer: renderer, signals: signals, size: size, detachOthers: detachOthers)
  }

  private func attach(
    _ connection: SessionConnection, renderer: Renderer, signals: SignalDescriptor,
    size: (columns: Int, rows: Int), detachOthers: Bool
  ) throws -> Int32 {
    var connection = connection
    var attach = AttachOptions()
    attach.readOnly = options.readOnly
    attach.window = options.window
    attach.forwardClipboard = options.forwardClipboard
    attach.detachOthers = detachOthers
    if let (key, literal) = options.commandKey {
      attach.commandKey = key
      attach.literalKey = literal
      attach.commandKeyGiven = true
    }
    var restarts = RestartBudget()
    while true {
      do {
        try connection.greet(
          columns: renderer.columns, rows: renderer.rows, term: environment("TERM") ?? "dumb",
          colors: Attach.colors(of: renderer))
      } catch {
        renderer.end()
        throw error
      }
      let result = Attach.run(connection, renderer: renderer, signals: signals, options: attach)
      if let why = result.reattach {
        // The PTY copy for typing would keep a dead server's programs from
        // their hangup while this waits.
        connection.dropDirectInput()
        if why == .upgrade || restarts.allows(now: Clock.nanos()),
          let again = reconnect(connection.path, after: why, renderer: renderer)
        {
          // Its server now speaks our protocol (else this berth was exec'd
          // anew): attached again as -r would, the whole screen redrawn.
          attach.detachOthers = false
          attach.window = nil
          let name = connection.server?.name ?? "the session"
          attach.notice = why == .restart ? "[berth: \(name)'s server restarted]" : nil
          connection = again
          continue
        }
        renderer.end()
      }
      guard result.suspended else {
        if result.text.hasPrefix("berth:") {
          printError(result.text)
        } else if !result.text.isEmpty {
          print(result.text)
        }
        return result.status
      }
      // C-a z: the session counts this client as detached while it is
      // stopped, as screen does; continued, it attaches again as it was
      // (in the window the session shows it), at the terminal's new size.
      let id = String(connection.path.split(separator: "/").last ?? "")
      Attach.stopUntilContinued()
      _ = renderer.refreshSize()
      attach.detachOthers = false
      attach.window = nil
      do {
        connection = try SessionConnection(path: connection.path)
      } catch {
        throw BerthError("the session \(visible(id)) is gone: it ended while berth was suspended")
      }
    }
  }

  // MARK: - -X

  private func command() throws -> Int32 {
    // Inside a session, without -S, the command goes to that session, as
    // screen's -X goes to $STY's (-m: as outside).
    if options.sessionName == nil && !options.startDetached,
      let enclosing = EnclosingSession.named(among: sessions)
    {
      // Its directory passes the checks any socket directory does.
      guard let slash = enclosing.path.lastIndex(of: "/"), slash != enclosing.path.startIndex,
        try SocketDirectory(path: String(enclosing.path[..<slash])).validate(create: false)
      else {
        throw BerthError(
          "\(enclosing.by) is not the path of a session's socket: \(visible(enclosing.path))")
      }
      return try sendCommand(
        absolutePaths(options.words), to: enclosing.path, namedBy: enclosing.by)
    }
    let exists = try directory.validate(create: false)
    let matching = sessions.matching(options.sessionName, in: sessions.sessions())
    let found = matching.filter(\.isAlive)
    guard exists || !matching.isEmpty, found.count == 1, let target = found.first else {
      if found.isEmpty {
        try reportUnusable(matching)
        print("No screen session found.")
      } else {
        if !options.quiet {
          printList(("There is a screen on:", "There are several suitable screens on:"), found)
        }
        print("Use -S to specify a session.")
      }
      return 1
    }
    return try sendCommand(absolutePaths(options.words), to: target.path)
  }

  /// Files named in commands are relative to where berth was run, not the server.
  private func absolutePaths(_ argv: [String]) -> [String] {
    var out = argv
    // The words after the command, and its `-e encoding`.
    let words = out.dropFirst()
    let operands = words.first == "-e" ? words.dropFirst(2) : words
    let fileIsLast: Bool
    switch out.first {
    case "hardcopy": fileIsLast = operands.last != "-h"
    case "readbuf", "writebuf", "bufferfile", "source", "hardcopydir":
      fileIsLast = operands.count == 1
    case "readreg": fileIsLast = operands.count == 2
    case "layout": fileIsLast = operands.first == "dump" && operands.count == 2
    default: fileIsLast = false
    }
    guard fileIsLast, let file = operands.last, !file.isEmpty else { return out }
    out[out.count - 1] = absolutePath(file)
    return out
  }

  /// Sends argv to the session at `path`; `namedBy` is the variable that
  /// named it, for the error when it is gone.
  private func sendCommand(_ argv: [String], to path: String, namedBy: String? = nil) throws
    -> Int32
  {
    let id = String(path.split(separator: "/").last ?? Substring(path))
    let connection: SessionConnection
    do {
      connection = try SessionConnection(path: path)
    } catch  where namedBy != nil {
      throw BerthError(
        "no session at \(visible(path)) (named by \(namedBy ?? "")): it has ended or was renamed; name one with -S"
      )
    }
    try connection.greet(columns: 80, rows: 24, term: "dumb", colors: 0)
    try connection.send(.command(window: options.window, argv), timeoutMs: 5000)
    while true {
      guard let reply = try connection.receive(timeoutMs: 10_000) else {
        throw BerthError("the session \(id) did not answer the command")
      }
      switch reply {
      case .commandResult(let status, let output):
        let text = String(decoding: output, as: UTF8.self)
        if !text.isEmpty {
          if status == 0 { print(text) } else { printError("berth: \(text)") }
        }
        return status
      case .error(let text): throw BerthError(text)
      default: continue
      }
    }
  }

  /// The session's server closed this client's connection without an
  /// exit notice: it carried on as a new berth (an upgrade), or died and
  /// is coming back (a crash, a kill its keeper answers). A connection to
  /// it when it answers in this berth's protocol; otherwise this process
  /// becomes the berth now installed, attaching again (`-x`: others
  /// reattach at the same time); nil when the session does not come back.
  private func reconnect(_ path: String, after why: Reattach, renderer: Renderer)
    -> SessionConnection?
  {
    guard let version = protocolOnceBack(of: path, after: why) else { return nil }
    if version == protocolVersion { return try? SessionConnection(path: path) }
    renderer.end()
    let id = String(path.split(separator: "/").last ?? "")
    becomeInstalledBerth(["-x", id])
    return nil
  }

  /// The protocol of the session at `path` once it answers again (within
  /// 5 s of an upgrade, 3 s of an unexplained close), or nil.
  func protocolOnceBack(of path: String, after why: Reattach) -> UInt16? {
    SessionConnection.protocolOnceBack(
      at: path,
      withinMs: why == .upgrade
        ? SessionConnection.upgradeWaitMs : SessionConnection.restartWaitMs)
  }

  /// This process becomes the berth installed where this one was started
  /// from, run with `arguments`; returns only when it cannot.
  func becomeInstalledBerth(_ arguments: [String]) {
    guard let exe = installedExecutable() else { return }
    _ = Spawn.replaceProcess(with: exe, ["berth"] + arguments)
  }
}
