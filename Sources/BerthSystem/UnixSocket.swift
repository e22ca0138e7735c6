// Unix stream sockets: listen, connect, accept, and the peer's uid.
import CSupport
import Glibc

public enum UnixSocket {
  /// The longest path sun_path holds (107 bytes and the NUL).
  public static let maxPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

  private static func address(_ path: String) throws -> sockaddr_un {
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count <= maxPathLength else {
      throw BerthError(
        "socket path is \(bytes.count) bytes, over the limit of \(maxPathLength): \(path)")
    }
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
      for (i, b) in bytes.enumerated() { raw[i] = b }
      raw[bytes.count] = 0
    }
    return addr
  }

  private static func withAddress<R>(
    _ addr: inout sockaddr_un, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
  ) -> R {
    withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
  }

  private static func newSocket() throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SystemError("socket") }
    return fd
  }

  /// Binds and listens at path (mode 0600: only the owner may connect).
  public static func listen(at path: String) throws -> Int32 {
    var addr = try address(path)
    let fd = try newSocket()
    let oldMask = umask(0o177)
    let bound = withAddress(&addr) { bind(fd, $0, $1) }
    let bindErrno = errno
    umask(oldMask)
    guard bound == 0 else {
      FD.close(fd)
      throw SystemError("bind \(path)", bindErrno)
    }
    guard Glibc.listen(fd, 64) == 0 else {
      let e = errno
      FD.close(fd)
      throw SystemError("listen", e)
    }
    FD.setNonBlocking(fd)
    return fd
  }

  /// Connects to path. Throws SystemError with ECONNREFUSED when no server listens.
  public static func connect(to path: String) throws -> Int32 {
    var addr = try address(path)
    let fd = try newSocket()
    while true {
      let r = withAddress(&addr) { Glibc.connect(fd, $0, $1) }
      if r == 0 { return fd }
      if errno == EINTR { continue }
      let e = errno
      FD.close(fd)
      throw SystemError("connect \(path)", e)
    }
  }

  /// Whether a server listens at path, found without waiting for it: a
  /// connection the kernel takes (or refuses only because the server's
  /// queue is full) means yes; ECONNREFUSED or ENOENT means nobody does.
  /// The connection is closed at once, so the server sees a client that
  /// left without a word. Other failures throw.
  public static func isListening(at path: String) throws -> Bool {
    var addr = try address(path)
    let fd = socket(
      AF_UNIX,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    guard fd >= 0 else { throw SystemError("socket") }
    defer { FD.close(fd) }
    while true {
      if withAddress(&addr, { Glibc.connect(fd, $0, $1) }) == 0 { return true }
      switch errno {
      case EINTR: continue
      case EAGAIN, EINPROGRESS: return true
      case ECONNREFUSED, ENOENT: return false
      case let e: throw SystemError("connect \(path)", e)
      }
    }
  }

  /// A connected pair of stream sockets, both close-on-exec.
  public static func pair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    guard
      socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0
    else { throw SystemError("socketpair") }
    return (fds[0], fds[1])
  }

  /// Accepts one pending connection (non-blocking, close-on-exec), or nil.
  public static func accept(_ listener: Int32) -> Int32? {
    let fd = berth_accept(listener)
    return fd >= 0 ? fd : nil
  }

  /// The uid of the process at the other end, or nil.
  public static func peerUID(_ fd: Int32) -> uid_t? {
    peerCredentials(fd).flatMap { uid_t(exactly: $0.uid) }
  }

  /// The pid of the process at the other end (when it connected), or nil.
  public static func peerPID(_ fd: Int32) -> pid_t? {
    peerCredentials(fd).flatMap { $0.pid > 0 ? pid_t(exactly: $0.pid) : nil }
  }

  private static func peerCredentials(_ fd: Int32) -> (pid: Int, uid: Int)? {
    var pid = 0
    var uid = 0
    return berth_peer_credentials(fd, &pid, &uid) == 0 ? (pid, uid) : nil
  }

  /// Sends bytes with a descriptor attached to the first of them (SCM_RIGHTS),
  /// without blocking. Returns the count sent, or -1 with errno set.
  public static func send(
    _ socket: Int32, _ bytes: UnsafeRawBufferPointer, passing descriptor: Int32
  ) -> Int {
    Int(berth_send_with_fd(socket, bytes.baseAddress, UInt(bytes.count), descriptor))
  }

  /// Reads like read(2) and also takes the descriptors sent with the bytes,
  /// appending them to `descriptors`. Returns the count read, -1 with errno
  /// set; `lost` is true when some descriptors were cut off (and closed).
  public static func receive(
    _ socket: Int32, into buffer: UnsafeMutableRawBufferPointer, descriptors: inout [Int32],
    lost: inout Bool
  ) -> Int {
    var fds: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
    var count: Int32 = 0
    let n = withUnsafeMutableBytes(of: &fds) { raw in
      berth_recv_with_fds(
        socket, buffer.baseAddress, UInt(buffer.count),
        raw.baseAddress!.assumingMemoryBound(to: Int32.self), 4, &count)
    }
    if count < 0 {
      lost = true
    } else {
      withUnsafeBytes(of: &fds) { raw in
        descriptors.append(contentsOf: raw.bindMemory(to: Int32.self).prefix(Int(count)))
      }
    }
    return Int(n)
  }
}
