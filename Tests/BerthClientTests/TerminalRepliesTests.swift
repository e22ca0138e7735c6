// ReplyFilter: the terminal's answers are cut out of what the user types,
// whole, cut between reads, malformed or echoed, and keys are never eaten
// or stalled.

import Testing

@testable import BerthClient

@Suite struct TerminalRepliesTests {
  static let second: UInt64 = 1_000_000_000
  let esc = "\u{1B}"

  func listening() -> ReplyFilter {
    var f = ReplyFilter()
    f.asked(now: 0)
    return f
  }

  /// Feeds the pieces one read each (at time 1 ms each); returns the keys
  /// and the answers.
  func feed(_ f: inout ReplyFilter, _ pieces: [String], start: UInt64 = 0) -> (
    String, [TerminalReply]
  ) {
    var keys: [UInt8] = []
    var replies: [TerminalReply] = []
    var now = start
    for p in pieces {
      now += 1_000_000
      if f.active(now: now) {
        let (k, r) = f.take(Array(p.utf8)[...], now: now)
        keys += k
        replies += r
      } else {
        keys += Array(p.utf8)
      }
    }
    return (String(decoding: keys, as: UTF8.self), replies)
  }

  func feed(_ pieces: [String]) -> (String, [TerminalReply]) {
    var f = listening()
    return feed(&f, pieces)
  }

  @Test func allFourAnswersInOneRead() {
    let (keys, replies) = feed([
      "\(esc)P>|kitty(0.35.0)\(esc)\\\(esc)[>1;4000;29c\(esc)[?2026;2$y\(esc)[?62;22;52c"
    ])
    #expect(keys == "")
    #expect(
      replies == [
        .version("kitty(0.35.0)"), .secondary([1, 4000, 29]), .mode(2026, 2),
        .primary([62, 22, 52]),
      ])
  }

  @Test func keysAroundAnswersKeepTheirOrder() {
    let (keys, replies) = feed(["ab\(esc)[>84;0;0cc\(esc)[Ad\(esc)[?64;1cx\(esc)[B"])
    #expect(keys == "abc\(esc)[Ad" + "x\(esc)[B")
    #expect(replies == [.secondary([84, 0, 0]), .primary([64, 1])])
  }

  @Test func answersCutAtEveryByteBetweenReads() {
    let all = "\(esc)P>|tmux 3.3a\(esc)\\\(esc)[>84;0;0c\(esc)[?2026;1$y\(esc)[?1;2c"
    let bytes = Array(all.utf8)
    for cut in 1..<bytes.count {
      let a = String(decoding: bytes[..<cut], as: UTF8.self)
      let b = String(decoding: bytes[cut...], as: UTF8.self)
      let (keys, replies) = feed(["q" + a, b + "w"])
      #expect(keys == "qw", "cut at \(cut)")
      #expect(replies.count == 4, "cut at \(cut)")
    }
  }

  @Test func answersCutInManyPieces() {
    let all = "\(esc)P>|foot(1.16.2)\(esc)\\\(esc)[?62;4c"
    let pieces = all.map { String($0) }
    let (keys, replies) = feed(pieces)
    #expect(keys == "")
    #expect(replies == [.version("foot(1.16.2)"), .primary([62, 4])])
  }

  @Test func echoedQueriesAreDroppedWhileListening() {
    let (keys, replies) = feed(["\(esc)[>q\(esc)[>c\(esc)[?2026$p\(esc)[c"])
    #expect(keys == "")
    #expect(replies.isEmpty)
  }

  @Test func rxvtShiftRightPassesOutsideTheWindow() {
    var f = ReplyFilter()  // never asked
    #expect(!f.active(now: 0))
    f.asked(now: 0)
    #expect(!f.active(now: ReplyFilter.window))
    let (keys, _) = feed(&f, ["\(esc)[c"], start: ReplyFilter.window)
    #expect(keys == "\(esc)[c")
  }

  @Test func da1AnswerEndsTheWindow() {
    var f = listening()
    _ = feed(&f, ["\(esc)[?64;1c"])
    #expect(!f.active(now: 2_000_000))
  }

  @Test func wrongFinalsAreDroppedNotTyped() {
    let (keys, replies) = feed(["\(esc)[?64;1x", "\(esc)[>1;2;3Z", "k"])
    #expect(keys == "k")
    #expect(replies.isEmpty)
  }

  @Test func kittyKeyboardAnswersAreLeftForTheKeyParser() {
    let (keys, _) = feed(["\(esc)[?1u"])
    #expect(keys == "\(esc)[?1u")
  }

  @Test func keysWhileListeningPassUnchanged() {
    let typed = "ls -l\r\(esc)[A\(esc)OP\(esc)[1;5C\(esc)[200~paste\(esc)[201~\(esc)x\u{3}"
    let (keys, replies) = feed([typed])
    #expect(keys == typed)
    #expect(replies.isEmpty)
  }

  @Test func malformedDCSIsDroppedUpToTheNextSequence() {
    let (keys, replies) = feed(["\(esc)P>|kitty(0.3\(esc)[?62c"])
    #expect(keys == "")
    #expect(replies == [.primary([62])])
  }

  @Test func altPIsAKey() {
    let (keys, replies) = feed(["\(esc)Px"])
    #expect(keys == "\(esc)Px")
    #expect(replies.isEmpty)
  }

  @Test func overlongDCSIsBoundedAndDropped() {
    var f = listening()
    let long = "\(esc)P>|" + String(repeating: "A", count: 5000)
    let (keys, replies) = feed(&f, [long, String(repeating: "B", count: 3000), "C\(esc)\\k"])
    #expect(keys == "k")
    #expect(replies.isEmpty)
  }

  @Test func overlongDCSEndsAtAPause() {
    var f = listening()
    let long = "\(esc)P>|" + String(repeating: "A", count: 600)
    let (keys, _) = feed(&f, [long])
    #expect(keys == "")
    let deadline = f.deadline ?? 0
    #expect(f.expire(now: deadline) == [])
    let (after, _) = feed(&f, ["typed"], start: deadline)
    #expect(after == "typed")
  }

  @Test func overlongCSIAnswerIsDropped() {
    let long = "\(esc)[?" + String(repeating: "1;", count: 400) + "c"
    let (keys, replies) = feed([long + "k"])
    #expect(keys == "k")
    #expect(replies.isEmpty)
  }

  @Test func aTruncatedAnswerIsDroppedAtItsDeadline() {
    var f = listening()
    let (keys, _) = feed(&f, ["\(esc)[?64;1"])
    #expect(keys == "")
    let deadline = f.deadline ?? 0
    #expect(f.expire(now: deadline - 1) == [])
    #expect(f.expire(now: deadline) == [])
    #expect(f.deadline == nil)
  }

  @Test func aHeldKeyGoesOnAtItsDeadline() {
    for start in ["\(esc)", "\(esc)[", "\(esc)P", "\(esc)[1;5"] {
      var f = listening()
      let (keys, _) = feed(&f, [start])
      #expect(keys == "", "\(start)")
      let deadline = f.deadline ?? 0
      #expect(f.expire(now: deadline) == Array(start.utf8), "\(start)")
    }
  }

  @Test func heldBytesWaitAtMostHoldNanos() {
    var f = listening()
    _ = feed(&f, ["\(esc)["])
    #expect(f.deadline == 1_000_000 + ReplyFilter.holdNanos)
    var g = listening()
    _ = feed(&g, ["\(esc)"])
    #expect(g.deadline == 1_000_000 + ReplyFilter.escapeHoldNanos)
  }

  @Test func garbageNeverTraps() {
    var generator = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = Array("\u{1B}[]P>|?$;0123456789cyqpu\\\u{7}\u{9C}a".utf8)
    for _ in 0..<300 {
      var f = listening()
      var now: UInt64 = 0
      for _ in 0..<8 {
        let n = Int.random(in: 0..<40, using: &generator)
        let bytes = (0..<n).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
        now += 1_000_000
        _ = f.take(bytes[...], now: now)
        if Bool.random(using: &generator) { _ = f.expire(now: now + ReplyFilter.holdNanos) }
      }
    }
  }

  @Test func parametersSaturate() {
    #expect(ReplyFilter.numbers(Array("99999999999999999999;x;3".utf8)[...]) == [1_000_000, 0, 3])
    #expect(ReplyFilter.numbers(Array(String(repeating: "1;", count: 100).utf8)[...]).count == 32)
  }
}
