// What a status string is about: the window, its session, and the client
// and region showing it. The server builds one for each line it draws.
import BerthSystem
import Glibc

struct StatusContext {
  /// The window the line is about (%n %t %f %x ...): the client's window
  /// for the hardstatus line, the region's for a caption.
  var window: Window?
  /// Every window, for %w.
  var windows: [Window]
  /// %F: true in the caption of the region that has the focus; never in
  /// the hardstatus line, as in screen.
  var focused: Bool
  /// %P: the region is in copy mode.
  var copyMode = false
  /// The session's name without its PID (%S).
  var sessionName: String
  /// The client's other window (C-a C-a), marked - in %Lw.
  var previous: Window? = nil
  /// %p; %+p is the client's.
  var serverPID: Int32 = getpid()
  var clientPID: () -> Int32? = { nil }
  /// The last line of backtick command N as it printed it (^E escapes
  /// and all), nil when there is no such command.
  var backtick: (Int) -> [UInt8]? = { _ in nil }
  /// Whether a window shows in more than one region (& among its flags).
  var shownTwice: (Window) -> Bool = { _ in false }
}

extension SessionServer {
  /// The context for a line about window w, shown to client c (nil for a
  /// log stamp); `focused` and `copyMode` are the caption's region's.
  func statusContext(
    _ w: Window?, focused: Bool, client c: ClientConnection? = nil, copyMode: Bool = false
  ) -> StatusContext {
    let name = config.sessionName
    let previous = c?.previousWindow.flatMap { p in windows.contains { $0 === p } ? p : nil }
    return StatusContext(
      window: w, windows: windows, focused: focused, copyMode: copyMode,
      sessionName: name.firstIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? name,
      previous: previous,
      clientPID: { c.flatMap { UnixSocket.peerPID($0.fd) } },
      backtick: { [unowned self] in self.backticks[$0]?.text },
      shownTwice: { [unowned self] w in
        var regions = 0
        for client in self.clients where client.isAttached {
          regions += client.layout.regions.reduce(0) { $0 + ($1.window === w ? 1 : 0) }
        }
        return regions > 1
      })
  }
}
