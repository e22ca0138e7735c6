// Asking the user's terminal for extended keys, only while the window shown
// has a program that asked for them (as tmux's `extended-keys on`): xterm's
// modifyOtherKeys 2 and a push of kitty's flag 1 (disambiguate), which
// terminals without them ignore. What comes back is parsed by InputParser
// (ExtendedKeyInput.swift). Undone when the program stops asking, and on
// detach, suspend and exit, so the shell after berth gets legacy keys.
import BerthSystem

struct ExtendedKeysRequest {
  static let on = "\u{1B}[>4;2m\u{1B}[>1u"
  static let off = "\u{1B}[>4m\u{1B}[<u"
  private(set) var active = false

  /// Follows the window's wish (ModeFlags.extendedKeys of its frames).
  mutating func follow(_ wanted: Bool) {
    guard wanted != active else { return }
    active = wanted
    try? FD.writeAll(1, wanted ? Self.on : Self.off)
  }
}
