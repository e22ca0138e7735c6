// A session's server that dies and comes back under the same socket (a
// crash it recovers from; a kill its keeper answers) takes its attached
// clients and followers along: they wait a moment for it, attach or follow
// again and say so. One that does not come back, or a session that ended,
// ends them as before.
import BerthSystem
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// A `berth --tail -f` running in the background, its output in files.
  private struct Follower {
    let pid: pid_t
    let output: String
    let errors: String
    var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }
    var lines: [String] { text.split(separator: "\n").map(String.init) }
    /// Still running: not exited, not reaped.
    var runs: Bool {
      var status: Int32 = 0
      return waitpid(pid, &status, WNOHANG) == 0
    }
  }

  private func follow(_ s: Sandbox, _ arguments: [String]) throws -> Follower {
    let out = s.scratchPath("follow")
    let err = s.scratchPath("follow-err")
    let pid = try spawnWithoutTerminal(
      [berthBinary, "--tail", "-f"] + arguments, environment: s.environment(), directory: s.work,
      stdoutPath: out, stderrPath: err)
    return Follower(pid: pid, output: out, errors: err)
  }

  /// A program that prints `tick N` ten times a second, N counting up.
  private static let ticks = [
    "sh", "-c", "i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.1; done",
  ]
  private static let restartLine = "[berth: the server restarted; output meanwhile may be missing]"

  private func serverPid(_ id: String) -> pid_t { pid_t(id.prefix { $0.isNumber }) ?? 0 }

  /// The numbers of the `tick N` lines, in order.
  private func tickNumbers(_ lines: some Sequence<String>) -> [Int] {
    lines.compactMap { line in
      line.range(of: "tick ").flatMap { Int(line[$0.upperBound...]) }
    }
  }

  @Test func aFollowerGoesOnAfterItsServerCrashes() throws {
    try withSandbox { s in
      let id = try s.startDetached("ticks", Self.ticks)
      let plain = try follow(s, ["-n", "1", id])
      let stamped = try follow(s, ["-n", "0", "--timestamps", id])
      #expect(eventually { tickNumbers(plain.lines).count >= 3 }, "\(plain.text)")
      #expect(eventually { tickNumbers(stamped.lines).count >= 3 }, "\(stamped.text)")
      kill(serverPid(id), SIGSEGV)

      // One line says so, then the ticks go on: newer ones, none twice
      // (the last line is not printed again), and the follower runs on.
      for f in [plain, stamped] {
        #expect(
          eventually { f.lines.contains { $0.hasSuffix(Self.restartLine) } },
          "\(f.text) \(f.stderr)")
        #expect(
          eventually {
            let after = f.lines.drop { !$0.hasSuffix(Self.restartLine) }
            return tickNumbers(after).count >= 3
          }, "\(f.text)")
        let numbers = tickNumbers(f.lines)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "\(numbers)")
        #expect(f.runs, "\(f.text) \(f.stderr)")
        #expect(f.stderr.isEmpty, "\(f.stderr)")
      }
      // With --timestamps the line is stamped as the others are.
      let stamp = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d /#
      let restart = stamped.lines.first { $0.hasSuffix(Self.restartLine) } ?? ""
      #expect(restart.starts(with: stamp) && restart.count > Self.restartLine.count, "\(restart)")
      #expect(!plain.text.contains("\(Self.restartLine)\n\(Self.restartLine)"))
      for f in [plain, stamped] {
        kill(f.pid, SIGTERM)
        _ = waitForExit(f.pid, timeout: 5)
      }
    }
  }

  @Test func anAttachedClientAttachesAgainAfterItsServerCrashes() throws {
    try withSandbox { s in
      let id = try s.startDetached("crash", Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      let client = try s.attach(["-r", id], session: id)
      client.type("echo before-$((20+1))\r")
      #expect(client.waitForOutput("before-21"), "\(client.output.debugDescription)")
      let before = client.output.count
      kill(serverPid(id), SIGSEGV)

      // A message that says why, the whole screen again (the recovered
      // window's first line, its notice, whatever it says), and the client
      // still attached.
      let restarted = "[berth: \(id)'s server restarted]"
      #expect(client.waitForOutput(restarted), "\(client.output.suffix(600).debugDescription)")
      let recovered = s.waitForScreen(id) { ($0.first ?? "").count > 10 }
      let firstLine = String(screenLines(recovered.screen).first?.prefix(30) ?? "")
      #expect(recovered.ok && !firstLine.contains("before-21"), "\(recovered.screen)")
      #expect(
        eventually { client.output.dropFirst(before).contains(firstLine) },
        "\(client.output.suffix(600).debugDescription)")
      #expect(eventually { s.state(of: id) == "Attached" })
      #expect(!client.hasExited, "\(client.output.suffix(600).debugDescription)")
      #expect(!client.output.contains("lost the connection"))
      // Typing reaches the program, and its output the client.
      client.type("echo after-$((40+2))\r")
      #expect(s.waitForLine(id, "after-42").ok)
      #expect(client.waitForOutput("after-42"), "\(client.output.suffix(600).debugDescription)")
      #expect(!client.hasExited)
    }
  }

  @Test func aServerThatDoesNotComeBackEndsClientsAndFollowersAfterAShortWait() throws {
    try withSandbox { s in
      let id = try s.startDetached("gone", Self.ticks)
      let follower = try follow(s, ["-n", "0", id])
      let client = try s.attach(["-r", id], session: id)
      #expect(eventually { tickNumbers(follower.lines).count >= 2 }, "\(follower.text)")
      // In the session's place a socket that takes connections and never
      // answers: whatever restarts the server, this session does not come
      // back at this path.
      let path = s.socketDir + "/" + id
      #expect(unlink(path) == 0)
      let impostor = try UnixSocket.listen(at: path)
      defer { FD.close(impostor) }
      kill(serverPid(id), SIGKILL)

      #expect(waitForExit(follower.pid, timeout: 15) == 1, "\(follower.text)")
      #expect(
        follower.stderr == "berth: lost the session gone: its server ended\n", "\(follower.stderr)")
      #expect(!follower.text.contains(Self.restartLine))
      #expect(client.waitForExit(timeout: 15) == 1, "\(client.output.suffix(300).debugDescription)")
      #expect(
        client.waitForOutput("berth: lost the connection to"),
        "\(client.output.suffix(300).debugDescription)")
      #expect(!client.output.contains("s server restarted]"))
    }
  }

  @Test func aSessionThatEndsEndsItsClientsAndFollowersAsBefore() throws {
    try withSandbox { s in
      let id = try s.startDetached("done", Self.ticks)
      let follower = try follow(s, ["-n", "0", id])
      let client = try s.attach(["-r", id], session: id)
      #expect(eventually { tickNumbers(follower.lines).count >= 2 }, "\(follower.text)")
      #expect(s.berth(["-S", id, "-X", "quit"]).status == 0)
      expectSessionGone(s, id)
      // The session said it ended: no wait for it to come back, the end
      // as before (status 0, the session's own last words).
      #expect(waitForExit(follower.pid, timeout: 10) == 0, "\(follower.text) \(follower.stderr)")
      #expect(follower.stderr.isEmpty, "\(follower.stderr)")
      #expect(!follower.text.contains(Self.restartLine))
      #expect(client.waitForExit(timeout: 10) == 0, "\(client.output.suffix(300).debugDescription)")
      #expect(
        client.waitForOutput("is terminating]"), "\(client.output.suffix(300).debugDescription)")
      #expect(!client.output.contains("lost the connection"))
    }
  }
}
