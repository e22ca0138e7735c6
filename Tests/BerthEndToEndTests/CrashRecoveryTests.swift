// A session's server that dies comes back: of a bug (SIGSEGV, SIGABRT: what
// a Swift trap or a crash sends) in the same process; killed outright
// (SIGKILL) as a new process its keeper starts. The programs run on,
// nothing they printed meanwhile is lost, restart policies go on.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  @Test(arguments: [SIGSEGV, SIGABRT])
  func aServerThatCrashesComesBackWithItsPrograms(_ crash: Int32) throws {
    let name = crash == SIGSEGV ? "SIGSEGV" : "SIGABRT"
    try withSandbox { s in
      let pidFile = s.scratchPath("pid")
      let id = try s.startDetached("crash", Sandbox.bash, environment: Sandbox.bashVariables)
      let serverPid = pid_t(id.prefix { $0.isNumber }) ?? 0
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      #expect(s.berth(["-S", id, "-X", "stuff", "echo $$ > \(pidFile)\r"]).status == 0)
      #expect(s.waitForLine(id, "$").ok)
      let runs = s.scratchPath("runs")
      #expect(
        s.berth([
          "-S", id, "-X", "screen", "-t", "care", "--restart=always", "sh", "-c",
          "echo x >> \(runs); sleep 1; exit 3",
        ]).status == 0)
      #expect(s.berth(["-S", id, "-X", "select", "0"]).status == 0)
      // Output the program prints while no server reads it waits in its PTY.
      #expect(
        s.berth(["-S", id, "-X", "stuff", "sleep 0.3; echo during-$((6*7))\r"]).status == 0)
      kill(serverPid, crash)
      #expect(eventually { s.screen(id)?.contains("after \(name);") == true })
      #expect(s.sessionID("crash") == id)
      #expect(kill(serverPid, 0) == 0)
      let program =
        pid_t(
          ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)) ?? 0
      #expect(program > 0 && kill(program, 0) == 0)
      // After the prompt, if the shell printed it first.
      #expect(s.waitForScreen(id) { $0.contains { $0.hasSuffix("during-42") } }.ok)
      // Typing reaches the program; the restart policy goes on.
      #expect(s.berth(["-S", id, "-X", "stuff", "echo after-$((40+3))\r"]).status == 0)
      #expect(s.waitForLine(id, "after-43").ok)
      let before = ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").count
      #expect(
        eventually(timeout: 10) {
          ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").count > before
        })
      let status = s.berth(["--status", id, "--json"])
      #expect(status.stdout.contains("\"recovered\": \"20"), "\(status.stdout)")
      let table = s.berth(["--status", id]).stdout
      #expect(table.contains("crash: server restarted at 20"), "\(table)")
      #expect(table.contains("after \(name)"), "\(table)")
    }
  }
}

extension EndToEnd {
  @Test func aServerKilledWithSIGKILLComesBackWithItsPrograms() throws {
    try withSandbox { s in
      let pidFile = s.scratchPath("pid")
      let id = try s.startDetached("killed", Sandbox.bash, environment: Sandbox.bashVariables)
      let serverPid = pid_t(id.prefix { $0.isNumber }) ?? 0
      let keeper = try #require(keeperPid(ofServer: serverPid))
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      #expect(s.berth(["-S", id, "-X", "stuff", "echo $$ > \(pidFile)\r"]).status == 0)
      #expect(s.waitForLine(id, "$").ok)
      let runs = s.scratchPath("runs")
      #expect(
        s.berth([
          "-S", id, "-X", "screen", "-t", "care", "--restart=always", "sh", "-c",
          "echo x >> \(runs); sleep 1; exit 3",
        ]).status == 0)
      #expect(s.berth(["-S", id, "-X", "select", "0"]).status == 0)
      // A line printed while no server runs: the keeper is held still until
      // the program has printed it, after the server was killed.
      let go = s.scratchPath("go")
      let done = s.scratchPath("done")
      #expect(
        s.berth([
          "-S", id, "-X", "stuff",
          "(while [ ! -e \(go) ]; do sleep 0.05; done; echo during-$((6*7)); touch \(done)) &\r",
        ]).status == 0)
      #expect(kill(keeper, SIGSTOP) == 0)
      #expect(kill(serverPid, SIGKILL) == 0)
      #expect(FileManager.default.createFile(atPath: go, contents: nil))
      #expect(eventually { FileManager.default.fileExists(atPath: done) })
      #expect(kill(keeper, SIGCONT) == 0)

      #expect(eventually { s.screen(id)?.contains("after SIGKILL;") == true })
      #expect(s.sessionID("killed") == id)
      let program =
        pid_t(
          ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)) ?? 0
      #expect(program > 0 && kill(program, 0) == 0)
      // After the prompt, if the shell printed it first.
      #expect(s.waitForScreen(id) { $0.contains { $0.hasSuffix("during-42") } }.ok)
      // Typing reaches the program; the restart policy goes on (the keeper
      // reports the ends of programs the killed server left).
      #expect(s.berth(["-S", id, "-X", "stuff", "echo after-$((40+3))\r"]).status == 0)
      #expect(s.waitForLine(id, "after-43").ok)
      let before = ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").count
      #expect(
        eventually(timeout: 10) {
          ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").count > before
        })
      let status = s.berth(["--status", id, "--json"])
      #expect(status.stdout.contains("\"recovered_after\": \"SIGKILL\""), "\(status.stdout)")
      #expect(!status.stdout.contains("\"pid\": \(serverPid),"), "\(status.stdout)")
      // Killed again, it comes back again; a client attaches.
      let second = try #require(try serverPidFromStatus(status.stdout))
      #expect(kill(second, SIGKILL) == 0)
      #expect(
        eventually {
          let now = try? serverPidFromStatus(s.berth(["--status", id, "--json"]).stdout)
          return now != nil && now != second
        })
      let client = try s.attach(["-r", "killed"], session: id)
      client.type("echo attached-$((50+5))\r")
      #expect(s.waitForLine(id, "attached-55").ok)
      #expect(kill(program, 0) == 0)
    }
  }
}

/// The server's pid in `--status --json` output (the session's "pid").
private func serverPidFromStatus(_ json: String) throws -> pid_t? {
  let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
  let sessions = (object as? [String: Any])?["sessions"] as? [[String: Any]]
  return (sessions?.first?["pid"] as? Int).map { pid_t($0) }
}
