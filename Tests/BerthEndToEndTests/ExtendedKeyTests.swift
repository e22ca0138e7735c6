// Extended keys end to end: a program that asks for kitty's CSI u keys or
// xterm's modifyOtherKeys gets C-Enter as it asked, whatever form the
// user's terminal sent it in; one that asked nothing gets legacy bytes; the
// command key works when the terminal sends it as CSI u; and the client
// asks its terminal for extended keys only while the program wants them.
import Foundation
import Glibc
import Testing

private let askKeys = "\u{1B}[>4;2m\u{1B}[>1u"
private let undoKeys = "\u{1B}[>4m\u{1B}[<u"

extension EndToEnd {
  private func extendedEcho(_ s: Sandbox, modes: String, name: String = "xkeys") throws
    -> (id: String, client: TerminalClient)
  {
    let id = try s.startDetached(name, keyEcho(modes: modes))
    #expect(s.waitForLine(id, "ready").ok)
    return (id, try s.attach(["-r", name], session: id))
  }

  private func expectReceived(
    _ s: Sandbox, _ id: String, _ client: TerminalClient, typing: String, _ received: String,
    _ comment: Comment
  ) {
    client.type(typing)
    #expect(s.waitForLine(id, received, timeout: 5).ok, comment)
  }

  @Test func kittyProgramGetsCSIuKeys() throws {
    try withSandbox { s in
      let (id, client) = try extendedEcho(s, modes: "\\x1b[>1u")
      #expect(client.waitForOutput(askKeys), "the client asks its terminal for extended keys")
      expectReceived(
        s, id, client, typing: "\u{1B}[13;5u", "b'\\x1b[13;5u'", "C-Enter as kitty sends it")
      expectReceived(
        s, id, client, typing: "\u{1B}[27;7;13~", "b'\\x1b[13;7u'", "M-C-Enter as xterm sends it")
      expectReceived(s, id, client, typing: "\u{1B}[13;2u", "b'\\x1b[13;2u'", "S-Enter")
      expectReceived(
        s, id, client, typing: "\u{02}", "b'\\x1b[98;5u'", "C-b typed as a legacy byte")
      expectReceived(s, id, client, typing: "\u{1B}[27u", "b'\\x1b[27u'", "Esc")
      expectReceived(s, id, client, typing: "x\r", "b'x\\r'", "text and Enter stay as they are")
      // The command key as a kitty terminal sends it still detaches.
      client.type("\u{1B}[97;5ud")
      #expect(client.waitForExit() == 0, "C-a d as CSI u did not detach")
      let output = client.output
      let asked = output.range(of: askKeys)
      let undone = output.range(of: undoKeys, options: .backwards)
      #expect(
        asked != nil && undone != nil && asked!.upperBound <= undone!.lowerBound,
        "the terminal's extended keys are undone on detach: \(output.debugDescription)")
    }
  }

  @Test func modifyOtherKeysProgramGetsCSI27Keys() throws {
    try withSandbox { s in
      let (id, client) = try extendedEcho(s, modes: "\\x1b[>4;2m")
      #expect(client.waitForOutput(askKeys))
      expectReceived(s, id, client, typing: "\u{1B}[13;5u", "b'\\x1b[27;5;13~'", "C-Enter")
      expectReceived(s, id, client, typing: "\u{1B}[59;5u", "b'\\x1b[27;5;59~'", "C-;")
      expectReceived(s, id, client, typing: "\u{02}", "b'\\x1b[27;5;98~'", "C-b")
    }
  }

  @Test func programThatAskedNothingGetsLegacyBytes() throws {
    try withSandbox { s in
      let (id, client) = try extendedEcho(s, modes: "")
      expectReceived(s, id, client, typing: "\u{1B}[13;5u", "b'\\r'", "C-Enter is Enter")
      expectReceived(s, id, client, typing: "\u{1B}[59;5u", "b';'", "C-; is ;")
      expectReceived(s, id, client, typing: "\u{1B}[97;6u", "b'\\x01'", "C-S-a is C-a")
      expectReceived(s, id, client, typing: "\u{1B}[27u", "b'\\x1b'", "Esc")
      expectReceived(s, id, client, typing: "\u{1B}[9;2u", "b'\\x1b[Z'", "S-Tab")
      expectReceived(
        s, id, client, typing: "\u{1B}[13;5:3u\u{1B}[57441u\u{1B}[;;;u.", "b'.'",
        "releases, lone modifiers and garbage give nothing")
      // C-a c as CSI u makes a window: the echo's screen gives way to a new one.
      client.type("\u{1B}[97;5uc")
      #expect(
        eventually { s.berth(["-S", "xkeys", "-Q", "windows"]).stdout.contains("1") },
        "C-a c as CSI u made no window")
      #expect(!client.output.contains("\u{1B}[>4;2m"), "asked the terminal without a reason")
    }
  }

  @Test func extendedKeysAreAskedOnlyWhileTheProgramWantsThem() throws {
    try withSandbox { s in
      // Pushes flag 1; on "q" pops it again.
      let script = """
        import os, tty
        tty.setraw(0)
        os.write(1, b"\\x1b[>1uready\\r\\n")
        while True:
            d = os.read(0, 1024)
            if not d: break
            if d == b"q": os.write(1, b"\\x1b[<upopped\\r\\n")
            else: os.write(1, (repr(d) + "\\r\\n").encode())
        """
      let id = try s.startDetached("pop", ["python3", "-c", script])
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-r", "pop"], session: id)
      #expect(client.waitForOutput(askKeys))
      client.type("q")
      #expect(s.waitForLine(id, "popped").ok)
      #expect(client.waitForOutput(undoKeys), "the request is undone when the program pops")
      expectReceived(s, id, client, typing: "\u{1B}[13;5u", "b'\\r'", "legacy again after the pop")
    }
  }

  @Test func extendedKeysAreUndoneWhenTheClientIsSuspended() throws {
    try withSandbox { s in
      let id = try s.startDetached("susp", keyEcho(modes: "\\x1b[>1u"))
      #expect(s.waitForLine(id, "ready").ok)
      let shell = try s.jobShell()
      shell.type("\(berthBinary) -r susp\r")
      #expect(eventually { s.state(of: id) == "Attached" })
      #expect(shell.waitForOutput(askKeys))
      shell.type([0x01, UInt8(ascii: "z")])
      #expect(eventually { shell.output.contains("Stopped") }, "\(shell.output.debugDescription)")
      let output = shell.output
      let asked = output.range(of: askKeys)
      let undone = output.range(of: undoKeys, options: .backwards)
      #expect(
        asked != nil && undone != nil && asked!.upperBound <= undone!.lowerBound,
        "the terminal's extended keys are undone on suspend: \(output.debugDescription)")
      // Continued, the client asks again for the program that still wants them.
      let before = output.components(separatedBy: askKeys).count
      shell.type("fg\r")
      #expect(eventually { shell.output.components(separatedBy: askKeys).count > before })
    }
  }
}
