// A window's log (`log on`, -L, deflog): the program's output as it wrote
// it, in a file that rotates (logsize, logkeep) and never blocks anything.
// The server's loop appends to a bounded queue and goes on; the log
// writer's thread (LogWriter) writes the queue out. A full disk, a
// read-only file system, a FIFO nobody reads: what could not be written
// is counted, the writer tries again, backing off up to a second, and once
// a write works one line "[berth: N bytes not logged: REASON]" marks the gap.
import BerthSystem
import Glibc

/// @unchecked Sendable: the server's thread and the log writer's share a
/// log. What both touch (the queue, the limits, closing, the retry time,
/// the message for the clients) is guarded by LogWriter's lock; the file,
/// its backoff and how the last write went are the writer thread's alone.
final class WindowLog: @unchecked Sendable {
  /// The file's name, as `log on` reports it.
  let path: String
  private let writer = LogWriter.shared

  /// The most output a log holds while its writer is behind; past it,
  /// output is counted as not logged. A few seconds of a flood, or a
  /// disk's stall; a stopped FIFO reader costs no more than this.
  static let queueLimit = 2 << 20
  /// A buffer up to this size is kept for the next queue while output
  /// flows; a log that has gone quiet lets go of its buffers. A flood's
  /// batch (what gathers while the writer writes and waits: 300 KiB to
  /// 1 MiB at 150 MB/s) must fit: a fresh buffer for each cost the
  /// server's loop 47,000 page faults per GB logged.
  static let keptCapacity = queueLimit

  // Shared, under the writer's lock.
  private var queued: [UInt8] = []
  /// Output dropped because the queue was full: `count` bytes before the
  /// byte at `offset` of `queued`, for the reason given.
  private var drops: [Drop] = []
  /// An emptied buffer waiting to become the queue again.
  private var spare: [UInt8] = []
  /// Bytes the writer has taken and not yet settled: they count against
  /// the limit, so that a log holds no more than it in all, and a blocked
  /// write's bytes, put back, are not overtaken by newer ones.
  private var outstanding = 0
  private var limits: LogRotation.Limits
  private var closing = false
  private var closeDeadline: UInt64 = .max
  /// When the writer tries again after a failed or blocked write; nil when
  /// writes work.
  private var retryAt: UInt64?
  /// Why writing does not work now: what a drop from a full queue reports.
  private var trouble: String?
  /// What the attached clients are told once: writing stopped working.
  private var failure: String?

  // The writer thread's own.
  private var file: LogFile
  private var backoff: UInt64 = 0
  /// Writes fail (since the last that worked): the clients are told once a spell.
  private var failing = false
  /// How the last write went: a closing log whose last write failed is
  /// given one more try at once, not a backoff.
  private var lastOutcome = LogFile.Outcome.done

  /// A failed write is tried again after 10 ms, doubling up to a second;
  /// a blocked one (a FIFO whose reader is behind) after 1 ms, up to 50 ms.
  static let failedBackoff: ClosedRange<UInt64> = 10_000_000...1_000_000_000
  static let blockedBackoff: ClosedRange<UInt64> = 1_000_000...50_000_000

  typealias Drop = (offset: Int, count: Int, reason: String)

  /// What the writer takes from the queue at once.
  struct Batch {
    var bytes: [UInt8]
    var drops: [Drop]
    var limits: LogRotation.Limits
    /// What a blocked write left: the bytes from `unwritten` on, and the drops among them.
    var unwritten: Int?
    var unwrittenDrops: [Drop] = []
  }

  /// Opens `path` for appending (creating it) and hands it to the writer.
  init(path: String, limits: LogRotation.Limits) throws(SystemError) {
    self.path = path
    self.limits = limits
    file = try LogFile(path: path)
    do {
      try writer.add(self)
    } catch {
      file.close()
      throw error
    }
  }

  // MARK: - The server's side: none of these waits for the file.

  /// Queues output (or a line of berth's) for the log; over the queue's
  /// limit it is counted as not logged instead.
  func append(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    writer.lock()
    defer { writer.unlock() }
    guard !closing else { return }
    let room = Self.queueLimit - outstanding - queued.count
    // Once dropping, go on until half the room is free again: one gap,
    // not a gap between every small read that would still fit.
    let dropping = drops.last.map { $0.offset == queued.count } ?? false
    if bytes.count <= room && !(dropping && room < Self.queueLimit / 2) {
      queued.append(contentsOf: bytes)
    } else if let last = drops.last, last.offset == queued.count {
      drops[drops.count - 1].count = last.count &+ bytes.count
    } else {
      drops.append((queued.count, bytes.count, trouble ?? LogRotation.writerBehind))
    }
    if retryAt == nil { writer.wake() }
  }

  func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }

  /// logsize and logkeep changed: from the next write on.
  func setLimits(_ new: LogRotation.Limits) {
    writer.lock()
    defer { writer.unlock() }
    limits = new
  }

  /// The log is done with: the writer writes out what is queued (giving a
  /// file that takes nothing two seconds), then closes it.
  func close() {
    writer.lock()
    defer { writer.unlock() }
    markClosing(deadline: Clock.nanos() &+ 2_000_000_000)
    writer.wake()
  }

  /// What to tell the attached clients, once, when writing stopped working.
  func takeFailure() -> String? {
    writer.lock()
    defer { writer.unlock() }
    let text = failure
    failure = nil
    return text
  }

  // MARK: - The writer's side (LogWriter), with its lock held unless said.

  func markClosing(deadline: UInt64) {
    closing = true
    closeDeadline = min(closeDeadline, deadline)
  }

  /// When this log has something to write: now, later (backing off), or
  /// never (.max). A closing log whose last write failed is tried once
  /// more at once, then closed.
  func dueAt(now: UInt64) -> UInt64 {
    let pending = !queued.isEmpty || !drops.isEmpty || file.lost > 0
    guard pending || closing else { return .max }
    guard let retryAt else { return now }
    guard closing else { return retryAt }
    if case .failed = lastOutcome { return now }
    return min(retryAt, closeDeadline)
  }

  /// The queue, handed over whole: the server appends to a fresh one.
  func takeBatch() -> Batch {
    var bytes = spare
    spare = []
    swap(&bytes, &queued)
    let batch = Batch(bytes: bytes, drops: drops, limits: limits)
    drops.removeAll()
    outstanding = batch.bytes.count
    return batch
  }

  /// Writes the batch, with a gap line where its drops were; without the
  /// lock (only the writer thread is here). A blocked write leaves the
  /// rest in the batch, to go back to the head of the queue.
  func writeOut(_ batch: inout Batch) {
    var outcome = LogFile.Outcome.done
    var start = 0
    for (i, drop) in batch.drops.enumerated() {
      // Drops side by side make one gap: its line waits for bytes after it.
      if drop.offset > start { outcome = write(batch, start..<drop.offset, after: outcome) }
      if case .blocked(let written) = outcome {
        batch.unwritten = start + written
        batch.unwrittenDrops = Array(batch.drops[i...])
        lastOutcome = outcome
        return
      }
      file.drop(drop.count, reason: drop.reason)
      start = drop.offset
    }
    outcome = write(batch, start..<batch.bytes.count, after: outcome)
    if case .blocked(let written) = outcome { batch.unwritten = start + written }
    lastOutcome = outcome
  }

  /// Writes a part of the batch, unless an earlier part failed: then it is lost too.
  private func write(_ batch: Batch, _ range: Range<Int>, after previous: LogFile.Outcome)
    -> LogFile.Outcome
  {
    if case .failed(let e) = previous {
      file.drop(range.count, reason: SystemError.text(for: e))
      return previous
    }
    guard !range.isEmpty || file.lost > 0 else { return .done }
    return batch.bytes.withUnsafeBytes {
      file.write(UnsafeRawBufferPointer(rebasing: $0[range]), limits: batch.limits)
    }
  }

  /// After a write: what a blocked write left goes back to the head of the
  /// queue; the retry time, the trouble and the clients' message follow the
  /// outcome; the batch's buffer is kept for the next queue.
  func settle(after batch: inout Batch, now: UInt64) {
    outstanding = 0
    if let unwritten = batch.unwritten {
      let shift = batch.bytes.count - unwritten
      drops =
        batch.unwrittenDrops.map { ($0.offset - unwritten, $0.count, $0.reason) }
        + drops.map { ($0.offset + shift, $0.count, $0.reason) }
      if unwritten == 0 && queued.isEmpty {
        swap(&queued, &batch.bytes)  // nothing taken, nothing new: the batch is the queue again
      } else {
        queued.insert(contentsOf: batch.bytes[unwritten...], at: 0)
      }
    }
    switch lastOutcome {
    case .done:
      retryAt = nil
      backoff = 0
      trouble = nil
      failing = false
    case .blocked:
      // A reader that took some is reading: soon again; one that took
      // nothing may have stopped: less and less often.
      let progressed = (batch.unwritten ?? 0) > 0
      backoff =
        progressed ? Self.blockedBackoff.lowerBound : Self.next(backoff, in: Self.blockedBackoff)
      retryAt = now &+ backoff
      trouble = SystemError.text(for: EAGAIN)
    case .failed(let e):
      if !failing {
        failing = true
        failure =
          "Logfile \"\(path)\": \(SystemError.text(for: e)); output is counted, not logged, until writing works again"
      }
      backoff = Self.next(backoff, in: Self.failedBackoff)
      retryAt = now &+ backoff
      trouble = SystemError.text(for: e)
    }
    if let e = file.rotationError {
      file.rotationError = nil
      failure = "Logfile \"\(path)\" cannot rotate: \(SystemError.text(for: e))"
    }
    if failure != nil { writer.notify() }
    // An empty queue here says little: in a flood the writer often
    // catches up for a moment. The buffers go when the writer goes idle.
    if batch.bytes.capacity <= Self.keptCapacity && spare.capacity < batch.bytes.capacity {
      var buffer: [UInt8] = []
      swap(&buffer, &batch.bytes)  // the one reference: emptied in place, not copied
      buffer.removeAll(keepingCapacity: true)
      spare = buffer
    }
  }

  /// The writer found nothing to write for a while (LogWriter.gatherNanos
  /// after its last write): a log that has gone quiet lets go of its buffers.
  func letGoOfBuffers() {
    guard queued.isEmpty else { return }
    queued = []
    spare = []
  }

  private static func next(_ backoff: UInt64, in range: ClosedRange<UInt64>) -> UInt64 {
    min(max(backoff &* 2, range.lowerBound), range.upperBound)
  }

  /// Closing, and nothing more will be written: all was, the last try
  /// failed, or the time given to a file that takes nothing is up.
  func isFinished(now: UInt64) -> Bool {
    guard closing else { return false }
    if now >= closeDeadline { return true }
    switch lastOutcome {
    case .done: return queued.isEmpty && drops.isEmpty && file.lost == 0
    case .failed: return true
    case .blocked: return false
    }
  }

  func closeFile() {
    file.close()
  }
}
