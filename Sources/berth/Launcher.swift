// Starting a session server: this same binary in its hidden server mode,
// detached in a process session of its own. It reports through a pipe once
// the socket listens and the program runs, or why it could not.
import BerthServer
import BerthSystem
import Glibc

enum Launcher {
  /// Starts a server and waits until it is ready. Returns the session's
  /// PID.NAME and, when `connect`, a socket already connected to it (so that
  /// nothing the program does before the attach is lost).
  static func start(config: ServerConfig, directory: String, name: String, connect: Bool) throws
    -> (id: String, connection: Int32?)
  {
    let pipe = try FD.pipe()
    let pair = connect ? try UnixSocket.pair() : nil
    defer { if let pair { FD.close(pair.1) } }
    var cfg = config
    cfg.readyFd = 3
    cfg.creatorFd = pair == nil ? nil : 4
    let pid: pid_t
    do {
      pid = try Spawn.detached(
        path: try executablePath(),
        ["berth"] + cfg.arguments(socketDirectory: directory, name: name),
        environment: currentEnvironment(), passFds: [pipe.write] + (pair.map { [$0.1] } ?? []))
    } catch {
      FD.close(pipe.read)
      FD.close(pipe.write)
      if let pair { FD.close(pair.0) }
      throw error
    }
    FD.close(pipe.write)
    defer { FD.close(pipe.read) }

    var reply: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 512)
    while reply.count < 4096, FD.waitReadable(pipe.read, timeoutMs: 10_000) {
      let n = chunk.withUnsafeMutableBytes { FD.read(pipe.read, into: $0) }
      if n <= 0 { break }
      reply += chunk[..<n]
    }
    let line =
      String(decoding: reply, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    // "OK PID": the server runs (as the child of the process started, the
    // session's keeper). The keeper is our child until we exit; collect it
    // if it already ended.
    let words = line.split(separator: " ")
    if words.first == "OK", words.count == 2, let server = Int32(words[1]) {
      return ("\(server).\(name)", pair?.0)
    }
    var status: Int32 = 0
    waitpid(pid, &status, WNOHANG)
    if let pair { FD.close(pair.0) }
    if line.hasPrefix("ERR ") {
      let parts = line.dropFirst(4).split(separator: " ", maxSplits: 1)
      let status = parts.first.flatMap { Int32($0) } ?? 1
      throw BerthError(
        parts.count > 1 ? String(parts[1]) : "the session failed to start", status: status)
    }
    throw BerthError("the session server did not start (no answer from pid \(pid))")
  }

  /// This binary's path, so that the server is the same berth as the client.
  static func executablePath() throws -> String {
    guard let path = readLink("/proc/self/exe") else {
      throw SystemError("readlink /proc/self/exe")
    }
    return path
  }
}
