// Small wrappers over read, write and fcntl with EINTR handled in one place.
import CSupport
import Glibc

public enum FD {
  /// read(2), retried on EINTR. Returns the count, 0 at end of file, -1 with errno.
  public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
      let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if n >= 0 || errno != EINTR { return n }
    }
  }

  /// write(2), retried on EINTR. Returns the count written, -1 with errno.
  public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
    while true {
      let n = Glibc.write(fd, buffer.baseAddress, buffer.count)
      if n >= 0 || errno != EINTR { return n }
    }
  }

  /// A file's bytes, read until its end or until past `limit` (the caller
  /// tells which by the count); nil with errno when it cannot be opened or
  /// read. O_NONBLOCK: a FIFO with no writer must not hang the reader.
  public static func readFile(_ path: String, limit: Int) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
    defer { buffer.deallocate() }
    while bytes.count <= limit {
      let n = read(fd, into: buffer)
      if n < 0 { return nil }
      if n == 0 { break }
      bytes += buffer[..<n]
    }
    return bytes
  }

  /// Writes everything to a blocking descriptor.
  public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = FD.write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]))
        if n < 0 {
          if errno == EAGAIN {
            _ = FD.waitWritable(fd, timeoutMs: 1000)
            continue
          }
          throw SystemError("write")
        }
        offset += n
      }
    }
  }

  public static func writeAll(_ fd: Int32, _ text: String) throws {
    try writeAll(fd, Array(text.utf8))
  }

  /// Why `writeFile` failed: at the open, or at a write (an errno each).
  public enum WriteFailure: Error, Equatable {
    case open(Int32)
    case write(Int32)
  }

  /// Writes bytes to a file (created with mode 0644 less the umask), over
  /// it or, with `append`, after it; `followLinks: false` refuses a symlink
  /// (for files in /tmp, where anyone could plant one); `sync` waits for the
  /// disk. The open does not block: a FIFO with no reader fails at once
  /// instead of hanging the caller.
  public static func writeFile(
    _ path: String, _ bytes: [UInt8], append: Bool, followLinks: Bool = true, sync: Bool = true
  ) -> WriteFailure? {
    let flags =
      O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK | (append ? O_APPEND : O_TRUNC)
      | (followLinks ? 0 : O_NOFOLLOW)
    let fd = open(path, flags, 0o644)
    guard fd >= 0 else { return .open(errno) }
    defer { close(fd) }
    do {
      try writeAll(fd, bytes)
      guard !sync || fsync(fd) == 0 || errno == EINVAL || errno == EROFS else {
        throw SystemError("fsync")
      }
    } catch let error as SystemError {
      return .write(error.code)
    } catch {
      return .write(EIO)
    }
    return nil
  }

  public static func setNonBlocking(_ fd: Int32, _ on: Bool = true) {
    let flags = fcntl(fd, F_GETFL)
    if flags >= 0 { _ = fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) }
  }

  /// FD_CLOEXEC on (the default) or off (a descriptor an exec hands over).
  public static func setCloseOnExec(_ fd: Int32, _ on: Bool = true) {
    let flags = fcntl(fd, F_GETFD)
    guard flags >= 0 else { return }
    _ = fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC)
  }

  public static func close(_ fd: Int32) {
    if fd >= 0 { _ = Glibc.close(fd) }
  }

  /// Waits until fd is readable (or hung up); false on timeout. Negative timeout waits forever.
  public static func waitReadable(_ fd: Int32, timeoutMs: Int32) -> Bool {
    wait(fd, events: Int16(POLLIN), timeoutMs: timeoutMs)
  }

  public static func waitWritable(_ fd: Int32, timeoutMs: Int32) -> Bool {
    wait(fd, events: Int16(POLLOUT), timeoutMs: timeoutMs)
  }

  private static func wait(_ fd: Int32, events: Int16, timeoutMs: Int32) -> Bool {
    var p = pollfd(fd: fd, events: events, revents: 0)
    while true {
      let r = poll(&p, 1, timeoutMs)
      if r >= 0 { return r > 0 }
      if errno != EINTR { return false }
    }
  }

  /// A pipe whose both ends are close-on-exec.
  public static func pipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    guard berth_pipe_cloexec(&fds) == 0 else { throw SystemError("pipe") }
    return (fds[0], fds[1])
  }
}
