// The mouse, when the session watches it (`mousetrack on`, as in screen):
// a click in a region focuses it, and the wheel over a window whose
// program has not asked for the mouse scrolls its history in copy mode
// (scrolling back to the bottom leaves it). Events a program asked for
// go to the program, at its window's coordinates.
import BerthProtocol
import BerthTerminal

extension SessionServer {
  /// Lines the wheel scrolls per notch.
  static let wheelLines = 3

  /// Handles a mouse event from client c (at display coordinates).
  func mouse(_ event: MouseEvent, from c: ClientConnection) {
    guard c.phase == .attached else { return }
    arrange(c)
    let composed = isComposed(c)
    let region =
      composed
      ? c.layout.regions.first { r in
        event.x >= r.x && event.y >= r.y && event.x < r.x + r.width && event.y < r.y + r.height
      } : c.layout.focus
    guard let region else { return }
    if region !== c.layout.focus {
      // A click elsewhere moves the focus there, and does nothing else.
      if event.kind == .press && event.button < 3 && settings.mouseTrack {
        c.layout.focus(on: region)
        c.copy = nil
        c.overlay = nil
        if let w = region.window {
          currentWindow = w
          clearFlags(of: w)
        }
        c.displayChanged()
      }
      return
    }
    guard let w = c.window ?? (composed ? nil : window(of: c)) else { return }
    let programWants = w.terminal.modes.mouseTracking != .none
    if programWants && !isModal(c) {
      guard !c.readOnly else { return }
      var e = event
      e.x -= region.x
      e.y -= region.y
      adoptSize(of: c)
      w.mouse(e)
      return
    }
    guard settings.mouseTrack, event.kind == .press, event.button == 64 || event.button == 65,
      c.overlay == nil
    else { return }
    if c.copy == nil {
      guard event.button == 64 else { return }
      c.copy = CopyMode(w.terminal, ignoreCase: settings.ignoreCase)
    }
    c.copy?.scroll(
      lines: event.button == 64 ? -Self.wheelLines : Self.wheelLines, w.terminal,
      height: region.height)
    if event.button == 65, let copy = c.copy, copy.top >= w.terminal.historyCount, copy.mark == nil
    {
      c.copy = nil
      c.forgetScreen()
    }
    c.displayChanged()
  }
}
