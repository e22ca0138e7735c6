// mousetrack on: the wheel over a program that did not ask for the mouse
// scrolls into copy mode (and back out at the bottom); a click focuses the
// region under it.
import Foundation
import Glibc
import Testing

/// An SGR mouse report as a terminal sends it (1-based column and row).
func sgrMouse(_ button: Int, column: Int, row: Int, release: Bool = false) -> [UInt8] {
  Array("\u{1B}[<\(button);\(column);\(row)\(release ? "m" : "M")".utf8)
}

extension EndToEnd {
  @Test func theWheelScrollsIntoCopyModeAndBackOut() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "wheel")
      client.type("seq 1 100\r")
      #expect(s.waitForLine(id, "100").ok)
      #expect(s.berth(["-S", id, "-X", "mousetrack", "on"]).status == 0)
      // The client now asks the terminal for mouse reports.
      #expect(client.waitForOutput("\u{1B}[?1000h"))
      // One notch up: copy mode, three lines up; Y copies the line under the cursor ("98").
      client.type(sgrMouse(64, column: 10, row: 5))
      client.type("Y")
      #expect(
        client.waitForOutput("Copied 2 characters into buffer"),
        "\(client.output.suffix(300).debugDescription)")
      // Up and back down again leaves copy mode: keys reach bash.
      client.type(sgrMouse(64, column: 10, row: 5))
      client.type(sgrMouse(65, column: 10, row: 5))
      client.type("echo wheel-out\r")
      #expect(s.waitForLine(id, "wheel-out").ok)
    }
  }

  @Test func aClickFocusesTheRegionUnderIt() throws {
    try withSandbox { s in
      let (id, client) = try attachedBash(s, "click")
      #expect(s.berth(["-S", id, "-X", "mousetrack", "on"]).status == 0)
      client.type(commandKey("S") + [0x01, 0x09] + commandKey("c"))
      #expect(eventually { s.berth(["-S", id, "-X", "windows"]).stdout.contains("1*") })
      // Click in the upper region (window 0), then type.
      client.type(sgrMouse(0, column: 5, row: 3) + sgrMouse(0, column: 5, row: 3, release: true))
      client.type("echo clicked-top\r")
      #expect(
        eventually {
          let file = s.scratchPath("w0")
          _ = s.berth(["-S", id, "-p", "0", "-X", "hardcopy", file])
          return ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains(
            "clicked-top")
        })
      #expect(s.berth(["-S", id, "-X", "windows"]).stdout.contains("0* bash"))
    }
  }
}
