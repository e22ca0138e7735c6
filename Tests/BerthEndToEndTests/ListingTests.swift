// End-to-end tests of berth: real sessions in a private BERTHDIR, clients on
// real pseudo-terminals, screens read back with `-X hardcopy`. One suite,
// run one test at a time: the machine is small and the tests start many
// processes. The tests live in extensions of it, one file per area.
import Foundation
import Glibc
import Testing

@Suite("berth end to end", .serialized, .timeLimit(.minutes(2)))
struct EndToEnd {}

/// `\tPID.NAME\t(MM/DD/YY HH:MM:SS)\t(STATE)`, screen's list line.
func isListLine(_ line: String, id: String, state: String) -> Bool {
  let prefix = "\t\(id)\t("
  let suffix = ")\t(\(state))"
  guard line.hasPrefix(prefix), line.hasSuffix(suffix) else { return false }
  let date = line.dropFirst(prefix.count).dropLast(suffix.count)
  // MM/DD/YY HH:MM:SS
  let pattern = Array("00/00/00 00:00:00")
  guard date.count == pattern.count else { return false }
  return zip(date, pattern).allSatisfy { d, p in p == "0" ? d.isASCII && d.isNumber : d == p }
}

extension EndToEnd {
  @Test func detachedStartReturnsAtOnceAndListShowsTheSession() throws {
    try withSandbox { s in
      let started = monotonicSeconds()
      let r = s.berth(["-dmS", "web", "sh", "-c", "echo hello; exec sleep 1000"])
      let took = monotonicSeconds() - started
      #expect(r.status == 0, "\(r)")
      #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
      #expect(took < 5, "berth -dmS took \(took) s")
      let id = try #require(s.sessionID("web"), "sockets: \(s.socketNames())")
      #expect(id.split(separator: ".").first.flatMap { Int32($0) } != nil)

      let ls = s.berth(["-ls"])
      #expect(ls.status == 0, "\(ls)")
      let lines = ls.stdoutLines
      #expect(lines.count == 3, "\(ls)")
      #expect(lines.first == "There is a screen on:", "\(ls)")
      #expect(lines.count > 1 && isListLine(lines[1], id: id, state: "Detached"), "\(ls)")
      #expect(lines.last == "1 Socket in \(s.socketDir).", "\(ls)")

      let list = s.berth(["-list"])
      #expect(list.status == 0 && list.stdout == ls.stdout, "-list differs from -ls: \(list)")

      let shown = s.waitForLine(id, "hello")
      #expect(shown.ok, "hardcopy: \(shown.screen.debugDescription)")
    }
  }

  @Test func listWithNoSessionsSaysNoSocketsAndFails() throws {
    try withSandbox { s in
      let ls = s.berth(["-ls"])
      #expect(ls.status == 1, "\(ls)")
      #expect(ls.stdoutLines == ["No Sockets found in \(s.socketDir)."], "\(ls)")
      let list = s.berth(["-list"])
      #expect(list.status == 1 && list.stdout == ls.stdout, "\(list)")
    }
  }

  @Test func listWithTwoSessionsCountsBoth() throws {
    try withSandbox { s in
      let a = try s.startDetached("one", ["sleep", "1000"])
      let b = try s.startDetached("two", ["sleep", "1000"])
      let ls = s.berth(["-ls"])
      #expect(ls.status == 0, "\(ls)")
      let lines = ls.stdoutLines
      #expect(lines.count == 4, "\(ls)")
      #expect(lines.first == "There are screens on:", "\(ls)")
      for id in [a, b] {
        #expect(lines.contains { isListLine($0, id: id, state: "Detached") }, "\(id) in \(ls)")
      }
      #expect(lines.last == "2 Sockets in \(s.socketDir).", "\(ls)")
    }
  }

  @Test func killedServerIsListedDeadAndWipedWithoutTouchingOthers() throws {
    try withSandbox { s in
      let victim = try s.startDetached("victim", ["sleep", "1000"])
      let other = try s.startDetached("other", ["sh", "-c", "echo still-here; exec sleep 1000"])
      let pid = try #require(pid_t(victim.split(separator: ".")[0]))
      #expect(killSessionOutright(pid))
      #expect(eventually { processIsGone(pid) })

      let ls = s.berth(["-ls"])
      #expect(ls.stdoutLines.contains { isListLine($0, id: victim, state: "Dead ???") }, "\(ls)")
      #expect(ls.stdoutLines.contains { isListLine($0, id: other, state: "Detached") }, "\(ls)")

      let wipe = s.berth(["-wipe"])
      #expect(!s.socketExists(victim), "the dead socket is still there: \(s.socketNames())")
      #expect(
        wipe.stdout.lowercased().contains("wiped"), "-wipe does not say what it removed: \(wipe)")
      #expect(wipe.stdout.contains(victim), "-wipe does not name the removed session: \(wipe)")

      #expect(s.socketExists(other))
      let after = s.berth(["-ls"])
      #expect(after.status == 0, "\(after)")
      #expect(!after.stdout.contains(victim), "\(after)")
      #expect(
        after.stdoutLines.contains { isListLine($0, id: other, state: "Detached") }, "\(after)")
      let shown = s.waitForLine(other, "still-here")
      #expect(shown.ok, "the other session no longer answers: \(shown.screen.debugDescription)")
    }
  }

  @Test func listReadsTheSocketAndAStoppedServerDoesNotSlowIt() throws {
    try withSandbox { s in
      let id = try s.startDetached("one", ["sh", "-c", "echo ready-$((3*3)); exec sleep 1000"])
      let socket = s.socketDir + "/" + id
      func ownerMayExecute() -> Bool {
        var st = stat()
        return lstat(socket, &st) == 0 && st.st_mode & S_IXUSR != 0
      }
      #expect(!ownerMayExecute())
      let client = try s.attach(["-r", "one"], session: id)
      #expect(client.waitForOutput("ready-9"), "\(client.output.debugDescription)")
      // Attached: the server sets the owner's execute bit, as screen and tmux do.
      #expect(eventually { s.state(of: id) == "Attached" }, "\(s.berth(["-ls"]))")
      #expect(ownerMayExecute())
      client.type([0x01, UInt8(ascii: "d")])
      #expect(client.waitForExit() == 0, "\(client.output.debugDescription)")
      #expect(eventually { s.state(of: id) == "Detached" }, "\(s.berth(["-ls"]))")
      #expect(!ownerMayExecute())

      // A stopped server cannot answer; listing does not wait for it.
      let pid = serverPID(id)
      #expect(kill(pid, SIGSTOP) == 0)
      defer { kill(pid, SIGCONT) }
      let started = monotonicSeconds()
      let ls = s.berth(["-ls"])
      let took = monotonicSeconds() - started
      #expect(ls.stdoutLines.contains { isListLine($0, id: id, state: "Detached") }, "\(ls)")
      #expect(took < 1, "-ls took \(took) s with a stopped server")
    }
  }

  @Test func versionPrintsAVersionLine() throws {
    try withSandbox { s in
      let r = s.berth(["-v"])
      #expect(r.status == 0, "\(r)")
      #expect(r.stdoutLines.count == 1, "\(r)")
      #expect(r.stdout.hasPrefix("berth version "), "\(r)")
      #expect(r.stdout.contains { $0.isNumber }, "\(r)")
    }
  }
}
