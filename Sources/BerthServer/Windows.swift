// The session's windows: opening them with the lowest free number, finding
// them by number or title, showing one to a client, and letting go of those
// whose program ended (the session ends with the last).
import BerthProtocol
import BerthSystem

extension SessionServer {
  /// Starts argv in a new window (nil: the shell, as `shell` or -s name it,
  /// else $SHELL): numbered `number` if that is free, else the next free
  /// number after it (the lowest free one when nil). It logs its output when
  /// `logging` (screen -L), -L or deflog asks.
  @discardableResult
  func openWindow(
    _ argv: [String]?, title: String?, columns: Int, rows: Int, directory: String? = nil,
    number requested: Int? = nil, historyLimit: Int? = nil, logging: Bool = false,
    restart: RestartOptions = RestartOptions()
  ) throws -> Window {
    var number = requested ?? 0
    while windows.contains(where: { $0.number == number }) { number += 1 }
    guard number < settings.maxWindows else {
      throw BerthError("no more windows: maxwin allows numbers below \(settings.maxWindows)")
    }
    let shell = settings.shell ?? environment("SHELL") ?? "/bin/sh"
    let login = argv == nil && shell.hasPrefix("-")
    let spec = ProgramSpec(
      argv: argv ?? [shell], program: login ? String(shell.dropFirst()) : nil,
      directory: directory, environment: windowEnvironment(number))
    let w = try Window(
      number: number, spec: spec, term: config.term, columns: columns, rows: rows,
      historyLimit: historyLimit ?? settings.historyLimit)
    w.name = title
    w.lastOutputNanos = Clock.nanos()
    w.terminal.autowrap = settings.wrapNewWindows
    w.monitorActivity = settings.monitorNewWindows
    w.monitorSilence = settings.silenceNewWindows
    (w.lifecycle.policy, w.lifecycle.limit) = settings.care.applying(restart)
    sessionVersion &+= 1
    windows.append(w)
    windows.sort { $0.number < $1.number }
    currentWindow = currentWindow ?? w
    if logging || config.logAllWindows || settings.logNewWindows {
      // Only a failure is worth a message; the clients, or the first to attach, see it.
      let (status, message) = log(["on"], w)
      if status != 0 { tell(message) }
    }
    return w
  }

  /// What a window's program starts with: the session's environment and
  /// WINDOW, the window's number, as screen sets it; and COLORTERM=truecolor
  /// when an attached client's terminal shows RGB colour and the session's
  /// environment says nothing of it (as tmux 3.6 sets it).
  func windowEnvironment(_ number: Int) -> [String] {
    var set = [("WINDOW", String(number))]
    if clientsTakeRGB && !programEnvironment.contains(where: { $0.hasPrefix("COLORTERM=") }) {
      set.append(("COLORTERM", "truecolor"))
    }
    return environment(programEnvironment, setting: set)
  }

  /// A window by number or title (screen's `select` argument), or nil.
  func window(named selector: String) -> Window? {
    if let n = Int(selector) { return windows.first { $0.number == n } }
    return windows.first { $0.title == selector } ?? windows.first { $0.title.hasPrefix(selector) }
  }

  /// The window a client shows: its own choice, else the session's current one.
  func window(of c: ClientConnection) -> Window? {
    if let w = c.window, windows.contains(where: { $0 === w }) || ending != nil { return w }
    return currentWindow
  }

  /// Shows window w to client c (and makes it the one commands act on).
  func show(_ w: Window, to c: ClientConnection?) {
    currentWindow = w
    guard let c else { return }
    if c.window !== w {
      c.previousWindow = c.window
      c.window = w
      c.copy = nil
      c.overlay = nil
      c.forgetScreen()
    }
    if c.phase == .attached { clearFlags(of: w) }
    if c.phase == .attached && !c.readOnly { adoptSize(of: c) }
  }

  /// The window after (or before) w in number order, wrapping around.
  func neighbour(of w: Window?, step: Int) -> Window? {
    guard !windows.isEmpty else { return nil }
    guard let w, let i = windows.firstIndex(where: { $0 === w }) else { return windows.first }
    return windows[(i + step + windows.count) % windows.count]
  }

  /// Drops windows whose program ended; clients that showed one are moved to
  /// another. The last window to go takes the session with it.
  func removeEndedWindows() {
    let ended = windows.filter { $0.hasEnded && $0.zombie != .kept }
    guard !ended.isEmpty, ending == nil else { return }
    for w in ended {
      if w.zombie == .none, let keys = settings.zombieKeys {
        // zombie: the window stays, with its last screen, until k or r.
        w.zombie = .kept
        w.showNotice(
          "\r\n=== Command terminated (\(w.exitDescription)): \(keyName(keys.kill)) closes, \(keyName(keys.resurrect)) restarts ==="
        )
        sessionVersion &+= 1
        continue
      }
      guard windows.count > 1 else {
        endSession(lastWindow: w)
        return
      }
      windows.removeAll { $0 === w }
      w.close()
      sessionVersion &+= 1
      // Regions that showed it show nothing (as in screen), or the client's next window.
      for c in clients {
        for r in c.layout.regions where r.window === w && r !== c.layout.focus { r.window = nil }
        c.displayChanged()
      }
      let next = neighbour(of: nil, step: 0)
      if currentWindow === w { currentWindow = next }
      for c in clients where c.window === w {
        let previous = c.previousWindow.flatMap { p in windows.contains { $0 === p } ? p : nil }
        if let target = previous ?? currentWindow {
          show(target, to: c)
          c.send(.message("Window \(w.number) (\(w.title)) ended: \(w.exitDescription)"))
        }
      }
    }
  }
}

extension Window {
  var exitDescription: String {
    if case .exited(let s) = state { return "\(s)" }
    return "running"
  }
}

extension SessionServer {
  /// Keys typed into a zombie window: its kill key closes it, its
  /// resurrect key starts its command again in its place.
  func zombieInput(_ bytes: [UInt8], in w: Window, from c: ClientConnection) {
    guard let keys = settings.zombieKeys else {
      w.zombie = .dismissed
      return
    }
    if bytes.contains(keys.kill) {
      w.zombie = .dismissed
    } else if bytes.contains(keys.resurrect) {
      resurrect(w, for: c)
    }
  }

  /// The zombie's program starts again in the same window (as `start` does).
  private func resurrect(_ w: Window, for c: ClientConnection) {
    guard case .success(let effects) = w.lifecycle.start() else { return }
    carryOut(effects, for: w, now: Clock.nanos())
  }
}
