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
  /// A socket already connected to the berth that created the session and
  /// will attach: it is served before the program can exit, so even a
  /// program that ends at once leaves its last screen and status to it.
  public var creatorFd: Int32?
  /// The startup file to read: nil for ~/.berthrc (if there is one), "" for none.
  public var startupFile: String?
  /// The program was named on the command line (so it runs even when the
  /// startup file opens windows of its own).
  public var explicitProgram = true
  /// Every window logs its output from the start (-L), whatever deflog says.
  public var logAllWindows = false
  /// Where logs go (-Logfile); nil for screenlog.%n.
  public var logFile: String?
  /// The title of the window running argv (-t); nil: the program's own.
  public var title: String?
  /// The shell for windows opened without a program (-s); nil for $SHELL.
  public var shell: String?
  /// --restart= and --restart-limit= for the window running argv.
  public var restart = RestartOptions()
  /// The save to bring back instead of starting a program (`--resurrect`).
  public var resurrectFrom: String?

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

  /// The arguments: mode flag, socket dir, name, size, history, term, ready fd, creator fd,
  /// startup file ("-" for the default, else "=path"), explicit program (1/0),
  /// log all windows (1/0), log file, title, shell, restart policy and
  /// restart limit, the save to resurrect ("-" or "=value"), --, argv.
  public func arguments(socketDirectory: String, name: String) -> [String] {
    func optional(_ s: String?) -> String { s.map { "=" + $0 } ?? "-" }
    return [
      Self.modeFlag, socketDirectory, name, String(columns), String(rows), String(historyLimit),
      term, readyFd.map(String.init) ?? "-", creatorFd.map(String.init) ?? "-",
      optional(startupFile), explicitProgram ? "1" : "0", logAllWindows ? "1" : "0",
      optional(logFile), optional(title), optional(shell), optional(restart.policy),
      optional(restart.limit.map(String.init)), optional(resurrectFrom), "--",
    ] + argv
  }

  /// Parses `arguments(...)` back; the session is named `pid.name`.
  public init?(arguments a: [String], pid: Int32) {
    guard a.count >= 20, a[0] == Self.modeFlag, a[18] == "--",
      let columns = Int(a[3]), let rows = Int(a[4]), let history = Int(a[5])
    else { return nil }
    func optional(_ s: String) -> String? { s.hasPrefix("=") ? String(s.dropFirst()) : nil }
    let name = "\(pid).\(a[2])"
    self.init(
      socketPath: a[1] + "/" + name, sessionName: name, columns: columns, rows: rows,
      historyLimit: history, term: a[6], argv: Array(a[19...]), readyFd: Int32(a[7]))
    creatorFd = Int32(a[8])
    startupFile = optional(a[9])
    explicitProgram = a[10] == "1"
    logAllWindows = a[11] == "1"
    logFile = optional(a[12])
    title = optional(a[13])
    shell = optional(a[14])
    resurrectFrom = optional(a[17])
    // Checked by the command line already; a bad value here is refused.
    var options = RestartOptions()
    if let p = optional(a[15]), options.take("--restart=" + p) != nil { return nil }
    if let l = optional(a[16]), options.take("--restart-limit=" + l) != nil { return nil }
    restart = options
  }
}
