// Process care in the server: the windows' lifecycles get their events from
// the loop (a child reaped, a deadline reached) and the server carries out
// what they ask (start the program again in the same window, signal it,
// report how it ended, or let the window end as screen's do).
import BerthProtocol
import BerthSystem
import Glibc

extension SessionServer {
  /// The program of w ended with `status` (reaped).
  func programEnded(_ w: Window, status: ExitStatus, now: UInt64) {
    let effects = w.lifecycle.exited(status, now: now)
    // Followers stop here, with the line the window shows.
    let report = effects.lazy.compactMap { e -> String? in
      if case .report(let text) = e { return text } else { return nil }
    }.first
    endFollowers(of: w, saying: report ?? "=== \(Lifecycle.describe(status)) ===")
    if w.closeWhenEnded || ending != nil {
      // `kill`, or the session is ending (quit, SIGTERM): the window goes,
      // whatever its policy.
      w.markExited(status)
      return
    }
    carryOut(effects, for: w, now: now)
  }

  /// Wakes the lifecycles whose deadline came (a restart after its backoff,
  /// stop's SIGKILL) and asks `wait` for the nearest one still ahead.
  /// A program that runs has no deadline: an idle session does not wake.
  func runLifecycleTimers(now: UInt64, wait: (UInt64) -> Void) {
    guard ending == nil else { return }
    for w in windows {
      guard let due = w.lifecycle.deadline else { continue }
      if now >= due {
        if w.closeWhenEnded, w.lifecycle.isRunning {
          tellAttached("Window \(w.number) (\(w.title)) ignored SIGHUP: killed with SIGKILL")
        }
        carryOut(w.lifecycle.timerFired(now: now), for: w, now: now)
      }
      if let next = w.lifecycle.deadline, next > now { wait(next - now) }
    }
  }

  /// Carries out a lifecycle's effects for window w.
  func carryOut(_ effects: [Lifecycle.Effect], for w: Window, now: UInt64) {
    // A window that ends for good says so as it always did (the zombie's
    // notice, "Window N ended"): no report line of its own.
    let ends = effects.contains(.ended)
    for effect in effects {
      switch effect {
      case .report(let text) where !ends:
        report(text, in: w)
      case .report:
        break
      case .spawn:
        respawn(w, now: now)
      case .signal(let s):
        if w.lifecycle.isRunning { w.program.signal(s) }
      case .ended:
        w.markExited(w.lifecycle.lastExit ?? .exited(0))
      }
    }
    sessionVersion &+= 1
  }

  /// Starts w's program again in the same window, or reports why it could not.
  private func respawn(_ w: Window, now: UInt64) {
    revokeDirectInput(to: w)
    do {
      try w.respawn()
      w.lifecycle.started(now: now)
      w.lastOutputNanos = now
      w.silenceAnnounced = false
    } catch {
      let status = (error as? SpawnError)?.status ?? 126
      tellAttached("Cannot restart window \(w.number): \(error)")
      carryOut(w.lifecycle.exited(.exited(status), now: now), for: w, now: now)
    }
  }

  /// A line about w's program, where its output goes (screen, history, log)
  /// and as a message to the attached clients.
  func report(_ text: String, in w: Window) {
    let line = Array(("\r\n" + text + "\r\n").utf8)
    w.showOutput(Self.settle(w) + line)
    w.log?.append(line)
    reportLogFailure(of: w)
    var plain = Substring(text)
    if plain.hasPrefix("=== ") { plain = plain.dropFirst(4) }
    if plain.hasSuffix(" ===") { plain = plain.dropLast(4) }
    tellAttached("Window \(w.number) (\(w.title)): \(plain)")
  }

  /// Puts back what a program that ended may have left set (the alternate
  /// screen, mouse reports, bracketed paste, keypad modes), so that the
  /// report goes to the main screen and its history and the next run starts
  /// on a terminal as a new window's; the screen's text stays.
  private static func settle(_ w: Window) -> [UInt8] {
    var reset = w.terminal.modes.alternateScreen ? "\u{1B}[?1049l" : ""
    reset += "\u{1B}[0m\u{1B}[4l\u{1B}[?25h\u{1B}[?1l\u{1B}>\u{1B}[?2026l\u{1B}[?2004l\u{1B}[?1004l"
    reset += "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1005l\u{1B}[?1006l\u{1B}[?1015l"
    return Array(reset.utf8)
  }

  /// A message for the attached clients only: a detached session's restarts
  /// are not kept for later.
  func tellAttached(_ text: String) {
    for c in attachedClients { c.send(.message(text)) }
  }

  /// Clients typing straight into w's PTY stop before it is replaced; the
  /// loop grants the new one when the conditions hold.
  private func revokeDirectInput(to w: Window) {
    for c in clients where c.directInput?.window === w {
      c.directInput = nil
      c.send(.directInput(serial: nil), always: true)
    }
  }

  /// screen's `kill`: the window closes when its program ends (SIGHUP,
  /// SIGKILL after stopwait), whatever its policy; at once when none runs.
  func killWindow(_ w: Window) {
    w.closeWhenEnded = true
    w.lifecycle.stopWait = UInt64(settings.care.stopWaitSeconds) * Lifecycle.second
    guard w.lifecycle.isRunning, !w.hasEnded else {
      if !w.hasEnded {
        _ = w.lifecycle.hangUp(now: Clock.nanos())
        w.zombie = .dismissed
        w.markExited(w.lifecycle.lastExit ?? .exited(0))
      }
      w.hangUp()
      return
    }
    _ = w.lifecycle.hangUp(now: Clock.nanos())
    w.hangUp()
  }

  /// After the session ended (quit, SIGTERM): programs that ignore the
  /// SIGHUP they were sent get SIGKILL after stopwait, so that none outlives
  /// its session unasked. The socket is gone already; this only waits.
  func stopRemainingPrograms() {
    let wait = UInt64(settings.care.stopWaitSeconds) * Lifecycle.second
    let deadline = Clock.nanos() &+ wait
    func ended(_ p: pid_t, _ status: Int32) {
      for w in windows where w.pid == p && w.lifecycle.isRunning {
        _ = w.lifecycle.exited(ExitStatus(waitStatus: status), now: Clock.nanos())
      }
    }
    while true {
      var status: Int32 = 0
      while case let p = waitpid(-1, &status, WNOHANG), p > 0 { ended(p, status) }
      // Programs a killed server left behind are the keeper's children.
      _ = Keeper.receiveExits(ended)
      let left = windows.filter { $0.lifecycle.isRunning && !$0.hasEnded }
      guard !left.isEmpty else { return }
      let now = Clock.nanos()
      guard now < deadline else {
        for w in left {
          w.program.signal(SIGKILL)
          let line = Array("\r\n[it ignored SIGHUP: killed with SIGKILL]\r\n".utf8)
          w.log?.append(line)
        }
        return
      }
      var fds = [
        pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0),
        pollfd(fd: Keeper.socket, events: Int16(POLLIN), revents: 0),
      ]
      _ = poll(&fds, 2, Int32(min((deadline - now) / 1_000_000 + 1, 86_400_000)))
      while signals.next() != nil {}
    }
  }
}

extension Window {
  /// A mark among the window list's flags for a program that does not run:
  /// R waiting to restart, S stopped, F fatal (gave up), Z ended and kept
  /// (screen's zombie mark); nothing while it runs.
  var careMark: String {
    switch lifecycle.state {
    case .backoff: return "R"
    case .stopped: return "S"
    case .fatal: return "F"
    case .exited: return hasEnded ? "Z" : ""
    case .starting, .running, .stopping: return ""
    }
  }

  /// The program's state in words, as %k and the window list show it;
  /// empty while it runs.
  func careState(now: UInt64) -> String {
    switch lifecycle.state {
    case .backoff(let until):
      let left = until > now ? (until - now + Lifecycle.second - 1) / Lifecycle.second : 0
      return "backoff \(left)s"
    case .stopped: return "stopped"
    case .fatal: return "fatal"
    case .exited: return hasEnded ? "exited" : ""
    case .starting, .running, .stopping: return ""
    }
  }
}
