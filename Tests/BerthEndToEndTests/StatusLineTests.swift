// Status lines and captions as a user sees them: backticks numbered as
// byobu numbers them and the ^E escapes in their output, and, beside real
// GNU screen (skipped where it is not installed), the hardstatus lines people
// copy from the web and byobu's whole status bar, compared cell by cell,
// colours and attributes included.
import Foundation
import Glibc
import Testing

/// The comparisons with GNU screen run where it is installed (CI installs it).
private let screenIsInstalled = installedProgram("screen") != nil

/// Six windows from a startup file, as the comparisons with screen use them.
private let sixWindows = """
  startup_message off
  msgwait 1
  screen -t zero sleep 1000
  screen -t one sleep 1000
  screen -t twotwotwo sleep 1000
  screen -t three sleep 1000
  screen -t four sleep 1000
  screen -t five sleep 1000

  """

/// Status lines as people write them (from screen's manual, wikis and
/// dotfiles), the load average (which screen and berth sample at different
/// moments) left out.
private let popularStatusLines = [
  "hardstatus alwayslastline '%{= kG}[ %{G}%H %{g}][%= %{= kw}%?%-Lw%?%{r}(%{W}%n*%f%t%?(%u)%?%{r})%{w}%?%+Lw%?%?%= %{g}][%{B} %m-%d %{W}%c %{g}]'",
  "hardstatus alwayslastline '%{= kG}%-Lw%{= kW}%50> %n%f* %t%{= kG}%+Lw%< %{= kG}%-=%D %LM %Y%{-}'",
  "hardstatus alwayslastline \"%{b kw}%H %{r}%1` %{w}| %{g}%c %{w}| %{y}%d.%m.%Y %{w}| %{-b kw}%u %-Lw%{= rW}%50> %n%f %t %{-}%+Lw%<\"",
  "hardstatus alwayslastline \"%-Lw%{= BW}%50>%n%f* %t%{-}%+Lw%<\"",
  "caption always \"%{= kw}%-w%{= BW}%n %t%{-}%+w %-= @%H - %LD %d %LM - %c\"",
  "hardstatus alwayslastline '%{gk}[ %{G}%H %{g}][%= %{wk}%?%-Lw%?%{=b kR}(%{W}%n*%f %t%?(%u)%?%{=b kR})%{= kw}%?%+Lw%?%?%= %{g}][%{Y}%S%{g}]%{=b C}[ %m/%d %c ]%{W}'",
  "hardstatus alwayslastline \"%{= ..}A%{= D}B%{= 0}E%{= rg}F%{= .r.}H%{= Gb}%{ii}J%{= GG}%{!i}K%{= rW}%{ = }O%{= RK}%{+b}Z%{12}T%{=r G}%{-}%{.G}X\"",
  "hardstatus alwayslastline '%w%10L>%-10=|%0c|%-w%0L>%n %t%+w%L<'",
]

/// byobu's status bar (its profile's caption and hardstatus strings and
/// attrcolor), its backticks printing what byobu-status printed on a test
/// machine.
private let byobuLikeStatus = #"""
  attrcolor b ".I"
  backtick 10 9999999 9999999 true
  backtick 11 9999999 9999999 printf "\005-1="
  backtick 12 9999999 9999999 printf "\005{= kw}"
  backtick 1001 9999999 9999999 printf "\005{= kw}"
  backtick 1002 9999999 9999999 printf "\005{= kw}\005{+b }root@\005{-}\005{+b }vm\005{-} \005{=b wk}192.0.2.2\005{-} \005{= kw}Menu:<\005{-}\005{=b kw}F9\005{= kw}>"
  backtick 1003 9999999 9999999 printf "\005{= kw}\005{= wr} @ \005{-} \005{+b }Debian GNU/Linux\005{-} \005{+b }12\005{-} "
  backtick 1004 9999999 9999999 printf "\005{= kw}\005{=b rW}144\005{-}\005{= rW}!\005{-} \005{= wb}28m\005{-} \005{= Yk}0.44\005{-} 2x\005{=b cW}2.1\005{-}\005{= cW}GHz\005{-} \005{=b gW}23.6\005{-}\005{= gW}GB\005{-}\005{=b gW}1\005{-}\005{= gW}%%\005{-} \005{= }2026-12-06\005{-}"
  hardstatus alwayslastline
  caption always "%1001`%?%-Lw%50L>%?%{=r}%n*%f %t%?(%u)%?%{-}%12`%?%+Lw%?%11` %=%12`%1002`%10`%<"
  hardstatus string '%12`%1003`%=%1004`'

  """#

extension EndToEnd {
  @Test func backticksNumberedPast1000ShowTheirCaretEEscapes() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try #"""
      startup_message off
      backtick 1001 0 0 printf '\005{+b}bold\005{-} plain\n'
      backtick 65535 0 0 printf 'x\005-1=y\005=z%%n\005n\n'
      backtick 2147483647 0 0 printf '%%{= kr}as is\011tab\n'
      hardstatus alwayslastline '<%1001`|%65535`|%2147483647`>'

      """#.write(toFile: rc, atomically: true, encoding: .utf8)
      let client = try s.terminal(
        ["-c", rc, "-S", "ticks"] + Sandbox.bash,
        environment: Sandbox.bashVariables.merging(["TERM": "xterm-256color"]) { $1 })
      // ^E escapes are the output's own: %n stays text, ^En is the window
      // number, ^E-1= pads nothing and a plain ^E= is a blank.
      let line = "<bold plain|xy z%n0|%{= kr}as is tab>"
      var image = ScreenImage([], columns: 80, rows: 24)
      let shown = eventually {
        image = ScreenImage(Array(client.output.utf8), columns: 80, rows: 24)
        return image.text(23) == line
      }
      #expect(shown, "\(image.described(23))")
      let cells = image.seen(23)
      #expect(cells[1].style.attributes.contains(.bold), "\(image.described(23))")
      #expect(!cells[6].style.attributes.contains(.bold), "\(image.described(23))")
      #expect(cells[6].style.attributes.contains(.reverse), "\(image.described(23))")

      guard let id = s.sessionID("ticks") else {
        Issue.record("no session")
        return
      }
      let r = s.berth(["-S", id, "-X", "backtick", "2147483648", "0", "0", "true"])
      #expect(r.status == 1, "\(r)")
      #expect(r.stderr.contains("2147483648 is not an id from 0 to 2147483647"), "\(r)")
    }
  }

  @Test func aClockInBacktickOutputKeepsTicking() throws {
    try withSandbox { s in
      let rc = s.scratchPath("rc")
      try #"""
      startup_message off
      backtick 1 0 0 printf 'seconds \005s\n'
      hardstatus alwayslastline '%1`'

      """#.write(toFile: rc, atomically: true, encoding: .utf8)
      let client = try s.terminal(
        ["-c", rc, "-S", "tick"] + Sandbox.bash, environment: Sandbox.bashVariables)
      // The output never changes, the time it shows does (byobu's clock).
      var shown = Set<String>()
      let ticking = eventually(timeout: 5) {
        let line = ScreenImage(Array(client.output.utf8), columns: 80, rows: 24).text(23)
        if line.hasPrefix("seconds ") { shown.insert(line) }
        return shown.count >= 2
      }
      #expect(ticking, "\(shown)")
    }
  }

  @Test(.enabled(if: screenIsInstalled), arguments: popularStatusLines.indices)
  func statusLinesLookAsInScreen(index: Int) throws {
    try withSandbox { s in
      try compareWithScreen(s, sixWindows + popularStatusLines[index] + "\n", columns: 100)
      try compareWithScreen(s, sixWindows + popularStatusLines[index] + "\nselect 3\n", columns: 50)
    }
  }

  @Test(.enabled(if: screenIsInstalled))
  func byobusStatusStringsLookAsInScreen() throws {
    try withSandbox { s in
      let windows =
        "startup_message off\nmsgwait 1\n"
        + "screen -t one sleep 1000\nscreen -t two sleep 1000\nscreen -t byobu-shell sleep 1000\n"
      try compareWithScreen(s, windows + byobuLikeStatus, columns: 120, lines: 2)
      try compareWithScreen(s, windows + byobuLikeStatus + "select 1\n", columns: 50, lines: 2)
    }
  }

  /// byobu itself (byobu-screen), once with screen and once with berth as
  /// `screen` first on PATH; its status items are limited to those that do
  /// not change from one second to the next.
  @Test(.enabled(if: screenIsInstalled && installedProgram("byobu-screen") != nil))
  func byobusStatusBarLooksAsInScreen() throws {
    try withSandbox { s in
      let bin = s.root + "/bin"
      mkdir(bin, 0o700)
      symlink(berthBinary, bin + "/screen")
      let user = "berthtest\(getpid())"
      defer { removeByobuRunDirectories(of: user) }
      func byobu(_ name: String, path: String) throws -> TerminalClient {
        let home = s.root + "/" + name
        for dir in [home, home + "/.byobu", home + "/screens"] { mkdir(dir, 0o700) }
        try """
        screen_upper_left="color"
        screen_upper_right="color whoami hostname menu"
        screen_lower_left="color logo distro release"
        screen_lower_right="color reboot_required cpu_count"

        """.write(toFile: home + "/.byobu/status", atomically: true, encoding: .utf8)
        let environment = s.environment([
          "HOME": home, "USER": user, "TERM": "xterm-256color", "PATH": path,
          "SCREENDIR": home + "/screens", "BERTHDIR": home + "/screens", "SHELL": "/bin/bash",
          "XDG_CACHE_HOME": home + "/cache", "XDG_CONFIG_HOME": home + "/nonexistent",
        ])
        return try programOnTerminal(
          ["/bin/sh", "-c", "exec byobu-screen"], environment: environment, directory: s.work,
          columns: 120, rows: 12)
      }
      let systemPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
      let screen = try byobu("with-screen", path: systemPath)
      defer { screen.close() }
      let berth = try byobu("with-berth", path: bin + ":" + systemPath)
      defer { berth.close() }
      expectSameStatus(screen, berth, columns: 120, rows: 12, lines: 2, timeout: 30)
    }
  }

  /// Runs screen and berth on the same startup file on terminals of the same
  /// size and waits until their last `lines` rows look the same.
  private func compareWithScreen(
    _ s: Sandbox, _ rc: String, columns: Int, rows: Int = 10, lines: Int = 1
  ) throws {
    guard let screenProgram = installedProgram("screen") else { throw TestFailure("no screen") }
    let file = s.scratchPath("screenrc")
    try rc.write(toFile: file, atomically: true, encoding: .utf8)
    let screens = s.scratchPath("screens")
    mkdir(screens, 0o700)
    let name = "cmp\(Int.random(in: 10_000...99_999))"
    let screen = try programOnTerminal(
      [screenProgram, "-c", file, "-S", name],
      environment: s.environment(["TERM": "xterm-256color", "SCREENDIR": screens]),
      directory: s.work, columns: columns, rows: rows)
    defer {
      screen.close()
      let quit = try? spawnWithoutTerminal(
        [screenProgram, "-S", name, "-X", "quit"],
        environment: s.environment(["SCREENDIR": screens]), directory: nil,
        stdoutPath: "/dev/null", stderrPath: "/dev/null")
      if let quit, waitForExit(quit, timeout: 5) == nil { killAndReap(quit) }
    }
    let berth = try s.terminal(
      ["-c", file, "-S", name], columns: columns, rows: rows,
      environment: ["TERM": "xterm-256color"])
    expectSameStatus(screen, berth, columns: columns, rows: rows, lines: lines)
  }

  private func expectSameStatus(
    _ screen: TerminalClient, _ berth: TerminalClient, columns: Int, rows: Int, lines: Int,
    timeout: Double = 15
  ) {
    var seen = ""
    let same = eventually(timeout: timeout, every: 0.25) {
      let a = ScreenImage(Array(screen.output.utf8), columns: columns, rows: rows)
      let b = ScreenImage(Array(berth.output.utf8), columns: columns, rows: rows)
      let last = (rows - lines)..<rows
      seen = last.map { "screen: \(a.described($0))\nberth:  \(b.described($0))" }
        .joined(separator: "\n")
      return !a.text(rows - 1).isEmpty && last.allSatisfy { a.seen($0) == b.seen($0) }
    }
    #expect(same, "\n\(seen)")
  }

  private func removeByobuRunDirectories(of user: String) {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []
    for entry in entries where entry.hasPrefix("byobu-\(user)-") {
      try? FileManager.default.removeItem(atPath: "/dev/shm/" + entry)
    }
  }
}
