// -D -m: the berth the user started stays in the foreground until the
// session ends, as screen's -D -m process does: it becomes the session's
// keeper (CSupport's Keeper.c), and the server runs as its child. systemd
// (Type=simple), containers and supervisord thus see the session's life as
// this process's, name it by this pid (PID.NAME), and end it with SIGTERM,
// which the keeper passes on to the server.
import BerthServer
import BerthSystem
import Glibc

enum Foreground {
  /// Serves the session in this process; returns 0 when it ends (as
  /// screen does, whatever its programs' status), or the status of a
  /// start that failed, with its reason printed.
  static func serve(_ config: ServerConfig, directory: String, name: String) -> Int32 {
    // What the caller left open is not the session's: a pipe whose reader
    // waits for its end must not wait for the session's (as a spawned
    // server starts with only the descriptors it is given).
    closefrom(3)
    // A process session of its own, as screen's backend: hangups and keys
    // of the caller's terminal are not the session's. A shell's job leads
    // its process group already and stays where it is (setsid fails).
    _ = setsid()
    var config = config
    config.sessionName = "\(getpid()).\(name)"
    // The process the user started stays until the session ends, as the
    // session's keeper: it exits with the server's status and passes
    // SIGTERM on. The session keeps its pid in its name; the server, its
    // child, has one of its own (--status shows it).
    SessionServer.startKeeper()
    config.socketPath = directory + "/" + config.sessionName
    config.readyFd = nil
    config.creatorFd = nil
    return SessionServer.main(config: config, foreground: true)
  }
}
