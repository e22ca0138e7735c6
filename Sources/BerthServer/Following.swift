// `berth --tail`: a connection that reads a window instead of attaching.
// It gets the window's last lines as text, then (with -f) the program's
// output from the window's OutputRing as the program writes it; the client
// makes lines of it. A follower never types, never sizes a window and is
// never counted as attached. One that does not read falls behind on its own:
// the program and the other clients go on, and it skips what the ring let go.
import BerthProtocol
import BerthSystem
import BerthTerminal
import Glibc

extension SessionServer {
  /// The most output queued for a follower at once; the ring holds the rest.
  static let followerBacklog = 64 << 10
  /// Output sent to a follower at once, unless it has waited batchDelay:
  /// what sets the batches in a flood (a trickle waits batchDelay). Each
  /// batch is a wake-up of the follower and a write of the server, and
  /// their count, not the bytes, is what a larger batch saves; with the
  /// loop reading at most 256 KiB a turn, the ring (512 KiB) still holds
  /// all a follower that keeps up has to read.
  static let followerBatch: UInt64 = 128 << 10
  /// Output sent in one message: what a follower's reader keeps its buffer for.
  static let followerMessage = 64 << 10
  static let batchDelay: UInt64 = 20_000_000
  /// How long after a program's end its last output may still come.
  static let endGrace: UInt64 = 50_000_000

  func follow(_ c: ClientConnection, _ request: FollowRequest) {
    guard c.phase == .ready else {
      c.close(with: .error("follow sent after attaching"))
      return
    }
    guard let w = request.window.map({ window(named: $0) }) ?? currentWindow else {
      c.close(
        with: .error(
          request.window.map { "there is no window '\($0)' in \(config.sessionName)" }
            ?? "\(config.sessionName) has no window"))
      return
    }
    let t = w.terminal
    let running = w.lifecycle.isRunning && !w.hasEnded
    guard request.follow, running else {
      // The lines as they are; a window whose program does not run says so.
      sendLines(
        t.recentLines(
          request.lines, beforeRow: t.modes.alternateScreen ? 0 : nil, color: request.color), to: c)
      let text = request.follow ? "=== \(w.careState(now: Clock.nanos())) ===" : ""
      c.close(
        with: .exit(ExitNotice(reason: .terminated, status: 0, text: request.follow ? text : "")))
      return
    }
    // The line the cursor is on is not complete: it seeds the client's
    // terminal, which prints it once the program has moved past it. On the
    // alternate screen (a full-screen program) the lines are those before
    // it, and nothing is printed until the program leaves it.
    let alternate = t.modes.alternateScreen
    sendLines(
      t.recentLines(request.lines, beforeRow: alternate ? 0 : t.cursorY, color: request.color),
      to: c)
    var seed = alternate ? [] : t.cursorLineText(color: true)
    seed += Array("\r\u{1B}[\(t.cursorX + 1)G".utf8)
    t.currentStyle.appendSGR(to: &seed)
    if alternate { seed += Array("\u{1B}[?1049h".utf8) }
    let ring = w.outputRing ?? OutputRing()
    w.outputRing = ring
    c.follower = Follower(window: w, ring: ring)
    c.phase = .following
    c.send(.follow(columns: t.columns, seed: seed))
  }

  private func sendLines(_ text: [UInt8], to c: ClientConnection) {
    // In pieces a frame takes, each of whole lines where they are short.
    var start = 0
    while start < text.count {
      var end = min(start + (1 << 20), text.count)
      if end < text.count, let nl = text[start..<end].lastIndex(of: 0x0A) { end = nl + 1 }
      c.send(.lines(Array(text[start..<end])), always: true)
      start = end
    }
  }

  /// Sends each follower what its window wrote since, as far as its
  /// backlog allows; one that fell a whole ring behind skips to the oldest
  /// line the ring still holds whole. A follower whose program ended gets
  /// the rest of its output, then how it ended. Output goes in batches, as
  /// it builds up or once it is a little old: a follower woken for every
  /// read of a flood would take the CPU the program and the server need.
  /// Returns the ms until the next batch is due, or -1.
  /// `everything`: all the rings hold goes out now, batch and backlog
  /// aside (before an upgrade's exec, which keeps the sockets, not the rings).
  @discardableResult
  func feedFollowers(now: UInt64, everything: Bool = false) -> Int32 {
    var due: Int32 = -1
    let backlog = everything ? Int.max : Self.followerBacklog
    for c in clients where c.phase == .following && !c.closing {
      // One that has not read what it was sent waits: it costs nothing,
      // and learns what it missed, all at once, when it reads again.
      guard let f = c.follower, c.pendingOutputCount < backlog else { continue }
      let ring = f.ring
      if f.behind {
        // What is still held is sent, from its first whole line: only what
        // the ring let go is skipped.
        let start = ring.lineStart(from: f.offset)
        var lost = f.lostNewlines
        ring.withBytes(from: f.offset, limit: Int(start - f.offset)) { a, b in
          lost &+= OutputRing.countNewlines(a) &+ OutputRing.countNewlines(b)
        }
        c.send(.skipped(lines: lost))
        f.offset = start
        f.lostNewlines = 0
        f.behind = false
      }
      if let end = f.end, end.offset == nil {
        if now >= end.due || everything {
          f.end?.offset = ring.head
        } else {
          let left = Int32((end.due - now) / 1_000_000 + 1)
          due = due < 0 ? left : min(due, left)
        }
      }
      let last = f.end?.offset ?? ring.head
      if !everything, f.end == nil, f.offset < last, last - f.offset < Self.followerBatch {
        // A little output: it waits for more, at most batchDelay.
        let waited = now &- f.lastSent
        if waited < Self.batchDelay {
          let left = Int32((Self.batchDelay - waited) / 1_000_000 + 1)
          due = due < 0 ? left : min(due, left)
          continue
        }
      }
      if f.offset < last { f.lastSent = now }
      while f.offset < last && c.pendingOutputCount < backlog && !c.closing {
        let limit = Int(min(last - f.offset, UInt64(Self.followerMessage)))
        let sent = ring.withBytes(from: f.offset, limit: limit) { a, b in
          guard a.count + b.count > 0 else { return 0 }
          sendOutput(a, b, to: c)
          return a.count + b.count
        }
        guard sent > 0 else { break }
        f.offset &+= UInt64(sent)
      }
      if let end = f.end, let endOffset = end.offset, f.offset >= endOffset {
        c.close(with: .exit(ExitNotice(reason: .terminated, status: 0, text: end.text)))
      }
    }
    return due
  }

  /// Sends `a` then `b` (the ring's bytes) as one output message. With
  /// nothing waiting for the client they go from the ring to the socket in
  /// one writev, no message built; only what the socket does not take now
  /// is copied, to wait its turn.
  private func sendOutput(
    _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, to c: ClientConnection
  ) {
    guard !c.hasPendingOutput else { return c.queue(ServerMessage.outputFrame(a, b)) }
    let header = ServerMessage.outputHeader(count: a.count + b.count)
    let total = header.count + a.count + b.count
    var written = 0
    header.withUnsafeBytes { h in
      withUnsafeTemporaryAllocation(of: iovec.self, capacity: 3) { iov in
        iov[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: h.baseAddress), iov_len: h.count)
        iov[1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: a.baseAddress), iov_len: a.count)
        iov[2] = iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress), iov_len: b.count)
        repeat {
          written = writev(c.fd, iov.baseAddress, 3)
        } while written < 0 && errno == EINTR
        if written < 0 && errno == EAGAIN { written = 0 }
      }
    }
    guard written >= 0 else { return c.close(with: nil) }  // the follower went away
    guard written < total else { return }
    // The rest waits, copied from where the socket stopped.
    var rest: [UInt8] = []
    rest.reserveCapacity(total - written)
    var skip = written
    header.withUnsafeBytes { h in
      for piece in [h, a, b] {
        let from = min(skip, piece.count)
        rest.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[from...]))
        skip -= from
      }
    }
    c.queue(rest)
  }

  /// w's program ended: its followers get its output so far, then `text`.
  func endFollowers(of w: Window, saying text: String) {
    for c in clients where c.follower?.window === w && c.follower?.end == nil {
      c.follower?.end = (nil, Clock.nanos() &+ Self.endGrace, text)
    }
  }

  /// A ring nobody follows any more is let go of.
  func dropUnfollowedRings() {
    for w in windows where w.outputRing != nil {
      if !clients.contains(where: { $0.follower?.ring === w.outputRing && !$0.isFinished }) {
        w.outputRing = nil
      }
    }
  }
}
