// Process care as a user sees it: --restart policies start a program again
// in the same window after a backoff, the end is reported in the window's
// history, and stop, start, restart and signal control the program.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// The lines of a file a test's program appends to (nil lines: none yet).
  private func fileLines(_ path: String) -> [String] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
      .split(separator: "\n").map(String.init)
  }

  /// The window's screen with its history, as `hardcopy -h` writes it.
  private func history(_ s: Sandbox, _ id: String) -> String {
    s.screen(id, history: true) ?? ""
  }

  @Test func onFailureRestartsAfterOneTwoAndFourSeconds() throws {
    try withSandbox { s in
      let runs = s.scratchPath("runs")
      let id = try s.startDetached(
        "care",
        [
          "--restart=on-failure", "sh", "-c",
          "echo run; date +%s.%N >> \(runs); exit 3",
        ])
      #expect(eventually(timeout: 15) { fileLines(runs).count >= 4 }, "\(fileLines(runs))")
      let times = fileLines(runs).prefix(4).compactMap(Double.init)
      try #require(times.count == 4, "\(fileLines(runs))")
      let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
      #expect((0.8...1.6).contains(gaps[0]), "\(gaps)")
      #expect((1.8...2.8).contains(gaps[1]), "\(gaps)")
      #expect((3.6...5.0).contains(gaps[2]), "\(gaps)")
      // Each run's output stays in the history, followed by how it ended.
      let text = history(s, id)
      for line in [
        "=== exit 3; restart 1 in 1 s ===", "=== exit 3; restart 2 in 2 s ===",
        "=== exit 3; restart 3 in 4 s ===",
      ] {
        #expect(text.contains(line), "\(text)")
      }
      #expect(text.components(separatedBy: "run\n").count - 1 >= 4, "\(text)")
    }
  }

  @Test func alwaysRestartsACleanExitAndNoLetsTheSessionEnd() throws {
    try withSandbox { s in
      let runs = s.scratchPath("runs")
      let id = try s.startDetached(
        "always", ["--restart=always", "sh", "-c", "echo x >> \(runs); exit 0"])
      #expect(eventually(timeout: 5) { fileLines(runs).count >= 2 }, "\(fileLines(runs))")
      #expect(history(s, id).contains("=== exit 0; restart 1 in 1 s ==="), "\(history(s, id))")
      // defrestart sets it for windows opened after it; the screen command takes it too.
      let more = s.scratchPath("more")
      #expect(s.berth(["-S", id, "-X", "defrestart", "always"]).status == 0)
      #expect(
        s.berth(["-S", id, "-X", "screen", "-t", "more", "sh", "-c", "echo x >> \(more)"]).status
          == 0)
      #expect(eventually(timeout: 5) { fileLines(more).count >= 2 }, "\(fileLines(more))")
      let failing = s.scratchPath("failing")
      #expect(
        s.berth([
          "-S", id, "-X", "screen", "--restart=on-failure", "sh", "-c",
          "echo x >> \(failing); exit 0",
        ]).status == 0)
      #expect(eventually { fileLines(failing).count == 1 })

      // Without a policy (or with no) the program's end ends the session, as in screen.
      let plain = try s.startDetached("plain", ["--restart=no", "sh", "-c", "read x; exit 0"])
      #expect(s.berth(["-S", plain, "-X", "stuff", "\\n"]).status == 0)
      expectSessionGone(s, plain)
    }
  }

  @Test func aProgramKilledFromOutsideIsReportedAndRestartedInTheSameWindow() throws {
    try withSandbox { s in
      let pidFile = s.scratchPath("pid")
      let id = try s.startDetached(
        "killed",
        [
          "-t", "web", "--restart=on-failure", "sh", "-c",
          "echo run $$; echo $$ > \(pidFile); exec sleep 1000",
        ])
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "other", "sleep", "1000"]).status == 0)
      #expect(eventually { Int32(fileLines(pidFile).first ?? "") != nil })
      let first = try #require(Int32(fileLines(pidFile).first ?? ""))
      kill(first, SIGKILL)
      #expect(
        eventually(timeout: 5) {
          Int32(fileLines(pidFile).first ?? "").map { $0 != first } ?? false
        })
      let second = try #require(Int32(fileLines(pidFile).first ?? ""))
      // The same window: number 0, title web, its screen and history kept.
      let file = s.scratchPath("w0")
      _ = s.berth(["-S", id, "-p", "0", "-X", "hardcopy", "-h", file])
      let w0 = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
      #expect(
        w0.contains(
          "run \(first)\n\n=== killed by SIGKILL (137); restart 1 in 1 s ===\nrun \(second)"),
        "\(w0)")
      let number = s.berth(["-S", id, "-p", "web", "-X", "number"])
      #expect(number.stdout == "0 (web)\n", "\(number)")
      kill(second, SIGKILL)
    }
  }

  @Test func theRestartLimitStopsAtFatalUntilStart() throws {
    try withSandbox { s in
      let runs = s.scratchPath("runs")
      let id = try s.startDetached(
        "limit",
        ["--restart=always", "--restart-limit=3", "sh", "-c", "echo x >> \(runs); exit 1"])
      let fatal = "=== exit 1; 3 quick ends in a row: not restarted (start starts it) ==="
      let seen = s.waitForScreen(id, history: true, timeout: 10) { $0.contains(fatal) }
      #expect(seen.ok, "\(seen.screen)")
      #expect(fileLines(runs).count == 3)
      #expect(s.berth(["-S", id, "-X", "start"]).status == 0)
      #expect(eventually { fileLines(runs).count == 4 }, "\(fileLines(runs))")
    }
  }

  @Test func stopEscalatesToSIGKILLAfterStopwaitAndStartRunsItAgain() throws {
    try withSandbox { s in
      let runs = s.scratchPath("runs")
      let id = try s.startDetached(
        "stop",
        [
          "--restart=always", "sh", "-c",
          "trap '' TERM; echo x >> \(runs); echo ready; while :; do sleep 0.1; done",
        ])
      #expect(s.waitForLine(id, "ready").ok)
      expectOneLineError(s.berth(["-S", id, "-X", "start"]))
      #expect(s.berth(["-S", id, "-X", "start"]).stderr == "berth: start: window 0 is running\n")
      #expect(s.berth(["-S", id, "-X", "stopwait", "1"]).status == 0)
      let asked = monotonicSeconds()
      #expect(s.berth(["-S", id, "-X", "stop"]).status == 0)
      let stopped = s.waitForScreen(id, timeout: 8) {
        $0.contains("=== killed by SIGKILL (137); stopped ===")
      }
      let took = monotonicSeconds() - asked
      #expect(stopped.ok, "\(stopped.screen)")
      #expect(took >= 0.9 && took < 4, "\(took)")
      // The window stays, stopped, and is not restarted.
      #expect(s.socketExists(id))
      #expect(fileLines(runs).count == 1)
      #expect(s.berth(["-S", id, "-X", "start"]).status == 0)
      #expect(eventually { fileLines(runs).count == 2 })
      #expect(s.berth(["-S", id, "-X", "stop"]).status == 0)
    }
  }

  @Test func signalReachesTheProgramsTrap() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "signal",
        [
          "--restart=on-failure", "sh", "-c",
          "trap 'echo got HUP' HUP; trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.1; done",
        ])
      #expect(s.waitForLine(id, "ready").ok)
      #expect(s.berth(["-S", id, "-X", "signal", "HUP"]).status == 0)
      #expect(s.waitForLine(id, "got HUP").ok)
      #expect(s.berth(["-S", id, "-X", "signal", "SIGUSR1"]).status == 0)
      #expect(s.waitForLine(id, "got USR1").ok)
      expectOneLineError(s.berth(["-S", id, "-X", "signal", "NOPE"]))
      expectOneLineError(s.berth(["-S", id, "-X", "signal"]))
      #expect(s.berth(["-S", id, "-X", "signal", "9"]).status == 0)
      #expect(s.waitForLine(id, "=== killed by SIGKILL (137); restart 1 in 1 s ===").ok)
    }
  }

  @Test func badRestartInputIsRefusedWithOneLine() throws {
    try withSandbox { s in
      for bad in [["--restart=sometimes"], ["--restart-limit=-1"], ["--restart-limit=x"]] {
        let r = s.berth(["-dmS", "bad"] + bad + ["sh", "-c", "sleep 100"])
        expectOneLineError(r)
        #expect(s.sessionID("bad") == nil)
      }
      let id = try s.startDetached("good", ["sh", "-c", "echo up; exec sleep 1000"])
      for command in [
        ["defrestart", "sometimes"], ["defrestart"], ["defrestartlimit", "-2"],
        ["defrestartlimit", "many"], ["stopwait", "-1"], ["stopwait", "abc"],
        ["screen", "--restart=never", "sh"], ["screen", "--restart-limit=1e3", "sh"],
      ] {
        expectOneLineError(s.berth(["-S", id, "-X"] + command))
      }
      #expect(s.berth(["-S", id, "-X", "windows"]).stdout == "0 sh\n")
      #expect(s.berth(["-S", id, "-X", "defrestartlimit", "off"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "stopwait", "0"]).status == 0)
    }
  }

  @Test func anIdleSessionWithAPolicyUsesNoCPU() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "idle", ["--restart=always", "sh", "-c", "echo up; exec sleep 1000"])
      #expect(s.waitForLine(id, "up").ok)
      let pid = try #require(Int32(id.split(separator: ".")[0]))
      // utime + stime, in clock ticks: fields 14 and 15 of /proc/PID/stat.
      func ticks() -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Int(fields[11]), let k = Int(fields[12]) else {
          return nil
        }
        return u + k
      }
      let before = try #require(ticks())
      let start = monotonicSeconds()
      while monotonicSeconds() - start < 2 { usleep(100_000) }
      let after = try #require(ticks())
      #expect(after - before <= 1, "\(after - before) ticks in 2 s")
    }
  }

  @Test func anAttachedClientTypesIntoTheRestartedProgramAndIsTold() throws {
    try withSandbox { s in
      let pids = s.scratchPath("pids")
      let id = try s.startDetached(
        "typing",
        [
          "--restart=always", "sh", "-c",
          "echo $$ >> \(pids); echo ready $$; read line; echo \"got $line\"; printf '\\033[?1049h'; exit 0",
        ])
      #expect(eventually { fileLines(pids).count == 1 })
      #expect(s.waitForLine(id, "ready \(fileLines(pids).first ?? "")").ok)
      let client = try s.attach(["-r", "typing"], session: id)
      client.type("first\r")
      #expect(s.waitForLine(id, "got first").ok)
      #expect(
        client.waitForOutput("Window 0 (sh): exit 0; restart 1 in 1 s"),
        "\(client.output.debugDescription)")
      // The program left the alternate screen on: the report and the next
      // run are on the main screen, below the last run's lines.
      #expect(eventually(timeout: 5) { fileLines(pids).count == 2 })
      let again = s.waitForLine(id, "ready \(fileLines(pids).last ?? "")")
      #expect(again.ok, "\(again.screen)")
      #expect(again.screen.contains("got first"), "\(again.screen)")
      client.type("second\r")
      #expect(s.waitForLine(id, "got second").ok, "\(client.output.debugDescription)")
    }
  }

  @Test func killClosesTheWindowWhateverItsPolicyAndEscalatesAfterStopwait() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "kill",
        [
          "-t", "stubborn", "--restart=always", "sh", "-c",
          "trap '' HUP; echo ready; while :; do sleep 0.1; done",
        ])
      #expect(s.waitForLine(id, "ready").ok)
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "other", "sleep", "1000"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "stopwait", "1"]).status == 0)
      let windows = { s.berth(["-S", id, "-X", "windows"]).stdout }
      #expect(windows() == "0 stubborn  1 other\n", "\(windows())")
      let asked = monotonicSeconds()
      #expect(s.berth(["-S", id, "-p", "0", "-X", "kill"]).status == 0)
      #expect(eventually(timeout: 5) { windows() == "1 other\n" }, "\(windows())")
      #expect(monotonicSeconds() - asked >= 0.9, "SIGHUP is ignored: SIGKILL after stopwait")
      // A window waiting for its restart goes at once.
      #expect(
        s.berth(["-S", id, "-X", "screen", "-t", "failing", "--restart=always", "false"]).status
          == 0)
      let waiting = s.waitForScreen(id) { $0.contains("=== exit 1; restart 1 in 1 s ===") }
      #expect(waiting.ok, "\(waiting.screen)")
      #expect(s.berth(["-S", id, "-p", "failing", "-X", "kill"]).status == 0)
      #expect(eventually(timeout: 5) { windows() == "1 other\n" }, "\(windows())")
    }
  }

  @Test func quitEndsTheSessionWithoutRestartingItsPrograms() throws {
    try withSandbox { s in
      let pids = s.scratchPath("pids")
      let id = try s.startDetached(
        "quit", ["--restart=always", "sh", "-c", "echo $$ >> \(pids); exec sleep 1000"])
      #expect(eventually { fileLines(pids).count == 1 })
      let client = try s.attach(["-r", "quit"], session: id)
      #expect(s.berth(["-S", id, "-X", "quit"]).status == 0)
      #expect(client.waitForExit() != nil)
      expectSessionGone(s, id)
      #expect(fileLines(pids).count == 1, "\(fileLines(pids))")
      let program = try #require(Int32(fileLines(pids).first ?? ""))
      #expect(eventually { processIsGone(program) })
    }
  }

  @Test func quitKillsAProgramThatIgnoresSIGHUPAfterStopwait() throws {
    try withSandbox { s in
      let pidFile = s.scratchPath("pid")
      let id = try s.startDetached(
        "deaf", ["sh", "-c", "trap '' HUP; echo $$ > \(pidFile); while :; do sleep 0.1; done"])
      #expect(eventually { Int32(fileLines(pidFile).first ?? "") != nil })
      let program = try #require(Int32(fileLines(pidFile).first ?? ""))
      #expect(s.berth(["-S", id, "-X", "stopwait", "1"]).status == 0)
      let asked = monotonicSeconds()
      #expect(s.berth(["-S", id, "-X", "quit"]).status == 0)
      #expect(eventually { processIsGone(program) }, "the program \(program) outlived its session")
      #expect(monotonicSeconds() - asked >= 0.9, "SIGKILL only after stopwait")
      expectSessionGone(s, id)
    }
  }
}
