// What a session server is started with: passed by the command line as
// arguments of the hidden server mode, parsed here without any library so
// that the server stays small.

public struct ServerConfig: Sendable {
  public var socketPath: String
  /// PID.NAME
  public var sessionName: String
  public var columns: Int
  public var rows: Int
  public var historyLimit: Int
  public var term: String
  public var argv: [String]
  /// Where the server reports that it is ready (or why it failed), or nil.
  public var readyFd: Int32?

  public init(
    socketPath: String, sessionName: String, columns: Int, rows: Int, historyLimit: Int,
    term: String, argv: [String], readyFd: Int32?
  ) {
    self.socketPath = socketPath
    self.sessionName = sessionName
    self.columns = columns
    self.rows = rows
    self.historyLimit = historyLimit
    self.term = term
    self.argv = argv
    self.readyFd = readyFd
  }

  public static let modeFlag = "--berth-internal-server"

  /// The arguments that follow `modeFlag`: socket dir, name, size, history, term, ready fd, --, argv.
  public func arguments(socketDirectory: String, name: String) -> [String] {
    [
      Self.modeFlag, socketDirectory, name, String(columns), String(rows), String(historyLimit),
      term, readyFd.map(String.init) ?? "-", "--",
    ] + argv
  }

  /// Parses the arguments after `modeFlag`; the socket name is `pid.name`.
  public init?(arguments a: [String], pid: Int32) {
    guard a.count >= 9, a[0] == Self.modeFlag, a[7 + 1] == "--",
      let columns = Int(a[3]), let rows = Int(a[4]), let history = Int(a[5])
    else { return nil }
    let name = "\(pid).\(a[2])"
    self.init(
      socketPath: a[1] + "/" + name, sessionName: name, columns: columns, rows: rows,
      historyLimit: history, term: a[6], argv: Array(a[9...]), readyFd: Int32(a[7]))
  }
}
