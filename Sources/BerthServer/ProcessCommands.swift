// The commands of process care, for C-a : and -X on the current window (or
// -p's): stop, start, restart and signal its program, and the settings for
// windows opened later (defrestart, defrestartlimit) and for stop (stopwait).
import BerthSystem
import Glibc

extension SessionServer {
  func executeProcess(_ name: String, _ args: [String], window w: Window?) -> (Int32, String)? {
    switch name {
    case "defrestart":
      guard args.count == 1, let policy = RestartPolicy(rawValue: args[0]) else {
        return (
          1, "defrestart: usage: defrestart \(RestartOptions.policyNames.joined(separator: "|"))"
        )
      }
      settings.care.policy = policy
      return (0, "")
    case "defrestartlimit":
      guard args.count == 1, let n = RestartOptions.parseLimit(args[0]) else {
        return (1, "defrestartlimit: usage: defrestartlimit n|off (0 or off: never give up)")
      }
      settings.care.limit = n == 0 ? nil : n
      return (0, "")
    case "stopwait":
      guard args.count == 1, let n = Self.seconds(args[0]) else {
        return (1, "stopwait: usage: stopwait seconds (0 to \(Self.maxSeconds))")
      }
      settings.care.stopWaitSeconds = n
      return (0, "")
    default:
      return nil
    }
  }

  /// stop, start, restart and signal: the window's program.
  func control(_ name: String, _ args: [String], _ w: Window) -> (Int32, String) {
    let now = Clock.nanos()
    guard name == "signal" || args.isEmpty else { return (1, "\(name): usage: \(name)") }
    // Taken when asked: `stopwait` changes the next stop of every window.
    w.lifecycle.stopWait = UInt64(settings.care.stopWaitSeconds) * Lifecycle.second
    guard !w.hasEnded || w.zombie == .kept else {
      return (1, "\(name): window \(w.number) is closing")
    }
    switch name {
    case "stop":
      switch w.lifecycle.stop(now: now) {
      case .success(let effects):
        carryOut(effects, for: w, now: now)
        return (0, "")
      case .failure:
        return (1, "stop: window \(w.number) is stopped already")
      }
    case "start":
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
    case "restart":
      carryOut(w.lifecycle.restart(now: now), for: w, now: now)
      return (0, "")
    default:
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
