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

      // No file: hardcopy.N in the session's directory, as screen's does,
      // N the window's number; hardcopydir puts them elsewhere.
      func firstLine(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { screenLines($0).first }
      }
      #expect(s.berth(["-S", "web", "-X", "hardcopy"], directory: elsewhere).status == 0)
      #expect(firstLine(s.work + "/hardcopy.0") == "screen-12")
      #expect(mkdir(elsewhere + "/copies", 0o700) == 0)
      let dir = s.berth(["-S", "web", "-X", "hardcopydir", "copies"], directory: elsewhere)
      #expect(dir.status == 0, "\(dir)")
      _ = s.berth([
        "-S", "web", "-X", "screen", "sh", "-c", "echo second-$((1+1)); exec sleep 1000",
      ])
      #expect(
        eventually {
          _ = s.berth(["-S", "web", "-p", "1", "-X", "hardcopy"])
          return firstLine(elsewhere + "/copies/hardcopy.1") == "second-2"
        })
      #expect(s.berth(["-S", "web", "-X", "hardcopydir"]).stdout.contains("/elsewhere/copies"))
      #expect(s.berth(["-S", "web", "-X", "hardcopydir", "a", "b"]).status != 0)
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

  @Test func evalSourceAndAtRunCommandsAsScriptsUseThem() throws {
    try withSandbox { s in
      let id = try s.startDetached("script", ["sh", "-c", "exec sleep 1000"])
      let list = { s.berth(["-S", id, "-X", "windows"]).stdout }
      // eval: each argument a command, in turn; what they answer is printed.
      // -Q is screen's query: the same as -X here. No display is attached, so
      // no window is marked current, as in screen; -Q number names it.
      let e = s.berth(["-S", id, "-Q", "eval", "screen sleep 1000", "title second", "windows"])
      #expect(e.status == 0 && e.stdout.contains("0 sh  1 second"), "\(e)")
      #expect(s.berth(["-S", id, "-Q", "number"]).stdout == "1 (second)\n")
      let failing = s.berth(["-S", id, "-X", "eval", "title x", "nosuch", "title y"])
      #expect(failing.status == 1 && failing.stderr.contains("nosuch"), "\(failing)")
      #expect(list().contains("1 x"), "\(list())")
      // at: in every window (#), or in one.
      #expect(s.berth(["-S", id, "-X", "at", "#", "title", "same"]).status == 0)
      #expect(list().contains("0 same  1 same"), "\(list())")
      #expect(s.berth(["-S", id, "-X", "at", "0#", "title", "zero"]).status == 0)
      #expect(list().contains("0 zero  1 same"), "\(list())")
      expectOneLineError(s.berth(["-S", id, "-X", "at", "7#", "title", "none"]))
      // source: a file of commands; its failing lines are told by line.
      let file = s.scratchPath("cmds")
      try "title sourced\nnosuch thing\n".write(toFile: file, atomically: true, encoding: .utf8)
      let sourced = s.berth(["-S", id, "-X", "source", file])
      #expect(
        sourced.status == 1 && sourced.stderr.contains("cmds:2: unknown command"), "\(sourced)")
      #expect(list().contains("1 sourced"), "\(list())")
      // A file that sources itself stops, with a reason.
      let loop = s.scratchPath("loop")
      try "source \(loop)\n".write(toFile: loop, atomically: true, encoding: .utf8)
      let looped = s.berth(["-S", id, "-X", "source", loop])
      #expect(looped.status == 1 && looped.stderr.contains("deep"), "\(looped)")
      expectOneLineError(s.berth(["-S", id, "-X", "source", "/nonexistent/file"]))
      // A FIFO nobody writes to is an empty file, not a hung server.
      let fifo = s.scratchPath("fifo")
      #expect(mkfifo(fifo, 0o600) == 0)
      let fromFifo = s.berth(["-S", id, "-X", "source", fifo])
      #expect(!fromFifo.timedOut && fromFifo.status == 0, "\(fromFifo)")
      #expect(list().contains("1 sourced"), "\(list())")
      #expect(s.berth(["-S", id, "-X", "version"]).stdout.hasPrefix("berth "))
    }
  }

  @Test func echoWallClearResetAndMetaDoWhatScreensDo() throws {
    try withSandbox { s in
      // A message from a script reaches the client that attaches later.
      let id = try s.startDetached("talk", Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(s.berth(["-S", id, "-X", "echo", "build", "done"]).stdout == "build done\n")
      let client = try s.attach(["-r", id], session: id)
      #expect(client.waitForOutput("build done"), "\(client.output.suffix(300).debugDescription)")
      _ = s.berth(["-S", id, "-X", "wall", "going", "down"])
      #expect(client.waitForOutput("going down"), "\(client.output.suffix(300).debugDescription)")
      // clear: the screen's lines go into the history and the screen is blank.
      _ = s.berth(["-S", id, "-X", "stuff", "echo marker-$((6*7))\n"])
      #expect(s.waitForLine(id, "marker-42").ok)
      #expect(s.berth(["-S", id, "-X", "clear"]).status == 0)
      #expect(s.waitForScreen(id) { !$0.contains("marker-42") }.ok)
      #expect(s.waitForScreen(id, history: true) { $0.contains("marker-42") }.ok)
      // reset: the DEC graphics a program left on are gone (q is q again, not a line).
      _ = s.berth(["-S", id, "-X", "stuff", "printf '\\\\033(0'\n"])
      _ = s.berth(["-S", id, "-X", "stuff", "echo qqq\n"])
      #expect(s.waitForScreen(id) { $0.contains("\u{2500}\u{2500}\u{2500}") }.ok)
      #expect(s.berth(["-S", id, "-X", "reset"]).status == 0)
      _ = s.berth(["-S", id, "-X", "stuff", "echo qqq\n"])
      #expect(s.waitForLine(id, "qqq").ok)
      // meta and xon send the command key and ^Q to the program: bash shows
      // them quoted (with flow control off, so that the terminal passes ^Q on).
      _ = s.berth([
        "-S", id, "-X", "stuff",
        "stty -ixon; while IFS= read -rsn1 c; do printf '%q ' \"$c\"; done\n",
      ])
      _ = s.berth(["-S", id, "-X", "meta"])
      _ = s.berth(["-S", id, "-X", "xon"])
      let got = s.waitForScreen(id) { $0.contains { $0.contains("$'\\001' $'\\021'") } }
      #expect(got.ok, "\(got.screen)")
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
