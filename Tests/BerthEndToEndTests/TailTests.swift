// berth --tail as a user runs it: a window's last lines as text, and with -f
// its output line by line, without attaching, until the program ends.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  /// A `berth --tail` running in the background, its output in a file.
  private struct Tail {
    let pid: pid_t
    let output: String
    var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
    var lines: [String] {
      text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
  }

  private func startTail(_ s: Sandbox, _ arguments: [String]) throws -> Tail {
    let out = s.scratchPath("tail")
    let pid = try spawnWithoutTerminal(
      [berthBinary, "--tail"] + arguments, environment: s.environment(), directory: s.work,
      stdoutPath: out, stderrPath: s.scratchPath("tail-err"))
    return Tail(pid: pid, output: out)
  }

  @Test func tailPrintsTheLastLinesWithWrappedOnesJoined() throws {
    try withSandbox { s in
      let long = String(repeating: "x", count: 150) + "7"
      let id = try s.startDetached(
        "tail", ["sh", "-c", "seq 1 50; echo \(long); printf 'end\\n'; exec sleep 600"])
      #expect(eventually { s.screen(id)?.contains("end") == true })
      let r = s.berth(["--tail", "-n", "3", id])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stdout == "50\n\(long)\nend\n", "\(r.stdout)")
      // A window by number or title; a wrong one, or a wrong session, is an error.
      #expect(s.berth(["--tail", "-n1", "tail:0"]).stdout == "end\n")
      let missing = s.berth(["--tail", "tail:7"])
      #expect(missing.status == 1 && missing.stderr.contains("no window '7'"), "\(missing.stderr)")
      let none = s.berth(["--tail", "nosuch"])
      #expect(none.status == 1 && none.stderr.contains("no session"), "\(none.stderr)")
      #expect(s.berth(["--tail", "-n", "x", id]).status != 0)
      // Nothing attached: -ls still says Detached.
      #expect(s.state(of: id) == "Detached")
    }
  }

  @Test func followSeesEveryLineOnceInOrderThenHowTheProgramEnded() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "follow",
        [
          "sh", "-c",
          "echo ready; read x; seq 1 10000; printf 'bar 10%%\\rbar 50%%\\rbar 100%%\\n'; printf '\\033[31mred\\033[0m\\n'; exit 3",
        ])
      #expect(eventually { s.screen(id)?.contains("ready") == true })
      let plain = try startTail(s, ["-f", "-n", "1", id])
      let colored = try startTail(s, ["-f", "-n", "1", "--color", "--timestamps", id])
      // A follower is following once it printed the line before the cursor.
      #expect(eventually { plain.text.hasPrefix("ready\n") && colored.text.hasPrefix("ready\n") })
      #expect(s.berth(["-S", id, "-X", "stuff", "go\n"]).status == 0)
      #expect(waitForExit(plain.pid, timeout: 20) == 0)
      #expect(waitForExit(colored.pid, timeout: 20) == 0)
      let expected =
        ["ready", "go"] + (1...10000).map(String.init) + ["bar 100%", "red", "=== exit 3 ===", ""]
      let got = plain.lines
      let firstDifference =
        Array(zip(got, expected)).firstIndex { $0 != $1 } ?? min(got.count, expected.count)
      #expect(
        got == expected,
        "\(got.count) lines; first difference at \(firstDifference): \(got.dropFirst(firstDifference).prefix(3)) for \(expected.dropFirst(firstDifference).prefix(3))"
      )
      // Colours as SGR, each line followed with the time it was completed
      // (the lines from before carry none: when they were written is not kept).
      let stamped = colored.lines.dropFirst().filter { !$0.isEmpty }
      let stamp = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d /#
      #expect(stamped.allSatisfy { $0.starts(with: stamp) }, "\(stamped.prefix(3))")
      #expect(stamped.contains { $0.hasSuffix(" \u{1B}[0;31mred\u{1B}[m") }, "\(stamped.suffix(3))")
      #expect(stamped.contains { $0.hasSuffix(" 10000") })
    }
  }

  @Test func aStoppedFollowerSkipsAheadAndNeverHoldsTheProgramUp() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "skip",
        [
          "sh", "-c",
          "echo ready; read x; yes 0123456789abcdef | head -n 2000000; echo flood-done; read y; echo last",
        ])
      #expect(eventually { s.screen(id)?.contains("ready") == true })
      let follower = try startTail(s, ["-f", "-n", "1", id])
      #expect(eventually { follower.text.hasPrefix("ready\n") })
      kill(follower.pid, SIGSTOP)
      #expect(s.berth(["-S", id, "-X", "stuff", "\n"]).status == 0)
      // 34 MB through the window while the follower reads nothing.
      #expect(eventually(timeout: 60) { s.screen(id)?.contains("flood-done") == true })
      kill(follower.pid, SIGCONT)
      #expect(s.berth(["-S", id, "-X", "stuff", "\n"]).status == 0)
      #expect(waitForExit(follower.pid, timeout: 20) == 0)
      let lines = follower.lines
      let skipped = lines.first { $0.hasPrefix("[berth: ") && $0.hasSuffix(" lines skipped]") }
      let count = skipped.flatMap { Int($0.dropFirst(8).prefix { $0.isNumber }) } ?? 0
      #expect(count > 100_000, "\(skipped ?? "no skip line")")
      // It goes on with what the server still holds, and to the end.
      #expect(
        lines.suffix(5) == ["flood-done", "", "last", "=== exit 0 ===", ""], "\(lines.suffix(5))")
      // Every line it did print is a whole one.
      let body = lines.filter { $0.hasPrefix("0123") }
      #expect(body.allSatisfy { $0 == "0123456789abcdef" })
    }
  }
}
