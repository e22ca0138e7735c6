// Keys for what the server shows over a region: copy mode and the lists.
// The client sends them as it sends keys for the program; while one of
// these is open they are answered here instead.
import BerthProtocol
import BerthSystem
import BerthTerminal

extension SessionServer {
  /// Whether c's keys go to copy mode or a list rather than the program.
  func isModal(_ c: ClientConnection) -> Bool { c.copy != nil || c.overlay != nil }

  /// Bytes typed while copy mode or a list is open; what follows its end
  /// goes on to the program. Returns those bytes.
  /// `keyBindings`: bindkey -m's keys apply (not to the keys a bound key
  /// stuffs, which copy mode takes as they are, as screen's does).
  func modalInput(_ bytes: [UInt8], from c: ClientConnection, keyBindings: Bool = true)
    -> [UInt8]
  {
    for (i, b) in bytes.enumerated() {
      guard isModal(c) else { return Array(bytes[i...]) }
      if keyBindings && runCopyBinding(byte: b, key: nil, for: c) { continue }
      modalKey(byte: b, key: nil, from: c)
    }
    return []
  }

  func modalKey(byte: UInt8?, key: Key?, from c: ClientConnection) {
    arrange(c)
    let height = c.layout.focus.height
    c.displayChanged()
    if var overlay = c.overlay {
      let outcome =
        key.map { overlay.press($0, height: height) } ?? overlay.type(byte ?? 0, height: height)
      c.overlay = overlay
      switch outcome {
      case .stay: break
      case .close: c.overlay = nil
      case .select(let n):
        c.overlay = nil
        if let w = windows.first(where: { $0.number == n }) { show(w, to: c) }
      }
      return
    }
    guard var copy = c.copy, let w = c.window else {
      c.copy = nil
      return
    }
    let t = w.terminal
    let outcome =
      key.map { copy.press($0, t, height: height) }
      ?? copy.type(byte.map { settings.markKeys[$0] ?? $0 } ?? 0, t, height: height)
    c.copy = copy
    switch outcome {
    case .stay: break
    case .leave:
      c.copy = nil
      c.send(.message("Copy mode aborted"))
    case .message(let text): c.send(.message(text))
    case .copy(let copied):
      c.copy = nil
      keepCopy(copied, from: c, window: w)
    }
    if c.copy == nil { c.forgetScreen() }
  }

  /// Puts what copy mode copied in the paste buffer (after what it holds,
  /// in append mode), tells the user as screen does, hands it to the
  /// user's terminal, and writes the exchange file when > asked for it.
  private func keepCopy(_ copied: CopyMode.Copied, from c: ClientConnection, window w: Window) {
    // Lines joined by CR inside the buffer, as screen's copy mode joins them.
    let typed = BufferText.typed
    if copied.append {
      // Nothing copied adds nothing, not even the separator. screen puts the
      // separator first even into an empty buffer, where a paste would then
      // begin with an Enter; berth does not.
      if !copied.text.isEmpty {
        pasteBuffer += typed((pasteBuffer.isEmpty ? [] : copied.separator) + copied.text)
      }
      c.send(.message("Appended \(copied.text.count) characters to buffer"))
    } else {
      pasteBuffer = typed(copied.text)
      c.send(.message("Copied \(copied.text.count) characters into buffer"))
    }
    // The user's terminal gets it too (OSC 52), where the client passes it on.
    c.send(.clipboard(Array("c;".utf8) + Base64.encode(BufferText.filed(pasteBuffer))))
    guard copied.writeFile else { return }
    let (status, problem) = writebufCommand([])
    c.send(.message(status == 0 ? "Copybuffer written to \"\(visible(bufferFile))\"." : problem))
  }

  /// C-a [: copy mode on c's window.
  func enterCopyMode(_ c: ClientConnection) -> (Int32, String) {
    guard let w = c.window else { return (1, "copy: there is no window here") }
    c.overlay = nil
    c.copy = CopyMode(w.terminal, ignoreCase: settings.ignoreCase)
    c.displayChanged()
    return (
      0,
      "Copy mode - Column \(w.terminal.cursorX + 1) Line \(w.terminal.cursorY + 1)(+\(w.terminal.historyCount)) (\(w.terminal.columns),\(w.terminal.rows))"
    )
  }

  /// C-a ": the window list, the current window selected.
  func openWindowList(_ c: ClientConnection) {
    var lines = ["Num Name" + String(repeating: " ", count: 22) + "Flags"]
    var numbers: [Int] = []
    for w in windows {
      let n = String(w.number)
      var name = w.title
      if name.count > 24 { name = String(name.prefix(24)) }
      lines.append(
        String(repeating: " ", count: max(0, 3 - n.count)) + n + " " + name
          + String(repeating: " ", count: max(1, 26 - name.count)) + flags(of: w)
          + (w.careMark.isEmpty ? "" : " " + w.careState(now: Clock.nanos())))
      numbers.append(w.number)
    }
    var list = Overlay(kind: .windowList, lines: lines, numbers: numbers)
    list.selected = windows.firstIndex { $0 === c.window } ?? 0
    c.copy = nil
    c.overlay = list
    c.displayChanged()
  }

  /// C-a ?: the key bindings in force.
  func openHelp(_ c: ClientConnection) {
    let key = keyName(settings.commandKey)
    var lines = [
      "Screen key bindings. Command key: \(key)  Literal \(key): \(keyName(settings.literalKey))",
      "",
    ]
    var entries = [
      ("d ^D", "detach"), ("l ^L", "redisplay"), (keyName(settings.commandKey), "other"),
      (keyName(settings.literalKey), "meta"),
    ]
    // Keys with the same command are listed together.
    var byCommand: [String: [UInt8]] = [:]
    for (k, b) in settings.bindings { byCommand[b.command, default: []].append(k) }
    for (command, keys) in byCommand {
      entries.append((keys.sorted().map { keyName($0) }.joined(separator: " "), command))
    }
    entries.sort { $0.1 < $1.1 }
    for (keys, command) in entries {
      lines.append(keys + String(repeating: " ", count: max(1, 12 - keys.count)) + command)
    }
    if !settings.keyBindings.isEmpty {
      lines += ["", "Keys bound with bindkey:"]
      for line in keyBindingList {
        lines.append(
          line.key + String(repeating: " ", count: max(1, 12 - line.key.count)) + line.command)
      }
    }
    lines += ["", "[Press Space for next page; any other key to quit.]"]
    c.copy = nil
    c.overlay = Overlay(kind: .page, lines: lines)
    c.displayChanged()
  }
}

/// Base64 (RFC 4648, with padding), for OSC 52.
enum Base64 {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i < bytes.count {
      let b0 = UInt32(bytes[i])
      let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
      let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
      let v = b0 << 16 | b1 << 8 | b2
      out.append(alphabet[Int(v >> 18 & 63)])
      out.append(alphabet[Int(v >> 12 & 63)])
      out.append(i + 1 < bytes.count ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
      out.append(i + 2 < bytes.count ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
      i += 3
    }
    return out
  }
}
