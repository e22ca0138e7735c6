// Commands on what a client sees: regions (split, focus, only, remove),
// copy mode, the window list and the help page.
// From `-X` they apply to every attached client.
import BerthProtocol
import BerthTerminal

extension SessionServer {
  /// `split [-v]`: a new region under (or, -v, beside) the focused one.
  func splitCommand(_ args: [String], viewers: [ClientConnection]) -> (Int32, String) {
    guard args.isEmpty || args == ["-v"] else { return (1, "split: usage: split [-v]") }
    for v in viewers {
      v.layout.split(vertical: args == ["-v"])
      relayout(v)
    }
    return (0, "")
  }

  /// `resize`: the focused region grows or shrinks along a split.
  func resizeCommand(_ args: [String], viewers: [ClientConnection]) -> (Int32, String) {
    guard let (axes, amount) = Self.resizeArguments(args) else {
      return (1, "resize: usage: resize [-h|-v|-b|-l|-p] [+|-]n[%]|=|max|min|_|0")
    }
    var resized = false
    for v in viewers {
      var changed = false
      for axis in axes where v.layout.resizeFocused(axis, amount) { changed = true }
      if changed { relayout(v) }
      resized = resized || changed
    }
    return resized || viewers.isEmpty ? (0, "") : (1, "resize: no split to resize in")
  }

  /// `focus`: another region takes the keys.
  func focusCommand(_ args: [String], viewers: [ClientConnection]) -> (Int32, String) {
    let step: Int
    switch args.first ?? "next" {
    case "next", "down", "right": step = 1
    case "prev", "up", "left": step = -1
    case "top": step = Int.min
    case "bottom": step = Int.max
    default: return (1, "focus: usage: focus [next|prev|up|down|left|right|top|bottom]")
    }
    for v in viewers {
      let regions = v.layout.regions
      if step == Int.min {
        v.layout.focus(on: regions[0])
      } else if step == Int.max {
        v.layout.focus(on: regions[regions.count - 1])
      } else {
        v.layout.moveFocus(step)
      }
      v.copy = nil
      v.overlay = nil
      if let shown = v.window {
        currentWindow = shown
        clearFlags(of: shown)
      }
      v.displayChanged()
    }
    return (0, "")
  }

  /// `only`: the focused region is left alone on the display.
  func onlyCommand(viewers: [ClientConnection]) -> (Int32, String) {
    for v in viewers {
      v.layout.keepOnlyFocused()
      // A lone region shows a window, as a display without regions does.
      if v.window == nil { v.window = window(of: v) }
      relayout(v)
    }
    return (0, "")
  }

  /// `remove`: the focused region goes, unless it is the only one.
  func removeCommand(viewers: [ClientConnection]) -> (Int32, String) {
    for v in viewers where !v.layout.isSingle {
      v.layout.removeFocused()
      v.copy = nil
      v.overlay = nil
      relayout(v)
    }
    return (0, "")
  }

  /// `copy`: copy mode in the focused region; the first viewer's answer is
  /// the command's.
  func copyCommand(viewers: [ClientConnection]) -> (Int32, String) {
    guard let v = viewers.first else { return (1, "copy: no display") }
    for other in viewers.dropFirst() { _ = enterCopyMode(other) }
    return enterCopyMode(v)
  }

  /// `lastmsg`: the last message shown, shown again.
  func lastmsgCommand(_ args: [String], viewers: [ClientConnection]) -> (Int32, String) {
    guard args.isEmpty else { return (1, "lastmsg: usage: lastmsg") }
    for v in viewers { if let text = v.lastMessage { v.send(.message(text)) } }
    return (0, "")
  }

  /// `fit`: windows take the size of the viewers' displays again.
  func fitCommand(viewers: [ClientConnection]) -> (Int32, String) {
    for v in viewers where !v.readOnly { adoptSize(of: v) }
    return (0, "")
  }

  /// `info`: the window's cursor, size, history, number, flags and title.
  func infoCommand(_ w: Window) -> (Int32, String) {
    let t = w.terminal
    return (
      0,
      "(\(t.cursorX + 1),\(t.cursorY + 1))/(\(t.columns),\(t.rows))+\(t.historyLimit) \(w.number)\(flags(of: w)) (\(w.title))"
    )
  }

  /// `time`: the date, the time, the host and the load, as screen shows them.
  func timeCommand(window w: Window?) -> (Int32, String) {
    var text = plainText("%c:%s %H", w)
    if let load = Self.readFile("/proc/loadavg") {
      text += " " + load.split(separator: " ").prefix(3).joined(separator: " ")
    }
    return (0, text)
  }

  /// `windowlist`: the list of windows to choose from.
  func windowlistCommand(viewers: [ClientConnection]) -> (Int32, String) {
    for v in viewers { openWindowList(v) }
    return (0, "")
  }

  /// `help`: the page of key bindings.
  func helpCommand(viewers: [ClientConnection]) -> (Int32, String) {
    for v in viewers { openHelp(v) }
    return (0, "")
  }

  /// `displays`: the attached clients. Typed, a page over the region; from
  /// -X (`typedBy` nil), lines to print.
  func displaysCommand(_ args: [String], typedBy: ClientConnection?) -> (Int32, String) {
    guard args.isEmpty else { return (1, "displays: usage: displays") }
    let lines = displayLines()
    guard let v = typedBy else { return (0, lines.joined(separator: "\n")) }
    v.copy = nil
    v.overlay = Overlay(kind: .page, lines: lines + ["", "[Press any key to close.]"])
    v.displayChanged()
    return (0, "")
  }

  /// resize's arguments: which way (default: along the region's last
  /// split) and how much; nil when malformed.
  static func resizeArguments(_ args: [String]) -> ([Layout.ResizeAxis], Layout.ResizeAmount)? {
    var axes: [Layout.ResizeAxis] = [.local]
    var rest = args[...]
    if let flag = rest.first, flag.count == 2, flag.hasPrefix("-"), Int(flag) == nil {
      switch flag {
      case "-h": axes = [.width]
      case "-v": axes = [.height]
      case "-b": axes = [.width, .height]
      case "-l": axes = [.local]
      case "-p": axes = [.perpendicular]
      default: return nil
      }
      rest = rest.dropFirst()
    }
    guard rest.count == 1, let only = rest.first else { return nil }
    var word = Substring(only)
    switch word {
    case "=": return (axes, .equal)
    case "max", "_": return (axes, .max)
    case "min", "0": return (axes, .min)
    default: break
    }
    let percent = word.hasSuffix("%")
    if percent { word = word.dropLast() }
    let relative = word.hasPrefix("+") || word.hasPrefix("-")
    // Digits only, and few: input must not reach an overflow.
    let digits = relative ? word.dropFirst() : word
    guard !digits.isEmpty, digits.count <= 6, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let n = Int(digits)
    else { return nil }
    let signed = word.hasPrefix("-") ? -n : n
    switch (relative, percent) {
    case (false, false): return (axes, .set(n))
    case (true, false): return (axes, .by(signed))
    case (false, true): return (axes, .setPercent(n))
    case (true, true): return (axes, .byPercent(signed))
    }
  }

  /// The attached clients, one line each: terminal, size, TERM, the window
  /// shown, and how it is attached.
  func displayLines() -> [String] {
    func pad(_ text: String, _ width: Int) -> String {
      text + String(repeating: " ", count: max(1, width - text.count))
    }
    var lines = [pad("terminal", 14) + pad("size", 9) + pad("TERM", 18) + "window"]
    for c in clients where c.isAttached {
      let size = c.hello.map { "\($0.columns)x\($0.rows)" } ?? "?"
      var line = pad(c.terminalName, 14) + pad(size, 9) + pad(c.hello?.term ?? "?", 18)
      line += c.window.map { "\($0.number) (\($0.title))" } ?? "-"
      if c.readOnly { line += "  read-only" }
      lines.append(line)
    }
    return lines
  }

  /// After the regions changed: sizes follow, and the display is drawn anew.
  func relayout(_ c: ClientConnection) {
    if let shown = c.window { currentWindow = shown }
    c.displayChanged()
    if c.phase == .attached && !c.readOnly { adoptSize(of: c) }
  }
}
