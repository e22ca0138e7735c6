// What the server does with each message a client sends.
import BerthProtocol
import BerthSystem
import BerthTerminal

extension SessionServer {
  func handle(_ message: ClientMessage, from c: ClientConnection) {
    if c.phase == .greeting {
      guard case .hello(let hello) = message else {
        c.close(with: .error("expected a hello first"))
        return
      }
      guard (1...maxDimension).contains(hello.columns), (1...maxDimension).contains(hello.rows)
      else {
        c.close(with: .error("terminal size \(hello.columns)x\(hello.rows) is out of range"))
        return
      }
      c.hello = hello
      c.phase = .ready
      c.send(.hello(ServerHello(pid: pid, name: config.sessionName)))
      return
    }
    // A follower only reads.
    if c.phase == .following {
      c.close(with: .error("a follower sends nothing"))
      return
    }
    switch message {
    case .hello:
      c.close(with: .error("hello sent twice"))
    case .follow(let request):
      follow(c, request)
    case .attach(let request):
      attach(c, request)
    case .input(var bytes):
      if isModal(c) { bytes = modalInput(bytes, from: c) }
      guard !bytes.isEmpty, let w = typist(c) else { return }
      if w.zombie == .kept { return zombieInput(bytes, in: w, from: c) }
      if awaitsFirstRun(w) { return firstRunInput(bytes, in: w) }
      w.type(bytes)
    case .key(let key, let modifiers):
      if isModal(c) {
        if runCopyBinding(byte: nil, key: KeyStroke(key: key, modifiers: modifiers), for: c) {
          return
        }
        return modalKey(byte: nil, key: key, from: c)
      }
      if c.phase == .attached,
        let binding = settings.keyBindings[KeyStroke(key: key, modifiers: modifiers)]
      {
        return run(binding, for: c, answering: false)
      }
      typist(c)?.press(key, modifiers)
    case .character(let code, let modifiers):
      // Where keys are not the program's, the legacy bytes do what they do.
      let w = typist(c)
      if isModal(c) || w.map({ $0.zombie == .kept || awaitsFirstRun($0) }) == true {
        return handle(.input(KeyEncoder.legacyBytes(code, modifiers)), from: c)
      }
      w?.pressCharacter(code, modifiers)
    case .paste(let text):
      typist(c)?.paste(text)
    case .mouse(let event):
      mouse(event, from: c)
    case .focus(let focused):
      typist(c)?.focus(focused)
    case .terminalColors(let colors):
      terminalColorsChanged(colors, of: c)
    case .resize(let columns, let rows):
      guard (1...maxDimension).contains(columns), (1...maxDimension).contains(rows) else {
        c.close(with: .error("terminal size \(columns)x\(rows) is out of range"))
        return
      }
      c.hello?.columns = columns
      c.hello?.rows = rows
      if c.phase == .attached && !c.readOnly { adoptSize(of: c) }
    case .command(let selector, let argv):
      var target = window(of: c)
      if let selector {
        guard let w = window(named: selector) else {
          c.send(.commandResult(status: 1, output: Array("no window '\(selector)'".utf8)))
          return
        }
        target = w
      }
      let (status, output) = execute(argv, from: c, window: target)
      c.send(.commandResult(status: status, output: Array(output.utf8)))
    case .boundKey(let key):
      guard c.phase == .attached else { return }
      runBinding(key, for: c)
    case .boundSpecialKey(let key, let modifiers):
      guard c.phase == .attached else { return }
      runSpecialBinding(KeyStroke(key: key, modifiers: modifiers), for: c)
    case .boundSequence(let bytes):
      guard c.phase == .attached else { return }
      runSequence(bytes, for: c)
    case .detach:
      detach(c, reason: .detached)
    case .info:
      c.send(.info(info))
    case .redraw:
      c.forgetScreen()
    }
  }

  /// The window c types into, nil when it may not type; a client that types
  /// makes its window its size.
  func typist(_ c: ClientConnection) -> Window? {
    guard c.phase == .attached, !c.readOnly else { return nil }
    // An empty region takes no keys.
    if !c.layout.isSingle && c.window == nil { return nil }
    adoptSize(of: c)
    return window(of: c)
  }

  var info: SessionInfo {
    SessionInfo(
      pid: pid, name: config.sessionName, created: created,
      attachedClients: clients.filter(\.isAttached).count,
      windows: windows.count)
  }

  private func attach(_ c: ClientConnection, _ request: AttachRequest) {
    guard c.phase == .ready else {
      c.close(with: .error("attach sent twice"))
      return
    }
    if request.detachOthers {
      for other in clients where other !== c && other.phase == .attached {
        detach(other, reason: .detachedElsewhere)
      }
    }
    var target = currentWindow
    if let selector = request.window {
      guard let w = window(named: selector) else {
        c.close(with: .error("there is no window '\(selector)' in \(config.sessionName)"))
        return
      }
      target = w
    }
    // The berth that created the session is screen's first display: it has
    // the window current before the last as its other window.
    let creator = c.awaitingAttach
    c.phase = .attached
    c.awaitingAttach = false
    c.readOnly = request.readOnly
    c.forgetScreen()
    sendSettings(to: c)
    if let target { show(target, to: c) }
    if creator, c.previousWindow == nil, let other = windowBefore, other !== c.window,
      windows.contains(where: { $0 === other })
    {
      c.previousWindow = other
    }
    applyStartupLayout(to: c)
    loadAttachLayout(into: c)
    // The window asked for with -p goes in front of the startup layout.
    if request.window != nil, let target { show(target, to: c) }
    for text in pendingMessages { c.send(.message(text)) }
    pendingMessages.removeAll()
  }

  /// A window takes the size of the client that most recently attached to
  /// it, switched to it, typed in it or resized.
  func adoptSize(of c: ClientConnection) {
    guard let h = c.hello else { return }
    guard isComposed(c) else {
      window(of: c)?.resize(columns: h.columns, rows: h.rows)
      return
    }
    // Each region's window takes the region's size.
    arrange(c)
    for r in c.layout.regions {
      r.window?.resize(columns: r.width, rows: r.height)
    }
  }

  func detach(_ c: ClientConnection, reason: ExitReason) {
    let text =
      reason == .detachedElsewhere
      ? "[remote detached from \(config.sessionName)]" : "[detached from \(config.sessionName)]"
    c.close(with: .exit(ExitNotice(reason: reason, status: 0, text: text)))
  }

  /// Bells and clipboard copies a program sent, for the clients showing its
  /// window (a bell elsewhere is announced, as screen does).
  func deliverTerminalEvents(of w: Window) {
    let bell = w.terminal.takeBells() > 0
    let clipboard = w.terminal.takeClipboard()
    guard bell || clipboard != nil else { return }
    let shown = isShown(w)
    if bell && !shown {
      w.bellSeen = true
      sessionVersion &+= 1
    }
    for c in clients where c.isAttached {
      let here = c.layout.regions.contains { $0.window === w }
      // A bell elsewhere is announced, as screen does.
      if bell { c.send(here ? .bell : .message(expand(settings.bellMessage, w))) }
      if let clipboard, here { c.send(.clipboard(clipboard)) }
    }
  }

  // MARK: - Frames

  /// Sends frames to attached clients that are due one; returns the poll
  /// timeout in ms until the next paced frame (-1: none waiting).
  func sendFrames(now: UInt64) -> Int32 {
    var timeout: Int32 = -1
    func wait(_ ms: Int32) { timeout = timeout < 0 ? ms : min(timeout, ms) }
    var framed: [Window] = []
    for c in clients where c.isAttached && !c.hasPendingOutput {
      guard let w = window(of: c) else { continue }
      guard c.needsFull || c.sentGeneration != frameStamp(c) else { continue }
      // A program drawing a synchronized update (mode 2026) is shown when it
      // ends it, or after a bound, so that no client sees half a frame.
      if let since = w.synchronizedSince, now &- since < Self.synchronizedLimitNanos {
        wait(Int32((Self.synchronizedLimitNanos - (now &- since)) / 1_000_000) + 1)
        continue
      }
      let elapsed = now &- c.lastFrameNanos
      let flooding =
        isComposed(c)
        ? c.layout.regions.contains { ($0.window?.bytesSinceFrame ?? 0) > Self.floodBytes }
        : w.bytesSinceFrame > Self.floodBytes
      if flooding && !c.needsFull && elapsed < Self.frameIntervalNanos {
        wait(Int32((Self.frameIntervalNanos - elapsed) / 1_000_000) + 1)
        continue
      }
      if let bytes = frame(for: c, now: now) { c.queue(bytes) }
      framed.append(w)
      if isComposed(c) { framed += c.layout.regions.compactMap(\.window) }
    }
    for w in framed { w.bytesSinceFrame = 0 }
    return timeout
  }

  /// The frame that brings client c up to date, or nil when nothing it sees
  /// changed; the definitions of decoration keys it uses come first.
  func frame(for c: ClientConnection, now: UInt64) -> [UInt8]? {
    var bytes = buildFrame(for: c, now: now)
    if c.decorations.overflowed {
      // The client's keys ran out: give them out again, with every row sent.
      c.decorations.reset()
      c.needsFull = true
      bytes = buildFrame(for: c, now: now)
      c.decorations.acceptOverflow()
    }
    let definitions = c.decorations.takeDefinitions()
    guard !definitions.isEmpty else { return bytes }
    return definitions + (bytes ?? [])
  }

  private func buildFrame(for c: ClientConnection, now: UInt64) -> [UInt8]? {
    if isComposed(c) { return composedFrame(for: c, now: now) }
    guard let w = window(of: c) else { return nil }
    let t = w.terminal
    c.sentGeneration = w.generation
    c.lastFrameNanos = now
    if c.sentVersions.count != t.rows || !c.sentRows.isEmpty {
      c.sentVersions = Array(repeating: .max, count: t.rows)
      c.needsFull = true
    }
    let modes = modeFlags(t.modes)
    let cursor = (
      x: t.cursorX, y: t.cursorY, visible: t.cursorVisible, shape: t.cursorShape.rawValue,
      modes: modes
    )
    let title = t.title
    let full = c.needsFull
    var header = ScreenUpdate(
      columns: t.columns, rows: t.rows, cursorX: cursor.x, cursorY: cursor.y,
      cursorVisible: cursor.visible, cursorShape: cursor.shape, full: full,
      title: full || title != c.sentTitle ? title : nil, modeFlags: modes)
    if full { header.full = true }
    var encoder = ScreenUpdateEncoder(header: header)
    for y in 0..<t.rows {
      let version = t.rowVersion(y)
      guard full || version != c.sentVersions[y] else { continue }
      c.sentVersions[y] = version
      t.withRow(y) { cells in
        encoder.appendRow(y, cells, marks: t.combiningMarks) { c.decorations.key($0, of: t) }
      }
    }
    let cursorMoved =
      cursor.x != c.sentCursor.x || cursor.y != c.sentCursor.y
      || cursor.visible != c.sentCursor.visible || cursor.shape != c.sentCursor.shape
      || cursor.modes != c.sentCursor.modes
    guard full || encoder.rowsAppended > 0 || cursorMoved || header.title != nil else { return nil }
    c.needsFull = false
    c.sentTitle = title
    c.sentCursor = cursor
    c.sentRows.removeAll()
    return encoder.finish()
  }

  /// The modes the client mirrors to the user's terminal.
  func modeFlags(_ m: Modes) -> UInt32 {
    (m.bracketedPaste ? ModeFlags.bracketedPaste : 0) | (m.focusEvents ? ModeFlags.focusEvents : 0)
      | (m.applicationCursorKeys ? ModeFlags.applicationCursor : 0)
      | (m.applicationKeypad ? ModeFlags.applicationKeypad : 0)
      | (m.wantsExtendedKeys ? ModeFlags.extendedKeys : 0)
      | UInt32(m.mouseTracking.rawValue) << ModeFlags.mouseTrackingShift
      | UInt32(m.mouseEncoding.rawValue) << ModeFlags.mouseEncodingShift
  }
}
