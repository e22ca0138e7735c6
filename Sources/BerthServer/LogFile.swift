// A log's file, as the log writer's thread sees it: the descriptor, how
// much the file holds (for rotation), and the bytes not logged since the
// last gap line. Only the writer thread touches a LogFile once its log is
// open, so writes, renames and reopens may take as long as the file system
// likes: the session's server never waits for them.
import BerthSystem
import Glibc

struct LogFile {
  let path: String
  private(set) var fd: Int32
  /// Bytes in the file now: a file opened on an existing one counts its size.
  private(set) var size: Int
  /// Only a regular file rotates; a FIFO, a terminal or /dev/null does not.
  let rotates: Bool
  /// Whether the last byte written ended a line (where a gap line may go).
  private(set) var atLineStart = true
  /// Bytes not logged since the last gap line, and why.
  private(set) var lost = 0
  private(set) var lostReason: String?
  /// Why the last rotation could not move FILE, until the writer tells the user.
  var rotationError: Int32?

  /// How a write went.
  enum Outcome: Equatable {
    /// Everything was written (with the gap line owed, if any).
    case done
    /// The descriptor takes no more now (a FIFO whose reader is behind);
    /// `written` of the bytes went, the rest is still the caller's.
    case blocked(written: Int)
    /// A write failed with this errno; the rest was counted as lost.
    case failed(Int32)
  }

  /// Opens (creates) the log file for appending, without blocking: a FIFO
  /// with no reader fails at once (ENXIO) instead of hanging the caller.
  init(path: String) throws(SystemError) {
    let fd = Self.openForAppending(path)
    guard fd >= 0 else { throw SystemError("open") }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let error = SystemError("fstat")
      FD.close(fd)
      throw error
    }
    self.path = path
    self.fd = fd
    rotates = (st.st_mode & S_IFMT) == S_IFREG
    size = rotates ? Int(st.st_size) : 0
  }

  private static func openForAppending(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0o644)
  }

  /// Counts bytes that will never reach the file; the next write that works
  /// is preceded by one line saying how many and why.
  mutating func drop(_ count: Int, reason: String) {
    guard count > 0 else { return }
    lostReason = LogRotation.gapReason(lost > 0 ? lostReason : nil, adding: reason)
    lost &+= count
  }

  /// Writes `bytes` (and first the gap line owed, if any), rotating before
  /// the file would pass `limits.size`.
  mutating func write(_ bytes: UnsafeRawBufferPointer, limits: LogRotation.Limits) -> Outcome {
    var rest = bytes
    while true {
      if fd < 0, let e = reopen() { return fail(e, losing: rest.count) }
      if lost > 0 {
        switch writeGapLine(limits) {
        case .done: break
        case .blocked: return .blocked(written: bytes.count - rest.count)
        case .failed(let e): return fail(e, losing: rest.count)
        }
      }
      guard !rest.isEmpty else { return .done }
      var chunk = rest
      if rotates && limits.size > 0 {
        let room = max(0, limits.size - size)
        let cut = LogRotation.cut(rest, room: room, fileIsEmpty: size == 0)
        if cut == 0 {
          if let e = rotate(keep: limits.keep) { return fail(e, losing: rest.count) }
          continue
        }
        chunk = UnsafeRawBufferPointer(rebasing: rest[..<cut])
      }
      let n = FD.write(fd, chunk)
      if n > 0 {
        size += n
        atLineStart = chunk[n - 1] == 0x0A
        rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        continue
      }
      let e = n < 0 ? errno : EIO
      if e == EAGAIN { return .blocked(written: bytes.count - rest.count) }
      return fail(e, losing: rest.count)
    }
  }

  private mutating func fail(_ e: Int32, losing count: Int) -> Outcome {
    drop(count, reason: SystemError.text(for: e))
    return .failed(e)
  }

  /// The line owed for the bytes lost, written whole or not at all: a
  /// file system with room for half of it gets it back out (truncated), so
  /// that one gap has one line.
  private mutating func writeGapLine(_ limits: LogRotation.Limits) -> Outcome {
    let line = LogRotation.gapLine(
      bytes: lost, reason: lostReason ?? LogRotation.writerBehind, atLineStart: atLineStart)
    if rotates && limits.size > 0 && size > 0 && size + line.count > limits.size {
      if let e = rotate(keep: limits.keep) { return .failed(e) }
    }
    let n = line.withUnsafeBytes { FD.write(fd, $0) }
    if n == line.count {
      size += n
      atLineStart = true
      lost = 0
      lostReason = nil
      return .done
    }
    let e = n < 0 ? errno : ENOSPC
    if n > 0 {
      if rotates { _ = ftruncate(fd, off_t(size)) } else { size += n }
    }
    return e == EAGAIN ? .blocked(written: 0) : .failed(e)
  }

  /// Moves FILE to FILE.1 (and each FILE.i to FILE.i+1, the oldest kept
  /// written over), removes rotated files past `keep`, and starts FILE
  /// anew; the errno when the new FILE cannot be opened. When FILE cannot
  /// be moved (a directory that is not writable), the log goes on in it,
  /// says so once, and tries again after another logsize.
  private mutating func rotate(keep: Int) -> Int32? {
    for (from, to) in LogRotation.renames(of: path, keep: keep).dropLast() {
      _ = rename(from, to)  // a missing FILE.i (fewer rotations so far) is fine
    }
    let moved = keep > 0 ? rename(path, LogRotation.rotatedName(path, 1)) == 0 : unlink(path) == 0
    guard moved else {
      rotationError = errno
      size = 0
      return nil
    }
    removeRotated(after: keep)
    FD.close(fd)
    fd = -1
    return reopen()
  }

  /// Opens FILE again (after a rotation, or a failed open); the errno when that failed.
  private mutating func reopen() -> Int32? {
    fd = Self.openForAppending(path)
    guard fd >= 0 else { return errno }
    var st = stat()
    size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    if size == 0 { atLineStart = true }  // a new file: a gap line needs no line end first
    return nil
  }

  /// Rotated files older than `keep` (left by a larger logkeep): removed,
  /// as far as they go on without a hole.
  private func removeRotated(after keep: Int) {
    var i = keep + 1
    while i <= LogRotation.mostKept + 1, unlink(LogRotation.rotatedName(path, i)) == 0 {
      i += 1
    }
  }

  mutating func close() {
    if fd >= 0 { FD.close(fd) }
    fd = -1
  }
}
