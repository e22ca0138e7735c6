// Where session sockets live, and the checks that keep others out of it:
// $BERTHDIR, else /tmp/berth-$UID whatever else the environment holds, so
// that a session started from cron, a service, `env -i`, `su -` or
// `sudo -u` is found from an ssh login and the other way round; mode 0700,
// owned by the user, never a symbolic link.
import Glibc

public struct SocketDirectory {
  public let path: String
  /// Whether $BERTHDIR chose the path (then nothing else is looked at).
  public let isOverride: Bool

  public init() {
    if var dir = environment("BERTHDIR") {
      // Programs get the socket's path in $BERTH: make it absolute.
      dir = absolutePath(dir)
      path = dir.count > 1 && dir.hasSuffix("/") ? String(dir.dropLast()) : dir
      isOverride = true
    } else {
      // Not $XDG_RUNTIME_DIR (a cron job or `env -i` has none, and logind
      // removes /run/user/UID at the last logout) and not $TMPDIR: the same
      // directory for every process of this user, as tmux's /tmp/tmux-UID.
      path = "/tmp/berth-\(getuid())"
      isOverride = false
    }
  }

  /// A directory given by its path (one an older berth used, or a socket's).
  public init(path: String) {
    self.path = path
    isOverride = false
  }

  /// Where berth 0.1 put sockets when $XDG_RUNTIME_DIR was set: sessions of
  /// an older berth still running there are listed and found too, so that
  /// an upgrade loses none. Empty when $BERTHDIR is set.
  public var earlierDirectories: [SocketDirectory] {
    guard !isOverride else { return [] }
    var paths = ["/run/user/\(getuid())/berth"]
    if let xdg = environment("XDG_RUNTIME_DIR") { paths.append(absolutePath(xdg) + "/berth") }
    var seen: Set<String> = [path]
    return paths.filter { seen.insert($0).inserted }.map { SocketDirectory(path: $0) }
  }

  /// Checks the directory; creates it (mode 0700) when `create` and missing.
  /// Returns false when it does not exist and was not created.
  @discardableResult
  public func validate(create: Bool) throws -> Bool {
    // A socket is DIR/PID.NAME (a pid has at most 7 digits): refused before
    // anything is created when not even a one-letter name would fit.
    guard path.utf8.count + 1 + 7 + 1 + 1 <= UnixSocket.maxPathLength else {
      throw BerthError(
        "socket directory \(path) is too long: a socket in it would be over the limit of \(UnixSocket.maxPathLength) bytes; set BERTHDIR to a shorter path"
      )
    }
    var st = stat()
    if lstat(path, &st) != 0 {
      guard errno == ENOENT else { throw SystemError(path) }
      guard create else { return false }
      guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
        throw BerthError("cannot create socket directory \(path): \(SystemError.text(for: errno))")
      }
      return try validate(create: false)
    }
    let type = st.st_mode & S_IFMT
    if type == S_IFLNK {
      throw BerthError("socket directory \(path) is a symbolic link; refusing to use it")
    }
    guard type == S_IFDIR else { throw BerthError("socket directory \(path) is not a directory") }
    guard st.st_uid == getuid() else {
      throw BerthError(
        "socket directory \(path) is owned by uid \(st.st_uid), not by you (\(getuid()))")
    }
    guard st.st_mode & 0o077 == 0 else {
      let mode = String(st.st_mode & 0o777, radix: 8)
      throw BerthError(
        "socket directory \(path) is open to group or others (mode \(mode)); run: chmod 700 \(path)"
      )
    }
    return true
  }

  /// Session sockets (PID.NAME) found in the directory, each with its
  /// lstat, which says what the server marked on it.
  public func entries() -> [(name: String, status: stat)] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var found: [(name: String, status: stat)] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard isSessionID(name) else { continue }
      var st = stat()
      guard lstat(path + "/" + name, &st) == 0, st.st_mode & S_IFMT == S_IFSOCK else { continue }
      found.append((name, st))
    }
    return found
  }

  public func socketPath(_ name: String) -> String { path + "/" + name }
}

/// Whether `name` has the shape of a session's socket name, PID.NAME.
public func isSessionID(_ name: String) -> Bool {
  guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return false }
  return name[..<dot].allSatisfy { $0.isASCII && $0.isNumber } && !name.contains("/")
}
