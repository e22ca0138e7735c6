// Copy mode and the paste buffer: C-a [ moves over the window's history
// with screen's (vi's) keys, searches, marks and copies, in rectangles and
// appending if asked, and writes the exchange file (>); C-a ] pastes
// (bracketed when the program asked); copies reach the user's terminal
// through OSC 52.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// The session's paste buffer, as writebuf writes it.
  private func pasteBuffer(_ s: Sandbox, _ id: String) -> String? {
    let file = s.scratchPath("buffer")
    guard s.berth(["-S", id, "-X", "writebuf", file]).status == 0 else { return nil }
    return try? String(contentsOfFile: file, encoding: .utf8)
  }

  /// Enters copy mode, types keys there, and expects the paste buffer to
  /// become `expected`. (Messages are not waited for: the client's output
  /// holds every earlier one, and ncurses writes only what changed.)
  private func copy(
    _ s: Sandbox, _ id: String, _ client: TerminalClient, _ keys: String, gives expected: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    client.type(commandKey("[") + Array(keys.utf8))
    #expect(
      eventually { pasteBuffer(s, id) == expected },
      "\(pasteBuffer(s, id).debugDescription) \(client.output.suffix(200).debugDescription)",
      sourceLocation: sourceLocation)
  }

  @Test func copyModeMovesByWordsAndWORDsAsScreenAndViDo() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "words")
      client.type("echo 'foo bar.baz-2 qux(x) end'\r")
      #expect(s.waitForLine(id, "foo bar.baz-2 qux(x) end").ok)
      // Search back to "bar", mark, E to the WORD's end, copy: the whole WORD.
      copy(s, id, client, "?bar\r E ", gives: "bar.baz-2")
      #expect(client.waitForOutput("Copied 9 characters into buffer"))
      // e ends a word: screen's words end where "(" begins.
      copy(s, id, client, "?qux\r e ", gives: "qux")
      // B goes back to the WORD's start; a count repeats it.
      copy(s, id, client, "?end\r 2B ", gives: "bar.baz-2 qux(x) e")
      // b stops at each kind of word; f finds a character, ; the next one.
      copy(s, id, client, "?end\rbbb f) ", gives: "(x)")
      copy(s, id, client, "?foo\r fa; ", gives: "foo bar.ba")
    }
  }

  @Test func copyModeCopiesARectangleBetweenTheMarginsCAndCSet() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "rect")
      client.type("printf '%s\\n' 0123456789 abcdefghij ABCDEFGHIJ\r")
      #expect(s.waitForLine(id, "ABCDEFGHIJ").ok)
      // Mark at column 4 of the first line, left margin there, three
      // right and two down, right margin there: a 4 by 3 block.
      copy(s, id, client, "?0123\r3l c3l2jC ", gives: "3456\ndefg\nDEFG")
      #expect(client.waitForOutput("Copied 14 characters into buffer"))
      // Without margins the same marks take the lines between.
      copy(s, id, client, "?0123\r3l 3l2j ", gives: "3456789\nabcdefghij\nABCDEFG")
    }
  }

  @Test func copyModeAppendsToThePasteBufferInAppendMode() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "append")
      client.type("printf '%s\\n' 0123456789 abcdefghij ABCDEFGHIJ\r")
      #expect(s.waitForLine(id, "ABCDEFGHIJ").ok)
      copy(s, id, client, "?0123\r 3l ", gives: "0123")
      // a toggles append mode; the copy goes after a newline.
      client.type(commandKey("[") + Array("?abcd\ra".utf8))
      #expect(client.waitForOutput(":set append"))
      client.type(" 3l ")
      #expect(client.waitForOutput("Appended 4 characters to buffer"))
      #expect(eventually { pasteBuffer(s, id) == "0123\nabcd" })
      // a twice is off again: the copy replaces the buffer.
      copy(s, id, client, "?abcd\raa l ", gives: "ab")
      // J J joins with blanks; A sets append mode and the first mark at once.
      copy(s, id, client, "?ABCD\rJJA3l ", gives: "ab ABCD")
    }
  }

  @Test func greaterThanCopiesAndWritesTheExchangeFile() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "exchange")
      let exchange = s.scratchPath("exchange")
      func written() -> String? { try? String(contentsOfFile: exchange, encoding: .utf8) }
      #expect(s.berth(["-S", id, "-X", "bufferfile", exchange]).status == 0)
      client.type("printf '%s\\n' 0123456789 abcdefghij\r")
      #expect(s.waitForLine(id, "abcdefghij").ok)
      // > as the second mark: copy, then the buffer goes to the file.
      client.type(commandKey("[") + Array("?0123\r $>".utf8))
      #expect(
        client.waitForOutput("Copybuffer written to \"\(exchange)\"."),
        "\(client.output.suffix(200).debugDescription)")
      #expect(written() == "0123456789")
      // > as the first mark: the second (space) copies and writes.
      client.type(commandKey("[") + Array("?abcd\r>$ ".utf8))
      #expect(eventually { written() == "abcdefghij" }, "\(written().debugDescription)")
    }
  }

  @Test func copyModeShowsWhereItIsAndLeavesOnKeysItDoesNotKnow() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "keys")
      client.type("echo one-line\r")
      #expect(s.waitForLine(id, "one-line").ok)
      // Y with a count copies lines, from the first one's first character.
      copy(s, id, client, "?one-\r2Y", gives: "one-line\n$")
      // C-g tells where the cursor is (the prompt, the third line).
      client.type(commandKey("[") + [0x07])
      #expect(
        client.waitForOutput("Column 3 Line 3(+0)"), "\(client.output.suffix(200).debugDescription)"
      )
      // z is no key of copy mode's: it leaves, and keys go to bash again.
      client.type("z")
      #expect(client.waitForOutput("Copy mode aborted"))
      client.type("\u{15}echo after-z\r")
      #expect(s.waitForLine(id, "after-z").ok)
    }
  }

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
