// One connected client: its socket, what it sent and has yet to receive,
// and what of the screen it has already been sent (for incremental frames).
import BerthProtocol
import BerthSystem
import Glibc

final class ClientConnection {
  enum Phase { case greeting, ready, attached, following }

  let fd: Int32
  var phase: Phase = .greeting
  var hello: ClientHello?
  var readOnly = false
  /// What a follower (`berth --tail -f`) has been sent of its window's output.
  var follower: Follower?
  /// The berth that created the session, connected before the program started.
  var awaitingAttach = false
  /// The client's regions; the focused one's window is the client's window.
  var layout = Layout(window: nil)
  /// The window this client shows (in its focused region), and the one it
  /// showed there before (C-a C-a).
  var window: Window? {
    get { layout.focus.window }
    set { layout.focus.window = newValue }
  }
  var previousWindow: Window?
  /// `command -c class`: the class the next bound key is looked up in.
  var commandClass: String?
  /// The session's layout the client is on (`layout`), nil for none.
  var namedLayout: NamedLayout?
  /// Set once the client has left its layout for good (detached).
  var leftLayout = false
  /// Copy mode on the focused region's window, or nil.
  var copy: CopyMode?
  /// A list shown over the focused region (C-a ", C-a ?), or nil.
  var overlay: Overlay?
  /// Bumped when anything the display composes besides windows changes.
  var displayVersion: UInt64 = 0
  var assembler = FrameAssembler()
  /// Bytes queued for the client; `outStart` is how far it has read.
  private var out: [UInt8] = []
  private var outStart = 0
  /// Set when the connection is to close once `out` has been sent.
  private(set) var closing = false

  // What the client has been sent of the window.
  var sentVersions: [UInt64] = []
  var sentGeneration: UInt64 = .max
  var sentTitle: String? = nil
  var sentCursor = (x: -1, y: -1, visible: false, shape: UInt8(0), modes: UInt32(0))
  var needsFull = true
  var lastFrameNanos: UInt64 = 0
  /// Composed frames: the rows last sent (empty after a simple frame).
  var sentRows: [RowUpdate] = []
  /// The decoration keys this client was given (ClientDecorations.swift).
  let decorations = ClientDecorations()

  /// The last message shown on this client's message line (lastmsg, C-a m).
  var lastMessage: String?
  /// Messages read from the client; a direct-input grant names this count.
  var messagesReceived: UInt32 = 0
  /// The window whose PTY the client was last given for typed text, and that
  /// PTY; nil once the client has sent anything since (which ends a grant).
  var directInput: (window: Window, pty: Int32)?

  init(fd: Int32) {
    self.fd = fd
  }

  /// The terminal the client runs on ("/dev/pts/3"), as its stdin shows it.
  var terminalName: String {
    guard let peer = UnixSocket.peerPID(fd) else { return "?" }
    return readLink("/proc/\(peer)/fd/0") ?? "?"
  }

  /// Attached and not on its way out: a client that sees the session.
  var isAttached: Bool { phase == .attached && !closing }

  var hasPendingOutput: Bool { outStart < out.count }
  var pendingOutputCount: Int { out.count - outStart }

  func send(_ message: ServerMessage, always: Bool = false) {
    if case .message(let text) = message, !text.isEmpty { lastMessage = text }
    queue(message.encoded(), always: always)
  }

  /// What may wait for a client that does not read. Frames are only made
  /// once its backlog is gone, but bells and messages come regardless: past
  /// this they are dropped, and the client gets a whole screen when it reads.
  static let backlogLimit = 1 << 20

  /// A message that must not be dropped (a direct-input revocation) passes
  /// `always`: it is a few bytes, and a client that missed it would type on.
  func queue(_ bytes: [UInt8], always: Bool = false) {
    guard !closing || bytes.isEmpty else { return }
    if pendingOutputCount > Self.backlogLimit && !always {
      forgetScreen()
      return
    }
    guard !hasPendingOutput else {
      out.append(contentsOf: bytes)
      flush()
      return
    }
    // Nothing waits: straight to the socket, and only what it did not take is kept.
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes {
        FD.write(fd, UnsafeRawBufferPointer(rebasing: $0[written...]))
      }
      if n > 0 {
        written += n
      } else if n < 0 && errno == EINTR {
        continue
      } else if n < 0 && errno == EAGAIN {
        break
      } else {
        closing = true
        return
      }
    }
    if written < bytes.count { out.append(contentsOf: bytes[written...]) }
  }

  /// Sends a message with a descriptor attached; only with nothing queued,
  /// so that the descriptor travels with its own message. False if not sent.
  func send(_ message: ServerMessage, passing descriptor: Int32) -> Bool {
    guard !closing, !hasPendingOutput else { return false }
    let bytes = message.encoded()
    let n = bytes.withUnsafeBytes { UnixSocket.send(fd, $0, passing: descriptor) }
    guard n > 0 else { return false }
    if n < bytes.count { queue(Array(bytes[n...]), always: true) }
    return true
  }

  /// Sends a last message, then closes.
  func close(with message: ServerMessage?) {
    if let message { send(message) }
    closing = true
  }

  /// Writes as much as the socket takes. Returns false on a broken connection.
  @discardableResult
  func flush() -> Bool {
    while outStart < out.count {
      let n = out.withUnsafeBytes { raw in
        FD.write(fd, UnsafeRawBufferPointer(rebasing: raw[outStart...]))
      }
      if n > 0 {
        outStart += n
      } else if n < 0 && errno == EAGAIN {
        return true
      } else {
        out.removeAll()
        outStart = 0
        closing = true
        return false
      }
    }
    out.removeAll(keepingCapacity: out.capacity <= 1 << 20)
    outStart = 0
    return true
  }

  /// A closing client whose last bytes are out (or can never be) is done.
  var isFinished: Bool { closing && !hasPendingOutput }

  func forgetScreen() {
    needsFull = true
    sentRows.removeAll()
    sentGeneration = .max
    sentTitle = nil
  }

  /// Something on the display besides a window's screen changed.
  func displayChanged() {
    displayVersion &+= 1
  }
}
