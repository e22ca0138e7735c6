// A client on a real terminal: attaching, typing, the command key,
// detaching, several clients, resizing, and the terminal going away.
import Foundation
import Glibc
import Testing

/// C-a d, screen's detach.
let detachKeys: [UInt8] = [0x01, UInt8(ascii: "d")]

extension EndToEnd {
  /// A detached bash session showing its prompt; returns its PID.NAME.
  func startBash(_ s: Sandbox, _ name: String = "web") throws -> String {
    let id = try s.startDetached(name, Sandbox.bash, environment: Sandbox.bashVariables)
    let prompt = s.waitForScreen(id) { $0.last == "$" }
    guard prompt.ok else {
      throw TestFailure("no bash prompt in \(id): \(prompt.screen.debugDescription)")
    }
    return id
  }

  @Test func attachTypeDetachAndReattach() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let client = try s.attach(["-r", "web"], session: id)
      let ls = s.berth(["-ls"])
      #expect(ls.stdoutLines.contains { isListLine($0, id: id, state: "Attached") }, "\(ls)")

      client.type("echo $((6*7))\r")
      let answer = s.waitForLine(id, "42")
      #expect(answer.ok, "\(answer.screen)")

      // A counter that keeps advancing while nobody is attached.
      let counter = s.root + "/counter"
      client.type(
        "(i=0; while :; do i=$((i+1)); echo $i > \(counter).tmp; mv \(counter).tmp \(counter); sleep 0.1; done) >/dev/null 2>&1 &\r"
      )
      func count() -> Int {
        Int(
          ((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)) ?? 0
      }
      #expect(eventually { count() > 0 }, "the counter never started: \(s.screen(id) ?? "")")

      client.type(detachKeys)
      let status = client.waitForExit()
      #expect(
        status == 0,
        "C-a d: client status \(String(describing: status)), output \(client.output.debugDescription)"
      )
      #expect(client.waitForOutput("[detached from \(id)]"), "\(client.output.debugDescription)")
      #expect(
        eventually { s.state(of: id) == "Detached" },
        "state: \(String(describing: s.state(of: id)))")

      let atDetach = count()
      #expect(
        eventually { count() >= atDetach + 5 },
        "the program stopped while detached: \(atDetach) -> \(count())")

      let stuffed = s.berth(["-S", id, "-X", "stuff", "echo drawn-$((2*3))-while-detached\\n"])
      #expect(stuffed.status == 0, "\(stuffed)")
      let drawn = s.waitForLine(id, "drawn-6-while-detached")
      #expect(drawn.ok, "\(drawn.screen)")

      let again = try s.attach(["-r", "web"], session: id)
      #expect(
        again.waitForOutput("drawn-6-while-detached"),
        "reattached client shows: \(again.output.debugDescription)")
      #expect(again.output.contains("42"), "\(again.output.debugDescription)")
      let screen = s.screen(id) ?? ""
      #expect(
        screenLines(screen).contains("42")
          && screenLines(screen).contains("drawn-6-while-detached"), "\(screen)")
      #expect(!again.hasExited)
    }
  }

  @Test func commandKeyThenASendsALiteralControlA() throws {
    try withSandbox { s in
      let id = try s.startDetached("cat", ["sh", "-c", "stty -echo; echo ready; exec cat -v"])
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-r", "cat"], session: id)
      client.type([0x01, UInt8(ascii: "a"), 0x0D])
      let shown = s.waitForLine(id, "^A")
      #expect(shown.ok, "\(shown.screen)")
      #expect(!client.hasExited, "C-a a ended the client: \(client.output.debugDescription)")
    }
  }

  @Test func sessionNameWithCommandCreatesAndAttaches() throws {
    try withSandbox { s in
      let client = try s.terminal([
        "-S", "made", "sh", "-c", "echo made-by-$((3*3)); exec sleep 1000",
      ])
      #expect(
        eventually { s.sessionID("made") != nil || client.hasExited },
        "\(client.output.debugDescription)")
      let id = try #require(s.sessionID("made"), "\(client.output.debugDescription)")
      #expect(eventually { s.state(of: id) == "Attached" })
      #expect(client.waitForOutput("made-by-9"), "\(client.output.debugDescription)")
      #expect(s.waitForLine(id, "made-by-9").ok)
      #expect(!client.hasExited)
    }
  }

  @Test func resumeOrCreateReattachesAnExistingSession() throws {
    try withSandbox { s in
      let id = try s.startDetached("keep", ["sh", "-c", "echo kept-$((5+5)); exec sleep 1000"])
      #expect(s.waitForLine(id, "kept-10").ok)
      let client = try s.attach(["-R", "keep"], session: id)
      #expect(client.waitForOutput("kept-10"), "\(client.output.debugDescription)")
      #expect(s.socketNames() == [id], "-R started another session: \(s.socketNames())")
    }
  }

  @Test func resumeOrCreateStartsAMissingSession() throws {
    try withSandbox { s in
      let old = try s.startDetached("other", ["sleep", "1000"])
      let client = try s.terminal([
        "-R", "fresh", "sh", "-c", "echo fresh-$((4*4)); exec sleep 1000",
      ])
      #expect(
        eventually { s.sessionID("fresh") != nil || client.hasExited },
        "\(client.output.debugDescription)")
      let id = try #require(s.sessionID("fresh"), "\(client.output.debugDescription)")
      #expect(eventually { s.state(of: id) == "Attached" })
      #expect(client.waitForOutput("fresh-16"), "\(client.output.debugDescription)")
      #expect(s.state(of: old) == "Detached")
    }
  }

  @Test func multiAttachLetsTwoClientsType() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let first = try s.attach(["-r", "web"], session: id)
      let second = try s.terminal(["-x", "web"])
      #expect(
        eventually { second.terminalIsRaw || second.hasExited }, "\(second.output.debugDescription)"
      )
      #expect(!second.hasExited, "-x failed: \(second.output.debugDescription)")

      first.type("echo first-$((1+1))\r")
      let one = s.waitForLine(id, "first-2")
      #expect(one.ok, "\(one.screen)")
      second.type("echo second-$((2+1))\r")
      let two = s.waitForLine(id, "second-3")
      #expect(two.ok, "\(two.screen)")

      #expect(first.waitForOutput("second-3"), "the first client does not show the second's typing")
      #expect(second.waitForOutput("first-2"), "the second client does not show the screen")
      #expect(!first.hasExited && !second.hasExited)
      #expect(s.state(of: id) == "Attached")
    }
  }

  @Test func detachTypedAtTheCommandLineDetachesOnlyThatClient() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let first = try s.attach(["-r", "web"], session: id)
      let second = try s.terminal(["-x", "web"])
      #expect(eventually { second.terminalIsRaw || second.hasExited })
      #expect(eventually { s.state(of: id) == "Attached" })
      second.type([0x01, UInt8(ascii: ":")])
      second.type("detach\r")
      #expect(second.waitForExit() == 0, "\(second.output.debugDescription)")
      #expect(second.waitForOutput("[detached from \(id)]"), "\(second.output.debugDescription)")
      #expect(
        eventually(timeout: 1) { first.hasExited || s.state(of: id) != "Attached" } == false,
        "the other client was detached too: \(first.output.debugDescription)")
    }
  }

  @Test func displaysListsTheAttachedClients() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let first = try s.attach(["-r", "web"], session: id, columns: 100, rows: 30)
      let second = try s.terminal(["-x", "web", "--read-only"])
      #expect(eventually { second.terminalIsRaw || second.hasExited })
      var listed: [String] = []
      #expect(
        eventually {
          listed = s.berth(["-S", id, "-X", "displays"]).stdout.split(separator: "\n").map(
            String.init)
          return listed.count == 3
        }, "\(listed)")
      let one = listed.first { $0.contains("100x30") } ?? ""
      let two = listed.first { $0.contains("80x24") } ?? ""
      #expect(one.hasPrefix("/dev/pts/") && one.contains("0 (bash)") && !one.contains("read-only"))
      #expect(two.hasPrefix("/dev/pts/") && two.hasSuffix("read-only"), "\(listed)")
      // Typed, the list is a page over the window until a key closes it.
      first.type([0x01, UInt8(ascii: "*")])
      #expect(first.waitForOutput("Press any key to close"), "\(first.output.debugDescription)")
      first.type("q")
      first.type("echo after-$((5*5))\r")
      #expect(s.waitForLine(id, "after-25").ok)
    }
  }

  @Test func detachFromElsewhereEndsTheAttachedClient() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let client = try s.attach(["-r", "web"], session: id)
      let r = s.berth(["-d", "web"])
      #expect(r.status == 0, "\(r)")
      let status = client.waitForExit()
      #expect(status == 0, "client status \(String(describing: status))")
      #expect(
        client.waitForOutput("[remote detached from \(id)]"), "\(client.output.debugDescription)")
      #expect(eventually { s.state(of: id) == "Detached" })
      #expect(s.socketExists(id))
    }
  }

  @Test func suspendingTheClientStopsItDetachedUntilItsShellContinuesIt() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let shell = try s.jobShell()
      func stops() -> Int { shell.output.components(separatedBy: "Stopped").count - 1 }
      shell.type("\(berthBinary) -r web\r")
      #expect(eventually { s.state(of: id) == "Attached" }, "\(shell.output.debugDescription)")
      shell.type([0x01, UInt8(ascii: "z")])
      #expect(eventually { stops() == 1 }, "bash saw no stop: \(shell.output.debugDescription)")
      #expect(eventually { s.state(of: id) == "Detached" })
      // Resized while stopped: attached again, the window takes the new size.
      shell.resize(columns: 90, rows: 20)
      shell.type("fg\r")
      #expect(eventually { s.state(of: id) == "Attached" }, "\(shell.output.debugDescription)")
      shell.type("stty size\r")
      #expect(s.waitForLine(id, "20 90").ok)
      shell.type([0x01, UInt8(ascii: "d")])
      #expect(shell.waitForOutput("[detached from \(id)]"), "\(shell.output.debugDescription)")

      // The session ends while the client is stopped: continued, it says so.
      shell.type("\(berthBinary) -r web\r")
      #expect(eventually { s.state(of: id) == "Attached" })
      shell.type([0x01, 0x1A])
      #expect(eventually { stops() == 2 }, "\(shell.output.debugDescription)")
      #expect(s.berth(["-S", id, "-X", "quit"]).status == 0)
      shell.type("fg; echo status=$?\r")
      #expect(
        shell.waitForOutput("berth: the session \(id) is gone"), "\(shell.output.debugDescription)")
      #expect(shell.waitForOutput("status=1"))
    }
  }

  @Test func aClientThatCannotStopAttachesAgainAtOnce() throws {
    try withSandbox { s in
      let id = try startBash(s)
      // A session leader of its own terminal: no shell to continue it, so
      // the kernel discards the stop.
      let client = try s.attach(["-r", "web"], session: id)
      #expect(s.berth(["-S", id, "-X", "suspend"]).status == 0)
      #expect(eventually { s.state(of: id) == "Attached" })
      client.type("echo back-$((4+4))\r")
      #expect(s.waitForLine(id, "back-8").ok)
      #expect(!client.hasExited, "\(client.output.debugDescription)")
    }
  }

  @Test(arguments: [["-d", "-r"], ["-D", "-r"]])
  func detachElsewhereAndAttachHere(_ flags: [String]) throws {
    try withSandbox { s in
      let id = try startBash(s)
      let there = try s.attach(["-r", "web"], session: id)
      let here = try s.terminal(flags + ["web"])
      let status = there.waitForExit()
      #expect(status == 0, "the other client: status \(String(describing: status))")
      #expect(
        there.waitForOutput("[remote detached from \(id)]"), "\(there.output.debugDescription)")
      #expect(eventually { here.terminalIsRaw || here.hasExited })
      #expect(!here.hasExited, "\(flags) did not attach: \(here.output.debugDescription)")
      #expect(eventually { s.state(of: id) == "Attached" })
      here.type("echo here-$((7+1))\r")
      #expect(s.waitForLine(id, "here-8").ok)
    }
  }

  @Test func resizingTheClientsTerminalResizesTheProgramsTerminal() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let client = try s.attach(["-r", "web"], session: id, columns: 80, rows: 24)
      client.type("stty size\r")
      #expect(s.waitForLine(id, "24 80").ok)

      client.resize(columns: 100, rows: 30)
      var last = ""
      let followed = eventually(timeout: 10, every: 0.5) {
        client.type("stty size\r")
        let shown = s.waitForLine(id, "30 100", timeout: 1)
        last = shown.screen
        return shown.ok
      }
      #expect(followed, "\(last)")
      #expect(!client.hasExited)
    }
  }

  @Test(arguments: [SIGHUP, SIGKILL])
  func closingTheClientsTerminalLeavesTheSessionDetached(_ signal: Int32) throws {
    try withSandbox { s in
      let id = try startBash(s)
      let client = try s.attach(["-r", "web"], session: id)
      client.type("echo before-$((8*8))\r")
      #expect(s.waitForLine(id, "before-64").ok)
      client.signal(signal)
      #expect(client.waitForExit() != nil, "the client outlived signal \(signal)")
      #expect(
        eventually { s.state(of: id) == "Detached" }, "state \(String(describing: s.state(of: id)))"
      )

      let again = try s.attach(["-r", "web"], session: id)
      #expect(again.waitForOutput("before-64"), "\(again.output.debugDescription)")
      again.type("echo after-$((9*9))\r")
      #expect(s.waitForLine(id, "after-81").ok)
    }
  }
}
