// Layouts (`layout`): arrangements of regions kept by the session under a
// number and a title, saved from a client's display and selected again,
// with screen's messages. Which regions a client shows is read from the
// sizes its windows are given (a region's size) and from `displays`.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// `berth -S id -X layout args...`.
  private func layout(_ s: Sandbox, _ id: String, _ args: String...) -> RunResult {
    s.berth(["-S", id, "-X", "layout"] + args)
  }

  /// What `layout show` lists now.
  private func layouts(_ s: Sandbox, _ id: String) -> String {
    layout(s, id, "show").stdout.trimmingCharacters(in: .newlines)
  }

  /// The window the attached client's focused region shows, as `displays` names it.
  private func focusedWindow(_ s: Sandbox, _ id: String) -> String {
    let lines = s.berth(["-S", id, "-X", "displays"]).stdoutLines
    guard lines.count > 1, let paren = lines[1].firstIndex(of: "(") else { return "" }
    let before = lines[1][..<paren].split(separator: " ").last.map(String.init) ?? ""
    return before + " " + lines[1][paren...].prefix { $0 != ")" } + ")"
  }

  @Test func aStartupFilesLayoutsKeepTheirRegionsAndWindows() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      let bash = Sandbox.bash.joined(separator: " ")
      try """
      startup_message off
      layout new main
      screen -t zero 0 \(bash)
      split
      focus
      screen -t one 1 \(bash)
      layout save main
      layout new other
      select 0
      layout select main

      """.write(toFile: rc, atomically: true, encoding: .utf8)
      let client = try s.terminal(["-c", rc, "-S", "rc"], environment: Sandbox.bashVariables)
      guard eventually({ s.sessionID("rc") != nil && client.terminalIsRaw }),
        let id = s.sessionID("rc")
      else {
        Issue.record("no session: \(client.output.debugDescription)")
        return
      }
      #expect(eventually { layouts(s, id) == "0* main  1 other" }, "\(layouts(s, id))")
      // main: two stacked regions, zero above one, the focus on one.
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      #expect(eventually { windowSize(s, id, "1") == "11 80" }, "\(windowSize(s, id, "1"))")
      #expect(focusedWindow(s, id) == "1 (one)")
      // other: one region, showing zero; there window one is shown whole.
      #expect(layout(s, id, "select", "other").status == 0)
      #expect(eventually { windowSize(s, id, "0") == "24 80" }, "\(windowSize(s, id, "0"))")
      #expect(focusedWindow(s, id) == "0 (zero)")
      #expect(s.berth(["-S", id, "-X", "select", "1"]).status == 0)
      #expect(eventually { windowSize(s, id, "1") == "24 80" }, "\(windowSize(s, id, "1"))")
      // Back on main, both regions and their windows are as saved.
      #expect(layout(s, id, "select", "main").status == 0)
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      #expect(eventually { windowSize(s, id, "1") == "11 80" }, "\(windowSize(s, id, "1"))")
      #expect(focusedWindow(s, id) == "1 (one)")
      // other kept the window it showed when left (autosave).
      #expect(layout(s, id, "next").status == 0)
      #expect(
        eventually { focusedWindow(s, id) == "1 (one)" && layouts(s, id) == "0 main  1* other" })
      // Typed at C-a :, the answer is on the message line.
      client.type(commandKey(":") + Array("layout title\r".utf8))
      #expect(
        client.waitForOutput("current layout is 1 (other)"), "\(client.output.debugDescription)")
    }
  }

  @Test func layoutSubcommandsSpeakAsScreens() throws {
    try withSandbox { s in
      let (id, _) = try attachedBash(s, "lay")
      #expect(layout(s, id, "show").stdout == "No layouts defined\n")
      let off = layout(s, id, "title")
      #expect(off.status == 1 && off.stderr == "berth: not on a layout\n", "\(off)")
      #expect(layout(s, id, "new").status == 0)
      #expect(layouts(s, id) == "0* layout")
      #expect(layout(s, id, "new", "5:five").status == 0)
      #expect(layouts(s, id) == "0 layout  5* five")
      #expect(layout(s, id, "title").stdout == "current layout is 5 (five)\n")
      #expect(layout(s, id, "number", "2").status == 0)
      #expect(layout(s, id, "number").stdout == "This is layout 2 (five).\n")
      #expect(layout(s, id, "title", "fifth").status == 0)
      #expect(layouts(s, id) == "0 layout  2* fifth")
      // next and prev go round in the order the layouts were made.
      #expect(layout(s, id, "next").status == 0)
      #expect(layouts(s, id) == "0* layout  2 fifth")
      #expect(layout(s, id, "next").status == 0 && layout(s, id, "next").status == 0)
      #expect(layouts(s, id) == "0* layout  2 fifth")
      #expect(layout(s, id, "prev").status == 0)
      #expect(layouts(s, id) == "0 layout  2* fifth")
      #expect(layout(s, id, "select", "2").stdout == "This IS layout 2 (fifth).\n")
      // autosave on (the default): leaving a layout keeps its regions.
      #expect(layout(s, id, "autosave").stdout == "autosave is on\n")
      #expect(layout(s, id, "select", "layout").status == 0)
      #expect(s.berth(["-S", id, "-X", "split"]).status == 0)
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      #expect(layout(s, id, "select", "fifth").status == 0)
      #expect(eventually { windowSize(s, id, "0") == "24 80" }, "\(windowSize(s, id, "0"))")
      #expect(layout(s, id, "select", "0").status == 0)
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      // autosave off: a layout comes back as last saved.
      #expect(layout(s, id, "select", "fifth").status == 0)
      #expect(layout(s, id, "autosave", "off").stdout == "autosave is off\n")
      #expect(s.berth(["-S", id, "-X", "split", "-v"]).status == 0)
      #expect(eventually { windowSize(s, id, "0") == "23 39" }, "\(windowSize(s, id, "0"))")
      #expect(layout(s, id, "prev").status == 0)
      #expect(layout(s, id, "select", "fifth").status == 0)
      #expect(eventually { windowSize(s, id, "0") == "24 80" }, "\(windowSize(s, id, "0"))")
      // save: into the current layout, or one of that title (made if new).
      #expect(s.berth(["-S", id, "-X", "split", "-v"]).status == 0)
      #expect(layout(s, id, "save").status == 0)
      #expect(layout(s, id, "save", "wide").status == 0)
      #expect(layouts(s, id) == "0 layout  1* wide  2 fifth")
      #expect(layout(s, id, "select", "layout").status == 0)
      #expect(layout(s, id, "select", "fifth").status == 0)
      #expect(eventually { windowSize(s, id, "0") == "23 39" }, "\(windowSize(s, id, "0"))")
      let dump = s.scratchPath("dump")
      #expect(layout(s, id, "dump", dump).stdout == "Layout dumped to \"\(dump)\"\n")
      #expect((try? String(contentsOfFile: dump, encoding: .utf8)) == "split -v\nfocus\nfocus\n")
      // A relative name is where berth runs, as for hardcopy; dumps add up.
      #expect(
        layout(s, id, "dump", "mine").status == 0 && layout(s, id, "dump", "mine").status == 0)
      let mine = try? String(contentsOfFile: s.work + "/mine", encoding: .utf8)
      #expect(mine == String(repeating: "split -v\nfocus\nfocus\n", count: 2))
      // remove: a named one, or the current one (the display goes to the next).
      #expect(layout(s, id, "remove", "wide").status == 0)
      #expect(layout(s, id, "remove").status == 0)
      #expect(layouts(s, id) == "0* layout")
      // attach: the layout a client attaching loads.
      #expect(layout(s, id, "attach").stdout == "will attach to last layout\n")
      #expect(layout(s, id, "attach", "0").status == 0)
      #expect(layout(s, id, "attach").stdout == "will attach to layout 0 (layout)\n")
      // Ten at most, numbered 0 to 9.
      for n in 1...9 { #expect(layout(s, id, "new", "n\(n)").status == 0) }
      let full = layout(s, id, "new")
      #expect(full.status == 1 && full.stderr == "berth: No more layouts\n", "\(full)")
    }
  }

  @Test func aDetachedSessionsStartupLayoutsWaitForTheFirstClient() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try """
      layout new main
      screen -t zero \(Sandbox.bash.joined(separator: " "))
      split -v
      layout save main
      layout new other
      layout select main

      """.write(toFile: rc, atomically: true, encoding: .utf8)
      let r = s.berth(["-c", rc, "-dmS", "bg"], environment: Sandbox.bashVariables)
      #expect(r.status == 0, "\(r)")
      guard let id = s.sessionID("bg") else {
        Issue.record("no session")
        return
      }
      // No client yet: nothing is marked current; the first to attach loads main.
      #expect(layouts(s, id) == "0 main  1 other")
      #expect(layout(s, id, "attach").stdout == "will attach to last layout\n")
      _ = try s.attach(["-r", id], session: id)
      #expect(eventually { layouts(s, id) == "0* main  1 other" }, "\(layouts(s, id))")
      #expect(eventually { windowSize(s, id, "0") == "23 39" }, "\(windowSize(s, id, "0"))")
    }
  }

  @Test func badLayoutCommandsAreOneLineErrors() throws {
    try withSandbox { s in
      let (id, _) = try attachedBash(s, "badlay")
      #expect(layout(s, id, "new", "main").status == 0)
      let cases: [([String], String)] = [
        (["select", "nosuch"], "No such layout"),
        (["remove", "nosuch"], "unknown layout 'nosuch'"),
        (["attach", "nosuch"], "unknown layout 'nosuch'"),
        (["bogus"], "unknown layout subcommand"),
        ([], "layout: usage:"),
        (["next", "extra"], "layout next: usage: layout next"),
        (["number", "x"], "layout number: x: give a number from 0 to 9"),
        (["autosave", "maybe"], "invalid argument. Give 'on' or 'off'"),
      ]
      for (args, text) in cases {
        let r = s.berth(["-S", id, "-X", "layout"] + args)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("berth: " + text) && r.stderrLines.count == 1, "\(r)")
      }
      #expect(layouts(s, id) == "0* main")
    }
  }

  @Test func aClientDetachingSavesItsLayoutForTheNextToAttach() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "again")
      #expect(layout(s, id, "new", "work").status == 0)
      client.type(commandKey("S"))
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      client.type(commandKey("d"))
      #expect(client.waitForExit() == 0)
      // Without a client, layout commands name the layout to attach to.
      #expect(layout(s, id, "new", "solo").status == 0)
      #expect(layout(s, id, "attach").stdout == "will attach to layout 1 (solo)\n")
      #expect(layout(s, id, "attach", ":last").status == 0)
      let again = try s.attach(["-r", id], session: id)
      #expect(eventually { layouts(s, id) == "0* work  1 solo" }, "\(layouts(s, id))")
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      _ = again
    }
  }
}
