// berth --upgrade as a package upgrade meets it: the binary a session was
// started from is replaced (a new file at the same path), and the session's
// server carries on as the new one, in the same process, with its programs,
// screens and clients.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// A copy of berth at a path of the sandbox's, to be replaced.
  private func installedCopy(_ s: Sandbox) throws -> String {
    let dir = s.root + "/bin"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/berth"
    try replace(path, with: FileManager.default.contents(atPath: berthBinary) ?? Data())
    return path
  }

  /// Writes a new file and renames it over `path`: a new inode, as a package manager does.
  private func replace(_ path: String, with data: Data) throws {
    let temporary = path + ".new"
    try data.write(to: URL(fileURLWithPath: temporary))
    chmod(temporary, 0o755)
    guard rename(temporary, path) == 0 else { throw TestFailure("rename over \(path) failed") }
  }

  private func inode(_ path: String) -> UInt {
    var st = stat()
    return stat(path, &st) == 0 ? UInt(st.st_ino) : 0
  }

  @Test func upgradeCarriesASessionOnInTheSameProcess() throws {
    try withSandbox { s in
      let berth = try installedCopy(s)
      let pidFile = s.scratchPath("program-pid")
      let started = s.berth(
        ["-dmS", "up", "/bin/bash", "--norc", "--noprofile"],
        environment: Sandbox.bashVariables, program: berth)
      #expect(started.status == 0, "\(started.stderr)")
      let id = try #require(s.sessionID("up"))
      let serverPid = pid_t(id.prefix { $0.isNumber }) ?? 0
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      #expect(
        s.berth(["-S", id, "-X", "stuff", "echo $$ > \(pidFile); seq 1 300; echo marker-1\r"])
          .status == 0)
      #expect(s.waitForLine(id, "marker-1").ok)
      let client = try s.attach(["-r", id], session: id)
      let before = s.screen(id, history: true)
      let programPid = (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(
        in: .whitespacesAndNewlines)

      try replace(berth, with: FileManager.default.contents(atPath: berthBinary) ?? Data())
      let r = s.berth(["--upgrade", id], program: berth)
      #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
      #expect(r.stdout.contains("\(id): upgraded"), "\(r.stdout)")
      // The same process, now running the new file; the same program.
      #expect(kill(serverPid, 0) == 0)
      #expect(inode("/proc/\(serverPid)/exe") == inode(berth))
      #expect(s.sessionID("up") == id)
      let programNow = (try? String(contentsOfFile: pidFile, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(programNow == programPid)
      #expect(kill(pid_t(programNow ?? "") ?? 0, 0) == 0)
      // The screen and its history as they were; the client still attached, typing through.
      #expect(s.screen(id, history: true) == before)
      #expect(s.state(of: id) == "Attached")
      client.type("echo typed-$((40+2))\r")
      #expect(s.waitForLine(id, "typed-42").ok)
      // Nothing new to take: said, and nothing done.
      let again = s.berth(["--upgrade", id], program: berth)
      #expect(again.status == 0 && again.stdout.contains("already runs"), "\(again.stdout)")
    }
  }

  @Test func aBinaryThatCannotTakeOverLeavesTheServerAsItWas() throws {
    try withSandbox { s in
      let berth = try installedCopy(s)
      let started = s.berth(["-dmS", "keep", "/bin/cat"], program: berth)
      #expect(started.status == 0, "\(started.stderr)")
      let id = try #require(s.sessionID("keep"))
      let serverPid = pid_t(id.prefix { $0.isNumber }) ?? 0
      let exe = inode("/proc/\(serverPid)/exe")
      try replace(berth, with: Data("#!/bin/sh\nexit 3\n".utf8))
      let r = s.berth(["--upgrade", id])
      #expect(r.status != 0)
      #expect(r.stderr.contains("not upgraded"), "\(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
      // The old server, as it was, and working.
      #expect(kill(serverPid, 0) == 0)
      #expect(inode("/proc/\(serverPid)/exe") == exe)
      #expect(s.berth(["-S", id, "-X", "stuff", "still-here\n"]).status == 0)
      #expect(s.waitForLine(id, "still-here").ok)
    }
  }

  @Test func aFollowerGoesOnThroughAnUpgradeWithNoLineLostOrTwice() throws {
    try withSandbox { s in
      let berth = try installedCopy(s)
      let started = s.berth(
        [
          "-dmS", "flow", "sh", "-c",
          "echo ready; read x; for i in $(seq 1 400); do echo l$i; sleep 0.004; done; echo end; exec sleep 600",
        ], program: berth)
      #expect(started.status == 0, "\(started.stderr)")
      let id = try #require(s.sessionID("flow"))
      #expect(s.waitForLine(id, "ready").ok)
      let out = s.scratchPath("follow")
      let follower = try spawnWithoutTerminal(
        [berthBinary, "--tail", "-f", "-n", "1", id], environment: s.environment(),
        directory: s.work, stdoutPath: out, stderrPath: s.scratchPath("follow-err"))
      let text = { (try? String(contentsOfFile: out, encoding: .utf8)) ?? "" }
      #expect(eventually { text().hasPrefix("ready\n") })
      #expect(s.berth(["-S", id, "-X", "stuff", "\n"]).status == 0)
      #expect(eventually { text().contains("l100\n") })
      try replace(berth, with: FileManager.default.contents(atPath: berthBinary) ?? Data())
      let r = s.berth(["--upgrade", id], program: berth)
      #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
      #expect(eventually(timeout: 20) { text().contains("end\n") })
      let lines = text().split(separator: "\n").filter { $0.hasPrefix("l") }.map(String.init)
      #expect(lines == (1...400).map { "l\($0)" }, "\(lines.count) lines")
      kill(follower, SIGTERM)
      _ = waitForExit(follower, timeout: 5)
    }
  }
}
