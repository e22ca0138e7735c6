// How often a client goes back to a session whose server keeps dying. A
// server that crashes again as soon as a client comes back (a bug the
// client's attach or follow sets off) would otherwise be sent round the
// loop until it used up its recoveries: after a few restarts close
// together the client lets it go.
public struct RestartBudget: Sendable {
  /// At most this many restarts followed within `windowNanos`.
  public let limit: Int
  public let windowNanos: UInt64
  private var times: [UInt64] = []

  public init(limit: Int = 3, windowNanos: UInt64 = 30_000_000_000) {
    self.limit = limit
    self.windowNanos = windowNanos
  }

  /// Whether to follow the session through a restart at `now` (monotonic
  /// nanoseconds); counts it when so.
  public mutating func allows(now: UInt64) -> Bool {
    times.removeAll { now &- $0 >= windowNanos }
    guard times.count < limit else { return false }
    times.append(now)
    return true
  }
}
