// Direct input: a client may write the text its user types straight to the
// window's PTY, so that a key's echo wakes one process less (client, program,
// server, client instead of client, server, program, server, client).
//
// The server hands the client a copy of the PTY (SCM_RIGHTS) while nothing
// but the program would see the text: the client is attached, may type, shows
// one window of its own size with no copy mode, list or status line, and the
// program is running and reading. Keys that need encoding, pastes, mouse and
// commands still come as messages. The order of what the user typed holds:
// - the client stops writing directly as soon as it sends any message, so
//   text after a command follows it through the server;
// - a grant names how many messages the server had read from the client; the
//   client takes it only if it sent exactly that many, so text it sent before
//   the grant came is written first;
// - whatever else ends the conditions (another client typing, the program
//   exiting, copy mode) sends the client a revocation.
import BerthProtocol
import BerthTerminal
import Glibc

extension SessionServer {
  /// The window whose PTY c may write typed text to, or nil.
  func directInputWindow(for c: ClientConnection) -> Window? {
    guard ending == nil, c.phase == .attached, !c.readOnly, !c.closing, !isComposed(c),
      let size = c.hello, let w = window(of: c), w.isOpen, w.state == .running,
      w.lifecycle.isRunning,
      w.program.pendingInput.isEmpty, w.terminal.columns == size.columns,
      w.terminal.rows == size.rows,
      // Text for a program that asked for extended keys is encoded by the server.
      !w.terminal.modes.encodesTypedText
    else { return nil }
    return w
  }

  /// Grants and revokes direct input as the clients' conditions changed.
  func updateDirectInput() {
    for c in clients {
      let w = directInputWindow(for: c)
      if let held = c.directInput, held.window === w, held.pty == w?.program.fd { continue }
      if c.directInput != nil {
        c.directInput = nil
        c.send(.directInput(serial: nil), always: true)
      }
      guard let w else { continue }
      if c.send(.directInput(serial: c.messagesReceived), passing: w.program.fd) {
        c.directInput = (w, w.program.fd)
      }
    }
  }
}
