// Monotonic time for pacing frames and timing messages; wall time for a
// session's start.
import Glibc

public enum Clock {
  public static func nanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
  }

  public static func wallSeconds() -> Int64 {
    Int64(time(nil))
  }
}
