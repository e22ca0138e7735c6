// The startup file (~/.berthrc or -c file): commands in the prompt's
// syntax run as the session starts; a bad line is reported by file and
// line and skipped. Also the status line and the settings it carries.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  private func writeFile(_ path: String, _ text: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// A file's text, or "" while it does not exist.
  private func contents(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  }

  @Test func berthrcOpensWindowsBindsKeysAndReportsBadLines() throws {
    try withSandbox { s in
      try writeFile(
        s.home + "/.berthrc",
        """
        # windows to start with
        defscrollback 50
        escape ^Tt
        bind V split -v
        hardstatus alwayslastline "[%n %t] %w"
        nosuchcommand here
        screen -t editor /bin/bash --norc --noprofile
        screen -t logs /bin/bash --norc --noprofile

        """)
      let client = try s.terminal(["-S", "rc"] + Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(
        client.waitForOutput(".berthrc:6: unknown command 'nosuchcommand'"),
        "\(client.output.debugDescription)")
      guard let id = s.sessionID("rc") else {
        Issue.record("no session")
        return
      }
      let list = { s.berth(["-S", id, "-X", "windows"]).stdout }
      #expect(eventually { list().contains("0 editor  1- logs  2* bash") }, "\(list())")
      // The message covers the status line until a key is typed (or msgwait passes).
      client.type(" ")
      #expect(client.waitForOutput("[2 bash]"), "no status line: \(client.output.debugDescription)")
      // The status line takes a row from the window.
      #expect(eventually { windowSize(s, id, "2") == "23 80" }, "\(windowSize(s, id, "2"))")
      // escape ^Tt: C-t is the command key now; the binding of V splits side by side.
      client.type([0x14] + Array("V".utf8))
      #expect(eventually { windowSize(s, id, "2") == "22 39" }, "\(windowSize(s, id, "2"))")
      client.type([0x14] + Array("c".utf8))
      #expect(eventually { list().contains("3*") }, "\(list())")
    }
  }

  @Test func aMissingConfigFileIsReportedAndTheSessionStartsAnyway() throws {
    try withSandbox { s in
      let client = try s.terminal(
        ["-c", "nosuch.rc", "-S", "norc"] + Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(client.waitForOutput("nosuch.rc: cannot read"), "\(client.output.debugDescription)")
      #expect(eventually { s.sessionID("norc") != nil })
    }
  }

  @Test func withoutAProgramOnTheCommandLineOnlyTheConfigsWindowsOpen() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try writeFile(
        rc,
        "startup_message off\nscreen -t one sh -c 'exec sleep 1000'\nscreen -t two sh -c 'exec sleep 1000'\n"
      )
      let r = s.berth(["-c", rc, "-dmS", "only"])
      #expect(r.status == 0, "\(r)")
      guard let id = s.sessionID("only") else {
        Issue.record("no session")
        return
      }
      #expect(s.berth(["-S", id, "-X", "windows"]).stdout.contains("0 one  1 two"))
      #expect(s.berth(["-S", id, "-Q", "number"]).stdout == "1 (two)\n")
    }
  }

  @Test func monitoringAnnouncesActivityAndSilenceAndFlagsTheWindow() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "monitor")
      _ = s.berth([
        "-S", id, "-X", "screen", "-t", "quiet", "sh", "-c", "while read x; do echo got-$x; done",
      ])
      _ = s.berth(["-S", id, "-X", "select", "0"])
      // C-a M on the window shown: announced as screen does.
      client.type(commandKey("M"))
      #expect(client.waitForOutput("Window 0 (bash) is now being monitored for all activity."))
      #expect(s.berth(["-S", id, "-p", "1", "-X", "monitor", "on"]).status == 0)
      _ = s.berth(["-S", id, "-p", "1", "-X", "stuff", "ping\\n"])
      #expect(
        client.waitForOutput("Activity in window 1"),
        "\(client.output.suffix(300).debugDescription)")
      // The display shows window 0; 1 was its previous one: `-`, as screen marks it.
      #expect(s.berth(["-S", id, "-X", "windows"]).stdout.contains("1-@ quiet"))
      // Silence after a second of no output.
      #expect(s.berth(["-S", id, "-p", "1", "-X", "silence", "1"]).status == 0)
      #expect(
        client.waitForOutput("Window 1: silence for 1 seconds"),
        "\(client.output.suffix(300).debugDescription)")
      // Showing the window clears its flag.
      _ = s.berth(["-S", id, "-X", "select", "1"])
      #expect(eventually { s.berth(["-S", id, "-X", "windows"]).stdout.contains("1* quiet") })
    }
  }

  @Test func settingsCommandsCheckTheirArguments() throws {
    try withSandbox { s in
      let (id, _) = try attachedBash(s, "settings")
      for good in [
        ["defscrollback", "100"], ["scrollback", "100"], ["msgwait", "2"], ["vbell", "on"],
        ["bell_msg", "Ding %n"], ["caption", "always", "%n %t"], ["hardstatus", "off"],
        ["zombie", "kr"], ["startup_message", "off"], ["bind", "^B", "next"], ["escape", "^Bb"],
      ] {
        let r = s.berth(["-S", id, "-X"] + good)
        #expect(r.status == 0, "\(good): \(r)")
      }
      for bad in [
        ["defscrollback", "x"], ["msgwait"], ["escape", "abc"], ["bind"],
        ["hardstatus", "sideways"],
      ] {
        let r = s.berth(["-S", id, "-X"] + bad)
        #expect(r.status != 0 && !r.stderr.isEmpty, "\(bad): \(r)")
      }
      // caption always: the window loses a row to its caption.
      #expect(eventually { windowSize(s, id, "0") == "23 80" }, "\(windowSize(s, id, "0"))")
    }
  }

  @Test func statusStringsExpandScreensEscapes() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "escapes")
      _ = s.berth(["-S", id, "-X", "title", "main"])
      let r = s.berth([
        "-S", id, "-X", "hardstatus", "alwayslastline",
        "<%?%F[focus]%:unfocused%?|%n|%t|%%|%S|%?%tshown%?|%?%Whidden%?>",
      ])
      #expect(r.status == 0, "\(r)")
      // %F is the focus of a caption's region: never true in the hardstatus
      // line (as in screen); %S is the name without the PID.
      #expect(
        client.waitForOutput("<unfocused|0|main|%|escapes|mainshown|>"),
        "\(client.output.suffix(300).debugDescription)")
      _ = s.berth(["-S", id, "-X", "hardstatus", "string", "clock %c."])
      let clock = try Regex("clock [ 12]?[0-9]:[0-5][0-9]\\.")
      #expect(
        eventually { client.output.contains(clock) },
        "\(client.output.suffix(200).debugDescription)")
    }
  }

  @Test func backticksShowTheLastLineOfACommandAndRunOnlyWhileAttached() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "backtick")
      let go = s.scratchPath("go")
      let count = s.scratchPath("count")
      let pidFile = s.scratchPath("pid")
      #expect(s.berth(["-S", id, "-X", "hardstatus", "alwayslastline", "<%1`|%2`>"]).status == 0)
      // Lifespan and autorefresh 0: runs for good; each line it prints replaces the last.
      let persistent = s.berth([
        "-S", id, "-X", "backtick", "1", "0", "0", "sh", "-c",
        "echo $$ > \(pidFile); echo first-$((1+1)); while [ ! -e \(go) ]; do sleep 0.05; done; echo second-$((2+2)); exec sleep 1000",
      ])
      #expect(persistent.status == 0, "\(persistent)")
      // Autorefresh 1: run again each second; the last line counts, ended or not.
      let counter = s.berth([
        "-S", id, "-X", "backtick", "2", "1", "1", "sh", "-c",
        "n=$(cat \(count) 2>/dev/null || echo 0); echo $((n+1)) > \(count); echo ignored; printf run-$((n+1))",
      ])
      #expect(counter.status == 0, "\(counter)")
      // ncurses sends only what changed: C-a l redraws all of it to read.
      func shows(_ text: String) -> Bool {
        eventually(every: 0.3) {
          let mark = client.output.utf8.count
          client.type(commandKey("l"))
          return eventually(timeout: 0.25) {
            String(decoding: client.output.utf8.dropFirst(mark), as: UTF8.self).contains(text)
          }
        }
      }
      #expect(shows("<first-2|run-1>"), "\(client.output.suffix(300).debugDescription)")
      #expect(shows("|run-2>"), "\(client.output.suffix(300).debugDescription)")
      try writeFile(go, "")
      #expect(shows("<second-4|"), "\(client.output.suffix(300).debugDescription)")
      #expect(!client.output.contains("ignored"), "a run's earlier line was shown")

      // Detached, the session runs nothing on a timer.
      client.type(commandKey("d"))
      #expect(eventually { client.hasExited })
      let runs = contents(count)
      var ranAgain = false
      eventually(timeout: 2.5, every: 0.1) {
        ranAgain = ranAgain || contents(count) != runs
        return false
      }
      #expect(!ranAgain, "a detached session ran a backtick: \(runs) -> \(contents(count))")

      // A command that never stops printing does not take the server with it.
      #expect(s.berth(["-S", id, "-X", "backtick", "3", "0", "0", "yes", "flood"]).status == 0)
      for _ in 0..<3 {
        let r = s.berth(["-S", id, "-X", "windows"], timeout: 5)
        #expect(r.status == 0 && r.stdout.contains("0 bash"), "\(r)")
      }
      #expect(s.berth(["-S", id, "-X", "backtick", "3"]).status == 0)

      for bad in [
        ["backtick"], ["backtick", "x", "1", "1", "date"], ["backtick", "3", "1", "1"],
        ["backtick", "3", "-1", "1", "date"], ["backtick", "3", "1", "1", "/nonexistent/cmd"],
      ] {
        let r = s.berth(["-S", id, "-X"] + bad)
        #expect(r.status != 0 && r.stderr.hasPrefix("berth: backtick: "), "\(bad): \(r)")
      }
      // The id alone removes it; its program ends.
      let program = pid_t(contents(pidFile).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
      #expect(program > 0 && !processIsGone(program))
      #expect(s.berth(["-S", id, "-X", "backtick", "1"]).status == 0)
      #expect(eventually { processIsGone(program) })
    }
  }

  @Test func logWritesTheWindowsOutputAndBellsAreFlagged() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "logbell")
      client.type(commandKey("H"))
      #expect(client.waitForOutput("Creating logfile \"screenlog.0\"."))
      client.type("echo logged-line\r")
      #expect(eventually { contents(s.work + "/screenlog.0").contains("logged-line") })
      #expect(s.berth(["-S", id, "-X", "windows"]).stdout.contains("0*$ bash"))
      // A bell in a window nobody shows: announced and flagged with !.
      _ = s.berth(["-S", id, "-X", "screen", "sh", "-c", "read x; printf '\\a'; exec sleep 1000"])
      _ = s.berth(["-S", id, "-X", "select", "0"])
      _ = s.berth(["-S", id, "-p", "1", "-X", "stuff", "\\n"])
      #expect(client.waitForOutput("Bell in window 1"))
      #expect(eventually { s.berth(["-S", id, "-X", "windows"]).stdout.contains("1-! sh") })
    }
  }

  @Test func dashLLogsEveryWindowAndLogfileAndTitleSetWhereAndWhat() throws {
    try withSandbox { s in
      // -L: the first window logs to screenlog.0 where berth ran; -t names it.
      let id = try s.startDetached(
        "web", ["-L", "-t", "server", "sh", "-c", "echo started-$((6*7)); exec sleep 1000"])
      #expect(eventually { contents(s.work + "/screenlog.0").contains("started-42") })
      #expect(s.berth(["-S", id, "-X", "windows"]).stdout.contains("0$ server"))
      // Every later window logs too, each to its own file.
      _ = s.berth(["-S", id, "-X", "screen", "sh", "-c", "echo second-$((2+3)); exec sleep 1000"])
      #expect(eventually { contents(s.work + "/screenlog.1").contains("second-5") })

      // -Logfile alone names the file and logs nothing (as in screen); with -L
      // it is where the logs go, %n the window's number.
      let quiet = try s.startDetached(
        "quiet", ["-Logfile", "q.log", "sh", "-c", "echo quiet; exec sleep 1000"])
      let loud = try s.startDetached(
        "loud",
        ["-L", "-Logfile", "loud-%n.log", "sh", "-c", "echo loud-$((3*3)); exec sleep 1000"])
      #expect(eventually { contents(s.work + "/loud-0.log").contains("loud-9") })
      #expect(access(s.work + "/q.log", F_OK) != 0)
      // deflog on: windows opened from then on log (to the -Logfile name).
      // screen's `logfile flush secs` is taken and changes nothing.
      #expect(s.berth(["-S", quiet, "-X", "logfile", "flush", "1"]).status == 0)
      #expect(s.berth(["-S", quiet, "-X", "logfile", "flush", "soon"]).status != 0)
      #expect(s.berth(["-S", quiet, "-X", "deflog", "on"]).status == 0)
      _ = s.berth(["-S", quiet, "-X", "screen", "sh", "-c", "echo now-logged; exec sleep 1000"])
      #expect(eventually { contents(s.work + "/q.log").contains("now-logged") })
      #expect(!contents(s.work + "/q.log").contains("quiet"))
      _ = loud

      // A log that cannot be opened is told to the first client; the session runs.
      let bad = try s.startDetached(
        "bad", ["-L", "-Logfile", "/nonexistent/x.log", "sh", "-c", "exec sleep 1000"])
      let client = try s.terminal(["-r", bad])
      #expect(
        client.waitForOutput("log: cannot open /nonexistent/x.log"),
        "\(client.output.debugDescription)")

      expectOneLineError(s.berth(["-dmS", "x", "-Logfile"]))
      expectOneLineError(s.berth(["-dmS", "x", "-t"]))
      expectOneLineError(s.berth(["-dmS", "x", "-t", "bad\u{1B}title", "sleep", "1"]))
      #expect(s.sessionID("x") == nil)
    }
  }

  @Test func shellAndVariablesInTheStartupFileWorkAsInAScreenrc() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try writeFile(
        rc,
        """
        setenv LOGS $HOME/logs
        logfile "${LOGS}/%n.log"
        setenv KEEP '$HOME'
        shell -/bin/sh
        setenv BROKEN ${HOME

        """)
      try FileManager.default.createDirectory(
        atPath: s.home + "/logs", withIntermediateDirectories: true)
      // No program named: the window runs the startup file's shell, as a login shell.
      let id = try s.startDetached("vars", ["-c", rc])
      let list = { s.berth(["-S", id, "-X", "windows"]).stdout }
      #expect(list().contains("0 sh"), "\(list())")
      let out = s.scratchPath("out")
      _ = s.berth(["-S", id, "-X", "stuff", "echo \"zero=$0 keep=$KEEP\" > \(out)\n"])
      #expect(eventually { contents(out).contains("zero=-/bin/sh keep=$HOME") }, "\(contents(out))")
      // $LOGS went into the log file's name; C-a c (screen) opens the same shell.
      #expect(s.berth(["-S", id, "-X", "log", "on"]).status == 0)
      _ = s.berth(["-S", id, "-X", "stuff", "echo logged-$((6*7))\n"])
      #expect(eventually { contents(s.home + "/logs/0.log").contains("logged-42") })
      #expect(s.berth(["-S", id, "-X", "screen"]).status == 0)
      #expect(eventually { list().contains("$ sh  1 sh") }, "\(list())")
      // The unclosed ${ is reported to the first client, by line.
      let client = try s.terminal(["-r", id])
      #expect(
        client.waitForOutput("rc:5: a ${ without its }"), "\(client.output.debugDescription)")

      // -s names the shell on the command line; `shell` checks its argument.
      let plain = try s.startDetached("plain", ["-s", "/bin/sh"])
      #expect(s.berth(["-S", plain, "-X", "windows"]).stdout.contains("0 sh"))
      #expect(s.berth(["-S", plain, "-X", "shell"]).status != 0)
      #expect(s.berth(["-S", plain, "-X", "shell", "-"]).status != 0)
      #expect(s.berth(["-S", plain, "-X", "defshell", "-/bin/sh"]).status == 0)
      expectOneLineError(s.berth(["-dmS", "x", "-s", ""]))
      expectOneLineError(s.berth(["-dmS", "x", "-s"]))
      #expect(s.sessionID("x") == nil)
    }
  }

  @Test func screenrcCommandsWorkOrAreTakenAndTheRestAreRefusedPlainly() throws {
    try withSandbox { s in
      let place = s.scratchPath("place")
      try FileManager.default.createDirectory(atPath: place, withIntermediateDirectories: true)
      let rc = s.scratchPath("rc")
      // A typical screenrc's looks and tuning are taken; chdir, defwrap and
      // maxwin change what follows them.
      try writeFile(
        rc,
        """
        attrcolor b ".I"
        defencoding utf8
        encoding UTF-8
        multiuser off
        sorendition "+b kG"
        defhstatus "screen: ^En (^Et)"
        msgminwait 0
        obuflimit 1024
        defautonuke off
        compacthist on
        chdir \(place)
        defwrap off
        maxwin 3
        screen -t here sh -c 'pwd > where; printf "%0100d" 7; echo; exec sleep 1000'

        """)
      let id = try s.startDetached("rcx", ["-c", rc])
      #expect(
        eventually { contents(place + "/where") == place + "\n" }, "\(contents(place + "/where"))")
      // Without wrapping, the 100 digits stop at the margin: the last overwrites column 80.
      let wrapped = s.waitForScreen(id) { lines in
        lines.first == String(repeating: "0", count: 79) + "7" && lines.count == 1
      }
      #expect(wrapped.ok, "\(wrapped.screen)")
      #expect(s.berth(["-S", id, "-X", "wrap", "on"]).stdout.contains("Wrap on"))
      // maxwin 3: windows 0, 1 and 2, then no more.
      #expect(s.berth(["-S", id, "-X", "screen", "sleep", "1000"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "screen", "sleep", "1000"]).status == 0)
      let over = s.berth(["-S", id, "-X", "screen", "sleep", "1000"])
      #expect(over.status == 1 && over.stderr.contains("maxwin"), "\(over)")
      // hardcopy_append: a second hardcopy goes after the first.
      let copy = s.scratchPath("copy")
      #expect(s.berth(["-S", id, "-X", "hardcopy_append", "on"]).status == 0)
      _ = s.berth(["-S", id, "-p", "0", "-X", "hardcopy", copy])
      _ = s.berth(["-S", id, "-p", "0", "-X", "hardcopy", copy])
      #expect(contents(copy).components(separatedBy: "07\n").count == 3, "\(contents(copy))")

      // sessionname shows the name, and renames the session (its socket).
      #expect(s.berth(["-S", id, "-X", "sessionname"]).stdout.contains("named '\(id)'"))
      #expect(s.berth(["-S", id, "-X", "sessionname", "renamed"]).status == 0)
      let pid = id.prefix { $0 != "." }
      #expect(s.berth(["-ls"]).stdout.contains("\(pid).renamed"), "\(s.berth(["-ls"]))")
      #expect(s.berth(["-S", "renamed", "-X", "windows"]).stdout.contains("0 here"))
      #expect(s.berth(["-S", "rcx", "-X", "windows"]).status != 0)
      #expect(s.berth(["-S", "renamed", "-X", "sessionname", "a/b"]).stderr.contains("'/'"))

      // What berth cannot do is refused in one line, not taken silently.
      for refused in [
        ["multiuser", "on"], ["encoding", "latin1"], ["maxwin", "0"], ["chdir", "/nonexistent"],
      ] {
        expectOneLineError(s.berth(["-S", "renamed", "-X"] + refused))
      }
    }
  }

  @Test func termDefmonitorAndDefsilenceSetWhatNewWindowsGet() throws {
    try withSandbox { s in
      let id = try s.startDetached("defs", ["sh", "-c", "exec sleep 1000"])
      let list = { s.berth(["-S", id, "-X", "windows"]).stdout }
      #expect(s.berth(["-S", id, "-X", "term", "xterm-256color"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "defmonitor", "on"]).status == 0)
      // The new window gets the TERM; it shows output while another is shown: flagged @.
      let out = s.scratchPath("term")
      _ = s.berth([
        "-S", id, "-X", "screen", "sh", "-c",
        "echo \"$TERM\" > \(out); read line; echo more; exec sleep 1000",
      ])
      #expect(eventually { contents(out) == "xterm-256color\n" })
      _ = s.berth(["-S", id, "-X", "select", "0"])
      _ = s.berth(["-S", id, "-p", "1", "-X", "stuff", "go\n"])
      #expect(eventually { list().contains("1@ sh") }, "\(list())")
      // defsilence: a new window quiet for silencewait seconds is announced.
      #expect(s.berth(["-S", id, "-X", "defsilence", "on"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "silencewait", "1"]).status == 0)
      let client = try s.attach(["-r", id], session: id)
      _ = s.berth(["-S", id, "-X", "screen", "sh", "-c", "exec sleep 1000"])
      _ = s.berth(["-S", id, "-X", "select", "0"])
      #expect(
        client.waitForOutput("Window 2: silence for 1 seconds"),
        "\(client.output.suffix(300).debugDescription)")
      expectOneLineError(s.berth(["-S", id, "-X", "term", "bad/name"]))
      expectOneLineError(s.berth(["-S", id, "-X", "defmonitor", "maybe"]))
    }
  }

  @Test func ignorecaseMakesCopyModeSearchesIgnoreCase() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "case")
      client.type("echo HelloWorld\r")
      #expect(s.waitForLine(id, "HelloWorld").ok)
      client.type(commandKey("[") + Array("?helloworld\r".utf8))
      #expect(
        client.waitForOutput("Pattern not found"), "\(client.output.suffix(300).debugDescription)")
      client.type([0x1B])
      #expect(s.berth(["-S", id, "-X", "ignorecase", "on"]).status == 0)
      client.type(commandKey("[") + Array("?helloworld\rW".utf8))
      #expect(
        client.waitForOutput("Copied 10 characters into buffer"),
        "\(client.output.suffix(300).debugDescription)")
    }
  }

  @Test func bindkeyMakesSpecialKeysRunCommandsAndUnbindingGivesThemBack() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      // Window 0 shows each byte it gets, quoted by bash's printf %q.
      try writeFile(
        rc,
        """
        bindkey -k k1 select 1
        bindkey "^[[1;5D" prev
        screen -t zero bash --norc --noprofile -c 'while IFS= read -rsn1 c; do printf "%q " "$c"; done'
        screen -t one sh -c 'exec sleep 1000'

        """)
      let id = try s.startDetached("keys", ["-c", rc])
      let list = { s.berth(["-S", id, "-X", "windows"]).stdout }
      let client = try s.attach(["-r", id], session: id)
      #expect(list().contains("1* one"), "\(list())")
      // C-Left, in xterm's form, runs prev; F1 (as SS3 P) runs select 1.
      client.type("\u{1B}[1;5D")
      #expect(eventually { list().contains("0* zero") }, "\(list())")
      client.type("\u{1B}OP")
      #expect(eventually { list().contains("1* one") }, "\(list())")
      // The list of bound keys, and a key that is not special, refused.
      let bound = s.berth(["-S", id, "-X", "bindkey"]).stdout
      #expect(bound.contains("C-Left prev") && bound.contains("F1 select 1"), "\(bound)")
      expectOneLineError(s.berth(["-S", id, "-X", "bindkey", "-k", "nosuch", "prev"]))
      // Unbound, C-Left goes to the program again.
      #expect(s.berth(["-S", id, "-X", "bindkey", "^[[1;5D"]).status == 0)
      _ = s.berth(["-S", id, "-X", "select", "0"])
      #expect(eventually { list().contains("0* zero") }, "\(list())")
      client.type("\u{1B}[1;5D")
      let got = s.waitForScreen(id) { $0.contains { $0.contains("1 \\; 5 D") } }
      #expect(got.ok, "\(got.screen)")
      #expect(list().contains("0* zero"), "\(list())")
    }
  }

  @Test func aBerthrcLayoutIsGivenToEachClientThatAttaches() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try writeFile(
        rc,
        """
        screen -t top /bin/sh
        split
        focus
        screen -t bottom /bin/sh
        focus

        """)
      let r = s.berth(["-c", rc, "-dmS", "layout"])
      #expect(r.status == 0, "\(r)")
      guard let id = s.sessionID("layout") else {
        Issue.record("no session")
        return
      }
      let client = try s.attach(["-r", "layout"], session: id)
      // Both regions show their windows, with captions; the focus is back on top.
      #expect(client.waitForOutput("0 top"), "\(client.output.debugDescription)")
      #expect(client.waitForOutput("1 bottom"))
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      #expect(eventually { windowSize(s, id, "1") == "11 80" }, "\(windowSize(s, id, "1"))")
      #expect(s.berth(["-S", id, "-X", "number"]).stdout == "0 (top)\n")
    }
  }
}
