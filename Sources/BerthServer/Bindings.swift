// The keys that follow the command key (C-a) and what they do, screen's
// defaults. Keys the client handles itself (detach, the literal command
// key, redraw) never reach this table.
import BerthProtocol

/// What a bound key does: run a command, or first ask the user.
enum Binding {
  case command([String])
  /// Ask for a line; the answer is appended to the command.
  case ask(String, [String])
  /// Ask y/n; the command runs on y.
  case confirm(String, [String])
  /// Open the command line (C-a :).
  case commandLine
}

extension SessionServer {
  var commandKey: UInt8 { settings.commandKey }

  var bindings: [UInt8: Binding] { settings.bindings }

  /// Runs a bound key for client c.
  func runBinding(_ key: UInt8, for c: ClientConnection) {
    // Every bound key is answered, with a result or a question: the client
    // holds what is typed after it until then.
    guard let binding = bindings[key] else {
      let text = "No command bound to ^\(controlName(commandKey)) \(keyName(key))"
      c.send(.commandResult(status: 1, output: Array(text.utf8)))
      return
    }
    switch binding {
    case .command(let argv):
      let (status, output) = execute(argv, from: c, window: window(of: c))
      c.send(.commandResult(status: status, output: Array(output.utf8)))
    case .ask(let text, let argv):
      let initial = argv == ["title"] ? window(of: c)?.title ?? "" : ""
      c.send(.prompt(Prompt(kind: .line, text: text, initial: initial, command: argv)))
    case .confirm(let text, let argv):
      c.send(.prompt(Prompt(kind: .confirm, text: text, command: argv)))
    case .commandLine:
      c.send(.prompt(Prompt(kind: .commandLine, text: ":")))
    }
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
