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

// The handlers: each group's function, as each file has it.
extension CommandEntry {
  static let core: Handler = { s, call in s.executeCore(call) }
  static let display: Handler = { s, call in
    s.executeDisplay(
      call.name, call.args, viewers: call.viewers,
      typedBy: call.client.phase == .attached ? call.client : nil, window: call.window)
      ?? unknown(call)
  }
  static let buffer: Handler = { s, call in
    s.executeBuffer(call.name, call.args, window: call.window) ?? unknown(call)
  }
  static let process: Handler = { s, call in
    s.executeProcess(call.name, call.args, window: call.window) ?? unknown(call)
  }
  static let control = onWindow { s, call, w in s.control(call.name, call.args, w) }
  static let setting: Handler = { s, call in
    s.executeSetting(call.name, call.args, window: call.window) ?? unknown(call)
  }
  static let script: Handler = { s, call in
    s.executeScript(call.name, call.args, from: call.client, window: call.window) ?? unknown(call)
  }

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

  /// A group's switch that does not know a name of the table: a slip of
  /// ours, answered as any unknown command is.
  private static func unknown(_ call: CommandCall) -> (Int32, String) {
    (1, "unknown command '\(call.name)'")
  }
}

// The table's rows.
extension CommandEntry {
  static let sessionCommands: [CommandEntry] = [
    .init("quit", core),
    .init("detach", core, looks: true),
    .init("suspend", core, looks: true),
    .init("stuff", core, "string ...", window: true),
    .init("hardcopy", core, "[-h] [file]", window: true, looks: true),
    .init("redisplay", core, looks: true),
    .init(
      "screen", core,
      "[-t title] [-L] [-M] [-h lines] [--restart=policy] [--restart-limit=n] [n] [cmd [args...]]"),
    .init("select", core, "n|title", looks: true),
    .init("next", core, looks: true),
    .init("prev", core, looks: true),
    .init("other", core, looks: true),
    .init("title", core, "[name]", window: true),
    .init("kill", core, window: true),
    .init("stop", control, window: true),
    .init("start", control, window: true),
    .init("restart", control, window: true),
    .init("signal", control, "sig", window: true),
    .init("windows", core, looks: true),
    .init("number", core, looks: true),
    .init("clear", core, window: true),
    .init("reset", core, window: true),
    .init("meta", core, window: true),
    .init("xon", core, window: true),
    .init("xoff", core, window: true),
    .init("status-json", { s, call in s.statusJSONCommand(call.args) }, looks: true),
    .init("commands", core, looks: true),
  ]

  static let scriptCommands: [CommandEntry] = [
    // eval and source run each of their commands through the table again.
    .init("eval", script, "command [command...]", looks: true),
    .init("source", script, "file", looks: true),
    // at % runs its command as every attached client: not a read-only one's to give.
    .init(
      "at", { s, call in s.at(call.args, from: call.client) }, "[window][#|%|*] command [args...]"),
    .init("echo", script, "[-n] message", looks: true),
    .init("wall", script, "message"),
    .init("version", script, looks: true),
    .init(
      "exec", { s, call in s.executeExec(call.args, window: call.window) },
      "[[fdpat] command [args...]]"),
  ]

  static let displayCommands: [CommandEntry] = [
    .init("split", display, "[-v]", looks: true),
    .init("focus", display, "[next|prev|up|down|left|right|top|bottom]", looks: true),
    .init("resize", display, "[-h|-v|-b|-l|-p] [+|-]n[%]|=|max|min|_|0", looks: true),
    .init("only", display, looks: true),
    .init("remove", display, looks: true),
    .init(
      "layout", { s, call in s.executeLayout(call.args, from: call.client, viewers: call.viewers) },
      "subcommand [argument]", looks: true),
    .init("fit", display, looks: true),
    .init("info", display, window: true, looks: true),
    .init("time", display, looks: true),
    .init("lastmsg", display, looks: true),
    .init("copy", display, looks: true),
    .init("windowlist", display, looks: true),
    .init("help", display, looks: true),
    .init("displays", display, looks: true),
  ]

  static let bufferCommands: [CommandEntry] = [
    .init("paste", buffer, "[registers [dest]]"),
    .init("register", buffer, "[-e utf8] key string"),
    .init("readreg", buffer, "[-e utf8] register [file]"),
    .init("readbuf", buffer, "[-e utf8] [file]"),
    .init("writebuf", buffer, "[-e utf8] [file]", looks: true),
    .init("bufferfile", buffer, "[file]"),
    .init("removebuf", buffer),
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
    .init("defrestart", process, "policy"),
    .init("defrestartlimit", process, "n|off"),
    .init("stopwait", process, "seconds"),
  ]

  static let settingCommands: [CommandEntry] = [
    .init("escape", setting, "xy"),
    .init("defscrollback", setting, "lines"),
    .init("scrollback", setting, "lines", window: true),
    .init("msgwait", setting, "seconds"),
    .init("vbell", setting, "on|off"),
    .init("bell_msg", setting, "message"),
    .init("bell", setting, "message"),
    .init("activity", setting, "message"),
    .init("hardstatus", { s, call in s.hardstatus(call.args) }, "[alwayslastline|off] [string]"),
    .init("caption", setting, "always|splitonly [string]"),
    .init("attrcolor", { s, call in s.executeAttrColor(call.args) }, "attribute [modifier]"),
    .init("startup_message", setting, "on|off"),
    .init("mousetrack", setting, "on|off"),
    .init("defmousetrack", setting, "on|off"),
    .init(
      "monitor", onWindow { s, call, w in s.monitor(call.name, call.args, w) }, "[on|off]",
      window: true),
    .init(
      "silence", onWindow { s, call, w in s.monitor(call.name, call.args, w) }, "[on|off|seconds]",
      window: true),
    .init("defmonitor", setting, "on|off"),
    .init("defsilence", setting, "on|off"),
    .init("term", setting, "term"),
    .init("silencewait", setting, "seconds"),
    .init("setenv", setting, "variable value"),
    .init("unsetenv", setting, "variable"),
    .init("shell", setting, "command"),
    .init("defshell", setting, "command"),
    .init("deflog", setting, "on|off"),
    .init("logfile", setting, "file | flush seconds"),
    .init(
      "logtstamp", { s, call in s.executeLogStamp(call.args) },
      "[on|off] | after seconds | string format"),
    .init(
      "backtick", { s, call in s.executeBacktick(call.args) },
      "id [lifespan autorefresh command [args...]]"),
    .init("hardcopydir", setting, "[directory]"),
    .init("zombie", setting, "[xy]"),
    .init("chdir", setting, "[directory]"),
    // wrap checks its own window, after its argument (defwrap needs none).
    .init("wrap", setting, "on|off"),
    .init("defwrap", setting, "on|off"),
    .init("maxwin", setting, "n"),
    .init("ignorecase", setting, "[on|off]"),
    .init("hardcopy_append", setting, "on|off"),
    .init("sessionname", setting, "[name]"),
    .init("encoding", setting, "utf8"),
    .init("defencoding", setting, "utf8"),
    .init("password", setting, "[none]"),
    .init("idle", setting, "off"),
    .init("blankerprg", setting),
    .init("multiuser", setting, "off"),
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
    "sorendition", "rendition", "defhstatus", "truecolor", "cjkwidth", "verbose",
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
