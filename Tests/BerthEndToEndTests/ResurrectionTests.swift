// Sessions saved and brought back after a reboot (`--resurrect`, `-R`,
// `--forget`, `--status`): the power cut is every process of the session
// killed with SIGKILL (the keeper first), the saves live in a private
// XDG_STATE_HOME.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  @Test func resurrectionBringsBackWindowsDirectoriesScreensAndPolicies() throws {
    try withSandbox { s in
      let (a, b) = (s.work + "/alpha", s.work + "/beta")
      try makeDirectories(s, [a, b])
      let id = try startSaved(s, "keep", directory: a)
      #expect(
        s.berth([
          "-S", "keep", "-X", "screen", "-t", "svc", "--restart=always", "sh", "-c",
          "echo up-$((40+2)); exec sleep 1000",
        ]).status == 0)
      #expect(
        s.berth([
          "-S", "keep", "-X", "screen", "-t", "plain", "sh", "-c",
          "echo plain-$((1+1)); exec sleep 1000",
        ]).status == 0)
      _ = s.berth(["-S", "keep", "-p", "0", "-X", "stuff", "cd \(b); echo MARK-$((6*7))\n"])
      #expect(waitForWindow(s, id, 0) { $0.contains("MARK-42") }.ok)
      #expect(waitForWindow(s, id, 1) { $0.contains("up-42") }.ok)
      #expect(waitForWindow(s, id, 2) { $0.contains("plain-2") }.ok)
      // A retitle saves (within a couple of seconds): the marker and the cd are in it.
      let before = Date()
      #expect(s.berth(["-S", "keep", "-p", "0", "-X", "title", "shell-win"]).status == 0)
      #expect(waitForSave(s, "keep", after: before))

      powerCut(id.pid)
      let r = s.berth(["--resurrect"])
      #expect(r.status == 0, "\(r)")
      guard
        let back = s.socketNames().first(where: { $0.hasSuffix(".keep") && $0 != id.id })
          .map(SessionRef.init)
      else {
        Issue.record("no resurrected session: \(s.socketNames())")
        return
      }
      let windows = s.berth(["-S", "keep", "-X", "windows"]).stdout
      #expect(windows.contains("0 shell-win") && windows.contains("1 svc"), "\(windows)")
      // Waiting behind its prompt: stopped (S) until Enter.
      #expect(windows.contains("2S plain"), "\(windows)")
      // The shell: its screen and a line saying when it was saved, then in its directory.
      let shell = waitForWindow(s, back, 0, history: true) { lines in
        lines.contains("MARK-42") && lines.contains { $0.hasPrefix("restored from 20") }
      }
      #expect(shell.ok, "\(shell.screen)")
      _ = s.berth(["-S", "keep", "-p", "0", "-X", "stuff", "pwd\n"])
      #expect(waitForWindow(s, back, 0) { $0.contains(b) }.ok)
      // restart=always: running again at once.
      let svc = waitForWindow(s, back, 1, history: true) { lines in
        lines.filter { $0 == "up-42" }.count == 2
      }
      #expect(svc.ok, "\(svc.screen)")
      // A plain program waits behind the prompt, and runs on Enter.
      let prompt = "Press Enter to run: sh -c 'echo plain-$((1+1)); exec sleep 1000'"
      let waiting = waitForWindow(s, back, 2, history: true) { lines in
        lines.contains { $0.hasPrefix(prompt) } && lines.filter { $0 == "plain-2" }.count == 1
      }
      #expect(waiting.ok, "\(waiting.screen)")
      let client = try s.attach(["-r", "keep", "-p", "2"], session: back.id)
      client.type("\r")
      let ran = waitForWindow(s, back, 2, history: true) { lines in
        lines.filter { $0 == "plain-2" }.count == 2
      }
      #expect(ran.ok, "\(ran.screen)")
      // A session that runs is not brought back twice.
      let again = s.berth(["--resurrect", "keep"])
      #expect(again.status != 0 && again.stderr.contains("keep is running"), "\(again)")
      #expect(s.socketNames().filter { $0.hasSuffix(".keep") }.count == 2)  // the dead one and this
    }
  }

  @Test func escapeAtThePromptRunsAShellAndXClosesTheWindow() throws {
    try withSandbox { s in
      let id = try startSaved(s, "ask", directory: s.work)
      for title in ["job", "other"] {
        #expect(
          s.berth([
            "-S", "ask", "-X", "screen", "-t", title, "sh", "-c", "echo \(title); exec sleep 1000",
          ]).status == 0)
      }
      let before = Date()
      #expect(s.berth(["-S", "ask", "-p", "0", "-X", "title", "sh0"]).status == 0)
      #expect(waitForSave(s, "ask", after: before))
      kill(id.pid, SIGTERM)
      #expect(eventually { processIsGone(id.pid) })
      #expect(s.berth(["--resurrect", "ask"]).status == 0)
      guard let back = s.sessionID("ask").map(SessionRef.init) else {
        Issue.record("not resurrected")
        return
      }
      #expect(waitForWindow(s, back, 1) { $0.contains { $0.hasPrefix("Press Enter to run") } }.ok)
      _ = s.berth(["-S", "ask", "-p", "1", "-X", "stuff", "\\033"])
      _ = s.berth(["-S", "ask", "-p", "1", "-X", "stuff", "echo ESC-$((3*3))\n"])
      #expect(waitForWindow(s, back, 1) { $0.contains("ESC-9") }.ok)
      _ = s.berth(["-S", "ask", "-p", "2", "-X", "stuff", "x"])
      #expect(
        eventually {
          let w = s.berth(["-S", "ask", "-X", "windows"]).stdout
          return w.contains("1 job") && !w.contains("other")
        })
    }
  }

  @Test func theRegionsOfTheDisplayComeBack() throws {
    try withSandbox { s in
      let id = try startSaved(s, "split", directory: s.work)
      _ = s.berth(["-S", "split", "-X", "stuff", "echo TOP-$((2+2))\n"])
      #expect(waitForWindow(s, id, 0) { $0.contains("TOP-4") }.ok)
      #expect(
        s.berth([
          "-S", "split", "-X", "screen", "sh", "-c", "echo BOTTOM-$((3+3)); exec sleep 1000",
        ]).status == 0)
      let first = try s.attach(["-r", "split"], session: id.id)
      for command in [["split"], ["focus"], ["select", "0"]] {
        #expect(s.berth(["-S", "split", "-X"] + command).status == 0)
      }
      #expect(first.waitForOutput("TOP-4") && first.waitForOutput("BOTTOM-6"))
      let before = Date()
      #expect(s.berth(["-S", "split", "-X", "title", "bottom"]).status == 0)
      #expect(waitForSave(s, "split", after: before))
      powerCut(id.pid)
      first.close()
      #expect(s.berth(["--resurrect", "split"]).status == 0)
      guard let back = s.socketNames().first(where: { $0.hasSuffix(".split") && $0 != id.id })
      else {
        Issue.record("not resurrected: \(s.socketNames())")
        return
      }
      // Both windows show at once: the regions are back.
      let again = try s.attach(["-r", back], session: back)
      #expect(again.waitForOutput("TOP-4") && again.waitForOutput("BOTTOM-6"), "\(again.output)")
    }
  }

  @Test func sigtermSavesTheSessionAtThatMoment() throws {
    try withSandbox { s in
      let id = try startSaved(s, "late", directory: s.work)
      _ = s.berth(["-S", "late", "-X", "stuff", "echo LATE-$((2*21))\n"])
      #expect(waitForWindow(s, id, 0) { $0.contains("LATE-42") }.ok)
      kill(id.pid, SIGTERM)
      #expect(eventually { processIsGone(id.pid) })
      let status = s.berth(["--status"])
      #expect(
        status.stdoutLines.contains { $0.hasPrefix("late") && $0.contains("saved") }, "\(status)")
      #expect(s.berth(["--resurrect", "late"]).status == 0)
      guard let back = s.sessionID("late").map(SessionRef.init) else {
        Issue.record("not resurrected")
        return
      }
      let screen = waitForWindow(s, back, 0, history: true) { $0.contains("LATE-42") }
      #expect(screen.ok, "\(screen.screen)")
    }
  }

  @Test func aCorruptSaveFallsBackToTheBackup() throws {
    try withSandbox { s in
      let id = try startSaved(s, "bad", directory: s.work)
      let before = Date()
      #expect(s.berth(["-S", "bad", "-X", "title", "from-backup"]).status == 0)
      #expect(waitForSave(s, "bad", after: before))
      kill(id.pid, SIGTERM)  // saves again: the retitled save becomes the backup
      #expect(eventually { processIsGone(id.pid) })
      let save = saveDirectory(s) + "/bad.save"
      let size = (try? FileManager.default.attributesOfItem(atPath: save)[.size] as? Int) ?? 0
      #expect(size > 16)
      #expect(truncate(save, off_t(size / 2)) == 0)
      let r = s.berth(["--resurrect", "bad"])
      #expect(r.status == 0, "\(r)")
      #expect(r.stderr.contains("bad: the save is unusable") && r.stderr.contains("backup"), "\(r)")
      #expect(s.waitForScreen("bad") { _ in true }.ok)
      #expect(s.berth(["-S", "bad", "-X", "windows"]).stdout.contains("0 from-backup"))
      // A save that is all garbage, and no backup: an error naming it, no crash.
      _ = s.berth(["-S", "bad", "-X", "quit"])
      #expect(eventually { s.sessionID("bad") == nil })
      #expect(
        FileManager.default.createFile(
          atPath: saveDirectory(s) + "/junk.save", contents: Data("not a save".utf8)))
      let junk = s.berth(["--resurrect", "junk"])
      #expect(junk.status == 1 && junk.stderr.contains("junk: the save cannot be read"), "\(junk)")
      #expect(s.sessionID("junk") == nil)
    }
  }

  @Test func aDirectoryGoneStartsInHomeAndMinusRResurrects() throws {
    try withSandbox { s in
      let gone = s.work + "/gone"
      try makeDirectories(s, [gone])
      let id = try startSaved(s, "wd", directory: gone)
      kill(id.pid, SIGTERM)
      #expect(eventually { processIsGone(id.pid) })
      #expect(rmdir(gone) == 0)
      // -R NAME: saved and not running, so brought back, then attached.
      let client = try s.terminal(["-R", "wd"], environment: Sandbox.bashVariables)
      #expect(
        eventually { s.sessionID("wd") != nil && s.state(of: s.sessionID("wd")!) == "Attached" })
      guard let back = s.sessionID("wd") else { return }
      let notice = s.waitForScreen(back) { lines in
        lines.joined().contains("\(gone) no longer exists: started in \(s.home)")
      }
      #expect(notice.ok, "\(notice.screen)")
      client.type("pwd\r")
      #expect(s.waitForLine(back, s.home).ok)
      client.close()
      // --forget deletes the save; -wipe leaves saves alone.
      _ = s.berth(["-S", "wd", "-X", "quit"])
      #expect(eventually { s.sessionID("wd") == nil })
      try FileManager.default.createDirectory(
        atPath: saveDirectory(s), withIntermediateDirectories: true)
      #expect(
        FileManager.default.createFile(
          atPath: saveDirectory(s) + "/other.save", contents: Data("x".utf8)))
      _ = s.berth(["-wipe"])
      #expect(FileManager.default.fileExists(atPath: saveDirectory(s) + "/other.save"))
      #expect(s.berth(["--forget", "other"]).status == 0)
      #expect(!FileManager.default.fileExists(atPath: saveDirectory(s) + "/other.save"))
      let none = s.berth(["--forget", "other"])
      #expect(none.status == 1 && none.stderr.contains("no saved session named other"))
    }
  }
}

/// A session's PID.NAME, and a window of it as -S/-p name it for hardcopy.
private struct SessionRef {
  let id: String
  var pid: pid_t { pid_t(id.split(separator: ".").first ?? "") ?? 0 }
  init(_ id: String) { self.id = id }
}

/// Polls window n's hardcopy (with its history when asked) until condition holds.
private func waitForWindow(
  _ s: Sandbox, _ session: SessionRef, _ n: Int, history: Bool = false,
  _ condition: ([String]) -> Bool
) -> (ok: Bool, screen: String) {
  var last = ""
  let ok = eventually(timeout: 10, every: 0.05) {
    let file = s.scratchPath("hardcopy")
    let r = s.berth(
      ["-S", session.id, "-p", String(n), "-X", "hardcopy"] + (history ? ["-h"] : []) + [file])
    guard r.status == 0, let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      return false
    }
    last = text
    return condition(screenLines(text))
  }
  return (ok, last)
}

/// The sandbox's saves: a private XDG_STATE_HOME.
private func saveDirectory(_ s: Sandbox) -> String { s.root + "/state/berth/saves" }

private func makeDirectories(_ s: Sandbox, _ paths: [String]) throws {
  for p in paths {
    try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
  }
}

/// Starts a detached bash session (prompt "$ ") saved under the sandbox's
/// XDG_STATE_HOME, and waits for its first save.
private func startSaved(_ s: Sandbox, _ name: String, directory: String) throws -> SessionRef {
  s.variables["XDG_STATE_HOME"] = s.root + "/state"
  let r = s.berth(
    ["-dmS", name] + Sandbox.bash, directory: directory, environment: Sandbox.bashVariables)
  guard r.status == 0, let id = s.sessionID(name) else { throw TestFailure("not started: \(r)") }
  guard
    eventually(
      timeout: 10, { FileManager.default.fileExists(atPath: saveDirectory(s) + "/\(name).save") })
  else { throw TestFailure("\(name) was never saved") }
  _ = s.waitForLine(id, "$")
  return SessionRef(id)
}

/// Waits until NAME's save was written after `date`.
private func waitForSave(_ s: Sandbox, _ name: String, after date: Date) -> Bool {
  eventually(timeout: 10) {
    let attributes = try? FileManager.default.attributesOfItem(
      atPath: saveDirectory(s) + "/\(name).save")
    return (attributes?[.modificationDate] as? Date).map { $0 > date } ?? false
  }
}

/// A power cut: the keeper, the server and every program of the session
/// killed with SIGKILL, nothing left to save or clean up.
private func powerCut(_ server: pid_t) {
  let programs = childrenOf(server)
  killSessionOutright(server)
  for p in programs {
    kill(-p, SIGKILL)
    kill(p, SIGKILL)
  }
  _ = eventually { processIsGone(server) && programs.allSatisfy(processIsGone) }
}

private func childrenOf(_ pid: pid_t) -> [pid_t] {
  let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
  return entries.compactMap { pid_t($0) }.filter { parentPid($0) == pid }
}
