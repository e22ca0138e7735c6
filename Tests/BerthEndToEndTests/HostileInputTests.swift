// Hostile bytes on a real session's socket: garbage, truncated frames,
// absurd lengths, every message type with random payloads. Each connection
// is closed with a reason; the server lives on and serves everyone else.
import BerthSystem
import Foundation
import Glibc
import Testing

/// A raw connection to a session's socket.
private struct RawConnection {
  let fd: Int32

  init(_ path: String) throws {
    fd = try UnixSocket.connect(to: path)
  }

  func send(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  /// Everything the server sends until it closes the connection (or `timeout` s pass).
  func readUntilClosed(timeout: Double) -> (bytes: [UInt8], closed: Bool) {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
      guard FD.waitReadable(fd, timeoutMs: 100) else { continue }
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { return (out, true) }
      out += buffer[..<n]
    }
    return (out, false)
  }

  func close() { Glibc.close(fd) }
}

private func frame(_ type: UInt8, _ payload: [UInt8], length: UInt32? = nil) -> [UInt8] {
  let n = length ?? UInt32(payload.count)
  return [
    type, 0, 0, 0, UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24),
  ]
    + payload
}

/// A valid hello of this berth's protocol (version from `berth -v`).
private func hello(version: UInt16) -> [UInt8] {
  var p = Array("BRTH".utf8) + [UInt8(version & 0xFF), UInt8(version >> 8), 80, 0, 24, 0]
  p += [5, 0, 0, 0] + Array("xterm".utf8) + [0, 1, 0, 0]
  return frame(1, p)
}

extension EndToEnd {
  private func protocolVersion(_ s: Sandbox) -> UInt16 {
    let v = s.berth(["-v"]).stdout
    guard let range = v.range(of: "protocol ") else { return 0 }
    return UInt16(v[range.upperBound...].prefix { $0.isNumber }) ?? 0
  }

  @Test func hostileConnectionsAreClosedAndTheServerServesOn() throws {
    try withSandbox { s in
      let id = try s.startDetached("target", ["sh", "-c", "echo still-here; exec sleep 1000"])
      #expect(s.waitForLine(id, "still-here").ok)
      let path = s.socketDir + "/" + id
      let version = protocolVersion(s)
      #expect(version > 0)
      var rng = SystemRandomNumberGenerator()
      var cases: [(String, [UInt8])] = [
        ("garbage", Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        ("length 2^32-1", frame(1, [], length: 0xFFFF_FFFF)),
        ("oversized length", frame(3, [], length: 64 << 20)),
        ("zero-length hello", frame(1, [])),
        ("truncated hello", Array(hello(version: version).dropLast(3))),
        ("attach before hello", frame(2, [0, 0, 0, 0, 0, 0])),
        ("hello of version 9999", hello(version: 9999)),
        ("unknown type", hello(version: version) + frame(200, [1, 2, 3])),
        ("nonzero reserved bytes", [3, 1, 2, 3, 0, 0, 0, 0]),
      ]
      for type in UInt8(0)...UInt8(20) {
        for _ in 0..<3 {
          let n = Int.random(in: 0...40, using: &rng)
          let payload = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
          cases.append(("type \(type) random", hello(version: version) + frame(type, payload)))
        }
      }
      var closedWithReason = 0
      for (name, bytes) in cases {
        let c = try RawConnection(path)
        c.send(bytes)
        // A truncated frame waits for the rest: the peer gives up.
        if name.hasPrefix("truncated") { shutdown(c.fd, Int32(SHUT_WR)) }
        // Random payloads may be valid messages that leave the connection open.
        let (reply, closed) = c.readUntilClosed(timeout: name.hasSuffix("random") ? 0.3 : 5)
        c.close()
        if !name.hasSuffix("random") {
          #expect(closed, "\(name): the server kept the connection open")
        }
        // An error frame (type 71) names the reason.
        if reply.contains(71) { closedWithReason += 1 }
        #expect(s.state(of: id) == "Detached", "\(name): the session is gone or stuck")
      }
      #expect(closedWithReason >= 5, "too few connections were told why they were closed")
      // The session still serves its user.
      let stuffed = s.berth(["-S", id, "-X", "stuff", "echo served\\n"])
      #expect(stuffed.status == 0)
      let client = try s.attach(["-r", "target"], session: id)
      #expect(client.waitForOutput("still-here"))
    }
  }

  @Test func manyAttachDetachCyclesLeakNoDescriptorsOrProcesses() throws {
    try withSandbox { s in
      let id = try s.startDetached("cycles", ["sh", "-c", "exec sleep 1000"])
      let serverPID = pid_t(id.split(separator: ".")[0]) ?? 0
      func openFDs() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(serverPID)/fd").count) ?? -1
      }
      func children() -> Int {
        let text =
          (try? String(
            contentsOfFile: "/proc/\(serverPID)/task/\(serverPID)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").count
      }
      // The session at rest first: the child that writes its recovery
      // state as the server starts has come and gone.
      #expect(eventually { children() == 1 })
      let before = (openFDs(), children())
      // 1000 cycles with BERTH_LONG_TESTS=1 (see README); a quick 15 otherwise.
      let cycles = ProcessInfo.processInfo.environment["BERTH_LONG_TESTS"] == "1" ? 1000 : 15
      for _ in 0..<cycles {
        let c = try s.attach(["-r", "cycles"], session: id)
        c.type(detachKeys)
        #expect(c.waitForExit() == 0)
      }
      for _ in 0..<cycles { _ = s.berth(["-ls"]) }
      #expect(eventually { openFDs() == before.0 }, "descriptors: \(before.0) -> \(openFDs())")
      #expect(children() == before.1, "children: \(before.1) -> \(children())")
    }
  }
}
