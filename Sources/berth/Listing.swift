// -ls and -wipe: the sessions in screen's words, and with -q only the
// exit status that dotfiles test (screen's codes, 9, 10 and 10 + N).
import BerthSystem
import Glibc

extension CommandLineTool {
  /// Lists the sessions `-ls [name]` matches; `wiping` (-wipe) first
  /// removes the sockets of the dead ones.
  func list(wiping: Bool) throws -> Int32 {
    // A directory that does not exist holds no session; one that fails the
    // checks is an error. An older berth's directories are looked at too.
    try directory.validate(create: false)
    var found = sessions.matching(options.sessionName, in: sessions.sessions())
    var wiped = 0
    if wiping {
      for i in found.indices where found[i].state == .dead {
        if unlink(found[i].path) == 0 {
          wiped += 1
          found[i].state = .unusable("Removed")
        } else if !options.quiet {
          printError("berth: cannot remove \(found[i].path): \(SystemError.text(for: errno))")
        }
      }
    }
    // Ended sessions' records go too, silently: -wipe's output stays screen's.
    if wiping { _ = EndedRecords.remove(matchingRecords(endedSessions()).map(\.0.id)) }
    let remaining = found.filter { $0.state != .unusable("Removed") }
    if options.quiet { return quietListStatus(remaining) }
    if !found.isEmpty { printList(("There is a screen on:", "There are screens on:"), found) }
    if wiped > 0 {
      print("\(wiped) socket\(wiped == 1 ? "" : "s") wiped out.")
    } else if found.contains(where: { $0.state == .dead }) {
      print("Remove dead screens with 'berth -wipe'.")
    }
    for line in socketCountLines(remaining, in: sessions.directories) { print(line) }
    return remaining.isEmpty ? 1 : 0
  }

  /// `-q -ls`: 9 when there is no session, else 10 + the number that can
  /// be attached (detached ones; with -x, every running one), as screen's
  /// manual gives them.
  private func quietListStatus(_ found: [Session]) -> Int32 {
    guard !found.isEmpty else { return 9 }
    let attachable = found.filter {
      options.multiAttach ? $0.isAlive : $0.state == .detached
    }
    return quietStatus(10 + attachable.count)
  }
}

/// A count as an exit status, which holds at most 255: beyond, it stays 255.
func quietStatus(_ n: Int) -> Int32 {
  Int32(min(n, 255))
}
