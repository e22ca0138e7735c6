// An attached client: takes over the user's terminal, shows the session's
// screen, sends the user's keys, and catches the command key (C-a).
import BerthProtocol
import BerthSystem
import BerthTerminal
import Glibc

public struct AttachOptions: Sendable {
  public var readOnly = false
  public var detachOthers = false
  /// The command key (C-a) and the key that sends it literally after it ('a').
  public var commandKey: UInt8 = 0x01
  public var literalKey: UInt8 = UInt8(ascii: "a")
  /// The keys were given on the command line (-e): the session's `escape`
  /// setting at attach does not override them (a later `escape` does).
  public var commandKeyGiven = false
  /// Pass the program's OSC 52 clipboard copies on to the user's terminal.
  public var forwardClipboard = true
  /// The window to show first (-p), by number or title.
  public var window: String?
  /// A message for the last line once the screen is drawn (after the
  /// session's server restarted under this client).
  public var notice: String?
  /// What the user's terminal takes, found out once for all attachments.
  public var detector = TerminalDetector()

  public init() {}
}

/// How an attachment ended: the line to print and the exit status.
public struct AttachResult: Sendable {
  public var text: String
  public var status: Int32
  /// The user suspended the client (C-a z): stop, then attach again.
  public var suspended = false
  /// The connection closed without an exit notice: attach again once the
  /// session answers; `text` and `status` stand if it does not.
  public var reattach: Reattach?
}

/// Why a closed connection is not yet the end of an attachment.
public enum Reattach: Sendable {
  /// The server said it was upgrading: it carries on as the berth now installed.
  case upgrade
  /// It went away without a word (a crash, a kill): it may come back.
  case restart
}

public enum Attach {
  /// The smallest terminal berth draws in.
  public static let minimumSize = (columns: 2, rows: 2)

  /// Checks that stdin and stdout are a terminal of a usable size and returns the size.
  public static func terminalSize() throws -> (columns: Int, rows: Int) {
    guard isatty(0) != 0 else {
      throw BerthError("must be connected to a terminal to attach: standard input is not a tty")
    }
    guard isatty(1) != 0 else {
      throw BerthError("must be connected to a terminal to attach: standard output is not a tty")
    }
    guard let size = PseudoTerminal.windowSize(1) ?? PseudoTerminal.windowSize(0) else {
      throw BerthError("cannot read the terminal's size")
    }
    guard size.columns >= minimumSize.columns, size.rows >= minimumSize.rows else {
      throw BerthError(
        "the terminal is too small (\(size.columns)x\(size.rows)); berth needs at least \(minimumSize.columns)x\(minimumSize.rows)"
      )
    }
    return size
  }

  /// Takes over the terminal. Done before anything is asked of a session,
  /// so that a terminal berth cannot drive (TERM unset, unknown) fails first.
  /// Signals are routed to a descriptor before ncurses installs handlers.
  public static func takeTerminal() throws -> (Renderer, SignalDescriptor) {
    let signals = try SignalDescriptor([SIGWINCH, SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGCONT])
    // A write to a session whose server just died is an error to handle
    // (it may come back), not a signal that kills the client.
    SignalDescriptor.ignore(SIGPIPE)
    // The terminal is raw, so C-z is a byte for the program; with SIGTSTP
    // ignored ncurses installs no handler and stops blocking it around every
    // update (two system calls per frame).
    SignalDescriptor.ignore(SIGTSTP)
    do {
      // The renderer starts with what the entry and the environment say,
      // for the hello's colours; the terminal's answers come later (run).
      return (try Renderer(), signals)
    } catch let error as RendererError {
      throw BerthError(error.description)
    }
  }

  /// Stops the client as a job of its shell (after C-a z), with the
  /// terminal already given back; returns when it is continued (fg). Where
  /// nothing can continue it (no job control: an orphaned process group),
  /// the kernel discards the stop and this returns at once.
  public static func stopUntilContinued() {
    SignalDescriptor.restoreDefault(SIGTSTP)
    kill(0, SIGTSTP)
    SignalDescriptor.ignore(SIGTSTP)
  }

  /// The colours the terminal shows, for the hello (1 << 24: RGB).
  public static func colors(of renderer: Renderer) -> Int {
    guard let mapper = renderer.colorMapper else { return 2 }
    return renderer.features.trueColor || mapper.direct ? 1 << 24 : mapper.colors
  }

  /// Attaches through `connection` (already greeted) and runs until the user
  /// detaches or the session ends. The renderer is ended before returning,
  /// unless the result says to attach again: the screen stays as it was
  /// while the session comes back.
  public static func run(
    _ connection: SessionConnection, renderer: Renderer, signals: SignalDescriptor,
    options: AttachOptions
  ) -> AttachResult {
    var result = AttachResult(text: "", status: 1)
    defer { if result.reattach == nil { renderer.end() } }
    do {
      try connection.send(
        .attach(
          AttachRequest(
            readOnly: options.readOnly, detachOthers: options.detachOthers, window: options.window)),
        timeoutMs: 5000)
    } catch {
      result.text = "berth: \(error)"
      // A server that went away between the hello and the attach.
      if connection.isClosed { result.reattach = .restart }
      return result
    }
    let modes = TerminalModes(forwardClipboard: options.forwardClipboard)
    renderer.flush()
    modes.start()
    var loop = AttachLoop(
      connection: connection, renderer: renderer, signals: signals, options: options, modes: modes)
    result = loop.run()
    renderer.flush()
    loop.extendedKeys.follow(false)
    modes.stop()
    return result
  }
}

struct AttachLoop {
  let connection: SessionConnection
  let renderer: Renderer
  let signals: SignalDescriptor
  let options: AttachOptions
  let modes: TerminalModes
  let detector: TerminalDetector
  var parser = InputParser()
  /// The command key was typed; the next key says what to do.
  var commandPending = false
  var windowRows = 0
  var windowColumns = 0
  var messageShown = false
  /// The server said it is upgrading: a closed connection is its exec.
  var upgrading = false
  /// options.notice, until the first frame is drawn.
  var pendingNotice: String?
  /// When the message in the last line goes away (screen's msgwait).
  var messageDeadline: UInt64 = 0
  var messageNanos: UInt64 = 5_000_000_000
  var commandKey: UInt8
  var literalKey: UInt8
  var visualBell = false
  var settingsSeen = false
  /// The question being answered in the message line, if any.
  var prompt: PromptLine?
  /// After a bound key, input waits for the server's answer (until this time),
  /// so that keys typed after C-a ' answer its question.
  var replyDeadline: UInt64?
  var held: [InputEvent] = []
  var echoWait = EchoWait()
  static let replyWaitNanos: UInt64 = 1_000_000_000
  var windowCursor = (x: 0, y: 0, visible: true)
  var pendingModes: (UInt32, UInt8)?
  var pendingTitle: String?
  var shownTitle: String?
  /// How long an unfinished key sequence may wait for its end.
  static let sequenceWaitMs: Int32 = 15
  /// bindkey's byte strings (ClientSettings.boundSequences), looked for in
  /// each read; `sequenceStarts` marks their first bytes, to skip the rest fast.
  var boundSequences: [[UInt8]] = []
  var sequenceStarts = [Bool](repeating: false, count: 256)
  /// Extended keys asked of the user's terminal while the window's program wants them.
  var extendedKeys = ExtendedKeysRequest()

  init(
    connection: SessionConnection, renderer: Renderer, signals: SignalDescriptor,
    options: AttachOptions, modes: TerminalModes
  ) {
    self.connection = connection
    self.renderer = renderer
    self.signals = signals
    self.options = options
    self.modes = modes
    detector = options.detector
    commandKey = options.commandKey
    literalKey = options.literalKey
    pendingNotice = options.notice
  }

  var sessionName: String { connection.server?.name ?? "session" }

  mutating func run() -> AttachResult {
    var input = [UInt8](repeating: 0, count: 16 << 10)
    // Made once: an allocation per turn would sit between a key and its echo.
    var fds = [
      pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
      pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0),
      pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0),
    ]
    detector.start(now: Clock.nanos(), capabilities: renderer.capabilities)
    while true {
      fds[1].events = Int16(POLLIN) | (connection.hasPendingOutput ? Int16(POLLOUT) : 0)
      for i in fds.indices { fds[i].revents = 0 }
      var timeout: Int32 = parser.hasPending ? Self.sequenceWaitMs : -1
      if let deadline = replyDeadline {
        let now = Clock.nanos()
        let left = deadline > now ? Int32((deadline - now) / 1_000_000) + 1 : 0
        timeout = timeout < 0 ? left : min(timeout, left)
      }
      if messageShown {
        let now = Clock.nanos()
        let left = messageDeadline > now ? Int32((messageDeadline - now) / 1_000_000) + 1 : 0
        timeout = timeout < 0 ? left : min(timeout, left)
      }
      if let deadline = detector.replies.deadline {
        let now = Clock.nanos()
        let left = deadline > now ? Int32(min((deadline - now) / 1_000_000, 60_000)) + 1 : 0
        timeout = timeout < 0 ? left : min(timeout, left)
      }
      let ready = echoWait.poll(&fds, timeout: timeout)
      if ready < 0 {
        if errno == EINTR { continue }
        return AttachResult(text: "berth: poll: \(SystemError.text(for: errno))", status: 1)
      }
      do {
        if ready == 0 {
          if let deadline = replyDeadline, Clock.nanos() >= deadline { try releaseHeld() }
          if parser.hasPending { try send(parser.flushPending()) }
          if messageShown && Clock.nanos() >= messageDeadline { clearMessage() }
          let keys = detector.replies.expire(now: Clock.nanos())
          if !keys.isEmpty { try typedBytes(keys[...]) }
        }
        if fds[2].revents != 0, let result = handleSignals() { return result }
        // What the server sent goes first: a revocation of direct input (the
        // window ended or another one is shown) must be seen before typed
        // text is written to the PTY it names, or the text is lost there.
        if fds[0].revents != 0 && fds[1].revents == 0 && connection.writesDirectly
          && FD.waitReadable(connection.fd, timeoutMs: 0)
        {
          fds[1].revents = Int16(POLLIN)
        }
        if fds[1].revents & Int16(POLLOUT) != 0 { try connection.flush() }
        if fds[1].revents & ~Int16(POLLOUT) != 0 {
          echoWait.answered(now: Clock.nanos())
          let open = try connection.readAvailable()
          while let message = try connection.nextBuffered() {
            if let result = apply(message) { return result }
          }
          flushScreen()
          if !open { return connectionLost() }
        }
        if fds[0].revents != 0 {
          let n = input.withUnsafeMutableBytes { FD.read(0, into: $0) }
          if n == 0 || (n < 0 && errno != EAGAIN) {
            // The terminal is gone: leave the session running.
            return AttachResult(text: "", status: 0)
          }
          if n > 0 {
            let now = Clock.nanos()
            if detector.replies.active(now: now) {
              // The terminal's answers are cut out before the keys are read.
              let (keys, replies) = detector.replies.take(input[..<n], now: now)
              learn(replies)
              if !keys.isEmpty { try typedBytes(keys[...]) }
            } else {
              try typedBytes(input[..<n])
            }
          }
        }
      } catch {
        if connection.isClosed { return connectionLost() }
        return AttachResult(text: "berth: \(error)", status: 1)
      }
    }
  }

  /// Bytes the user typed (the terminal's answers already cut out).
  private mutating func typedBytes(_ bytes: ArraySlice<UInt8>) throws {
    if !boundSequences.isEmpty {
      try typedWithSequences(bytes)
    } else if !(try typedPlainly(bytes)) {
      try send(parser.parse(bytes))
    }
  }

  /// The terminal answered: what it takes may have changed.
  private mutating func learn(_ replies: [TerminalReply]) {
    guard !replies.isEmpty, var knowledge = detector.knowledge else { return }
    for reply in replies { knowledge.answers.learn(reply) }
    detector.knowledge = knowledge
    featuresChanged()
  }

  /// Draws by what is now known of the terminal; tells the server when its
  /// colours changed (windows opened from then on get COLORTERM).
  private mutating func featuresChanged() {
    guard let features = detector.knowledge?.features, features != renderer.features else {
      return
    }
    let colors = Attach.colors(of: renderer)
    renderer.features = features
    flushScreen()
    let now = Attach.colors(of: renderer)
    if now != colors { try? connection.post(.terminalColors(now)) }
  }

  /// The connection closed (or broke) with no exit notice: the server
  /// is upgrading, or went away and may come back.
  private func connectionLost() -> AttachResult {
    AttachResult(
      text: "berth: lost the connection to \(sessionName)", status: 1,
      reattach: upgrading ? .upgrade : .restart)
  }

  private mutating func handleSignals() -> AttachResult? {
    while let s = signals.next() {
      switch s {
      case SIGWINCH:
        if renderer.refreshSize() {
          try? connection.post(.resize(columns: renderer.columns, rows: renderer.rows))
          renderer.redraw()
          try? connection.post(.redraw)
        }
      case SIGCONT:
        renderer.redraw()
        renderer.flush()
      default:
        // The terminal hung up or the user killed the client: the session lives on.
        return AttachResult(text: "", status: 0)
      }
    }
    return nil
  }

  /// What the user did, for the program. Typed bytes go through the command
  /// key; pasted ones never do.
  private mutating func send(_ events: [InputEvent]) throws {
    for (i, event) in events.enumerated() {
      if replyDeadline != nil {
        held.append(contentsOf: events[i...])
        return
      }
      if prompt != nil {
        // A question is open: typed text and the editing keys answer it.
        if case .text(let bytes) = event { try typed(bytes[...]) }
        if case .key(let key, _) = event, var line = prompt {
          let outcome = line.press(key)
          prompt = line
          try answered(outcome)
        }
        if case .character(let code, let mods) = event {
          try typed(KeyEncoder.legacyBytes(code, mods)[...])
        }
        continue
      }
      switch event {
      case .text(let bytes): try typed(bytes[...])
      case .key(let key, let mods):
        if commandPending {
          // A special key after the command key: `bind -k`'s table.
          commandPending = false
          try connection.post(.boundSpecialKey(key, mods))
          replyDeadline = Clock.nanos() &+ Self.replyWaitNanos
          if i + 1 < events.count { held.append(contentsOf: events[(i + 1)...]) }
          return
        } else {
          try connection.post(.key(key, mods))
          echoWait.typed(now: Clock.nanos())
        }
      case .character(let code, let mods):
        // After the command key the legacy bytes choose the binding.
        if commandPending {
          try typed(KeyEncoder.legacyBytes(code, mods)[...])
        } else {
          try connection.post(.character(code, mods))
          echoWait.typed(now: Clock.nanos())
        }
      case .paste(let text): try connection.post(.paste(text))
      case .mouse(let e):
        // Only where the program asked for the mouse, and inside its window.
        if modes.mouseReporting && e.x < windowColumns && e.y < windowRows {
          try connection.post(.mouse(e))
        }
      case .focus(let focused): try connection.post(.focus(focused))
      }
    }
  }

  /// Typed bytes when bindkey has bound byte strings: each one found whole
  /// in this read runs its command; the bytes around it go the usual way.
  /// A string split between two reads is not seen (terminals send a key in
  /// one write), which spares every Esc a wait for what might follow it.
  private mutating func typedWithSequences(_ bytes: ArraySlice<UInt8>) throws {
    var start = bytes.startIndex
    var i = start
    while i < bytes.endIndex {
      guard sequenceStarts[Int(bytes[i])], prompt == nil,
        let q = boundSequences.first(where: { bytes[i...].starts(with: $0) })
      else {
        i += 1
        continue
      }
      if start < i { try send(parser.parse(bytes[start..<i])) }
      if parser.hasPending { try send(parser.flushPending()) }
      commandPending = false
      if replyDeadline != nil {
        // Still waiting on an earlier key's answer: keep the order.
        held.append(.text(Array(bytes[i...])))
        return
      }
      try connection.post(.boundSequence(q))
      replyDeadline = Clock.nanos() &+ Self.replyWaitNanos
      i += q.count
      start = i
    }
    if start < bytes.endIndex { try send(parser.parse(bytes[start...])) }
  }

  /// The common case of a key, taken without parsing or copying: plain
  /// bytes (no escape sequence, no command key) while nothing is pending go
  /// to the program as they are. False when the bytes need the full path.
  private mutating func typedPlainly(_ bytes: ArraySlice<UInt8>) throws -> Bool {
    guard !parser.hasPending, !commandPending, prompt == nil, replyDeadline == nil else {
      return false
    }
    let key = commandKey
    guard !bytes.contains(where: { $0 == 0x1B || $0 == key }) else { return false }
    if messageShown { clearMessage() }
    try bytes.withUnsafeBytes { try connection.type($0) }
    echoWait.typed(now: Clock.nanos())
    return true
  }

  /// Keys from the user: the command key and its follower are handled here,
  /// everything else goes to the program.
  private mutating func typed(_ bytes: ArraySlice<UInt8>) throws {
    if prompt != nil {
      for b in bytes { try answer(b) }
      return
    }
    var forward: [UInt8] = []
    forward.reserveCapacity(bytes.count)
    for (i, b) in zip(bytes.indices, bytes) {
      if commandPending {
        commandPending = false
        if b == literalKey {
          forward.append(commandKey)
        } else if b == UInt8(ascii: "d") || b == 0x04 {
          try flushForward(&forward)
          try connection.post(.detach)
        } else if b == UInt8(ascii: "l") || b == 0x0C {
          renderer.redraw()
          try connection.post(.redraw)
        } else if b == commandKey {
          try flushForward(&forward)
          try connection.post(.command(window: nil, ["other"]))
        } else {
          // Everything else is the session's key bindings. What follows waits
          // for the answer: it may be the answer to a question the key asks.
          try flushForward(&forward)
          try connection.post(.boundKey(b))
          replyDeadline = Clock.nanos() &+ Self.replyWaitNanos
          let rest = bytes[(i + 1)...]
          if !rest.isEmpty { held.append(.text(Array(rest))) }
          return
        }
      } else if b == commandKey {
        commandPending = true
      } else {
        forward.append(b)
      }
    }
    try flushForward(&forward)
  }

  /// The server answered a bound key (or took too long): what was typed
  /// meanwhile goes on, to a question if the key asked one.
  private mutating func releaseHeld() throws {
    replyDeadline = nil
    let events = held
    held.removeAll()
    try send(events)
  }

  /// A key for the question in the message line.
  private mutating func answer(_ b: UInt8) throws {
    guard var line = prompt else { return }
    let outcome = line.type(b)
    prompt = line
    try answered(outcome)
  }

  private mutating func answered(_ outcome: PromptLine.Outcome) throws {
    switch outcome {
    case .editing:
      showPrompt()
    case .cancelled:
      closePrompt()
    case .submit(let argv):
      closePrompt()
      try connection.post(.command(window: nil, argv))
    }
  }

  private mutating func showPrompt() {
    guard let line = prompt else { return }
    renderer.showMessage(line.display)
    renderer.setCursor(
      x: min(line.cursorColumn, renderer.columns - 1), y: renderer.rows - 1, visible: true)
    renderer.flush()
  }

  private mutating func closePrompt() {
    prompt = nil
    renderer.clearMessage()
    renderer.setCursor(x: windowCursor.x, y: windowCursor.y, visible: windowCursor.visible)
    renderer.flush()
  }

  /// Sends what was typed before a command key's command, to keep the order.
  /// A key typed takes the message away, as it does when no command follows.
  private mutating func flushForward(_ forward: inout [UInt8]) throws {
    if !forward.isEmpty {
      if messageShown { clearMessage() }
      try connection.type(forward)
    }
    forward.removeAll()
  }

  private mutating func showMessage(_ text: String) {
    guard prompt == nil else { return }
    renderer.showMessage(text)
    messageShown = true
    messageDeadline = Clock.nanos() &+ messageNanos
    renderer.flush()
  }

  private mutating func clearMessage() {
    renderer.clearMessage()
    messageShown = false
    renderer.flush()
  }

  /// Applies one server message; returns a result when the attachment ends.
  private mutating func apply(_ message: ServerMessage) -> AttachResult? {
    switch message {
    case .screen(let update):
      // A frame from the server that carried on: the upgrade is over.
      upgrading = false
      draw(update)
      if let notice = pendingNotice {
        pendingNotice = nil
        showMessage(notice)
      }
    case .bell:
      if visualBell { renderer.flash() } else { renderer.bell() }
    case .settings(let s):
      if !(options.commandKeyGiven && !settingsSeen) {
        commandKey = s.commandKey
        literalKey = s.literalKey
      }
      settingsSeen = true
      // The longest first: "^[[1;2A" wins over a bound "^[".
      boundSequences = s.boundSequences.sorted { $0.count > $1.count }
      sequenceStarts = [Bool](repeating: false, count: 256)
      for q in boundSequences { if let b = q.first { sequenceStarts[Int(b)] = true } }
      messageNanos = UInt64(max(1, s.messageSeconds)) * 1_000_000_000
      visualBell = s.visualBell
      renderer.flush()
      modes.setSessionMouse(s.mouseTrack)
    case .message(let text):
      showMessage(text)
    case .trueColorSetting(let setting):
      detector.knowledge?.trueColorSetting = setting
      featuresChanged()
    case .exit(let notice):
      renderer.flush()
      return AttachResult(
        text: notice.text, status: notice.status, suspended: notice.reason == .suspended)
    case .error(let text):
      return AttachResult(text: "berth: \(text)", status: 1)
    case .clipboard(let payload):
      renderer.flush()
      modes.copyToClipboard(payload)
    case .prompt(let p) where p.kind == .commandKey:
      // `command`: the next key is taken as if it followed the command key.
      commandPending = true
      try? releaseHeld()
    case .prompt(let p):
      messageShown = false
      prompt = PromptLine(p)
      showPrompt()
      try? releaseHeld()
    case .typeKeys(let bytes):
      // `process`: the register's keys, as if typed here.
      var keys = InputParser()
      let events = keys.parse(bytes[...]) + keys.flushPending()
      if replyDeadline != nil {
        held.append(contentsOf: events)
      } else {
        try? send(events)
      }
    case .commandResult(_, let output):
      if !output.isEmpty { showMessage(String(decoding: output, as: UTF8.self)) }
      try? releaseHeld()
    case .upgrading:
      upgrading = true
    case .decoration(let key, let decoration):
      renderer.defineDecoration(key, decoration)
    case .hello, .info, .directInput, .lines, .follow, .output, .skipped:
      break  // an attached client gets none of a follower's messages
    }
    return nil
  }

  private mutating func draw(_ update: ScreenUpdate) {
    if update.full { renderer.redraw() }
    for row in update.rowUpdates {
      row.cells.withUnsafeBufferPointer { cells in
        renderer.drawRow(row.y, cells) { key in
          key > 0 && Int(key) <= row.marks.count ? row.marks[Int(key) - 1] : []
        }
      }
    }
    if update.full || update.rows != windowRows {
      windowRows = update.rows
      renderer.clearRows(from: update.rows)
    }
    windowColumns = update.columns
    windowCursor = (update.cursorX, update.cursorY, update.cursorVisible)
    if prompt == nil {
      renderer.setCursor(x: update.cursorX, y: update.cursorY, visible: update.cursorVisible)
    }
    pendingModes = (update.modeFlags, update.cursorShape)
    // An empty title is passed on only to clear one the program set.
    if let title = update.title, title != shownTitle, !(shownTitle == nil && title.isEmpty) {
      pendingTitle = title
    }
  }

  /// Mode and title sequences go straight to the terminal, after ncurses' output.
  private mutating func flushScreen() {
    renderer.flush()
    if let (flags, shape) = pendingModes {
      modes.update(modeFlags: flags, cursorShape: shape)
      extendedKeys.follow(flags & ModeFlags.extendedKeys != 0)
      pendingModes = nil
    }
    if let title = pendingTitle {
      modes.setTitle(title)
      shownTitle = title
      pendingTitle = nil
    }
  }
}
