// The commands that bind keys and play them: bind (with screen's command
// classes, -c, and special keys, -k), bindkey (special keys, byte strings
// and copy mode's keys, -m), command (the command key from a binding, into
// a class: the "resize mode" snippets) and process (a register's keys, as
// if typed: byobu's F-keys).
import BerthProtocol
import BerthSystem
import BerthTerminal

extension SessionServer {
  /// bind [-c class] [-k capability | key] [command [args...]]: what a key
  /// does after the command key (in `class`, after `command -c class`);
  /// without a command the key is unbound.
  func bind(_ args: [String]) -> (Int32, String) {
    let usage = (Int32(1), "bind: usage: bind [-c class] [-k capability | key] [command [args...]]")
    var rest = args[...]
    var commandClass: String?
    var capability = false
    while let flag = rest.first, flag == "-c" || flag == "-k" {
      rest = rest.dropFirst()
      if flag == "-k" {
        capability = true
        continue
      }
      guard let name = rest.first, !name.isEmpty else { return usage }
      commandClass = name
      rest = rest.dropFirst()
    }
    guard let keyName = rest.first else { return usage }
    let command = Array(rest.dropFirst())
    let binding = command.isEmpty ? nil : Self.binding(for: command)
    if capability {
      guard let stroke = KeyStroke(capability: keyName) else {
        return (
          1,
          "bind: '\(visible(keyName))' is not a key capability berth knows (k1..k9, k;, F1, F2, ku, kd, kl, kr, kh, kH, kI, kD, kP, kN)"
        )
      }
      guard commandClass == nil else { return (1, "bind: -k keys belong to the default class") }
      settings.specialBindings[stroke] = binding
      return (0, "")
    }
    guard let key = Self.parseKey(keyName) else {
      return (1, "bind: '\(visible(keyName))' is not one key")
    }
    if let commandClass {
      settings.classBindings[commandClass, default: [:]][key] = binding
    } else {
      settings.bindings[key] = binding
    }
    return (0, "")
  }

  /// bindkey [-d] [-m] [-a] [-t] [-k capability | string] [command [args...]]:
  /// a key of the user's terminal runs the command instead of going to the
  /// program (-m: in copy mode); without a command it goes to the program
  /// again; alone, the list of such keys. A string that is one special key
  /// (C-Left, F5) matches it however the terminal sends it; any other string
  /// matches those very bytes.
  func bindkey(_ args: [String]) -> (Int32, String) {
    let usage = (
      Int32(1), "bindkey: usage: bindkey [-d] [-m] [-k capability | string] [command [args...]]"
    )
    var rest = args[...]
    var capability = false
    var copyMode = false
    while let flag = rest.first, flag.count == 2, flag.hasPrefix("-") {
      rest = rest.dropFirst()
      switch flag {
      // -d: the terminal's default table, -a: every table, -t: without a
      // timeout; berth has one table for the user's keys and times nothing.
      case "-d", "-a", "-t": break
      case "-k": capability = true
      case "-m": copyMode = true
      default: return usage
      }
    }
    guard let name = rest.first else {
      guard !capability else { return usage }
      let list = keyBindingList.map { "\($0.key) \($0.command)" }
      return (0, list.isEmpty ? "No keys bound with bindkey" : list.joined(separator: "\n"))
    }
    let command = Array(rest.dropFirst())
    let binding = command.isEmpty ? nil : Self.binding(for: command)
    let bytes = StringEscapes.decode(name)
    let stroke = capability ? KeyStroke(capability: name) : KeyStroke(sequence: bytes)
    if capability && stroke == nil {
      return (1, "bindkey: '\(visible(name))' is not a key capability berth knows")
    }
    if copyMode {
      if let stroke {
        settings.copyKeyBindings[stroke] = binding
      } else if bytes.count == 1 {
        settings.copyBindings[bytes[0]] = binding
      } else {
        return (1, "bindkey -m: '\(visible(name))' is not one key")
      }
      return (0, "")
    }
    if let stroke {
      settings.keyBindings[stroke] = binding
      return (0, "")
    }
    guard !bytes.isEmpty, bytes.count <= ClientSettings.maxSequenceLength else {
      return (
        1,
        "bindkey: '\(visible(name))' is empty or longer than \(ClientSettings.maxSequenceLength) bytes"
      )
    }
    guard
      binding == nil || settings.sequenceBindings[bytes] != nil
        || settings.sequenceBindings.count < ClientSettings.maxBoundSequences
    else { return (1, "bindkey: too many keys bound") }
    settings.sequenceBindings[bytes] = binding
    sendSettings()
    return (0, "")
  }

  /// command [-c class]: as if the command key had been typed (into class:
  /// the next key is looked up in that class's bindings).
  func command(_ args: [String], from c: ClientConnection) -> (Int32, String) {
    var commandClass: String?
    if args.first == "-c" {
      guard args.count == 2, !args[1].isEmpty else {
        return (1, "command: usage: command [-c class]")
      }
      commandClass = args[1]
    } else if !args.isEmpty {
      return (1, "command: usage: command [-c class]")
    }
    guard let display = display(for: c) else { return (1, "command: there is no display") }
    display.commandClass = commandClass
    display.send(.prompt(Prompt(kind: .commandKey, text: "")))
    return (0, "")
  }

  /// markkeys "h=^B:l=^F:$=^E": in copy mode, ^B does what h does...; in
  /// "@=L=H" both L and H do what @ does (nothing).
  func markkeys(_ args: [String]) -> (Int32, String) {
    guard args.count == 1 else { return (1, "markkeys: usage: markkeys old=new[=new...][:...]") }
    var map = settings.markKeys
    for group in args[0].split(separator: ":", omittingEmptySubsequences: true) {
      let keys = group.split(separator: "=", omittingEmptySubsequences: false).map {
        StringEscapes.decode(String($0))
      }
      guard keys.count >= 2, keys.allSatisfy({ $0.count == 1 }) else {
        return (1, "markkeys: '\(visible(String(group)))' is not old=new with one key each")
      }
      for new in keys.dropFirst() { map[new[0]] = keys[0][0] }
    }
    settings.markKeys = map
    return (0, "")
  }

  /// process [register]: the register's keys, as if the user typed them
  /// (the command key and all).
  func process(_ args: [String], from c: ClientConnection) -> (Int32, String) {
    guard args.count == 1, let name = args[0].utf8.first, args[0].utf8.count == 1 else {
      return (1, "process: usage: process register")
    }
    let keys = name == UInt8(ascii: ".") ? pasteBuffer : registers[name] ?? []
    guard !keys.isEmpty else { return (1, "process: register \(visible(args[0])) is empty") }
    guard let display = display(for: c) else { return (1, "process: there is no display") }
    display.send(.typeKeys(keys))
    return (0, "")
  }

  /// The display a command acts on: the client that ran it, or for `-X`
  /// the first attached client that may type.
  private func display(for c: ClientConnection) -> ClientConnection? {
    if c.isAttached { return c }
    return clients.first { $0.isAttached && !$0.readOnly }
  }

  /// A key typed after `command -c class` and the command key: its class's
  /// binding, or nil when the class does not bind it.
  func classBinding(_ key: UInt8, for c: ClientConnection) -> Binding?? {
    guard let name = c.commandClass else { return nil }
    c.commandClass = nil
    return .some(settings.classBindings[name]?[key])
  }

  /// Runs what the user's bytes are bound to with bindkey.
  func runSequence(_ bytes: [UInt8], for c: ClientConnection) {
    guard let binding = settings.sequenceBindings[bytes] else {
      // Unbound since the client learnt of it: the bytes are the program's.
      typist(c)?.queueRaw(bytes)
      c.send(.commandResult(status: 0, output: []))
      return
    }
    run(binding, for: c)
  }

  /// A special key after the command key: bind -k's table.
  func runSpecialBinding(_ stroke: KeyStroke, for c: ClientConnection) {
    c.commandClass = nil
    guard let binding = settings.specialBindings[stroke] else {
      c.send(.commandResult(status: 1, output: Array("No command bound to \(stroke.name)".utf8)))
      return
    }
    run(binding, for: c)
  }

  /// A key in copy mode bound with bindkey -m runs its command; its `stuff`
  /// types into copy mode (as screen's does), which is how the snippets that
  /// copy to the system clipboard work. True when the key was bound.
  func runCopyBinding(byte: UInt8?, key: KeyStroke?, for c: ClientConnection) -> Bool {
    guard c.copy != nil else { return false }
    let binding =
      byte.flatMap { settings.copyBindings[$0] } ?? key.flatMap { settings.copyKeyBindings[$0] }
    guard let binding else { return false }
    let outer = stuffTarget
    stuffTarget = c
    defer { stuffTarget = outer }
    run(binding, for: c, answering: false)
    return true
  }
}
