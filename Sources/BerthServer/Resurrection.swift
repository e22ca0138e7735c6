// A session brought back from its save (`berth --resurrect`): the windows
// come back with their numbers, titles, screens and history, layouts and
// settings, and their programs start anew in the directories they were in.
// A shell, or a program whose policy restarts it anyway (on-failure,
// always), starts at once; any other program waits for the user: running
// something again may not be safe (a half-done job, a deploy).
import BerthProtocol
import BerthSystem
import BerthTerminal
import Glibc

extension SessionServer {
  /// Builds the session from the save at `path` (checked by the command
  /// line before it started this server).
  func resurrect(from path: String) throws {
    let loaded = try SaveFile.read(path)
    let state = loaded.state
    let when = formatTime(loaded.saved, "%Y-%m-%d %H:%M:%S", utc: false)
    settings = state.settings
    pasteBuffer = state.pasteBuffer
    registers = state.registers
    startupLayout = state.startupLayout
    let now = Clock.nanos()
    // A save comes from a file: numbers out of range are not taken.
    let numbers = 0..<min(max(settings.maxWindows, 1), 10_000)
    for ws in state.windows.sorted(by: { $0.number < $1.number })
    where numbers.contains(ws.number) && !windows.contains(where: { $0.number == ws.number }) {
      let w = resurrectedWindow(ws, state: state, now: now)
      windows.append(w)
      w.showNotice(Self.plainModes + "\r\nrestored from \(when)\r\n")
      let (spec, gone) = resurrectedSpec(ws, state: state)
      if let gone {
        w.showNotice("[berth: \(gone) no longer exists: started in \(spec.directory ?? "/")]\r\n")
      }
      w.prepare(spec)
      if isShell(spec) || ws.lifecycle.policy != .no {
        startFirstRun(w, now: now)
      } else {
        saves.waiting.insert(ObjectIdentifier(w))
        w.showNotice(
          "Press Enter to run: \(Self.quoted(spec.commandLine))  (Esc: a shell instead, x: close the window)"
        )
      }
    }
    guard !windows.isEmpty else { throw BerthError("the save holds no window") }
    restoreRegions(state, restoreSessionParts(state, backtickText: false))
    sessionVersion &+= 1
  }

  /// The regions of the display attached at the save come back as the
  /// layout the next client attaching loads (screen's `layout attach`):
  /// its named layout (with the regions it showed, when it saves itself),
  /// else a new one titled "restored" when it was split.
  private func restoreRegions(_ state: SessionState, _ byNumber: (Int?) -> Window?) {
    guard let display = state.clients.first(where: { $0.kind == .attached }) else { return }
    let regions = display.layout.arrangement { byNumber($0) }
    if let n = display.namedLayout, let l = namedLayouts.all.first(where: { $0.number == n }) {
      if l.autosave { l.saved = regions }
      namedLayouts.last = l
    } else if case .split = display.layout.root {
      namedLayouts.last = namedLayouts.make(title: "restored", from: 0, saved: regions)
    }
  }

  /// A window as saved, with no program yet: stopped until its first run.
  private func resurrectedWindow(_ ws: WindowState, state: SessionState, now: UInt64) -> Window {
    let terminal =
      (try? Terminal(snapshot: ws.terminal))
      ?? Terminal(
        columns: min(max(ws.columns ?? state.columns, 1), maxDimension),
        rows: min(max(ws.rows ?? state.rows, 1), maxDimension),
        historyLimit: settings.historyLimit)
    terminal.sgr3IsStandout = config.term.hasPrefix("screen")
    var lifecycle = Lifecycle(
      policy: ws.lifecycle.policy, limit: ws.lifecycle.limit, stopWait: ws.lifecycle.stopWait,
      now: now)
    _ = lifecycle.hangUp(now: now)
    _ = lifecycle.exited(.exited(0), now: now)
    let program = Program.adopting(ws.spec, pid: 0, fd: -1, started: 0, pendingInput: [])
    let w = Window(number: ws.number, program: program, terminal: terminal, lifecycle: lifecycle)
    w.name = ws.name
    w.monitorActivity = ws.monitorActivity
    w.monitorSilence = ws.monitorSilence
    w.lastOutputNanos = now
    return w
  }

  /// What the window runs now: its command, in the directory it was in
  /// (else $HOME, and the directory gone is returned), with this session's
  /// environment plus what the window's had beyond its old session's.
  private func resurrectedSpec(_ ws: WindowState, state: SessionState) -> (
    ProgramSpec, gone: String?
  ) {
    var spec = ws.spec
    if spec.argv.isEmpty || spec.argv.contains(where: { $0.utf8.contains(0) }) {
      (spec.argv, spec.program) = sessionShell()
    }
    var gone: String?
    if let dir = ws.workingDirectory ?? ws.spec.directory, !dir.isEmpty {
      var st = stat()
      if stat(dir, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR {
        spec.directory = dir
      } else {
        gone = dir
        spec.directory = environment("HOME") ?? "/"
      }
    }
    let inherited = Set(state.programEnvironment)
    let own: Set<String> = ["STY", "BERTH", "WINDOW", "TERM"]
    let extra = ws.spec.environment.compactMap { entry -> (String, String)? in
      guard !inherited.contains(entry), let eq = entry.firstIndex(of: "=") else { return nil }
      let key = String(entry[..<eq])
      return own.contains(key) ? nil : (key, String(entry[entry.index(after: eq)...]))
    }
    spec.environment = environment(windowEnvironment(ws.number), setting: extra)
    return (spec, gone)
  }

  /// Whether a program is an interactive shell: the session's, $SHELL, or
  /// a well-known one, given options only (`sh -c CMD` and `sh script`
  /// run a command).
  func isShell(_ spec: ProgramSpec) -> Bool {
    func base(_ s: String) -> String {
      var name = Substring(s.split(separator: "/").last ?? Substring(s))
      if name.hasPrefix("-") { name = name.dropFirst() }
      return String(name)
    }
    let name = base(spec.program ?? spec.argv.first ?? "")
    let known: Set<String> = [
      "sh", "bash", "zsh", "fish", "dash", "ksh", "mksh", "tcsh", "csh", "ash", "yash", "nu",
    ]
    let shells = [settings.shell, environment("SHELL")].compactMap { $0 }.map(base)
    let commandGiven = spec.argv.dropFirst().contains { arg in
      !arg.hasPrefix("-") || (!arg.hasPrefix("--") && arg.contains("c"))
    }
    return !commandGiven && (known.contains(name) || shells.contains(name))
  }

  func awaitsFirstRun(_ w: Window) -> Bool {
    !saves.waiting.isEmpty && saves.waiting.contains(ObjectIdentifier(w))
  }

  /// Keys for a window waiting behind its prompt: Enter runs its command,
  /// Esc a shell instead, x closes the window; anything else is ignored.
  func firstRunInput(_ bytes: [UInt8], in w: Window) {
    guard let key = bytes.first else { return }
    switch key {
    case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
      w.showNotice("\r\n")
      startFirstRun(w, now: Clock.nanos())
    case 0x1B:
      var spec = w.program.spec
      (spec.argv, spec.program) = sessionShell()
      w.prepare(spec)
      w.showNotice("\r\n")
      startFirstRun(w, now: Clock.nanos())
    case UInt8(ascii: "x"), UInt8(ascii: "X"):
      saves.waiting.remove(ObjectIdentifier(w))
      killWindow(w)
    default:
      break
    }
  }

  /// The window's program runs for the first time in this server: a
  /// fresh lifecycle (no restart counted, no exit yet) with the saved policy.
  private func startFirstRun(_ w: Window, now: UInt64) {
    saves.waiting.remove(ObjectIdentifier(w))
    let saved = w.lifecycle
    w.lifecycle = Lifecycle(
      policy: saved.policy, limit: saved.limit, stopWait: saved.stopWait, now: now)
    do {
      try w.respawn()
      w.lastOutputNanos = now
    } catch {
      let status = (error as? SpawnError)?.status ?? 126
      w.showNotice("[berth: cannot run \(Self.quoted(w.program.spec.commandLine)): \(error)]\r\n")
      carryOut(w.lifecycle.exited(.exited(status), now: now), for: w, now: now)
    }
    sessionVersion &+= 1
  }

  /// The session's shell as a window runs it (a leading - for a login shell).
  private func sessionShell() -> (argv: [String], program: String?) {
    let shell = settings.shell ?? environment("SHELL") ?? "/bin/sh"
    return shell.hasPrefix("-") ? ([shell], String(shell.dropFirst())) : ([shell], nil)
  }

  /// The main screen and plain attributes, so the notice goes to the history.
  private static let plainModes = "\u{1B}[?1049l\u{1B}[0m\u{1B}[?25h"

  /// A command line as a user would type it back.
  private static func quoted(_ argv: [String]) -> String {
    argv.map { word in
      let plain =
        !word.isEmpty
        && word.unicodeScalars.allSatisfy { c in
          c.value > 0x20 && c.value < 0x7F && !"'\"\\$`!&|;<>()*?[]{}~#".unicodeScalars.contains(c)
        }
      if plain { return word }
      return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }.joined(separator: " ")
  }
}

extension String {
  fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for c in self { if c == target { out += replacement } else { out.append(c) } }
    return out
  }
}
