// A window: what shows, with its emulated screen. The window (number,
// title, screen, history, log, monitoring, its lifecycle) outlives the
// runs of its program (Program.swift): `respawn` starts the program again
// on a new PTY in the same window, as restart policies, `start` and a
// zombie's resurrect key ask.
import BerthSystem
import BerthTerminal
import Glibc

final class Window {
  enum State: Equatable, Codable {
    case running
    case exited(ExitStatus)
  }

  /// The window's number in the session (0-9 and up), as screen numbers them.
  var number: Int
  /// The name the window is listed by: set by `title`, else the program's
  /// own title (OSC 0/2), else the command's name.
  var name: String?
  /// What runs in the window now (or ran last): replaced by each restart.
  private(set) var program: Program
  /// With `zombie` keys set, a window whose program ended is kept, showing
  /// its last screen, until the user kills or resurrects it.
  enum Zombie: Codable { case none, kept, dismissed }
  var zombie = Zombie.none
  /// `kill` asked for the window to go when its program ends, whatever its policy.
  var closeWhenEnded = false
  /// Whether the program is restarted when it ends (policy, backoff, stop).
  var lifecycle: Lifecycle
  let terminal: Terminal
  private(set) var state: State = .running
  /// Bumped on every change of the screen, so clients know a frame is due.
  private(set) var generation: UInt64 = 0
  /// Program output bytes processed since the counter was last reset.
  var bytesSinceFrame = 0
  /// The latest output, kept while someone follows the window (--tail -f).
  var outputRing: OutputRing?
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

  /// Starts spec's program on a new PTY of the given size.
  init(
    number: Int, spec: ProgramSpec, term: String, columns: Int, rows: Int, historyLimit: Int
  ) throws {
    self.number = number
    program = try Program.onTerminal(spec, columns: columns, rows: rows)
    lifecycle = Lifecycle(policy: .no, now: Clock.nanos())
    terminal = Terminal(columns: columns, rows: rows, historyLimit: historyLimit)
    terminal.sgr3IsStandout = term.hasPrefix("screen")
  }

  /// A window whose program already runs (an upgrade in place hands it over).
  init(number: Int, program: Program, terminal: Terminal, lifecycle: Lifecycle) {
    self.number = number
    self.program = program
    self.terminal = terminal
    self.lifecycle = lifecycle
  }

  var isOpen: Bool { program.isOpen }
  var pid: pid_t { program.pid }
  /// The command's name, the window's title when nothing else names it.
  var command: String { program.spec.name }

  /// Starts the program again, a new run on a new PTY of the screen's size,
  /// from the same spec. The old run's PTY (if a child of it still holds
  /// the slave) is let go of; screen, history and log stay.
  func respawn() throws {
    let next = try Program.onTerminal(
      program.spec, columns: terminal.columns, rows: terminal.rows)
    program.close()
    program = next
    state = .running
    zombie = .none
    synchronizedSince = nil
    generation &+= 1
  }

  /// A window whose program has not run yet (a resurrected one waiting
  /// for the user) starts spec instead at its first run.
  func prepare(_ spec: ProgramSpec) {
    guard !program.isOpen, !lifecycle.isRunning else { return }
    program = Program.adopting(spec, pid: 0, fd: -1, started: 0, pendingInput: [])
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
      let n = program.read(into: buffer)
      if n > 0 {
        terminal.feed(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        outputRing?.append(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        log?.append(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        total += n
        // A short read was all there was (an echoed key): poll says when
        // there is more, which saves a read that would only say EAGAIN.
        if n < 512 { break }
        continue
      }
      if n < 0 && errno == EAGAIN { break }
      program.close()  // EIO: no process holds the slave any more
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

  /// A key legacy bytes cannot say (C-Enter), for the program's keyboard modes.
  func pressCharacter(_ code: UInt32, _ modifiers: KeyModifiers) {
    var out: [UInt8] = []
    KeyEncoder.encodeCharacter(code, modifiers, modes: terminal.modes, into: &out)
    queueRaw(out)
  }

  /// Typed text: as it is, or its keys as escape codes where the program
  /// asked for them (kitty flags, modifyOtherKeys 2).
  func type(_ bytes: [UInt8]) {
    let modes = terminal.modes
    guard modes.encodesTypedText else { return queueRaw(bytes) }
    var out: [UInt8] = []
    KeyEncoder.encodeTyped(bytes, modes: modes, into: &out)
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
    program.write(bytes)
  }

  func resize(columns: Int, rows: Int) {
    guard columns != terminal.columns || rows != terminal.rows else { return }
    terminal.resize(columns: columns, rows: rows)
    program.setSize(columns: columns, rows: rows)
    generation &+= 1
  }

  /// Bytes shown as if the program had written them (exec's output).
  func showOutput(_ bytes: [UInt8]) {
    terminal.feed(bytes)
    generation &+= 1
  }

  /// Bytes written into the window's screen by berth itself: a zombie's
  /// notice, or what `clear` and `reset` do to it.
  func showNotice(_ text: String) {
    terminal.feed(Array(text.utf8))
    generation &+= 1
  }

  func markExited(_ status: ExitStatus) {
    state = .exited(status)
  }

  /// Ends the program: SIGHUP to its process group, as a closing terminal does.
  func hangUp() {
    if case .running = state, lifecycle.isRunning { program.signal(SIGHUP) }
    program.close()
  }

  /// The window goes: its program is hung up on and its log closed.
  func close() {
    hangUp()
    log?.close()
    log = nil
  }
}
