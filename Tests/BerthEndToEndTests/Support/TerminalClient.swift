// A berth client on a real pseudo-terminal, as a user runs it: a session
// leader whose controlling terminal is the PTY, its output drained all the
// time by a thread (ncurses blocks on a full terminal), keys written to the
// master, and the window size set on it (which delivers SIGWINCH).
import BerthSystem
import Foundation
import Glibc

final class TerminalClient: @unchecked Sendable {
  let pid: pid_t
  let arguments: [String]
  private let master: Int32
  /// Held open so that the master never reads EIO and loses the last output.
  private let slave: Int32
  private let lock = NSLock()
  private var received: [UInt8] = []
  private var stopping = false
  private let drained = DispatchSemaphore(value: 0)
  private var reapedStatus: Int32?
  private var finished = false

  /// Runs berth with `arguments`, or, given `command`, that program instead
  /// (a shell that runs berth as one of its jobs).
  init(
    arguments: [String], command: [String]? = nil, environment: [String], directory: String?,
    columns: Int, rows: Int
  ) throws {
    self.arguments = arguments
    let pty = try PseudoTerminal.open(columns: columns, rows: rows)
    master = pty.master
    slave = Glibc.open(pty.slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
    do {
      pid = try Spawn.program(
        command ?? [berthBinary] + arguments, environment: environment,
        slavePath: pty.slavePath, directory: directory)
    } catch {
      FD.close(slave)
      FD.close(master)
      throw error
    }
    let thread = Thread { [self] in self.drain() }
    thread.start()
  }

  private var shouldStop: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopping
  }

  private func drain() {
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    while !shouldStop {
      guard FD.waitReadable(master, timeoutMs: 50) else { continue }
      let n = buffer.withUnsafeMutableBytes { FD.read(master, into: $0) }
      if n > 0 {
        lock.lock()
        received += buffer[..<n]
        lock.unlock()
      } else {
        usleep(10_000)
      }
    }
    drained.signal()
  }

  /// Everything the client wrote to its terminal so far.
  var output: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: received, as: UTF8.self)
  }

  /// Waits until the client's output contains `text`.
  @discardableResult
  func waitForOutput(_ text: String, timeout: Double = 10) -> Bool {
    eventually(timeout: timeout) { output.contains(text) }
  }

  /// Types bytes at the client's terminal.
  func type(_ bytes: [UInt8]) {
    var rest = bytes[...]
    let deadline = monotonicSeconds() + 5
    while !rest.isEmpty, monotonicSeconds() < deadline {
      let n = rest.withUnsafeBytes { FD.write(master, $0) }
      if n > 0 {
        rest = rest.dropFirst(n)
      } else {
        _ = FD.waitWritable(master, timeoutMs: 100)
      }
    }
  }

  func type(_ text: String) { type(Array(text.utf8)) }

  /// The terminal window changes size, as when the user resizes it.
  func resize(columns: Int, rows: Int) {
    PseudoTerminal.setWindowSize(master, columns: columns, rows: rows)
  }

  /// True once the terminal is in raw mode without echo: ncurses has taken it over.
  var terminalIsRaw: Bool {
    var t = termios()
    guard tcgetattr(master, &t) == 0 else { return false }
    return t.c_lflag & tcflag_t(ICANON) == 0 && t.c_lflag & tcflag_t(ECHO) == 0
  }

  func signal(_ s: Int32) {
    if !hasExited { kill(pid, s) }
  }

  /// The exit status, once the client has ended (reaping it).
  var exitStatus: Int32? {
    if let reapedStatus { return reapedStatus }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid {
      reapedStatus = shellStatus(status)
    }
    return reapedStatus
  }

  var hasExited: Bool { exitStatus != nil }

  /// Waits for the client to end; its status, or nil when it still runs.
  func waitForExit(timeout: Double = 10) -> Int32? {
    eventually(timeout: timeout, every: 0.01) { exitStatus != nil }
    return exitStatus
  }

  /// Ends the client (SIGKILL when it still runs), reaps it, closes the PTY.
  func close() {
    guard !finished else { return }
    finished = true
    if exitStatus == nil {
      killAndReap(pid)
      reapedStatus = -9
    }
    lock.lock()
    stopping = true
    lock.unlock()
    _ = drained.wait(timeout: .now() + 2)
    FD.close(slave)
    FD.close(master)
  }
}
