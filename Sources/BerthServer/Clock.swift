// Monotonic time for frame pacing; wall time for the session's start.
import Glibc

enum Clock {
  static func nanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
  }

  static func wallSeconds() -> Int64 {
    Int64(time(nil))
  }
}
