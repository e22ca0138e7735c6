// What the client finds out about the user's terminal: it asks (XTVERSION,
// DA2, DECRQM 2026, DA1) without waiting, takes the answers out of what the
// user types, and a terminal that takes RGB gets windows COLORTERM=truecolor.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  static let queries = "\u{1B}[>q\u{1B}[>c\u{1B}[?2026$p\u{1B}[c"

  @Test func clientAsksTheTerminalWithoutWaiting() throws {
    try withSandbox { s in
      let id = try s.startDetached("ask", ["sh", "-c", "echo drawn; exec sleep 1000"])
      #expect(s.waitForLine(id, "drawn").ok)
      let client = try s.attach(["-r", "ask"], session: id)
      // The frame is drawn though nothing answers.
      #expect(client.waitForOutput("drawn"), "\(client.output.debugDescription)")
      #expect(client.output.contains(Self.queries), "\(client.output.debugDescription)")
    }
  }

  @Test func kittysXTVERSIONAnswerGivesNewWindowsColortermTruecolor() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "kitty", Sandbox.bash, environment: Sandbox.bashVariables)
      let client = try s.attach(["-r", "kitty"], session: id)
      #expect(client.waitForOutput(Self.queries), "\(client.output.debugDescription)")
      // The terminal answers, then the user types: the server has the
      // client's new colours before it runs what was typed.
      client.type("\u{1B}P>|kitty(0.35.0)\u{1B}\\")
      client.type("echo after-answer\r")
      #expect(s.waitForLine(id, "after-answer").ok)
      let r = s.berth([
        "-S", "kitty", "-X", "screen", "sh", "-c", "echo \"C=$COLORTERM\"; exec sleep 1000",
      ])
      #expect(r.status == 0, "\(r)")
      let shown = s.waitForLine(id, "C=truecolor")
      #expect(shown.ok, "\(shown.screen)")
    }
  }

  @Test func withoutAnAnswerWindowsGetNoColorterm() throws {
    try withSandbox { s in
      let id = try s.startDetached("mute", Sandbox.bash, environment: Sandbox.bashVariables)
      let client = try s.attach(["-r", "mute"], session: id)
      client.type("echo typed\r")
      #expect(s.waitForLine(id, "typed").ok)
      let r = s.berth([
        "-S", "mute", "-X", "screen", "sh", "-c", "echo \"C=$COLORTERM.\"; exec sleep 1000",
      ])
      #expect(r.status == 0, "\(r)")
      let shown = s.waitForLine(id, "C=.")
      #expect(shown.ok, "\(shown.screen)")
    }
  }

  @Test func terminalAnswersNeverReachTheProgram() throws {
    try withSandbox { s in
      let id = try s.startDetached("answers", keyEcho())
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-r", "answers"], session: id)
      #expect(client.waitForOutput(Self.queries))
      // Answers, one cut between two writes, and keys among them.
      client.type("\u{1B}[>1;4000;29c\u{1B}[?2026;2")
      client.type("$ya\u{1B}[?62;22;52cb")
      let seen = s.waitForScreen(id) { lines in lines.contains { $0.contains("b'") } }
      #expect(seen.ok, "\(seen.screen)")
      let typed = screenLines(seen.screen).filter { $0.hasPrefix("b'") }.joined()
      #expect(typed.replacingOccurrences(of: "'b'", with: "") == "b'ab'", "\(seen.screen)")
      // After DA1's answer nothing more is taken out: keys pass as they are.
      client.type("\u{1B}[c")
      #expect(s.waitForLine(id, "b'\\x1b[c'").ok)
    }
  }

  @Test func truecolorSettingIsKeptAndChecked() throws {
    try withSandbox { s in
      let id = try s.startDetached("tc", ["sleep", "1000"])
      #expect(s.berth(["-S", id, "-X", "truecolor"]).stdout.contains("truecolor auto"))
      #expect(s.berth(["-S", id, "-X", "truecolor", "on"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "truecolor"]).stdout.contains("truecolor on"))
      let bad = s.berth(["-S", id, "-X", "truecolor", "maybe"])
      #expect(bad.status != 0, "\(bad)")
      #expect(bad.stderr.contains("truecolor: usage: truecolor [on|off|auto]"), "\(bad)")
    }
  }

  /// Without COLORTERM or an RGB terminfo entry the first frame has palette
  /// colours and no links; kitty's answer brings RGB and hyperlinks.
  @Test func rgbAndLinksDrawnOnceTheTerminalSaysItIsKitty() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "rgb",
        [
          "sh", "-c",
          "printf '\\033[38;2;10;200;30mgreen\\033[0m \\033]8;;https://example.com/x\\033\\\\link\\033]8;;\\033\\\\\\n'; exec sleep 1000",
        ])
      #expect(s.waitForLine(id, "green link").ok)
      let client = try s.attach(["-r", "rgb"], session: id)
      #expect(client.waitForOutput(Self.queries))
      #expect(client.waitForOutput("link"), "\(client.output.debugDescription)")
      #expect(!client.output.contains("38;2;"), "\(client.output.debugDescription)")
      #expect(!client.output.contains("]8;"), "\(client.output.debugDescription)")
      client.type("\u{1B}P>|kitty(0.35.0)\u{1B}\\")
      #expect(client.waitForOutput("38;2;10;200;30"), "\(client.output.debugDescription)")
      #expect(
        client.waitForOutput("\u{1B}]8;;https://example.com/x\u{1B}\\link\u{1B}]8;;\u{1B}\\"),
        "\(client.output.debugDescription)")
    }
  }

  /// A terminal that knows mode 2026 (DECRQM answers 2: reset) gets each
  /// frame wrapped in synchronized output.
  @Test func framesAreSynchronizedWhereTheTerminalKnowsMode2026() throws {
    try withSandbox { s in
      let id = try s.startDetached("sync", ["sh", "-c", "echo first; exec cat"])
      #expect(s.waitForLine(id, "first").ok)
      let client = try s.attach(["-r", "sync"], session: id)
      #expect(client.waitForOutput(Self.queries))
      #expect(client.waitForOutput("first"), "\(client.output.debugDescription)")
      #expect(!client.output.contains("\u{1B}[?2026h"), "\(client.output.debugDescription)")
      client.type("\u{1B}[?2026;2$y\u{1B}[?62;22c")
      client.type("typed\r")
      #expect(
        client.waitForOutput("\u{1B}[?2026h"), "\(client.output.debugDescription)")
      #expect(client.waitForOutput("typed"), "\(client.output.debugDescription)")
      #expect(client.waitForOutput("\u{1B}[?2026l"), "\(client.output.debugDescription)")
      // The answers never reached the program: cat echoes only what was typed.
      let shown = s.waitForLine(id, "typed")
      #expect(shown.ok && !shown.screen.contains("2026"), "\(shown.screen)")
    }
  }
}
