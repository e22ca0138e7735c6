// Logs that rotate and never block (logsize, logkeep): rotation leaves
// exactly the files logkeep asks for, with every line in order; a log on a
// full file system, or on a FIFO whose reader stopped, lets the program run
// at full speed and marks what was lost with one line once writing works.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  private func bytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
  }

  private func text(_ path: String) -> String {
    String(decoding: bytes(path) ?? [], as: UTF8.self)
  }

  @Test func logsRotateAtLogsizeKeepingLogkeepFilesWithEveryLineInOrder() throws {
    try withSandbox { s in
      let id = try s.startDetached(
        "rot",
        [
          "sh", "-c",
          "read a; echo first-$a; read b; seq -f line-%05g 1 3000; echo flood-done; exec cat",
        ])
      func x(_ words: String...) -> RunResult { s.berth(["-S", id, "-X"] + words) }
      let directory = s.scratchPath("logs")
      #expect(mkdir(directory, 0o700) == 0)
      let log = directory + "/app.log"
      // A file that exists counts: at 4096 bytes, the first output rotates it.
      let old = String(repeating: "old-line-0123456789\n", count: 204) + "old-line-tail-0\n"
      #expect(old.utf8.count == 4096)
      try old.write(toFile: log, atomically: false, encoding: .utf8)
      #expect(x("logfile", log).status == 0)
      #expect(x("logsize", "4K").status == 0)
      #expect(x("logkeep", "2").status == 0)
      #expect(x("logsize").stdout == "logsize 4K\n")
      #expect(x("logkeep").stdout == "logkeep 2\n")
      #expect(x("log", "on").status == 0)
      _ = x("stuff", "go\r")
      #expect(eventually { text(log).contains("first-go\r\n") }, "\(text(log).debugDescription)")
      #expect(text(log + ".1") == old)
      #expect(!text(log).contains("old-line"))

      _ = x("stuff", "\r")
      #expect(eventually { text(log).contains("flood-done\r\n") }, "\(text(log).suffix(200))")
      let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
      #expect(names == ["app.log", "app.log.1", "app.log.2"])
      // Each rotated file was full to within a line (12 bytes), and is cut between lines.
      for name in ["app.log.2", "app.log.1"] {
        let size = bytes(directory + "/" + name)?.count ?? 0
        #expect(size <= 4096 && size > 4096 - 12, "\(name): \(size) bytes")
      }
      #expect((bytes(log)?.count ?? 0) <= 4096)
      for path in [log + ".2", log + ".1", log] {
        let t = text(path)
        #expect(
          t.hasPrefix("line-") && t.hasSuffix("\r\n"), "\(path): \(t.prefix(20))...\(t.suffix(20))")
      }
      // Oldest to newest, the numbered lines go on without a gap to the last.
      let lines = (text(log + ".2") + text(log + ".1") + text(log))
        .components(separatedBy: "\r\n").filter { $0.hasPrefix("line-") }
      let numbers = lines.compactMap { Int($0.dropFirst(5)) }
      #expect(numbers.count == lines.count)
      let first = numbers.first ?? 0
      #expect(first > 1, "the oldest lines were rotated out past logkeep 2")
      #expect(numbers == Array(first...3000), "\(numbers.prefix(5)) ... \(numbers.suffix(5))")
    }
  }

  /// The log's bytes, with its one gap line taken out, are the expected
  /// stream with `N` bytes missing where the line was: none lost elsewhere,
  /// none twice. Returns N, or nil (with the issue recorded).
  private func expectOneGap(
    in log: [UInt8], of expected: [UInt8], reason: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Int? {
    let text = String(decoding: log, as: UTF8.self)
    let marks = text.components(separatedBy: "[berth: ").count - 1
    #expect(marks == 1, "\(marks) gap lines", sourceLocation: sourceLocation)
    let open = Array("[berth: ".utf8)
    guard
      let start = (0...(log.count - open.count)).first(where: {
        log[$0..<($0 + open.count)] == open[...]
      }),
      let end = log[start...].firstIndex(of: 0x0A)
    else { return nil }
    let line = String(decoding: log[start..<end], as: UTF8.self)
    let words = line.dropFirst(open.count).split(separator: " ", maxSplits: 4)
    guard words.count == 5, let n = Int(words[0]), n > 0,
      words[1...3].joined(separator: " ") == "bytes not logged:",
      words[4] == "\(reason)]\r"
    else {
      Issue.record("not a gap line: \(line.debugDescription)", sourceLocation: sourceLocation)
      return nil
    }
    let after = Array(log[(end + 1)...])
    // The line begins with a line end of its own when the log stopped mid-line.
    for before in [Array(log[..<start]), Array(log[..<max(0, start - 2)])]
    where before.count + n + after.count == expected.count {
      if expected.starts(with: before) && expected.suffix(after.count).elementsEqual(after) {
        return n
      }
    }
    Issue.record(
      "the log is not the output with \(n) bytes missing at the gap line: \(before(log, start)) | \(line) | \(String(decoding: after.prefix(60), as: UTF8.self).debugDescription)",
      sourceLocation: sourceLocation)
    return nil
  }

  private func before(_ log: [UInt8], _ start: Int) -> String {
    String(decoding: log[max(0, start - 60)..<start], as: UTF8.self).debugDescription
  }

  /// What `sh -c 'read a; seq -f flood-%07g 1 N; echo flood-done; read b; echo after-$b'`
  /// writes on its terminal, given "go" and "x" and their echoes.
  private func floodStream(lines: Int) -> [UInt8] {
    var out = Array("go\r\n".utf8)
    out.reserveCapacity(lines * 15 + 40)
    for i in 1...lines {
      let digits = String(i)
      out += Array(
        ("flood-" + String(repeating: "0", count: 7 - digits.count) + digits + "\r\n").utf8)
    }
    out += Array("flood-done\r\nx\r\nafter-x\r\n".utf8)
    return out
  }

  private static let flood = [
    "sh", "-c", "read a; seq -f flood-%07g 1 $1; echo flood-done; read b; echo after-$b; exec cat",
    "sh",
  ]

  @Test func aLogOnAFullFileSystemLetsTheProgramRunAndMarksTheGapOnce() throws {
    try withSandbox { s in
      let disk = s.root + "/disk"
      #expect(mkdir(disk, 0o700) == 0)
      // 8M, so that what the log holds while the disk is full (2 MiB at
      // most) fits once the filler goes: then the gap has one line.
      guard mount("tmpfs", disk, "tmpfs", 0, "size=8m") == 0 else {
        print("skipped: cannot mount a tmpfs (\(String(cString: strerror(errno)))): needs root")
        return
      }
      defer { umount2(disk, Int32(MNT_DETACH)) }
      // The filler leaves 32K for the log; the flood is 1.5 MB.
      let filler = disk + "/filler"
      #expect(
        FileManager.default.createFile(
          atPath: filler, contents: Data(count: (8 << 20) - (32 << 10))))
      let id = try s.startDetached("full", Self.flood + ["100000"])
      func x(_ words: String...) -> RunResult { s.berth(["-S", id, "-X"] + words) }
      let log = disk + "/app.log"
      #expect(x("logfile", log).status == 0)
      #expect(x("log", "on").status == 0)
      let client = try s.attach(["-r", id], session: id, columns: 200)
      let start = monotonicSeconds()
      _ = x("stuff", "go\r")
      // The flood ends at the terminal's speed: the server never waits on the disk.
      #expect(s.waitForLine(id, "flood-done", timeout: 30).ok)
      let took = monotonicSeconds() - start
      #expect(took < 20, "the flood took \(took) s")
      #expect(x("windows").status == 0, "the server answers")
      #expect(!text(log).contains("[berth: "), "no gap line while the disk is full")
      // The user is told once, where they look; the log stays on ($ in the list).
      #expect(
        client.waitForOutput("Logfile \"\(log)\": No space left on device"),
        "\(client.output.suffix(300))")
      #expect(x("windows").stdout.contains("0*$"), "\(x("windows"))")

      // Space again: the writer's next try (within a second) marks the gap,
      // and output from then on is logged.
      #expect(unlink(filler) == 0)
      #expect(eventually { text(log).contains("[berth: ") }, "\(text(log).suffix(200))")
      _ = x("stuff", "x\r")
      #expect(eventually { text(log).contains("after-x\r\n") }, "\(text(log).suffix(200))")
      let lost = expectOneGap(
        in: bytes(log) ?? [], of: floodStream(lines: 100_000), reason: "No space left on device")
      #expect((lost ?? 0) > 0, "\(String(describing: lost)) bytes lost")
    }
  }

  @Test func aLogOnAFIFOWhoseReaderStoppedNeverSlowsTheProgram() throws {
    try withSandbox { s in
      let fifo = s.scratchPath("fifo")
      #expect(mkfifo(fifo, 0o600) == 0)
      let id = try s.startDetached("fifo", Self.flood + ["400000"])
      func x(_ words: String...) -> RunResult { s.berth(["-S", id, "-X"] + words) }
      #expect(x("logfile", fifo).status == 0)
      // No reader: the log does not open, and says why.
      let refused = x("log", "on")
      #expect(
        refused.status == 1 && refused.stderr.contains("No such device or address"), "\(refused)")

      let out = s.scratchPath("read")
      let reader = try spawnWithoutTerminal(
        ["/bin/cat", fifo], environment: s.environment(), directory: nil, stdoutPath: out,
        stderrPath: s.scratchPath("reader-errors"))
      defer { killAndReap(reader) }
      #expect(eventually { x("log", "on").status == 0 })
      kill(reader, SIGSTOP)
      // 6 MB through a FIFO nobody reads: more than the log may hold.
      _ = x("stuff", "go\r")
      #expect(s.waitForLine(id, "flood-done", timeout: 60).ok)
      // Read again: the log catches up, then marks the gap; output from
      // then on is logged.
      kill(reader, SIGCONT)
      #expect(eventually { text(out).contains("[berth: ") }, "\(text(out).suffix(200))")
      _ = x("stuff", "x\r")
      #expect(eventually { text(out).contains("after-x\r\n") }, "\(text(out).suffix(200))")
      let lost = expectOneGap(
        in: bytes(out) ?? [], of: floodStream(lines: 400_000),
        reason: "Resource temporarily unavailable")
      #expect((lost ?? 0) > 0)
    }
  }

  @Test func logsizeAndLogkeepRefuseBadInputAndChangeNothing() throws {
    try withSandbox { s in
      let id = try s.startDetached("limits", ["sh", "-c", "exec sleep 1000"])
      func x(_ words: [String]) -> RunResult { s.berth(["-S", id, "-X"] + words) }
      #expect(x(["logsize"]).stdout == "logsize 10M\n")
      #expect(x(["logkeep"]).stdout == "logkeep 5\n")
      for bad in [
        ["logsize", "-1"], ["logsize", "10Q"], ["logsize", "1.5M"], ["logsize", "1", "2"],
        ["logsize", "99999999999G"], ["logkeep", "x"], ["logkeep", "-3"], ["logkeep", "1000"],
        ["logkeep", "2", "3"],
      ] {
        let r = x(bad)
        expectOneLineError(r)
        #expect(r.status == 1 && r.stderr.contains("usage: \(bad[0])"), "\(r)")
      }
      #expect(x(["logsize"]).stdout == "logsize 10M\n")
      #expect(x(["logkeep"]).stdout == "logkeep 5\n")
      #expect(x(["logsize", "1536k"]).status == 0)
      #expect(x(["logkeep", "0"]).status == 0)
      #expect(x(["logsize"]).stdout == "logsize 1536K\n")
      #expect(x(["logkeep"]).stdout == "logkeep 0\n")
    }
  }
}
