// Waiting for a typed key's echo without sleeping. A process asleep in
// poll(2) takes tens of microseconds to wake when the echo arrives (more on
// a virtual machine, whose idle CPU must be woken too); a process that polls
// without sleeping sees it at once. So for a moment after a key, and only
// while echoes do come that fast, the client polls without sleeping,
// yielding the CPU between looks so the program and the server run.
// An idle client, or one whose keys bring no quick echo (a password
// prompt), sleeps as before.
import BerthSystem
import Glibc

struct EchoWait {
  /// How long after a key the client looks without sleeping; a key's echo
  /// through the program and the server takes ~0.1-0.3 ms here.
  static let windowNanos: UInt64 = 400_000

  private var typedAt: UInt64 = 0
  private var until: UInt64 = 0
  /// Whether the last key's echo came within the window.
  private var pays = true

  /// The user typed a key that went to the program.
  mutating func typed(now: UInt64) {
    typedAt = now
    until = pays ? now &+ Self.windowNanos : 0
  }

  /// The server sent something: the echo, or what the key made the program draw.
  mutating func answered(now: UInt64) {
    if typedAt != 0 { pays = now &- typedAt <= Self.windowNanos }
    typedAt = 0
    until = 0
  }

  /// poll(2), which looks without sleeping while an echo is due.
  mutating func poll(_ fds: inout [pollfd], timeout: Int32) -> Int32 {
    let count = nfds_t(fds.count)
    while until != 0 {
      let ready = Glibc.poll(&fds, count, 0)
      if ready != 0 { return ready }
      if Clock.nanos() >= until {
        // No echo in time: this kind of key gets none soon, so sleep.
        until = 0
        pays = false
        break
      }
      sched_yield()
    }
    return Glibc.poll(&fds, count, timeout)
  }
}
