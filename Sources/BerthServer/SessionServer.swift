// The session server: one process per session, single-threaded, driven by
// poll(2) over the signalfd, the listening socket, the windows' PTYs and the
// clients. Nothing wakes it but those descriptors, so an idle session uses
// no CPU; a timeout is set only while a paced frame is waiting.
import BerthProtocol
import BerthSystem
import BerthTerminal
import Glibc

public final class SessionServer {
  /// What the server was started with; `sessionname` changes the name and socket path.
  var config: ServerConfig
  let pid: Int32
  var created = Clock.wallSeconds()
  let signals: SignalDescriptor
  var listener: Int32
  /// The windows, in the order of their numbers.
  var windows: [Window] = []
  /// The window commands act on when no client says otherwise: the one most
  /// recently shown or selected.
  var currentWindow: Window? {
    didSet { if oldValue !== currentWindow, let oldValue { windowBefore = oldValue } }
  }
  /// The current window before that one: a client attaching takes it as its
  /// other window, as screen's display has the one its startup file left.
  var windowBefore: Window?
  /// The environment programs start in (berth's, with TERM and BERTH set,
  /// and what setenv and unsetenv changed).
  var programEnvironment: [String]
  var clients: [ClientConnection] = []
  /// Set once the session is ending; clients get it after their last frame.
  var ending: ExitNotice?
  var endingDeadline: UInt64 = 0
  /// What commands and the berthrc set.
  var settings: Settings
  /// Bumped when the window list changes (numbers, titles, flags).
  var sessionVersion: UInt64 = 0
  /// Commands run so far: settings change with them (CrashRecovery.swift).
  var commandsRun = 0
  /// The memory file a crash exec reads the session back from, or -1.
  var recoveryFd: Int32 = -1
  /// What the session looked like when that file was last written.
  var recoveryMark: [Int] = []
  /// The child writing the next copy of that file, if one runs.
  var recoveryWriter: (pid: pid_t, fd: Int32, deadline: UInt64)?
  /// The saves for `--resurrect` (Saving.swift).
  var saves = SaveSchedule()
  /// When the server last came back from a crash (wall seconds), if it did.
  var recoveredAt: Int64?
  /// The signal that ended the server before that (SIGSEGV, SIGKILL).
  var recoveredAfter = ""
  /// Commands whose output status lines show (backtick), by id.
  var backticks: [Int: Backtick] = [:]
  /// Commands run with `exec` beside windows' programs.
  var execs: [WindowExec] = []
  /// The minute shown by status lines that show the time.
  var clockMinute: UInt64 = 0
  /// The paste buffer (screen has one per session): copy mode fills it, C-a ] pastes it.
  var pasteBuffer: [UInt8] = []
  /// screen's registers (`register`, `readreg`, `paste`), by their one-character names.
  var registers: [UInt8: [UInt8]] = [:]
  /// While a copy-mode key bound with bindkey -m runs: its client, whose
  /// copy mode `stuff` types into.
  var stuffTarget: ClientConnection?
  /// The startup file's region commands, for each client as it attaches.
  var startupLayout: [[String]] = []
  /// The session's layouts, and the startup file's display while its
  /// layout commands build them (LayoutCommands.swift).
  var namedLayouts = NamedLayouts()
  var startupDisplay: StartupDisplay?
  /// Whether the socket's mode says a client is attached (see markSocket).
  var socketShowsAttached = false
  /// Messages for the first client that attaches (berthrc errors).
  var pendingMessages: [String] = []
  /// How deep `source` commands are nested now.
  var sourceDepth = 0
  /// When checkSocket last looked.
  private var lastSocketCheck: UInt64 = 0
  static let socketCheckNanos: UInt64 = 2_000_000_000
  /// Scratch space for reading windows' and backticks' output.
  let readBuffer = UnsafeMutableRawBufferPointer.allocate(
    byteCount: 64 << 10, alignment: 16)

  /// Frames are paced at this interval while a program floods output;
  /// a quiet window's changes (an echoed key) go out at once. About a
  /// display's refresh rate: faster frames show nothing more. Against 8 ms,
  /// a colour flood attached went from 0.82-0.85x to 0.88-0.99x the speed
  /// of the bare terminal in A/B runs of muxbench on 2 cores (noisy).
  static let frameIntervalNanos: UInt64 = 16_000_000
  static let floodBytes = 4096
  /// The longest a synchronized update (mode 2026) holds frames back.
  static let synchronizedLimitNanos: UInt64 = 150_000_000

  /// Runs the server mode: sets up, tells the starting berth whether that
  /// worked (through the ready descriptor), then serves until the session ends.
  /// `foreground` (-D -m): this is the process the user started; a failed
  /// start is printed on its standard error, its standard input and output
  /// are let go of once the session runs, and the session's end is a
  /// success (0), as screen's -D -m process reports it.
  public static func main(config: ServerConfig, foreground: Bool = false) -> Int32 {
    let server: SessionServer
    do {
      server = try SessionServer(config: config)
    } catch let error as SpawnError {
      report(config.readyFd, "ERR \(error.status) \(error)")
      if foreground { printError("berth: \(error)") }
      return error.status
    } catch {
      report(config.readyFd, "ERR 1 \(error)")
      if foreground { printError("berth: \(error)") }
      return 1
    }
    // The session is named by this pid, the server's (a keeper's child).
    report(config.readyFd, "OK \(getpid())")
    if foreground { letGoOfStandardDescriptors() }
    let status = server.run()
    return foreground ? 0 : status
  }

  /// Standard input, output and error on /dev/null, as a spawned server's
  /// are: the caller's terminal or pipe is not held by the session, and
  /// descriptors the server opens never take their numbers.
  private static func letGoOfStandardDescriptors() {
    let null = open("/dev/null", O_RDWR | O_CLOEXEC)
    guard null >= 0 else { return }
    for fd: Int32 in [0, 1, 2] { dup2(null, fd) }
    if null > 2 { FD.close(null) }
  }

  private static func report(_ fd: Int32?, _ line: String) {
    guard let fd else { return }
    try? FD.writeAll(fd, line + "\n")
    FD.close(fd)
  }

  /// SIGUSR1 recreates the socket, SIGUSR2 upgrades in place; the others end the session.
  static let handledSignals = [SIGCHLD, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2]

  /// The server an upgrade in place hands its session to (Upgrade.swift).
  /// `afterCrash`: the recovery's generation and the signal that ended the
  /// server before.
  init(resuming state: SessionState, afterCrash crash: (generation: Int, signal: String)? = nil)
    throws
  {
    var st = stat()
    guard fstat(state.listener, &st) == 0, st.st_mode & S_IFMT == S_IFSOCK else {
      throw BerthError("the session's socket was not handed over")
    }
    config = ServerConfig(
      socketPath: state.socketPath, sessionName: state.sessionName,
      columns: min(max(state.columns, 1), maxDimension),
      rows: min(max(state.rows, 1), maxDimension),
      historyLimit: state.settings.historyLimit, term: state.term, argv: [], readyFd: nil)
    pid = getpid()
    SignalDescriptor.ignore(SIGPIPE)
    signals = try SignalDescriptor(Self.handledSignals)
    listener = state.listener
    FD.setCloseOnExec(listener)
    programEnvironment = state.programEnvironment
    settings = state.settings
    try restore(state, afterCrash: crash != nil)
    handKeeperTheDescriptors()
    stampSocket()
    installCrashRecovery(generation: crash?.generation ?? 0)
    if let crash {
      recoveredAt = Clock.wallSeconds()
      recoveredAfter = crash.signal
      announceRecovery(after: crash.signal)
      return
    }
    let text =
      "\(config.sessionName): upgraded \(state.berthVersion) -> \(BerthProtocol.berthVersion)"
    SystemLog.warning("berth: \(text)")
    for c in attachedClients { c.send(.message(text)) }
  }

  init(config: ServerConfig) throws {
    self.config = config
    pid = getpid()
    SignalDescriptor.ignore(SIGPIPE)
    signals = try SignalDescriptor(Self.handledSignals)
    listener = try UnixSocket.listen(at: config.socketPath)
    programEnvironment = environment(
      currentEnvironment(), setting: Self.sessionVariables(config) + [("TERM", config.term)],
      removing: [Keeper.variable])
    settings = Settings(historyLimit: config.historyLimit)
    // -Logfile is a default, as in screen: the startup file's logfile wins.
    if let file = config.logFile { settings.logFile = file }
    settings.shell = config.shell
    handKeeperTheDescriptors()
    stampSocket()
    if config.resurrectFrom == nil { runStartupFile() }
    do {
      if let save = config.resurrectFrom {
        try resurrect(from: save)
      } else if config.explicitProgram || windows.isEmpty {
        // Without a program named, the shell the startup file may have chosen.
        let w = try openWindow(
          config.explicitProgram ? config.argv : nil, title: config.title,
          columns: config.columns, rows: config.rows, restart: config.restart)
        // Through show, not an assignment: in init that would skip
        // currentWindow's observer, which keeps the window before it.
        show(w, to: nil)
      }
    } catch {
      unlink(config.socketPath)
      throw error
    }
    if let fd = config.creatorFd {
      FD.setNonBlocking(fd)
      FD.setCloseOnExec(fd)
      let creator = ClientConnection(fd: fd)
      creator.awaitingAttach = true
      clients.append(creator)
    }
    installCrashRecovery(generation: 0)
  }

  // MARK: - The loop

  func run() -> Int32 {
    var fds: [pollfd] = []
    saveRecoveryState()
    while true {
      let now = Clock.nanos()
      updateDirectInput()
      var timeout = runTimers(now: now)
      let saving = scheduleSave(now: now)
      if saving >= 0 { timeout = timeout < 0 ? saving : min(timeout, saving) }
      if let notice = ending {
        finishClients(with: notice)
        if clients.isEmpty || now >= endingDeadline { break }
        timeout = timeout < 0 ? 100 : min(timeout, 100)
      }

      fds.removeAll(keepingCapacity: true)
      fds.append(pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0))
      fds.append(pollfd(fd: listener, events: ending == nil ? Int16(POLLIN) : 0, revents: 0))
      let polledWindows = windows
      for w in polledWindows {
        var events = Int16(POLLIN)
        if !w.program.pendingInput.isEmpty { events |= Int16(POLLOUT) }
        fds.append(pollfd(fd: w.program.fd, events: events, revents: 0))
      }
      let polledClients = clients
      for c in polledClients {
        var events: Int16 = c.closing ? 0 : Int16(POLLIN)
        if c.hasPendingOutput { events |= Int16(POLLOUT) }
        fds.append(pollfd(fd: c.fd, events: events, revents: 0))
      }
      let polledBackticks = backticks.values.filter { $0.run != nil }
      for b in polledBackticks {
        fds.append(pollfd(fd: b.run?.fd ?? -1, events: Int16(POLLIN), revents: 0))
      }
      if !execs.isEmpty { stopExecs(all: false) }
      let polledExecs = execs
      for e in polledExecs {
        fds.append(pollfd(fd: e.output, events: Int16(POLLIN), revents: 0))
        fds.append(pollfd(fd: e.errors, events: Int16(POLLIN), revents: 0))
      }
      // A child writing the recovery state is waited for, with a bound.
      if recoveryWriter != nil { timeout = timeout < 0 ? 100 : min(timeout, 100) }
      let following = feedFollowers(now: now)
      if following >= 0 { timeout = timeout < 0 ? following : min(timeout, following) }
      fds.append(pollfd(fd: LogWriter.shared.noticeFd, events: Int16(POLLIN), revents: 0))
      fds.append(pollfd(fd: Keeper.socket, events: Int16(POLLIN), revents: 0))
      // Frames go last, just before poll: whatever the server did after
      // writing one would delay the client that draws it, waiting for the CPU.
      let frames = sendFrames(now: now)
      if frames >= 0 { timeout = timeout < 0 ? frames : min(timeout, frames) }
      for (i, c) in polledClients.enumerated() where c.hasPendingOutput {
        fds[2 + polledWindows.count + i].events |= Int16(POLLOUT)
      }

      let n = poll(&fds, nfds_t(fds.count), timeout)
      if n < 0 {
        if errno == EINTR { continue }
        break
      }
      if fds[0].revents != 0 { handleSignals() }
      if fds[1].revents & Int16(POLLIN) != 0 { acceptClients() }
      for (i, w) in polledWindows.enumerated() where w.isOpen {
        let ev = fds[2 + i].revents
        if ev & Int16(POLLOUT) != 0 { w.program.flushInput() }
        if ev & ~Int16(POLLOUT) != 0 {
          let before = w.generation
          _ = w.readOutput(buffer: readBuffer, limit: 256 << 10)
          if w.generation != before { noteOutput(of: w, now: now) }
          reportLogFailure(of: w)
          deliverTerminalEvents(of: w)
        }
      }
      for (i, c) in polledClients.enumerated() {
        let ev = fds[2 + polledWindows.count + i].revents
        if ev & Int16(POLLOUT) != 0 { c.flush() }
        if ev & ~Int16(POLLOUT) != 0 { readClient(c) }
      }
      for (i, b) in polledBackticks.enumerated()
      where fds[2 + polledWindows.count + polledClients.count + i].revents != 0 {
        readBacktick(b)
      }
      let execBase = 2 + polledWindows.count + polledClients.count + polledBackticks.count
      for (i, e) in polledExecs.enumerated()
      where fds[execBase + 2 * i].revents != 0 || fds[execBase + 2 * i + 1].revents != 0 {
        readExec(e)
      }
      if fds[execBase + 2 * polledExecs.count].revents != 0 { reportLogFailures() }
      if fds[execBase + 2 * polledExecs.count + 1].revents != 0 { readKeeper() }
      for c in clients where c.isFinished { leaveLayout(c) }
      clients.removeAll { c in
        if c.isFinished { FD.close(c.fd) }
        return c.isFinished
      }
      removeEndedWindows()
      saveRecoveryState()
      if windows.contains(where: { $0.outputRing != nil }) { dropUnfollowedRings() }
      checkSocket(now: now)
      markSocket()
    }
    unlink(config.socketPath)
    dropSaveUnlessKept()
    for c in clients { FD.close(c.fd) }
    for w in windows { w.hangUp() }
    stopRemainingPrograms()
    stopBackticks()
    stopExecs()
    LogWriter.shared.finishAll(deadline: Clock.nanos() &+ 2_000_000_000)
    return ending?.status ?? 0
  }

  // MARK: - Signals and connections

  private func handleSignals() {
    while let s = signals.next() {
      switch s {
      case SIGCHLD: reapChildren()
      case SIGUSR1: recreateSocket()
      case SIGUSR2: upgradeInPlace()
      default:
        // SIGTERM, SIGHUP (the server has no terminal: a hangup is sent on
        // purpose, by a supervisor or a -D -m caller's terminal), SIGINT,
        // SIGQUIT: a clean quit, programs hung up, the reason in the logs.
        if s == SIGTERM || s == SIGHUP { saveForShutdown() }
        let reason = "[\(config.sessionName) terminated: \(signalName(s))]"
        let line = Array(("\r\n" + reason + "\r\n").utf8)
        for w in windows { w.log?.append(line) }
        quit(reason: reason)
      }
    }
  }

  private func reapChildren() {
    var status: Int32 = 0
    while true {
      let p = waitpid(-1, &status, WNOHANG)
      guard p > 0 else { break }
      if p == recoveryWriter?.pid {
        recoveryWriterEnded(status: status)
      } else if !saveWriterEnded(pid: p) {
        programExited(pid: p, status: status)
      }
    }
  }

  /// A process ended, reaped here or (left by a killed server) by the keeper.
  func programExited(pid p: pid_t, status: Int32) {
    // A window waiting to restart keeps its last pid: not a match.
    guard let w = windows.first(where: { $0.pid == p && $0.lifecycle.isRunning }) else { return }
    // Output the program wrote just before exiting is still in the PTY, and
    // its last writes may still be on their way through the kernel's tty
    // buffers (a report written before them would land above them, or a
    // last `CSI ? 1049 h` after the report): read until the PTY says no
    // process holds it (EIO), or it stays quiet a moment (a child of the
    // program may hold it still).
    var rounds = 0
    while w.isOpen && rounds < 8 {
      _ = w.readOutput(buffer: readBuffer, limit: 16 << 20)
      guard w.isOpen, FD.waitReadable(w.program.fd, timeoutMs: 10) else { break }
      rounds += 1
    }
    programEnded(w, status: ExitStatus(waitStatus: status), now: Clock.nanos())
  }

  /// Recreates the socket if it was deleted (as /tmp cleaners do), looking
  /// at most every few seconds and only when something woke the server:
  /// an idle session keeps no timer for it; SIGUSR1 asks at once.
  private func checkSocket(now: UInt64) {
    guard now &- lastSocketCheck >= Self.socketCheckNanos else { return }
    lastSocketCheck = now
    recreateSocket()
  }

  /// Recreates the socket if something deleted it (kill -USR1, as tmux and abduco do).
  func recreateSocket() {
    var st = stat()
    if lstat(config.socketPath, &st) == 0 { return }
    // A /tmp cleaner may have taken the directory too: made again, and
    // used only if it passes the checks clients make.
    let directory = String(
      config.socketPath[..<(config.socketPath.lastIndex(of: "/") ?? config.socketPath.startIndex)])
    guard ending == nil, (try? SocketDirectory(path: directory).validate(create: true)) == true,
      let fd = try? UnixSocket.listen(at: config.socketPath)
    else { return }
    Keeper.drop(listener)
    FD.close(listener)
    listener = fd
    Keeper.keep(listener)
    stampSocket()
    socketShowsAttached = false
    markSocket()
  }

  /// The socket file tells `-ls` what it shows without waking the server,
  /// as screen's and tmux's do: its time is when the session began, and
  /// the owner's execute bit is set while a client is attached.
  private func stampSocket() {
    var times = [timespec](repeating: timespec(tv_sec: time_t(created), tv_nsec: 0), count: 2)
    utimensat(AT_FDCWD, config.socketPath, &times, AT_SYMLINK_NOFOLLOW)
  }

  func markSocket() {
    let attached = clients.contains(where: \.isAttached)
    guard attached != socketShowsAttached else { return }
    socketShowsAttached = attached
    chmod(config.socketPath, attached ? 0o700 : 0o600)
  }

  private func acceptClients() {
    while let fd = UnixSocket.accept(listener) {
      let client = ClientConnection(fd: fd)
      clients.append(client)
      let uid = UnixSocket.peerUID(fd)
      if uid != getuid() {
        client.close(with: .error("connection refused: you are not the owner of this session"))
        // Logged where the owner looks: the system log, and the screens.
        let who = uid.map { "uid \($0)" } ?? "an unknown user"
        let text = "berth: refused a connection from \(who) to \(config.sessionName)"
        SystemLog.warning(text)
        for c in attachedClients { c.send(.message(text)) }
      }
    }
  }

  private func readClient(_ c: ClientConnection) {
    guard !c.closing else { return }
    let n = FD.read(c.fd, into: readBuffer)
    if n == 0 || (n < 0 && errno != EAGAIN) {
      c.close(with: nil)
      c.flush()
      return
    }
    guard n > 0 else { return }
    c.assembler.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<n]))
    do {
      while !c.closing, let frame = try c.assembler.next() {
        // A client drops its direct input when it sends anything, and turns
        // down grants made before the server read all it sent.
        c.messagesReceived &+= 1
        c.directInput = nil
        handle(try ClientMessage.decode(type: frame.type, payload: frame.payload), from: c)
      }
    } catch let error as ProtocolError {
      if case .versionMismatch = error {
        c.send(.hello(ServerHello(pid: pid, name: config.sessionName)))
      }
      c.close(with: .error(error.description))
    } catch {
      c.close(with: .error("\(error)"))
    }
  }

  // MARK: - Ending

  /// What programs learn of their session, as screen's learn $STY: STY
  /// (PID.NAME) and BERTH (the socket's path). WINDOW is set per window.
  static func sessionVariables(_ config: ServerConfig) -> [(String, String)] {
    [("STY", config.sessionName), ("BERTH", config.socketPath)]
  }

  /// The session ends with its last window, and with that window's status.
  func endSession(lastWindow: Window) {
    guard ending == nil, case .exited(let s) = lastWindow.state else { return }
    recordEnd(exit: s, reason: "exit")
    end(
      with: ExitNotice(
        reason: .terminated, status: s.shellStatus,
        text: "[\(config.sessionName) terminated: \(s)]"))
  }

  func quit(reason: String) {
    guard ending == nil else { return }
    recordEnd(exit: nil, reason: reason)
    for w in windows { w.hangUp() }
    end(with: ExitNotice(reason: .quit, status: 0, text: reason))
  }

  private func end(with notice: ExitNotice) {
    ending = notice
    endingDeadline = Clock.nanos() &+ 2_000_000_000
    // The session is gone for everyone else at once.
    unlink(config.socketPath)
    Keeper.drop(listener)
    FD.close(listener)
    listener = -1
  }

  /// Sends each client its last frame, then the notice, and lets it close.
  private func finishClients(with notice: ExitNotice) {
    for c in clients where !c.closing && !c.hasPendingOutput {
      if let f = c.follower {
        // The rest of the output first (feedFollowers), then why it ends.
        if f.end == nil { f.end = (nil, Clock.nanos() &+ Self.endGrace, notice.text) }
      } else if c.phase == .attached {
        c.queue(frame(for: c, now: Clock.nanos()) ?? [])
        c.close(with: .exit(notice))
      } else if c.awaitingAttach {
        continue  // the creating berth is about to attach: it gets the last screen and status
      } else {
        c.close(with: .error("the session is ending"))
      }
    }
  }
}
