// berth --status as a user sees it: a row per window with its program's
// state, the same as one JSON document, and the sessions that ended with
// nobody attached until -wipe removes their records.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// `berth --status --json`, parsed.
  private func statusJSON(_ s: Sandbox, _ extra: [String] = []) throws -> [String: Any] {
    let r = s.berth(["--status", "--json"] + extra)
    try #require(r.status == 0, "\(r)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    return try #require(object as? [String: Any], "\(r.stdout)")
  }

  private func ended(_ status: [String: Any]) -> [[String: Any]] {
    status["ended"] as? [[String: Any]] ?? []
  }

  @Test func statusShowsEachWindowsProgramInEightyColumns() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["--restart=always", "sh", "-c", "sleep 100"])
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "spare", "1", "sleep", "200"]).status == 0)
      let r = s.berth(["--status"])
      #expect(r.status == 0, "\(r)")
      let lines = r.stdoutLines
      // Columns as wide as their widest field: the command gets the rest.
      let header = try #require(lines.first, "\(r)")
      #expect(
        header.split(separator: " ")
          == ["SESSION", "WINDOW", "STATE", "PID", "UPTIME", "RST", "LAST", "POLICY", "COMMAND"],
        "\(r)")
      #expect(lines.allSatisfy { $0.count <= 80 }, "\(r)")
      let web = try #require(lines.first { $0.hasPrefix("web     0 sh") }, "\(r)")
      #expect(web.contains(" running "), "\(web)")
      #expect(web.contains(" always "), "\(web)")
      #expect(web.hasSuffix("sh -c sleep 100"), "\(web)")
      let spare = try #require(lines.first { $0.hasPrefix("web     1 spare") }, "\(r)")
      #expect(spare.contains(" running "), "\(spare)")
      #expect(spare.contains(" no "), "\(spare)")
      #expect(spare.hasSuffix(" sleep 200"), "\(spare)")
      // A long command is cut to the 80 columns, with ~.
      let long = "echo " + String(repeating: "x", count: 100) + "; sleep 300"
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "long", "sh", "-c", long]).status == 0)
      let wide = s.berth(["--status"]).stdoutLines
      #expect(wide.allSatisfy { $0.count <= 80 }, "\(wide)")
      #expect(wide.contains { $0.hasPrefix("web     2 long") && $0.hasSuffix("~") }, "\(wide)")
      // -ls stays screen's.
      #expect(s.berth(["-ls"]).stdoutLines.count == 3)
    }
  }

  @Test func statusJSONHasTheIssuesKeysAndTypes() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "web", ["--restart=always", "--restart-limit=5", "sh", "-c", "sleep 100"])
      #expect(s.berth(["-S", id, "-X", "zombie", "kr"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "quick", "sh", "-c", "exit 3"]).status == 0)
      let status = try statusJSON(s, ["web"])
      let sessions = try #require(status["sessions"] as? [[String: Any]], "\(status)")
      #expect(ended(status).isEmpty)
      let session = try #require(sessions.first)
      #expect(session["name"] as? String == "web")
      #expect(session["pid"] as? Int == Int(id.split(separator: ".")[0]))
      #expect(session["attached"] as? Int == 0)
      let windows = try #require(session["windows"] as? [[String: Any]])
      try #require(windows.count == 2, "\(windows)")
      let web = windows[0]
      #expect(web["number"] as? Int == 0)
      #expect(web["title"] as? String == "sh")
      #expect(web["state"] as? String == "running")
      #expect((web["pid"] as? Int ?? 0) > 0)
      #expect(web["uptime"] is Int)
      #expect(web["restarts"] as? Int == 0)
      #expect(web["restart"] as? String == "always")
      #expect(web["restart_limit"] as? Int == 5)
      #expect(web["last_exit"] is NSNull)
      #expect(web["command"] as? [String] == ["sh", "-c", "sleep 100"])
      #expect(web["cwd"] as? String == s.work)
      // A window kept after its end (zombie) is `exited`, with how it ended.
      #expect(
        eventually {
          let w = (try? statusJSON(s))
            .flatMap { ($0["sessions"] as? [[String: Any]])?.first?["windows"] as? [[String: Any]] }
          return w?.last?["state"] as? String == "exited"
        })
      let quick = try #require(
        (try statusJSON(s)["sessions"] as? [[String: Any]])?.first?["windows"]
          as? [[String: Any]])
      let last = try #require(quick.last?["last_exit"] as? [String: Any], "\(quick)")
      #expect(last["code"] as? Int == 3)
      #expect(last["signal"] is NSNull)
      #expect(quick.last?["pid"] is NSNull)
    }
  }

  @Test func anEndedDetachedSessionIsShownUntilWipe() throws {
    try withSandbox { s in
      let id = try s.startDetached("job", ["sh", "-c", "read x; exit 3"])
      #expect(s.berth(["-S", id, "-X", "stuff", "\\n"]).status == 0)
      expectSessionGone(s, id)
      let r = s.berth(["--status"])
      #expect(r.status == 0, "\(r)")
      #expect(
        r.stdoutLines.first?.split(separator: " ")
          == ["SESSION", "STATE", "PID", "ENDED", "RAN", "EXIT", "REASON"], "\(r)")
      let row = try #require(r.stdoutLines.first { $0.hasPrefix("job ") }, "\(r)")
      #expect(row.contains(" ended \(id.split(separator: ".")[0]) "), "\(row)")
      #expect(row.contains(" exit 3 "), "\(row)")
      let record = try #require(ended(try statusJSON(s)).first)
      #expect(record["name"] as? String == "job")
      #expect(record["pid"] as? Int == Int(id.split(separator: ".")[0]))
      #expect(record["ran"] is Int)
      let when = try #require(record["ended"] as? String)
      #expect(ISO8601DateFormatter().date(from: when) != nil, "\(when)")
      let exit = try #require(record["exit"] as? [String: Any])
      #expect(exit["code"] as? Int == 3)
      #expect(exit["signal"] is NSNull)
      // The record is private to its user.
      var st = stat()
      #expect(stat(s.socketDir + "/ended/" + id, &st) == 0)
      #expect(st.st_mode & 0o777 == 0o600)
      #expect(stat(s.socketDir + "/ended", &st) == 0 && st.st_mode & 0o777 == 0o700)
      // -wipe removes it, its output screen's.
      let wipe = s.berth(["-wipe"])
      #expect(wipe.stdoutLines == ["No Sockets found in \(s.socketDir)."], "\(wipe)")
      #expect(ended(try statusJSON(s)).isEmpty)
      #expect(s.berth(["--status"]).stdoutLines == ["No sessions."])
    }
  }

  @Test func aProgramKilledBySignalIsRecordedByTheSignalsName() throws {
    try withSandbox { s in
      let id = try s.startDetached("killed", ["sh", "-c", "read x; kill -KILL $$"])
      #expect(s.berth(["-S", id, "-X", "stuff", "\\n"]).status == 0)
      expectSessionGone(s, id)
      let record = try #require(ended(try statusJSON(s, ["killed"])).first)
      let exit = try #require(record["exit"] as? [String: Any])
      #expect(exit["code"] is NSNull)
      #expect(exit["signal"] as? String == "SIGKILL")
      let row = s.berth(["--status", "killed"]).stdoutLines.last ?? ""
      #expect(row.contains(" SIGKILL "), "\(row)")
    }
  }

  @Test func quitIsRecordedWithoutAnExit() throws {
    try withSandbox { s in
      let id = try s.startDetached("gone", ["sleep", "100"])
      #expect(s.berth(["-S", id, "-X", "quit"]).status == 0)
      expectSessionGone(s, id)
      let record = try #require(ended(try statusJSON(s)).first)
      #expect(record["exit"] is NSNull)
      #expect(record["reason"] as? String == "quit")
    }
  }

  @Test func aWindowWaitingToRestartShowsTheSecondsLeft() throws {
    try withSandbox { s in
      _ = try s.startDetached("flaky", ["--restart=always", "sh", "-c", "exit 3"])
      var row = ""
      #expect(
        eventually {
          row = s.berth(["--status"]).stdoutLines.first { $0.hasPrefix("flaky ") } ?? ""
          return row.contains(" backoff ") && row.contains(" exit 3 ")
        }, "\(row)")
      #expect(row.range(of: #" backoff [0-9]+s "#, options: .regularExpression) != nil, "\(row)")
    }
  }

  @Test func aSessionThatDoesNotAnswerIsUnreachableNotAHang() throws {
    try withSandbox { s in
      let id = try s.startDetached("stuck", ["sleep", "100"])
      let server = pid_t(id.split(separator: ".")[0]) ?? 0
      kill(server, SIGSTOP)
      defer { kill(server, SIGCONT) }
      let started = monotonicSeconds()
      let r = s.berth(["--status"], timeout: 15)
      #expect(monotonicSeconds() - started < 8, "\(r)")
      #expect(r.status == 0, "\(r)")
      let row = r.stdoutLines.first { $0.hasPrefix("stuck ") } ?? ""
      #expect(row.contains(" unreachable "), "\(r)")
    }
  }

  @Test func statusOfNoSuchSessionIsAnError() throws {
    try withSandbox { s in
      let r = s.berth(["--status", "NOSUCH"])
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout.isEmpty)
      #expect(r.stderr == "berth: no session matching NOSUCH, running, ended or saved\n", "\(r)")
      let json = s.berth(["-ls", "--json"])
      #expect(json.status == 2 && json.stderr.contains("--json goes with --status"), "\(json)")
    }
  }
}
