import BerthProtocol
import BerthSystem
import BerthTerminal
// The user's terminal beyond what ncurses draws: the modes the client turns
// on in it for the window's program (mouse reporting, focus events), the
// ones it keeps on while attached (bracketed paste, keypad transmit), and
// what it forwards (title, clipboard, cursor shape). Written straight to
// the terminal after ncurses has flushed, and all undone on detach.
@preconcurrency import CNcurses
import Glibc

final class TerminalModes {
  /// What the program asked for, as last mirrored into the user's terminal.
  private var mouse: MouseTracking = .none
  private var focus = false
  private var cursorShape: UInt8 = 0
  private let keypadOn: String?
  private let keypadOff: String?
  /// Terminals that take xterm's OSC title, OSC 52 and DECSCUSR sequences.
  let xtermLike: Bool
  let forwardClipboard: Bool

  init(forwardClipboard: Bool) {
    self.forwardClipboard = forwardClipboard
    keypadOn = Self.capability("smkx")
    keypadOff = Self.capability("rmkx")
    let term = environment("TERM") ?? ""
    xtermLike = [
      "xterm", "rxvt", "screen", "tmux", "alacritty", "kitty", "foot", "st-", "wezterm",
      "konsole", "gnome", "vte", "iterm", "putty", "mintty",
    ].contains { term.hasPrefix($0) }
  }

  private static func capability(_ name: String) -> String? {
    guard let p = name.withCString({ tigetstr($0) }), Int(bitPattern: p) != -1 else { return nil }
    return String(cString: p)
  }

  private func write(_ s: String) {
    try? FD.writeAll(1, s)
  }

  /// On attach: pastes arrive bracketed, keypad keys distinguishable.
  func start() {
    write("\u{1B}[?2004h" + (keypadOn ?? ""))
  }

  /// On detach: the terminal as it was.
  func stop() {
    var s = "\u{1B}[?2004l" + (keypadOff ?? "")
    if mouse != .none { s += "\u{1B}[?1006l\u{1B}[?1003l\u{1B}[?1002l\u{1B}[?1000l" }
    if focus { s += "\u{1B}[?1004l" }
    if cursorShape != 0 && xtermLike { s += "\u{1B}[0 q" }
    write(s)
    mouse = .none
    focus = false
    cursorShape = 0
  }

  /// The session watches the mouse (mousetrack): reports are asked for even
  /// when the program did not ask.
  var sessionMouse = false
  private var lastFlags: UInt32 = 0

  /// Mirrors the window's modes and cursor shape into the terminal.
  func update(modeFlags: UInt32, cursorShape shape: UInt8) {
    var s = ""
    lastFlags = modeFlags
    var tracking =
      MouseTracking(
        rawValue: UInt8(truncatingIfNeeded: modeFlags >> ModeFlags.mouseTrackingShift) & 0xF)
      ?? .none
    if sessionMouse && tracking == .none { tracking = .normal }
    if tracking != mouse {
      s += "\u{1B}[?1006l\u{1B}[?1003l\u{1B}[?1002l\u{1B}[?1000l"
      switch tracking {
      case .none: break
      case .x10, .normal: s += "\u{1B}[?1000h\u{1B}[?1006h"
      case .buttonEvent: s += "\u{1B}[?1002h\u{1B}[?1006h"
      case .anyEvent: s += "\u{1B}[?1003h\u{1B}[?1006h"
      }
      mouse = tracking
    }
    let wantsFocus = modeFlags & ModeFlags.focusEvents != 0
    if wantsFocus != focus {
      s += wantsFocus ? "\u{1B}[?1004h" : "\u{1B}[?1004l"
      focus = wantsFocus
    }
    if shape != cursorShape && xtermLike && shape <= 6 {
      s += "\u{1B}[\(shape) q"
      cursorShape = shape
    }
    if !s.isEmpty { write(s) }
  }

  var mouseReporting: Bool { mouse != .none }

  /// mousetrack changed: the terminal's mouse mode follows.
  func setSessionMouse(_ on: Bool) {
    guard on != sessionMouse else { return }
    sessionMouse = on
    update(modeFlags: lastFlags, cursorShape: cursorShape)
  }

  /// The window's title, in the terminal's title bar.
  func setTitle(_ title: String) {
    guard xtermLike else { return }
    let clean = String(
      title.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(256))
    write("\u{1B}]2;\(clean)\u{07}")
  }

  /// An OSC 52 copy by the program, passed to the terminal's clipboard.
  func copyToClipboard(_ payload: [UInt8]) {
    guard forwardClipboard, xtermLike, payload.count <= 1 << 20,
      payload.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
    else { return }
    write("\u{1B}]52;" + String(decoding: payload, as: UTF8.self) + "\u{07}")
  }
}
