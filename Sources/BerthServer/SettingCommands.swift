// Commands that change the session's settings: key bindings and the command
// key, status lines, messages, scrollback, monitoring and logging. They are
// what a berthrc is mostly made of.
import BerthProtocol
import BerthSystem
import Glibc

extension SessionServer {
  /// `escape xy`: the command key and the key that sends it literally.
  func escapeCommand(_ args: [String]) -> (Int32, String) {
    guard args.count == 1, let keys = Self.parseEscape(args[0]) else {
      return (1, "escape: usage: escape xy (such as ^Aa or ^Tt)")
    }
    settings.commandKey = keys.0
    settings.literalKey = keys.1
    sendSettings()
    return (0, "")
  }

  /// `defscrollback lines`: the history of windows opened from now on.
  func defscrollbackCommand(_ args: [String]) -> (Int32, String) {
    guard let n = args.first.flatMap(Int.init), n >= 0, n <= 10_000_000 else {
      return (1, "defscrollback: usage: defscrollback lines")
    }
    settings.historyLimit = n
    return (0, "")
  }

  /// `scrollback lines`: the window's history.
  func scrollbackCommand(_ args: [String], _ w: Window) -> (Int32, String) {
    guard let n = args.first.flatMap(Int.init), n >= 0, n <= 10_000_000 else {
      return (1, "scrollback: usage: scrollback lines")
    }
    w.terminal.historyLimit = n
    return (0, "Set scrollback to \(n) lines")
  }

  /// `msgwait seconds`: how long a message stays.
  func msgwaitCommand(_ args: [String]) -> (Int32, String) {
    guard let n = args.first.flatMap(Int.init), (0...Self.maxSeconds).contains(n) else {
      return (1, "msgwait: usage: msgwait seconds")
    }
    settings.messageSeconds = n
    sendSettings()
    return (0, "")
  }

  /// `vbell on|off`: a flash instead of a beep.
  func vbellCommand(_ args: [String]) -> (Int32, String) {
    guard let on = Self.onOff(args) else { return (1, "vbell: usage: vbell on|off") }
    settings.visualBell = on
    sendSettings()
    return (0, "")
  }

  /// `bell_msg`, `bell` and `activity message`: what a bell, or activity in
  /// a monitored window, says.
  func bellMessageCommand(_ name: String, _ args: [String]) -> (Int32, String) {
    guard args.count == 1 else { return (1, "\(name): usage: \(name) message") }
    if name == "activity" {
      settings.activityMessage = args[0]
    } else {
      settings.bellMessage = args[0]
    }
    return (0, "")
  }

  /// `caption always|splitonly|string [string]`: each region's own status line.
  func captionCommand(_ args: [String]) -> (Int32, String) {
    guard let mode = args.first, ["always", "splitonly", "string"].contains(mode) else {
      return (1, "caption: usage: caption always|splitonly|string [string]")
    }
    if mode != "string" { settings.captionAlways = mode == "always" }
    if args.count > 1 { settings.caption = args[1] }
    displaysChanged()
    return (0, "")
  }

  /// `mousetrack` and `defmousetrack on|off`: a click chooses the region.
  func mousetrackCommand(_ name: String, _ args: [String]) -> (Int32, String) {
    guard let on = Self.onOff(args) else { return (1, "\(name): usage: \(name) on|off") }
    settings.mouseTrack = on
    sendSettings()
    return (0, "")
  }

  /// `truecolor on|off|auto` (screen 5's, and auto: berth's default):
  /// clients draw RGB colours as RGB, or as the nearest palette colour,
  /// whatever their terminals say; auto lets each client find out.
  /// Without an argument, says which.
  func truecolorCommand(_ args: [String]) -> (Int32, String) {
    guard let word = args.first else {
      return (0, "truecolor " + (settings.trueColor.map { $0 ? "on" : "off" } ?? "auto"))
    }
    guard args.count == 1, ["on", "off", "auto"].contains(word) else {
      return (1, "truecolor: usage: truecolor [on|off|auto]")
    }
    settings.trueColor = word == "auto" ? nil : word == "on"
    sendSettings()
    return (0, "")
  }

  /// A client's terminal shows other colours now (its answers came in, or
  /// `truecolor` changed): windows opened from now on are told.
  func terminalColorsChanged(_ colors: Int, of c: ClientConnection) {
    c.hello?.colors = colors
  }

  /// Some attached client's terminal shows RGB colour.
  var clientsTakeRGB: Bool {
    attachedClients.contains { ($0.hello?.colors ?? 0) >= 1 << 24 }
  }

  /// `startup_message on|off`.
  func startupMessageCommand(_ args: [String]) -> (Int32, String) {
    guard let on = Self.onOff(args) else {
      return (1, "startup_message: usage: startup_message on|off")
    }
    settings.startupMessage = on
    return (0, "")
  }

  /// `silencewait seconds`: how long a quiet window is quiet.
  func silencewaitCommand(_ args: [String]) -> (Int32, String) {
    guard let n = args.first.flatMap(Int.init), (1...Self.maxSeconds).contains(n) else {
      return (1, "silencewait: usage: silencewait seconds")
    }
    settings.silenceSeconds = n
    return (0, "")
  }

  /// `logfile file | flush seconds`.
  func logfileCommand(_ args: [String]) -> (Int32, String) {
    // screen's `logfile flush secs` is accepted (a screenrc carries over)
    // and sets nothing: berth writes a log as the output comes.
    if args.first == "flush" {
      guard args.count == 2, let secs = Int(args[1]), secs >= 0 else {
        return (1, "logfile: usage: logfile flush seconds")
      }
      return (0, "")
    }
    guard args.count == 1, let path = args.first, !path.isEmpty else {
      return (1, "logfile: usage: logfile filename")
    }
    settings.logFile = path
    return (0, "")
  }

  /// `deflog on|off`.
  func deflogCommand(_ args: [String]) -> (Int32, String) {
    guard let on = Self.onOff(args) else { return (1, "deflog: usage: deflog on|off") }
    settings.logNewWindows = on
    return (0, "")
  }

  /// `zombie [xy]`: windows whose program ended stay, until a key of these.
  func zombieCommand(_ args: [String]) -> (Int32, String) {
    guard let keys = args.first else {
      settings.zombieKeys = nil
      for w in windows where w.zombie == .kept { w.zombie = .dismissed }
      return (0, "")
    }
    let bytes = StringEscapes.decode(keys)
    guard args.count <= 2, bytes.count == 2 else { return (1, "zombie: usage: zombie [keys]") }
    settings.zombieKeys = ZombieKeys(kill: bytes[0], resurrect: bytes[1])
    return (0, "")
  }

  /// `setenv variable value`.
  func setenvCommand(_ args: [String]) -> (Int32, String) {
    // Windows opened from now on get it, as in screen (no prompt for a missing value).
    guard args.count == 2, Self.isVariableName(args[0]), !args[1].utf8.contains(0) else {
      return (1, "setenv: usage: setenv variable value")
    }
    programEnvironment = environment(programEnvironment, setting: [(args[0], args[1])])
    return (0, "")
  }

  /// `unsetenv variable`.
  func unsetenvCommand(_ args: [String]) -> (Int32, String) {
    guard args.count == 1, Self.isVariableName(args[0]) else {
      return (1, "unsetenv: usage: unsetenv variable")
    }
    programEnvironment = environment(programEnvironment, setting: [], removing: [args[0]])
    return (0, "")
  }

  /// `shell` and `defshell command`: the program of windows opened from now on.
  func shellCommand(_ name: String, _ args: [String]) -> (Int32, String) {
    // One word, not split: screen runs it as the program's path.
    guard args.count == 1, !args[0].isEmpty, args[0] != "-", !args[0].utf8.contains(0) else {
      return (1, "\(name): usage: \(name) command (a leading - starts a login shell)")
    }
    settings.shell = args[0]
    return (0, "")
  }

  /// `sessionname [name]`: says the name, or renames the session.
  func sessionnameCommand(_ args: [String]) -> (Int32, String) {
    guard args.count <= 1 else { return (1, "sessionname: usage: sessionname [name]") }
    guard let name = args.first else {
      return (0, "This session is named '\(config.sessionName)'")
    }
    return renameSession(to: name)
  }

  /// `chdir [directory]`.
  func chdirCommand(_ args: [String]) -> (Int32, String) {
    // The directory of windows opened from now on, and of relative log
    // and hardcopy names: the server's own, as screen changes its own.
    guard args.count <= 1, let dir = args.first ?? environment("HOME") else {
      return (1, "chdir: usage: chdir [directory]")
    }
    guard chdir(dir) == 0 else {
      return (1, "chdir: \(visible(dir)): \(SystemError.text(for: errno))")
    }
    return (0, "")
  }

  /// `term terminal-type`.
  func termCommand(_ args: [String]) -> (Int32, String) {
    // TERM for windows opened from now on, as -T sets it at the start.
    guard args.count == 1, isTerminalTypeName(args[0]) else {
      return (1, "term: usage: term terminal-type (a terminfo name such as xterm-256color)")
    }
    config.term = args[0]
    programEnvironment = environment(programEnvironment, setting: [("TERM", args[0])])
    return (0, "")
  }

  /// `defmonitor` and `defsilence on|off`: how windows opened from now on
  /// are watched.
  func defmonitorCommand(_ name: String, _ args: [String]) -> (Int32, String) {
    guard let on = Self.onOff(args) else { return (1, "\(name): usage: \(name) on|off") }
    if name == "defmonitor" {
      settings.monitorNewWindows = on
    } else {
      settings.silenceNewWindows = on
    }
    return (0, "")
  }

  /// `wrap` and `defwrap on|off`: wrap checks its window after its argument
  /// (defwrap needs none).
  func wrapCommand(_ name: String, _ args: [String], window w: Window?) -> (Int32, String) {
    guard let on = Self.onOff(args) else { return (1, "\(name): usage: \(name) on|off") }
    if name == "defwrap" {
      settings.wrapNewWindows = on
      return (0, "")
    }
    guard let w else { return (1, "wrap: there is no window") }
    w.terminal.autowrap = on
    return (0, on ? "Wrap on" : "Wrap off")
  }

  /// `maxwin n`.
  func maxwinCommand(_ args: [String]) -> (Int32, String) {
    guard args.count == 1, let n = Int(args[0]), (1...10_000).contains(n) else {
      return (1, "maxwin: usage: maxwin number (1 to 10000)")
    }
    settings.maxWindows = n
    return (0, "")
  }

  /// `ignorecase [on|off]`: searches in copy mode; no argument toggles.
  func ignorecaseCommand(_ args: [String]) -> (Int32, String) {
    guard let on = args.isEmpty ? !settings.ignoreCase : Self.onOff(args) else {
      return (1, "ignorecase: usage: ignorecase [on|off]")
    }
    settings.ignoreCase = on
    return (0, "")
  }

  /// `hardcopydir [directory]`: says it, or sets it ("" for the session's).
  func hardcopydirCommand(_ args: [String]) -> (Int32, String) {
    guard args.count <= 1 else { return (1, "hardcopydir: usage: hardcopydir [directory]") }
    guard let dir = args.first else {
      return (
        0, "hardcopydir is \(visible(settings.hardcopyDirectory ?? "the session's directory"))"
      )
    }
    settings.hardcopyDirectory = dir.isEmpty ? nil : dir
    return (0, "")
  }

  /// `hardcopy_append on|off`.
  func hardcopyAppendCommand(_ args: [String]) -> (Int32, String) {
    guard let on = Self.onOff(args) else {
      return (1, "hardcopy_append: usage: hardcopy_append on|off")
    }
    settings.hardcopyAppend = on
    return (0, "")
  }

  /// `encoding` and `defencoding utf8`.
  func encodingCommand(_ name: String, _ args: [String]) -> (Int32, String) {
    // Windows are UTF-8 through and through; a screenrc saying so is fine.
    let usage = (Int32(1), "\(name): usage: \(name) utf8")
    guard (1...2).contains(args.count) else { return usage }
    for a in args where !["utf8", "utf-8"].contains(a.lowercased()) {
      return (1, "\(name): berth's windows are always UTF-8, not '\(a)'")
    }
    return (0, "")
  }

  /// `password [none]`.
  func passwordCommand(_ args: [String]) -> (Int32, String) {
    // A session is its owner's alone (see SECURITY); no password to ask.
    guard args.isEmpty || args == ["none"] else {
      return (1, "password: berth sessions take no password (the socket is its owner's only)")
    }
    return (0, "")
  }

  /// `idle off` and `blankerprg`.
  func idleCommand(_ name: String, _ args: [String]) -> (Int32, String) {
    // No screen blanker: only the lines that switch it off are taken.
    guard args.isEmpty || (name == "idle" && ["0", "off"].contains(args[0])) else {
      return (1, "\(name): berth has no screen blanker")
    }
    return (0, "")
  }

  /// `multiuser off`.
  func multiuserCommand(_ args: [String]) -> (Int32, String) {
    guard let on = Self.onOff(args) else { return (1, "multiuser: usage: multiuser on|off") }
    // Only the owner's uid may connect (see SECURITY in berth(1)).
    return on ? (1, "multiuser: a berth session serves its owner only") : (0, "")
  }

  func hardstatus(_ args: [String]) -> (Int32, String) {
    guard let mode = args.first else {
      return (1, "hardstatus: usage: hardstatus alwayslastline|off|string [string]")
    }
    switch mode {
    case "alwayslastline", "alwaysfirstline", "on": settings.hardstatusShown = true
    case "off", "ignore", "lastline", "firstline", "message", "alwaysignore":
      settings.hardstatusShown = false
    case "string": break
    default: return (1, "hardstatus: unknown mode '\(mode)'")
    }
    if args.count > 1 { settings.hardstatus = args[1] }
    displaysChanged()
    return (0, "")
  }

  func monitor(_ name: String, _ args: [String], _ w: Window) -> (Int32, String) {
    let activity = name == "monitor"
    var on = !(activity ? w.monitorActivity : w.monitorSilence)
    if let a = args.first {
      if let n = Int(a), !activity, (0...Self.maxSeconds).contains(n) {
        if n > 0 { settings.silenceSeconds = n }
        on = n > 0
      } else if let flag = Self.onOff(args) {
        on = flag
      } else {
        return (1, "\(name): usage: \(name) [on|off\(activity ? "" : "|seconds")]")
      }
    }
    if activity {
      w.monitorActivity = on
      w.activitySeen = false
      return (
        0,
        on
          ? "Window \(w.number) (\(w.title)) is now being monitored for all activity."
          : "Window \(w.number) (\(w.title)) is no longer being monitored for activity."
      )
    }
    w.monitorSilence = on
    w.silenceAnnounced = false
    w.lastOutputNanos = Clock.nanos()
    return (
      0,
      on
        ? "Window \(w.number) (\(w.title)) is now being monitored for \(settings.silenceSeconds)-second silence."
        : "Window \(w.number) (\(w.title)) is no longer being monitored for silence."
    )
  }

  /// Renames the session, which is renaming its socket PID.NAME: -ls and -r
  /// know it by the new name at once; windows opened later get the new path
  /// in $BERTH (those running keep the old one, as screen's keep $STY).
  private func renameSession(to name: String) -> (Int32, String) {
    let path = config.socketPath
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    do {
      try validateSessionName(name, directory: directory)
    } catch {
      return (1, "sessionname: \(error)")
    }
    let pid = config.sessionName.prefix { $0 != "." }
    let newName = "\(pid).\(name)"
    let newPath = directory + "/" + newName
    guard newPath != path else { return (0, "") }
    var st = stat()
    guard lstat(newPath, &st) != 0 else { return (1, "sessionname: \(visible(newPath)) exists") }
    // A socket deleted from under the server (a /tmp cleaner) is made anew.
    let moved = rename(path, newPath) == 0
    guard moved || errno == ENOENT else {
      return (1, "sessionname: cannot rename \(visible(path)): \(SystemError.text(for: errno))")
    }
    config.socketPath = newPath
    config.sessionName = newName
    if !moved { recreateSocket() }
    programEnvironment = environment(programEnvironment, setting: Self.sessionVariables(config))
    sessionVersion &+= 1
    return (0, "")
  }

  /// Every display is composed anew (status lines changed).
  func displaysChanged() {
    for c in clients where c.phase == .attached {
      c.displayChanged()
      if !c.readOnly { adoptSize(of: c) }
    }
  }

  func sendSettings(to only: ClientConnection? = nil) {
    let s = ClientSettings(
      commandKey: settings.commandKey, literalKey: settings.literalKey,
      messageSeconds: settings.messageSeconds, visualBell: settings.visualBell,
      mouseTrack: settings.mouseTrack, boundSequences: Array(settings.sequenceBindings.keys))
    for c in only.map({ [$0] }) ?? attachedClients {
      c.send(.settings(s))
      c.send(.trueColorSetting(settings.trueColor))
    }
  }

  /// The longest wait a setting takes: a day.
  static let maxSeconds = 86_400

  /// A name an environment variable can have: not empty, no '=' or NUL.
  static func isVariableName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 1024 && !name.utf8.contains(UInt8(ascii: "="))
      && !name.utf8.contains(0)
  }

  static func onOff(_ args: [String]) -> Bool? {
    guard args.count == 1 else { return nil }
    return args[0] == "on" ? true : args[0] == "off" ? false : nil
  }

  /// A key as bind and escape name it: a character, ^X, \ooo or \\.
  static func parseKey(_ text: String) -> UInt8? {
    let bytes = StringEscapes.decode(text)
    return bytes.count == 1 && bytes[0] < 0x80 ? bytes[0] : nil
  }

  static func parseEscape(_ text: String) -> (UInt8, UInt8)? {
    let bytes = StringEscapes.decode(text)
    guard bytes.count == 2, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
    return (bytes[0], bytes[1])
  }

  /// What a bound command does: those that ask in screen ask here too.
  static func binding(for argv: [String]) -> Binding {
    switch (argv[0], argv.count) {
    case ("colon", 1): return .commandLine
    case ("title", 1): return .ask("Set window's title to: ", ["title"])
    case ("select", 1): return .ask("Switch to window: ", ["select"])
    case ("kill", 1): return .confirm("Really kill this window [y/n]", ["kill"])
    case ("quit", 1): return .confirm("Really quit and kill all your windows [y/n]", ["quit"])
    default: return .command(argv)
    }
  }
}
