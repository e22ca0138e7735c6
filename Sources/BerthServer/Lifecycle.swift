// The life of a window's program, as a small pure value: what happened goes
// in (it started, it exited, the user asked to stop or start it, a timer
// fired), what to do comes out (start it, signal it, wake at a time, tell
// the user). It runs no process and reads no clock, so every rule (restart
// policies, backoff, the restart limit, stop's escalation) is tested
// without processes; the server's loop carries out the effects and its one
// timer serves `deadline`.
import BerthSystem
import Glibc

/// When a program that ends is started again (`--restart=`, `defrestart`).
public enum RestartPolicy: String, CaseIterable, Sendable, Codable {
  /// Never: screen's behaviour.
  case no
  /// After an exit status other than 0, or death by a signal berth did not send.
  case onFailure = "on-failure"
  /// After any end berth did not ask for.
  case always
}

struct Lifecycle: Equatable, Codable {
  enum State: Equatable, Codable {
    /// `spawn` was asked for; `started` (or `exited`, when it could not) follows.
    case starting
    case running(since: UInt64)
    /// Asked to stop: SIGTERM sent, SIGKILL due at `kill` (nil once sent);
    /// `thenStart` when a restart waits for the end.
    case stopping(since: UInt64, kill: UInt64?, thenStart: Bool)
    /// Ended; started again at `until`.
    case backoff(until: UInt64)
    /// Ended too often in a row (`--restart-limit`): waits for `start`.
    case fatal
    /// Stopped by the user: waits for `start`.
    case stopped
    /// Ended and not restarted by its policy.
    case exited
  }

  enum Effect: Equatable {
    /// Start the program (again): the server calls `started` or, when it
    /// cannot, `exited` with the status a shell would give (127, 126).
    case spawn
    /// Send this signal to the program's process group.
    case signal(Int32)
    /// The program ended and stays ended (`exited`): the window closes, or
    /// stays as screen's `zombie` keeps it.
    case ended
    /// A line for the window's history and the attached clients.
    case report(String)
  }

  enum Failure: Error, Equatable {
    case running, alreadyStopped
  }

  /// A run at least this long resets the backoff and the restart limit's count.
  static let longRun: UInt64 = 60 * second
  /// The longest wait between restarts.
  static let maxDelay: UInt64 = 60 * second
  static let second: UInt64 = 1_000_000_000

  var policy: RestartPolicy
  /// Consecutive short runs before `fatal`; nil: never give up.
  var limit: Int?
  /// How long `stop` waits after SIGTERM before SIGKILL.
  var stopWait: UInt64
  private(set) var state: State
  /// Runs started after the first.
  private(set) var restarts = 0
  /// How the last run ended; nil before the first end.
  private(set) var lastExit: ExitStatus?
  /// Consecutive runs shorter than `longRun`.
  private(set) var shortRuns = 0
  /// The wait before the next restart.
  private(set) var delay: UInt64 = second

  init(policy: RestartPolicy, limit: Int? = nil, stopWait: UInt64 = 10 * second, now: UInt64) {
    self.policy = policy
    self.limit = limit
    self.stopWait = stopWait
    state = .running(since: now)
  }

  /// When the loop must wake for this program, if it must.
  var deadline: UInt64? {
    switch state {
    case .backoff(let until): return until
    case .stopping(_, let kill, _): return kill
    default: return nil
    }
  }

  /// Whether a program runs (or is being stopped).
  var isRunning: Bool {
    switch state {
    case .starting, .running, .stopping: return true
    default: return false
    }
  }

  /// The program was started (again).
  mutating func started(now: UInt64) {
    state = .running(since: now)
  }

  /// The program ended with `status`.
  mutating func exited(_ status: ExitStatus, now: UInt64) -> [Effect] {
    lastExit = status
    switch state {
    case .stopping(_, _, let thenStart):
      if thenStart { return startAgain() }
      state = .stopped
      return [.report("=== \(Self.describe(status)); stopped ===")]
    case .running, .starting:
      var ran: UInt64 = 0
      if case .running(let since) = state, now >= since { ran = now - since }
      if ran >= Self.longRun {
        shortRuns = 0
        delay = Self.second
      }
      shortRuns += ran >= Self.longRun ? 0 : 1
      guard shouldRestart(after: status) else {
        state = .exited
        return [.report("=== \(Self.describe(status)) ==="), .ended]
      }
      if let limit, shortRuns >= limit {
        state = .fatal
        return [
          .report(
            "=== \(Self.describe(status)); \(shortRuns) quick ends in a row: not restarted (start starts it) ==="
          )
        ]
      }
      let wait = delay
      state = .backoff(until: now &+ wait)
      delay = min(delay * 2, Self.maxDelay)
      return [
        .report(
          "=== \(Self.describe(status)); restart \(restarts + 1) in \(wait / Self.second) s ===")
      ]
    case .backoff, .fatal, .stopped, .exited:
      // An end reported twice, or of a start that failed: nothing more to do.
      return []
    }
  }

  /// The loop's timer reached `now`.
  mutating func timerFired(now: UInt64) -> [Effect] {
    switch state {
    case .backoff(let until) where now >= until:
      return startAgain()
    case .stopping(let since, let kill?, let thenStart) where now >= kill:
      state = .stopping(since: since, kill: nil, thenStart: thenStart)
      return [.signal(SIGKILL)]
    default:
      return []
    }
  }

  /// `stop`: SIGTERM, then SIGKILL after `stopWait`; not restarted.
  mutating func stop(now: UInt64) -> Result<[Effect], Failure> {
    switch state {
    case .running(let since):
      state = .stopping(since: since, kill: now &+ stopWait, thenStart: false)
      return .success([.signal(SIGTERM)])
    case .stopping(let since, let kill, _):
      state = .stopping(since: since, kill: kill, thenStart: false)
      return .success([])
    case .starting, .backoff, .fatal, .exited:
      state = .stopped
      return .success([])
    case .stopped:
      return .failure(.alreadyStopped)
    }
  }

  /// screen's `kill`: SIGHUP, as a closing terminal sends, then SIGKILL
  /// after `stopWait` for a program that ignores it; not restarted (the
  /// window closes when it ends). Nothing to signal when no program runs.
  mutating func hangUp(now: UInt64) -> [Effect] {
    switch state {
    case .running(let since):
      state = .stopping(since: since, kill: now &+ stopWait, thenStart: false)
      return [.signal(SIGHUP)]
    case .stopping(let since, let kill, _):
      state = .stopping(since: since, kill: kill, thenStart: false)
      return [.signal(SIGHUP)]
    case .starting, .backoff, .fatal, .stopped, .exited:
      state = .stopped
      return []
    }
  }

  /// `start`: a stopped, fatal or exited program runs again.
  mutating func start() -> Result<[Effect], Failure> {
    switch state {
    case .starting, .running, .stopping, .backoff: return .failure(.running)
    case .fatal, .stopped, .exited:
      shortRuns = 0
      delay = Self.second
      return .success(startAgain())
    }
  }

  /// `restart`: stop (if it runs), then start, from any state.
  mutating func restart(now: UInt64) -> [Effect] {
    switch state {
    case .running(let since):
      state = .stopping(since: since, kill: now &+ stopWait, thenStart: true)
      return [.signal(SIGTERM)]
    case .stopping(let since, let kill, _):
      state = .stopping(since: since, kill: kill, thenStart: true)
      return []
    case .starting: return []
    case .backoff, .fatal, .stopped, .exited:
      shortRuns = 0
      delay = Self.second
      return startAgain()
    }
  }

  private mutating func startAgain() -> [Effect] {
    restarts += 1
    state = .starting
    return [.spawn]
  }

  private func shouldRestart(after status: ExitStatus) -> Bool {
    switch policy {
    case .no: return false
    case .always: return true
    case .onFailure: return status != .exited(0)
    }
  }

  /// An end as a shell reports it: "exit 3", "killed by SIGSEGV (139)".
  static func describe(_ status: ExitStatus) -> String {
    switch status {
    case .exited(let code): return "exit \(code)"
    case .signaled(let s): return "killed by \(signalName(s)) (\(128 + s))"
    }
  }
}
