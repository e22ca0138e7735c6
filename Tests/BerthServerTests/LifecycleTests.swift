// The life of a window's program, without processes: restart policies,
// backoff, the restart limit, and stop's escalation.
import BerthSystem
import Glibc
import Testing

@testable import BerthServer

private let s = Lifecycle.second

/// Exits at `now` and, when the lifecycle asks for a restart, returns the wait.
private func backoffWait(_ l: Lifecycle, from now: UInt64) -> UInt64? {
  guard case .backoff(let until) = l.state else { return nil }
  return (until - now) / s
}

@Test func onFailureRestartsWithDoublingGapsUpToAMinute() {
  var l = Lifecycle(policy: .onFailure, now: 0)
  var now: UInt64 = 0
  var waits: [UInt64] = []
  for _ in 0..<8 {
    now += 2 * s
    let effects = l.exited(.exited(3), now: now)
    #expect(effects.count == 1)
    guard let wait = backoffWait(l, from: now) else {
      Issue.record("not in backoff: \(l.state)")
      return
    }
    waits.append(wait)
    #expect(l.timerFired(now: now + wait * s - 1) == [], "woke early")
    now += wait * s
    #expect(l.timerFired(now: now) == [.spawn])
    l.started(now: now)
  }
  #expect(waits == [1, 2, 4, 8, 16, 32, 60, 60])
  #expect(l.restarts == 8)
  #expect(l.lastExit == .exited(3))
}

@Test func theReportSaysHowItEndedAndWhenItStartsAgain() {
  var l = Lifecycle(policy: .onFailure, now: 0)
  #expect(l.exited(.exited(3), now: s) == [.report("=== exit 3; restart 1 in 1 s ===")])
  _ = l.timerFired(now: 2 * s)
  l.started(now: 2 * s)
  #expect(
    l.exited(.signaled(SIGKILL), now: 3 * s)
      == [.report("=== killed by SIGKILL (137); restart 2 in 2 s ===")])
}

@Test func aLongRunResetsTheBackoff() {
  var l = Lifecycle(policy: .always, now: 0)
  _ = l.exited(.exited(1), now: s)
  _ = l.timerFired(now: 2 * s)
  l.started(now: 2 * s)
  _ = l.exited(.exited(1), now: 3 * s)
  #expect(backoffWait(l, from: 3 * s) == 2)
  _ = l.timerFired(now: 5 * s)
  l.started(now: 5 * s)
  // Ran 61 s: the next wait is 1 s again.
  _ = l.exited(.exited(1), now: 66 * s)
  #expect(backoffWait(l, from: 66 * s) == 1)
}

@Test func eachPolicyRestartsWhatItShould() {
  var always = Lifecycle(policy: .always, now: 0)
  _ = always.exited(.exited(0), now: s)
  #expect(backoffWait(always, from: s) == 1, "always restarts a clean exit")

  var onFailure = Lifecycle(policy: .onFailure, now: 0)
  #expect(onFailure.exited(.exited(0), now: s) == [.report("=== exit 0 ==="), .ended])
  #expect(onFailure.state == .exited)

  var never = Lifecycle(policy: .no, now: 0)
  #expect(never.exited(.exited(3), now: s).contains(.ended))
  #expect(never.state == .exited)
  #expect(never.deadline == nil)
}

@Test func theRestartLimitEndsInFatalAndStartRunsItAgain() {
  var l = Lifecycle(policy: .always, limit: 3, now: 0)
  var now: UInt64 = 0
  for _ in 0..<2 {
    now += s
    _ = l.exited(.exited(1), now: now)
    now += 60 * s
    #expect(l.timerFired(now: now) == [.spawn])
    l.started(now: now)
  }
  now += s
  let effects = l.exited(.exited(1), now: now)
  #expect(l.state == .fatal, "\(effects)")
  #expect(l.deadline == nil)
  #expect(l.timerFired(now: now + 3600 * s) == [])
  #expect(l.start() == .success([.spawn]))
  l.started(now: now)
  #expect(l.shortRuns == 0)
}

@Test func stopEscalatesToSigkillAndIsNotRestarted() {
  var l = Lifecycle(policy: .always, stopWait: 10 * s, now: 0)
  #expect(l.stop(now: s) == .success([.signal(SIGTERM)]))
  #expect(l.deadline == 11 * s)
  #expect(l.timerFired(now: 5 * s) == [])
  #expect(l.timerFired(now: 11 * s) == [.signal(SIGKILL)])
  #expect(l.deadline == nil)
  #expect(
    l.exited(.signaled(SIGKILL), now: 12 * s) == [
      .report("=== killed by SIGKILL (137); stopped ===")
    ])
  #expect(l.state == .stopped)
  #expect(l.stop(now: 13 * s) == .failure(.alreadyStopped))
  #expect(l.start() == .success([.spawn]))
}

@Test func restartStopsThenStarts() {
  var l = Lifecycle(policy: .no, now: 0)
  #expect(l.restart(now: s) == [.signal(SIGTERM)])
  #expect(l.exited(.signaled(SIGTERM), now: 2 * s) == [.spawn])
  l.started(now: 2 * s)
  #expect(l.isRunning)
  #expect(l.restarts == 1)
  // From a stopped or backoff state it starts at once.
  _ = l.stop(now: 3 * s)
  _ = l.exited(.exited(0), now: 3 * s)
  #expect(l.restart(now: 4 * s) == [.spawn])
}

@Test func startOnARunningProgramIsRefusedAndChangesNothing() {
  var l = Lifecycle(policy: .always, now: 0)
  let before = l
  #expect(l.start() == .failure(.running))
  #expect(l == before)
  _ = l.exited(.exited(1), now: s)
  #expect(l.start() == .failure(.running), "in backoff it is as good as running")
}

@Test func hangUpSendsSIGHUPThenSIGKILLAndIsNotRestarted() {
  var l = Lifecycle(policy: .always, stopWait: 10 * s, now: 0)
  #expect(l.hangUp(now: s) == [.signal(SIGHUP)])
  #expect(l.deadline == 11 * s)
  #expect(l.timerFired(now: 11 * s) == [.signal(SIGKILL)])
  _ = l.exited(.signaled(SIGKILL), now: 12 * s)
  #expect(l.state == .stopped, "a program hung up on is not restarted, even under always")
  #expect(l.deadline == nil)
}

@Test func hangUpOfAWindowWaitingToRestartStopsIt() {
  var l = Lifecycle(policy: .always, now: 0)
  _ = l.exited(.exited(0), now: s)
  #expect(l.hangUp(now: s) == [])
  #expect(l.state == .stopped)
  #expect(l.deadline == nil)
}
