// screen's command line as scripts and dotfiles use it, run through a
// symbolic link named `screen`: inside a session ($STY, $WINDOW, -X to the
// enclosing session, no attaching to itself), -D -m in the foreground,
// options in screen's order around -X, one socket directory whatever the
// environment, -q's exit statuses, and the date on every -ls line.
import BerthSystem
import Foundation
import Glibc
import Testing

extension Sandbox {
  /// A directory holding `screen`, a symbolic link to the berth under test.
  var screenBin: String {
    let bin = root + "/bin"
    if !FileManager.default.fileExists(atPath: bin + "/screen") {
      mkdir(bin, 0o700)
      symlink(berthBinary, bin + "/screen")
    }
    return bin
  }

  /// PATH with `screen` first, for programs in sessions and for `screen` itself.
  var screenPath: [String: String] {
    ["PATH": screenBin + ":" + (variables["PATH"] ?? "/usr/bin:/bin")]
  }

  /// Runs `screen arguments...` (the link) without a terminal, as berth() runs berth.
  func runScreen(
    _ arguments: [String], environment extra: [String: String] = [:], removing: [String] = [],
    timeout: Double = 20
  ) -> RunResult {
    berth(
      arguments, environment: screenPath.merging(extra) { $1 }, removing: removing,
      timeout: timeout, program: screenBin + "/screen")
  }

  /// The title of the session's window `window`, as `-Q title` answers.
  func title(of session: String, window: String = "0") -> String {
    let answer = runScreen(["-S", session, "-p", window, "-Q", "title"]).stdout
    return answer.hasSuffix("\n") ? String(answer.dropLast()) : answer
  }
}

/// The pid a session's PID.NAME begins with.
func pidOf(_ id: String) -> pid_t {
  pid_t(id.prefix { $0 != "." }) ?? 0
}

extension EndToEnd {
  // MARK: - Inside a session

  @Test func windowsGetStyAndWindowAsScreensDo() throws {
    try withSandbox { s in
      let file = s.scratchPath("vars")
      let show = "echo \"STY=$STY WINDOW=$WINDOW BERTH=$BERTH\" >> \(file); exec sleep 1000"
      let id = try s.startDetached("vars", ["sh", "-c", show])
      #expect(s.berth(["-S", id, "-X", "screen", "sh", "-c", show]).status == 0)
      let socket = s.socketDir + "/" + id
      var lines: [String] = []
      #expect(
        eventually {
          lines = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
          return lines.count == 2
        })
      #expect(
        Set(lines) == [
          "STY=\(id) WINDOW=0 BERTH=\(socket)", "STY=\(id) WINDOW=1 BERTH=\(socket)",
        ], "\(lines)")
    }
  }

  @Test func screenXInsideASessionRetitlesThatSessionEvenWithOthersAround() throws {
    try withSandbox { s in
      let other = try s.startDetached("other", ["sleep", "1000"])
      let id = try s.startDetached(
        "main", ["sh", "-c", "screen -X title inner; echo \"x-done $?\"; exec sleep 1000"],
        environment: s.screenPath)
      #expect(s.waitForLine(id, "x-done 0").ok, "\(s.screen(id) ?? "")")
      #expect(s.title(of: id) == "inner")
      #expect(s.title(of: other) == "sleep", "the other session was retitled")
    }
  }

  @Test func bashrcIdiomDoesNothingInsideASession() throws {
    try withSandbox { s in
      // ~/.bashrc: [ -z "$STY" ] && exec screen -xRR main
      let id = try s.startDetached(
        "main",
        [
          "bash", "--norc", "--noprofile", "-c",
          "[ -z \"$STY\" ] && exec screen -xRR main; echo \"kept-shell STY=$STY\"; exec sleep 1000",
        ], environment: s.screenPath)
      #expect(s.waitForLine(id, "kept-shell STY=\(id)").ok, "\(s.screen(id) ?? "")")
      #expect(s.state(of: id) == "Detached")
    }
  }

  @Test func attachingToTheSessionOneRunsInIsRefusedAtOnce() throws {
    try withSandbox { s in
      let script = """
        screen -xRR main; echo "xRR=$?"
        screen -x main; echo "x=$?"
        screen -r; echo "r=$?"
        env -i PATH="$PATH" BERTHDIR="$BERTHDIR" screen -x main; echo "envi=$?"
        exec sleep 1000
        """
      let id = try s.startDetached("main", ["sh", "-c", script], environment: s.screenPath)
      let shown = s.waitForScreen(id) { $0.contains("envi=1") }
      #expect(shown.ok, "a client attaching to its own session hangs: \(shown.screen)")
      let lines = screenLines(shown.screen)
      let refusal = "berth: cannot attach to \(id) from inside it (this runs in that session)"
      // -r too: the session is detached, so -r would pick it.
      #expect(lines.filter { $0 == refusal }.count == 4, "\(shown.screen)")
      for status in ["xRR=1", "x=1", "r=1", "envi=1"] {
        #expect(lines.contains(status), "\(shown.screen)")
      }
      #expect(s.state(of: id) == "Detached", "some client attached: \(s.berth(["-ls"]))")
    }
  }

  @Test func xRRAttachesOrCreatesAndTakesTheFirstOfSeveral() throws {
    try withSandbox { s in
      let made = try s.terminal(["-xRR", "main"])
      #expect(eventually { s.sessionID("main").map { s.state(of: $0) == "Attached" } ?? false })
      made.type([0x01, UInt8(ascii: "d")])
      #expect(made.waitForExit() == 0, "\(made.output.debugDescription)")
      let main = try #require(s.sessionID("main"))
      let again = try s.attach(["-xRR", "main"], session: main)
      again.type([0x01, UInt8(ascii: "d")])
      #expect(again.waitForExit() == 0)
      #expect(eventually { s.state(of: main) == "Detached" })

      // -RR with several detached sessions: the first listed, not a list and a failure.
      let second = try s.startDetached("second", ["sleep", "1000"])
      let first = [main, second].sorted()[0]
      let client = try s.attach(["-RR"], session: first)
      #expect(s.state(of: [main, second].sorted()[1]) == "Detached")
      client.type([0x01, UInt8(ascii: "d")])
      #expect(client.waitForExit() == 0)
    }
  }

  // MARK: - -D -m in the foreground

  /// Starts `screen -DmS name argv` as a child of the test; returns its pid.
  private func startForeground(_ s: Sandbox, _ name: String, _ argv: [String]) throws -> pid_t {
    try spawnWithoutTerminal(
      [s.screenBin + "/screen", "-DmS", name] + argv, environment: s.environment(s.screenPath),
      directory: s.work, stdoutPath: s.scratchPath("stdout"), stderrPath: s.scratchPath("stderr"))
  }

  /// A program that writes `got-HUP` to `file` when hung up.
  private func hangUpRecorder(_ file: String) -> [String] {
    [
      "sh", "-c",
      "trap 'echo got-HUP > \(file); exit 1' HUP; echo ready; while :; do sleep 1; done",
    ]
  }

  @Test func dmSStaysInTheForegroundUntilQuitAndExitsZero() throws {
    try withSandbox { s in
      let file = s.scratchPath("hup")
      let pid = try startForeground(s, "svc", hangUpRecorder(file))
      var exited: Int32?
      defer { if exited == nil { killAndReap(pid) } }
      let id = "\(pid).svc"
      #expect(eventually { s.state(of: id) == "Detached" }, "\(s.berth(["-ls"]))")
      #expect(s.waitForLine(id, "ready").ok)
      // Still running: the caller's wait has not returned.
      var status: Int32 = 0
      #expect(waitpid(pid, &status, WNOHANG) == 0)

      let quit = s.runScreen(["-X", "-S", "svc", "quit"])
      #expect(quit.status == 0, "\(quit)")
      exited = waitForExit(pid, timeout: 10)
      #expect(exited == 0)
      #expect(!s.socketExists(id))
      #expect(eventually { (try? String(contentsOfFile: file, encoding: .utf8)) == "got-HUP\n" })
    }
  }

  @Test(arguments: [SIGTERM, SIGHUP])
  func signalToTheForegroundServerEndsTheSessionCleanly(_ signal: Int32) throws {
    try withSandbox { s in
      let file = s.scratchPath("hup")
      let pid = try startForeground(s, "svc", hangUpRecorder(file))
      var exited: Int32?
      defer { if exited == nil { killAndReap(pid) } }
      let id = "\(pid).svc"
      #expect(s.waitForLine(id, "ready").ok, "\(s.berth(["-ls"]))")
      #expect(kill(pid, signal) == 0)
      exited = waitForExit(pid, timeout: 10)
      #expect(exited == 0)
      #expect(!s.socketExists(id), "\(s.socketNames())")
      #expect(eventually { (try? String(contentsOfFile: file, encoding: .utf8)) == "got-HUP\n" })
      #expect(s.berth(["-ls"]).status == 1)
    }
  }

  /// The process -D -m started is the session's keeper: its server, a
  /// child, killed outright comes back, and the process stays.
  @Test func dmSOutlivesItsServerKilledWithSIGKILL() throws {
    try withSandbox { s in
      let file = s.scratchPath("hup")
      let pid = try startForeground(s, "svc", hangUpRecorder(file))
      var exited: Int32?
      defer { if exited == nil { killAndReap(pid) } }
      let id = "\(pid).svc"
      #expect(s.waitForLine(id, "ready").ok, "\(s.berth(["-ls"]))")
      let children = { () -> [pid_t] in
        ((try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8))
          ?? "").split(separator: " ").compactMap { pid_t($0) }
      }
      let server = try #require(children().first)
      #expect(kill(server, SIGKILL) == 0)
      #expect(eventually { s.screen(id)?.contains("after SIGKILL;") == true })
      #expect(eventually { children().first.map { $0 != server } == true })
      var status: Int32 = 0
      #expect(waitpid(pid, &status, WNOHANG) == 0, "the -D -m process ended")
      // Its program was never hung up; SIGTERM still ends the session cleanly.
      #expect(!FileManager.default.fileExists(atPath: file))
      #expect(kill(pid, SIGTERM) == 0)
      exited = waitForExit(pid, timeout: 10)
      #expect(exited == 0)
      #expect(eventually { (try? String(contentsOfFile: file, encoding: .utf8)) == "got-HUP\n" })
    }
  }

  @Test func dmSExitsZeroWhenItsProgramEndsAndReportsAFailedStart() throws {
    try withSandbox { s in
      let r = s.runScreen(["-DmS", "short", "sh", "-c", "exit 3"])
      #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
      let missing = s.runScreen(["-DmS", "missing", "no-such-program-here"])
      #expect(missing.status == 127, "\(missing)")
      #expect(
        missing.stderrLines == ["berth: no-such-program-here: command not found"], "\(missing)")
      #expect(s.socketNames().isEmpty, "\(s.socketNames())")
    }
  }

  // MARK: - Options around -X

  @Test func optionsComeInScreensOrderAroundX() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sleep", "1000"])
      _ = try s.startDetached("other", ["sleep", "1000"])
      #expect(s.berth(["-S", "web", "-X", "screen", "sleep", "1000"]).status == 0)
      let pid = String(pidOf(id))
      let cases: [[String]] = [
        ["-X", "-S", "web", "-p", "1", "title", "t-one"],
        ["-S", "web", "-X", "-p", "0", "title", "t-two"],
        ["-r", "web", "-X", "title", "t-three"],
        ["-x", "web", "-X", "title", "t-four"],
        ["-x", pid, "-X", "title", "t-five"],
        ["-d", "web", "-X", "title", "t-six"],
        ["-dr", "-S", "web", "-X", "title", "t-seven"],
      ]
      for args in cases {
        let r = s.runScreen(args)
        #expect(r.status == 0, "\(r)")
        let windows = s.runScreen(["-S", "web", "-Q", "windows"])
        #expect(windows.stdout.contains(args.last ?? ""), "\(args) did not reach web: \(windows)")
      }
      #expect(s.title(of: id, window: "1") != "sleep" && s.title(of: id, window: "0") != "sleep")
      #expect(s.title(of: "other") == "sleep")
      #expect(s.state(of: id) == "Detached", "-d or -r with -X attached or detached something")

      let quit = s.runScreen(["-X", "-S", "web", "quit"])
      #expect(quit.status == 0 && quit.stdout.isEmpty, "\(quit)")
      #expect(eventually { !s.socketExists(id) })
      #expect(s.runScreen(["-X"]).status == 2)
    }
  }

  @Test func rNameXStuffTypesIntoThatSession() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["cat"])
      _ = try s.startDetached("other", ["cat"])
      let r = s.runScreen(["-r", "web", "-X", "stuff", "typed-by-stuff\\n"])
      #expect(r.status == 0, "\(r)")
      #expect(s.waitForLine(id, "typed-by-stuff").ok, "\(s.screen(id) ?? "")")
    }
  }

  // MARK: - One socket directory

  /// Runs `berth args` with exactly `variables` (no sandbox BERTHDIR).
  private func runClean(_ s: Sandbox, _ variables: [String: String], _ args: [String]) -> RunResult
  {
    let out = s.scratchPath("stdout")
    let err = s.scratchPath("stderr")
    var r = RunResult(arguments: args, status: -1, stdout: "", stderr: "", timedOut: false)
    guard
      let pid = try? spawnWithoutTerminal(
        [berthBinary] + args, environment: variables.map { "\($0.key)=\($0.value)" },
        directory: s.work, stdoutPath: out, stderrPath: err)
    else { return r }
    if let status = waitForExit(pid, timeout: 20) { r.status = status } else { killAndReap(pid) }
    r.stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    r.stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
    return r
  }

  @Test func sessionsAreFoundWhateverTheEnvironment() throws {
    try withSandbox { s in
      // The default directory, shared with the user's real sessions: act
      // only by these unique names and end them by pid.
      let unique = "e2e-\(getpid())-\(Int(monotonicSeconds() * 1000) % 1_000_000)"
      let xdg = s.root + "/xdg"
      #expect(mkdir(xdg, 0o700) == 0)
      let path = s.variables["PATH"] ?? "/usr/bin:/bin"
      let cron = ["HOME": s.home, "PATH": path]  // env -i, cron @reboot, a service
      let login = ["HOME": s.home, "PATH": path, "XDG_RUNTIME_DIR": xdg, "TERM": "xterm"]
      var pids: [pid_t] = []
      defer {
        for p in pids { kill(p, SIGTERM) }
        eventually(timeout: 3) { pids.allSatisfy(processIsGone) }
        for p in pids where !processIsGone(p) { kill(p, SIGKILL) }
      }
      for (starter, finder, name) in [(cron, login, unique + "-a"), (login, cron, unique + "-b")] {
        let started = runClean(s, starter, ["-dmS", name, "sleep", "1000"])
        #expect(started.status == 0, "\(started)")
        let ls = runClean(s, finder, ["-ls", name])
        let line = ls.stdoutLines.first { $0.hasPrefix("\t") && $0.contains(".\(name)\t") }
        let id = try #require(line?.split(separator: "\t").first.map(String.init), "\(ls)")
        pids.append(pidOf(id))
        #expect(isListLine(line ?? "", id: id, state: "Detached"), "\(ls)")
        #expect(ls.stdoutLines.last == "1 Socket in /tmp/berth-\(getuid()).", "\(ls)")
        let windows = runClean(s, finder, ["-S", id, "-X", "windows"])
        #expect(windows.status == 0 && windows.stdout.contains("sleep"), "\(windows)")
        #expect(runClean(s, finder, ["-S", id, "-X", "quit"]).status == 0)
        #expect(eventually { processIsGone(pidOf(id)) })
      }
    }
  }

  @Test func sessionsOfAnOlderBerthInXdgRuntimeDirAreStillFound() throws {
    try withSandbox { s in
      // berth 0.1 put sockets in $XDG_RUNTIME_DIR/berth.
      let xdg = s.root + "/xdg"
      #expect(mkdir(xdg, 0o700) == 0)
      let started = s.berth(
        ["-dmS", "olden", "sh", "-c", "echo from-before; exec sleep 1000"],
        environment: ["BERTHDIR": xdg + "/berth"])
      #expect(started.status == 0, "\(started)")
      let old = try #require(
        (try? FileManager.default.contentsOfDirectory(atPath: xdg + "/berth"))?.first)
      let now = ["BERTHDIR": "", "XDG_RUNTIME_DIR": xdg]
      let ls = s.berth(["-ls", "olden"], environment: now)
      #expect(ls.status == 0, "\(ls)")
      #expect(ls.stdoutLines.contains { isListLine($0, id: old, state: "Detached") }, "\(ls)")
      #expect(ls.stdoutLines.contains("1 Socket in \(xdg)/berth."), "\(ls)")
      let windows = s.berth(["-S", "olden", "-X", "windows"], environment: now)
      #expect(windows.status == 0 && windows.stdout.contains("sh"), "\(windows)")
      let client = try s.terminal(["-r", "olden"], environment: now)
      #expect(client.waitForOutput("from-before"), "\(client.output.debugDescription)")
      client.type([0x01, UInt8(ascii: "d")])
      #expect(client.waitForExit() == 0)
    }
  }

  // MARK: - -q

  @Test func quietListExitStatusCountsAttachableSessions() throws {
    try withSandbox { s in
      func quiet(_ args: [String]) -> Int32 {
        let r = s.runScreen(["-q"] + args)
        #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
        return r.status
      }
      #expect(quiet(["-ls"]) == 9)
      let a = try s.startDetached("a", ["sleep", "1000"])
      #expect(quiet(["-ls"]) == 11)
      let b = try s.startDetached("b", ["sleep", "1000"])
      #expect(quiet(["-ls"]) == 12)
      #expect(quiet(["-ls", "a"]) == 11)
      #expect(quiet(["-ls", "nosuch"]) == 9)

      // Attached or dead: there, but nothing to attach.
      let client = try s.attach(["-r", "a"], session: a)
      #expect(quiet(["-ls", "a"]) == 10)
      #expect(quiet(["-x", "-ls", "a"]) == 11)
      #expect(quiet(["-ls"]) == 11)
      client.type([0x01, UInt8(ascii: "d")])
      #expect(client.waitForExit() == 0)
      #expect(eventually { s.state(of: a) == "Detached" })
      #expect(killSessionOutright(pidOf(b)))
      #expect(eventually { processIsGone(pidOf(b)) })
      #expect(quiet(["-ls", "b"]) == 10)
      // -q -wipe removes the dead, silently, and counts what is left.
      #expect(quiet(["-wipe"]) == 11)
      #expect(!s.socketExists(b))
    }
  }

  @Test func quietResumeExitStatusSaysNoneOrHowMany() throws {
    try withSandbox { s in
      func quietResume(_ args: [String]) throws -> (Int32?, String) {
        let client = try s.terminal(["-q"] + args)
        let status = client.waitForExit()
        return (status, client.output)
      }
      let (none, noneOutput) = try quietResume(["-r"])
      #expect(none == 10 && plain(noneOutput).isEmpty, "\(noneOutput.debugDescription)")
      _ = try s.startDetached("a", ["sleep", "1000"])
      _ = try s.startDetached("b", ["sleep", "1000"])
      let (two, twoOutput) = try quietResume(["-r"])
      #expect(two == 12 && plain(twoOutput).isEmpty, "\(twoOutput.debugDescription)")
      let (unknown, _) = try quietResume(["-r", "nosuch"])
      #expect(unknown == 10)
      let (x, _) = try quietResume(["-x"])
      #expect(x == 12)
    }
  }

  // MARK: - The date on every line

  @Test func deadAndRemovedSessionsKeepTheDateColumn() throws {
    try withSandbox { s in
      let victim = try s.startDetached("victim", ["sleep", "1000"])
      let live = try s.startDetached("live", ["sleep", "1000"])
      let before = s.berth(["-ls"]).stdoutLines.first { $0.hasPrefix("\t\(victim)\t") }
      #expect(killSessionOutright(pidOf(victim)))
      #expect(eventually { processIsGone(pidOf(victim)) })

      let ls = s.berth(["-ls"])
      let dead = ls.stdoutLines.first { $0.hasPrefix("\t\(victim)\t") } ?? ""
      #expect(isListLine(dead, id: victim, state: "Dead ???"), "\(ls)")
      #expect(dead.split(separator: "\t").count == 3, "\(dead.debugDescription)")
      // The date is when the session began, as while it ran.
      #expect(before.map { dead.hasPrefix($0.prefix { $0 != ")" }) } == true, "\(ls)")
      #expect(ls.stdoutLines.contains("Remove dead screens with 'berth -wipe'."), "\(ls)")

      let wipe = s.berth(["-wipe"])
      #expect(wipe.stdoutLines.first == "There are screens on:", "\(wipe)")
      #expect(wipe.stdoutLines.contains { isListLine($0, id: victim, state: "Removed") }, "\(wipe)")
      #expect(wipe.stdoutLines.contains { isListLine($0, id: live, state: "Detached") }, "\(wipe)")
      #expect(wipe.stdoutLines.suffix(2) == ["1 socket wiped out.", "1 Socket in \(s.socketDir)."])
    }
  }
}
