// Keys, pastes, focus and mouse events are encoded for the program's modes.
import Testing

@testable import BerthTerminal

private func keys(
  _ key: Key, _ mods: KeyModifiers = [], _ configure: (inout Modes) -> Void = { _ in }
)
  -> String
{
  var modes = Modes()
  configure(&modes)
  var out: [UInt8] = []
  KeyEncoder.encode(key, mods, modes: modes, into: &out)
  return String(decoding: out, as: UTF8.self)
}

@Test func cursorKeysFollowDECCKM() {
  #expect(keys(.up) == "\u{1B}[A")
  #expect(keys(.up) { $0.applicationCursorKeys = true } == "\u{1B}OA")
  #expect(keys(.left, .control) { $0.applicationCursorKeys = true } == "\u{1B}[1;5D")
}

@Test func editingAndFunctionKeysUseScreensTerminfo() {
  #expect(keys(.home) == "\u{1B}[1~")
  #expect(keys(.end) == "\u{1B}[4~")
  #expect(keys(.home, .shift) == "\u{1B}[1;2H")
  #expect(keys(.delete) == "\u{1B}[3~")
  #expect(keys(.pageDown, [.control, .shift]) == "\u{1B}[6;6~")
  #expect(keys(.f1) == "\u{1B}OP")
  #expect(keys(.f4, .alt) == "\u{1B}[1;3S")
  #expect(keys(.f10) == "\u{1B}[21~")
  #expect(keys(.f12) == "\u{1B}[24~")
  #expect(keys(.backTab) == "\u{1B}[Z")
}

@Test func keypadFollowsDECKPAM() {
  #expect(keys(.keypad5) == "5")
  #expect(keys(.keypadEnter) == "\r")
  #expect(keys(.keypad5) { $0.applicationKeypad = true } == "\u{1B}Ou")
  #expect(keys(.keypadEnter) { $0.applicationKeypad = true } == "\u{1B}OM")
}

@Test func pasteIsBracketedOnlyWhenAskedAndCannotEndItself() {
  var modes = Modes()
  var out: [UInt8] = []
  KeyEncoder.encodePaste(Array("a\u{1B}[201~b".utf8), modes: modes, into: &out)
  #expect(out == Array("a\u{1B}[201~b".utf8))
  modes.bracketedPaste = true
  out = []
  KeyEncoder.encodePaste(Array("a\u{1B}[201~b".utf8), modes: modes, into: &out)
  #expect(out == Array("\u{1B}[200~ab\u{1B}[201~".utf8))
}

@Test func focusOnlyWhenAsked() {
  var modes = Modes()
  var out: [UInt8] = []
  KeyEncoder.encodeFocus(true, modes: modes, into: &out)
  #expect(out.isEmpty)
  modes.focusEvents = true
  KeyEncoder.encodeFocus(false, modes: modes, into: &out)
  #expect(out == Array("\u{1B}[O".utf8))
}

private func mouse(_ e: MouseEvent, _ tracking: MouseTracking, _ encoding: MouseEncoding) -> String
{
  var modes = Modes()
  modes.mouseTracking = tracking
  modes.mouseEncoding = encoding
  var out: [UInt8] = []
  KeyEncoder.encodeMouse(e, modes: modes, into: &out)
  return String(decoding: out, as: UTF8.self)
}

@Test func mouseFollowsTrackingAndEncoding() {
  let press = MouseEvent(button: 0, kind: .press, x: 4, y: 2, modifiers: .control)
  let release = MouseEvent(button: 0, kind: .release, x: 4, y: 2)
  let motion = MouseEvent(button: 3, kind: .motion, x: 1, y: 1)
  #expect(mouse(press, .none, .sgr) == "")
  #expect(mouse(press, .normal, .sgr) == "\u{1B}[<16;5;3M")
  #expect(mouse(release, .normal, .sgr) == "\u{1B}[<0;5;3m")
  #expect(mouse(release, .normal, .legacy) == "\u{1B}[M#%#")
  #expect(mouse(motion, .normal, .sgr) == "")
  #expect(mouse(motion, .buttonEvent, .sgr) == "")
  #expect(mouse(motion, .anyEvent, .sgr) == "\u{1B}[<35;2;2M")
  #expect(mouse(release, .x10, .sgr) == "")
  #expect(mouse(press, .normal, .urxvt) == "\u{1B}[48;5;3M")
  // Legacy reports cannot reach past column 223.
  #expect(mouse(MouseEvent(button: 0, kind: .press, x: 300, y: 0), .normal, .legacy) == "")
  #expect(
    mouse(MouseEvent(button: 0, kind: .press, x: 300, y: 0), .normal, .utf8) == "\u{1B}[M \u{14D}!")
}
