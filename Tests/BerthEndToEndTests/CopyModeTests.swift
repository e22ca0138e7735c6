// Copy mode and the paste buffer: C-a [ moves over the window's history
// with vi's keys, searches, marks and copies; C-a ] pastes (bracketed when
// the program asked); copies reach the user's terminal through OSC 52.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  @Test func copyModeCopiesMarkedTextAndPasteTypesIt() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "copy")
      client.type("seq 101 160\r")
      #expect(s.waitForLine(id, "160").ok)
      // Search back into history for 117, mark it, move down a line to its end, copy.
      client.type(commandKey("["))
      #expect(client.waitForOutput("Copy mode"))
      client.type("?117\r")
      client.type(" j$ ")
      #expect(
        client.waitForOutput("Copied 7 characters into buffer"),
        "\(client.output.suffix(400).debugDescription)")
      // The copy went to the terminal's clipboard too: OSC 52 with base64 of "117\n118".
      #expect(
        client.waitForOutput("\u{1B}]52;c;MTE3CjExOA=="),
        "\(client.output.suffix(300).debugDescription)")
      // Pasted into bash (which asks for bracketed paste): both lines arrive as typed.
      client.type("\u{15}echo ")
      client.type(commandKey("]"))
      client.type("\r")
      #expect(
        s.waitForScreen(id) { lines in
          lines.contains("$ echo 117")
            || lines.contains { $0.contains("117") && $0.contains("118") }
        }.ok)
    }
  }

  @Test func copyModeYanksLinesAndWordsAndLeavesWithEscape() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "yank")
      client.type("echo alpha beta gamma\r")
      #expect(s.waitForLine(id, "alpha beta gamma").ok)
      // Y copies the whole line under the cursor.
      client.type(commandKey("[") + Array("kY".utf8))
      #expect(
        client.waitForOutput("Copied 16 characters into buffer"),
        "\(client.output.suffix(300).debugDescription)")
      // W copies one word: from the start of the line, w moves to "beta".
      client.type(commandKey("[") + Array("k0wW".utf8))
      #expect(client.waitForOutput("Copied 4 characters into buffer"))
      // Escape leaves without copying, and keys go to the program again.
      client.type(commandKey("[") + [0x1B])
      #expect(client.waitForOutput("Copy mode aborted"))
      client.type("echo back-")
      client.type(commandKey("]"))
      client.type("\r")
      #expect(s.waitForLine(id, "back-beta").ok)
    }
  }

  @Test func pasteTypesAsScreenDoesEvenWhenTheProgramAskedForBrackets() throws {
    try withSandbox { s in
      let id = try s.startDetached("bpaste", keyEcho(modes: "\\x1b[?2004h"))
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-r", "bpaste"], session: id)
      // Copy "ready" from the screen, then paste it back into the program:
      // typed as screen types it, without bracketed-paste codes (a paste from
      // the user's own terminal keeps them: InputTests).
      client.type(commandKey("[") + Array("gW".utf8))
      #expect(client.waitForOutput("Copied 5 characters into buffer"))
      client.type(commandKey("]"))
      let typed = s.waitForLine(id, "b'ready'")
      #expect(typed.ok, "\(typed.screen)")
      let empty = s.berth(["-S", id, "-X", "register", ".", ""])
      #expect(empty.status == 0)
      let none = s.berth(["-S", id, "-X", "paste", "."])
      #expect(none.status != 0 && none.stderr.contains("empty buffer"), "\(none)")
    }
  }

  @Test func aReadOnlyClientCopiesButCannotPasteOrStuff() throws {
    try withSandbox { s in
      let id = try s.startDetached("ro", keyEcho())
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-x", "ro", "--read-only"], session: id)
      client.type(commandKey("[") + Array("gW".utf8))
      #expect(client.waitForOutput("Copied 5 characters into buffer"))
      client.type(commandKey("]"))
      #expect(
        client.waitForOutput("paste: this client is read-only"),
        "\(client.output.suffix(200).debugDescription)")
      client.type(commandKey(":") + Array("stuff typed\r".utf8))
      #expect(client.waitForOutput("stuff: this client is read-only"))
      #expect(s.screen(id).map { !$0.contains("b'") } ?? false, "a read-only client typed")
    }
  }
}
