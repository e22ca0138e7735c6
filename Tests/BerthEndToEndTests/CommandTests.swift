// `berth -X`: commands sent to a running session.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// Starts a session whose program writes its pid to a file; returns both.
  func startWithPid(_ s: Sandbox, _ name: String, then command: String = "exec sleep 1000") throws
    -> (id: String, program: pid_t)
  {
    let pidFile = s.scratchPath("pid")
    let id = try s.startDetached(name, ["sh", "-c", "echo $$ > \(pidFile); \(command)"])
    var pid: pid_t = 0
    eventually {
      pid =
        pid_t(
          ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)) ?? 0
      return pid > 0
    }
    guard pid > 0 else { throw TestFailure("the program of \(id) never wrote its pid") }
    return (id, pid)
  }

  @Test func quitEndsADetachedSessionAndItsProgram() throws {
    try withSandbox { s in
      let (id, program) = try startWithPid(s, "web")
      let r = s.berth(["-S", "web", "-X", "quit"])
      #expect(r.status == 0, "\(r)")
      expectSessionGone(s, id)
      #expect(eventually { processIsGone(program) }, "the program \(program) still runs after quit")
    }
  }

  @Test func stuffTypesIntoTheProgramWithScreensEscapes() throws {
    try withSandbox { s in
      let id = try startBash(s)
      for (argument, line) in [
        ("echo newline-$((40+1))\\n", "newline-41"),
        ("echo caret-$((40+2))^M", "caret-42"),
        ("echo octal-$((40+3))\\015", "octal-43"),
      ] {
        let r = s.berth(["-S", "web", "-X", "stuff", argument])
        #expect(r.status == 0, "\(r)")
        let shown = s.waitForLine(id, line)
        #expect(shown.ok, "stuff \(argument.debugDescription): \(shown.screen)")
      }
    }
  }

  @Test func hardcopyWritesTheScreenRelativeToWhereBerthRan() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sh", "-c", "echo screen-$((6+6)); exec sleep 1000"])
      #expect(s.waitForLine(id, "screen-12").ok)
      let elsewhere = s.root + "/elsewhere"
      #expect(mkdir(elsewhere, 0o700) == 0)
      let r = s.berth(["-S", "web", "-X", "hardcopy", "relative.txt"], directory: elsewhere)
      #expect(r.status == 0, "\(r)")
      let text = try #require(
        try? String(contentsOfFile: elsewhere + "/relative.txt", encoding: .utf8),
        "no relative.txt in the directory berth -X ran in")
      let lines = screenLines(text)
      #expect(lines.first == "screen-12", "\(text)")
      #expect(
        !lines.contains { $0.contains("\u{1B}") },
        "hardcopy holds escape sequences: \(text.debugDescription)")
      #expect(!FileManager.default.fileExists(atPath: s.work + "/relative.txt"))

      let h = s.berth(["-S", "web", "-X", "hardcopy", "-h", "history.txt"], directory: elsewhere)
      #expect(h.status == 0, "\(h)")
      let withHistory = try? String(contentsOfFile: elsewhere + "/history.txt", encoding: .utf8)
      #expect(
        withHistory.map { screenLines($0).contains("screen-12") } == true,
        "\(withHistory ?? "no history.txt")")
    }
  }

  @Test func hardcopyWithHistoryIncludesLinesThatScrolledOff() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sh", "-c", "seq 1 200; exec sleep 1000"])
      let end = s.waitForLine(id, "200")
      #expect(end.ok, "\(end.screen)")
      let visible = screenLines(end.screen)
      #expect(
        !visible.contains("1") && !visible.contains("100"),
        "the plain hardcopy holds history: \(end.screen)")

      let history = try #require(s.screen(id, history: true), "hardcopy -h failed")
      let numbers = screenLines(history).filter { !$0.isEmpty }
      #expect(numbers == (1...200).map(String.init), "\(history)")
    }
  }

  @Test func unknownCommandFailsWithAOneLineError() throws {
    try withSandbox { s in
      _ = try s.startDetached("web", ["sleep", "1000"])
      let r = s.berth(["-S", "web", "-X", "frobnicate", "now"])
      expectOneLineError(r)
      #expect(r.stderr.contains("frobnicate"), "\(r)")
    }
  }

  @Test func commandWithNoSessionSaysNoScreenSessionFound() throws {
    try withSandbox { s in
      let r = s.berth(["-X", "quit"])
      #expect(r.status == 1, "\(r)")
      #expect((r.stdoutLines + r.stderrLines) == ["No screen session found."], "\(r)")

      let named = s.berth(["-S", "nosuch", "-X", "quit"])
      #expect(named.status == 1, "\(named)")
      #expect((named.stdoutLines + named.stderrLines) == ["No screen session found."], "\(named)")
    }
  }
}

/// A failure as berth reports one: a non-zero status and one `berth: ...` line on stderr.
func expectOneLineError(_ r: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(!r.timedOut, "\(r)", sourceLocation: sourceLocation)
  #expect(r.status != 0, "\(r)", sourceLocation: sourceLocation)
  #expect(r.stderrLines.count == 1, "\(r)", sourceLocation: sourceLocation)
  #expect(r.stderr.hasPrefix("berth: "), "\(r)", sourceLocation: sourceLocation)
}
