// berth --upgrade [NAME...]: after a new berth was installed over the old
// one, each session's server (every one, or those named) carries on as the
// new binary in the same process (SIGUSR2; see Upgrade.swift in the
// server). Done when the process runs the new file and its socket answers
// in this berth's protocol; a server that could not says why to its
// clients and the system log, and stays as it was.
import BerthClient
import BerthProtocol
import BerthSystem
import Glibc

extension CommandLineTool {
  func upgrade() throws -> Int32 {
    _ = try directory.validate(create: false)
    let all = sessions.sessions().filter(\.isAlive)
    var targets: [Session] = []
    for name in options.upgradeNames {
      let found = sessions.matching(name, in: all)
      guard !found.isEmpty else { throw BerthError("no session matching \(visible(name))") }
      targets += found.filter { t in !targets.contains { $0.id == t.id } }
    }
    if options.upgradeNames.isEmpty { targets = all }
    guard !targets.isEmpty else {
      print("No sessions to upgrade.")
      return 0
    }
    var failed = 0
    for session in targets {
      do {
        print("\(session.id): \(try upgrade(session))")
      } catch {
        printError("berth: \(session.id): not upgraded: \(error)")
        failed += 1
      }
    }
    return failed == 0 ? 0 : 1
  }

  /// Upgrades one session; its line ("upgraded 0.1.0 -> 0.2.0").
  private func upgrade(_ session: Session) throws -> String {
    let before = try SessionConnection(path: session.path).serverVersions()
    guard before.protocol >= 7 else {
      throw BerthError(
        "it runs a berth too old to upgrade in place (protocol \(before.protocol)); it goes on as it is"
      )
    }
    // The server says its pid: after its keeper restarted it, it is not
    // the one in the session's name.
    let pid = before.pid ?? session.pid
    let exe = "/proc/\(pid)/exe"
    var old = stat()
    guard stat(exe, &old) == 0 else {
      throw BerthError("cannot see its server (pid \(pid))")
    }
    // The file the server was started from: an upgrade is to whatever is there now.
    if let path = installedExecutable(of: pid) {
      var installed = stat()
      if stat(path, &installed) == 0, installed.st_ino == old.st_ino, installed.st_dev == old.st_dev
      {
        return "already runs \(path) (\(before.berth ?? "?"))"
      }
    }
    guard kill(pid, SIGUSR2) == 0 else {
      throw BerthError("cannot signal its server (pid \(pid)): \(SystemError.text(for: errno))")
    }
    // Done when the process runs another file and answers in our protocol.
    let deadline = Clock.nanos() &+ 15_000_000_000
    while Clock.nanos() < deadline {
      usleep(20_000)
      guard kill(pid, 0) == 0 else {
        throw BerthError("its server ended during the upgrade")
      }
      var now = stat()
      guard stat(exe, &now) == 0, now.st_ino != old.st_ino || now.st_dev != old.st_dev else {
        continue
      }
      guard let after = try? SessionConnection(path: session.path).serverVersions(timeoutMs: 2000),
        after.protocol == protocolVersion
      else { continue }
      return "upgraded \(before.berth ?? "?") -> \(after.berth ?? berthVersion)"
    }
    throw BerthError(
      "its server did not take the new berth (it says why to attached clients and the system log)")
  }
}
