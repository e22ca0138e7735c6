// The files that carry a session across a reboot: one per session name,
// ${XDG_STATE_HOME:-~/.local/state}/berth/saves/NAME.save, the one before it
// kept as NAME.backup. A save is written whole or not at all: into a
// temporary file, synced, then renamed over the old one (which is first
// linked to the backup), so a crash or a full disk mid-write leaves the
// last good save in place. Read back with StateCoding, bounds-checked: a
// damaged, cut or foreign file is an error naming it, and the backup is
// tried.
import BerthProtocol
import BerthSystem
import BerthTerminal
import Glibc

public enum SaveFile {
  /// The directory of saves, or nil when neither XDG_STATE_HOME nor HOME says.
  public static var directory: String? {
    if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
      return state + "/berth/saves"
    }
    guard let home = environment("HOME"), home.hasPrefix("/") else { return nil }
    return home + "/.local/state/berth/saves"
  }

  /// The largest save read back (a session holds at most this much history).
  static let sizeLimit = 1 << 30

  /// NAME of a session PID.NAME: saves outlive the pid.
  public static func name(ofSession id: String) -> String {
    guard let dot = id.firstIndex(of: "."), Int(id[..<dot]) != nil else { return id }
    return String(id[id.index(after: dot)...])
  }

  /// Whether a name can be a save's file name (no path, nothing hidden).
  public static func isUsableName(_ name: String) -> Bool {
    !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && name.utf8.count <= 200
  }

  public static func path(of name: String) -> String? {
    guard let dir = directory, isUsableName(name) else { return nil }
    return dir + "/" + name + ".save"
  }

  public static func backupPath(of name: String) -> String? {
    guard let dir = directory, isUsableName(name) else { return nil }
    return dir + "/" + name + ".backup"
  }

  /// Writes the bytes as NAME's save; the save before becomes the backup.
  /// Empty bytes never replace a save.
  static func write(_ bytes: [UInt8], name: String) throws {
    guard !bytes.isEmpty else { throw BerthError("nothing to save") }
    guard let dir = directory, let path = path(of: name), let backup = backupPath(of: name) else {
      throw BerthError("no place for saves (set XDG_STATE_HOME or HOME)")
    }
    guard makeDirectories(dir) else { throw SystemError("mkdir \(dir)") }
    // Each writer its own temporary file: a save at SIGTERM may overlap one in a child.
    let temporary = "\(dir)/.\(name).\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { throw SystemError("open \(temporary)") }
    do {
      try FD.writeAll(fd, bytes)
      guard fsync(fd) == 0 else { throw SystemError("fsync \(temporary)") }
      FD.close(fd)
    } catch {
      FD.close(fd)
      unlink(temporary)
      throw error
    }
    // The good save becomes the backup without a moment with neither.
    let linked = "\(dir)/.\(name).\(getpid()).old"
    unlink(linked)
    if link(path, linked) == 0 { rename(linked, backup) }
    guard rename(temporary, path) == 0 else {
      let error = SystemError("rename \(temporary)")
      unlink(temporary)
      throw error
    }
    let dirFd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dirFd >= 0 {
      fsync(dirFd)
      FD.close(dirFd)
    }
  }

  /// Removes NAME's save and backup; false when there was none.
  @discardableResult
  public static func forget(_ name: String) -> Bool {
    guard let path = path(of: name), let backup = backupPath(of: name) else { return false }
    let a = unlink(path) == 0
    let b = unlink(backup) == 0
    return a || b
  }

  /// The names saved, with when each was saved (seconds since the epoch).
  public static func all() -> [(name: String, saved: Int64)] {
    guard let dir = directory, let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var found: [(String, Int64)] = []
    while let entry = readdir(d) {
      let file = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard file.hasSuffix(".save"), !file.hasPrefix(".") else { continue }
      let name = String(file.dropLast(5))
      var st = stat()
      guard stat(dir + "/" + file, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
      found.append((name, Int64(st.st_mtim.tv_sec)))
    }
    return found.sorted { $0.0 < $1.0 }
  }

  /// A save read back and checked whole, as the command line sees it.
  public struct Loaded {
    /// The file it came from (the save or its backup).
    public var path: String
    public var saved: Int64
    public var columns: Int
    public var rows: Int
    public var term: String
    public var historyLimit: Int
    public var windows: Int
    /// What was wrong with the save when the backup was taken instead.
    public var problem: String?
    var state: SessionState
  }

  /// NAME's save, or its backup when the save is missing or bad; throws
  /// naming both problems when neither can be read.
  public static func load(_ name: String) throws -> Loaded {
    guard let path = path(of: name), let backup = backupPath(of: name) else {
      throw BerthError("\(name): no such saved session")
    }
    var problem: String?
    do {
      return try read(path)
    } catch let error as SaveError where error.missing {
      var st = stat()
      guard stat(backup, &st) == 0 else { throw BerthError("\(name): no such saved session") }
      problem = "the save is missing"
    } catch {
      problem = "\(error)"
    }
    do {
      var loaded = try read(backup)
      loaded.problem = problem
      return loaded
    } catch let error as SaveError where error.missing {
      throw BerthError(
        "\(name): the save cannot be read (\(problem ?? "")), and there is no backup")
    } catch {
      throw BerthError(
        "\(name): the save cannot be read (\(problem ?? "")), nor its backup (\(error))")
    }
  }

  struct SaveError: Error, CustomStringConvertible {
    var description: String
    var missing = false
  }

  /// One file, decoded and every window's terminal checked.
  static func read(_ path: String) throws -> Loaded {
    var st = stat()
    guard stat(path, &st) == 0 else { throw SaveError(description: "missing", missing: true) }
    guard st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) <= sizeLimit,
      let bytes = FD.readFile(path, limit: sizeLimit), bytes.count <= sizeLimit
    else { throw SaveError(description: "cannot be read") }
    guard !bytes.isEmpty else { throw SaveError(description: "empty") }
    let state: SessionState
    do {
      state = try StateCoding.decode(
        SessionState.self, from: bytes, kind: SessionState.kind,
        supporting: 1...SessionState.version
      ).value
      for w in state.windows where !w.terminal.isEmpty { _ = try Terminal(snapshot: w.terminal) }
    } catch {
      throw SaveError(description: "\(error)")
    }
    return Loaded(
      path: path, saved: Int64(st.st_mtim.tv_sec),
      columns: min(max(state.columns, 1), maxDimension),
      rows: min(max(state.rows, 1), maxDimension), term: state.term,
      historyLimit: min(max(state.settings.historyLimit, 0), 10_000_000),
      windows: state.windows.count, state: state)
  }

  /// Creates the directories of path, mode 0700, as needed.
  private static func makeDirectories(_ path: String) -> Bool {
    var st = stat()
    if stat(path, &st) == 0 { return st.st_mode & S_IFMT == S_IFDIR }
    var prefix = ""
    for part in path.split(separator: "/") {
      prefix += "/" + part
      if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return false }
    }
    return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
  }
}
