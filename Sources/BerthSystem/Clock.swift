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

/// A time (seconds since the epoch) through strftime's `format`, in UTC or
/// local time; short formats only (at most 63 bytes out).
public func formatTime(_ seconds: Int64, _ format: String, utc: Bool) -> String {
  var t = time_t(seconds)
  var parts = tm()
  if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
  var buffer = [CChar](repeating: 0, count: 64)
  _ = strftime(&buffer, buffer.count - 1, format, &parts)
  return String(cBuffer: buffer)
}
