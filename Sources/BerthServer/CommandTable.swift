// Every command berth accepts, in one table: its name, its arguments as the
// man page writes them, whether it needs a window, whether a read-only
// client may run it, and its handler (tmux's cmd_entry is the model).
// `execute` looks a name up here once; `commands` lists the table, and a
// test checks that the man page documents each name.

/// What a command's handler is given.
struct CommandCall {
  let name: String
  let args: [String]
  /// The client that sent it (attached, a `berth -X`, or the startup file's).
  let client: ClientConnection
  /// The window it acts on; never nil when the entry needs a window.
  let window: Window?
  /// The clients that window switches apply to: the one that typed it, or,
  /// from -X, every attached client.
  let viewers: [ClientConnection]
}

struct CommandEntry {
  typealias Handler = @Sendable (SessionServer, CommandCall) -> (Int32, String)

  let name: String
  /// The arguments, as the man page writes them; empty when there are none.
  let usage: String
  /// Refused with "NAME: there is no window" when no window is given.
  let needsWindow: Bool
  /// A read-only client may look (switch windows, arrange its regions,
  /// list, copy) but not touch: nothing typed into a program, nothing
  /// changed in the session.
  let readOnlyAllowed: Bool
  let handler: Handler

  init(
    _ name: String, _ handler: @escaping Handler, _ usage: String = "", window: Bool = false,
    looks: Bool = false
  ) {
    self.name = name
    self.usage = usage
    self.needsWindow = window
    self.readOnlyAllowed = looks
    self.handler = handler
  }

  /// "name usage", as `commands` lists it.
  var synopsis: String { usage.isEmpty ? name : "\(name) \(usage)" }

  /// The table, by name.
  static let named: [String: CommandEntry] = Dictionary(
    all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

  /// Every command, grouped as the man page groups them.
  static let all: [CommandEntry] =
    sessionCommands + scriptCommands + displayCommands + bufferCommands + keyCommands
    + processCommands + settingCommands + logCommands
    + ignoredSettings.map { CommandEntry($0, ignored, "...") }
}

// What the rows share.
extension CommandEntry {
  /// Accepted so that a screenrc carries over; changes nothing here.
  static let ignored: Handler = { _, _ in (0, "") }

  /// A handler given the window that the table made sure of.
  static func onWindow(
    _ handler: @escaping @Sendable (SessionServer, CommandCall, Window) -> (Int32, String)
  ) -> Handler {
    { s, call in
      guard let w = call.window else { return (1, "\(call.name): there is no window") }
      return handler(s, call, w)
    }
  }
}

// The table's rows.
extension CommandEntry {
  static let sessionCommands: [CommandEntry] = [
    .init("quit", { s, _ in s.quitCommand() }),
    .init("detach", { s, call in s.detachCommand(call) }, looks: true),
    .init("suspend", { s, call in s.suspendCommand(call) }, looks: true),
    .init(
      "stuff", onWindow { s, call, w in s.stuffCommand(call.args, w) }, "string ...", window: true),
    .init(
      "hardcopy", onWindow { s, call, w in s.hardcopyCommand(call.args, w) }, "[-h] [file]",
      window: true, looks: true),
    .init("redisplay", { s, call in s.redisplayCommand(call) }, looks: true),
    .init(
      "screen", { s, call in s.screenCommand(call) },
      "[-t title] [-L] [-M] [-h lines] [--restart=policy] [--restart-limit=n] [n] [cmd [args...]]"),
    .init("select", { s, call in s.selectCommand(call) }, "n|title", looks: true),
    .init("next", { s, call in s.nextPrevCommand(call, step: 1) }, looks: true),
    .init("prev", { s, call in s.nextPrevCommand(call, step: -1) }, looks: true),
    .init("other", { s, call in s.otherCommand(call) }, looks: true),
    .init("title", onWindow { s, call, w in s.titleCommand(call.args, w) }, "[name]", window: true),
    .init("kill", onWindow { s, _, w in s.killCommand(w) }, window: true),
    .init("stop", onWindow { s, call, w in s.stopCommand(call.args, w) }, window: true),
    .init("start", onWindow { s, call, w in s.startCommand(call.args, w) }, window: true),
    .init("restart", onWindow { s, call, w in s.restartCommand(call.args, w) }, window: true),
    .init("signal", onWindow { s, call, w in s.signalCommand(call.args, w) }, "sig", window: true),
    .init("windows", { s, call in s.windowsCommand(call) }, looks: true),
    .init("number", { s, call in s.numberCommand(call) }, looks: true),
    .init("clear", onWindow { s, _, w in s.clearCommand(w) }, window: true),
    .init("reset", onWindow { s, _, w in s.resetCommand(w) }, window: true),
    // meta types the command key itself, xon ^Q and xoff ^S.
    .init(
      "meta", onWindow { s, _, w in s.sendByteCommand(s.settings.commandKey, w) }, window: true),
    .init("xon", onWindow { s, _, w in s.sendByteCommand(0x11, w) }, window: true),
    .init("xoff", onWindow { s, _, w in s.sendByteCommand(0x13, w) }, window: true),
    .init("status-json", { s, call in s.statusJSONCommand(call.args) }, looks: true),
    .init("commands", { s, call in s.commandsCommand(call) }, looks: true),
  ]

  static let scriptCommands: [CommandEntry] = [
    // eval and source run each of their commands through the table again.
    .init("eval", { s, call in s.evalCommand(call) }, "command [command...]", looks: true),
    .init("source", { s, call in s.sourceCommand(call) }, "file", looks: true),
    // at % runs its command as every attached client: not a read-only one's to give.
    .init(
      "at", { s, call in s.at(call.args, from: call.client) }, "[window][#|%|*] command [args...]"),
    .init("echo", { s, call in s.echoCommand(call) }, "[-n] message", looks: true),
    .init("wall", { s, call in s.wallCommand(call.args) }, "message"),
    .init("version", { s, _ in s.versionCommand() }, looks: true),
    .init(
      "exec", { s, call in s.executeExec(call.args, window: call.window) },
      "[[fdpat] command [args...]]"),
  ]

  static let displayCommands: [CommandEntry] = [
    .init(
      "split", { s, call in s.splitCommand(call.args, viewers: call.viewers) }, "[-v]", looks: true),
    .init(
      "focus", { s, call in s.focusCommand(call.args, viewers: call.viewers) },
      "[next|prev|up|down|left|right|top|bottom]", looks: true),
    .init(
      "resize", { s, call in s.resizeCommand(call.args, viewers: call.viewers) },
      "[-h|-v|-b|-l|-p] [+|-]n[%]|=|max|min|_|0", looks: true),
    .init("only", { s, call in s.onlyCommand(viewers: call.viewers) }, looks: true),
    .init("remove", { s, call in s.removeCommand(viewers: call.viewers) }, looks: true),
    .init(
      "layout", { s, call in s.executeLayout(call.args, from: call.client, viewers: call.viewers) },
      "subcommand [argument]", looks: true),
    .init("fit", { s, call in s.fitCommand(viewers: call.viewers) }, looks: true),
    .init("info", onWindow { s, _, w in s.infoCommand(w) }, window: true, looks: true),
    .init("time", { s, call in s.timeCommand(window: call.window) }, looks: true),
    .init(
      "lastmsg", { s, call in s.lastmsgCommand(call.args, viewers: call.viewers) }, looks: true),
    .init("copy", { s, call in s.copyCommand(viewers: call.viewers) }, looks: true),
    .init("windowlist", { s, call in s.windowlistCommand(viewers: call.viewers) }, looks: true),
    .init("help", { s, call in s.helpCommand(viewers: call.viewers) }, looks: true),
    // Typed, a page over the region; from -X, lines to print.
    .init(
      "displays",
      { s, call in
        s.displaysCommand(call.args, typedBy: call.client.phase == .attached ? call.client : nil)
      }, looks: true),
  ]

  static let bufferCommands: [CommandEntry] = [
    .init(
      "paste", { s, call in s.pasteCommand(call.args, into: call.window) }, "[registers [dest]]"),
    .init("register", { s, call in s.registerCommand(call.args) }, "[-e utf8] key string"),
    .init("readreg", { s, call in s.readregCommand(call.args) }, "[-e utf8] register [file]"),
    .init("readbuf", { s, call in s.readbufCommand(call.args) }, "[-e utf8] [file]"),
    .init(
      "writebuf", { s, call in s.writebufCommand(call.args) }, "[-e utf8] [file]", looks: true),
    .init("bufferfile", { s, call in s.bufferfileCommand(call.args) }, "[file]"),
    .init("removebuf", { s, call in s.removebufCommand(call.args) }),
  ]

  static let keyCommands: [CommandEntry] = [
    .init(
      "bind", { s, call in s.bind(call.args) },
      "[-c class] [-k capability | key] [command [args...]]"),
    .init(
      "bindkey", { s, call in s.bindkey(call.args) }, "[-k capability | string] [command [args...]]"
    ),
    // Only the client's own next key changes: a class of bindings to look through.
    .init(
      "command", { s, call in s.command(call.args, from: call.client) }, "[-c class]", looks: true),
    .init("markkeys", { s, call in s.markkeys(call.args) }, "old=new[=new...][:...]"),
    .init("process", { s, call in s.process(call.args, from: call.client) }, "register"),
  ]

  static let processCommands: [CommandEntry] = [
    .init("defrestart", { s, call in s.defrestartCommand(call.args) }, "policy"),
    .init("defrestartlimit", { s, call in s.defrestartlimitCommand(call.args) }, "n|off"),
    .init("stopwait", { s, call in s.stopwaitCommand(call.args) }, "seconds"),
  ]

  static let settingCommands: [CommandEntry] = [
    .init("escape", { s, call in s.escapeCommand(call.args) }, "xy"),
    .init("defscrollback", { s, call in s.defscrollbackCommand(call.args) }, "lines"),
    .init(
      "scrollback", onWindow { s, call, w in s.scrollbackCommand(call.args, w) }, "lines",
      window: true),
    .init("msgwait", { s, call in s.msgwaitCommand(call.args) }, "seconds"),
    .init("vbell", { s, call in s.vbellCommand(call.args) }, "on|off"),
    .init("truecolor", { s, call in s.truecolorCommand(call.args) }, "[on|off|auto]"),
    .init("bell_msg", { s, call in s.bellMessageCommand(call.name, call.args) }, "message"),
    .init("bell", { s, call in s.bellMessageCommand(call.name, call.args) }, "message"),
    .init("activity", { s, call in s.bellMessageCommand(call.name, call.args) }, "message"),
    .init("hardstatus", { s, call in s.hardstatus(call.args) }, "[alwayslastline|off] [string]"),
    .init("caption", { s, call in s.captionCommand(call.args) }, "always|splitonly [string]"),
    .init("attrcolor", { s, call in s.executeAttrColor(call.args) }, "attribute [modifier]"),
    .init("startup_message", { s, call in s.startupMessageCommand(call.args) }, "on|off"),
    .init("mousetrack", { s, call in s.mousetrackCommand(call.name, call.args) }, "on|off"),
    .init("defmousetrack", { s, call in s.mousetrackCommand(call.name, call.args) }, "on|off"),
    .init(
      "monitor", onWindow { s, call, w in s.monitor(call.name, call.args, w) }, "[on|off]",
      window: true),
    .init(
      "silence", onWindow { s, call, w in s.monitor(call.name, call.args, w) }, "[on|off|seconds]",
      window: true),
    .init("defmonitor", { s, call in s.defmonitorCommand(call.name, call.args) }, "on|off"),
    .init("defsilence", { s, call in s.defmonitorCommand(call.name, call.args) }, "on|off"),
    .init("term", { s, call in s.termCommand(call.args) }, "term"),
    .init("silencewait", { s, call in s.silencewaitCommand(call.args) }, "seconds"),
    .init("setenv", { s, call in s.setenvCommand(call.args) }, "variable value"),
    .init("unsetenv", { s, call in s.unsetenvCommand(call.args) }, "variable"),
    .init("shell", { s, call in s.shellCommand(call.name, call.args) }, "command"),
    .init("defshell", { s, call in s.shellCommand(call.name, call.args) }, "command"),
    .init("deflog", { s, call in s.deflogCommand(call.args) }, "on|off"),
    .init("logfile", { s, call in s.logfileCommand(call.args) }, "file | flush seconds"),
    .init(
      "logtstamp", { s, call in s.executeLogStamp(call.args) },
      "[on|off] | after seconds | string format"),
    .init(
      "backtick", { s, call in s.executeBacktick(call.args) },
      "id [lifespan autorefresh command [args...]]"),
    .init("hardcopydir", { s, call in s.hardcopydirCommand(call.args) }, "[directory]"),
    .init("zombie", { s, call in s.zombieCommand(call.args) }, "[xy]"),
    .init("chdir", { s, call in s.chdirCommand(call.args) }, "[directory]"),
    // wrap checks its own window, after its argument (defwrap needs none).
    .init(
      "wrap", { s, call in s.wrapCommand(call.name, call.args, window: call.window) }, "on|off"),
    .init(
      "defwrap", { s, call in s.wrapCommand(call.name, call.args, window: call.window) }, "on|off"),
    .init("maxwin", { s, call in s.maxwinCommand(call.args) }, "n"),
    .init("ignorecase", { s, call in s.ignorecaseCommand(call.args) }, "[on|off]"),
    .init("hardcopy_append", { s, call in s.hardcopyAppendCommand(call.args) }, "on|off"),
    .init("sessionname", { s, call in s.sessionnameCommand(call.args) }, "[name]"),
    .init("encoding", { s, call in s.encodingCommand(call.name, call.args) }, "utf8"),
    .init("defencoding", { s, call in s.encodingCommand(call.name, call.args) }, "utf8"),
    .init("password", { s, call in s.passwordCommand(call.args) }, "[none]"),
    .init("idle", { s, call in s.idleCommand(call.name, call.args) }, "off"),
    .init("blankerprg", { s, call in s.idleCommand(call.name, call.args) }),
    .init("multiuser", { s, call in s.multiuserCommand(call.args) }, "off"),
  ]

  static let logCommands: [CommandEntry] = [
    .init("log", onWindow { s, call, w in s.log(call.args, w) }, "[on|off]", window: true),
    .init("logsize", { s, call in s.logSize(call.args) }, "[bytes[K|M|G]]"),
    .init("logkeep", { s, call in s.logKeep(call.args) }, "[n]"),
  ]

  /// screen's settings berth accepts so that a screenrc carries over, and
  /// ignores.
  static let ignoredSettings = [
    "autodetach", "defutf8", "utf8", "altscreen", "termcap", "termcapinfo", "terminfo",
    "shelltitle", "defflow", "vbell_msg", "nethack", "crlf",
    // berth always erases with the current background, never blocks on a
    // slow client, writes no utmp entry and has no key maps to time out.
    "defbce", "bce", "nonblock", "defnonblock", "deflogin", "login", "maptimeout",
    // Colours and looks berth leaves to the program and the terminal.
    "sorendition", "rendition", "defhstatus", "cjkwidth", "verbose",
    "msgminwait", "vbellwait", "focusminsize",
    // Tuning for slow terminals and old character sets: berth never drops
    // output, pastes at once, and its windows are UTF-8 session leaders.
    "obuflimit", "defobuflimit", "autonuke", "defautonuke", "slowpaste", "defslowpaste",
    "partial", "allpartial", "compacthist", "breaktype", "defbreaktype", "defc1", "c1",
    "defgr", "gr", "defkanji", "kanji", "defmode", "setsid", "pow_detach_msg",
  ]
}

extension SessionServer {
  /// `commands`: every command with its arguments, one a line, from the
  /// table. Typed, a page over the region; from -X, lines to print.
  func listCommands(typedBy c: ClientConnection?) -> (Int32, String) {
    let lines = CommandEntry.all.map(\.synopsis).sorted()
    guard let c else { return (0, lines.joined(separator: "\n")) }
    c.copy = nil
    c.overlay = Overlay(kind: .page, lines: lines + ["", "[Press any key to close.]"])
    c.displayChanged()
    return (0, "")
  }
}
