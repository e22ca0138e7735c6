// Running berth the way the tests need it: without a terminal (stdin from
// /dev/null, output captured in files, a time limit that fails instead of
// hanging), and telling when a process has ended.
import BerthSystem
import Foundation
import Glibc

/// The berth executable under test: $BERTH_BINARY, else `berth` next to the
/// test bundle in the same build directory.
let berthBinary: String = {
  if let path = ProcessInfo.processInfo.environment["BERTH_BINARY"], !path.isEmpty { return path }
  var buffer = [CChar](repeating: 0, count: 4096)
  let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
  let exe = String(decoding: buffer[..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("berth").path
}()

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
  Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// Checks `condition` every `every` seconds until it holds (true) or
/// `timeout` seconds have passed (false). The sleep only paces the polling.
@discardableResult
func eventually(timeout: Double = 10, every: Double = 0.02, _ condition: () throws -> Bool) rethrows
  -> Bool
{
  let deadline = monotonicSeconds() + timeout
  while true {
    if try condition() { return true }
    if monotonicSeconds() >= deadline { return false }
    usleep(useconds_t(every * 1_000_000))
  }
}

/// True when `pid` no longer runs: it does not exist or is a zombie nobody reaped.
func processIsGone(_ pid: pid_t) -> Bool {
  guard pid > 0 else { return true }
  if kill(pid, 0) != 0 && errno == ESRCH { return true }
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let paren = stat.lastIndex(of: ")")
  else { return true }
  let state = stat[stat.index(after: paren)...].drop { $0 == " " }.first
  return state == "Z" || state == "X"
}

/// The exit status a shell would report for a wait(2) status.
func shellStatus(_ waitStatus: Int32) -> Int32 {
  let signal = waitStatus & 0x7f
  return signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal
}

/// What a command printed and how it ended.
struct RunResult: CustomStringConvertible {
  var arguments: [String]
  var status: Int32
  var stdout: String
  var stderr: String
  var timedOut: Bool

  var stdoutLines: [String] { lines(stdout) }
  var stderrLines: [String] { lines(stderr) }

  private func lines(_ text: String) -> [String] {
    var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if result.last == "" { result.removeLast() }
    return result
  }

  var description: String {
    "berth \(arguments.joined(separator: " ")): status \(status)\(timedOut ? " (TIMED OUT)" : "")\n"
      + "stdout: \(stdout.debugDescription)\nstderr: \(stderr.debugDescription)"
  }
}

/// Signals a test runner may have blocked or ignored; children get their defaults.
private let defaultSignals: [Int32] = [
  SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGWINCH, SIGALRM,
  SIGTSTP, SIGTTIN, SIGTTOU,
]

/// Starts argv (a path, not searched) with stdin from /dev/null and stdout
/// and stderr into files. `directory` is applied by a tiny sh that execs.
func spawnWithoutTerminal(
  _ argv: [String], environment: [String], directory: String?, stdoutPath: String,
  stderrPath: String
) throws -> pid_t {
  var argv = argv
  if let directory {
    argv = ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", directory] + argv
  }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

  var attr = posix_spawnattr_t()
  posix_spawnattr_init(&attr)
  defer { posix_spawnattr_destroy(&attr) }
  var noSignals = sigset_t()
  sigemptyset(&noSignals)
  var defaults = sigset_t()
  sigemptyset(&defaults)
  for s in defaultSignals { sigaddset(&defaults, s) }
  posix_spawnattr_setsigmask(&attr, &noSignals)
  posix_spawnattr_setsigdefault(&attr, &defaults)
  posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

  let cArgv = argv.map { strdup($0) } + [nil]
  let cEnv = environment.map { strdup($0) } + [nil]
  defer {
    for p in cArgv { free(p) }
    for p in cEnv { free(p) }
  }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, argv[0], &actions, &attr, cArgv, cEnv)
  guard rc == 0 else { throw SystemError("posix_spawn \(argv[0])", rc) }
  return pid
}

/// Waits for a child; nil when it is still running after `timeout` seconds.
func waitForExit(_ pid: pid_t, timeout: Double) -> Int32? {
  var result: Int32?
  eventually(timeout: timeout, every: 0.005) {
    var status: Int32 = 0
    let r = waitpid(pid, &status, WNOHANG)
    if r == pid {
      result = shellStatus(status)
      return true
    }
    if r < 0 && errno != EINTR {
      result = -1
      return true
    }
    return false
  }
  return result
}

/// Kills a child of ours with SIGKILL and reaps it.
func killAndReap(_ pid: pid_t) {
  guard pid > 0 else { return }
  kill(pid, SIGKILL)
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
}

/// A loopback TCP port nobody listens on right now.
func freeTCPPort() throws -> UInt16 {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { throw SystemError("socket") }
  defer { close(fd) }
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_port = 0
  addr.sin_addr.s_addr = inet_addr("127.0.0.1")
  let bound = withUnsafePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard bound == 0 else { throw SystemError("bind") }
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let named = withUnsafeMutablePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
  }
  guard named == 0 else { throw SystemError("getsockname") }
  return UInt16(bigEndian: addr.sin_port)
}

/// Sends a plain HTTP/1.0 GET to 127.0.0.1:port and returns the reply, or nil
/// when nothing listens yet or no reply came.
func httpGet(port: UInt16, path: String = "/") -> String? {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_port = port.bigEndian
  addr.sin_addr.s_addr = inet_addr("127.0.0.1")
  let connected = withUnsafePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard connected == 0 else { return nil }
  guard (try? FD.writeAll(fd, "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")) != nil else {
    return nil
  }
  var reply: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  let deadline = monotonicSeconds() + 5
  while monotonicSeconds() < deadline, FD.waitReadable(fd, timeoutMs: 1000) {
    let n = chunk.withUnsafeMutableBytes { FD.read(fd, into: $0) }
    if n <= 0 { break }
    reply += chunk[..<n]
  }
  return reply.isEmpty ? nil : String(decoding: reply, as: UTF8.self)
}

/// The parent of pid, from /proc (nil once it is gone).
func parentPid(_ pid: pid_t) -> pid_t? {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let paren = stat.lastIndex(of: ")")
  else { return nil }
  let fields = stat[stat.index(after: paren)...].split(separator: " ")
  return fields.count > 1 ? pid_t(fields[1]) : nil
}

/// A session's keeper: the parent of its server, which names itself so.
func keeperPid(ofServer pid: pid_t) -> pid_t? {
  guard let parent = parentPid(pid),
    let name = try? String(contentsOfFile: "/proc/\(parent)/comm", encoding: .utf8),
    name.hasPrefix("berth-keeper")
  else { return nil }
  return parent
}

/// Kills a session's server and its keeper with SIGKILL, the keeper first:
/// a session dead for good, its socket left behind (a server alone comes
/// back). Returns whether the server was signalled.
@discardableResult
func killSessionOutright(_ serverPid: pid_t) -> Bool {
  if let keeper = keeperPid(ofServer: serverPid) {
    kill(keeper, SIGKILL)
    _ = eventually { processIsGone(keeper) }
  }
  return kill(serverPid, SIGKILL) == 0
}
