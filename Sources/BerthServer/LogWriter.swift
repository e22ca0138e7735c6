// The one thread that writes every log of the session. The server's loop
// only appends to a log's queue (WindowLog.append) and never waits for a
// disk, a FIFO or a network file system; this thread takes each log's
// queue in turn, writes it, rotates files and writes gap lines, and backs
// off a log whose writes fail. One lock and two condition variables:
// `work` wakes the thread, `drained` tells a session that is ending that
// its logs are written; and a pipe the server's loop polls, so that a log
// whose writes begin to fail is told at once, not at the next output.
import BerthSystem
import Glibc

/// @unchecked Sendable: shared by the server's thread and the writer's;
/// every stored property but the lock and conditions themselves is read
/// and written only with `mutex` held.
final class LogWriter: @unchecked Sendable {
  static let shared = LogWriter()

  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let work: UnsafeMutablePointer<pthread_cond_t>
  private let drained: UnsafeMutablePointer<pthread_cond_t>
  /// The open logs (and closing ones not yet written out), in the order
  /// they opened: an old log of a file is written before a new one.
  private var logs: [WindowLog] = []
  private var started = false
  /// The thread waits for work with nothing due: an append must wake it.
  private var idle = false
  /// Where the round of logs starts next, so a busy log does not starve the others.
  private var cursor = 0
  /// The read end of the notice pipe, for the server's poll (-1 without one);
  /// a byte in it says a log has something to tell the clients.
  let noticeFd: Int32
  private let noticeWriteFd: Int32

  /// After a burst, the thread lets output gather this long before it
  /// writes again: a flood costs a few hundred wake-ups a second, not one
  /// per read of the program's terminal.
  static let gatherNanos: UInt64 = 2_000_000

  private init() {
    mutex = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    work = .allocate(capacity: 1)
    pthread_cond_init(work, &attributes)
    drained = .allocate(capacity: 1)
    pthread_cond_init(drained, &attributes)
    pthread_condattr_destroy(&attributes)
    let pipe = try? FD.pipe()
    noticeFd = pipe?.read ?? -1
    noticeWriteFd = pipe?.write ?? -1
    if let pipe {
      FD.setNonBlocking(pipe.read)
      FD.setNonBlocking(pipe.write)
    }
  }

  /// Wakes the server's loop to tell the clients what a log has to say.
  func notify() {
    guard noticeWriteFd >= 0 else { return }
    var byte: UInt8 = 1
    _ = write(noticeWriteFd, &byte, 1)  // a full pipe has told already
  }

  /// Empties the notice pipe (the server's loop, when poll says so).
  func takeNotices() {
    var bytes = [UInt8](repeating: 0, count: 64)
    while bytes.withUnsafeMutableBytes({ FD.read(noticeFd, into: $0) }) > 0 {}
  }

  func lock() { pthread_mutex_lock(mutex) }
  func unlock() { pthread_mutex_unlock(mutex) }

  /// Wakes the thread if it sleeps with nothing due; called with the lock held.
  func wake() {
    if idle { pthread_cond_signal(work) }
  }

  /// Adds a log, starting the thread with the first.
  func add(_ log: WindowLog) throws(SystemError) {
    lock()
    defer { unlock() }
    if !started { try startThread() }
    logs.append(log)
  }

  private func startThread() throws(SystemError) {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    // Its deepest frames are a write(2) and a rename(2); 1 MiB of address
    // space, of which only the pages touched cost memory.
    pthread_attr_setstacksize(&attributes, 1 << 20)
    var thread = pthread_t()
    let rc = pthread_create(
      &thread, &attributes,
      { _ in
        LogWriter.shared.run()
        return nil
      }, nil)
    guard rc == 0 else { throw SystemError("pthread_create", rc) }
    started = true
  }

  /// Marks every log closing and waits, at most until `deadline`
  /// (Clock.nanos), for the thread to write them out: a session that ends
  /// leaves its logs complete unless a file system stalls.
  func finishAll(deadline: UInt64) {
    lock()
    defer { unlock() }
    for log in logs { log.markClosing(deadline: deadline) }
    pthread_cond_signal(work)
    while !logs.isEmpty {
      let now = Clock.nanos()
      guard now < deadline else { return }
      wait(drained, until: deadline)
    }
  }

  // MARK: - The thread

  private func run() {
    // The session's signals belong to its loop (a signalfd): never here.
    var all = sigset_t()
    sigfillset(&all)
    pthread_sigmask(SIG_BLOCK, &all, nil)
    lock()
    var wroteLastRound = false
    while true {
      let now = Clock.nanos()
      var due = UInt64.max
      var ready: WindowLog?
      if cursor >= logs.count { cursor = 0 }
      for i in 0..<logs.count {
        let log = logs[(cursor + i) % logs.count]
        let when = log.dueAt(now: now)
        if when <= now {
          ready = log
          cursor = (cursor + i + 1) % logs.count
          break
        }
        due = min(due, when)
      }
      guard let log = ready else {
        if logs.isEmpty { pthread_cond_broadcast(drained) }
        if wroteLastRound {
          // Let a flood gather into one write instead of one per read.
          wroteLastRound = false
          wait(work, until: min(due, now &+ Self.gatherNanos))
          continue
        }
        for log in logs { log.letGoOfBuffers() }
        idle = true
        if due == .max { pthread_cond_wait(work, mutex) } else { wait(work, until: due) }
        idle = false
        continue
      }
      var batch = log.takeBatch()
      unlock()
      log.writeOut(&batch)
      lock()
      let after = Clock.nanos()
      log.settle(after: &batch, now: after)
      wroteLastRound = true
      if log.isFinished(now: after) {
        logs.removeAll { $0 === log }
        // close(2) may flush to a slow file system: not with the lock held.
        unlock()
        log.closeFile()
        lock()
        if logs.isEmpty { pthread_cond_broadcast(drained) }
      }
    }
  }

  /// pthread_cond_timedwait until a Clock.nanos() time (the conditions use
  /// the monotonic clock); called with the lock held.
  private func wait(_ condition: UnsafeMutablePointer<pthread_cond_t>, until nanos: UInt64) {
    var ts = timespec(
      tv_sec: time_t(clamping: nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
    _ = pthread_cond_timedwait(condition, mutex, &ts)
  }
}
