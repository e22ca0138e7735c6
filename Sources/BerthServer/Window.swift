// A window: one program on one PTY, with its emulated screen. The window
// (number, title, screen, history, log, monitoring) outlives its program:
// `respawn` starts the program again on a new PTY in the same window, as
// restart policies, `start` and a zombie's resurrect key ask.
import BerthSystem
import BerthTerminal
import Glibc

final class Window {
  enum State: Equatable {
    case running
    case exited(ExitStatus)
  }

  /// The window's number in the session (0-9 and up), as screen numbers them.
  var number: Int
  /// The name the window is listed by: set by `title`, else the program's
  /// own title (OSC 0/2), else the command's name.
  var name: String?
  let command: String
  /// What the window runs, where and with what: kept to start it again.
  let argv: [String]
  /// The file run, when argv[0] is not it (a login shell's "-/bin/bash").
  let program: String?
  let directory: String?
  let environment: [String]
  /// With `zombie` keys set, a window whose program ended is kept, showing
  /// its last screen, until the user kills or resurrects it.
  enum Zombie { case none, kept, dismissed }
  var zombie = Zombie.none
  /// `kill` asked for the window to go when its program ends, whatever its policy.
  var closeWhenEnded = false
  private(set) var pid: pid_t
  private(set) var master: Int32
  /// Whether the program is restarted when it ends (policy, backoff, stop).
  var lifecycle: Lifecycle
  let terminal: Terminal
  private(set) var state: State = .running
  /// Bytes for the program that the PTY did not take yet.
  private(set) var pendingInput: [UInt8] = []
  /// Bumped on every change of the screen, so clients know a frame is due.
  private(set) var generation: UInt64 = 0
  /// Program output bytes processed since the counter was last reset.
  var bytesSinceFrame = 0
  /// When the program began a synchronized update (mode 2026), or nil.
  private(set) var synchronizedSince: UInt64?

  // Monitoring (C-a M, C-a _) and what it noticed, for the window list's flags.
  var monitorActivity = false
  var monitorSilence = false
  var activitySeen = false
  var bellSeen = false
  var lastOutputNanos: UInt64 = 0
  /// The log has had its time stamp for the quiet since the last output (logtstamp).
  var logStamped = false
  var silenceAnnounced = false
  /// Where the output is logged (`log on`); nil when it is not.
  var log: WindowLog?

  /// Starts argv on a new PTY of the given size.
  init(
    number: Int, argv: [String], program: String? = nil, environment env: [String], term: String,
    columns: Int, rows: Int, historyLimit: Int, directory: String? = nil
  ) throws {
    self.number = number
    self.argv = argv
    self.program = program
    self.directory = directory
    environment = env
    command =
      (program ?? argv.first).map { String($0.split(separator: "/").last ?? Substring($0)) }
      ?? "sh"
    (pid, master) = try Self.start(
      argv, program: program, environment: env, directory: directory, columns: columns,
      rows: rows)
    lifecycle = Lifecycle(policy: .no, now: Clock.nanos())
    terminal = Terminal(columns: columns, rows: rows, historyLimit: historyLimit)
    terminal.sgr3IsStandout = term.hasPrefix("screen")
  }

  var isOpen: Bool { master >= 0 }

  /// A new PTY of the size, with the program started on it.
  private static func start(
    _ argv: [String], program: String?, environment: [String], directory: String?,
    columns: Int, rows: Int
  ) throws -> (pid: pid_t, master: Int32) {
    let pty = try PseudoTerminal.open(columns: columns, rows: rows)
    do {
      let pid = try Spawn.program(
        argv, program: program, environment: environment, slavePath: pty.slavePath,
        directory: directory)
      return (pid, pty.master)
    } catch {
      FD.close(pty.master)
      throw error
    }
  }

  /// Starts the program again, on a new PTY of the screen's size, with the
  /// same argv, directory and environment. The old PTY (if a child of the
  /// last run still holds it) is let go of; screen, history and log stay.
  func respawn() throws {
    let started = try Self.start(
      argv, program: program, environment: environment, directory: directory,
      columns: terminal.columns, rows: terminal.rows)
    if isOpen { closeMaster() }
    master = started.master
    pid = started.pid
    state = .running
    zombie = .none
    synchronizedSince = nil
    generation &+= 1
  }

  /// What the window list shows: the title given, the program's, or the command.
  var title: String {
    if let name { return name }
    let t = terminal.title
    return t.isEmpty ? command : t
  }

  /// Ended: the program exited and nothing is left to read from its terminal.
  var hasEnded: Bool {
    if case .exited = state { return true }
    return false
  }

  /// Reads what the program wrote, up to `limit` bytes, into the screen.
  /// Returns false when the PTY is closed (the program and its children are gone).
  func readOutput(buffer: UnsafeMutableRawBufferPointer, limit: Int) -> Bool {
    var total = 0
    while total < limit {
      let n = FD.read(master, into: buffer)
      if n > 0 {
        terminal.feed(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        log?.append(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        total += n
        // A short read was all there was (an echoed key): poll says when
        // there is more, which saves a read that would only say EAGAIN.
        if n < 512 { break }
        continue
      }
      if n < 0 && errno == EAGAIN { break }
      closeMaster()  // EIO: no process holds the slave any more
      break
    }
    if total > 0 {
      generation &+= 1
      bytesSinceFrame += total
      if terminal.modes.synchronizedOutput {
        if synchronizedSince == nil { synchronizedSince = Clock.nanos() }
      } else {
        synchronizedSince = nil
      }
      let replies = terminal.takeReplies()
      if !replies.isEmpty { queueRaw(replies) }
    }
    return isOpen
  }

  /// What the user typed and pasted, encoded for the program's current modes.
  func press(_ key: Key, _ modifiers: KeyModifiers) {
    var out: [UInt8] = []
    KeyEncoder.encode(key, modifiers, modes: terminal.modes, into: &out)
    queueRaw(out)
  }

  func paste(_ text: [UInt8]) {
    var out: [UInt8] = []
    KeyEncoder.encodePaste(text, modes: terminal.modes, into: &out)
    queueRaw(out)
  }

  func mouse(_ event: MouseEvent) {
    guard event.x < terminal.columns, event.y < terminal.rows else { return }
    var out: [UInt8] = []
    KeyEncoder.encodeMouse(event, modes: terminal.modes, into: &out)
    queueRaw(out)
  }

  func focus(_ focused: Bool) {
    var out: [UInt8] = []
    KeyEncoder.encodeFocus(focused, modes: terminal.modes, into: &out)
    queueRaw(out)
  }

  /// Bytes for the program exactly as given (replies, `stuff`).
  func queueRaw(_ bytes: [UInt8]) {
    guard isOpen else { return }
    // A program that never reads its input must not make the server grow without bound.
    guard pendingInput.count + bytes.count <= 16 << 20 else { return }
    pendingInput.append(contentsOf: bytes)
    flushInput()
  }

  /// Writes pending input as far as the PTY takes it.
  func flushInput() {
    guard isOpen, !pendingInput.isEmpty else { return }
    let n = pendingInput.withUnsafeBytes { FD.write(master, $0) }
    if n > 0 {
      pendingInput.removeFirst(n)
    } else if n < 0 && errno != EAGAIN {
      pendingInput.removeAll()
    }
  }

  func resize(columns: Int, rows: Int) {
    guard columns != terminal.columns || rows != terminal.rows else { return }
    terminal.resize(columns: columns, rows: rows)
    if isOpen { PseudoTerminal.setWindowSize(master, columns: columns, rows: rows) }
    generation &+= 1
  }

  /// Bytes written into the window's screen by berth itself: a zombie's
  /// notice, or what `clear` and `reset` do to it.
  /// Bytes shown as if the program had written them (exec's output).
  func showOutput(_ bytes: [UInt8]) {
    terminal.feed(bytes)
    generation &+= 1
  }

  func showNotice(_ text: String) {
    terminal.feed(Array(text.utf8))
    generation &+= 1
  }

  func markExited(_ status: ExitStatus) {
    state = .exited(status)
  }

  /// Ends the program: SIGHUP to its process group, as a closing terminal does.
  func hangUp() {
    if case .running = state, lifecycle.isRunning { kill(-pid, SIGHUP) }
    closeMaster()
  }

  /// The window goes: its program is hung up on and its log closed.
  func close() {
    hangUp()
    log?.close()
    log = nil
  }

  /// Lets go of the PTY; the log stays open for the program's next run.
  private func closeMaster() {
    if master >= 0 { FD.close(master) }
    master = -1
    pendingInput.removeAll()
  }
}
