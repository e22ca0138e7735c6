// Starting processes with posix_spawn (Swift must not fork without exec):
// programs on a PTY as session leaders, and the detached server.
import CSupport
import Glibc

public enum Spawn {
  /// Signals the server blocks or ignores; children get them back at their defaults.
  static let resetSignals: [Int32] = [
    SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGWINCH, SIGALRM,
    SIGTSTP, SIGTTIN, SIGTTOU,
  ]

  /// Runs argv (searched in PATH as a shell would) as a session leader whose
  /// controlling terminal is the PTY slave at `slavePath`: glibc does setsid
  /// before the file actions, so opening the slave as fd 0 makes it the
  /// controlling terminal. `program` is the file to run when argv[0] is not
  /// it (a login shell's "-/bin/bash").
  public static func program(
    _ argv: [String], program: String? = nil, environment env: [String], slavePath: String,
    directory: String? = nil
  ) throws -> pid_t {
    try spawn(argv, env: env, searchPath: true, path: program) { actions in
      posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
      posix_spawn_file_actions_adddup2(&actions, 0, 1)
      posix_spawn_file_actions_adddup2(&actions, 0, 2)
      berth_spawn_addclosefrom(&actions, 3)
      if let directory { berth_spawn_addchdir(&actions, directory) }
    }
  }

  /// Runs `path` detached: a new process session, stdio on /dev/null, and
  /// `passFds` as its descriptors 3, 4, ...
  public static func detached(
    path: String, _ argv: [String], environment env: [String], passFds: [Int32]
  ) throws -> pid_t {
    try spawn(argv, env: env, searchPath: false, path: path) { actions in
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDWR, 0)
      posix_spawn_file_actions_adddup2(&actions, 0, 1)
      posix_spawn_file_actions_adddup2(&actions, 0, 2)
      for (i, fd) in passFds.enumerated() {
        posix_spawn_file_actions_adddup2(&actions, fd, 3 + Int32(i))
      }
      berth_spawn_addclosefrom(&actions, 3 + Int32(passFds.count))
    }
  }

  /// Runs argv (searched in PATH) in a session of its own with its output
  /// into a pipe, stdin and stderr on /dev/null. Returns its pid and the
  /// pipe's read end (non-blocking, close-on-exec).
  public static func reader(_ argv: [String], environment env: [String]) throws -> (
    pid: pid_t, output: Int32
  ) {
    var pipe: [Int32] = [-1, -1]
    guard berth_pipe_cloexec(&pipe) == 0 else { throw SystemError("pipe") }
    do {
      let pid = try spawn(argv, env: env, searchPath: true) { actions in
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        berth_spawn_addclosefrom(&actions, 3)
      }
      FD.close(pipe[1])
      FD.setNonBlocking(pipe[0])
      return (pid, pipe[0])
    } catch {
      FD.close(pipe[0])
      FD.close(pipe[1])
      throw error
    }
  }

  /// Runs argv (searched in PATH) in a session of its own, stdin on
  /// /dev/null, its stdout and stderr into a pipe each (non-blocking,
  /// close-on-exec read ends): screen's `exec`.
  public static func piped(_ argv: [String], environment env: [String]) throws -> (
    pid: pid_t, output: Int32, errors: Int32
  ) {
    var out: [Int32] = [-1, -1]
    var err: [Int32] = [-1, -1]
    guard berth_pipe_cloexec(&out) == 0 else { throw SystemError("pipe") }
    guard berth_pipe_cloexec(&err) == 0 else {
      FD.close(out[0])
      FD.close(out[1])
      throw SystemError("pipe")
    }
    defer {
      FD.close(out[1])
      FD.close(err[1])
    }
    do {
      let pid = try spawn(argv, env: env, searchPath: true) { actions in
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        berth_spawn_addclosefrom(&actions, 3)
      }
      FD.setNonBlocking(out[0])
      FD.setNonBlocking(err[0])
      return (pid, out[0], err[0])
    } catch {
      FD.close(out[0])
      FD.close(err[0])
      throw error
    }
  }

  /// This process becomes `path` run with argv (execv), keeping its pid
  /// and the descriptors not marked close-on-exec; returns errno when it cannot.
  public static func replaceProcess(with path: String, _ argv: [String]) -> Int32 {
    let cArgv = argv.map { strdup($0) } + [nil]
    defer { for p in cArgv { free(p) } }
    execv(path, cArgv)
    return errno
  }

  private static func spawn(
    _ argv: [String], env: [String], searchPath: Bool, path: String? = nil,
    fileActions: (inout posix_spawn_file_actions_t) -> Void
  ) throws -> pid_t {
    guard let first = path ?? argv.first else { throw BerthError("no command given") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    fileActions(&actions)

    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in resetSignals { sigaddset(&defaults, s) }
    posix_spawnattr_setsigmask(&attr, &noSignals)
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setflags(
      &attr,
      Int16(berth_POSIX_SPAWN_SETSID) | Int16(POSIX_SPAWN_SETSIGMASK)
        | Int16(POSIX_SPAWN_SETSIGDEF))

    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer {
      for p in cArgv { free(p) }
      for p in cEnv { free(p) }
    }
    var pid: pid_t = 0
    let rc =
      searchPath
      ? posix_spawnp(&pid, first, &actions, &attr, cArgv, cEnv)
      : posix_spawn(&pid, first, &actions, &attr, cArgv, cEnv)
    guard rc == 0 else { throw SpawnError(command: first, code: rc) }
    return pid
  }
}

/// A program that could not be started, reported as a shell would.
public struct SpawnError: Error, CustomStringConvertible {
  public let command: String
  public let code: Int32

  public var description: String {
    code == ENOENT
      ? "\(command): command not found" : "\(command): \(SystemError.text(for: code))"
  }

  /// 127 for not found, 126 for found but not runnable, as shells use.
  public var status: Int32 { code == ENOENT ? 127 : 126 }
}

/// The current environment as KEY=VALUE strings.
public func currentEnvironment() -> [String] {
  var result: [String] = []
  var p = environ
  while let entry = p.pointee {
    result.append(String(cString: entry))
    p += 1
  }
  return result
}

/// The environment with `overrides` set (replacing earlier values) and `removing` unset.
public func environment(
  _ base: [String], setting overrides: [(String, String)], removing: [String] = []
) -> [String] {
  let drop = Set(overrides.map(\.0) + removing)
  var result = base.filter { entry in
    guard let eq = entry.firstIndex(of: "=") else { return true }
    return !drop.contains(String(entry[..<eq]))
  }
  for (k, v) in overrides { result.append("\(k)=\(v)") }
  return result
}
