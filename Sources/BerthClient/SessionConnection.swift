// The client's end of a session socket: connect, greet, send and receive
// messages. Every wait has a time limit, so a stuck server never hangs berth.
import BerthProtocol
import BerthSystem
import Glibc

public final class SessionConnection {
  public let fd: Int32
  public let path: String
  private var assembler = FrameAssembler()
  private var outgoing: [UInt8] = []
  public private(set) var server: ServerHello?
  /// Messages sent so far: a direct-input grant counts only if the server
  /// had read all of them when it made it.
  private var sent: UInt32 = 0
  /// The window's PTY, while the server lets typed text go straight to it
  /// (one process less between a key and its echo); -1 when it does not.
  private var directInput: Int32 = -1
  /// Descriptors received with grants and not yet matched to one.
  private var received: [Int32] = []
  private var descriptorsLost = false
  /// The server closed the connection, or it broke (a reset, a failed
  /// write), without saying why: a crash or a kill, not an end.
  public private(set) var isClosed = false
  private let readBuffer = UnsafeMutableRawBufferPointer.allocate(
    byteCount: 64 << 10, alignment: 16)

  /// Connects; a socket nobody listens on throws SystemError(ECONNREFUSED).
  public init(path: String) throws {
    self.path = path
    fd = try UnixSocket.connect(to: path)
    FD.setNonBlocking(fd)
  }

  /// Wraps a socket already connected to the session at `path`.
  public init(connected fd: Int32, path: String) {
    self.path = path
    self.fd = fd
    FD.setNonBlocking(fd)
  }

  deinit {
    dropDirectInput()
    for d in received { FD.close(d) }
    FD.close(fd)
    readBuffer.deallocate()
  }

  /// Exchanges hellos; throws a BerthError naming both versions on a mismatch.
  @discardableResult
  public func greet(columns: Int, rows: Int, term: String, colors: Int, timeoutMs: Int32 = 5000)
    throws -> ServerHello
  {
    try send(
      .hello(ClientHello(columns: columns, rows: rows, term: term, colors: colors)),
      timeoutMs: timeoutMs)
    do {
      guard let reply = try receive(timeoutMs: timeoutMs) else {
        throw BerthError("the session at \(path) does not answer")
      }
      switch reply {
      case .hello(let hello):
        server = hello
        return hello
      case .error(let text): throw BerthError(text)
      default: throw BerthError("the session at \(path) sent an unexpected reply")
      }
    } catch ProtocolError.versionMismatch(let ours, let theirs) {
      let id = path.split(separator: "/").last.map(String.init) ?? path
      throw BerthError(
        "the session \(id) runs another berth (protocol version \(theirs); this berth speaks version \(ours)): run 'berth --upgrade \(id)' to bring it to this berth"
      )
    }
  }

  /// Queues a message and writes what the socket takes now. Text typed after
  /// it must follow it through the server, so direct input stops here.
  public func post(_ message: ClientMessage) throws {
    dropDirectInput()
    sent &+= 1
    outgoing.append(contentsOf: message.encoded())
    try flush()
  }

  /// Text the user typed, for the window's program: straight to its PTY when
  /// the server allows it, else through the server.
  public func type(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try type($0) }
  }

  public func type(_ bytes: UnsafeRawBufferPointer) throws {
    if directInput >= 0 {
      let n = FD.write(directInput, bytes)
      if n == bytes.count { return }
      // The program is not reading (or is gone): the server queues the rest.
      try post(.input(Array(bytes[max(n, 0)...])))
      return
    }
    try post(.input(Array(bytes)))
  }

  /// Typed text may go straight to a PTY now.
  public var writesDirectly: Bool { directInput >= 0 }

  /// Stops writing to the PTY (before the client stops, say).
  public func dropDirectInput() {
    if directInput >= 0 { FD.close(directInput) }
    directInput = -1
  }

  private func directInputChanged(serial: UInt32?) {
    dropDirectInput()
    // After a loss `received` stays empty (readAvailable closes what comes).
    guard let serial, !received.isEmpty else { return }
    let pty = received.removeFirst()
    if serial == sent {
      directInput = pty
    } else {
      FD.close(pty)
    }
  }

  /// Sends a message, waiting at most timeoutMs for the socket to take it.
  public func send(_ message: ClientMessage, timeoutMs: Int32) throws {
    try post(message)
    while hasPendingOutput {
      guard FD.waitWritable(fd, timeoutMs: timeoutMs) else {
        throw BerthError("the session at \(path) does not read its socket")
      }
      try flush()
    }
  }

  public var hasPendingOutput: Bool { !outgoing.isEmpty }

  public func flush() throws {
    while !outgoing.isEmpty {
      let n = outgoing.withUnsafeBytes { FD.write(fd, $0) }
      if n > 0 {
        outgoing.removeFirst(n)
      } else if n < 0 && errno == EAGAIN {
        return
      } else {
        let e = errno
        isClosed = true
        throw BerthError("lost the connection to the session: \(SystemError.text(for: e))")
      }
    }
  }

  /// The next message, waiting at most timeoutMs (nil on timeout); throws at end of stream.
  public func receive(timeoutMs: Int32) throws -> ServerMessage? {
    while true {
      if let m = try nextBuffered() { return m }
      guard FD.waitReadable(fd, timeoutMs: timeoutMs) else { return nil }
      guard try readAvailable() else { throw BerthError("the session closed the connection") }
    }
  }

  /// Reads what the socket has. Returns false at end of stream.
  public func readAvailable() throws -> Bool {
    let n = UnixSocket.receive(
      fd, into: readBuffer, descriptors: &received, lost: &descriptorsLost)
    if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) {
      isClosed = true
      return false
    }
    if n < 0 { return true }
    if descriptorsLost {
      // Grants and descriptors can no longer be matched: no more direct input.
      for d in received { FD.close(d) }
      received.removeAll()
    }
    assembler.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<n]))
    return true
  }

  /// A message already received and not yet returned.
  public func nextBuffered() throws -> ServerMessage? {
    while let frame = try assembler.next() {
      let message = try ServerMessage.decode(type: frame.type, payload: frame.payload)
      guard case .directInput(let serial) = message else { return message }
      directInputChanged(serial: serial)
    }
    return nil
  }
}

extension SessionConnection {
  /// What a server of any version says of itself in its hello: the
  /// protocol it speaks and (from protocol 7 on) its berth version. Read
  /// from the hello's fixed start, so a server of another protocol answers too.
  /// The server's protocol, its berth version and (from protocol 7 on) its
  /// pid: after a restart by its keeper, not the one in the session's name.
  public func serverVersions(timeoutMs: Int32 = 5000) throws -> (
    protocol: UInt16, berth: String?, pid: Int32?
  ) {
    try send(
      .hello(ClientHello(columns: 80, rows: 24, term: "dumb", colors: 0)), timeoutMs: timeoutMs)
    let deadline = Clock.nanos() &+ UInt64(max(0, timeoutMs)) * 1_000_000
    while true {
      if let frame = try assembler.next() {
        var r = ByteReader(frame.payload)
        for b in Array("BRTH".utf8) {
          guard try r.u8("hello") == b else {
            throw BerthError("the session at \(path) is not a berth")
          }
        }
        let version = try r.u16("version")
        let berth = version >= 7 ? try r.string("berth version", max: Limits.version) : nil
        let pid = version >= 7 ? try? r.i32("pid") : nil
        return (version, berth, pid)
      }
      let now = Clock.nanos()
      guard now < deadline, FD.waitReadable(fd, timeoutMs: Int32((deadline - now) / 1_000_000 + 1))
      else { throw BerthError("the session at \(path) does not answer") }
      guard try readAvailable() else {
        throw BerthError("the session at \(path) closed the connection")
      }
    }
  }
}

extension SessionConnection {
  /// How long a client waits for a server that went away without a word
  /// (a crash, or a kill its keeper answers with a new server) to answer
  /// again under the same socket, and for one that said it is upgrading.
  public static let restartWaitMs = 3000
  public static let upgradeWaitMs = 5000

  /// The protocol the server at `path` speaks once it answers a hello
  /// again, trying every 50 ms for at most `withinMs`; nil when it does
  /// not come back. A socket that is gone is a session that ended (its
  /// server takes the socket away): nil at once.
  public static func protocolOnceBack(at path: String, withinMs: Int) -> UInt16? {
    let deadline = Clock.nanos() &+ UInt64(max(0, withinMs)) * 1_000_000
    while true {
      usleep(50_000)
      let now = Clock.nanos()
      guard now < deadline else { return nil }
      do {
        let probe = try SessionConnection(path: path)
        let left = Int32(clamping: (deadline - now) / 1_000_000 + 1)
        return try probe.serverVersions(timeoutMs: left).protocol
      } catch let error as SystemError where error.code == ENOENT || error.code == ENOTDIR {
        return nil
      } catch {
        continue  // refused (no server yet), or closed by a server going away
      }
    }
  }
}
