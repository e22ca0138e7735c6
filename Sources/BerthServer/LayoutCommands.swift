// The `layout` command: the session's named layouts (NamedLayouts.swift)
// saved from clients' regions and loaded into them, as screen's. Typed, a
// subcommand acts on the client that typed it; from -X on every attached
// client (those that mean one display take the first); with none attached,
// on the layout the next client to attach loads, as screen does without a
// display. The startup file's layout commands act on a display of its own
// (its regions are built by playing the file's region commands), so that a
// .screenrc's `layout new`, splits and `layout save` keep what they say;
// the first client to attach, or the first other layout command, ends it.
import BerthProtocol
import BerthSystem
import Glibc

/// The display the startup file's layout commands act on.
struct StartupDisplay {
  let client: ClientConnection
  /// How many of the startup file's recorded region commands it has played.
  var played = 0
}

extension ClientConnection {
  /// The stand-in the startup file's commands come from (it has no socket).
  var readsStartupFile: Bool { fd < 0 }
}

extension SessionServer {
  static let layoutUsage =
    "layout: usage: layout new|save|select|next|prev|remove|title|number|attach|autosave|show|dump [argument]"

  private static let layoutUsages = [
    "new": "layout new [[n:]title]", "save": "layout save [title]",
    "select": "layout select n|title|-", "next": "layout next", "prev": "layout prev",
    "remove": "layout remove [n|title]", "title": "layout title [title]",
    "number": "layout number [0-9]", "attach": "layout attach [n|title|:last]",
    "autosave": "layout autosave [on|off]", "show": "layout show", "dump": "layout dump [file]",
  ]

  /// Runs `layout subcommand [argument]`.
  func executeLayout(_ args: [String], from c: ClientConnection, viewers: [ClientConnection])
    -> (Int32, String)
  {
    guard let sub = args.first else { return (1, Self.layoutUsage) }
    let rest = Array(args.dropFirst())
    guard let usage = Self.layoutUsages[sub] else { return (1, "unknown layout subcommand") }
    let maxArguments = ["next", "prev", "show"].contains(sub) ? 0 : 1
    guard rest.count <= maxArguments, rest.first?.isEmpty != true || sub == "attach" else {
      return (1, "layout \(sub): usage: \(usage)")
    }
    let displays: [ClientConnection]
    if c.readsStartupFile {
      displays = [startupDisplay(for: c)]
    } else {
      finishStartupDisplay()
      displays = c.phase == .attached ? [c] : viewers
    }
    let argument = rest.first
    switch sub {
    case "new": return newLayout(argument, on: displays)
    case "save": return saveLayout(argument, from: displays.first)
    case "select":
      guard let argument else {
        guard c.phase == .attached else { return (1, "layout select: usage: \(usage)") }
        c.send(
          .prompt(Prompt(kind: .line, text: "Switch to layout: ", command: ["layout", "select"])))
        return (0, "")
      }
      return selectLayout(argument, on: displays)
    case "next", "prev":
      guard !namedLayouts.isEmpty else { return (1, "no layout defined") }
      func step(_ from: NamedLayout?) -> NamedLayout? {
        sub == "next" ? namedLayouts.after(from) : namedLayouts.before(from)
      }
      if displays.isEmpty, let target = step(namedLayouts.attaching) {
        namedLayouts.attach = .layout(target)
      }
      for v in displays {
        if let target = step(v.namedLayout), target !== v.namedLayout {
          switchLayout(v, to: target)
        }
      }
      return (0, "")
    case "remove": return removeLayout(argument, on: displays)
    case "attach": return attachLayout(argument)
    case "show":
      guard !namedLayouts.isEmpty else { return (0, "No layouts defined") }
      return (0, namedLayouts.listing(marking: displays.first?.namedLayout))
    case "dump":
      guard let v = displays.first else { return (1, "Must have a display for 'layout dump'.") }
      return dumpLayout(of: v, to: argument ?? "layout-dump")
    default:
      return describeLayout(sub, argument, on: displays.first)
    }
  }

  /// layout new [[n:]title]: a layout numbered from n (else the lowest
  /// free number), titled "layout" unless named; the displays change to
  /// it, each showing one region with its window.
  private func newLayout(_ argument: String?, on displays: [ClientConnection]) -> (Int32, String) {
    var start = 0
    var title = argument ?? ""
    // "2:name" and "2" number the layout; "2x" is a title.
    let digits = title.prefix { $0.isASCII && $0.isNumber }
    if !digits.isEmpty, digits.count == title.count || title.dropFirst(digits.count).first == ":" {
      start = Int(digits) ?? 0
      title = String(title.dropFirst(digits.count).dropFirst())
    }
    if title.isEmpty { title = "layout" }
    let shown = displays.first.flatMap { window(of: $0) }
    guard let made = namedLayouts.make(title: title, from: start, saved: .single(shown)) else {
      return (1, "No more layouts")
    }
    if displays.isEmpty { namedLayouts.attach = .layout(made) }
    for v in displays {
      autosave(v)
      v.layout = Layout(window: window(of: v))
      v.namedLayout = made
      settle(v)
    }
    return (0, "")
  }

  /// layout save [title]: the display's regions kept in the layout of that
  /// title (made if there is none: by title only, as in screen), or in its
  /// current layout; the display is on that layout from now on.
  private func saveLayout(_ title: String?, from v: ClientConnection?) -> (Int32, String) {
    guard let v else { return (1, "layout save: there is no display to save") }
    let target: NamedLayout
    if let title {
      if let found = namedLayouts.titled(title) {
        target = found
      } else {
        guard let made = namedLayouts.make(title: title, from: 0, saved: v.layout.arrangement())
        else { return (1, "No more layouts") }
        target = made
      }
    } else {
      guard let current = v.namedLayout else { return (1, "not on a layout") }
      target = current
    }
    target.saved = v.layout.arrangement()
    v.namedLayout = target
    return (0, "")
  }

  /// layout select n|title|-: the displays change to that layout (`-`: to
  /// none, one region); with none attached it is the one to attach to.
  private func selectLayout(_ selector: String, on displays: [ClientConnection]) -> (Int32, String)
  {
    if selector == "-" {
      if displays.isEmpty { namedLayouts.attach = .none }
      for v in displays { switchLayout(v, to: nil) }
      return (0, "")
    }
    guard let target = namedLayouts.find(selector) else { return (1, "No such layout") }
    if displays.isEmpty { namedLayouts.attach = .layout(target) }
    var message = ""
    for v in displays {
      if v.namedLayout === target {
        message = "This IS layout \(target.label)."
      } else {
        switchLayout(v, to: target)
      }
    }
    return (0, message)
  }

  /// layout remove [n|title]: forgets a layout (the display's current one
  /// when none is named). Displays that showed it keep their regions; the
  /// ones the command came from change to the next layout, as in screen.
  private func removeLayout(_ selector: String?, on displays: [ClientConnection]) -> (Int32, String)
  {
    let gone: NamedLayout
    if let selector {
      guard let found = namedLayouts.find(selector) else {
        return (1, "unknown layout '\(selector)'")
      }
      gone = found
    } else if let v = displays.first {
      guard let current = v.namedLayout else { return (1, "not on a layout") }
      gone = current
    } else {
      guard let first = namedLayouts.all.first else { return (1, "no layout defined") }
      gone = first
    }
    let successor = namedLayouts.remove(gone)
    let everyone = clients + (startupDisplay.map { [$0.client] } ?? [])
    for v in everyone where v.namedLayout === gone {
      v.namedLayout = nil
      if let successor, displays.contains(where: { $0 === v }) { switchLayout(v, to: successor) }
    }
    return (0, "")
  }

  /// layout attach [n|title|:last]: the layout a client attaching loads:
  /// the one the last client to detach was on (:last, the default), a
  /// given one, or none ("").
  private func attachLayout(_ argument: String?) -> (Int32, String) {
    guard let argument else {
      switch namedLayouts.attach {
      case .none: return (0, "no attach layout set")
      case .last: return (0, "will attach to last layout")
      case .layout(let l): return (0, "will attach to layout \(l.label)")
      }
    }
    if argument == ":last" {
      namedLayouts.attach = .last
    } else if argument.isEmpty {
      namedLayouts.attach = .none
    } else {
      guard let found = namedLayouts.find(argument) else {
        return (1, "unknown layout '\(argument)'")
      }
      namedLayouts.attach = .layout(found)
    }
    return (0, "")
  }

  /// layout title, number and autosave: about the display's layout (with
  /// none attached, the one a client attaching loads), or changing it.
  private func describeLayout(_ sub: String, _ argument: String?, on v: ClientConnection?)
    -> (Int32, String)
  {
    let current = v == nil ? namedLayouts.attaching : v?.namedLayout
    if sub == "title", v == nil, current == nil, let argument {
      // Without a display screen makes the layout to attach to.
      guard let made = namedLayouts.make(title: argument, from: 0, saved: .single(nil)) else {
        return (1, "No more layouts")
      }
      namedLayouts.attach = .layout(made)
      return (0, "")
    }
    guard let current else { return (1, "not on a layout") }
    switch sub {
    case "title":
      guard let argument else { return (0, "current layout is \(current.label)") }
      current.title = argument
    case "number":
      guard let argument else { return (0, "This is layout \(current.label).") }
      guard argument.count <= 2, argument.allSatisfy({ $0.isASCII && $0.isNumber }),
        let n = Int(argument), n < NamedLayouts.limit
      else {
        return (1, "layout number: \(argument): give a number from 0 to \(NamedLayouts.limit - 1)")
      }
      namedLayouts.renumber(current, to: n)
    default:  // autosave
      switch argument {
      case nil: break
      case "on": current.autosave = true
      case "off": current.autosave = false
      default: return (1, "invalid argument. Give 'on' or 'off'")
      }
      return (0, "autosave is \(current.autosave ? "on" : "off")")
    }
    return (0, "")
  }

  /// layout dump [file]: the commands that split the display's regions so
  /// again, added to the end of the file.
  private func dumpLayout(of v: ClientConnection, to path: String) -> (Int32, String) {
    let text = v.layout.dumpCommands.map { $0 + "\n" }.joined()
    switch FD.writeFile(path, Array(text.utf8), append: true, sync: false) {
    case .open(let code)?, .write(let code)?:
      return (1, "Error dumping layout to \(visible(path)): \(SystemError.text(for: code))")
    case nil: break
    }
    return (0, "Layout dumped to \"\(path)\"")
  }

  // MARK: - Displays and layouts

  /// Client v leaves its layout (saving it there, if the layout saves
  /// itself) for `target`'s regions, or for one region when nil.
  func switchLayout(_ v: ClientConnection, to target: NamedLayout?) {
    autosave(v)
    if let target {
      v.layout = Layout(restoring: target.saved) { w in windows.contains { $0 === w } }
    } else {
      v.layout = Layout(window: window(of: v))
    }
    v.namedLayout = target
    settle(v)
  }

  private func autosave(_ v: ClientConnection) {
    guard let current = v.namedLayout, current.autosave else { return }
    current.saved = v.layout.arrangement()
  }

  /// After a client's regions were replaced: a lone region shows a window,
  /// and the display is drawn anew at the regions' sizes.
  private func settle(_ v: ClientConnection) {
    if v.layout.isSingle && v.window == nil { v.window = window(of: v) }
    v.copy = nil
    v.overlay = nil
    v.forgetScreen()
    relayout(v)
    if v.isAttached, let shown = v.window { clearFlags(of: shown) }
  }

  /// A client that is no longer attached leaves its layout, as a display
  /// detaching does in screen: saved, and the one the next client loads.
  func leaveLayout(_ c: ClientConnection) {
    guard c.phase == .attached, !c.leftLayout else { return }
    c.leftLayout = true
    autosave(c)
    namedLayouts.last = c.namedLayout
  }

  /// A client attaching loads the attach layout (`layout attach`), if the
  /// session has one; clients detached to make way for it leave theirs first.
  func loadAttachLayout(into c: ClientConnection) {
    for other in clients where other !== c && other.phase == .attached && !other.isAttached {
      leaveLayout(other)
    }
    finishStartupDisplay()
    guard let target = namedLayouts.attaching else { return }
    switchLayout(c, to: target)
  }

  // MARK: - The startup file's display

  /// The startup file's display, with the region commands the file has
  /// run so far played on it.
  private func startupDisplay(for c: ClientConnection) -> ClientConnection {
    var display = startupDisplay ?? StartupDisplay(client: c)
    defer { startupDisplay = display }
    let pending = startupLayout.dropFirst(display.played)
    guard !pending.isEmpty else { return display.client }
    display.played = startupLayout.count
    // Attached for the while: the region commands act on their own display.
    let v = display.client
    let phase = v.phase
    v.phase = .attached
    for argv in pending { _ = execute(argv, from: v, window: window(of: v)) }
    v.phase = phase
    return v
  }

  /// Ends the startup file's display, as if it detached: the layout it was
  /// on is saved and is the one the first client loads.
  private func finishStartupDisplay() {
    guard let display = startupDisplay else { return }
    let v = startupDisplay(for: display.client)
    startupDisplay = nil
    autosave(v)
    namedLayouts.last = v.namedLayout
  }
}
