// Faults a session must live through: its client killed, a client that
// never reads, a program that prints without end, a full disk, its socket
// deleted; that an idle session costs no CPU; and names and paths that
// berth must refuse without leaving anything behind.
import BerthProtocol
import BerthSystem
import Foundation
import Glibc
import Testing

/// The server's pid: the number before the dot in PID.NAME.
func serverPID(_ id: String) -> pid_t {
  id.split(separator: ".").first.flatMap { pid_t($0) } ?? 0
}

/// A `Name:  N kB` value of /proc/<pid>/status, in kB.
func procStatus(_ pid: pid_t, _ name: String) -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
    return nil
  }
  for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
    return Int(line.dropFirst(name.count + 1).split { $0 == " " || $0 == "\t" }.first ?? "")
  }
  return nil
}

/// Voluntary and involuntary context switches of all of pid's threads.
func contextSwitches(_ pid: pid_t) -> Int {
  let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
  var total = 0
  for task in tasks {
    let text =
      (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n")
    where line.hasPrefix("voluntary_ctxt_switches:")
      || line.hasPrefix("nonvoluntary_ctxt_switches:")
    {
      total += Int(line.split(separator: "\t").last ?? "") ?? 0
    }
  }
  return total
}

/// utime + stime of the process (fields 14 and 15 of /proc/<pid>/stat), in clock ticks.
func cpuTicks(_ pid: pid_t) -> Int {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let paren = stat.lastIndex(of: ")")
  else { return -1 }
  // Fields from the 3rd on follow the command's closing parenthesis.
  let fields = stat[stat.index(after: paren)...].split(separator: " ")
  guard fields.count > 12, let u = Int(fields[11]), let s = Int(fields[12]) else { return -1 }
  return u + s
}

/// The Pss of a process (/proc/<pid>/smaps_rollup), in kB.
func proportionalSetSize(_ pid: pid_t) -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)
  else { return nil }
  for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
    return Int(line.dropFirst(4).split { $0 == " " || $0 == "\t" }.first ?? "")
  }
  return nil
}

/// The largest N of "line N" (or prefix N) in text.
func largestCounter(in text: String, prefix: String = "line ") -> Int {
  let p = Array(prefix.utf8)
  var best = 0
  var matched = 0
  var number: Int? = nil
  for b in text.utf8 {
    if let n = number {
      if b >= 0x30 && b <= 0x39 && n < 1 << 40 {
        number = n * 10 + Int(b - 0x30)
        continue
      }
      best = max(best, n)
      number = nil
    }
    if matched == p.count {
      matched = 0
      if b >= 0x30 && b <= 0x39 {
        number = Int(b - 0x30)
        continue
      }
    }
    matched = b == p[matched] ? matched + 1 : (b == p[0] ? 1 : 0)
  }
  if let n = number { best = max(best, n) }
  return best
}

let berthLongTests = ProcessInfo.processInfo.environment["BERTH_LONG_TESTS"] == "1"

extension EndToEnd {
  // MARK: - The client killed

  @Test func killingTheAttachedClientKeepsTheSessionAndWhatItPrintsAfter() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let client = try s.attach(["-r", "web"], session: id)
      // The program waits for a line, then prints 60 lines: more than a screen.
      client.type("read go; seq -f after-kill-%g 1 60; echo done-$((6*7))\r")
      let typed = s.waitForScreen(id) { $0.last?.hasSuffix("done-$((6*7))") == true }
      #expect(typed.ok, "\(typed.screen)")
      #expect(kill(client.pid, SIGKILL) == 0)
      #expect(client.waitForExit() == 137, "the client outlived SIGKILL")
      #expect(
        eventually { s.state(of: id) == "Detached" },
        "-ls after the client was killed: \(String(describing: s.state(of: id)))")

      // Nobody is attached when the program prints.
      #expect(s.berth(["-S", id, "-X", "stuff", "\\n"]).status == 0)
      let printed = s.waitForLine(id, "done-42")
      #expect(printed.ok, "the program did not go on: \(printed.screen)")
      let history = screenLines(s.screen(id, history: true) ?? "")
      let expected = (1...60).map { "after-kill-\($0)" } + ["done-42"]
      #expect(
        expected.allSatisfy(history.contains),
        "output printed after the kill is missing from the history: \(history)")
      let before = s.screen(id) ?? ""

      let again = try s.attach(["-r", "web"], session: id)
      #expect(again.waitForOutput("done-42"), "\(again.output.debugDescription)")
      // Every word of the screen is on the reattached client's terminal.
      let words = screenLines(before).flatMap { $0.split(separator: " ").map(String.init) }
      #expect(
        eventually { words.allSatisfy(again.output.contains) },
        "not on the reattached client: \(words.filter { !again.output.contains($0) })")
      #expect(s.screen(id) == before, "reattaching changed the screen")
      again.type("echo again-$((9*9))\r")
      #expect(s.waitForLine(id, "again-81").ok)
    }
  }

  // MARK: - A client that never reads

  @Test func clientThatNeverReadsStallsNobodyAndCatchesUpWhenItReads() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "flood", ["sh", "-c", "i=0; while :; do i=$((i+1)); printf 'line %d\\a\\n' $i; done"])
      let server = serverPID(id)
      let counter = { largestCounter(in: s.screen(id) ?? "") }
      #expect(eventually { counter() > 100 }, "the program does not print")
      let quiet = monotonicSeconds()
      #expect(s.berth(["-S", id, "-X", "info"]).status == 0)
      let usual = monotonicSeconds() - quiet

      let stuck = try ProtocolClient(path: s.socketDir + "/" + id)
      try stuck.helloAndAttach()
      // It is stuck once the server has filled its socket and stopped sending.
      var lastUnread = -1
      let filled = eventually(timeout: 10, every: 0.25) {
        let n = stuck.unreadBytes
        defer { lastUnread = n }
        return n > 0 && n == lastUnread
      }
      #expect(filled, "the server never filled the socket: \(stuck.unreadBytes) bytes unread")
      let stuckSince = monotonicSeconds()
      var peakRSS = 0
      func sampleMemory() { peakRSS = max(peakRSS, procStatus(server, "VmRSS") ?? 0) }
      sampleMemory()

      // The server still answers at once...
      let asked = monotonicSeconds()
      let info = s.berth(["-S", id, "-X", "info"], timeout: 10)
      let took = monotonicSeconds() - asked
      print(
        "-X info while a client is stuck: \(Int(took * 1000)) ms (before: \(Int(usual * 1000)) ms)")
      #expect(info.status == 0, "\(info)")
      #expect(took < 2, "-X info took \(took) s while a client is stuck")
      #expect(s.state(of: id) == "Attached")
      sampleMemory()

      // ...the program runs on, and another client sees it.
      let atStuck = counter()
      let other = try s.attach(["-x", "flood"], session: id)
      #expect(
        eventually(every: 0.25) { largestCounter(in: other.output) > atStuck },
        "the other client shows nothing newer than line \(atStuck): \(largestCounter(in: other.output))"
      )
      let seen = largestCounter(in: other.output)
      #expect(
        eventually(every: 0.25) { largestCounter(in: other.output) > seen + 100 },
        "the other client's screen stopped at line \(seen)")
      sampleMemory()

      // Three seconds stuck (at least), memory watched all along.
      eventually(timeout: 30, every: 0.1) {
        sampleMemory()
        return monotonicSeconds() - stuckSince >= 3
      }
      print("server VmRSS while a client is stuck: at most \(peakRSS) kB")
      #expect(
        peakRSS > 0 && peakRSS < 64 << 10,
        "the server grew to \(peakRSS) kB while a client was stuck")
      #expect(!stuck.peerHasClosed, "the server dropped the client that does not read")
      #expect(!other.hasExited, "\(other.output.suffix(500).debugDescription)")

      // It reads at last, and gets frames again: ones newer than now.
      let atResume = counter()
      var newest = 0
      let caughtUp = try stuck.receive(
        until: { message in
          guard case .screen = message else { return false }
          newest = largestCounter(in: stuck.screenRows.joined(separator: "\n"))
          return newest > atResume
        }, timeout: 15)
      #expect(
        caughtUp, "after reading again the client shows line \(newest), not past \(atResume)")
      // And the connection stays open.
      #expect(
        try stuck.receive(until: { if case .screen = $0 { true } else { false } }, timeout: 5),
        "no frame after catching up")
      #expect(!stuck.peerHasClosed)
      stuck.close()
    }
  }

  // MARK: - Idle

  @Test(arguments: [false, true])
  func idleSessionUsesNoCPU(attached: Bool) throws {
    try withSandbox { s in
      let id = try s.startDetached("idle", ["sleep", "1000"])
      let server = serverPID(id)
      var client: TerminalClient?
      if attached {
        client = try s.attach(["-r", "idle"], session: id)
      }
      func sample() -> (switches: Int, ticks: Int) { (contextSwitches(server), cpuTicks(server)) }
      // Settled: nothing moved for a second (attaching draws, -ls wakes it).
      var last = sample()
      var settledSince = monotonicSeconds()
      let settled = eventually(timeout: 10, every: 0.1) {
        let now = sample()
        if now != last {
          last = now
          settledSince = monotonicSeconds()
        }
        return monotonicSeconds() - settledSince >= 1
      }
      #expect(settled, "the server never went quiet for a second: \(sample())")
      let start = sample()
      #expect(start.switches > 0 && start.ticks >= 0, "cannot read the server's counters: \(start)")
      let began = monotonicSeconds()
      var changed: (switches: Int, ticks: Int)?
      eventually(timeout: 3, every: 0.05) {
        let now = sample()
        if now != start { changed = now }
        return false
      }
      let waited = monotonicSeconds() - began
      #expect(waited >= 3)
      #expect(
        changed == nil,
        "an idle server (attached: \(attached)) woke up: context switches \(start.switches) -> \(changed?.switches ?? 0), CPU ticks \(start.ticks) -> \(changed?.ticks ?? 0)"
      )
      if let client { #expect(!client.hasExited) }
    }
  }

  // MARK: - A program that prints a lot

  /// `-h 1000` and a program that prints `megabytes` MB of 100-column lines;
  /// afterwards the server is small and the history holds 1000 lines.
  func printingALotKeepsTheServerSmall(
    megabytes: Int, attached: Bool, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try withSandbox { s in
      let bytes = megabytes * 1_000_000
      let start = s.berth([
        "-h", "1000", "-dmS", "big", "sh", "-c",
        "read go; head -c \(bytes) /dev/zero | tr '\\0' x | fold -w 100; echo; echo big-$((6*7))-done; exec sleep 1000",
      ])
      try #require(start.status == 0, "\(start)", sourceLocation: sourceLocation)
      let id = try #require(s.sessionID("big"), sourceLocation: sourceLocation)
      let server = serverPID(id)
      var client: TerminalClient?
      if attached { client = try s.attach(["-r", "big"], session: id) }
      let began = monotonicSeconds()
      #expect(s.berth(["-S", id, "-X", "stuff", "go\\n"]).status == 0)
      // 8 MB/s at the least (a debug build).
      let done = s.waitForLine(id, "big-42-done", timeout: 30 + Double(megabytes) / 8)
      #expect(done.ok, "the end marker never came: \(done.screen)", sourceLocation: sourceLocation)
      let seconds = monotonicSeconds() - began
      let rss = procStatus(server, "VmRSS") ?? -1
      let peak = procStatus(server, "VmHWM") ?? -1
      print(
        "\(megabytes) MB printed (attached: \(attached)) in \(String(format: "%.1f", seconds)) s; server VmRSS \(rss) kB, VmHWM \(peak) kB"
      )
      #expect(rss > 0 && rss < 64 << 10, "server VmRSS \(rss) kB", sourceLocation: sourceLocation)
      #expect(peak < 64 << 10, "server VmHWM \(peak) kB", sourceLocation: sourceLocation)
      let history = screenLines(s.screen(id, history: true) ?? "")
      #expect(
        (1000...1000 + 24).contains(history.count),
        "hardcopy -h wrote \(history.count) lines for -h 1000 and 24 rows",
        sourceLocation: sourceLocation)
      #expect(history.last == "big-42-done", "\(history.suffix(3))", sourceLocation: sourceLocation)
      if let client {
        #expect(client.waitForOutput("big-42-done"), sourceLocation: sourceLocation)
        #expect(!client.hasExited, sourceLocation: sourceLocation)
      }
    }
  }

  /// 20 MB: enough that a history or buffer kept without bound would pass
  /// the limit many times over, and a few seconds on a debug build. The
  /// 10 GB runs are in LongRuns (BERTH_LONG_TESTS=1).
  @Test(arguments: [false, true])
  func programThatPrintsALotLeavesTheServerSmall(attached: Bool) throws {
    try printingALotKeepsTheServerSmall(megabytes: 20, attached: attached)
  }

  // MARK: - A full disk

  @Test func logThatHitsAFullDiskStaysOnAndTheClientsAreTold() throws {
    try withSandbox { s in
      let id = try startBash(s)
      let client = try s.attach(["-r", "web"], session: id)
      let watcher = try ProtocolClient(path: s.socketDir + "/" + id)
      try watcher.helloAndAttach()
      let logfile = s.berth(["-S", id, "-X", "logfile", "/dev/full"])
      try #require(logfile.status == 0, "\(logfile)")
      let on = s.berth(["-S", id, "-X", "log", "on"])
      #expect(on.status == 0, "\(on)")
      let windows = s.berth(["-S", id, "-X", "windows"]).stdout
      #expect(windows.hasPrefix("0*$"), "the window is not flagged as logged: \(windows)")

      client.type("echo full-$((3*4))\r")
      #expect(s.waitForLine(id, "full-12").ok)
      var told = ""
      let heard = try watcher.receive(
        until: { message in
          guard case .message(let text) = message else { return false }
          told = text
          return text.contains("No space left on device")
        }, timeout: 10)
      #expect(heard, "the attached clients were not told of the write error")
      if heard { print("the message: \(told.debugDescription)") }
      #expect(
        client.waitForOutput("No space left on device"),
        "the client shows no message: \(client.output.suffix(800).debugDescription)")
      // The log stays on: it marks the gap once writing works (LogRotationTests).
      let after = s.berth(["-S", id, "-X", "windows"]).stdout
      #expect(
        after.hasPrefix("0*$"), "logging went off after the write error: \(after.debugDescription)")

      client.type("echo alive-$((5*5))\r")
      #expect(s.waitForLine(id, "alive-25").ok, "the session no longer echoes what is typed")
      #expect(client.waitForOutput("alive-25"))
      #expect(!client.hasExited)
    }
  }

  @Test func hardcopyToAFullDiskFailsWithOneLineAndTheSessionRuns() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sh", "-c", "echo before; exec cat"])
      #expect(s.waitForLine(id, "before").ok)
      for args in [["hardcopy", "/dev/full"], ["hardcopy", "-h", "/dev/full"]] {
        let r = s.berth(["-S", id, "-X"] + args)
        #expect(!r.timedOut && r.status != 0, "\(r)")
        let lines = r.stdoutLines + r.stderrLines
        #expect(lines.count == 1, "\(r)")
        #expect(lines.first?.contains("No space left on device") == true, "\(r)")
      }
      #expect(s.berth(["-S", id, "-X", "stuff", "still-$((2*2))\\n"]).status == 0)
      #expect(s.waitForLine(id, "still-$((2*2))").ok, "the session stopped")
      #expect(s.state(of: id) == "Detached")
    }
  }

  // MARK: - The socket deleted

  @Test func socketDeletedIsRecreatedOnSIGUSR1() throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sh", "-c", "echo usr1-$((4*4)); exec sleep 1000"])
      #expect(s.waitForLine(id, "usr1-16").ok)
      let before = s.berth(["-ls"]).stdoutLines.first { $0.hasPrefix("\t\(id)\t") }
      // The recreated socket still says when the session began, not when it came back.
      let second = time(nil)
      #expect(eventually { time(nil) > second })
      #expect(unlink(s.socketDir + "/" + id) == 0)
      let gone = s.berth(["-ls"])
      #expect(gone.status == 1 && !gone.stdout.contains(id), "\(gone)")

      #expect(kill(serverPID(id), SIGUSR1) == 0)
      #expect(eventually { s.socketExists(id) }, "SIGUSR1 did not bring the socket back")
      let ls = s.berth(["-ls"])
      #expect(ls.stdoutLines.contains { isListLine($0, id: id, state: "Detached") }, "\(ls)")
      #expect(
        before != nil && ls.stdoutLines.contains(before ?? ""),
        "before: \(before ?? "none"), now: \(ls)")
      let client = try s.attach(["-r", "web"], session: id)
      #expect(client.waitForOutput("usr1-16"), "\(client.output.debugDescription)")
    }
  }

  @Test func socketDeletedWhileTheProgramPrintsComesBackByItself() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "web", ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done"])
      let ticking = s.waitForScreen(id) { $0.contains("tick 2") }
      #expect(ticking.ok, "\(ticking.screen)")
      #expect(unlink(s.socketDir + "/" + id) == 0)
      let deleted = monotonicSeconds()
      let back = eventually(timeout: 10, every: 0.05) { s.socketExists(id) }
      try #require(back, "the socket is still gone 10 s after it was deleted")
      if back { print("socket back after \(Int((monotonicSeconds() - deleted) * 1000)) ms") }
      let ls = s.berth(["-ls"])
      #expect(ls.stdoutLines.contains { isListLine($0, id: id, state: "Detached") }, "\(ls)")
      #expect(
        s.waitForLine(id, "tick \(largestCounter(in: s.screen(id) ?? "", prefix: "tick ") + 1)").ok)
    }
  }
}

// MARK: - Names and paths

/// Names a session may not have. ErrorTests covers `a/b` and, for -dmS, 300 characters.
let hostileNames = ["..", ".", "a\u{1}b", "tab\there", "new\nline", "esc\u{1b}[2Jname"]

/// True when text holds a control character other than line ends and tabs.
func holdsControlCharacters(_ text: String) -> Bool {
  text.unicodeScalars.contains {
    ($0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t") || $0.value == 0x7F
  }
}

extension EndToEnd {
  @Test(arguments: hostileNames)
  func sessionNameIsRefusedWithOneLineAndNothingStarts(_ name: String) throws {
    try withSandbox { s in
      let r = s.berth(["-dmS", name, "sleep", "1000"])
      expectOneLineError(r)
      #expect(!holdsControlCharacters(r.stderr), "the error echoes the name raw: \(r)")
      #expect(s.socketNames().isEmpty, "\(s.socketNames())")
      #expect(
        eventually { s.markedProcesses().isEmpty }, "a server still runs: \(s.markedProcesses())")
    }
  }

  @Test(arguments: hostileNames + [String(repeating: "n", count: 300)])
  func resumeOfAHostileNameFailsWithOneLine(_ name: String) throws {
    try withSandbox { s in
      let id = try s.startDetached("web", ["sleep", "1000"])
      let client = try s.terminal(["-r", name])
      let status = client.waitForExit()
      #expect(status != nil && status != 0, "status \(String(describing: status))")
      let text = plain(client.output)
      let lines = text.split(separator: "\n").filter { !$0.isEmpty }
      #expect(lines.count == 1, "\(text.debugDescription)")
      #expect(
        !holdsControlCharacters(text), "the name reaches the terminal raw: \(text.debugDescription)"
      )
      #expect(s.socketNames() == [id], "\(s.socketNames())")
      #expect(s.state(of: id) == "Detached")
    }
  }

  @Test func socketDirectoryOverThePathLimitIsRefusedAndNothingIsCreated() throws {
    try withSandbox { s in
      // sun_path holds 108 bytes: this directory alone is longer.
      let long = s.root + "/" + String(repeating: "d", count: 110)
      #expect(mkdir(long, 0o700) == 0)
      let missing = long + "/missing"
      for dir in [long, missing] {
        let r = s.berth(["-dmS", "x", "sleep", "1000"], environment: ["BERTHDIR": dir])
        expectOneLineError(r)
        #expect(
          r.stderr.contains("too long") || r.stderr.contains("limit"),
          "the error does not say what is wrong: \(r)")
        #expect(
          eventually { s.markedProcesses().isEmpty }, "a server runs: \(s.markedProcesses())")
      }
      let left = (try? FileManager.default.contentsOfDirectory(atPath: long)) ?? []
      #expect(left.isEmpty, "berth left \(left) in \(long)")
    }
  }

  @Test func socketReplacedByARegularFileIsNeitherUsedNorDeleted() throws {
    try withSandbox { s in
      let id = try s.startDetached("victim", ["sleep", "1000"])
      let pid = serverPID(id)
      #expect(killSessionOutright(pid))
      #expect(eventually { processIsGone(pid) })
      let path = s.socketDir + "/" + id
      #expect(unlink(path) == 0)
      let content = "not a socket\n"
      #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8)))
      // And a symbolic link that looks like a session, to a file elsewhere.
      let target = s.root + "/target.txt"
      #expect(FileManager.default.createFile(atPath: target, contents: Data(content.utf8)))
      let link = s.socketDir + "/\(pid).link"
      #expect(symlink(target, link) == 0)
      let other = try s.startDetached("other", ["sleep", "1000"])

      let ls = s.berth(["-ls"], timeout: 10)
      #expect(!ls.timedOut && ls.status == 0, "\(ls)")
      #expect(
        !ls.stdoutLines.contains {
          $0.contains(id) && ($0.contains("Attached") || $0.contains("Detached"))
        },
        "the regular file is listed as a session: \(ls)")
      #expect(!ls.stdout.contains("\(pid).link"), "the symbolic link is listed: \(ls)")
      #expect(ls.stdoutLines.contains { isListLine($0, id: other, state: "Detached") }, "\(ls)")

      for name in ["victim", "link"] {
        let client = try s.terminal(["-r", name])
        let status = client.waitForExit(timeout: 10)
        #expect(status != nil && status != 0, "-r \(name): \(String(describing: status))")
        let lines = plain(client.output).split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1, "-r \(name): \(client.output.debugDescription)")
      }
      let wipe = s.berth(["-wipe"], timeout: 10)
      #expect(!wipe.timedOut, "\(wipe)")

      var st = stat()
      #expect(lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG, "the regular file is gone")
      #expect((try? String(contentsOfFile: path, encoding: .utf8)) == content)
      #expect(lstat(link, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK, "the link is gone")
      #expect((try? String(contentsOfFile: target, encoding: .utf8)) == content)
      #expect(s.state(of: other) == "Detached")
    }
  }
}

// MARK: - Long runs

/// The 10 GB runs: they take minutes (about 27 MB/s with a release build,
/// 8 MB/s with a debug one), past the 2-minute limit of EndToEnd, so they
/// have a suite of their own, only with BERTH_LONG_TESTS=1. Swift Testing
/// runs it beside EndToEnd: run it alone (--filter LongRuns) on a small machine.
@Suite("berth long runs", .serialized, .enabled(if: berthLongTests), .timeLimit(.minutes(60)))
struct LongRuns {
  @Test(arguments: [false, true])
  func programThatPrintsTenGigabytesLeavesTheServerSmall(attached: Bool) throws {
    try EndToEnd().printingALotKeepsTheServerSmall(megabytes: 10_000, attached: attached)
  }
}
