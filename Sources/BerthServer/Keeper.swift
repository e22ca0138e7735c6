// The server's side of the session's keeper (CSupport's Keeper.c): the
// process above the server that holds a copy of each PTY master, the
// listening socket and the state's memory file, and starts a server again
// from them when one is killed outright (SIGKILL, the OOM killer). The
// server tells it what to hold as it opens and closes those descriptors;
// it tells the server how the programs a killed server left behind ended,
// since they are the keeper's children then, not the server's.
import BerthSystem
import CSupport
import Glibc

enum Keeper {
  /// The control socket, or -1 without a keeper. Only the server's thread
  /// uses it.
  nonisolated(unsafe) static var socket: Int32 = -1

  /// The variable that carries the socket's number across the server's
  /// execs (an upgrade, a crash exec, a restart by the keeper). Programs
  /// never see it.
  static let variable = BERTH_KEEPER_VARIABLE

  /// Takes the control socket the keeper (or the server before this exec)
  /// left: its number is in the environment, and it must be a socket.
  static func attach() {
    let started = berth_keeper_socket()
    guard let fd = started >= 0 ? started : environment(variable).flatMap({ Int32($0) }), fd > 2
    else { return }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFSOCK else { return }
    FD.setCloseOnExec(fd)
    socket = fd
    // For the execs to come (an upgrade, a crash exec): read there.
    setenv(variable, String(fd), 1)
  }

  /// Hold a copy of fd (a PTY master, the listening socket).
  static func keep(_ fd: Int32) {
    guard socket >= 0, fd >= 0 else { return }
    _ = berth_keeper_send(socket, Int32(BERTH_KEEP.rawValue), fd, 0, nil, fd)
  }

  /// Let go of the copy of fd: the server is closing it (a hung-up window
  /// must not stay open in the keeper).
  static func drop(_ fd: Int32) {
    guard socket >= 0, fd >= 0 else { return }
    _ = berth_keeper_send(socket, Int32(BERTH_DROP.rawValue), fd, 0, nil, -1)
  }

  /// The state a new server starts from (its latest copy).
  static func keepState(_ fd: Int32) {
    guard socket >= 0, fd >= 0 else { return }
    _ = berth_keeper_send(socket, Int32(BERTH_KEEP_STATE.rawValue), fd, 0, nil, fd)
  }

  /// The binary a new server is started from, and as which recovery.
  static func execute(_ executable: String, generation: Int) {
    guard socket >= 0 else { return }
    let g = Int32(clamping: generation)
    _ = berth_keeper_send(socket, Int32(BERTH_EXEC.rawValue), 0, g, executable, -1)
  }

  /// The programs the keeper reaped, each with its wait status. Returns
  /// false when the keeper is gone (then there is no keeper any more).
  static func receiveExits(_ exited: (pid_t, Int32) -> Void) -> Bool {
    guard socket >= 0 else { return true }
    var op: Int32 = 0
    var number: Int32 = 0
    var value: Int32 = 0
    while true {
      let r = berth_keeper_receive(socket, &op, &number, &value)
      if r < 0 { return true }
      if r == 0 {
        FD.close(socket)
        socket = -1
        return false
      }
      if op == Int32(BERTH_EXITED.rawValue) { exited(number, value) }
    }
  }
}

extension SessionServer {
  /// Forks the session's keeper; this process carries on as the server (a
  /// new pid: the keeper keeps the one it was started as). Without one (the
  /// fork failed), the session runs as before, unprotected from SIGKILL.
  public static func startKeeper() {
    _ = berth_keeper_start()
  }

  /// After an exec or at start: the keeper holds the listening socket and
  /// every window's PTY (again: the same numbers are replaced).
  func handKeeperTheDescriptors() {
    Keeper.attach()
    Keeper.keep(listener)
    for w in windows { w.program.heldByKeeper() }
  }

  /// The keeper's reports: programs a killed server left behind that ended.
  func readKeeper() {
    let alive = Keeper.receiveExits { pid, status in
      programExited(pid: pid, status: status)
    }
    if !alive {
      SystemLog.warning(
        "berth: \(config.sessionName): its keeper ended; a killed server would now lose its programs"
      )
    }
  }
}
