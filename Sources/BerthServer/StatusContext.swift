// What a status string is about: the window, its session, and the client
// and region showing it, as plain values. The server builds one for each
// line it draws; tests build their own.
import BerthSystem
import Glibc

/// A window as status strings see it.
struct StatusWindow: Equatable {
  var number: Int
  var title: String
  /// What it runs, the program first (%x, %X).
  var command: [String] = []
  /// Output while it was not shown (@), a bell (!), silence noticed.
  var activity = false
  var bell = false
  var silence = false
  /// Logged ((L) among its flags), its program ended (Z), shown in more
  /// than one region (&).
  var logged = false
  var ended = false
  var shownTwice = false
  /// Process care: a mark among the flags for a program that does not run
  /// (R waiting to restart, S stopped, F fatal, Z ended and kept), and its
  /// state in words for %k ("backoff 3s", "stopped", "fatal", "exited").
  var careMark = ""
  var careState = ""
}

struct StatusContext {
  /// The number of the window the line is about (%n %t %f %x ...): the
  /// client's window for the hardstatus line, the region's for a caption.
  var current: Int?
  /// Every window, for %w.
  var windows: [StatusWindow]
  /// %F: true in the caption of the region that has the focus; never in
  /// the hardstatus line, as in screen.
  var focused = false
  /// %P: the region is in copy mode.
  var copyMode = false
  /// The session's name without its PID (%S).
  var sessionName = ""
  /// The client's other window (C-a C-a), marked - in %Lw.
  var previous: Int? = nil
  /// %H.
  var hostName: () -> String = { shortHostName() ?? "" }
  /// %p; %+p is the client's.
  var serverPID: Int32 = getpid()
  var clientPID: () -> Int32? = { nil }
  /// The last line of backtick command N as it printed it (^E escapes
  /// and all), nil when there is no such command.
  var backtick: (Int) -> [UInt8]? = { _ in nil }
  /// attrcolor's changes, made to the line as it is drawn.
  var attrColors = AttrColors()

  /// The window the line is about.
  var window: StatusWindow? {
    guard let current else { return nil }
    return windows.first { $0.number == current }
  }
}

extension SessionServer {
  /// The context for a line about window w, shown to client c (nil for a
  /// log stamp); `focused` and `copyMode` are the caption's region's.
  func statusContext(
    _ w: Window?, focused: Bool, client c: ClientConnection? = nil, copyMode: Bool = false
  ) -> StatusContext {
    var regions: [ObjectIdentifier: Int] = [:]
    for client in clients where client.isAttached {
      for r in client.layout.regions {
        if let shown = r.window { regions[ObjectIdentifier(shown), default: 0] += 1 }
      }
    }
    let now = Clock.nanos()
    let list = windows.map { w in
      StatusWindow(
        number: w.number, title: w.title,
        command: w.program.spec.commandLine,
        activity: w.activitySeen, bell: w.bellSeen,
        silence: w.monitorSilence && w.silenceAnnounced, logged: w.log != nil,
        ended: w.hasEnded, shownTwice: regions[ObjectIdentifier(w), default: 0] > 1,
        careMark: w.careMark, careState: w.careState(now: now))
    }
    let name = config.sessionName
    let previous = c?.previousWindow.flatMap { p in windows.contains { $0 === p } ? p : nil }
    return StatusContext(
      current: w?.number, windows: list, focused: focused, copyMode: copyMode,
      sessionName: name.firstIndex(of: ".").map { String(name[name.index(after: $0)...]) }
        ?? name,
      previous: previous?.number,
      clientPID: { c.flatMap { UnixSocket.peerPID($0.fd) } },
      backtick: { [unowned self] in self.backticks[$0]?.text }, attrColors: settings.attrColors)
  }
}

extension SessionServer {
  /// Seconds between redraws of the status lines for the clock and the load
  /// they show (in their strings or in the backtick output they show): 1
  /// with seconds, else 60; nil when they show neither.
  var statusClockStep: UInt64? {
    var minutes = false
    for format in [settings.hardstatusShown ? settings.hardstatus : "", settings.caption] {
      if StatusString.uses(format, escapes: "s") { return 1 }
      minutes = minutes || StatusString.showsTime(format)
      guard StatusString.uses(format, escapes: "`") else { continue }
      for b in backticks.values {
        if b.clockStep == 1 { return 1 }
        minutes = minutes || b.clockStep != nil
      }
    }
    return minutes ? 60 : nil
  }
}
