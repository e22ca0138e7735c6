// What the client writes to the user's terminal, read raw from its PTY:
// palette colours stay palette indices (a themed palette stays the user's)
// and RGB colours arrive exactly, which no screen comparison can see.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  @Test func clientKeepsPaletteIndicesAndSendsRGBExactly() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "colors",
        [
          "sh", "-c",
          "printf '\\033[38;5;208mORANGE\\033[0m \\033[91mBRIGHT\\033[0m \\033[38;2;0;0;255mBLUE\\033[0m \\033[48;5;17mNAVY\\033[0m\\n'; exec cat",
        ])
      #expect(s.waitForLine(id, "ORANGE BRIGHT BLUE NAVY").ok)
      let client = try s.terminal(
        ["-r", "colors"], environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"])
      #expect(client.waitForOutput("NAVY"), "\(client.output.debugDescription)")
      let out = client.output
      #expect(out.contains("38;5;208mORANGE"), "\(out.debugDescription)")
      #expect(out.contains("91mBRIGHT"), "\(out.debugDescription)")
      #expect(out.contains("38;2;0;0;255mBLUE"), "\(out.debugDescription)")
      #expect(out.contains("48;5;17mNAVY"), "\(out.debugDescription)")
      // Never xterm's values for palette entries, never green 1 for blue.
      #expect(!out.contains("38;2;255;135;0"), "\(out.debugDescription)")
      #expect(!out.contains("0;1;255"), "\(out.debugDescription)")
      client.type(detachKeys)
      #expect(client.waitForExit() == 0)
    }
  }

  @Test func clientRoundsRGBToThePaletteWithoutTrueColour() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "colors", ["sh", "-c", "printf '\\033[38;2;0;0;255mBLUE\\033[0m\\n'; exec cat"])
      #expect(s.waitForLine(id, "BLUE").ok)
      let client = try s.terminal(["-r", "colors"], environment: ["TERM": "xterm-256color"])
      #expect(client.waitForOutput("BLUE"), "\(client.output.debugDescription)")
      #expect(client.output.contains("38;5;21mBLUE"), "\(client.output.debugDescription)")
      client.type(detachKeys)
      #expect(client.waitForExit() == 0)
    }
  }

  /// An emoji with a skin tone is one character of two columns in berth (as in
  /// kitty, WezTerm, foot): the client writes it whole, whatever the local
  /// wcwidth says of the modifier, and places the cursor after it again.
  @Test func clientDrawsASkinToneWithItsEmojiAndKeepsTheColumns() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "emoji",
        ["sh", "-c", "printf '\\360\\237\\221\\215\\360\\237\\217\\275|x\n'; exec cat"])
      #expect(s.waitForLine(id, "\u{1F44D}\u{1F3FD}|x").ok)
      let client = try s.terminal(["-r", "emoji"], environment: ["TERM": "xterm-256color"])
      #expect(client.waitForOutput("|x"), "\(client.output.debugDescription)")
      // The emoji and its modifier together, then "|" placed at column 3.
      #expect(
        client.output.contains("\u{1F44D}\u{1F3FD}\u{1B}[1;3H|x"),
        "\(client.output.debugDescription)")
      client.type(detachKeys)
      #expect(client.waitForExit() == 0)
    }
  }
}
