// The startup files, read when the session starts: -c FILE; else
// ~/.berthrc; else screen's, so that someone who swaps screen for berth
// keeps their configuration: $SYSTEM_SCREENRC or /etc/screenrc, then
// $SCREENRC or ~/.screenrc. One command a line, in the prompt's syntax,
// # comments, $VAR and ${VAR} taken from the environment of the windows (so
// a `setenv` counts for the lines after it), as in a screenrc; a backslash
// at a line's end is a character of the line, not a continuation, as in
// screen (Debian's /etc/screenrc has `bind ^\`). A bad line is reported, as
// "FILE:LINE: message", to the first client that attaches, and skipped.
import BerthProtocol
import BerthSystem
import Glibc

extension SessionServer {
  func runStartupFile() {
    for path in startupFiles() {
      guard let failures = runCommands(inFile: path, from: ClientConnection(fd: -1), startup: true)
      else {
        pendingMessages.append("\(path): cannot read: \(SystemError.text(for: errno))")
        continue
      }
      pendingMessages += failures
    }
  }

  /// The files to read, in order: missing ones of screen's are left out, as
  /// screen leaves them out; a missing -c file is reported.
  func startupFiles() -> [String] {
    if let given = config.startupFile { return given.isEmpty ? [] : [given] }
    let home = environment("HOME")
    if let home, access(home + "/.berthrc", F_OK) == 0 { return [home + "/.berthrc"] }
    let system = environment("SYSTEM_SCREENRC") ?? "/etc/screenrc"
    let user = environment("SCREENRC") ?? home.map { $0 + "/.screenrc" }
    return [system, user].compactMap { $0 }.filter { !$0.isEmpty && access($0, F_OK) == 0 }
  }

  /// Runs a file of commands for client c (the startup file, or `source`),
  /// a line at a time; returns the lines that failed, as "FILE:LINE:
  /// message", or nil when the file cannot be read. The startup file's
  /// layout is recorded for the clients to come.
  func runCommands(inFile path: String, from c: ClientConnection, startup: Bool) -> [String]? {
    guard let text = Self.readFile(path) else { return nil }
    var failures: [String] = []
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var line = String(raw)
      if line.hasSuffix("\r") { line.removeLast() }
      let firstLine = i + 1
      let expanded = CommandWords.expandingVariables(line, lookup: variable)
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
