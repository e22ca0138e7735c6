// berth --resurrect [NAME...], --forget NAME..., and -R NAME for a session
// that is saved but not running: sessions come back after a reboot from
// their saves (SaveFile.swift), each as a new detached server that builds
// its windows from the save (Resurrection.swift). A save that cannot be
// read is reported by name and its backup is used; a session already
// running is never brought back twice.
import BerthServer
import BerthSystem
import Glibc

extension CommandLineTool {
  func resurrect() throws -> Int32 {
    try directory.validate(create: true)
    let running = Set(sessions.sessions().filter(\.isAlive).map(\.name))
    let names =
      options.savedNames.isEmpty
      ? SaveFile.all().map(\.name).filter { !running.contains($0) } : options.savedNames
    guard !names.isEmpty else {
      if !options.quiet { print("No saved sessions to resurrect.") }
      return 0
    }
    var failed = false
    for name in names {
      guard !running.contains(name) else {
        printError("berth: \(visible(name)) is running: not resurrected")
        failed = true
        continue
      }
      do {
        let id = try resurrectSession(name)
        if !options.quiet { print("Resurrected \(id).") }
      } catch {
        printError("berth: \(error)")
        failed = true
      }
    }
    return failed ? 1 : 0
  }

  /// -R NAME: when no session NAME runs but one is saved, it is brought
  /// back (then attached, as -R attaches); nil when there is no such save.
  func resurrectForAttach(running all: [Session]) throws -> String? {
    guard let name = options.sessionName, SaveFile.isUsableName(name),
      !all.contains(where: { $0.isAlive && $0.name == name }),
      let path = SaveFile.path(of: name), let backup = SaveFile.backupPath(of: name),
      access(path, F_OK) == 0 || access(backup, F_OK) == 0
    else { return nil }
    return try resurrectSession(name)
  }

  /// Starts the server that brings NAME back; its PID.NAME.
  private func resurrectSession(_ name: String) throws -> String {
    guard SaveFile.isUsableName(name) else {
      throw BerthError("\(visible(name)) cannot be the name of a saved session")
    }
    let loaded = try SaveFile.load(name)
    if let problem = loaded.problem {
      printError(
        "berth: \(name): the save is unusable (\(problem)); resurrecting from the backup of \(formatDate(loaded.saved))"
      )
      // The damaged file must not become the backup at the next save.
      if let path = SaveFile.path(of: name), access(path, F_OK) == 0 {
        rename(path, path + ".damaged")
      }
    }
    try validateSessionName(name, directory: directory.path)
    var config = ServerConfig(
      socketPath: "", sessionName: "", columns: loaded.columns, rows: loaded.rows,
      historyLimit: loaded.historyLimit, term: loaded.term, argv: ["-"], readyFd: nil)
    config.explicitProgram = false
    config.startupFile = ""
    config.resurrectFrom = loaded.path
    return try Launcher.start(config: config, directory: directory.path, name: name, connect: false)
      .id
  }

  func forget() throws -> Int32 {
    var failed = false
    for name in options.savedNames {
      guard SaveFile.forget(name) else {
        printError("berth: no saved session named \(visible(name))")
        failed = true
        continue
      }
    }
    return failed ? 1 : 0
  }

  /// The saves of sessions not running now, for --status (matching NAME when given).
  func savedSessions(running: [Session]) -> [(name: String, saved: Int64)] {
    let alive = Set(running.filter(\.isAlive).map(\.name))
    return SaveFile.all().filter { save in
      guard !alive.contains(save.name) else { return false }
      guard let query = options.sessionName, !query.isEmpty else { return true }
      return save.name == query || save.name.hasPrefix(query)
    }
  }
}

extension StatusTable {
  /// `{"name": "web", "state": "saved", "saved": "2026-..."}`.
  static func savedJSON(_ save: (name: String, saved: Int64)) -> JSON {
    .object([
      ("name", .string(save.name)), ("state", .string("saved")),
      ("saved", .string(EndedRecords.rfc3339(save.saved))),
    ])
  }

  /// The saved sessions' rows under --status's others.
  static func savedLines(_ saves: [(name: String, saved: Int64)], after others: Bool) -> [String] {
    guard !saves.isEmpty else { return [] }
    let header = ["SESSION", "STATE"]
    let body = saves.map { [$0.name, "saved"] }
    let widths = [min(max(header[0].count, body.map { $0[0].count }.max() ?? 0), 20), 5]
    var out = others ? [""] : []
    out.append(row(header, widths, last: "SAVED"))
    for (fields, save) in zip(body, saves) {
      out.append(row(fields, widths, last: formatTime(save.saved, "%Y-%m-%d %H:%M:%S", utc: false)))
    }
    return out
  }
}
