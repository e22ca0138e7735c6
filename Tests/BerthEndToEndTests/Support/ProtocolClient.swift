// A client that speaks berth's protocol itself, with BerthProtocol's own
// encoder and decoder, instead of drawing on a terminal: it says hello and
// attaches as `berth -r` does, and then reads, or does not read, as a test
// wants. It keeps the screen as the frames it has read draw it.
import BerthProtocol
import BerthSystem
import BerthTerminal
import Foundation
import Glibc

final class ProtocolClient: @unchecked Sendable {
  let fd: Int32
  let path: String
  private var assembler = FrameAssembler()
  private var buffer = [UInt8](repeating: 0, count: 64 << 10)
  private var isClosed = false
  /// The screen as the frames read so far draw it: one string per row,
  /// trailing blanks trimmed.
  private(set) var screenRows: [String] = []
  /// Screen frames read so far.
  private(set) var screenCount = 0

  init(path: String) throws {
    self.path = path
    fd = try UnixSocket.connect(to: path)
  }

  deinit { close() }

  func close() {
    guard !isClosed else { return }
    isClosed = true
    FD.close(fd)
  }

  /// Sends a message; throws when the server closed or does not take it within 5 s.
  func send(_ message: ClientMessage) throws {
    let bytes = message.encoded()
    var offset = 0
    let deadline = monotonicSeconds() + 5
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { raw in
        Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
      }
      if n > 0 {
        offset += n
      } else if n < 0 && (errno == EINTR || errno == EAGAIN) {
        guard monotonicSeconds() < deadline else {
          throw TestFailure("the session at \(path) does not take a message")
        }
        _ = FD.waitWritable(fd, timeoutMs: 100)
      } else {
        throw SystemError("send to \(path)")
      }
    }
  }

  /// Says hello as berth's client does and returns the server's hello.
  @discardableResult
  func hello(columns: Int = 80, rows: Int = 24, term: String = "xterm") throws -> ServerHello {
    try send(.hello(ClientHello(columns: columns, rows: rows, term: term, colors: 256)))
    guard let reply = try receive(timeout: 5) else {
      throw TestFailure("no hello from the session at \(path)")
    }
    guard case .hello(let h) = reply else {
      throw TestFailure("the session at \(path) answered hello with \(reply)")
    }
    return h
  }

  /// Says hello and attaches, as `berth -r` (or `-x`) does.
  func helloAndAttach(columns: Int = 80, rows: Int = 24) throws {
    try hello(columns: columns, rows: rows)
    try send(.attach(AttachRequest()))
  }

  /// Bytes the server sent that this client has not read yet (FIONREAD).
  var unreadBytes: Int {
    var n: Int32 = 0
    return ioctl(fd, UInt(FIONREAD), &n) == 0 ? Int(n) : -1
  }

  /// True when the server has closed its end (seen without reading).
  var peerHasClosed: Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&p, 1, 0) > 0 && p.revents & Int16(POLLHUP | POLLERR) != 0
  }

  /// Reads what the socket has now, without waiting. False at end of stream.
  func readAvailable() -> Bool {
    while true {
      let n = buffer.withUnsafeMutableBytes {
        Glibc.recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
      }
      if n > 0 {
        buffer.withUnsafeBytes { assembler.append(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        return true
      }
      if n == 0 { return false }
      if errno == EINTR { continue }
      return errno == EAGAIN
    }
  }

  /// The next whole frame already read, undecoded.
  func nextFrame() throws -> (type: UInt8, payload: [UInt8])? {
    try assembler.next()
  }

  /// Decodes a frame and applies a screen update to `screenRows`.
  func decode(_ frame: (type: UInt8, payload: [UInt8])) throws -> ServerMessage {
    let message = try ServerMessage.decode(type: frame.type, payload: frame.payload)
    if case .screen(let update) = message { apply(update) }
    return message
  }

  /// The next message, waiting at most `timeout` s (nil then); throws when
  /// the server closed the connection.
  func receive(timeout: Double) throws -> ServerMessage? {
    let deadline = monotonicSeconds() + timeout
    while true {
      if let frame = try nextFrame() { return try decode(frame) }
      let left = deadline - monotonicSeconds()
      guard left > 0, FD.waitReadable(fd, timeoutMs: Int32(left * 1000) + 1) else { return nil }
      guard readAvailable() else {
        throw TestFailure("the session at \(path) closed the connection")
      }
    }
  }

  /// Reads messages until `condition` holds for one of them (true) or
  /// `timeout` s pass (false); throws when the server closed the connection.
  func receive(until condition: (ServerMessage) -> Bool, timeout: Double = 10) throws -> Bool {
    let deadline = monotonicSeconds() + timeout
    while true {
      let left = deadline - monotonicSeconds()
      guard left > 0 else { return false }
      guard let message = try receive(timeout: left) else { return false }
      if condition(message) { return true }
    }
  }

  private func apply(_ update: ScreenUpdate) {
    screenCount += 1
    if update.full || screenRows.count != update.rows {
      screenRows = Array(repeating: "", count: update.rows)
    }
    for row in update.rowUpdates where row.y < screenRows.count {
      screenRows[row.y] = Self.text(of: row)
    }
  }

  /// A row's characters, trailing blanks trimmed (combining marks left out).
  static func text(of row: RowUpdate) -> String {
    var text = ""
    for cell in row.cells where cell.width > 0 {
      text.unicodeScalars.append(Unicode.Scalar(cell.scalar) ?? "?")
    }
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }

  /// The type byte of screen frames, as the encoder writes it.
  static let screenFrameType = ServerMessage.screen(ScreenUpdate(columns: 1, rows: 1)).encoded()[0]
}

/// True when `haystack` holds the bytes of `needle` (memchr and memcmp: the
/// load tests look through every frame 50 clients get, faster than the test
/// could decode them).
func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
  guard let first = needle.first else { return true }
  guard haystack.count >= needle.count else { return false }
  return haystack.withUnsafeBytes { h in
    needle.withUnsafeBytes { n in
      var p = h.baseAddress!
      let end = h.baseAddress! + (h.count - n.count + 1)
      while p < end, let found = memchr(p, Int32(first), end - p) {
        if memcmp(found, n.baseAddress!, n.count) == 0 { return true }
        p = UnsafeRawPointer(found) + 1
      }
      return false
    }
  }
}
