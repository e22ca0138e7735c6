// Process care in the window lists and status lines: a mark for a program
// that does not run, and %k for its state in words.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  @Test func windowListsMarkProgramsThatDoNotRunAndStatusLinesSayWhy() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try "hardstatus alwayslastline \"[%n%?(%k)%?]\"\n".write(
        toFile: rc, atomically: true, encoding: .utf8)
      let id = try s.startDetached(
        "marks",
        ["-c", rc, "-t", "worker", "--restart=always", "--restart-limit=1", "sh", "-c", "exit 4"])
      func list() -> String { s.berth(["-S", id, "-Q", "windows"]).stdout }
      // One quick end with a limit of one: it gave up (fatal).
      #expect(eventually { list() == "0F worker\n" }, "\(list())")
      let client = try s.attach(["-r", "marks"], session: id)
      #expect(client.waitForOutput("[0(fatal)]"), "\(client.output.suffix(300).debugDescription)")
      // C-a " says it in words beside the flags.
      client.type(commandKey("\""))
      #expect(client.waitForOutput("F fatal"), "\(client.output.suffix(300).debugDescription)")
      client.type("\u{1B}")
      // A running program has no mark and %k shows nothing (the group is false).
      #expect(s.berth(["-S", id, "-X", "screen", "-t", "calm", "cat"]).status == 0)
      #expect(eventually { list().contains("1* calm") || list().contains("1 calm") }, "\(list())")
      #expect(client.waitForOutput("[1]"), "\(client.output.suffix(300).debugDescription)")
      // Stopped.
      #expect(s.berth(["-S", id, "-p", "1", "-X", "stop"]).status == 0)
      #expect(eventually { list().contains("S calm") }, "\(list())")
      #expect(client.waitForOutput("[1(stopped)]"), "\(client.output.suffix(300).debugDescription)")
    }
  }
}
