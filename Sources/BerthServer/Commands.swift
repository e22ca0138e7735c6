// Screen commands, as sent by `berth -X command args...`. Each returns an
// exit status and a line for the user (empty on quiet success).
import BerthProtocol
import BerthSystem
import Glibc

extension SessionServer {
  /// Runs a command for client c (attached, or a `berth -X`), acting on window w.
  func execute(_ argv: [String], from c: ClientConnection, window w: Window?) -> (Int32, String) {
    guard let name = argv.first else { return (1, "no command given") }
    guard let entry = CommandEntry.named[name] else { return (1, "unknown command '\(name)'") }
    commandsRun &+= 1
    // A read-only client looks but does not touch, by keys or by command.
    if c.readOnly && !entry.readOnlyAllowed { return (1, "\(name): this client is read-only") }
    if entry.needsWindow && w == nil { return (1, "\(name): there is no window") }
    // Window switches apply to the client that typed them, or, from -X, to
    // every attached client.
    let viewers =
      c.phase == .attached ? [c] : clients.filter(\.isAttached)
    return entry.handler(
      self,
      CommandCall(name: name, args: Array(argv.dropFirst()), client: c, window: w, viewers: viewers)
    )
  }

  // The commands on the session and its windows that have no file of their
  // own, one function each; the table (CommandTable.swift) calls them.

  /// quit: ends the session and every window.
  func quitCommand() -> (Int32, String) {
    quit(reason: "[\(config.sessionName) is terminating]")
    return (0, "")
  }

  /// detach: the viewers leave; the one that typed it hears it was itself.
  func detachCommand(_ call: CommandCall) -> (Int32, String) {
    for other in call.viewers {
      detach(other, reason: other === call.client ? .detached : .detachedElsewhere)
    }
    return (0, "")
  }

  func suspendCommand(_ call: CommandCall) -> (Int32, String) {
    for v in call.viewers {
      v.close(with: .exit(ExitNotice(reason: .suspended, status: 0, text: "")))
    }
    return (0, "")
  }

  func redisplayCommand(_ call: CommandCall) -> (Int32, String) {
    for other in call.viewers { other.forgetScreen() }
    return (0, "")
  }

  /// select n|title|-: that window for the viewers ("-": none).
  func selectCommand(_ call: CommandCall) -> (Int32, String) {
    let (args, w, viewers) = (call.args, call.window, call.viewers)
    guard let selector = args.first, args.count == 1 else {
      return (1, "select: usage: select n|title|-")
    }
    if selector == "-" {
      for v in viewers { v.forgetScreen() }
      return (0, "")
    }
    // "." is the window the command acts on (screen's current window).
    guard let target = selector == "." ? w : window(named: selector) else {
      return (1, "select: no window '\(selector)'")
    }
    for v in viewers { show(target, to: v) }
    if viewers.isEmpty { show(target, to: nil) }
    return (0, "")
  }

  /// next (step 1) and prev (step -1): the neighbouring window.
  func nextPrevCommand(_ call: CommandCall, step: Int) -> (Int32, String) {
    let (w, viewers) = (call.window, call.viewers)
    guard let target = neighbour(of: w, step: step), target !== w else {
      return (1, "No other window.")
    }
    for v in viewers { show(target, to: v) }
    if viewers.isEmpty { show(target, to: nil) }
    return (0, "")
  }

  /// other: each viewer's previous window, while it is still there.
  func otherCommand(_ call: CommandCall) -> (Int32, String) {
    for v in call.viewers {
      guard let p = v.previousWindow, windows.contains(where: { $0 === p }) else { continue }
      show(p, to: v)
    }
    return (0, "")
  }

  func windowsCommand(_ call: CommandCall) -> (Int32, String) {
    // Marked as screen marks them: the display's window `*`, its previous
    // one `-`; from -X/-Q, those of the display that typed last, and no
    // marks when no display is attached.
    guard let display = call.client.isAttached ? call.client : call.viewers.first else {
      return (0, windowList(marking: nil, previous: nil))
    }
    return (0, windowList(marking: window(of: display), previous: display.previousWindow))
  }

  func numberCommand(_ call: CommandCall) -> (Int32, String) {
    guard let w = call.window else { return (1, "no window") }
    // A display shows screen's message; -Q prints what scripts parse: "1 (logs)".
    guard call.client.isAttached else { return (0, "\(w.number) (\(w.title))") }
    return (0, "This is window \(w.number) (\(w.title)).")
  }

  func commandsCommand(_ call: CommandCall) -> (Int32, String) {
    listCommands(typedBy: call.client.phase == .attached ? call.client : nil)
  }

  // The commands on a window: the table gives them one.

  /// stuff string...: the string, escapes decoded, typed into the window.
  func stuffCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    guard !args.isEmpty else { return (1, "stuff: usage: stuff string") }
    var bytes = StringEscapes.decode(args.joined(separator: " "))
    // From a copy-mode key (bindkey -m): the keys are copy mode's.
    if let target = stuffTarget, isModal(target) {
      bytes = modalInput(bytes, from: target, keyBindings: false)
    }
    if awaitsFirstRun(w) {
      firstRunInput(bytes, in: w)
      return (0, "")
    }
    w.queueRaw(bytes)
    return (0, "")
  }

  /// title [name]: names the window, or, without a name, answers its title.
  func titleCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    guard !args.isEmpty else { return (0, w.title) }
    w.name = args.joined(separator: " ")
    sessionVersion &+= 1
    return (0, "")
  }

  func killCommand(_ w: Window) -> (Int32, String) {
    killWindow(w)
    return (0, "")
  }

  func clearCommand(_ w: Window) -> (Int32, String) {
    // The screen's lines go up into the history, as output would push them.
    w.showNotice("\u{1B}[\(w.terminal.rows)S\u{1B}[H\u{1B}[2J")
    return (0, "")
  }

  func resetCommand(_ w: Window) -> (Int32, String) {
    // The terminal as it starts (RIS): modes, scroll region, character sets.
    w.showNotice("\u{1B}c")
    return (0, "")
  }

  /// meta, xon and xoff: one byte for the program (the command key itself,
  /// ^Q or ^S).
  func sendByteCommand(_ byte: UInt8, _ w: Window) -> (Int32, String) {
    w.queueRaw([byte])
    return (0, "")
  }

  /// screen [-t title] [-L] [-M] [-h lines] [n] [cmd args...]: a new window,
  /// shown to the viewers; numbered n when n is free (else the next free
  /// number), logging with -L, monitored for activity with -M, as in screen.
  func screenCommand(_ call: CommandCall) -> (Int32, String) {
    let (args, viewers, w) = (call.args, call.viewers, call.window)
    let usage = (
      Int32(1),
      "screen: usage: screen [-t title] [-L] [-M] [-h lines] [--restart=policy] [--restart-limit=n] [n] [command [args...]]"
    )
    var rest = args[...]
    var title: String?
    var history: Int?
    var (logging, monitoring) = (false, false)
    var restart = RestartOptions()
    while let option = rest.first, option.hasPrefix("-"), option.count > 1 {
      rest = rest.dropFirst()
      // -t and -h take the next word, or the rest of their own (-tname).
      func value() -> String? {
        if option.count > 2 { return String(option.dropFirst(2)) }
        defer { rest = rest.dropFirst() }
        return rest.first
      }
      switch option {
      case "-L": logging = true
      case "-M": monitoring = true
      case "-f", "-fn", "-fa", "-l", "-ln", "-a": break  // flow control, utmp, capabilities: nothing here
      case _ where RestartOptions.isOption(option):
        if let error = restart.take(option) { return (1, "screen: \(error)") }
      case _ where option.hasPrefix("-t"):
        guard let t = value() else { return usage }
        title = t
      case _ where option.hasPrefix("-h"):
        guard let v = value(), let n = Int(v), (0...10_000_000).contains(n) else { return usage }
        history = n
      default:
        return usage
      }
    }
    // A leading number is the window's number, as in `screen -t shell 1 bash`.
    var number: Int?
    if let first = rest.first, (1...4).contains(first.utf8.count),
      first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    {
      number = Int(first)
      rest = rest.dropFirst()
    }
    let size =
      viewers.first?.hello.map { ($0.columns, $0.rows) }
      ?? w.map { ($0.terminal.columns, $0.terminal.rows) } ?? (config.columns, config.rows)
    do {
      let opened = try openWindow(
        rest.isEmpty ? nil : Array(rest), title: title, columns: size.0, rows: size.1,
        number: number, historyLimit: history,
        logging: logging, restart: restart)
      for v in viewers { show(opened, to: v) }
      if viewers.isEmpty { show(opened, to: nil) }
      if monitoring { _ = monitor("monitor", ["on"], opened) }
      return (0, "")
    } catch let error as SpawnError {
      return (error.status, "\(error)")
    } catch {
      return (1, "screen: \(error)")
    }
  }

  /// "0 bash  1-$ vim  2* top": screen's window list, * the current, - the
  /// previous, and the flags of monitoring and logging.
  func windowList(marking current: Window?, previous: Window?) -> String {
    windows.map { w in
      "\(w.number)\(flags(of: w, current: current, previous: previous)) \(w.title)"
    }.joined(separator: "  ")
  }

  /// hardcopy [-h] [file]: the screen (with -h, its history too) into a file.
  func hardcopyCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    var includeHistory = false
    var rest = args[...]
    if rest.first == "-h" {
      includeHistory = true
      rest = rest.dropFirst()
    }
    guard rest.count <= 1 else { return (1, "hardcopy: usage: hardcopy [-h] [file]") }
    let path =
      rest.first ?? (settings.hardcopyDirectory.map { $0 + "/" } ?? "") + "hardcopy.\(w.number)"
    let text = w.terminal.hardcopy(includeHistory: includeHistory)
    switch FD.writeFile(path, text, append: settings.hardcopyAppend) {
    case .open(let code)?:
      return (1, "hardcopy: cannot open \(path): \(SystemError.text(for: code))")
    case .write(let code)?:
      return (1, "hardcopy: cannot write \(path): \(SystemError.text(for: code))")
    case nil: break
    }
    return (0, "")
  }
}

/// Screen's string escapes, as `stuff` and key bindings use them:
/// `^X` for a control character (`^?` is DEL), and backslash escapes
/// `\n \r \t \b \f \a \e \\ \^` and octal `\ooo`.
public enum StringEscapes {
  public static func decode(_ text: String) -> [UInt8] {
    let s = Array(text.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < s.count {
      let b = s[i]
      if b == UInt8(ascii: "^"), i + 1 < s.count {
        let n = s[i + 1]
        if n == UInt8(ascii: "?") {
          out.append(0x7F)
        } else if n >= 0x40 && n < 0x80 {
          out.append(n & 0x1F)
        } else {
          out.append(b)
          i += 1
          continue
        }
        i += 2
        continue
      }
      guard b == UInt8(ascii: "\\"), i + 1 < s.count else {
        out.append(b)
        i += 1
        continue
      }
      let n = s[i + 1]
      i += 2
      switch n {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "a"): out.append(0x07)
      case UInt8(ascii: "e"), UInt8(ascii: "E"): out.append(0x1B)
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var value = Int(n - UInt8(ascii: "0"))
        var digits = 1
        while digits < 3, i < s.count, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "7") {
          value = value * 8 + Int(s[i] - UInt8(ascii: "0"))
          i += 1
          digits += 1
        }
        out.append(UInt8(truncatingIfNeeded: value))
      default: out.append(n)  // \\ \^ and any other escaped character stand for themselves
      }
    }
    return out
  }
}
