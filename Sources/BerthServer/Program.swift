// What runs, apart from what shows. A ProgramSpec is what a program is
// started from, kept as a plain value so that it can be started again the
// same (a restart, `start`, resurrecting a zombie). A Program is one run of
// it: its process group and the descriptor it talks on (a PTY's master for
// a window's program, a pipe for a backtick's). A window outlives its
// programs: a restart replaces the Program and keeps the Window.
import BerthSystem
import Glibc

struct ProgramSpec: Equatable, Sendable, Codable {
  var argv: [String]
  /// The file run, when argv[0] is not it (a login shell's "-/bin/bash").
  var program: String?
  /// Where it starts; nil: the server's directory.
  var directory: String?
  var environment: [String]

  init(
    argv: [String], program: String? = nil, directory: String? = nil, environment: [String]
  ) {
    self.argv = argv
    self.program = program
    self.directory = directory
    self.environment = environment
  }

  /// The command's name, as a window is titled before anything else names it.
  var name: String {
    (program ?? argv.first).map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "sh"
  }

  /// The command line as run: the file itself first, then its arguments.
  var commandLine: [String] {
    guard let program else { return argv }
    return [program] + argv.dropFirst()
  }
}

final class Program {
  let spec: ProgramSpec
  /// The process, a session and process-group leader: signals go to its group.
  let pid: pid_t
  let startedNanos: UInt64
  /// The PTY's master (or the pipe's read end); -1 once let go of.
  private(set) var fd: Int32
  /// Bytes for the program that the PTY did not take yet.
  private(set) var pendingInput: [UInt8] = []
  /// Whether the session's keeper holds a copy of fd (Keeper.swift).
  private var kept = false

  private init(spec: ProgramSpec, pid: pid_t, fd: Int32, started: UInt64 = Clock.nanos()) {
    self.spec = spec
    self.pid = pid
    self.fd = fd
    startedNanos = started
  }

  /// A run already going, handed over by an earlier server of this session
  /// (an upgrade in place): its descriptor is closed on the next exec again.
  static func adopting(
    _ spec: ProgramSpec, pid: pid_t, fd: Int32, started: UInt64, pendingInput: [UInt8]
  ) -> Program {
    if fd >= 0 {
      FD.setCloseOnExec(fd)
      FD.setNonBlocking(fd)
    }
    let p = Program(spec: spec, pid: pid, fd: fd, started: started)
    p.pendingInput = Array(pendingInput.prefix(16 << 20))
    return p
  }

  /// Starts spec on a new PTY of the size, as the PTY's session leader.
  static func onTerminal(_ spec: ProgramSpec, columns: Int, rows: Int) throws -> Program {
    let pty = try PseudoTerminal.open(columns: columns, rows: rows)
    do {
      let pid = try Spawn.program(
        spec.argv, program: spec.program, environment: spec.environment,
        slavePath: pty.slavePath, directory: spec.directory)
      let p = Program(spec: spec, pid: pid, fd: pty.master)
      p.heldByKeeper()
      return p
    } catch {
      FD.close(pty.master)
      throw error
    }
  }

  /// Starts spec with its output into a pipe (stdin and stderr on /dev/null).
  static func onPipe(_ spec: ProgramSpec) throws -> Program {
    let started = try Spawn.reader(spec.argv, environment: spec.environment)
    return Program(spec: spec, pid: started.pid, fd: started.output)
  }

  var isOpen: Bool { fd >= 0 }

  /// The keeper holds a copy of the PTY, so that a killed server does not
  /// hang its program up (a pipe is not kept).
  func heldByKeeper() {
    guard fd >= 0 else { return }
    Keeper.keep(fd)
    kept = true
  }

  /// Reads what the program wrote: the count, 0 at its end, -1 with errno
  /// (EAGAIN: nothing yet).
  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard fd >= 0 else { return 0 }
    return FD.read(fd, into: buffer)
  }

  /// Queues bytes for the program and writes what the PTY takes now.
  func write(_ bytes: [UInt8]) {
    guard isOpen else { return }
    // A program that never reads its input must not make the server grow without bound.
    guard pendingInput.count + bytes.count <= 16 << 20 else { return }
    pendingInput.append(contentsOf: bytes)
    flushInput()
  }

  /// Writes pending input as far as the PTY takes it.
  func flushInput() {
    guard isOpen, !pendingInput.isEmpty else { return }
    let n = pendingInput.withUnsafeBytes { FD.write(fd, $0) }
    if n > 0 {
      pendingInput.removeFirst(n)
    } else if n < 0 && errno != EAGAIN {
      pendingInput.removeAll()
    }
  }

  func setSize(columns: Int, rows: Int) {
    if isOpen { PseudoTerminal.setWindowSize(fd, columns: columns, rows: rows) }
  }

  /// A signal to the program's process group: its children too, as a
  /// terminal's signals reach them.
  func signal(_ number: Int32) {
    kill(-pid, number)
  }

  /// Lets go of the PTY (or pipe); what was not written yet is dropped.
  func close() {
    if kept { Keeper.drop(fd) }
    kept = false
    if fd >= 0 { FD.close(fd) }
    fd = -1
    pendingInput.removeAll()
  }
}
