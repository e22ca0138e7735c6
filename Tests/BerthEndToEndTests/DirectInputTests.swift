// Direct input: while only the program would see them, a client writes typed
// text straight to the window's PTY. These tests check that it does, that it
// stops whenever the server must see the keys, and that the program gets the
// keys in exactly the order they were typed either way.
import Foundation
import Glibc
import Testing

/// Whether process pid holds a PTY master (a copy of a window's PTY).
func holdsPTY(_ pid: pid_t) -> Bool {
  let dir = "/proc/\(pid)/fd"
  guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
    return false
  }
  return entries.contains { entry in
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/\(entry)"))
      == "/dev/ptmx"
  }
}

/// Reads raw input until a "." and prints repr() of all of it on one line,
/// with each Up key (CSI A) shown as "^" to keep the line short.
let collectUntilDot = [
  "python3", "-c",
  """
  import os, tty
  tty.setraw(0)
  os.write(1, b"ready\\r\\n")
  buf = b""
  while not buf.endswith(b"."):
      buf += os.read(0, 1024)
  os.write(1, b"got " + repr(buf.replace(b"\\x1b[A", b"^")).encode() + b"\\r\\n")
  os.read(0, 1)
  """,
]

extension EndToEnd {
  @Test func typedTextGoesStraightToThePTYOnlyWhileNothingElseMustSeeIt() throws {
    try withSandbox { s in
      let id = try s.startDetached("direct", Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      let client = try s.attach(["-r", "direct"], session: id)
      #expect(eventually { holdsPTY(client.pid) }, "an attached client was not given the PTY")
      client.type("echo typed $((40+2))\r")
      #expect(s.waitForLine(id, "typed 42").ok)

      // Copy mode sees the keys: the client must stop writing to the PTY.
      client.type([0x01, UInt8(ascii: "[")])
      #expect(eventually { !holdsPTY(client.pid) }, "the client kept the PTY in copy mode")
      client.type("kkk")
      client.type([0x1B])
      #expect(eventually { holdsPTY(client.pid) }, "leaving copy mode did not give it back")
      client.type("echo after-copy-mode\r")
      #expect(s.waitForLine(id, "after-copy-mode").ok)
      #expect(!(s.screen(id) ?? "").contains("kkk"), "keys typed in copy mode reached bash")

      // A read-only client never gets it.
      let viewer = try s.attach(["-x", "direct", "--read-only"], session: id)
      #expect(viewer.waitForOutput("after-copy-mode"))
      #expect(!holdsPTY(viewer.pid), "a read-only client was given the PTY")
    }
  }

  @Test func theClientWhoseSizeTheWindowHasIsTheOneWithThePTY() throws {
    try withSandbox { s in
      let id = try s.startDetached("sizes", Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      let small = try s.attach(["-r", "sizes"], session: id, columns: 80, rows: 24)
      #expect(eventually { holdsPTY(small.pid) })
      let large = try s.attach(["-x", "sizes"], session: id, columns: 100, rows: 30)
      // The window took the latest client's size: only that one may type directly.
      #expect(eventually { holdsPTY(large.pid) && !holdsPTY(small.pid) })
      small.type("stty size\r")
      #expect(s.waitForLine(id, "24 80").ok, "typing did not give the window the typist's size")
      #expect(eventually { holdsPTY(small.pid) && !holdsPTY(large.pid) })
    }
  }

  @Test func textAndEncodedKeysArriveInTheOrderTyped() throws {
    try withSandbox { s in
      let id = try s.startDetached("order", collectUntilDot)
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-r", "order"], session: id)
      #expect(eventually { holdsPTY(client.pid) })
      // Text goes straight to the PTY, cursor keys through the server: typed
      // without pause, each in a write of its own, they must not overtake.
      var expected = ""
      for i in 0..<45 {
        let letter = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(i % 26)))
        client.type(letter)
        expected += letter
        if i % 3 == 0 {
          client.type(Array("\u{1B}[A".utf8))
          expected += "^"
        }
      }
      client.type(".")
      #expect(
        s.waitForLine(id, "got b'\(expected).'").ok,
        "the program got the keys in another order: \(s.screen(id) ?? "")")
    }
  }
}

extension EndToEnd {
  /// After a key the client looks for its echo without sleeping, but only
  /// while echoes come: keys into a program that shows nothing (a password
  /// prompt) must not cost the client CPU time for each of them.
  @Test func keysThatBringNoEchoLeaveTheClientAsleep() throws {
    try withSandbox { s in
      let count = s.scratchPath("count")
      // Counts the keys it reads in a file, and draws nothing.
      let silent = [
        "python3", "-c",
        """
        import os, tty, sys
        tty.setraw(0)
        os.write(1, b"ready\\r\\n")
        n = 0
        while True:
            n += len(os.read(0, 1024))
            with open(sys.argv[1], "w") as f: f.write(str(n))
        """, count,
      ]
      let id = try s.startDetached("silent", silent)
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-r", "silent"], session: id)
      #expect(eventually { holdsPTY(client.pid) }, "the client was not given the PTY")
      func keysRead() -> Int {
        Int((try? String(contentsOfFile: count, encoding: .utf8)) ?? "") ?? 0
      }
      let keys = 200
      let before = cpuTicks(client.pid)
      for i in 1...keys {
        client.type("k")
        guard eventually(timeout: 5, { keysRead() >= i }) else {
          Issue.record("key \(i) never reached the program")
          return
        }
      }
      // Looking without sleeping for every key would take 200 x 0.4 ms = 80 ms.
      let used = cpuTicks(client.pid) - before
      #expect(
        used >= 0 && used * 1000 / Int(sysconf(Int32(_SC_CLK_TCK))) < 40,
        "the client used \(used) clock ticks for \(keys) keys that brought no echo")
    }
  }
}
