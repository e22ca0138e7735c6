// Commands that run other commands, as scripts and startup files use them
// (eval, source, at), and those that speak to the people attached (echo,
// wall, version).
import BerthProtocol
import BerthSystem
import Glibc

extension SessionServer {
  /// The deepest `source` may nest (a file that sources itself stops there).
  static let maxSourceDepth = 10

  /// eval command [command...]: each argument is a command line of its own,
  /// run in turn; the first that fails ends the run. A command that
  /// switches windows moves the ones after it to the new window, as typing
  /// them would.
  func evalCommand(_ call: CommandCall) -> (Int32, String) {
    guard !call.args.isEmpty else { return (1, "eval: usage: eval command [command...]") }
    var target = call.window
    var outputs: [String] = []
    for line in call.args {
      let argv = CommandWords.split(line)
      guard !argv.isEmpty else { continue }
      let before = currentWindow
      let (status, output) = execute(argv, from: call.client, window: target)
      if !output.isEmpty { outputs.append(output) }
      if status != 0 { return (status, outputs.joined(separator: "\n")) }
      if currentWindow !== before { target = currentWindow }
    }
    return (0, outputs.joined(separator: "\n"))
  }

  /// source file: the file's commands, as the startup file's are run.
  func sourceCommand(_ call: CommandCall) -> (Int32, String) {
    let args = call.args
    guard args.count == 1, !args[0].isEmpty else { return (1, "source: usage: source file") }
    guard sourceDepth < Self.maxSourceDepth else {
      return (1, "source: \(visible(args[0])): sourced more than \(Self.maxSourceDepth) deep")
    }
    sourceDepth += 1
    defer { sourceDepth -= 1 }
    guard let failures = runCommands(inFile: args[0], from: call.client, startup: false) else {
      return (1, "source: \(visible(args[0])): \(SystemError.text(for: errno))")
    }
    return failures.isEmpty ? (0, "") : (1, failures.joined(separator: "\n"))
  }

  func echoCommand(_ call: CommandCall) -> (Int32, String) {
    // screen's -n (no newline) means nothing for a message line.
    let words = call.args.first == "-n" ? Array(call.args.dropFirst()) : call.args
    guard !words.isEmpty else { return (1, "echo: usage: echo [-n] message") }
    let text = words.joined(separator: " ")
    // Typed at C-a :, the answer is the message; from -X or the startup
    // file, the clients attached see it (or the first to attach).
    if call.client.phase != .attached { tell(text) }
    return (0, text)
  }

  func wallCommand(_ args: [String]) -> (Int32, String) {
    guard !args.isEmpty else { return (1, "wall: usage: wall message") }
    tell(args.joined(separator: " "))
    return (0, "")
  }

  func versionCommand() -> (Int32, String) {
    (0, "berth \(berthVersion)")
  }

  /// A message for every attached client; kept for the first to attach
  /// when there is none.
  func tell(_ text: String) {
    let attached = attachedClients
    if attached.isEmpty { pendingMessages.append(text) }
    for a in attached { a.send(.message(text)) }
  }

  /// at [identifier][#|*|%] command [args...]: the command run in other
  /// windows (`#`: all of them; `N#` or a title: that one) or for every
  /// attached client (`%` or `*`: berth has one user), as if typed there.
  func at(_ args: [String], from c: ClientConnection) -> (Int32, String) {
    let usage = (Int32(1), "at: usage: at [identifier][#|*|%] command [args...]")
    guard args.count >= 2, let spec = args.first, !spec.isEmpty else { return usage }
    let argv = Array(args.dropFirst())
    var results: [(Int32, String)] = []
    switch spec.last {
    case "%", "*":
      guard spec.count == 1 else {
        return (1, "at: \(visible(spec)): only every display (%) or user (*) can be named")
      }
      for a in attachedClients { results.append(execute(argv, from: a, window: window(of: a))) }
    default:
      let identifier = spec.last == "#" ? String(spec.dropLast()) : spec
      let targets: [Window]
      if identifier.isEmpty {
        targets = windows
      } else if let one = window(named: identifier) {
        targets = [one]
      } else {
        return (1, "at: no window '\(visible(identifier))'")
      }
      for t in targets { results.append(execute(argv, from: c, window: t)) }
    }
    let failed = results.first { $0.0 != 0 }
    let text = results.map(\.1).filter { !$0.isEmpty }.joined(separator: "\n")
    return (failed?.0 ?? 0, text)
  }
}
