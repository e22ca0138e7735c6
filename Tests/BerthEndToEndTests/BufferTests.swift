// The paste buffer, the registers and their files (readbuf, writebuf,
// bufferfile, removebuf, register, readreg, paste), lastmsg, and time
// stamps in logs (logtstamp), used as scripts and screenrcs use them.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  private func contents(_ path: String) -> String? {
    try? String(contentsOfFile: path, encoding: .utf8)
  }

  @Test func buffersAndRegistersMoveTextThroughFilesAsScreensDo() throws {
    try withSandbox { s in
      let id = try s.startDetached("buf", ["cat"])
      func x(_ words: String...) -> RunResult { s.berth(["-S", id, "-X"] + words) }
      // readbuf, with a file named relative to where berth runs, then paste.
      let directory = s.scratchPath("files")
      #expect(mkdir(directory, 0o700) == 0)
      try "alpha-\(6*7)\n".write(toFile: directory + "/in.txt", atomically: true, encoding: .utf8)
      let read = s.berth(["-S", id, "-X", "readbuf", "in.txt"], directory: directory)
      #expect(read.status == 0 && read.stdout.isEmpty, "\(read)")
      #expect(x("paste", ".").status == 0)
      // cat's echo and its copy: the line twice.
      #expect(s.waitForScreen(id) { $0.filter { $0 == "alpha-42" }.count == 2 }.ok)

      // Registers: one set by register (escapes decoded), one read from a
      // file, and a paste into a third that puts them together.
      #expect(x("register", "q", "reg-\\061^M").status == 0)
      #expect(x("readreg", "r", directory + "/in.txt").status == 0)
      #expect(x("paste", "rq", "z").status == 0)
      #expect(x("paste", "z").status == 0)
      let both = s.waitForScreen(id) {
        $0.filter { $0 == "alpha-42" }.count == 4 && $0.filter { $0 == "reg-1" }.count == 2
      }
      #expect(both.ok, "\(both.screen)")

      // writebuf writes the paste buffer; bufferfile moves the default file;
      // removebuf removes it.
      #expect(x("writebuf", directory + "/out.txt").status == 0)
      #expect(contents(directory + "/out.txt") == "alpha-42\n")
      let exchange = directory + "/exchange"
      #expect(x("bufferfile", exchange).status == 0)
      #expect(x("readreg", ".", directory + "/in.txt").status == 0)
      #expect(x("writebuf").status == 0)
      #expect(contents(exchange) == "alpha-42\n")
      #expect(x("removebuf").status == 0)
      #expect(access(exchange, F_OK) != 0, "removebuf left \(exchange)")

      // A symlink is not followed (the default file is in /tmp); a missing
      // file, another encoding and a bad register are refused in one line.
      let target = directory + "/target"
      try "untouched".write(toFile: target, atomically: true, encoding: .utf8)
      #expect(symlink(target, directory + "/link") == 0)
      expectOneLineError(x("writebuf", directory + "/link"))
      #expect(contents(target) == "untouched")
      expectOneLineError(x("readbuf", directory + "/missing"))
      expectOneLineError(x("readbuf", "-e", "latin1", directory + "/in.txt"))
      expectOneLineError(x("paste", "q", "\u{01}"))
      // The session lived through all of it.
      #expect(x("stuff", "still-here\r").status == 0)
      #expect(s.waitForLine(id, "still-here").ok)
    }
  }

  @Test func lastmsgShowsTheLastMessageAgain() throws {
    try withSandbox { s in
      let id = try s.startDetached("msg", Sandbox.bash, environment: Sandbox.bashVariables)
      let client = try s.attach(["-r", id], session: id)
      _ = s.berth(["-S", id, "-X", "echo", "note-\(7*7)"])
      #expect(client.waitForOutput("note-49"), "\(client.output.suffix(300).debugDescription)")
      func shown() -> Int { client.output.components(separatedBy: "note-49").count - 1 }
      // A key typed takes the message away (bash gets the space).
      client.type(" ")
      let before = shown()
      client.type([0x01, UInt8(ascii: "m")])
      #expect(eventually { shown() > before }, "C-a m did not show the message again")
      client.type(" ")
      let again = shown()
      _ = s.berth(["-S", id, "-X", "lastmsg"])
      #expect(eventually { shown() > again }, "-X lastmsg did not show the message again")
    }
  }

  @Test func logtstampStampsALogAfterEachQuietSpell() throws {
    try withSandbox { s in
      let id = try s.startDetached("stamp", ["cat"])
      func x(_ words: String...) -> RunResult { s.berth(["-S", id, "-X"] + words) }
      let log = s.scratchPath("log")
      #expect(x("logfile", log).status == 0)
      #expect(x("logtstamp", "after", "1").status == 0)
      #expect(x("logtstamp", "string", "== %n:%t quiet at %c:%s ==\\n").status == 0)
      #expect(x("logtstamp", "on").status == 0)
      #expect(x("log", "on").status == 0)
      _ = x("stuff", "first\r")
      func stamps() -> Int {
        (contents(log) ?? "").components(separatedBy: "== 0:cat quiet at ").count - 1
      }
      #expect(eventually { stamps() == 1 }, "\(contents(log) ?? "no log")")
      // One stamp per quiet spell: output starts another.
      _ = x("stuff", "second\r")
      #expect(eventually { (contents(log) ?? "").contains("second") })
      #expect(eventually { stamps() == 2 }, "\(contents(log) ?? "no log")")
      // Each stamp follows the output before its quiet, and ends its line.
      let text = contents(log) ?? ""
      let first = text.range(of: "first")
      let stamp = text.range(of: "== 0:cat quiet at ")
      #expect(first != nil && stamp != nil && first!.lowerBound < stamp!.lowerBound, "\(text)")
      #expect(text.hasSuffix(" ==\n"), "\(text.debugDescription)")
      expectOneLineError(x("logtstamp", "after", "0"))
      expectOneLineError(x("logtstamp", "sometimes"))
    }
  }
}
