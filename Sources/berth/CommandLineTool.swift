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
    case .list: return try list()
    case .wipe: return try wipe()
    case .command: return try command()
    case .create:
      if options.resume || options.multiAttach || options.resumeOrCreate
        || (options.detach && !options.startDetached)
      {
        return try resume()
      }
      return try create()
    }
  }

  // MARK: - Listing

  private func list() throws -> Int32 {
    guard try directory.validate(create: false) else {
      print(socketCountLine(0, directory.path))
      return 1
    }
    let found = sessions.matching(options.sessionName, in: sessions.sessions())
    if found.isEmpty {
      print(socketCountLine(0, directory.path))
      return 1
    }
    printList(("There is a screen on:", "There are screens on:"), found)
    if found.contains(where: { $0.state == .dead }) {
      print("Remove dead screens with 'berth -wipe'.")
    }
    print(socketCountLine(found.count, directory.path))
    return 0
  }

  private func wipe() throws -> Int32 {
    guard try directory.validate(create: false) else {
      print(socketCountLine(0, directory.path))
      return 1
    }
    var found = sessions.matching(options.sessionName, in: sessions.sessions())
    var wiped = 0
    for i in found.indices where found[i].state == .dead {
      let path = directory.socketPath(found[i].id)
      if unlink(path) == 0 {
        wiped += 1
        found[i].state = .unusable("Removed")
      } else {
        printError("berth: cannot remove \(path): \(SystemError.text(for: errno))")
      }
    }
    if !found.isEmpty { printList(("There is a screen on:", "There are screens on:"), found) }
    if wiped > 0 { print("\(wiped) socket\(wiped == 1 ? "" : "s") wiped out.") }
    found.removeAll { $0.state == .unusable("Removed") }
    print(socketCountLine(found.count, directory.path))
    return found.isEmpty ? 1 : 0
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
      historyLimit: options.historyLimit ?? 10_000, term: options.term ?? "screen-256color",
      argv: argv, readyFd: nil)
    config.explicitProgram = !options.words.isEmpty
    config.startupFile = options.configFile.map(absolutePath)
    config.logAllWindows = options.logging
    config.logFile = options.logFile
    config.title = options.title
    config.shell = options.shell
    guard attachNow else {
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
    guard try directory.validate(create: options.resumeOrCreate) else {
      return try noSessionToResume()
    }
    let all = sessions.sessions()
    let candidates = sessions.matching(options.sessionName, in: all).filter(\.isAlive)
    let usable =
      options.multiAttach || options.detach
      ? candidates : candidates.filter { $0.state == .detached }

    guard usable.count <= 1 else {
      printList(
        ("There is a suitable screen on:", "There are several suitable screens on:"), usable)
      print("Type \"berth [-d] -r [pid.]tty.host\" to resume one of them.")
      return 1
    }
    guard let target = usable.first else {
      try reportUnusable(sessions.matching(options.sessionName, in: all))
      if options.resumeOrCreate { return try create() }
      if !candidates.isEmpty {
        printList(("There is a screen on:", "There are screens on:"), candidates)
      }
      return try noSessionToResume()
    }
    guard attachHere else {
      return try sendCommand(["detach"], to: target.id)
    }
    return try attachTo(target.id, detachOthers: options.detach)
  }

  /// A matching session this berth cannot talk to is an error, not "no session".
  private func reportUnusable(_ matching: [Session]) throws {
    if let problem = matching.lazy.compactMap(\.problem).first { throw BerthError(problem) }
  }

  private func noSessionToResume() throws -> Int32 {
    if let name = options.sessionName {
      print(
        "There is no screen to be \(options.resume || options.multiAttach ? "resumed" : "detached") matching \(visible(name))."
      )
    } else {
      print(
        "There is no screen to be \(options.resume || options.multiAttach ? "resumed" : "detached")."
      )
    }
    return 1
  }

  private func attachTo(_ id: String, detachOthers: Bool) throws -> Int32 {
    let size = try Attach.terminalSize()
    let connection = try SessionConnection(path: directory.socketPath(id))
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
    guard try directory.validate(create: false) else {
      print("No screen session found.")
      return 1
    }
    let matching = sessions.matching(options.sessionName, in: sessions.sessions())
    let found = matching.filter(\.isAlive)
    guard found.count == 1, let target = found.first else {
      if found.isEmpty {
        try reportUnusable(matching)
        print("No screen session found.")
      } else {
        printList(("There is a screen on:", "There are several suitable screens on:"), found)
        print("Use -S to specify a session.")
      }
      return 1
    }
    return try sendCommand(absolutePaths(options.words), to: target.id)
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

  private func sendCommand(_ argv: [String], to id: String) throws -> Int32 {
    let connection = try SessionConnection(path: directory.socketPath(id))
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
}
