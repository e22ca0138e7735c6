// Every key in: what a program receives for the keys, pastes and mouse
// events the user's terminal sends, in each of the program's modes. The
// program is a small echo that prints each read as Python bytes, one per line.
import Foundation
import Glibc
import Testing

/// Sets the terminal raw, prints `modes` (escape sequences that set the
/// program's modes), then "ready", then repr() of every read.
func keyEcho(modes: String = "") -> [String] {
  let script = """
    import os, sys, tty
    tty.setraw(0)
    os.write(1, b"\(modes)ready\\r\\n")
    while True:
        d = os.read(0, 1024)
        if not d: break
        os.write(1, (repr(d) + "\\r\\n").encode())
    """
  return ["python3", "-c", script]
}

extension EndToEnd {
  /// Starts the echo with `modes`, attaches, and returns a function that types
  /// bytes and waits for the program's line for them.
  private func echoSession(_ s: Sandbox, modes: String = "", name: String = "keys") throws
    -> (client: TerminalClient, expect: ([UInt8], String, Comment?) -> Void)
  {
    let id = try s.startDetached(name, keyEcho(modes: modes))
    #expect(s.waitForLine(id, "ready").ok)
    let client = try s.attach(["-r", name], session: id)
    let expect = { (typed: [UInt8], received: String, comment: Comment?) in
      client.type(typed)
      let seen = s.waitForLine(id, received, timeout: 5)
      #expect(seen.ok, comment ?? "typed \(typed) expecting \(received)")
    }
    return (client, expect)
  }

  @Test func cursorKeysFollowTheProgramsCursorKeyMode() throws {
    try withSandbox { s in
      let (_, expect) = try echoSession(s)
      // Normal mode: CSI, whichever form the user's terminal sent.
      expect(Array("\u{1B}[A".utf8), "b'\\x1b[A'", nil)
      expect(Array("\u{1B}OB".utf8), "b'\\x1b[B'", "an application-mode terminal's down key")
      expect(Array("\u{1B}[1;5C".utf8), "b'\\x1b[1;5C'", "C-Right keeps its modifier")
      expect(
        Array("\u{1B}[H".utf8), "b'\\x1b[1~'", "Home as khome of screen-256color and tmux-256color")
      expect(Array("\u{1B}OP".utf8), "b'\\x1bOP'", "F1")
      expect(Array("\u{1B}[15;2~".utf8), "b'\\x1b[15;2~'", "S-F5")
      expect(Array("\u{1B}x".utf8), "b'\\x1bx'", "Alt-x as ESC x")
      expect([0x7F], "b'\\x7f'", "Backspace as the terminal sends it")
      expect([0x1B], "b'\\x1b'", "a lone Escape arrives at once")
    }
    try withSandbox { s in
      let (_, expect) = try echoSession(s, modes: "\\x1b[?1h")
      expect(Array("\u{1B}[A".utf8), "b'\\x1bOA'", "application cursor keys (DECCKM)")
      expect(Array("\u{1B}[1;2A".utf8), "b'\\x1b[1;2A'", "modified keys stay CSI")
    }
  }

  @Test func keypadFollowsTheProgramsKeypadMode() throws {
    try withSandbox { s in
      let (_, expect) = try echoSession(s, modes: "\\x1b=")
      expect(Array("\u{1B}Oq".utf8), "b'\\x1bOq'", "application keypad 1")
    }
    try withSandbox { s in
      let (_, expect) = try echoSession(s)
      expect(Array("\u{1B}Oq".utf8), "b'1'", "numeric keypad 1")
    }
  }

  @Test func pasteIsBracketedOnlyWhenTheProgramAsks() throws {
    let paste = Array("\u{1B}[200~pasted \u{01}d text\u{1B}[201~".utf8)
    try withSandbox { s in
      let (client, expect) = try echoSession(s, modes: "\\x1b[?2004h")
      expect(
        paste, "b'\\x1b[200~pasted \\x01d text\\x1b[201~'",
        "bracketed paste, C-a d inside it is text")
      #expect(!client.hasExited, "a C-a d inside a paste detached the client")
    }
    try withSandbox { s in
      let (_, expect) = try echoSession(s)
      expect(paste, "b'pasted \\x01d text'", "a plain paste")
    }
  }

  @Test func mouseEventsReachTheProgramInItsEncoding() throws {
    try withSandbox { s in
      let (client, expect) = try echoSession(s, modes: "\\x1b[?1000h\\x1b[?1006h")
      #expect(client.waitForOutput("\u{1B}[?1000h"), "the client never turned mouse reporting on")
      expect(Array("\u{1B}[<0;5;3M".utf8), "b'\\x1b[<0;5;3M'", "SGR press at column 5, row 3")
      expect(Array("\u{1B}[<0;5;3m".utf8), "b'\\x1b[<0;5;3m'", "SGR release")
    }
    try withSandbox { s in
      let (_, expect) = try echoSession(s, modes: "\\x1b[?1000h")
      // The user's terminal reports SGR; the program asked for the legacy encoding.
      expect(Array("\u{1B}[<2;10;4M".utf8), "b'\\x1b[M\"*$'", "legacy right press at 10,4")
    }
  }

  @Test func mouseIsNotSentToAProgramThatDidNotAskForIt() throws {
    try withSandbox { s in
      let (client, expect) = try echoSession(s, modes: "\\x1b[?1000h\\x1b[?1000l")
      client.type(Array("\u{1B}[<0;5;3M".utf8))
      expect(Array("z".utf8), "b'z'", nil)
      #expect(!(s.screen(s.sessionID("keys") ?? "") ?? "").contains("<0;5;3"))
    }
  }

  @Test func focusEventsReachTheProgramWhenAsked() throws {
    try withSandbox { s in
      let (client, expect) = try echoSession(s, modes: "\\x1b[?1004h")
      #expect(client.waitForOutput("\u{1B}[?1004h"), "the client never turned focus events on")
      expect(Array("\u{1B}[I".utf8), "b'\\x1b[I'", "focus in")
    }
  }

  @Test func twoClientsOfDifferentSizesTheWindowFollowsTheLatest() throws {
    try withSandbox { s in
      let id = try s.startDetached("two", Sandbox.bash, environment: Sandbox.bashVariables)
      #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
      let small = try s.attach(["-r", "two"], session: id, columns: 80, rows: 24)
      let large = try s.attach(["-x", "two"], session: id, columns: 100, rows: 30)
      large.type("stty size\r")
      #expect(
        s.waitForLine(id, "30 100").ok,
        "the window did not take the size of the client that attached last")
      small.type("clear; stty size\r")
      #expect(
        s.waitForLine(id, "24 80").ok, "the window did not take the size of the client that typed")
      #expect(!small.hasExited && !large.hasExited)
    }
  }

  @Test func readOnlyClientSeesButCannotType() throws {
    try withSandbox { s in
      let id = try s.startDetached("ro", keyEcho())
      #expect(s.waitForLine(id, "ready").ok)
      let viewer = try s.attach(["-x", "ro", "--read-only"], session: id, columns: 60, rows: 20)
      viewer.type("typed by the viewer")
      _ = s.berth(["-S", id, "-X", "stuff", "from-stuff"])
      #expect(s.waitForLine(id, "b'from-stuff'").ok)
      #expect(viewer.waitForOutput("from-stuff"), "the read-only client does not see the screen")
      #expect(
        !(s.screen(id) ?? "").contains("viewer"), "a read-only client's keys reached the program")
      // Its size never becomes the window's.
      _ = s.berth(["-S", id, "-X", "stuff", "x"])
      #expect(!viewer.hasExited)
      // C-a d still detaches it.
      viewer.type(detachKeys)
      #expect(viewer.waitForExit() == 0)
    }
  }

  @Test func aClientThatStopsReadingSlowsNobody() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "flood", ["sh", "-c", "read x; seq 1 400000; echo FLOOD-DONE; exec sleep 1000"])
      let stalled = try s.attach(["-r", "flood"], session: id)
      let live = try s.attach(["-x", "flood"], session: id)
      stalled.signal(SIGSTOP)
      let started = monotonicSeconds()
      _ = s.berth(["-S", id, "-X", "stuff", "\\n"])
      #expect(s.waitForLine(id, "FLOOD-DONE", timeout: 60).ok, "the program never finished")
      let took = monotonicSeconds() - started
      #expect(
        live.waitForOutput("FLOOD-DONE"), "the client that reads did not get the final screen")
      stalled.signal(SIGCONT)
      #expect(
        stalled.waitForOutput("FLOOD-DONE"),
        "the stalled client did not catch up with the final screen")
      #expect(took < 30, "the flood took \(took) s with a stalled client")
    }
  }
}

extension EndToEnd {
  @Test func synchronizedUpdateIsShownAtItsEndOrAfterABound() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "sync",
        ["sh", "-c", "read x; printf '\\033[?2026hheld-then-shown'; sleep 30"])
      let client = try s.attach(["-r", "sync"], session: id)
      _ = s.berth(["-S", id, "-X", "stuff", "\\n"])
      // The program never ends its update: the client is shown it after the bound.
      #expect(
        client.waitForOutput("held-then-shown", timeout: 3), "\(client.output.debugDescription)")
    }
  }
}
