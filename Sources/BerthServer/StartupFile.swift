// The startup file (~/.berthrc, or -c file), read when the session starts:
// one command a line, in the prompt's syntax, # comments, a trailing
// backslash continuing a line, $VAR and ${VAR} taken from the environment
// of the windows (so a `setenv` counts for the lines after it), as in a
// screenrc. A bad line is reported, as "FILE:LINE: message", to the first
// client that attaches, and skipped.
import BerthProtocol
import BerthSystem
import Glibc

extension SessionServer {
  func runStartupFile() {
    let path: String
    if let given = config.startupFile {
      guard !given.isEmpty else { return }
      path = given
    } else {
      guard let home = environment("HOME") else { return }
      path = home + "/.berthrc"
      if access(path, F_OK) != 0 { return }
    }
    guard let failures = runCommands(inFile: path, from: ClientConnection(fd: -1), startup: true)
    else {
      pendingMessages.append("\(path): cannot read: \(SystemError.text(for: errno))")
      return
    }
    pendingMessages += failures
  }

  /// Runs a file of commands for client c (the startup file, or `source`),
  /// a line at a time; returns the lines that failed, as "FILE:LINE:
  /// message", or nil when the file cannot be read. The startup file's
  /// layout is recorded for the clients to come.
  func runCommands(inFile path: String, from c: ClientConnection, startup: Bool) -> [String]? {
    guard let text = Self.readFile(path) else { return nil }
    var failures: [String] = []
    var pending = ""
    var firstLine = 0
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var line = String(raw)
      if line.hasSuffix("\r") { line.removeLast() }
      if pending.isEmpty { firstLine = i + 1 }
      if line.hasSuffix("\\") && !line.hasSuffix("\\\\") {
        pending += line.dropLast()
        continue
      }
      let expanded = CommandWords.expandingVariables(pending + line, lookup: variable)
      pending = ""
      guard let expanded else {
        failures.append("\(path):\(firstLine): a ${ without its }")
        continue
      }
      let argv = CommandWords.split(expanded)
      guard !argv.isEmpty else { continue }
      let before = windows.count
      let w = c.phase == .attached ? window(of: c) : currentWindow
      let (status, output) = execute(argv, from: c, window: w)
      if status != 0 {
        failures.append("\(path):\(firstLine): \(output)")
        continue
      }
      if startup { recordLayout(argv, opened: windows.count > before ? currentWindow : nil) }
    }
    return failures
  }

  /// A variable of the windows' environment, or nil when it is not set.
  private func variable(_ name: String) -> String? {
    let prefix = name + "="
    guard let entry = programEnvironment.last(where: { $0.hasPrefix(prefix) }) else { return nil }
    return String(entry.dropFirst(prefix.count))
  }

  /// Regions are a client's, so the file's region commands (and the windows
  /// shown among them) are played again for each client as it attaches.
  private func recordLayout(_ argv: [String], opened: Window?) {
    let regionCommands: Set = [
      "split", "focus", "only", "remove", "select", "next", "prev", "other",
    ]
    if let w = opened {
      startupLayout.append(["select", String(w.number)])
    } else if regionCommands.contains(argv[0]) {
      startupLayout.append(argv)
    }
  }

  /// Plays the startup file's layout for a client that just attached.
  func applyStartupLayout(to c: ClientConnection) {
    guard startupLayout.contains(where: { ["split", "focus", "only", "remove"].contains($0[0]) })
    else { return }
    for argv in startupLayout { _ = execute(argv, from: c, window: window(of: c)) }
    relayout(c)
  }

  /// A whole (small) file's text (its first MiB), or nil with errno.
  static func readFile(_ path: String) -> String? {
    FD.readFile(path, limit: 1 << 20).map { String(decoding: $0, as: UTF8.self) }
  }
}
