// The DEC and ANSI modes a program can set that the server or a client must
// know about: key encoding, mouse, paste, focus, screen and wrapping.

/// Current DEC/ANSI modes of a terminal, as the program set them.
public struct Modes: Equatable, Sendable {
  /// DECCKM (`CSI ? 1 h`): cursor keys send SS3 sequences.
  public var applicationCursorKeys: Bool = false
  /// DECKPAM (`ESC =`) / DECKPNM (`ESC >`).
  public var applicationKeypad: Bool = false
  /// `CSI ? 2004 h`: pastes are wrapped in `CSI 200 ~` ... `CSI 201 ~`.
  public var bracketedPaste: Bool = false
  /// `CSI ? 9/1000/1002/1003 h`.
  public var mouseTracking: MouseTracking = .none
  /// `CSI ? 1005/1006/1015 h`.
  public var mouseEncoding: MouseEncoding = .legacy
  /// `CSI ? 1004 h`: focus in and out are reported.
  public var focusEvents: Bool = false
  /// `CSI ? 47/1047/1049 h`: the alternate screen is shown.
  public var alternateScreen: Bool = false
  /// `CSI ? 2026 h`: the program is drawing a frame; a client may wait for its end.
  public var synchronizedOutput: Bool = false
  /// IRM (`CSI 4 h`): printed characters push the rest of the line right.
  public var insertMode: Bool = false
  /// DECAWM (`CSI ? 7 h`): printing past the right margin wraps.
  public var autowrap: Bool = true
  /// DECOM (`CSI ? 6 h`): cursor addressing is relative to the scroll region.
  public var originMode: Bool = false
  /// modifyOtherKeys and the kitty keyboard flags (KeyboardModes.swift).
  public var keyboard = KeyboardModes()

  public init() {}
}

/// The answer DECRQM gives for a mode: 1 set, 2 reset, 0 not recognised.
extension Modes {
  func decrqmPrivate(_ mode: Int, cursorVisible: Bool) -> Int {
    func answer(_ on: Bool) -> Int { on ? 1 : 2 }
    switch mode {
    case 1: return answer(applicationCursorKeys)
    case 6: return answer(originMode)
    case 7: return answer(autowrap)
    case 9: return answer(mouseTracking == .x10)
    case 25: return answer(cursorVisible)
    case 47, 1047, 1049: return answer(alternateScreen)
    case 66: return answer(applicationKeypad)
    case 1000: return answer(mouseTracking == .normal)
    case 1002: return answer(mouseTracking == .buttonEvent)
    case 1003: return answer(mouseTracking == .anyEvent)
    case 1004: return answer(focusEvents)
    case 1005: return answer(mouseEncoding == .utf8)
    case 1006: return answer(mouseEncoding == .sgr)
    case 1015: return answer(mouseEncoding == .urxvt)
    case 2004: return answer(bracketedPaste)
    case 2026: return answer(synchronizedOutput)
    default: return 0
    }
  }

  func decrqmANSI(_ mode: Int) -> Int {
    switch mode {
    case 4: return insertMode ? 1 : 2
    default: return 0
    }
  }
}
