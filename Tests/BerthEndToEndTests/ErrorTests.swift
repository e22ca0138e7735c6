// What berth refuses, and how it says so: one `berth: ...` line on stderr
// and a non-zero status; stale sockets, strangers and other versions.
import BerthSystem
import Foundation
import Glibc
import Testing

extension EndToEnd {
  @Test func missingCommandFailsWithStatus127AndLeavesNoSocket() throws {
    try withSandbox { s in
      let r = s.berth(["-dmS", "x", "nosuchcmd"])
      #expect(r.status == 127, "\(r)")
      #expect(r.stderrLines == ["berth: nosuchcmd: command not found"], "\(r)")
      #expect(s.socketNames().isEmpty, "sockets left: \(s.socketNames())")
      #expect(
        eventually { s.markedProcesses().isEmpty }, "a server still runs: \(s.markedProcesses())")
    }
  }

  @Test func sessionNameWithASlashIsRefused() throws {
    try withSandbox { s in
      let r = s.berth(["-dmS", "a/b", "sleep", "1000"])
      expectOneLineError(r)
      #expect(s.socketNames().isEmpty, "\(s.socketNames())")
    }
  }

  @Test func sessionNameOverTheSocketPathLimitIsRefused() throws {
    try withSandbox { s in
      let r = s.berth(["-dmS", String(repeating: "n", count: 300), "sleep", "1000"])
      expectOneLineError(r)
      #expect(s.socketNames().isEmpty, "\(s.socketNames())")
      #expect(
        eventually { s.markedProcesses().isEmpty }, "a server still runs: \(s.markedProcesses())")
    }
  }

  /// Runs commands that need the socket directory against a bad one.
  func expectDirectoryRefused(
    _ s: Sandbox, _ directory: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for args in [["-dmS", "x", "sleep", "1000"], ["-ls"], ["-S", "x", "-X", "quit"]] {
      let r = s.berth(args, environment: ["BERTHDIR": directory])
      expectOneLineError(r, sourceLocation: sourceLocation)
      #expect(
        r.stderr.contains(directory), "the error does not name the directory: \(r)",
        sourceLocation: sourceLocation)
    }
    #expect(
      eventually { s.markedProcesses().isEmpty }, "a server started: \(s.markedProcesses())",
      sourceLocation: sourceLocation)
  }

  @Test func socketDirectoryThatIsASymlinkIsRefused() throws {
    try withSandbox { s in
      let link = s.root + "/link"
      #expect(symlink(s.socketDir, link) == 0)
      expectDirectoryRefused(s, link)
    }
  }

  @Test func socketDirectoryOpenToOthersIsRefused() throws {
    try withSandbox { s in
      #expect(chmod(s.socketDir, 0o755) == 0)
      expectDirectoryRefused(s, s.socketDir)
    }
  }

  @Test func socketDirectoryOwnedByAnotherUserIsRefused() throws {
    try withSandbox { s in
      #expect(chown(s.socketDir, 65534, 65534) == 0)
      expectDirectoryRefused(s, s.socketDir)
    }
  }

  @Test func staleSocketIsListedDeadAndResumeDoesNotHang() throws {
    try withSandbox { s in
      let path = s.socketDir + "/99999.stale"
      let fd = try unixSocket(boundTo: path)
      close(fd)
      let ls = s.berth(["-ls"], timeout: 10)
      #expect(!ls.timedOut, "\(ls)")
      #expect(
        ls.stdoutLines.contains { isListLine($0, id: "99999.stale", state: "Dead ???") }, "\(ls)")

      let client = try s.terminal(["-r", "stale"])
      let status = client.waitForExit(timeout: 10)
      #expect(status != nil, "berth -r stale hangs: \(client.output.debugDescription)")
      #expect(status != 0, "\(client.output.debugDescription)")
    }
  }

  @Test func resumeWithoutATerminalFails() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sleep", "1000"])
      let r = s.berth(["-r", "web"])
      expectOneLineError(r)
      #expect(r.stderr.contains("terminal"), "\(r)")
      #expect(s.state(of: id) == "Detached")
    }
  }

  @Test func attachingFromAOneByOneTerminalFails() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sleep", "1000"])
      let client = try s.terminal(["-r", "web"], columns: 1, rows: 1)
      let status = client.waitForExit()
      #expect(
        status != nil && status != 0,
        "status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(client.waitForOutput("berth: "), "\(client.output.debugDescription)")
      let lines = plain(client.output).split(separator: "\n").filter { $0.hasPrefix("berth: ") }
      #expect(lines.count == 1, "\(client.output.debugDescription)")
      #expect(s.state(of: id) == "Detached")
    }
  }

  @Test func serverOfAnotherProtocolVersionIsNamedInTheError() throws {
    try withSandbox { s in
      let ours = protocolVersionOfBerth(s)
      // Named by a pid no process has (pids stay below 4194304): the test's
      // own would make the client, its descendant, run inside that "session".
      let fake = try FakeServer(path: s.socketDir + "/4194304.fake", version: 99)
      defer { fake.stop() }
      let client = try s.terminal(["-r", "fake"])
      let status = client.waitForExit()
      #expect(
        status != nil && status != 0,
        "status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(fake.greeted > 0, "berth never said hello to the fake server")
      // The client's last words may still be on their way through the terminal.
      _ = client.waitForOutput("version", timeout: 5)
      let text = plain(client.output)
      #expect(text.contains("99"), "the error does not name version 99: \(text.debugDescription)")
      #expect(
        text.contains("version \(ours)"),
        "the error does not name version \(ours): \(text.debugDescription)")
      #expect(text.contains("berth: "), "no berth: error line: \(text.debugDescription)")
      #expect(text.contains("berth --upgrade 4194304.fake"), "\(text.debugDescription)")
    }
  }

  @Test func connectionFromAnotherUserIsRefused() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sh", "-c", "echo owner-$((5*5)); exec sleep 1000"])
      let socket = s.socketDir + "/" + id
      // The owner, attached, is told of the attempt (and the system log gets it).
      let owner = try s.attach(["-r", "web"], session: id)
      #expect(chmod(s.root, 0o755) == 0)
      #expect(chmod(s.socketDir, 0o777) == 0)
      #expect(chmod(socket, 0o777) == 0)
      let out = s.scratchPath("stranger.out")
      let err = s.scratchPath("stranger.err")
      chmod(s.root + "/out", 0o755)
      let pid = try spawnWithoutTerminal(
        [
          "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          "/usr/bin/python3", "-c", strangerScript, socket, String(protocolVersionOfBerth(s)),
        ], environment: s.environment(), directory: "/", stdoutPath: out, stderrPath: err)
      let status = waitForExit(pid, timeout: 15)
      if status == nil { killAndReap(pid) }
      chmod(socket, 0o600)
      chmod(s.socketDir, 0o700)
      chmod(s.root, 0o700)
      let seen = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
      let problems = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
      #expect(
        status == 0, "the stranger's script: \(String(describing: status)) \(seen) \(problems)")
      #expect(seen.contains("uid 65534"), "the script did not run as nobody: \(seen) \(problems)")
      #expect(!seen.contains("FRAME 64"), "the server said hello to another uid: \(seen)")
      #expect(!seen.contains("FRAME 69"), "the server answered another uid: \(seen)")
      #expect(seen.contains("FRAME 71") || seen.contains("CLOSED"), "\(seen) \(problems)")
      #expect(seen.contains("CLOSED"), "the server kept the stranger's connection open: \(seen)")

      #expect(
        owner.waitForOutput("refused a connection from uid 65534"),
        "the attached owner was not told: \(owner.output.debugDescription)")

      // The owner is still served.
      owner.type([0x01, UInt8(ascii: "d")])
      #expect(owner.waitForExit() == 0)
      #expect(s.state(of: id) == "Detached")
      #expect(s.waitForLine(id, "owner-25").ok)
    }
  }
}

/// The protocol version `berth -v` names ("(protocol N)"), 1 if it names none.
func protocolVersionOfBerth(_ s: Sandbox) -> Int {
  let v = s.berth(["-v"]).stdout
  guard let r = v.range(of: "protocol ") else { return 1 }
  return Int(v[r.upperBound...].prefix { $0.isNumber }) ?? 1
}

/// Connects to argv[1] as whoever runs it, says a valid hello (version argv[2]),
/// and prints the frames that come back and whether the server closed.
let strangerScript = #"""
  import os, socket, struct, sys
  print("uid %d" % os.getuid(), flush=True)
  s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
  s.settimeout(5)
  s.connect(sys.argv[1])
  term = b"dumb"
  payload = b"BRTH" + struct.pack("<HHH", int(sys.argv[2]), 80, 24) + struct.pack("<I", len(term)) + term + struct.pack("<I", 0)
  try:
      s.sendall(struct.pack("<BBHI", 1, 0, 0, len(payload)) + payload)
  except OSError as e:
      print("SEND", e)
  data = b""
  try:
      while True:
          chunk = s.recv(65536)
          if not chunk:
              print("CLOSED")
              break
          data += chunk
  except socket.timeout:
      print("TIMEOUT")
  except OSError as e:
      print("CLOSED", e)
  while len(data) >= 8:
      t, _, _, n = struct.unpack("<BBHI", data[:8])
      body = data[8:8 + n]
      data = data[8 + n:]
      text = body[4:].decode("utf-8", "replace") if t == 71 else ""
      print("FRAME %d %s" % (t, text))
  """#

/// Binds a Unix socket at path (without listening) and returns it.
func unixSocket(boundTo path: String) throws -> Int32 {
  let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  guard fd >= 0 else { throw SystemError("socket") }
  var addr = sockaddr_un()
  addr.sun_family = sa_family_t(AF_UNIX)
  let bytes = Array(path.utf8)
  guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
    close(fd)
    throw TestFailure("socket path too long: \(path)")
  }
  withUnsafeMutableBytes(of: &addr.sun_path) { raw in
    for (i, b) in bytes.enumerated() { raw[i] = b }
    raw[bytes.count] = 0
  }
  let bound = withUnsafePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
    }
  }
  guard bound == 0 else {
    let e = errno
    close(fd)
    throw SystemError("bind \(path)", e)
  }
  return fd
}

/// A session server of another protocol version: it answers every hello
/// with a hello of its own version, then closes.
final class FakeServer: @unchecked Sendable {
  private let listener: Int32
  private let version: UInt16
  private let lock = NSLock()
  private var stopping = false
  private var hellos = 0
  private let done = DispatchSemaphore(value: 0)

  init(path: String, version: UInt16) throws {
    listener = try unixSocket(boundTo: path)
    self.version = version
    // Detached, as a berth server's socket says (its owner's execute bit clear).
    chmod(path, 0o600)
    guard listen(listener, 8) == 0 else { throw SystemError("listen") }
    Thread { [self] in self.serve() }.start()
  }

  var greeted: Int {
    lock.lock()
    defer { lock.unlock() }
    return hellos
  }

  private var shouldStop: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopping
  }

  private func serve() {
    while !shouldStop {
      guard FD.waitReadable(listener, timeoutMs: 50) else { continue }
      let fd = accept(listener, nil, nil)
      guard fd >= 0 else { continue }
      answer(fd)
      close(fd)
    }
    done.signal()
  }

  private func answer(_ fd: Int32) {
    // Read the client's hello frame: an 8-byte header and its payload.
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    let deadline = monotonicSeconds() + 3
    while monotonicSeconds() < deadline {
      if received.count >= 8 {
        let length =
          Int(received[4]) | Int(received[5]) << 8 | Int(received[6]) << 16 | Int(received[7]) << 24
        if received.count >= 8 + length { break }
      }
      guard FD.waitReadable(fd, timeoutMs: 100) else { continue }
      let n = chunk.withUnsafeMutableBytes { FD.read(fd, into: $0) }
      if n <= 0 { return }
      received += chunk[..<n]
    }
    guard received.count >= 12, received[0] == 1, Array(received[8..<12]) == Array("BRTH".utf8)
    else {
      return
    }
    lock.lock()
    hellos += 1
    lock.unlock()
    let name = Array("\(getpid()).fake".utf8)
    var payload = Array("BRTH".utf8)
    payload += [UInt8(version & 0xff), UInt8(version >> 8)]
    payload += withUnsafeBytes(of: getpid().littleEndian, Array.init)
    payload += withUnsafeBytes(of: UInt32(name.count).littleEndian, Array.init)
    payload += name
    var frame: [UInt8] = [64, 0, 0, 0]
    frame += withUnsafeBytes(of: UInt32(payload.count).littleEndian, Array.init)
    frame += payload
    try? FD.writeAll(fd, frame)
    // Let the client read it before the close.
    _ = FD.waitReadable(fd, timeoutMs: 1000)
  }

  func stop() {
    lock.lock()
    stopping = true
    lock.unlock()
    _ = done.wait(timeout: .now() + 2)
    close(listener)
  }
}
