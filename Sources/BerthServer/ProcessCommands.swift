// The commands of process care, for C-a : and -X on the current window (or
// -p's): stop, start, restart and signal its program, and the settings for
// windows opened later (defrestart, defrestartlimit) and for stop (stopwait).
import BerthSystem
import Glibc

extension SessionServer {
  /// defrestart policy: the restart policy of windows opened later.
  func defrestartCommand(_ args: [String]) -> (Int32, String) {
    guard args.count == 1, let policy = RestartPolicy(rawValue: args[0]) else {
      return (
        1, "defrestart: usage: defrestart \(RestartOptions.policyNames.joined(separator: "|"))"
      )
    }
    settings.care.policy = policy
    return (0, "")
  }

  /// defrestartlimit n|off: how often windows opened later restart before
  /// giving up.
  func defrestartlimitCommand(_ args: [String]) -> (Int32, String) {
    guard args.count == 1, let n = RestartOptions.parseLimit(args[0]) else {
      return (1, "defrestartlimit: usage: defrestartlimit n|off (0 or off: never give up)")
    }
    settings.care.limit = n == 0 ? nil : n
    return (0, "")
  }

  /// stopwait seconds: how long stop, restart and kill wait before SIGKILL.
  func stopwaitCommand(_ args: [String]) -> (Int32, String) {
    guard args.count == 1, let n = Self.seconds(args[0]) else {
      return (1, "stopwait: usage: stopwait seconds (0 to \(Self.maxSeconds))")
    }
    settings.care.stopWaitSeconds = n
    return (0, "")
  }

  // stop, start, restart and signal: the window's program.

  func stopCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    let now = Clock.nanos()
    guard args.isEmpty else { return (1, "stop: usage: stop") }
    if let refusal = refuseClosing("stop", w) { return refusal }
    switch w.lifecycle.stop(now: now) {
    case .success(let effects):
      carryOut(effects, for: w, now: now)
      return (0, "")
    case .failure:
      return (1, "stop: window \(w.number) is stopped already")
    }
  }

  func startCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    let now = Clock.nanos()
    guard args.isEmpty else { return (1, "start: usage: start") }
    if let refusal = refuseClosing("start", w) { return refusal }
    switch w.lifecycle.start() {
    case .success(let effects):
      carryOut(effects, for: w, now: now)
      return (0, "")
    case .failure:
      if case .backoff(let until) = w.lifecycle.state {
        let left = (until &- now) / Lifecycle.second + 1
        return (1, "start: window \(w.number) restarts in \(left) s (restart starts it now)")
      }
      return (1, "start: window \(w.number) is running")
    }
  }

  func restartCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    let now = Clock.nanos()
    guard args.isEmpty else { return (1, "restart: usage: restart") }
    if let refusal = refuseClosing("restart", w) { return refusal }
    carryOut(w.lifecycle.restart(now: now), for: w, now: now)
    return (0, "")
  }

  /// signal sig: the signal to the program's process group.
  func signalCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    if let refusal = refuseClosing("signal", w) { return refusal }
    guard args.count == 1, let s = Self.signalNumber(args[0]) else {
      return (
        1,
        args.count == 1
          ? "signal: unknown signal '\(args[0])'" : "signal: usage: signal HUP|SIGUSR1|number"
      )
    }
    guard w.lifecycle.isRunning, !w.hasEnded else {
      return (1, "signal: window \(w.number) has no program running")
    }
    kill(-w.pid, s)
    return (0, "")
  }

  /// What stop, start, restart and signal refuse, after their usage: a
  /// window that is closing. Takes the stop wait on the way.
  private func refuseClosing(_ name: String, _ w: Window) -> (Int32, String)? {
    // Taken when asked: `stopwait` changes the next stop of every window.
    w.lifecycle.stopWait = UInt64(settings.care.stopWaitSeconds) * Lifecycle.second
    guard !w.hasEnded || w.zombie == .kept else {
      return (1, "\(name): window \(w.number) is closing")
    }
    return nil
  }

  /// A whole number of seconds, 0 to maxSeconds.
  private static func seconds(_ text: String) -> Int? {
    guard text.utf8.count <= 6, !text.isEmpty,
      text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text), n <= maxSeconds
    else { return nil }
    return n
  }

  /// A signal by name (HUP, SIGHUP, hup) or number (1 to 64).
  static func signalNumber(_ text: String) -> Int32? {
    if let n = Int32(text) { return (1...64).contains(n) ? n : nil }
    guard (1...12).contains(text.utf8.count) else { return nil }
    var name = text.uppercased()
    if !name.hasPrefix("SIG") { name = "SIG" + name }
    return (1...64).first { signalName(Int32($0)) == name }.map(Int32.init)
  }
}
