// What screen's users bring along: their startup files (screen's own, read
// when there is no ~/.berthrc; Debian's and screen's example files load
// cleanly), the lines real screenrcs contain (command classes, bind -k,
// bindkey strings and copy-mode keys, process), `paste` as screen types it,
// and the answers scripts parse (-Q number, windows, select .).
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// The title of the window `-p selector` names, as -Q title prints it.
  private func title(_ s: Sandbox, _ id: String) -> String {
    s.berth(["-S", id, "-Q", "title"]).stdout.trimmingCharacters(in: .newlines)
  }

  private func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  @Test func pasteOfARegisterRunsTheLinesInBashLikeScreen() throws {
    // vim-slime's way: the lines go to a file, readreg puts them in a
    // register, paste types them. bash turned bracketed paste on, and the
    // lines must still run, as screen types them without brackets.
    try withSandbox { s in
      let id = try s.startDetached("slime", Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      let file = s.scratchPath("slime.txt")
      try write("echo slime-$((6*7))\necho two-$((1+1))\n", to: file)
      #expect(s.berth(["-S", id, "-X", "readreg", "p", file]).status == 0)
      #expect(s.berth(["-S", id, "-X", "paste", "p"]).status == 0)
      let ran = s.waitForScreen(id) { $0.contains("slime-42") && $0.contains("two-2") }
      #expect(ran.ok, "\(ran.screen)")
      #expect(!ran.screen.contains("200~"), "bracketed-paste codes reached bash: \(ran.screen)")
      // readbuf and paste . the same; writebuf gives the file back with LF.
      #expect(s.berth(["-S", id, "-X", "readbuf", file]).status == 0)
      #expect(s.berth(["-S", id, "-X", "paste", "."]).status == 0)
      #expect(s.waitForScreen(id) { $0.filter { $0 == "slime-42" }.count == 2 }.ok)
      let out = s.scratchPath("out.txt")
      #expect(s.berth(["-S", id, "-X", "writebuf", out]).status == 0)
      #expect(
        (try? String(contentsOfFile: out, encoding: .utf8))
          == "echo slime-$((6*7))\necho two-$((1+1))\n")
    }
  }

  @Test func withoutABerthrcScreensStartupFilesAreRead() throws {
    try withSandbox { s in
      let system = s.scratchPath("etc-screenrc")
      try write("screen -t from-system cat\n", to: system)
      try write("screen -t from-user cat\n", to: s.home + "/.screenrc")
      let env = ["SYSTEM_SCREENRC": system]
      let id = try s.startDetached("rcs", [], environment: env)
      let both = s.berth(["-S", id, "-Q", "windows"])
      #expect(
        both.stdout.contains("0 from-system") && both.stdout.contains("1 from-user"), "\(both)")
      // $SCREENRC names the user's file instead of ~/.screenrc.
      let other = s.scratchPath("my-screenrc")
      try write("screen -t from-screenrc cat\n", to: other)
      let id2 = try s.startDetached(
        "rcs2", [], environment: env.merging(["SCREENRC": other]) { $1 })
      let named = s.berth(["-S", id2, "-Q", "windows"]).stdout
      #expect(
        named.contains("from-system") && named.contains("from-screenrc")
          && !named.contains("from-user"), "\(named)")
      // A ~/.berthrc is berth's own: then screen's files are not read.
      try write("screen -t from-berthrc cat\n", to: s.home + "/.berthrc")
      let id3 = try s.startDetached("rcs3", [], environment: env)
      let own = s.berth(["-S", id3, "-Q", "windows"]).stdout
      #expect(
        own.contains("from-berthrc") && !own.contains("from-system") && !own.contains("from-user"),
        "\(own)")
    }
  }

  @Test func screensOwnFilesLoadWithNoLineReported() throws {
    // Copies of the screen package's files, made now (CI installs screen).
    let files = [
      "/etc/screenrc", "/usr/share/doc/screen/examples/screenrc",
      "/usr/share/doc/screen/examples/etcscreenrc",
    ].filter { FileManager.default.fileExists(atPath: $0) }
    try #require(!files.isEmpty, "screen's files are not installed (apt-get install screen)")
    try withSandbox { s in
      let id = try s.startDetached("rc", ["cat"])
      for file in files {
        let copy = s.scratchPath((file as NSString).lastPathComponent)
        #expect(FileManager.default.fileExists(atPath: file))
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        let r = s.berth(["-S", id, "-X", "source", copy])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(file): \(r)")
      }
    }
  }

  @Test func debiansScreenrcUnbindsQuitWithoutSwallowingTheNextLine() throws {
    // `bind ^\` ends in a backslash: not a continuation, as in screen. The
    // line after it (`bind \\ quit` in Debian's file) still counts.
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try write("bind ^\\\nbind x title after-backslash\n", to: rc)
      let id = try s.startDetached(
        "bs", Sandbox.bash,
        environment: Sandbox.bashVariables.merging(["SYSTEM_SCREENRC": rc]) { $1 })
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      let client = try s.attach(["-r", "bs"], session: id)
      client.type([0x01, 0x1C])
      #expect(
        client.waitForOutput("No command bound to ^A ^\\"),
        "\(client.output.suffix(200).debugDescription)")
      client.type(commandKey("x"))
      #expect(eventually { title(s, id) == "after-backslash" }, "\(title(s, id))")
      #expect(s.socketExists(id))
    }
  }

  @Test func commandClassesAndBindKTakeTheirKeys() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "classes")
      func x(_ words: String...) { #expect(s.berth(["-S", id, "-X"] + words).status == 0) }
      // The "resize mode" idiom: a key enters a class; the class's keys act
      // and enter it again; a key the class does not bind is not the default's.
      x("bind", "r", "command", "-c", "demo")
      x("bind", "-c", "demo", "t", "eval", "title class-t", "command -c demo")
      x("bind", "-c", "demo", "u", "title", "class-u")
      client.type(commandKey("r") + Array("t".utf8))
      #expect(eventually { title(s, id) == "class-t" }, "\(title(s, id))")
      client.type("u")  // still in the class
      #expect(eventually { title(s, id) == "class-u" }, "\(title(s, id))")
      client.type(commandKey("r") + Array("c".utf8))  // c is not the class's: no new window
      #expect(
        client.waitForOutput("No command bound to ^A c"),
        "\(client.output.suffix(200).debugDescription)")
      #expect(
        s.berth(["-S", id, "-Q", "windows"]).stdout.split(
          separator: " ", omittingEmptySubsequences: true
        ).count == 2)
      // bind -k: C-a then F5.
      x("bind", "-k", "k5", "title", "f5-after-command-key")
      client.type([0x01] + Array("\u{1B}[15~".utf8))
      #expect(eventually { title(s, id) == "f5-after-command-key" }, "\(title(s, id))")
      // Bad input: one line, nothing changed.
      expectOneLineError(s.berth(["-S", id, "-X", "bind", "-k", "nosuch", "title", "x"]))
      expectOneLineError(s.berth(["-S", id, "-X", "command", "-c"]))
    }
  }

  @Test func bindkeyTakesByteStringsAndCopyModeKeys() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "bindkey")
      func x(_ words: String...) { #expect(s.berth(["-S", id, "-X"] + words).status == 0) }
      // byobu's shift-F1 as old xterms send it: a string no parser knows.
      x("bindkey", "^[O1;2P", "title", "shift-f1")
      client.type("\u{1B}O1;2P")
      #expect(eventually { title(s, id) == "shift-f1" }, "\(title(s, id))")
      // A plain key bound (byobu binds ^A): it runs instead of the command key.
      x("bindkey", "^G", "title", "control-g")
      client.type("echo be\u{07}fore\r")
      #expect(eventually { title(s, id) == "control-g" }, "\(title(s, id))")
      #expect(s.waitForLine(id, "before").ok)
      // Unbound again: the bytes are the program's.
      x("bindkey", "^G")
      x("bindkey", "-d", "^[O1;2P")
      client.type("echo after\u{07}\r")
      #expect(s.waitForLine(id, "after").ok)
      // bindkey -m: copy mode's space marks as usual and then writes the
      // buffer to the exchange file (the snippet that copies to X's clipboard).
      let exchange = s.scratchPath("exchange")
      x("bufferfile", exchange)
      x("bindkey", "-m", " ", "eval", "stuff \\040", "writebuf")
      client.type("echo copy-me-please\r")
      #expect(s.waitForLine(id, "copy-me-please").ok)
      client.type(commandKey("[") + Array("k0 $ ".utf8))
      #expect(client.waitForOutput("Copied"), "\(client.output.suffix(300).debugDescription)")
      #expect(
        eventually {
          (try? String(contentsOfFile: exchange, encoding: .utf8))?.contains("copy-me-please")
            == true
        })
      expectOneLineError(s.berth(["-S", id, "-X", "bindkey", "-m", "abc", "title", "x"]))
      // markkeys: emacs users' C-e does what $ does.
      x("bindkey", "-m", " ")
      x("markkeys", "h=^B:l=^F:$=^E")
      client.type("echo emacs-end-key\r")
      #expect(s.waitForLine(id, "emacs-end-key").ok)
      client.type(commandKey("[") + Array("k0 \u{05} ".utf8))
      #expect(
        client.waitForOutput("Copied 14 characters"),
        "\(client.output.suffix(300).debugDescription)")
      expectOneLineError(s.berth(["-S", id, "-X", "markkeys", "h=xy"]))
    }
  }

  @Test func processTypesARegisterAsTheUserWould() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "process")
      func x(_ words: String...) { #expect(s.berth(["-S", id, "-X"] + words).status == 0) }
      // byobu's F8: the command key, then a command line typed and entered.
      x("register", "t", "^A:title processed^M")
      x("bindkey", "-k", "k8", "process", "t")
      client.type("\u{1B}[19~")
      #expect(eventually { title(s, id) == "processed" }, "\(title(s, id))")
      // From -X: the attached display types it.
      x("register", "u", "^Acecho in-new-window^M")
      x("process", "u")
      #expect(eventually { s.berth(["-S", id, "-Q", "number"]).stdout.hasPrefix("1 (") })
      #expect(s.waitForLine(id, "in-new-window").ok)
      expectOneLineError(s.berth(["-S", id, "-X", "process", "q"]))
    }
  }

  @Test func queriesAnswerAsScreensDo() throws {
    try withSandbox { s in
      let id = try s.startDetached("q", ["-t", "logs", "cat"])
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "two", "cat"]).status == 0)
      let number = s.berth(["-S", id, "-Q", "number"])
      #expect(number.status == 0 && number.stdout == "1 (two)\n", "\(number)")
      // No display attached: screen marks no window.
      let unmarked = s.berth(["-S", id, "-Q", "windows"])
      #expect(unmarked.stdout == "0 logs  1 two\n", "\(unmarked)")
      #expect(s.berth(["-S", id, "-Q", "select", "."]).status == 0)
      expectOneLineError(s.berth(["-S", id, "-X", "select", "9"]))
      // With a display: its window `*`, its previous one `-`.
      let client = try s.attach(["-r", "q"], session: id)
      #expect(s.berth(["-S", id, "-X", "select", "0"]).status == 0)
      #expect(
        eventually { s.berth(["-S", id, "-Q", "windows"]).stdout == "0* logs  1- two\n" },
        "\(s.berth(["-S", id, "-Q", "windows"]))")
      client.type(commandKey("N"))
      #expect(client.waitForOutput("This is window 0 (logs)."))
    }
  }
}

extension EndToEnd {
  @Test func execSendsACommandsOutputWhereItsPatternSays() throws {
    try withSandbox { s in
      let id = try s.startDetached("exec", Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      func x(_ words: String...) -> RunResult { s.berth(["-S", id, "-X"] + words) }
      // .!! types the output into the window: the shell runs it.
      #expect(x("exec", ".!!", "echo", "echo typed-$((6*7))").status == 0)
      let typed = s.waitForLine(id, "typed-42")
      #expect(typed.ok, "\(typed.screen)")
      // The default (...) shows it as if the program had printed it: bash never sees it.
      #expect(x("exec", "printf", "shown-by-exec\\r\\n").status == 0)
      // (at the cursor, after the prompt, as a program's output lands)
      #expect(s.waitForScreen(id) { $0.contains { $0.hasSuffix("shown-by-exec") } }.ok)
      // Glued to the command, stdout typed and stderr shown.
      #expect(x("exec", ".!.sh", "-c", "echo echo out-$((1+2)); echo err-side >&2").status == 0)
      // (stderr's bare newline may leave bash's line after it indented)
      let both = s.waitForScreen(id) {
        $0.contains { $0.trimmingCharacters(in: .whitespaces) == "out-3" }
          && $0.contains { $0.contains("err-side") }
      }
      #expect(both.ok, "\(both.screen)")
      // Bad patterns and a missing command: one line, nothing runs.
      expectOneLineError(x("exec", ".x.", "true"))
      expectOneLineError(x("exec", "!!"))
      expectOneLineError(x("exec", "!..", "cat"))
      expectOneLineError(x("exec", ".", "no-such-command-here"))
      // One at a time in a window, shown by exec alone; it ends with its window.
      #expect(x("screen", "-t", "second", "cat").status == 0)
      let pidFile = s.scratchPath("exec-pid")
      #expect(
        s.berth([
          "-S", id, "-p", "1", "-X", "exec", "sh", "-c", "echo $$ > \(pidFile); exec sleep 1000",
        ]).status == 0)
      var pid: pid_t = 0
      #expect(
        eventually {
          pid =
            pid_t(
              (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines) ?? "") ?? 0
          return pid > 0
        })
      #expect(s.berth(["-S", id, "-p", "1", "-X", "exec"]).stdout.contains("exec: sh -c"))
      expectOneLineError(s.berth(["-S", id, "-p", "1", "-X", "exec", "true"]))
      #expect(s.berth(["-S", id, "-p", "1", "-X", "kill"]).status == 0)
      #expect(eventually { pid > 0 && processIsGone(pid) }, "exec's command outlived its window")
    }
  }
}
