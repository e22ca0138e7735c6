// The messages a client and a session server exchange, and their encoding.
// Bump `protocolVersion` whenever any message's layout changes.
import BerthTerminal

public let protocolVersion: UInt16 = 8

/// berth's own version (berth -v, and the `version` command).
public let berthVersion = "0.1.0"

/// Every hello starts with these bytes, so that a peer of any version can
/// read the version that follows.
let helloMagic: [UInt8] = Array("BRTH".utf8)

public struct ClientHello: Equatable, Sendable {
  public var version: UInt16
  public var columns: Int
  public var rows: Int
  public var term: String
  /// Colours the client's terminal shows (8, 16, 256, or 1<<24 for RGB).
  public var colors: Int

  public init(version: UInt16 = protocolVersion, columns: Int, rows: Int, term: String, colors: Int)
  {
    self.version = version
    self.columns = columns
    self.rows = rows
    self.term = term
    self.colors = colors
  }
}

public struct AttachRequest: Equatable, Sendable {
  public var readOnly: Bool
  /// Detach every other client first (screen's -d -r / -D -r).
  public var detachOthers: Bool
  /// The window to show first, by number or title (screen's -p), or nil.
  public var window: String?

  public init(readOnly: Bool = false, detachOthers: Bool = false, window: String? = nil) {
    self.readOnly = readOnly
    self.detachOthers = detachOthers
    self.window = window
  }
}

/// What `berth --tail` asks for: a window's last lines, and then its
/// output as it comes. A follower never types and never sizes the window.
public struct FollowRequest: Equatable, Sendable {
  /// The window, by number or title; nil: the session's current one.
  public var window: String?
  /// How many of the last lines to send first.
  public var lines: Int
  /// Go on sending the output once the lines are sent.
  public var follow: Bool
  /// Lines with SGR sequences for their colours and attributes.
  public var color: Bool

  public static let maxLines = 10_000_000

  public init(window: String? = nil, lines: Int = 10, follow: Bool = false, color: Bool = false) {
    self.window = window
    self.lines = lines
    self.follow = follow
    self.color = color
  }
}

public enum ClientMessage: Equatable, Sendable {
  case hello(ClientHello)
  case attach(AttachRequest)
  /// Instead of attaching: a window's lines and output (`berth --tail`).
  case follow(FollowRequest)
  /// Bytes the user typed, for the window's program as they are.
  case input([UInt8])
  /// A special key, encoded by the server for the program's modes.
  case key(Key, KeyModifiers)
  /// A key legacy bytes cannot say (C-Enter, C-;), by its kitty key code:
  /// encoded by the server for the program's keyboard modes.
  case character(UInt32, KeyModifiers)
  /// Pasted text: bracketed if the program asked for it.
  case paste([UInt8])
  /// A mouse event at window coordinates.
  case mouse(MouseEvent)
  /// The user's terminal gained (true) or lost focus.
  case focus(Bool)
  case resize(columns: Int, rows: Int)
  /// The colours the user's terminal shows changed since the hello (as
  /// its answers came in, or the `truecolor` setting changed): 1 << 24 for RGB.
  case terminalColors(Int)
  /// A screen command and its arguments (`-X`, the command prompt), for the
  /// window named by number or title (`-p`), or the client's own window.
  case command(window: String?, [String])
  /// A key typed after the command key, for the session's key bindings.
  case boundKey(UInt8)
  /// A special key typed after the command key (`bind -k`).
  case boundSpecialKey(Key, KeyModifiers)
  /// Bytes the user typed that are one of ClientSettings.boundSequences
  /// (`bindkey "^[O1;2P" cmd`): the server runs what they are bound to.
  case boundSequence([UInt8])
  case detach
  /// Asks for a SessionInfo (for -ls).
  case info
  /// Asks for a full frame (C-a l).
  case redraw
}

public struct ServerHello: Equatable, Sendable {
  public var version: UInt16
  /// The server's berth version ("0.1.0"). It follows the protocol version
  /// in every hello from protocol 7 on, so that a berth of any later
  /// version can read both before it gives up on the rest.
  public var berthVersion: String
  public var pid: Int32
  public var name: String

  public init(
    version: UInt16 = protocolVersion, berthVersion: String = BerthProtocol.berthVersion,
    pid: Int32, name: String
  ) {
    self.version = version
    self.berthVersion = berthVersion
    self.pid = pid
    self.name = name
  }
}

public struct SessionInfo: Equatable, Sendable {
  public var pid: Int32
  public var name: String
  /// Seconds since the epoch when the session started.
  public var created: Int64
  public var attachedClients: Int
  public var windows: Int

  public init(pid: Int32, name: String, created: Int64, attachedClients: Int, windows: Int) {
    self.pid = pid
    self.name = name
    self.created = created
    self.attachedClients = attachedClients
    self.windows = windows
  }
}

/// Why a client's attachment ended.
public enum ExitReason: UInt8, Sendable {
  /// The user detached (C-a d, or -X detach).
  case detached = 1
  /// Another berth detached this client (-d / -D elsewhere).
  case detachedElsewhere = 2
  /// The session's program ended; `status` holds its shell status.
  case terminated = 3
  /// The session was told to quit.
  case quit = 4
  /// The server refused or dropped the client; `text` says why.
  case error = 5
  /// The user suspended the client (C-a z): it stops, as a job of its
  /// shell, and attaches again when continued (fg).
  case suspended = 6
}

public struct ExitNotice: Equatable, Sendable {
  public var reason: ExitReason
  public var status: Int32
  /// What the user is told: "[detached from 123.web]", "... terminated: exit status 3".
  public var text: String

  public init(reason: ExitReason, status: Int32, text: String) {
    self.reason = reason
    self.status = status
    self.text = text
  }
}

/// A question for the user in the client's message line; the answer is sent
/// back as a command, so that the server keeps no state for it.
public struct Prompt: Equatable, Sendable {
  public enum Kind: UInt8, Sendable {
    /// A line of text: sent as `command + [text]`.
    case line
    /// y or n: `command` is sent on y.
    case confirm
    /// A command line (C-a :): its words are the command.
    case commandLine
    /// No question: the next key is a command key's follower, as if the
    /// command key had been typed (screen's `command [-c class]`).
    case commandKey
  }

  public var kind: Kind
  public var text: String
  public var initial: String
  /// What the answer is sent with; for a command line, the command names
  /// Tab completes (the server's table is their one source).
  public var command: [String]

  public init(kind: Kind, text: String, initial: String = "", command: [String] = []) {
    self.kind = kind
    self.text = text
    self.initial = initial
    self.command = command
  }
}

/// Session settings the client acts on (`escape`, `msgwait`, `vbell`).
public struct ClientSettings: Equatable, Sendable {
  /// The command key and the key that sends it literally.
  public var commandKey: UInt8
  public var literalKey: UInt8
  /// Seconds a message stays in the message line.
  public var messageSeconds: Int
  /// Flash the screen instead of beeping.
  public var visualBell: Bool
  /// Ask the terminal for mouse reports even when the program did not
  /// (the session watches the mouse: mousetrack).
  public var mouseTrack: Bool
  /// Byte strings bound with bindkey that are not one special key: the
  /// client looks for them in what the user types and sends them as
  /// `boundSequence`.
  public var boundSequences: [[UInt8]]

  /// The most bound sequences, and the longest, a client takes.
  public static let maxBoundSequences = 1024
  public static let maxSequenceLength = 64

  public init(
    commandKey: UInt8 = 0x01, literalKey: UInt8 = 0x61, messageSeconds: Int = 5,
    visualBell: Bool = false, mouseTrack: Bool = false, boundSequences: [[UInt8]] = []
  ) {
    self.commandKey = commandKey
    self.literalKey = literalKey
    self.messageSeconds = messageSeconds
    self.visualBell = visualBell
    self.mouseTrack = mouseTrack
    self.boundSequences = boundSequences
  }
}

public enum ServerMessage: Equatable, Sendable {
  case hello(ServerHello)
  case screen(ScreenUpdate)
  case bell
  case message(String)
  case exit(ExitNotice)
  case info(SessionInfo)
  case commandResult(status: Int32, output: [UInt8])
  /// The connection is being closed because of this.
  case error(String)
  /// An OSC 52 clipboard payload ("c;BASE64") for the user's terminal.
  case clipboard([UInt8])
  /// Ask the user something in the message line.
  case prompt(Prompt)
  /// The session's settings for the client, on attach and when they change.
  case settings(ClientSettings)
  /// The session's `truecolor` setting, with the settings: RGB colour on
  /// (true) or off (false) whatever the terminal says, or nil to detect.
  case trueColorSetting(Bool?)
  /// With a serial: the window's PTY comes with this message (SCM_RIGHTS), and
  /// the client may write typed text to it directly, if it has sent exactly
  /// `serial` messages so far, until it sends another. Without: stop.
  case directInput(serial: UInt32?)
  /// Bytes the client takes as if the user typed them, command key and
  /// all (screen's `process`).
  case typeKeys([UInt8])
  /// To a follower: complete lines of text, each ending with a newline.
  case lines([UInt8])
  /// To a follower: the output follows from here. Its lines are the rows of
  /// a terminal `columns` wide that has drawn `seed` (the line the cursor
  /// is on, and the pen), rows that wrap joined back.
  case follow(columns: Int, seed: [UInt8])
  /// To a follower: the window's program's output, as it wrote it.
  case output([UInt8])
  /// The server is about to carry on as a new berth (`berth --upgrade`):
  /// if the connection then closes (the new one speaks another protocol),
  /// the client attaches again, as the berth now installed.
  case upgrading
  /// To a follower: it fell so far behind that this many lines were let go;
  /// the output goes on from the start of a line.
  case skipped(lines: UInt64)
  /// What cells whose style.decoration is `key` (1...255) show from the next
  /// screen update on: an underline colour, a link. Sent before the first
  /// frame that uses the key, and again whenever the key is given anew.
  case decoration(key: UInt8, Decoration)
}

// MARK: - Encoding

enum ClientType: UInt8 {
  case terminalColors = 48
  case hello = 1
  case attach, input, resize, command, detach, info, redraw, key, paste, mouse, focus
  case boundKey, boundSpecialKey, boundSequence, follow
  case character
}

enum ServerType: UInt8 {
  case trueColorSetting = 112
  case hello = 64
  case screen, bell, message, exit, info, commandResult, error, clipboard, prompt
  case settings, directInput, typeKeys, lines, follow, output, skipped, upgrading
  case decoration
}

/// Sizes beyond this are refused: no terminal is this big.
public let maxDimension = 4096

extension ClientMessage {
  public func encoded() -> [UInt8] {
    var w = ByteWriter()
    let type: ClientType
    switch self {
    case .hello(let h):
      type = .hello
      w.bytes.append(contentsOf: helloMagic)
      w.u16(h.version)
      w.u16(UInt16(clamping: h.columns))
      w.u16(UInt16(clamping: h.rows))
      w.string(h.term, max: Limits.term)
      w.u32(UInt32(clamping: h.colors))
    case .attach(let a):
      type = .attach
      w.bool(a.readOnly)
      w.bool(a.detachOthers)
      w.string(a.window ?? "", max: Limits.windowName)
    case .input(let bytes):
      type = .input
      w.bytes.append(contentsOf: bytes)
    case .resize(let c, let r):
      type = .resize
      w.u16(UInt16(clamping: c))
      w.u16(UInt16(clamping: r))
    case .terminalColors(let colors):
      type = .terminalColors
      w.u32(UInt32(clamping: colors))
    case .command(let window, let argv):
      type = .command
      w.string(window ?? "", max: Limits.windowName)
      w.strings(argv)
    case .boundKey(let key):
      type = .boundKey
      w.u8(key)
    case .boundSpecialKey(let key, let mods):
      type = .boundSpecialKey
      w.u8(key.rawValue)
      w.u8(mods.rawValue)
    case .boundSequence(let bytes):
      type = .boundSequence
      w.bytes.append(contentsOf: bytes.prefix(ClientSettings.maxSequenceLength))
    case .detach: type = .detach
    case .info: type = .info
    case .redraw: type = .redraw
    case .key(let key, let mods):
      type = .key
      w.u8(key.rawValue)
      w.u8(mods.rawValue)
    case .character(let code, let mods):
      type = .character
      w.u32(code)
      w.u8(mods.rawValue)
    case .paste(let bytes):
      type = .paste
      w.bytes.append(contentsOf: bytes)
    case .mouse(let e):
      type = .mouse
      w.u8(e.button)
      w.u8(e.kind.rawValue)
      w.u16(UInt16(clamping: e.x))
      w.u16(UInt16(clamping: e.y))
      w.u8(e.modifiers.rawValue)
    case .focus(let on):
      type = .focus
      w.bool(on)
    case .follow(let f):
      type = .follow
      w.string(f.window ?? "", max: Limits.windowName)
      w.u32(UInt32(clamping: f.lines))
      w.bool(f.follow)
      w.bool(f.color)
    }
    return Frame.encode(type: type.rawValue, payload: w.bytes)
  }

  public static func decode(type: UInt8, payload: [UInt8]) throws -> ClientMessage {
    guard let t = ClientType(rawValue: type) else { throw ProtocolError.unknownType(type) }
    var r = ByteReader(payload)
    let message: ClientMessage
    switch t {
    case .hello:
      let version = try readHelloVersion(&r)
      guard version == protocolVersion else {
        throw ProtocolError.versionMismatch(ours: protocolVersion, theirs: version)
      }
      let columns = Int(try r.u16("columns"))
      let rows = Int(try r.u16("rows"))
      let term = try r.string("TERM", max: Limits.term)
      let colors = Int(try r.u32("colours"))
      message = .hello(
        ClientHello(version: version, columns: columns, rows: rows, term: term, colors: colors))
    case .attach:
      let readOnly = try r.bool()
      let detachOthers = try r.bool()
      let window = try r.string("window", max: Limits.windowName)
      message = .attach(
        AttachRequest(
          readOnly: readOnly, detachOthers: detachOthers, window: window.isEmpty ? nil : window))
    case .input:
      return .input(payload)
    case .resize:
      let columns = Int(try r.u16("columns"))
      let rows = Int(try r.u16("rows"))
      message = .resize(columns: columns, rows: rows)
    case .terminalColors:
      message = .terminalColors(Int(try r.u32("colours")))
    case .command:
      let window = try r.string("window", max: Limits.windowName)
      let argv = try r.strings("command")
      guard !argv.isEmpty else { throw ProtocolError.invalid("empty command") }
      message = .command(window: window.isEmpty ? nil : window, argv)
    case .boundKey:
      message = .boundKey(try r.u8("key"))
    case .boundSpecialKey:
      guard let key = Key(rawValue: try r.u8("key")) else {
        throw ProtocolError.invalid("unknown key")
      }
      message = .boundSpecialKey(key, KeyModifiers(rawValue: try r.u8("modifiers") & 0x0F))
    case .boundSequence:
      guard !payload.isEmpty, payload.count <= ClientSettings.maxSequenceLength else {
        throw ProtocolError.invalid("a bound sequence of \(payload.count) bytes")
      }
      return .boundSequence(payload)
    case .detach: message = .detach
    case .info: message = .info
    case .redraw: message = .redraw
    case .key:
      guard let key = Key(rawValue: try r.u8("key")) else {
        throw ProtocolError.invalid("unknown key")
      }
      message = .key(key, KeyModifiers(rawValue: try r.u8("modifiers") & 0x0F))
    case .character:
      let code = try r.u32("key code")
      guard KeyEncoder.isKeyCode(code) else { throw ProtocolError.invalid("bad key code") }
      message = .character(code, KeyModifiers(rawValue: try r.u8("modifiers") & 0x0F))
    case .paste:
      return .paste(payload)
    case .mouse:
      let button = try r.u8("button")
      guard let kind = MouseEvent.Kind(rawValue: try r.u8("mouse event")) else {
        throw ProtocolError.invalid("unknown mouse event")
      }
      let x = Int(try r.u16("x"))
      let y = Int(try r.u16("y"))
      let mods = KeyModifiers(rawValue: try r.u8("modifiers") & 0x0F)
      message = .mouse(MouseEvent(button: button, kind: kind, x: x, y: y, modifiers: mods))
    case .focus:
      message = .focus(try r.bool())
    case .follow:
      let window = try r.string("window", max: Limits.windowName)
      let lines = Int(try r.u32("lines"))
      guard lines <= FollowRequest.maxLines else { throw ProtocolError.invalid("\(lines) lines") }
      message = .follow(
        FollowRequest(
          window: window.isEmpty ? nil : window, lines: lines, follow: try r.bool(),
          color: try r.bool()))
    }
    try r.finish("\(t)")
    return message
  }
}

/// Reads the magic and version that open every hello.
func readHelloVersion(_ r: inout ByteReader) throws -> UInt16 {
  for b in helloMagic {
    guard try r.u8("hello") == b else { throw ProtocolError.invalid("not a berth hello") }
  }
  return try r.u16("version")
}

extension ServerMessage {
  /// `.output(pieces joined)` encoded, the bytes copied once: a follower's
  /// output is the server's busiest message.
  public static func outputFrame(_ pieces: UnsafeRawBufferPointer...) -> [UInt8] {
    let count = pieces.reduce(0) { $0 + $1.count }
    var bytes = outputHeader(count: count, capacity: count)
    for p in pieces { bytes.append(contentsOf: p) }
    return bytes
  }

  /// What comes before `count` bytes of output in an `.output` message: a
  /// sender that holds the output elsewhere writes it right after (writev).
  public static func outputHeader(count: Int, capacity: Int = 0) -> [UInt8] {
    var w = ByteWriter(capacity: Frame.headerSize + 4 + capacity)
    w.u8(ServerType.output.rawValue)
    w.u8(0)
    w.u16(0)
    w.u32(UInt32(clamping: 4 + count))
    w.u32(UInt32(clamping: count))
    return w.bytes
  }

  public func encoded() -> [UInt8] {
    var w = ByteWriter()
    let type: ServerType
    switch self {
    case .hello(let h):
      type = .hello
      w.bytes.append(contentsOf: helloMagic)
      w.u16(h.version)
      w.string(h.berthVersion, max: Limits.version)
      w.i32(h.pid)
      w.string(h.name)
    case .screen(let update):
      type = .screen
      update.encode(into: &w)
    case .bell: type = .bell
    case .message(let text):
      type = .message
      w.string(text)
    case .exit(let e):
      type = .exit
      w.u8(e.reason.rawValue)
      w.i32(e.status)
      w.string(e.text)
    case .info(let i):
      type = .info
      w.i32(i.pid)
      w.string(i.name)
      w.u64(UInt64(bitPattern: i.created))
      w.u32(UInt32(clamping: i.attachedClients))
      w.u32(UInt32(clamping: i.windows))
    case .commandResult(let status, let output):
      type = .commandResult
      w.i32(status)
      w.data(output)
    case .error(let text):
      type = .error
      w.string(text)
    case .clipboard(let bytes):
      type = .clipboard
      w.data(bytes)
    case .prompt(let p):
      type = .prompt
      w.u8(p.kind.rawValue)
      w.string(p.text, max: Limits.promptText)
      w.string(p.initial, max: Limits.promptInitial)
      w.strings(p.command)
    case .settings(let s):
      type = .settings
      w.u8(s.commandKey)
      w.u8(s.literalKey)
      w.u32(UInt32(clamping: s.messageSeconds))
      w.bool(s.visualBell)
      w.bool(s.mouseTrack)
      let sequences = s.boundSequences.prefix(ClientSettings.maxBoundSequences)
      w.u32(UInt32(sequences.count))
      for q in sequences { w.data(Array(q.prefix(ClientSettings.maxSequenceLength))) }
    case .trueColorSetting(let setting):
      type = .trueColorSetting
      w.u8(setting.map { $0 ? 1 : 0 } ?? 2)
    case .directInput(let serial):
      type = .directInput
      w.bool(serial != nil)
      w.u32(serial ?? 0)
    case .typeKeys(let bytes):
      type = .typeKeys
      w.data(bytes)
    case .lines(let bytes):
      type = .lines
      w.data(bytes)
    case .follow(let columns, let seed):
      type = .follow
      w.u16(UInt16(clamping: columns))
      w.data(seed)
    case .output(let bytes):
      type = .output
      w.data(bytes)
    case .skipped(let lines):
      type = .skipped
      w.u64(lines)
    case .upgrading:
      type = .upgrading
    case .decoration(let key, let d):
      type = .decoration
      encodeDecoration(key, d, into: &w)
    }
    return Frame.encode(type: type.rawValue, payload: w.bytes)
  }

  public static func decode(type: UInt8, payload: [UInt8]) throws -> ServerMessage {
    guard let t = ServerType(rawValue: type) else { throw ProtocolError.unknownType(type) }
    var r = ByteReader(payload)
    let message: ServerMessage
    switch t {
    case .hello:
      let version = try readHelloVersion(&r)
      guard version == protocolVersion else {
        throw ProtocolError.versionMismatch(ours: protocolVersion, theirs: version)
      }
      let berth = try r.string("berth version", max: Limits.version)
      message = .hello(
        ServerHello(
          version: version, berthVersion: berth, pid: try r.i32("pid"),
          name: try r.string("name")))
    case .screen:
      message = .screen(try ScreenUpdate.decode(&r))
    case .bell: message = .bell
    case .message: message = .message(try r.string("message"))
    case .exit:
      guard let reason = ExitReason(rawValue: try r.u8("reason")) else {
        throw ProtocolError.invalid("unknown exit reason")
      }
      message = .exit(
        ExitNotice(reason: reason, status: try r.i32("status"), text: try r.string("text")))
    case .info:
      message = .info(
        SessionInfo(
          pid: try r.i32("pid"), name: try r.string("name"),
          created: Int64(bitPattern: try r.u64("created")),
          attachedClients: Int(try r.u32("clients")), windows: Int(try r.u32("windows"))))
    case .commandResult:
      message = .commandResult(status: try r.i32("status"), output: try r.data("output"))
    case .error: message = .error(try r.string("error"))
    case .clipboard: message = .clipboard(try r.data("clipboard", max: 1 << 20))
    case .prompt:
      guard let kind = Prompt.Kind(rawValue: try r.u8("prompt kind")) else {
        throw ProtocolError.invalid("unknown prompt kind")
      }
      message = .prompt(
        Prompt(
          kind: kind, text: try r.string("prompt", max: Limits.promptText),
          initial: try r.string("prompt", max: Limits.promptInitial),
          command: try r.strings("prompt command")))
    case .settings:
      var settings = ClientSettings(
        commandKey: try r.u8("command key"), literalKey: try r.u8("literal key"),
        messageSeconds: Int(min(try r.u32("msgwait"), 100_000)), visualBell: try r.bool(),
        mouseTrack: try r.bool())
      let count = Int(try r.u32("bound sequences"))
      guard count <= ClientSettings.maxBoundSequences else {
        throw ProtocolError.invalid("\(count) bound sequences")
      }
      for _ in 0..<count {
        let q = try r.data("bound sequence", max: ClientSettings.maxSequenceLength)
        guard !q.isEmpty else { throw ProtocolError.invalid("an empty bound sequence") }
        settings.boundSequences.append(q)
      }
      message = .settings(settings)
    case .trueColorSetting:
      switch try r.u8("truecolor") {
      case 0: message = .trueColorSetting(false)
      case 1: message = .trueColorSetting(true)
      case 2: message = .trueColorSetting(nil)
      case let b: throw ProtocolError.invalid("truecolor setting \(b)")
      }
    case .directInput:
      let granted = try r.bool()
      let serial = try r.u32("serial")
      message = .directInput(serial: granted ? serial : nil)
    case .typeKeys:
      message = .typeKeys(try r.data("keys", max: 1 << 16))
    case .lines:
      message = .lines(try r.data("lines"))
    case .follow:
      let columns = Int(try r.u16("columns"))
      guard columns >= 1, columns <= maxDimension else {
        throw ProtocolError.invalid("a follower \(columns) columns wide")
      }
      message = .follow(columns: columns, seed: try r.data("seed", max: 1 << 20))
    case .output:
      message = .output(try r.data("output"))
    case .skipped:
      message = .skipped(lines: try r.u64("skipped lines"))
    case .upgrading:
      message = .upgrading
    case .decoration:
      let (key, d) = try decodeDecoration(&r)
      message = .decoration(key: key, d)
    }
    try r.finish("\(t)")
    return message
  }
}
