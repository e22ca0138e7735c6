// A server that dies of a bug (a Swift trap, SIGSEGV, SIGABRT) carries on:
// a signal handler (CSupport's crash exec) executes berth again in the same
// process, keeping the PTY masters and the socket open, so the programs
// keep running and stay its children (their exits are still reaped with
// their statuses). The state it comes back with is kept up to date in a
// memory file whenever the session changes (windows, titles, settings,
// process care); screens are not (output is not written out twice), so a
// recovered window starts blank and its program is asked to redraw.
//
// SIGKILL (kill -9, the OOM killer) runs nothing in the process: then the
// session's keeper (Keeper.swift), which holds copies of the same
// descriptors and of the memory file, starts a new server from them.
import BerthProtocol
import BerthSystem
import CSupport
import Glibc

extension SessionServer {
  /// The hidden argument of a server carrying on after a crash: then the
  /// state's descriptor and how many times the session has recovered.
  public static let recoverFlag = "--recover-server"
  /// A session that keeps crashing stops coming back.
  static let recoveryLimit = 10

  /// Sets up the memory file and the handler; the session goes on without
  /// them (as before) if they cannot be had.
  func installCrashRecovery(generation: Int) {
    guard generation < Self.recoveryLimit, let path = installedExecutable() else { return }
    let fd = berth_memfd("berth-recovery")
    guard fd >= 0 else { return }
    let words = ["berth", Self.recoverFlag, String(fd), String(generation + 1)]
    let status = words.withCStrings { argv in berth_crash_exec_install(path, argv) }
    guard status == 0 else {
      FD.close(fd)
      return
    }
    recoveryFd = fd
    Keeper.keepState(fd)
    Keeper.execute(path, generation: generation + 1)
    // The first state is written as the loop starts: after the starting
    // berth was told the session runs, not before.
  }

  /// Writes the state a crash comes back with, when the session changed.
  /// A forked child encodes it into a new memory file, which then takes
  /// the old one's place whole (a crash mid-write finds the old one): the
  /// encoding's metadata and buffers would stay in an idle server's memory
  /// for good (about 140 KiB), and they do not in a child that exits.
  func saveRecoveryState() {
    guard recoveryFd >= 0 else { return }
    if let w = recoveryWriter, Clock.nanos() >= w.deadline {
      // A child stuck (on a lock another thread held at the fork): written here.
      endWriter(w.pid)
      FD.close(w.fd)
      recoveryWriter = nil
      writeRecoveryStateHere()
    }
    let mark = [Int(truncatingIfNeeded: sessionVersion), commandsRun, windows.count]
    guard mark != recoveryMark, recoveryWriter == nil else { return }
    recoveryMark = mark
    let kept =
      [listener, recoveryFd, Keeper.socket] + windows.map(\.program.fd).filter { $0 >= 0 }
    kept.withUnsafeBufferPointer { berth_crash_keep($0.baseAddress, Int32($0.count)) }
    let fd = berth_memfd("berth-recovery")
    let pid =
      fd < 0
      ? -1
      : forkWriter(keeping: fd) {
        let bytes = try? StateCoding.encode(
          captureState(screens: false), kind: SessionState.kind, version: SessionState.version)
        return bytes.map { (try? FD.writeAll(fd, $0)) != nil } == true
      }
    guard pid > 0 else {
      if fd >= 0 { FD.close(fd) }
      writeRecoveryStateHere()
      return
    }
    recoveryWriter = (pid, fd, Clock.nanos() &+ 2_000_000_000)
  }

  /// Forks a child that does `work` and exits (0 when it returned true):
  /// encoding state there leaves its metadata and buffers out of the idle
  /// server. The child holds none of the session's terminals or
  /// connections but `keeping` (a client must see the session's end when
  /// the server ends), has no crash exec, and lives 10 s at most. -1 when
  /// no child could be had.
  func forkWriter(keeping fd: Int32 = -1, _ work: () -> Bool) -> pid_t {
    let pid = fork()
    guard pid == 0 else { return pid }
    berth_keep_only_descriptor(fd)
    berth_crash_exec_uninstall()
    alarm(10)
    _exit(work() ? 0 : 1)
  }

  /// A writer child given up on: killed and collected.
  func endWriter(_ pid: pid_t) {
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
  }

  /// The child writing the state ended: its file replaces the old one, at
  /// the same number (the crash exec's arguments name it), in the keeper too.
  func recoveryWriterEnded(status: Int32) {
    guard let w = recoveryWriter else { return }
    recoveryWriter = nil
    if status == 0 && dup2(w.fd, recoveryFd) == recoveryFd {
      FD.setCloseOnExec(recoveryFd)
      Keeper.keepState(recoveryFd)
      // What the start (the startup file, the first window) left free.
      berth_release_free_memory()
    } else {
      recoveryMark = []  // written again on the next round
    }
    FD.close(w.fd)
  }

  /// The state encoded in this process (no child could be had).
  private func writeRecoveryStateHere() {
    guard
      let bytes = try? StateCoding.encode(
        captureState(screens: false), kind: SessionState.kind, version: SessionState.version)
    else { return }
    ftruncate(recoveryFd, 0)
    _ = bytes.withUnsafeBytes { pwrite(recoveryFd, $0.baseAddress, $0.count, 0) }
    berth_release_free_memory()
  }

  /// `--recover-server FD N`: carries on as the session whose state FD holds.
  /// `signal` is what ended the server before (a crash's, or SIGKILL's
  /// when the keeper started this one).
  public static func recover(stateFd: Int32, generation: Int, signal: Int32) -> Int32 {
    let server: SessionServer
    do {
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      var offset: off_t = 0
      while true {
        let n = chunk.withUnsafeMutableBytes { pread(stateFd, $0.baseAddress, $0.count, offset) }
        guard n > 0 else { break }
        bytes += chunk[..<n]
        offset += off_t(n)
        guard bytes.count <= 1 << 30 else { throw BerthError("the session's state is too large") }
      }
      FD.close(stateFd)
      let state = try StateCoding.decode(
        SessionState.self, from: bytes, kind: SessionState.kind,
        supporting: 1...SessionState.version
      ).value
      server = try SessionServer(
        resuming: state, afterCrash: (generation, signalName(signal)))
    } catch {
      SystemLog.warning("berth: a session could not carry on after its server crashed: \(error)")
      return 1
    }
    return server.run()
  }

  /// After a crash: each window says so, and its program is asked to redraw
  /// (SIGWINCH, as a terminal that changed size does).
  func announceRecovery(after signal: String) {
    let when = formatTime(Clock.wallSeconds(), "%Y-%m-%d %H:%M:%S", utc: false)
    for w in windows {
      w.showNotice(
        "[berth: the server was restarted at \(when) after \(signal); the screen before it is lost]\r\n"
      )
      if w.lifecycle.isRunning && !w.hasEnded { w.program.signal(SIGWINCH) }
    }
    SystemLog.warning("berth: \(config.sessionName): the server ended by \(signal) and carried on")
  }
}

extension Array where Element == String {
  /// The strings as a NULL-terminated C array, for the length of `body`.
  func withCStrings<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = map { strdup($0) }
    defer { for c in copies { free(c) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
  }
}
