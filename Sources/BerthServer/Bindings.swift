// The keys that follow the command key (C-a) and what they do, screen's
// defaults. Keys the client handles itself (detach, the literal command
// key, redraw) never reach this table. Also bindkey's table: special keys
// of the user's terminal (F1, C-Left...) that run a command themselves.
import BerthProtocol
import BerthTerminal

/// What a bound key does: run a command, or first ask the user.
enum Binding: Codable {
  case command([String])
  /// Ask for a line; the answer is appended to the command.
  case ask(String, [String])
  /// Ask y/n; the command runs on y.
  case confirm(String, [String])
  /// Open the command line (C-a :).
  case commandLine

  /// The command it runs, as the key lists show it.
  var command: String {
    switch self {
    case .command(let argv), .ask(_, let argv), .confirm(_, let argv):
      return argv.joined(separator: " ")
    case .commandLine: return "colon"
    }
  }
}

extension SessionServer {
  var commandKey: UInt8 { settings.commandKey }

  var bindings: [UInt8: Binding] { settings.bindings }

  /// Runs a bound key for client c.
  func runBinding(_ key: UInt8, for c: ClientConnection) {
    // Every bound key is answered, with a result or a question: the client
    // holds what is typed after it until then.
    let inClass = classBinding(key, for: c)
    guard let binding = inClass ?? bindings[key] else {
      let text = "No command bound to ^\(controlName(commandKey)) \(keyName(key))"
      c.send(.commandResult(status: 1, output: Array(text.utf8)))
      return
    }
    run(binding, for: c)
  }

  /// Does what a binding says, for client c: the command's result, or its
  /// question. `answering`: the client waits for the result (a key after
  /// the command key, a bound byte string), holding what is typed after it;
  /// else (bindkey's special keys, copy mode's keys) the result is only a
  /// message, which must not release keys held for another answer.
  func run(_ binding: Binding, for c: ClientConnection, answering: Bool = true) {
    switch binding {
    case .command(let argv):
      let (status, output) = execute(argv, from: c, window: window(of: c))
      if answering {
        c.send(.commandResult(status: status, output: Array(output.utf8)))
      } else if !output.isEmpty {
        c.send(.message(output))
      }
    case .ask(let text, let argv):
      let initial = argv == ["title"] ? window(of: c)?.title ?? "" : ""
      c.send(.prompt(Prompt(kind: .line, text: text, initial: initial, command: argv)))
    case .confirm(let text, let argv):
      c.send(.prompt(Prompt(kind: .confirm, text: text, command: argv)))
    case .commandLine:
      let names = CommandEntry.all.map(\.name).sorted()
      c.send(.prompt(Prompt(kind: .commandLine, text: ":", command: names)))
    }
  }

  /// bindkey's keys, by name, and what they run.
  var keyBindingList: [(key: String, command: String)] {
    settings.keyBindings.map { ($0.key.name, $0.value.command) }.sorted { $0.key < $1.key }
  }

  static let defaultBindings: [UInt8: Binding] = {
    var table: [UInt8: Binding] = [:]
    func bind(_ keys: [UInt8], _ b: Binding) { for k in keys { table[k] = b } }
    func key(_ c: Unicode.Scalar) -> UInt8 { UInt8(ascii: c) }
    bind([key("c"), 0x03], .command(["screen"]))
    bind([key("n"), 0x0E, key(" ")], .command(["next"]))
    bind([key("p"), 0x10, 0x08, 0x7F], .command(["prev"]))
    bind([key("w"), 0x17], .command(["windows"]))
    bind([key("N")], .command(["number"]))
    bind([key("k"), 0x0B], .confirm("Really kill this window [y/n]", ["kill"]))
    bind([key("A")], .ask("Set window's title to: ", ["title"]))
    bind([key("'")], .ask("Switch to window: ", ["select"]))
    bind([key(":")], .commandLine)
    bind([key("\"")], .command(["windowlist"]))
    bind([key("?")], .command(["help"]))
    bind([key("["), 0x1B], .command(["copy"]))
    bind([key("]"), 0x1D], .command(["paste", "."]))
    bind([key("m"), 0x0D], .command(["lastmsg"]))
    bind([key("<")], .command(["readbuf"]))
    bind([key(">")], .command(["writebuf"]))
    bind([key("=")], .command(["removebuf"]))
    bind([key("S")], .command(["split"]))
    bind([key("|")], .command(["split", "-v"]))
    bind([0x09], .command(["focus"]))
    bind([key("X")], .command(["remove"]))
    bind([key("Q")], .command(["only"]))
    bind([key("M")], .command(["monitor"]))
    bind([key("_")], .command(["silence"]))
    bind([key("H")], .command(["log"]))
    bind([key("h")], .command(["hardcopy"]))
    bind([key("\\"), 0x1C], .confirm("Really quit and kill all your windows [y/n]", ["quit"]))
    bind([key("t"), 0x14], .command(["time"]))
    bind([key("i")], .command(["info"]))
    bind([key("F")], .command(["fit"]))
    bind([key("z"), 0x1A], .command(["suspend"]))
    bind([key("*")], .command(["displays"]))
    for n in 0...9 { bind([key("0") + UInt8(n)], .command(["select", String(n)])) }
    return table
  }()
}

func controlName(_ key: UInt8) -> String {
  key < 0x20 ? String(UnicodeScalar(key + 0x40)) : String(UnicodeScalar(key))
}

func keyName(_ key: UInt8) -> String {
  key < 0x20 ? "^" + controlName(key) : key == 0x7F ? "^?" : String(UnicodeScalar(key))
}

/// A special key with its modifiers, as bindkey binds it.
struct KeyStroke: Hashable, Codable {
  var key: Key
  var modifiers: KeyModifiers

  /// The key a terminal sends as `bytes` (screen's string escapes decoded):
  /// in any of the forms terminals use, so "^[[1;5D" is C-Left however the
  /// user's terminal happens to send it. nil for text or more than one key.
  init?(sequence bytes: [UInt8]) {
    var parser = InputParser()
    let events = parser.parse(bytes[...]) + parser.flushPending()
    guard events.count == 1, case .key(let key, let modifiers) = events[0] else { return nil }
    self.init(key: key, modifiers: modifiers)
  }

  init(key: Key, modifiers: KeyModifiers) {
    self.key = key
    self.modifiers = modifiers
  }

  /// The key of a termcap capability name, as `bindkey -k` takes them.
  init?(capability name: String) {
    guard let key = Self.capabilities[name] else { return nil }
    self.init(key: key, modifiers: [])
  }

  static let capabilities: [String: Key] = [
    "k1": .f1, "k2": .f2, "k3": .f3, "k4": .f4, "k5": .f5, "k6": .f6, "k7": .f7, "k8": .f8,
    "k9": .f9, "k;": .f10, "F1": .f11, "F2": .f12, "ku": .up, "kd": .down, "kl": .left,
    "kr": .right, "kh": .home, "@7": .end, "kH": .end, "kI": .insert, "kD": .delete,
    "kP": .pageUp, "kN": .pageDown, "kB": .backTab,
  ]

  /// "C-Left", "F1", as the bindkey list shows them.
  var name: String {
    var prefix = ""
    if modifiers.contains(.control) { prefix += "C-" }
    if modifiers.contains(.alt) || modifiers.contains(.meta) { prefix += "M-" }
    if modifiers.contains(.shift) { prefix += "S-" }
    let base = "\(key)"
    return prefix + base.prefix(1).uppercased() + base.dropFirst()
  }
}
