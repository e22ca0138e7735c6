// The session saves itself for `berth --resurrect` (SaveFile.swift): when
// its windows open, close or change titles (at most every couple of
// seconds), at most once a minute while output flows, and at once when the
// server gets SIGTERM or SIGHUP (what a shutdown sends). A forked child
// encodes and writes each save, as the crash state is written: the
// encoding's buffers and metadata never stay in an idle server's memory.
// A session that ends by itself (its last window, `quit`) removes its save:
// there is nothing to bring back.
import BerthProtocol
import BerthSystem
import BerthTerminal
import CSupport
import Glibc

/// When the session was saved last, and what it looked like then.
struct SaveSchedule {
  /// Windows, their numbers and titles at the last save.
  var mark: [Int] = []
  /// The windows' output generations at the last save.
  var output: UInt64 = 0
  var lastNanos: UInt64 = 0
  /// The child writing a save, and when it is given up on.
  var writer: (pid: pid_t, deadline: UInt64)?
  /// The name the last save was written under (`sessionname` renames it).
  var name: String?
  /// A shutdown saved the session: its save stays when the server ends.
  var keep = false
  /// Resurrected windows whose program waits for the user (Resurrection.swift).
  var waiting: Set<ObjectIdentifier> = []

  /// Output is saved at most this often.
  static let outputInterval: UInt64 = 60_000_000_000
  /// Changes of windows and titles at most this often.
  static let changeInterval: UInt64 = 2_000_000_000
  /// A writer that takes longer is killed (a lock held at the fork).
  static let writerLimit: UInt64 = 10_000_000_000
}

extension SessionServer {
  /// Starts a save when one is due; the milliseconds until the next one
  /// may be, or -1 when nothing waits to be saved.
  func scheduleSave(now: UInt64) -> Int32 {
    guard ending == nil else { return -1 }
    if let w = saves.writer {
      guard now >= w.deadline else { return 100 }
      endWriter(w.pid)
      saves.writer = nil
    }
    var titles = Hasher()
    for w in windows {
      titles.combine(w.number)
      titles.combine(w.title)
    }
    // Windows and titles only: sessionVersion also moves with a backtick's
    // output or a bell, which would save every few seconds.
    let mark = [windows.count, titles.finalize()]
    let output = windows.reduce(UInt64(0)) { $0 &+ $1.generation }
    let since = now &- saves.lastNanos
    let due: UInt64
    if mark != saves.mark {
      due = Self.remaining(SaveSchedule.changeInterval, since)
    } else if output != saves.output {
      due = Self.remaining(SaveSchedule.outputInterval, since)
    } else {
      return -1
    }
    guard due == 0 else { return Int32(min(due / 1_000_000 + 1, 60_000)) }
    saves.mark = mark
    saves.output = output
    saves.lastNanos = now
    startSaveWriter(now: now)
    return -1
  }

  private static func remaining(_ interval: UInt64, _ since: UInt64) -> UInt64 {
    since >= interval ? 0 : interval - since
  }

  private func startSaveWriter(now: UInt64) {
    let name = SaveFile.name(ofSession: config.sessionName)
    if let old = saves.name, old != name { SaveFile.forget(old) }
    saves.name = name
    let pid = forkWriter { (try? writeSave(as: name)) != nil }
    guard pid > 0 else {
      try? writeSave(as: name)
      return
    }
    saves.writer = (pid, now &+ SaveSchedule.writerLimit)
  }

  /// The writing child ended (reaped with the programs).
  func saveWriterEnded(pid: pid_t) -> Bool {
    guard saves.writer?.pid == pid else { return false }
    saves.writer = nil
    return true
  }

  /// The session as a save: the whole state, each running program's
  /// working directory read now.
  func writeSave(as name: String) throws {
    var state = captureState(screens: true)
    for (i, w) in windows.enumerated() where i < state.windows.count {
      guard w.lifecycle.isRunning, !w.hasEnded, w.pid > 0 else { continue }
      state.windows[i].workingDirectory = readLink("/proc/\(w.pid)/cwd")
    }
    let bytes = try StateCoding.encode(
      state, kind: SessionState.kind, version: SessionState.version)
    try SaveFile.write(bytes, name: name)
  }

  /// SIGTERM or SIGHUP: saved at this moment, with what the programs wrote
  /// just before, in this process (it is about to end).
  func saveForShutdown() {
    for w in windows where w.isOpen { _ = w.readOutput(buffer: readBuffer, limit: 16 << 20) }
    if let w = saves.writer {
      endWriter(w.pid)
      saves.writer = nil
    }
    let name = SaveFile.name(ofSession: config.sessionName)
    do {
      try writeSave(as: name)
      saves.keep = true
    } catch {
      SystemLog.warning("berth: \(config.sessionName) could not be saved: \(error)")
      // The last save written stays: better than none.
      saves.keep = true
    }
  }

  /// The server ends: a session that ended by itself leaves no save.
  func dropSaveUnlessKept() {
    guard !saves.keep else { return }
    // A writer still at work would put the save back after it is removed.
    if let w = saves.writer {
      endWriter(w.pid)
      saves.writer = nil
    }
    SaveFile.forget(SaveFile.name(ofSession: config.sessionName))
  }
}
