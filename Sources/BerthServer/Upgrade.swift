// Upgrade in place (`berth --upgrade`, which sends SIGUSR2): the server
// carries on as the binary now installed at its own path, in the same
// process. Its state goes into a memory file; the new binary is first asked
// to read it (`--check-state`) and only if it can does the server exec it,
// keeping the listening socket, the PTY masters and the clients' sockets
// open. Programs keep their pids and their parent. Anything short of a
// successful exec leaves the old server running as it was.
import BerthProtocol
import BerthSystem
import BerthTerminal
import CSupport
import Glibc

extension SessionServer {
  /// The hidden argument a re-executed server starts with, then the state's descriptor.
  public static let resumeFlag = "--resume-server"
  /// The hidden argument that asks a binary whether it reads a state (on descriptor 3).
  public static let checkFlag = "--check-state"

  func upgradeInPlace() {
    guard ending == nil else { return }
    do {
      try execNewBinary()
    } catch {
      // Nothing happened: the clients and the system log are told why.
      let text = "berth: \(config.sessionName) not upgraded: \(error)"
      SystemLog.warning(text)
      tellAttached(text)
    }
  }

  private func execNewBinary() throws {
    guard let path = installedExecutable() else {
      throw BerthError("cannot tell which file this berth was started from")
    }
    // Clients get all they were sent first: a client that takes nothing
    // within a second is let go (it would get half a message), and is not
    // carried over. They are told, so that they reattach by themselves
    // should the new server close them (another protocol).
    feedFollowers(now: Clock.nanos(), everything: true)
    for c in clients where c.isAttached || c.phase == .following { c.send(.upgrading) }
    for c in clients { c.flushFully(timeoutMs: 1000) }
    let bytes = try StateCoding.encode(
      captureState(), kind: SessionState.kind, version: SessionState.version)
    let stateFd = try Self.memoryFile(bytes)
    defer { FD.close(stateFd) }
    try Self.check(path, stateFd: stateFd)
    // From here on the new binary takes over; what could not be handed over
    // (backtick and exec programs) is ended.
    stopBackticks()
    stopExecs()
    // The log writer's thread ends with the exec: what it holds goes out
    // first (at most 2 s), and the new server opens the files again.
    let logged = windows.filter { $0.log != nil }
    for w in logged { w.log?.close() }
    LogWriter.shared.finishAll(deadline: Clock.nanos() &+ 2_000_000_000)
    let kept =
      [listener, stateFd, Keeper.socket] + windows.map(\.program.fd)
      + clients.filter { !$0.closing }.map(\.fd)
    for fd in kept where fd >= 0 { FD.setCloseOnExec(fd, false) }
    let argv = ["berth", Self.resumeFlag, String(stateFd)]
    let error = Spawn.replaceProcess(with: path, argv)
    // Still here: the exec failed. Back as before.
    for fd in kept where fd >= 0 { FD.setCloseOnExec(fd) }
    for b in backticks.values where b.persistent { startBacktick(b) }
    for w in logged { w.log = w.log.flatMap { try? WindowLog(path: $0.path, limits: logLimits) } }
    throw BerthError("cannot run \(path): \(SystemError.text(for: error))")
  }

  /// The bytes in an anonymous file at offset 0.
  private static func memoryFile(_ bytes: [UInt8]) throws -> Int32 {
    let fd = berth_memfd("berth-state")
    guard fd >= 0 else { throw SystemError("memfd_create") }
    do {
      try FD.writeAll(fd, bytes)
    } catch {
      FD.close(fd)
      throw error
    }
    lseek(fd, 0, SEEK_SET)
    return fd
  }

  /// Runs `path --check-state` with the state on its descriptor 3; throws
  /// unless it read the state whole and said so (status 0) within 10 s.
  private static func check(_ path: String, stateFd: Int32) throws {
    var st = stat()
    guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(path, X_OK) == 0 else {
      throw BerthError("\(path) is not an executable file")
    }
    let pid = try Spawn.detached(
      path: path, ["berth", checkFlag], environment: currentEnvironment(), passFds: [stateFd])
    defer { lseek(stateFd, 0, SEEK_SET) }
    let deadline = Clock.nanos() &+ 10_000_000_000
    var status: Int32 = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
      guard Clock.nanos() < deadline else {
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        throw BerthError("\(path) did not answer whether it reads this session's state")
      }
      usleep(5000)
    }
    let ended = ExitStatus(waitStatus: status)
    guard ended == .exited(0) else {
      throw BerthError("\(path) cannot take over this session (\(ended))")
    }
  }

  // MARK: The new binary's side

  /// `--check-state`: reads a state on descriptor 3, whole (every window's
  /// terminal too); 0 when this berth can take it over.
  public static func checkState() -> Int32 {
    do {
      let state = try readState(from: 3)
      for w in state.windows { _ = try Terminal(snapshot: w.terminal) }
      return 0
    } catch {
      printError("berth: \(error)")
      return 1
    }
  }

  /// `--resume-server FD`: carries on as the session whose state FD holds.
  public static func resume(stateFd: Int32) -> Int32 {
    let server: SessionServer
    do {
      let state = try readState(from: stateFd)
      FD.close(stateFd)
      server = try SessionServer(resuming: state)
    } catch {
      SystemLog.warning("berth: a session could not carry on after its upgrade: \(error)")
      return 1
    }
    return server.run()
  }

  private static func readState(from fd: Int32) throws -> SessionState {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { FD.read(fd, into: $0) }
      if n > 0 {
        bytes += chunk[..<n]
        guard bytes.count <= 1 << 30 else { throw BerthError("the session's state is too large") }
      } else if n < 0 && errno == EINTR {
        continue
      } else if n < 0 {
        throw SystemError("read the session's state")
      } else {
        break
      }
    }
    return try StateCoding.decode(
      SessionState.self, from: bytes, kind: SessionState.kind,
      supporting: 1...SessionState.version
    ).value
  }
}

extension ClientConnection {
  /// Writes what is queued, waiting at most timeoutMs in all; a client
  /// that takes no more is closing (the loop lets it go).
  func flushFully(timeoutMs: Int32) {
    let deadline = Clock.nanos() &+ UInt64(max(0, timeoutMs)) * 1_000_000
    while hasPendingOutput && flush() && hasPendingOutput {
      let now = Clock.nanos()
      guard now < deadline, FD.waitWritable(fd, timeoutMs: Int32((deadline - now) / 1_000_000 + 1))
      else {
        close(with: nil)
        return
      }
    }
  }
}
