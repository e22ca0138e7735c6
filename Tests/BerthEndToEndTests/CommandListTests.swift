// `commands`: every command with its arguments, from the one table; and
// the read-only rules that table holds (a read-only client looks, but
// neither opens nor renames windows).
import Testing

extension EndToEnd {
  @Test func commandsListsEveryCommandWithItsArguments() throws {
    try withSandbox { s in
      _ = try startBash(s)
      let r = s.berth(["-S", "web", "-X", "commands"])
      #expect(r.status == 0, "\(r)")
      let lines = r.stdoutLines
      for line in ["hardcopy [-h] [file]", "quit", "split [-v]", "commands", "status-json"] {
        #expect(lines.contains(line), "\(line) missing from \(lines)")
      }
      #expect(lines == lines.sorted() && lines.count > 150, "\(lines)")
      let unknown = s.berth(["-S", "web", "-X", "nosuch"])
      #expect(
        unknown.status == 1 && unknown.stderr.contains("unknown command 'nosuch'"), "\(unknown)")
    }
  }

  /// Each name of the table reaches a handler that knows it: none answers
  /// "unknown command". Given two unknown arguments, each refuses them or
  /// does something harmless (all but those that end or start things).
  @Test func everyListedCommandReachesItsHandler() throws {
    try withSandbox { s in
      let id = try s.startDetached("every", ["sh", "-c", "exec sleep 1000"])
      let names = s.berth(["-S", id, "-X", "commands"]).stdoutLines.compactMap {
        $0.split(separator: " ").first.map(String.init)
      }
      #expect(names.count > 150)
      for name in names where !["quit", "kill", "screen", "exec"].contains(name) {
        let r = s.berth(["-S", id, "-X", name, "zz9", "zz9"])
        #expect(!r.stderr.contains("unknown command '\(name)'"), "\(r)")
      }
      #expect(s.berth(["-S", id, "-X", "windows"]).status == 0, "the session ended")
    }
  }

  @Test func aReadOnlyClientSwitchesWindowsButOpensAndRenamesNone() throws {
    try withSandbox { s in
      let id = try s.startDetached("ro", keyEcho())
      #expect(s.waitForLine(id, "ready").ok)
      let client = try s.attach(["-x", "ro", "--read-only"], session: id)
      client.type(commandKey("c"))
      #expect(
        client.waitForOutput("screen: this client is read-only"), "\(client.output.suffix(200))")
      client.type(commandKey(":") + Array("title other\r".utf8))
      #expect(client.waitForOutput("title: this client is read-only"))
      let listed = s.berth(["-S", id, "-X", "windows"]).stdout
      #expect(!listed.contains("  ") && !listed.contains("other"), "\(listed)")
      // Looking is still allowed: the window list, typed.
      client.type(commandKey(":") + Array("windows\r".utf8))
      #expect(client.waitForOutput("0*"), "\(client.output.suffix(200))")
    }
  }
}
