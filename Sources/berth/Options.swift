// screen's command line: single-dash words (-ls, -list, -wipe), clustered
// letters whose last may take a value (-dmS name), and the first plain word
// ending the options: it starts the program, or is the -X command. As in
// screen, -r, -R and -x (and -d, -ls and -wipe) take the word right after
// them as the session's name, and options may follow -X up to the
// command's first word (`-X -S web -p 1 stuff x`, `-r web -X quit`).
// Parsed by hand: swift-argument-parser cannot express this grammar and
// would pull Foundation into every session server's process.
import BerthProtocol
import BerthServer
import BerthSystem

struct Options {
  enum Mode: Equatable {
    case create, list, wipe, version, help, command, status, tail, upgrade, resurrect, forget
    case up, down
  }

  var mode: Mode = .create
  var sessionName: String?
  /// -d / -D: detach the session elsewhere (with -r/-R: then attach here).
  var detach = false
  var powerDetach = false
  /// -m: with -d, start detached; alone, start even inside a session.
  var startDetached = false
  var resume = false
  var resumeOrCreate = false
  /// -RR (also -xRR, -xR): with several sessions to choose from, take the
  /// first listed instead of listing them.
  var firstOfSeveral = false
  var multiAttach = false
  /// -q: lists and "nothing to resume" print nothing; the exit status tells.
  var quiet = false
  var readOnly = false
  var forwardClipboard = true
  var historyLimit: Int?
  /// -p: the window to show on attach, or for -X.
  var window: String?
  var term: String?
  var commandKey: (UInt8, UInt8)?
  /// -c file: the startup file instead of ~/.berthrc.
  var configFile: String?
  /// -L: every window of the new session logs its output (screen's -L).
  var logging = false
  /// -Logfile file: where logs go instead of screenlog.N.
  var logFile: String?
  /// -t title: the title of the session's first window.
  var title: String?
  /// -s program: the shell of windows opened without a program.
  var shell: String?
  /// --restart= and --restart-limit=: the first window's restart policy.
  var restart = RestartOptions()
  /// --json: --status prints one JSON document.
  var json = false
  /// --tail: what to print of which window.
  var tail = TailOptions()
  /// --upgrade: the sessions to bring to this berth (none: all).
  var upgradeNames: [String] = []
  /// --resurrect and --forget: the saved sessions named (--resurrect: none, all).
  var savedNames: [String] = []
  /// --up and --down: the declared sessions named (none: all), or -f's Procfile.
  var declaredNames: [String] = []
  var procfile: String?
  /// The program and its arguments, or the -X command.
  var words: [String] = []

  /// Arguments for options that take one.
  private static let valued: Set<Character> = ["S", "h", "T", "e", "p", "t", "c", "s"]
  /// -X or -Q was given: the words are a command for a session.
  private var commandGiven = false
  private var capitalRs = 0

  init(_ arguments: [String]) throws {
    words = try parse(arguments[...])
    let resuming = resume || multiAttach || (detach && !startDetached)
    if mode == .create && resuming && !resumeOrCreate && !commandGiven, let w = words.first {
      // -r NAME, -x NAME, -d NAME: the word names a session, not a program;
      // options may follow it (`berth -r -p 2 web --read-only`, `... -X quit`).
      try nameSession(w)
      words = try parse(words.dropFirst())
      guard commandGiven || words.isEmpty else {
        throw usage("-r, -x and -d take one session name")
      }
    }
    if mode == .create && commandGiven { mode = .command }
    firstOfSeveral = capitalRs > 1 || (capitalRs > 0 && (resume || multiAttach))
    switch mode {
    case .list, .wipe, .status:
      if let w = words.first {
        // -ls NAME lists only the matching sessions, as in screen.
        guard words.count == 1 else {
          throw usage("-ls, -wipe and --status take at most one session name")
        }
        try nameSession(w)
        words = []
      }
    case .command:
      guard !words.isEmpty else { throw usage("option -X needs a command") }
    case .create where resumeOrCreate && sessionName == nil:
      // -R NAME [cmd...]: resume NAME, or start it running cmd.
      if let w = words.first {
        sessionName = w
        words = Array(words.dropFirst())
      }
    default: break
    }
    if json && mode != .status { throw usage("--json goes with --status") }
    if sessionName == "" { throw usage("a session name cannot be empty") }
  }

  /// Reads options from `arguments` until the first plain word; returns
  /// that word and the ones after it.
  private mutating func parse(_ arguments: ArraySlice<String>) throws -> [String] {
    var rest = arguments
    // The option word just read may take the next plain word as a session name.
    var nameMayFollow = false
    while let arg = rest.popFirst() {
      if !arg.hasPrefix("-") || arg == "-" {
        if nameMayFollow && sessionName == nil {
          try nameSession(arg)
          nameMayFollow = false
          continue
        }
        return [arg] + rest
      }
      nameMayFollow = false
      switch arg {
      case "--": return Array(rest)
      case "-ls", "-list", "--list":
        mode = .list
        nameMayFollow = true
      case "-wipe", "--wipe":
        mode = .wipe
        nameMayFollow = true
      case "--status":
        mode = .status
        nameMayFollow = true
      case "--upgrade":
        // The rest are session names (none: every session).
        mode = .upgrade
        upgradeNames = Array(rest)
        guard !upgradeNames.contains(where: { $0.hasPrefix("-") }) else {
          throw usage("--upgrade takes session names only")
        }
        return []
      case "--resurrect", "--forget":
        // The rest are saved sessions' names.
        mode = arg == "--forget" ? .forget : .resurrect
        savedNames = Array(rest)
        guard !savedNames.contains(where: { $0.hasPrefix("-") || $0.isEmpty }) else {
          throw usage("\(arg) takes session names only")
        }
        guard mode == .resurrect || !savedNames.isEmpty else {
          throw usage("--forget needs the name of a saved session")
        }
        return []
      case "--up", "--down":
        // The rest: declared sessions' names, or -f Procfile [-S NAME].
        mode = arg == "--up" ? .up : .down
        try parseDeclared(rest)
        return []
      case "--tail":
        // Its own small grammar, to the end of the line.
        mode = .tail
        tail = try TailOptions(rest)
        return []
      case "--json": json = true
      case "-v", "-version", "--version": mode = .version
      case "--help", "-help", "-?": mode = .help
      case "--read-only", "-readonly": readOnly = true
      case "--no-clipboard": forwardClipboard = false
      case "-Logfile":
        // A word of its own, as in screen: not -L with the letters o g f i l e.
        guard let file = rest.popFirst(), !file.isEmpty else {
          throw usage("option -Logfile needs a file")
        }
        logFile = file
      case "-X", "-Q":
        // -Q (screen's query) is -X here: the command's answer is printed either way.
        commandGiven = true
      case _ where RestartOptions.isOption(arg):
        if let error = restart.take(arg) { throw usage(error) }
      default:
        if arg.hasPrefix("--") { throw usage("unknown option \(arg)") }
        var letters = arg.dropFirst()
        while let c = letters.first {
          letters = letters.dropFirst()
          if Options.valued.contains(c) {
            if letters.isEmpty {
              guard let v = rest.popFirst() else { throw usage("option -\(c) needs a value") }
              try set(c, v)
            } else {
              try set(c, String(letters))
            }
            break
          }
          try set(c)
          // screen's -r, -R, -x and -d NAME; -dm starts a program instead.
          if "rRx".contains(c) || ("dD".contains(c) && !startDetached) { nameMayFollow = true }
        }
        if startDetached {
          nameMayFollow = nameMayFollow && (resume || multiAttach || resumeOrCreate)
        }
      }
    }
    return []
  }

  /// A session named by a plain word; it must agree with -S when both are given.
  private mutating func nameSession(_ word: String) throws {
    if let s = sessionName, s != word {
      throw usage("two session names given: '\(s)' (-S) and '\(word)'")
    }
    sessionName = word
  }

  private mutating func set(_ c: Character, _ v: String = "") throws {
    switch c {
    case "d": detach = true
    case "D":
      detach = true
      powerDetach = true
    case "m": startDetached = true
    case "r": resume = true
    case "R":
      resumeOrCreate = true
      capitalRs += 1
    case "x": multiAttach = true
    case "S":
      sessionName = v
    case "h":
      guard let n = Int(v), n >= 0, n <= 10_000_000 else {
        throw usage("-h wants a number of lines from 0 to 10000000, not '\(v)'")
      }
      historyLimit = n
    case "T":
      guard isTerminalTypeName(v) else {
        throw usage("-T wants a terminal type name, not '\(visible(v))'")
      }
      term = v
    case "e":
      commandKey = try Options.parseEscape(v)
    case "p":
      guard !v.isEmpty else { throw usage("-p wants a window number or title") }
      window = v
    case "c":
      guard !v.isEmpty else { throw usage("-c wants a file") }
      configFile = v
    case "t":
      guard v.utf8.count <= 256,
        v.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
      else { throw usage("-t wants a title of printable characters (at most 256 bytes)") }
      title = v
    case "s":
      guard !v.isEmpty, v != "-" else {
        throw usage("-s wants a program (a leading - starts a login shell)")
      }
      shell = v
    case "q": quiet = true
    case "a", "A", "U", "O", "l", "n", "i", "f": break  // screen's terminal tweaks: no effect here
    case "L": logging = true
    default: throw usage("unknown option -\(c)")
    }
  }

  /// -e xy: x is the command key, y sends it literally; each as a character or ^X.
  static func parseEscape(_ v: String) throws -> (UInt8, UInt8) {
    var keys: [UInt8] = []
    var bytes = Array(v.utf8)[...]
    while let b = bytes.first {
      bytes = bytes.dropFirst()
      // ^X as in screen's string escapes: a letter or @[\\]^_, or ^? for DEL.
      if b == UInt8(ascii: "^"), let n = bytes.first,
        n == UInt8(ascii: "?") || (0x40..<0x80).contains(n)
      {
        bytes = bytes.dropFirst()
        keys.append(n == UInt8(ascii: "?") ? 0x7F : n & 0x1F)
      } else {
        keys.append(b)
      }
    }
    guard keys.count == 2, keys.allSatisfy({ $0 < 0x80 }) else {
      throw usage("-e wants two keys such as ^Aa or ^Tt, not '\(v)'")
    }
    return (keys[0], keys[1])
  }
}

extension Options {
  /// --up/--down's words: NAME..., or -f Procfile with an optional -S NAME.
  fileprivate mutating func parseDeclared(_ words: ArraySlice<String>) throws {
    var rest = words
    while let w = rest.popFirst() {
      switch w {
      case "-f", "-S":
        guard let v = rest.popFirst(), !v.isEmpty else { throw usage("option \(w) needs a value") }
        if w == "-f" { procfile = v } else { sessionName = v }
      case _ where w.hasPrefix("-"):
        throw usage("--up and --down take names, or -f Procfile [-S name]")
      default: declaredNames.append(w)
      }
    }
    if procfile != nil && !declaredNames.isEmpty {
      throw usage("-f Procfile goes without declared sessions' names")
    }
    if procfile == nil && sessionName != nil { throw usage("-S goes with -f Procfile") }
  }
}

func usage(_ text: String) -> BerthError {
  BerthError("\(text); see berth --help", status: 2)
}

let helpText = """
  Usage: berth [options] [command [args...]]
  Keeps programs running in detached terminal sessions, with screen's command line.

    berth [cmd...]            start a session running cmd (default $SHELL) and attach
    berth -S name [cmd...]    name the session
    berth -dmS name cmd...    start a session detached
    berth -DmS name cmd...    the same, but stay in the foreground until the session ends
                              (for systemd, containers, supervisord; SIGTERM ends it)
    berth -ls | -list         list sessions
    berth -r [name]           reattach to a detached session
    berth -R [name]           reattach if possible, otherwise start a new session
                              (-RR, -xRR: the first of several; -x: attached ones too)
    berth -x [name]           attach to a session even if it is attached elsewhere
    berth -d [name]           detach a session attached elsewhere (-d -r: and attach here)
    berth -S name -X cmd...   send a command to a session (any command of C-a :, such as
                              screen, select, title, kill, windows, stuff, hardcopy,
                              split, focus, only, paste, bind, hardstatus, detach, quit,
                              eval, at, source, echo); -Q is the same. Options may
                              come before the command (-X -S name -p 1 stuff x); inside
                              a session, without -S, it goes to that session ($STY)
    berth -q -ls | -q -r      print nothing; exit 9 (no sessions), 10 (none to attach),
                              10+N (N to attach or to choose from)
    berth -wipe               remove dead sessions' sockets (and ended sessions' records)
    berth --status [name] [--json]
                              each window's program: state, pid, uptime, restarts, last
                              exit, policy; then the sessions that ended detached
    berth --tail [-n N] [-f] [--timestamps] [--color] name[:window]
                              print a window's last N lines (10); -f: then its output,
                              line by line, until its program ends (Ctrl-C stops)
    berth --upgrade [name...] after berth was replaced with a new version: each
                              session's server carries on as the new berth, its
                              programs, screens and clients untouched
    berth --resurrect [name...]
                              bring back saved sessions that do not run (after a
                              reboot): windows, titles, directories, screens; none
                              named: every one; -R name does it too, then attaches
    berth --forget name...    delete a saved session
    berth --up [name...]      start the declared sessions that do not run
                              (~/.config/berth/sessions/NAME.berthrc)
    berth --down [name...]    stop declared sessions (SIGTERM, SIGKILL after stopwait)
    berth --up -f Procfile [-S name]
                              one session, a window per Procfile entry, with .env
    berth -v                  print the version

  Options: -c file (startup file, default ~/.berthrc), -h lines (scrollback),
  -T term (default tmux-256color, or screen-256color where that terminfo is missing),
  -e xy (command key), -t title (first window's title),
  -L (log every window's output to screenlog.N), -Logfile file (log there instead),
  -s shell (for windows opened without a program; -s -/bin/bash: a login shell),
  -p window (for -r and -X), --read-only (attach without typing), --no-clipboard (keep
  programs' OSC 52 copies out of your terminal's clipboard), --restart=no|on-failure|always
  (start the program again when it ends), --restart-limit=N (give up after N quick ends).
  Keys: C-a c new window, C-a n/p/0-9/C-a switch, C-a " or w list, C-a A title, C-a k kill,
  C-a S/| split, C-a Tab next region, C-a X/Q remove/only, C-a [ copy, C-a ] paste,
  C-a M/_ monitor, C-a : command line, C-a ? keys, C-a d detach, C-a a send C-a.
  See berth(1) for everything else.
  """

/// `--tail [-n N] [-f] [--timestamps] [--color] NAME[:WINDOW]`.
struct TailOptions {
  var lines = 10
  var follow = false
  var timestamps = false
  var color = false
  /// NAME[:WINDOW] as given (split once the sessions are known: a name may hold ':').
  var target: String?

  init() {}

  init(_ arguments: ArraySlice<String>) throws {
    var rest = arguments
    while let arg = rest.popFirst() {
      switch arg {
      case "-f", "--follow": follow = true
      case "--timestamps": timestamps = true
      case "--color", "--colour": color = true
      case "-n", "--lines":
        guard let text = rest.popFirst() else { throw usage("--tail: -n needs a number of lines") }
        lines = try Self.count(text)
      case _ where arg.hasPrefix("-n") && arg.count > 2:
        lines = try Self.count(String(arg.dropFirst(2)))
      case _ where arg.hasPrefix("--lines="):
        lines = try Self.count(String(arg.dropFirst(8)))
      case _ where arg.hasPrefix("-") && arg != "-":
        throw usage("--tail: unknown option \(arg)")
      default:
        guard target == nil else { throw usage("--tail takes one session name[:window]") }
        guard !arg.isEmpty else { throw usage("a session name cannot be empty") }
        target = arg
      }
    }
  }

  private static func count(_ text: String) throws -> Int {
    guard let n = Int(text), n >= 0, n <= FollowRequest.maxLines else {
      throw usage(
        "--tail: -n takes a number of lines from 0 to \(FollowRequest.maxLines), not \(visible(text))"
      )
    }
    return n
  }
}
