// Regions: C-a S and C-a | split the display, C-a Tab moves the focus,
// C-a X and C-a Q take regions away; each region's window takes the
// region's size, and resizing the terminal resizes them all.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// A bash session attached on an 80x24 terminal.
  func attachedBash(_ s: Sandbox, _ name: String, columns: Int = 80, rows: Int = 24) throws
    -> (String, TerminalClient)
  {
    let id = try s.startDetached(name, Sandbox.bash, environment: Sandbox.bashVariables)
    #expect(s.waitForScreen(id) { $0.last == "$" }.ok)
    let client = try s.attach(["-r", name], session: id, columns: columns, rows: rows)
    return (id, client)
  }

  /// The size window `selector`'s program sees, as `stty size` prints it.
  func windowSize(_ s: Sandbox, _ id: String, _ selector: String) -> String {
    let marker = "size-\(selector)-\(Int.random(in: 1000...9999))"
    _ = s.berth(["-S", id, "-p", selector, "-X", "stuff", "echo \(marker) $(stty size)\\n"])
    var seen = ""
    _ = eventually {
      let file = s.scratchPath("size")
      _ = s.berth(["-S", id, "-p", selector, "-X", "hardcopy", file])
      let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
      guard let line = screenLines(text).last(where: { $0.hasPrefix(marker) }) else { return false }
      seen = String(line.dropFirst(marker.count + 1))
      return true
    }
    return seen
  }

  @Test func splittingGivesEachRegionAWindowOfItsSize() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "split")
      #expect(windowSize(s, id, "0") == "24 80")
      // C-a S: two stacked regions, each with a caption line.
      client.type(commandKey("S"))
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      #expect(client.waitForOutput("0 bash"), "no caption: \(client.output.debugDescription)")
      // The new region is empty until a window is opened in it.
      client.type([0x01, 0x09] + commandKey("c"))
      #expect(eventually { windowSize(s, id, "1") == "11 80" }, "\(windowSize(s, id, "1"))")
      // C-a |: the lower region is split side by side, with a separator.
      client.type(commandKey("|"))
      #expect(eventually { windowSize(s, id, "1") == "11 39" }, "\(windowSize(s, id, "1"))")
      #expect(client.waitForOutput("│"))
      // Resizing the terminal resizes the regions' windows.
      client.resize(columns: 100, rows: 30)
      #expect(eventually { windowSize(s, id, "0") == "14 100" }, "\(windowSize(s, id, "0"))")
      #expect(eventually { windowSize(s, id, "1") == "14 49" }, "\(windowSize(s, id, "1"))")
      // C-a X removes the focused (right) region; C-a Q keeps only the focused one.
      client.type(commandKey("X"))
      client.type(commandKey("Q"))
      #expect(eventually { windowSize(s, id, "1") == "30 100" }, "\(windowSize(s, id, "1"))")
      // Typing goes to the focused region's window.
      client.type("echo typed-here\r")
      let file = s.scratchPath("w1")
      #expect(
        eventually {
          _ = s.berth(["-S", id, "-p", "1", "-X", "hardcopy", file])
          return ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains("typed-here")
        })
    }
  }

  @Test func regionCommandsWorkFromX() throws {
    try withSandbox { s in
      let (id, _) = try attachedBash(s, "xsplit")
      #expect(s.berth(["-S", id, "-X", "split"]).status == 0)
      #expect(eventually { windowSize(s, id, "0") == "11 80" })
      #expect(s.berth(["-S", id, "-X", "focus"]).status == 0)
      #expect(s.berth(["-S", id, "-X", "screen"]).status == 0)
      #expect(eventually { windowSize(s, id, "1") == "11 80" })
      #expect(s.berth(["-S", id, "-X", "only"]).status == 0)
      #expect(eventually { windowSize(s, id, "1") == "24 80" })
      #expect(s.berth(["-S", id, "-X", "remove"]).status == 0)
      let bad = s.berth(["-S", id, "-X", "focus", "sideways"])
      #expect(bad.status != 0 && bad.stderr.contains("usage"), "\(bad)")
    }
  }

  @Test func resizeMovesTheBorderBetweenRegions() throws {
    try withSandbox { s in
      let (id, _) = try attachedBash(s, "resize")
      func x(_ words: String...) -> Int32 { s.berth(["-S", id, "-X"] + words).status }
      // Two stacked regions of 12 rows (11 and a caption), window 1 below.
      #expect(x("split") == 0 && x("focus") == 0 && x("screen") == 0 && x("focus") == 0)
      #expect(eventually { windowSize(s, id, "1") == "11 80" }, "\(windowSize(s, id, "1"))")
      #expect(x("resize", "8") == 0)
      #expect(eventually { windowSize(s, id, "0") == "7 80" }, "\(windowSize(s, id, "0"))")
      #expect(eventually { windowSize(s, id, "1") == "15 80" }, "\(windowSize(s, id, "1"))")
      #expect(x("resize", "+2") == 0)
      #expect(eventually { windowSize(s, id, "0") == "9 80" }, "\(windowSize(s, id, "0"))")
      #expect(x("resize", "max") == 0)
      #expect(eventually { windowSize(s, id, "0") == "22 80" }, "\(windowSize(s, id, "0"))")
      #expect(x("resize", "=") == 0)
      #expect(eventually { windowSize(s, id, "0") == "11 80" }, "\(windowSize(s, id, "0"))")
      #expect(x("resize", "25%") == 0)
      #expect(eventually { windowSize(s, id, "1") == "17 80" }, "\(windowSize(s, id, "1"))")
      // Nothing side by side yet: no width to change.
      let none = s.berth(["-S", id, "-X", "resize", "-h", "20"])
      #expect(none.status == 1 && none.stderr.contains("no split"), "\(none)")
      // Side by side, resize works on the width; -v still on the height.
      #expect(x("resize", "=") == 0 && x("split", "-v") == 0)
      #expect(eventually { windowSize(s, id, "0") == "11 39" }, "\(windowSize(s, id, "0"))")
      #expect(x("resize", "60") == 0)
      #expect(eventually { windowSize(s, id, "0") == "11 60" }, "\(windowSize(s, id, "0"))")
      #expect(x("resize", "-v", "6") == 0)
      #expect(eventually { windowSize(s, id, "0") == "5 60" }, "\(windowSize(s, id, "0"))")
      #expect(eventually { windowSize(s, id, "1") == "17 80" }, "\(windowSize(s, id, "1"))")
      for bad in [
        ["resize"], ["resize", "-x", "3"], ["resize", "3", "4"], ["resize", "abc"],
        ["resize", "99999999"], ["resize", "+"], ["resize", "%"],
      ] {
        let r = s.berth(["-S", id, "-X"] + bad)
        #expect(r.status == 1 && r.stderr.contains("usage"), "\(bad): \(r)")
      }
    }
  }

  @Test func windowListPicksAWindowAndHelpShowsTheBindings() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "lists")
      _ = s.berth(["-S", id, "-X", "screen", "-t", "second", "/bin/bash", "--norc", "--noprofile"])
      _ = s.berth(["-S", id, "-X", "select", "0"])
      client.type(commandKey("\""))
      #expect(client.waitForOutput("Num Name"), "\(client.output.debugDescription)")
      client.type("j\r")
      #expect(
        eventually {
          s.berth(["-S", id, "-X", "windows"]).stdout.contains("1* second")
        }, "\(s.berth(["-S", id, "-X", "windows"]).stdout)")
      client.type(commandKey("?"))
      #expect(client.waitForOutput("Command key"), "\(client.output.debugDescription)")
      #expect(client.waitForOutput("copy"))
      client.type("q")
      // Keys go to the program again.
      client.type("echo after-help\r")
      let file = s.scratchPath("w1")
      #expect(
        eventually {
          _ = s.berth(["-S", id, "-p", "1", "-X", "hardcopy", file])
          return ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains("after-help")
        })
    }
  }
}
