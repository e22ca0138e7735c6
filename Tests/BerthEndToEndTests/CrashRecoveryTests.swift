// A session's server that dies of a bug (SIGSEGV, SIGABRT: what a Swift
// trap or a crash sends) comes back in the same process: the programs run
// on, nothing they printed meanwhile is lost, restart policies go on.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  @Test(arguments: [SIGSEGV, SIGABRT])
  func aServerThatCrashesComesBackWithItsPrograms(_ crash: Int32) throws {
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
      #expect(eventually { s.screen(id)?.contains("restarted after a crash") == true })
      #expect(s.sessionID("crash") == id)
      #expect(kill(serverPid, 0) == 0)
      let program =
        pid_t(
          ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)) ?? 0
      #expect(program > 0 && kill(program, 0) == 0)
      #expect(s.waitForLine(id, "during-42").ok)
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
      #expect(table.contains("crash: recovered from a crash at 20"), "\(table)")
    }
  }
}
