// The server to its SessionState and back: what an upgrade in place carries
// from the old binary to the new one in the same process. Descriptors stay
// open across the exec (their numbers are in the state); programs keep
// running, children of the same process.
import BerthProtocol
import BerthSystem
import BerthTerminal
import Glibc

extension SessionServer {
  /// The session as a value. Clients that are neither attached nor
  /// following (a `-X` waiting for its answer) are not carried.
  /// `screens: false` leaves the terminals out (the state kept for a crash).
  func captureState(screens: Bool = true) -> SessionState {
    return SessionState(
      berthVersion: BerthProtocol.berthVersion, protocolVersion: BerthProtocol.protocolVersion,
      sessionName: config.sessionName, socketPath: config.socketPath, term: config.term,
      columns: config.columns, rows: config.rows, created: created, listener: listener,
      programEnvironment: programEnvironment, settings: settings,
      windows: windows.map { windowState($0, screen: screens) },
      currentWindow: number(currentWindow), windowBefore: number(windowBefore),
      pasteBuffer: pasteBuffer, registers: registers,
      backticks: backticks.values.sorted { $0.id < $1.id }.map {
        BacktickState(
          id: $0.id, lifespan: $0.lifespan, autorefresh: $0.autorefresh, argv: $0.argv,
          text: $0.text)
      },
      layouts: namedLayouts.all.map {
        NamedLayoutState(
          number: $0.number, title: $0.title, autosave: $0.autosave,
          saved: ArrangementState($0.saved))
      },
      startupLayout: startupLayout,
      clients: clients.compactMap(clientState))
  }

  /// The number of w, when it is still one of the session's windows.
  private func number(_ w: Window?) -> Int? {
    w.flatMap { w in windows.contains { $0 === w } ? w.number : nil }
  }

  private func windowState(_ w: Window, screen: Bool) -> WindowState {
    var exit: ExitStatus?
    if case .exited(let s) = w.state { exit = s }
    return WindowState(
      number: w.number, name: w.name, spec: w.program.spec, pid: w.program.pid,
      pty: w.program.fd, started: w.program.startedNanos, pendingInput: w.program.pendingInput,
      lifecycle: w.lifecycle, exit: exit, zombie: w.zombie, closeWhenEnded: w.closeWhenEnded,
      terminal: screen ? w.terminal.snapshot() : [], columns: w.terminal.columns,
      rows: w.terminal.rows, monitorActivity: w.monitorActivity,
      monitorSilence: w.monitorSilence, activitySeen: w.activitySeen, bellSeen: w.bellSeen,
      logPath: w.log?.path)
  }

  private func clientState(_ c: ClientConnection) -> ClientState? {
    guard !c.closing, let hello = c.hello else { return nil }
    let kind: ClientState.Kind
    switch c.phase {
    case .attached: kind = .attached
    case .following: kind = .following
    case .greeting, .ready: return nil
    }
    return ClientState(
      fd: c.fd, kind: kind, columns: hello.columns, rows: hello.rows, term: hello.term,
      colors: hello.colors, readOnly: c.readOnly,
      layout: ArrangementState(c.layout.arrangement()), previousWindow: number(c.previousWindow),
      namedLayout: c.namedLayout?.number, following: c.follower?.window?.number)
  }

  /// Puts back what captureState took, in a server that has its config,
  /// signals and environment already; windows' programs are adopted, not started.
  /// `afterCrash`: the state kept for a crash; its clients' sockets were
  /// closed by the exec (a message may have been cut in half), none is carried.
  func restore(_ state: SessionState, afterCrash: Bool = false) throws {
    created = state.created
    settings = state.settings
    pasteBuffer = state.pasteBuffer
    registers = state.registers
    startupLayout = state.startupLayout
    for ws in state.windows where !windows.contains(where: { $0.number == ws.number }) {
      let terminal =
        ws.terminal.isEmpty
        ? Terminal(
          columns: min(max(ws.columns ?? state.columns, 1), maxDimension),
          rows: min(max(ws.rows ?? state.rows, 1), maxDimension),
          historyLimit: settings.historyLimit)
        : try Terminal(snapshot: ws.terminal)
      let program = Program.adopting(
        ws.spec, pid: ws.pid, fd: ws.pty, started: ws.started, pendingInput: ws.pendingInput)
      let w = Window(
        number: ws.number, program: program, terminal: terminal, lifecycle: ws.lifecycle)
      w.name = ws.name
      if let exit = ws.exit { w.markExited(exit) }
      w.zombie = ws.zombie
      w.closeWhenEnded = ws.closeWhenEnded
      w.monitorActivity = ws.monitorActivity
      w.monitorSilence = ws.monitorSilence
      w.activitySeen = ws.activitySeen
      w.bellSeen = ws.bellSeen
      w.lastOutputNanos = Clock.nanos()
      windows.append(w)
      if let path = ws.logPath { reopenLog(of: w, at: path) }
    }
    windows.sort { $0.number < $1.number }
    let byNumber = restoreSessionParts(state, backtickText: true)
    // Clients of another protocol cannot be spoken to: closed, they attach
    // again by themselves, as the berth now installed (.upgrading). After a
    // crash none is carried.
    for cs in state.clients where !afterCrash {
      if state.protocolVersion == BerthProtocol.protocolVersion {
        restoreClient(cs, byNumber)
      } else if cs.fd > 2 {
        FD.close(cs.fd)
      }
    }
    sessionVersion &+= 1
  }

  /// What a session has beyond its windows (restored already): its
  /// current and previous window, named layouts and backticks (with the
  /// text they last showed, or blank until they run again). Returns the
  /// windows by number, for what is restored after.
  func restoreSessionParts(_ state: SessionState, backtickText: Bool) -> (Int?) -> Window? {
    let byNumber = { (n: Int?) in n.flatMap { n in self.windows.first { $0.number == n } } }
    currentWindow = byNumber(state.currentWindow) ?? windows.first
    windowBefore = byNumber(state.windowBefore)
    for l in state.layouts {
      let made = namedLayouts.make(
        title: l.title, from: l.number, saved: l.saved.arrangement { byNumber($0) })
      made?.autosave = l.autosave
    }
    for b in state.backticks {
      let restored = Backtick(
        id: b.id, lifespan: b.lifespan, autorefresh: b.autorefresh, argv: b.argv)
      if backtickText { restored.text = b.text }
      backticks[b.id] = restored
      if restored.persistent { startBacktick(restored) }
    }
    return byNumber
  }

  private func restoreClient(_ cs: ClientState, _ byNumber: (Int?) -> Window?) {
    guard cs.fd >= 0, (1...maxDimension).contains(cs.columns), (1...maxDimension).contains(cs.rows)
    else { return }
    FD.setCloseOnExec(cs.fd)
    let c = ClientConnection(fd: cs.fd)
    c.hello = ClientHello(columns: cs.columns, rows: cs.rows, term: cs.term, colors: cs.colors)
    c.readOnly = cs.readOnly
    switch cs.kind {
    case .attached:
      c.phase = .attached
      c.layout = Layout(restoring: cs.layout.arrangement { byNumber($0) }) { w in
        self.windows.contains { $0 === w }
      }
      c.previousWindow = byNumber(cs.previousWindow)
      c.namedLayout = cs.namedLayout.flatMap { n in namedLayouts.all.first { $0.number == n } }
      c.forgetScreen()
      relayout(c)
    case .following:
      guard let w = byNumber(cs.following) else {
        FD.close(cs.fd)
        return
      }
      let ring = w.outputRing ?? OutputRing()
      w.outputRing = ring
      c.follower = Follower(window: w, ring: ring)
      c.phase = .following
    }
    clients.append(c)
  }

  /// A window's log, open again where it was: output goes on at its end.
  private func reopenLog(of w: Window, at path: String) {
    w.log = try? WindowLog(path: path, limits: logLimits)
  }
}
