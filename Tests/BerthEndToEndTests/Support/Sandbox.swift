// One test's private world: a fresh temporary directory holding the
// BERTHDIR (mode 0700), HOME and a working directory; every berth it runs
// sees only that. cleanup() ends every process the test started, by pid:
// clients it spawned, session servers named by the sockets, and anything
// else that carries this sandbox's marker in its environment.
import BerthSystem
import Foundation
import Glibc

final class Sandbox {
  /// The temporary directory everything lives in.
  let root: String
  /// BERTHDIR.
  let socketDir: String
  let home: String
  /// Where berth runs unless a test says otherwise.
  let work: String
  /// Environment variables for every berth this sandbox runs.
  var variables: [String: String]
  private var clients: [TerminalClient] = []
  private var counter = 0
  private let marker: String

  init() throws {
    guard FileManager.default.isExecutableFile(atPath: berthBinary) else {
      throw TestFailure("no berth executable at \(berthBinary); build it or set BERTH_BINARY")
    }
    var template = Array("/tmp/berth-e2e-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw SystemError("mkdtemp")
    }
    root = String(cString: made)
    socketDir = root + "/sockets"
    home = root + "/home"
    work = root + "/work"
    for dir in [socketDir, home, work, root + "/out"] {
      guard mkdir(dir, 0o700) == 0 else { throw SystemError("mkdir \(dir)") }
    }
    chmod(socketDir, 0o700)
    marker = "BERTH_E2E_SANDBOX=" + root
    variables = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
      "HOME": home,
      "SHELL": "/bin/sh",
      "BERTHDIR": socketDir,
      "TERM": "xterm",
      "LANG": "C.UTF-8",
      "BERTH_E2E_SANDBOX": root,
      // Without a ~/.berthrc, berth reads screen's startup files: not the
      // machine's /etc/screenrc in tests (this file does not exist).
      "SYSTEM_SCREENRC": root + "/no-system-screenrc",
    ]
  }

  func environment(_ extra: [String: String] = [:], removing: [String] = []) -> [String] {
    var v = variables.merging(extra) { $1 }
    for name in removing { v[name] = nil }
    return v.map { "\($0.key)=\($0.value)" }.sorted()
  }

  /// A fresh file name in the sandbox.
  func scratchPath(_ name: String) -> String {
    counter += 1
    return "\(root)/out/\(counter).\(name)"
  }

  // MARK: - Running berth

  /// Runs berth (or `program`, such as a link to it named screen) without a
  /// terminal; a run over `timeout` seconds is killed and reported as timed out.
  @discardableResult
  func berth(
    _ arguments: [String], directory: String? = nil, environment extra: [String: String] = [:],
    removing: [String] = [], timeout: Double = 20, program: String = berthBinary
  ) -> RunResult {
    let out = scratchPath("stdout")
    let err = scratchPath("stderr")
    var result = RunResult(
      arguments: arguments, status: -1, stdout: "", stderr: "", timedOut: false)
    do {
      let pid = try spawnWithoutTerminal(
        [program] + arguments, environment: environment(extra, removing: removing),
        directory: directory ?? work, stdoutPath: out, stderrPath: err)
      if let status = waitForExit(pid, timeout: timeout) {
        result.status = status
      } else {
        killAndReap(pid)
        result.timedOut = true
      }
    } catch {
      result.stderr = "could not run berth: \(error)"
      return result
    }
    result.stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    result.stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
    return result
  }

  /// Starts berth on a terminal of its own; the sandbox ends it in cleanup().
  func terminal(
    _ arguments: [String], columns: Int = 80, rows: Int = 24, directory: String? = nil,
    environment extra: [String: String] = [:]
  ) throws -> TerminalClient {
    let client = try TerminalClient(
      arguments: arguments, environment: environment(extra), directory: directory ?? work,
      columns: columns, rows: rows)
    clients.append(client)
    return client
  }

  /// An interactive bash (job control on) on a terminal of its own, for
  /// running berth as a job; prompt "$ ". The sandbox ends it in cleanup().
  func jobShell(columns: Int = 80, rows: Int = 24) throws -> TerminalClient {
    let client = try TerminalClient(
      arguments: [], command: Self.bash + ["-i"], environment: environment(Self.bashVariables),
      directory: work, columns: columns, rows: rows)
    clients.append(client)
    return client
  }

  /// Starts a detached session running argv and returns its PID.NAME.
  func startDetached(_ name: String, _ argv: [String], environment extra: [String: String] = [:])
    throws -> String
  {
    let r = berth(["-dmS", name] + argv, environment: extra)
    guard r.status == 0, !r.timedOut else { throw TestFailure("could not start \(name): \(r)") }
    guard let id = sessionID(name) else {
      throw TestFailure("no socket for \(name) after -dmS; sockets: \(socketNames())")
    }
    return id
  }

  /// A bash as the tests want it: no rc files, prompt "$ ".
  static let bash = ["/bin/bash", "--norc", "--noprofile"]
  static let bashVariables = ["PS1": "$ ", "SHELL": "/bin/bash"]

  /// Attaches a client with `arguments` and waits until it has taken over
  /// its terminal and the session lists it as attached.
  func attach(_ arguments: [String], session: String, columns: Int = 80, rows: Int = 24) throws
    -> TerminalClient
  {
    let client = try terminal(arguments, columns: columns, rows: rows)
    let ready = eventually {
      client.hasExited || (client.terminalIsRaw && state(of: session) == "Attached")
    }
    guard ready, !client.hasExited else {
      throw TestFailure(
        "berth \(arguments.joined(separator: " ")) did not attach to \(session) (status \(String(describing: client.exitStatus)), state \(String(describing: state(of: session))))\noutput: \(client.output.debugDescription)"
      )
    }
    return client
  }

  // MARK: - Sessions

  /// The socket names in BERTHDIR (PID.NAME), sorted.
  /// The sessions' sockets (PID.NAME), not the `ended` records' directory.
  func socketNames() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: socketDir)) ?? []).filter {
      $0.contains(".")
    }.sorted()
  }

  /// PID.NAME of the session named `name`, from its socket.
  func sessionID(_ name: String) -> String? {
    socketNames().first { $0.split(separator: ".", maxSplits: 1).last.map(String.init) == name }
  }

  func socketExists(_ id: String) -> Bool {
    var st = stat()
    return lstat(socketDir + "/" + id, &st) == 0
  }

  /// The state `-ls` shows for a session ("Attached", "Detached", "Dead ???"), nil when unlisted.
  func state(of id: String) -> String? {
    let r = berth(["-ls"])
    for line in r.stdoutLines where line.hasPrefix("\t\(id)\t") {
      guard let open = line.lastIndex(of: "("), line.hasSuffix(")") else { return line }
      return String(line[line.index(after: open)..<line.index(before: line.endIndex)])
    }
    return nil
  }

  /// The session's screen as `-X hardcopy` writes it, nil when that failed.
  func screen(_ session: String, history: Bool = false) -> String? {
    let file = scratchPath("hardcopy")
    let r = berth(
      ["-S", session, "-X", "hardcopy"] + (history ? ["-h"] : []) + [file], timeout: 10)
    guard r.status == 0 else { return nil }
    return try? String(contentsOfFile: file, encoding: .utf8)
  }

  /// Polls the session's hardcopy until `condition` holds; returns whether it
  /// did and the last screen seen (for failure messages).
  func waitForScreen(
    _ session: String, history: Bool = false, timeout: Double = 10,
    _ condition: (_ lines: [String]) -> Bool
  ) -> (ok: Bool, screen: String) {
    var last = ""
    let ok = eventually(timeout: timeout, every: 0.05) {
      guard let text = screen(session, history: history) else { return false }
      last = text
      return condition(screenLines(text))
    }
    return (ok, last)
  }

  /// Waits until some line of the screen, trailing blanks trimmed, equals `line`.
  func waitForLine(_ session: String, _ line: String, timeout: Double = 10) -> (
    ok: Bool, screen: String
  ) {
    waitForScreen(session, timeout: timeout) { $0.contains(line) }
  }

  // MARK: - Cleanup

  /// Ends everything this test started and removes the sandbox.
  func cleanup() {
    for client in clients { client.close() }
    clients.removeAll()

    // Session servers, by the pid in their socket names; only processes that
    // carry this sandbox's marker (a stale socket may name anybody's pid).
    let servers = socketNames().compactMap { name -> pid_t? in
      guard let dot = name.firstIndex(of: "."), let pid = pid_t(name[..<dot]) else { return nil }
      return isOurs(pid) ? pid : nil
    }
    // And the sessions' keepers (a server restarted after a kill no longer
    // has the pid in its name): a keeper passes SIGTERM on to its server.
    let keepers = markedProcesses().filter { pid in
      (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix(
        "berth-keeper") == true
    }
    for pid in servers + keepers { kill(pid, SIGTERM) }
    eventually(timeout: 3) { (servers + keepers).allSatisfy(processIsGone) }
    for pid in keepers + servers where !processIsGone(pid) { kill(pid, SIGKILL) }

    // Whatever else still runs with our marker: programs that outlived their
    // server, background jobs, helpers.
    for _ in 0..<3 {
      let left = markedProcesses()
      if left.isEmpty { break }
      for pid in left { kill(pid, SIGKILL) }
      eventually(timeout: 2) { left.allSatisfy(processIsGone) }
    }

    chmod(root, 0o700)
    chown(socketDir, getuid(), getgid())
    chmod(socketDir, 0o700)
    try? FileManager.default.removeItem(atPath: root)
  }

  private func isOurs(_ pid: pid_t) -> Bool {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else {
      return false
    }
    return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == marker }
  }

  /// Live processes whose environment holds this sandbox's marker.
  func markedProcesses() -> [pid_t] {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { pid_t($0) }.filter { $0 != me && isOurs($0) && !processIsGone($0) }
  }
}

/// A test's own failure to set up, reported with what it saw.
struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// A hardcopy's lines, trailing blanks trimmed, without the trailing empty line.
func screenLines(_ text: String) -> [String] {
  var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
    String($0.reversed().drop { $0 == " " }.reversed())
  }
  while lines.last == "" { lines.removeLast() }
  return lines
}

/// Runs body in a fresh sandbox and always cleans up.
func withSandbox(_ body: (Sandbox) throws -> Void) throws {
  let sandbox = try Sandbox()
  defer { sandbox.cleanup() }
  try body(sandbox)
}
