// The program ending while a client is attached: the client reports how and
// leaves with the program's status, and the session is gone.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// Waits for the session to disappear: no socket, not in -ls.
  func expectSessionGone(
    _ s: Sandbox, _ id: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(
      eventually { !s.socketExists(id) }, "the socket \(id) is still there",
      sourceLocation: sourceLocation)
    let ls = s.berth(["-ls"])
    #expect(!ls.stdout.contains(id), "\(ls)", sourceLocation: sourceLocation)
    if s.socketNames().isEmpty {
      #expect(
        ls.status == 1 && ls.stdoutLines == ["No Sockets found in \(s.socketDir)."], "\(ls)",
        sourceLocation: sourceLocation)
    }
    if let pid = pid_t(id.split(separator: ".")[0]) {
      #expect(
        eventually { processIsGone(pid) }, "the server \(pid) still runs",
        sourceLocation: sourceLocation)
    }
  }

  @Test func programExitStatusEndsTheAttachedClient() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let client = try s.attach(["-r", "web"], session: id)
      client.type("exit 3\r")
      let status = client.waitForExit()
      #expect(
        status == 3,
        "client status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(
        client.waitForOutput("[\(id) terminated: exit status 3]"),
        "\(client.output.debugDescription)")
      expectSessionGone(s, id)
    }
  }

  @Test func programKilledBySignalEndsTheAttachedClient() throws {
    try withSandbox { s in
      let pidFile = s.root + "/program.pid"
      let id = try s.startDetached("web", ["sh", "-c", "echo $$ > \(pidFile); exec sleep 1000"])
      var programPid: pid_t = 0
      #expect(
        eventually {
          programPid =
            pid_t(
              ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)) ?? 0
          return programPid > 0
        })
      let client = try s.attach(["-r", "web"], session: id)
      #expect(kill(programPid, SIGTERM) == 0)
      let status = client.waitForExit()
      #expect(
        status == 143,
        "client status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(
        client.waitForOutput("[\(id) terminated: killed by SIGTERM (143)]"),
        "\(client.output.debugDescription)")
      expectSessionGone(s, id)
    }
  }
}
