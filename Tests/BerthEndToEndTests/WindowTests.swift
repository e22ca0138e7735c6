// Several windows in one session: creating, switching, naming, killing,
// each keeping its own screen, and the session ending with the last one.
import Foundation
import Glibc
import Testing

/// C-a and a key.
func commandKey(_ key: Character) -> [UInt8] { [0x01] + Array(String(key).utf8) }

extension EndToEnd {
  /// A session of bash windows as the tests want them, attached; returns its id and client.
  private func bashSession(_ s: Sandbox, _ name: String) throws -> (String, TerminalClient) {
    let id = try s.startDetached(name, Sandbox.bash, environment: Sandbox.bashVariables)
    #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
    let client = try s.attach(["-r", name], session: id)
    return (id, client)
  }

  private func windowList(_ s: Sandbox, _ id: String) -> String {
    s.berth(["-S", id, "-X", "windows"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func commandKeyCOpensAWindowAndEachKeepsItsScreen() throws {
    try withSandbox { s in
      let (id, client) = try bashSession(s, "wins")
      client.type("echo first-window\r")
      #expect(s.waitForLine(id, "first-window").ok)
      client.type(commandKey("c"))
      #expect(eventually { windowList(s, id).contains("1*") }, "\(windowList(s, id))")
      client.type("echo second-window\r")
      let second = s.waitForScreen(id) { $0.contains("second-window") }
      #expect(second.ok, "\(second.screen)")
      #expect(!second.screen.contains("first-window"), "window 1 shows window 0's screen")
      // Window 0 kept its own screen.
      let file = s.scratchPath("w0")
      let r = s.berth(["-S", id, "-p", "0", "-X", "hardcopy", file])
      #expect(r.status == 0, "\(r)")
      let w0 = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
      #expect(w0.contains("first-window") && !w0.contains("second-window"), "\(w0)")
    }
  }

  @Test func switchingWindowsWithNextPrevNumberAndOther() throws {
    try withSandbox { s in
      let (id, client) = try bashSession(s, "sw")
      _ = s.berth(["-S", id, "-X", "screen", "-t", "one", "/bin/bash", "--norc", "--noprofile"])
      _ = s.berth(["-S", id, "-X", "screen", "-t", "two", "/bin/bash", "--norc", "--noprofile"])
      #expect(eventually { windowList(s, id).contains("2* two") }, "\(windowList(s, id))")
      client.type(commandKey("0"))
      #expect(eventually { windowList(s, id).hasPrefix("0*") }, "C-a 0: \(windowList(s, id))")
      client.type(commandKey("n"))
      #expect(eventually { windowList(s, id).contains("1* one") }, "C-a n: \(windowList(s, id))")
      client.type(commandKey("p"))
      #expect(eventually { windowList(s, id).hasPrefix("0*") }, "C-a p: \(windowList(s, id))")
      client.type([0x01, 0x01])
      #expect(eventually { windowList(s, id).contains("1* one") }, "C-a C-a: \(windowList(s, id))")
      // Typing goes to the window shown.
      client.type("echo typed-in-one\r")
      let file = s.scratchPath("one")
      #expect(
        eventually {
          _ = s.berth(["-S", id, "-p", "one", "-X", "hardcopy", file])
          return ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains(
            "typed-in-one")
        })
    }
  }

  @Test func promptsRenameSelectAndConfirmKill() throws {
    try withSandbox { s in
      let (id, client) = try bashSession(s, "prompts")
      client.type(commandKey("A"))
      #expect(client.waitForOutput("Set window's title to:"), "\(client.output.debugDescription)")
      client.type([0x15] + Array("editor\r".utf8))
      #expect(eventually { windowList(s, id) == "0* editor" }, "\(windowList(s, id))")
      client.type(commandKey("c"))
      #expect(eventually { windowList(s, id).contains("1*") })
      client.type(commandKey("'") + Array("editor\r".utf8))
      #expect(eventually { windowList(s, id).hasPrefix("0* editor") }, "\(windowList(s, id))")
      client.type(commandKey(":") + Array("title 'two words'\r".utf8))
      #expect(eventually { windowList(s, id).hasPrefix("0* two words") }, "\(windowList(s, id))")
      // C-a k asks first; n keeps the window, y kills it.
      client.type(commandKey("k") + Array("n".utf8))
      #expect(client.waitForOutput("Really kill this window"))
      #expect(windowList(s, id).contains("0* two words"))
      client.type(commandKey("k") + Array("y".utf8))
      #expect(eventually { !windowList(s, id).contains("two words") }, "\(windowList(s, id))")
      #expect(!client.hasExited, "killing one of two windows ended the client")
    }
  }

  @Test func theSessionEndsWithItsLastWindowAndItsStatus() throws {
    try withSandbox { s in
      let (id, client) = try bashSession(s, "last")
      _ = s.berth(["-S", id, "-X", "screen", "sh", "-c", "read x; exit 4"])
      #expect(eventually { windowList(s, id).contains("1*") })
      // Window 1 ends: the client goes back to window 0 and stays.
      client.type("\r")
      #expect(eventually { windowList(s, id) == "0* bash" }, "\(windowList(s, id))")
      #expect(!client.hasExited)
      client.type("exit 6\r")
      #expect(client.waitForExit() == 6)
      #expect(client.waitForOutput("[\(id) terminated: exit status 6]"))
    }
  }

  @Test func attachShowsTheWindowNamedByP() throws {
    try withSandbox { s in
      let id = try s.startDetached("pick", ["sh", "-c", "echo window-zero; exec sleep 1000"])
      _ = s.berth([
        "-S", id, "-X", "screen", "-t", "other", "sh", "-c", "echo window-other; exec sleep 1000",
      ])
      let client = try s.attach(["-r", "pick", "-p", "0"], session: id)
      #expect(client.waitForOutput("window-zero"), "\(client.output.debugDescription)")
      let bad = s.berth(["-S", id, "-p", "nosuch", "-X", "stuff", "x"])
      #expect(bad.status != 0 && bad.stderr.contains("no window"), "\(bad)")
    }
  }

  @Test func screenTakesAWindowNumberAndScreensOptionsAsAScreenrcWritesThem() throws {
    try withSandbox { s in
      let id = try s.startDetached("nums", ["sleep", "1000"])
      let list = { s.berth(["-S", id, "-X", "windows"]).stdout }
      // `screen -t shell 1 bash`: 1 is the window's number, not the command.
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "shell", "1", "sleep", "1000"]).status == 0)
      #expect(eventually { list().contains("1 shell") }, "\(list())")
      // A number in use gives the next free one after it.
      #expect(s.berth(["-S", id, "-X", "screen", "1", "sleep", "1000"]).status == 0)
      #expect(eventually { list().contains("2 sleep") }, "\(list())")
      // -L logs this window, -M watches it, -tname is -t name; flow and login flags are taken.
      let r = s.berth([
        "-S", id, "-X", "screen", "-L", "-M", "-fn", "-ln", "-tlogged", "7", "sh", "-c",
        "echo seven-$((3+4)); exec sleep 1000",
      ])
      #expect(r.status == 0, "\(r)")
      #expect(eventually { list().contains("7@$ logged") }, "\(list())")
      #expect(
        eventually {
          ((try? String(contentsOfFile: s.work + "/screenlog.7", encoding: .utf8)) ?? "")
            .contains("seven-7")
        })
      // setenv and unsetenv: for the programs of windows opened after them.
      let envFile = s.scratchPath("env.txt")
      #expect(s.berth(["-S", id, "-X", "setenv", "GREETING", "hello there"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "unsetenv", "HOME"]).status == 0)
      _ = s.berth([
        "-S", id, "-X", "screen", "sh", "-c",
        "echo \"G=$GREETING H=${HOME-unset}\" > '\(envFile)'; exec sleep 1000",
      ])
      #expect(
        eventually {
          ((try? String(contentsOfFile: envFile, encoding: .utf8)) ?? "")
            == "G=hello there H=unset\n"
        })
      expectOneLineError(s.berth(["-S", id, "-X", "setenv", "A=B", "c"]))
      expectOneLineError(s.berth(["-S", id, "-X", "setenv", "LONELY"]))
      // Lines of a typical .screenrc that mean nothing here are taken without a word.
      for line in [
        ["defbce", "on"], ["nonblock", "on"], ["deflogin", "off"], ["maptimeout", "5"],
      ] {
        #expect(s.berth(["-S", id, "-X"] + line).status == 0, "\(line)")
      }
      expectOneLineError(s.berth(["-S", id, "-X", "screen", "-x", "sleep", "1"]))
      expectOneLineError(s.berth(["-S", id, "-X", "screen", "-h"]))
    }
  }

  @Test func zombieWindowsStayUntilKilledOrResurrected() throws {
    try withSandbox { s in
      let (id, client) = try bashSession(s, "zombie")
      #expect(s.berth(["-S", id, "-X", "zombie", "kr"]).status == 0)
      _ = s.berth([
        "-S", id, "-X", "screen", "-t", "brief", "sh", "-c", "echo started; read x; exit 3",
      ])
      #expect(eventually { windowList(s, id).contains("1* brief") })
      let screen1 = { () -> String in
        let file = s.scratchPath("w1")
        _ = s.berth(["-S", id, "-p", "1", "-X", "hardcopy", file])
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
      }
      client.type("\r")
      #expect(
        eventually {
          screen1().contains("=== Command terminated (exit status 3): k closes, r restarts ===")
        }, "\(screen1())")
      // Marked Z among the flags, as screen marks a zombie: "1*Z brief".
      #expect(windowList(s, id).contains("1*Z brief"), "\(windowList(s, id))")
      // r runs the command again in the same window, below the last run's
      // screen, as screen's resurrect does.
      client.type("r")
      let runs = { screen1().components(separatedBy: "started").count - 1 }
      #expect(eventually { runs() == 2 }, "\(screen1())")
      client.type("\r")
      #expect(
        eventually { screen1().components(separatedBy: "Command terminated").count - 1 == 2 },
        "\(screen1())")
      // k closes it; the client goes back to window 0.
      client.type("k")
      #expect(eventually { windowList(s, id) == "0* bash" }, "\(windowList(s, id))")
      #expect(!client.hasExited)
    }
  }
}
