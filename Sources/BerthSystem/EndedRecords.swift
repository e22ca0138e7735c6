// Records of sessions that ended with nobody attached: how and when they
// ended and how long they ran, kept until `berth -wipe`, for `--status`.
// One small JSON file per session, named PID.NAME as its socket was, in
// $BERTHDIR/ended when BERTHDIR is set, else in
// ${XDG_STATE_HOME:-~/.local/state}/berth/ended; files 0600, directory 0700,
// each written whole (a temporary file renamed into place).
import Glibc

public enum EndedRecords {
  /// Where the records live, or nil when neither BERTHDIR, XDG_STATE_HOME
  /// nor HOME says.
  public static var directory: String? {
    if let dir = environment("BERTHDIR"), !dir.isEmpty { return absolutePath(dir) + "/ended" }
    if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
      return state + "/berth/ended"
    }
    guard let home = environment("HOME"), home.hasPrefix("/") else { return nil }
    return home + "/.local/state/berth/ended"
  }

  /// A record's content: the session (PID.NAME), when it ended (seconds
  /// since the epoch), how long it ran, how its last program ended (nil
  /// when it was ended by `quit` or a signal to the server: `reason` says).
  public static func record(
    id: String, ended: Int64, ran: Int64, exit: ExitStatus?, reason: String
  ) -> JSON {
    let dot = id.firstIndex(of: ".") ?? id.endIndex
    let name = dot < id.endIndex ? String(id[id.index(after: dot)...]) : id
    return .object([
      ("name", .string(name)),
      ("pid", .int(Int64(id[..<dot]) ?? 0)),
      ("ended", .string(rfc3339(ended))),
      ("ran", .int(max(0, ran))),
      ("exit", exit.map(exitJSON) ?? .null),
      ("reason", .string(reason)),
    ])
  }

  /// `{"code": 3, "signal": null}` or `{"code": null, "signal": "SIGKILL"}`.
  public static func exitJSON(_ status: ExitStatus) -> JSON {
    switch status {
    case .exited(let c): return .object([("code", .int(Int64(c))), ("signal", .null)])
    case .signaled(let s): return .object([("code", .null), ("signal", .string(signalName(s)))])
    }
  }

  /// Writes the record of session `id`; false when it could not (the
  /// session ends all the same).
  @discardableResult
  public static func write(_ record: JSON, id: String) -> Bool {
    guard let dir = directory, isSessionID(id), makeDirectories(dir) else { return false }
    let path = dir + "/" + id
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { return false }
    let written = (try? FD.writeAll(fd, record.text() + "\n")) != nil
    let synced = fsync(fd) == 0
    FD.close(fd)
    guard written, synced, rename(temporary, path) == 0 else {
      unlink(temporary)
      return false
    }
    return true
  }

  /// Every record, as (file name, content), in the order of their names;
  /// files that are not records (too big, not JSON) are left out.
  public static func all() -> [(id: String, record: JSON)] {
    guard let dir = directory, let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var found: [(id: String, record: JSON)] = []
    while let entry = readdir(d) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard isSessionID(name), !name.hasSuffix(".tmp"),
        let text = readSmallFile(dir + "/" + name), let json = JSON(parsing: text)
      else { continue }
      found.append((name, json))
    }
    return found.sorted { $0.id < $1.id }
  }

  /// Removes the records of `ids`; returns how many went.
  public static func remove(_ ids: [String]) -> Int {
    guard let dir = directory else { return 0 }
    return ids.filter { isSessionID($0) && unlink(dir + "/" + $0) == 0 }.count
  }

  /// A date as RFC 3339 in UTC: "2026-12-06T10:00:00Z".
  public static func rfc3339(_ seconds: Int64) -> String {
    formatTime(seconds, "%Y-%m-%dT%H:%M:%SZ", utc: true)
  }

  /// mkdir -p with mode 0700 for what it makes; the last must be a real directory.
  private static func makeDirectories(_ path: String) -> Bool {
    var prefix = ""
    for part in path.split(separator: "/") {
      prefix += "/" + part
      if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return false }
    }
    var st = stat()
    return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR && st.st_uid == getuid()
  }

  /// A file of at most 64 KiB, as text; nil otherwise.
  private static func readSmallFile(_ path: String) -> String? {
    var st = stat()
    guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG,
      let bytes = FD.readFile(path, limit: 65536), bytes.count <= 65536
    else { return nil }
    return String(validating: bytes, as: UTF8.self)
  }
}
