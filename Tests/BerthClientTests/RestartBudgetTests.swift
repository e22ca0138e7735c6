// How many times a client follows a session through its server's restarts.
import Testing

@testable import BerthClient

@Test func aFewRestartsCloseTogetherAreFollowedAndThenNoMore() {
  var budget = RestartBudget(limit: 3, windowNanos: 30_000)
  let close = [1_000, 2_000, 3_000, 4_000].map { budget.allows(now: $0) }
  #expect(close == [true, true, true, false])
  // Restarts far apart are each followed: the old ones no longer count.
  let later = [31_000, 31_500, 100_000].map { budget.allows(now: $0) }
  #expect(later == [true, false, true])
}
