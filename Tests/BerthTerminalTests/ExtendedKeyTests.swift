// Extended keys: what programs ask for (modifyOtherKeys, the kitty
// keyboard protocol's stack and query), what the user's terminal sends
// (CSI u, CSI 27 ~, garbage included), and the bytes each program gets.
import Testing

@testable import BerthTerminal

private func parse(_ s: String) -> [InputEvent] {
  var p = InputParser()
  return p.parse(Array(s.utf8)[...]) + p.flushPending()
}

private func text(_ s: String) -> InputEvent { .text(Array(s.utf8)) }

// MARK: The program's requests

@Test func kittyPushPopAndQuery() {
  let t = Terminal(20, 4)
  t.feed("\(esc)[?u")
  #expect(t.replyText == "\(esc)[?0u")
  t.feed("\(esc)[>1u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?1u")
  t.feed("\(esc)[>9u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?9u")
  t.feed("\(esc)[<u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?1u")
  t.feed("\(esc)[<5u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?0u")
}

@Test func kittyFlagsBerthDoesNotHonourAreNotReported() {
  let t = Terminal(20, 4)
  t.feed("\(esc)[>31u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?9u")
}

@Test func kittySetOrAndNot() {
  let t = Terminal(20, 4)
  t.feed("\(esc)[=1u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?1u")
  t.feed("\(esc)[=8;2u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?9u")
  t.feed("\(esc)[=1;3u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?8u")
  t.feed("\(esc)[=1;7u\(esc)[?u")  // an unknown mode changes nothing
  #expect(t.replyText == "\(esc)[?8u")
}

@Test func mainAndAlternateScreensHaveTheirOwnStacks() {
  let t = Terminal(20, 4)
  t.feed("\(esc)[>1u\(esc)[?1049h\(esc)[?u")
  #expect(t.replyText == "\(esc)[?0u")
  #expect(!t.modes.keyboard.wantsExtendedKeys(alternateScreen: true))
  t.feed("\(esc)[>8u\(esc)[?1049l\(esc)[?u")
  #expect(t.replyText == "\(esc)[?1u")
  t.feed("\(esc)[?1049h\(esc)[?u")
  #expect(t.replyText == "\(esc)[?8u")
}

@Test func kittyStackIsBounded() {
  let t = Terminal(20, 4)
  for _ in 0..<10_000 { t.feed("\(esc)[>1u") }
  #expect(t.modes.keyboard.main.entries.count == KeyboardModes.stackDepth)
  t.feed("\(esc)[<65535u\(esc)[?u")
  #expect(t.replyText == "\(esc)[?0u")
}

@Test func modifyOtherKeysSetResetAndQuery() {
  let t = Terminal(20, 4)
  t.feed("\(esc)[?4m")
  #expect(t.replyText == "\(esc)[>4;0m")
  t.feed("\(esc)[>4;2m\(esc)[?4m")
  #expect(t.replyText == "\(esc)[>4;2m")
  #expect(t.modes.keyboard.wantsExtendedKeys(alternateScreen: false))
  t.feed("\(esc)[>4m\(esc)[?4m")
  #expect(t.replyText == "\(esc)[>4;0m")
  t.feed("\(esc)[>4;1m\(esc)[>m")
  #expect(t.modes.keyboard.modifyOtherKeys == 0)
  t.feed("\(esc)[>4;9m")
  #expect(t.modes.keyboard.modifyOtherKeys == 2)
  t.feed("\(esc)[>4n")
  #expect(t.modes.keyboard.modifyOtherKeys == 0)
  // Other resources (modifyCursorKeys) are not modifyOtherKeys.
  t.feed("\(esc)[>1;2m")
  #expect(t.modes.keyboard.modifyOtherKeys == 0)
}

@Test func keyboardModesSurviveASnapshotAndResetWithRIS() throws {
  let t = Terminal(20, 4)
  t.feed("\(esc)[>4;2m\(esc)[>1u\(esc)[>9u\(esc)[?1049h\(esc)[=8u")
  let copy = try Terminal(snapshot: t.snapshot())
  #expect(copy.modes.keyboard == t.modes.keyboard)
  t.feed("\(esc)c")
  #expect(t.modes.keyboard == KeyboardModes())
}

// MARK: What the user's terminal sends

@Test func extendedKeysWithALegacyFormAreTheLegacyEvent() {
  #expect(parse("\(esc)[97;5u") == [.text([0x01])])  // C-a: the command key still works
  #expect(parse("\(esc)[27;5;97~") == [.text([0x01])])
  #expect(parse("\(esc)[13u") == [text("\r")])
  #expect(parse("\(esc)[27u") == [.text([0x1B])])
  #expect(parse("\(esc)[9u") == [text("\t")])
  #expect(parse("\(esc)[127u") == [.text([0x7F])])
  #expect(parse("\(esc)[9;2u") == [.key(.backTab, [])])
  #expect(parse("\(esc)[97;3u") == [text("\(esc)a")])
  #expect(parse("\(esc)[97;2u") == [text("A")])
  #expect(parse("\(esc)[49:33;2u") == [text("!")])  // the shifted key given
  #expect(parse("\(esc)[32;5u") == [.text([0])])
  #expect(parse("\(esc)[91;5u") == [.text([0x1B])])  // C-[ is Esc
}

@Test func theLoneEscapeKeyIsNotJoinedToTheTextAfterIt() {
  #expect(parse("\(esc)[27ux") == [.text([0x1B]), text("x")])
}

@Test func extendedKeysWithoutALegacyFormAreKeyEvents() {
  #expect(parse("\(esc)[13;5u") == [.character(13, .control)])
  #expect(parse("\(esc)[13;2u") == [.character(13, .shift)])
  #expect(parse("\(esc)[27;5;13~") == [.character(13, .control)])
  #expect(parse("\(esc)[59;5u") == [.character(59, .control)])
  #expect(parse("\(esc)[97;6u") == [.character(97, [.control, .shift])])
  #expect(parse("\(esc)[13;7u") == [.character(13, [.control, .alt])])
  #expect(parse("\(esc)[97;9u") == [.character(97, .meta)])  // super
  #expect(parse("\(esc)[13;5:1u") == [.character(13, .control)])  // a press
  #expect(parse("\(esc)[13;5:2u") == [.character(13, .control)])  // a repeat
}

@Test func lockModifiersAreLeftOut() {
  #expect(parse("\(esc)[97;69u") == [.text([0x01])])  // ctrl + caps lock
  #expect(parse("\(esc)[13;133u") == [.character(13, .control)])  // ctrl + num lock
}

@Test func kittyKeypadKeysAreBerthsKeys() {
  #expect(parse("\(esc)[57414u") == [.key(.keypadEnter, [])])
  #expect(parse("\(esc)[57419;5u") == [.key(.up, .control)])
}

@Test func releasesUnknownKeysAndGarbageGiveNothing() {
  let nothing: [InputEvent] = []
  #expect(parse("\(esc)[13;5:3u") == nothing)  // a release
  #expect(parse("\(esc)[57441u") == nothing)  // left shift alone
  #expect(parse("\(esc)[u") == nothing)
  #expect(parse("\(esc)[0u") == nothing)
  #expect(parse("\(esc)[5u") == nothing)  // a control character
  #expect(parse("\(esc)[55296u") == nothing)  // a surrogate
  #expect(parse("\(esc)[99999999999999999999u") == nothing)
  #expect(parse("\(esc)[97;999u") == nothing)
  #expect(parse("\(esc)[97;5;;;:::u") == [.text([0x01])])  // text fields tolerated
  #expect(parse("\(esc)[27;5~") == nothing)
  #expect(parse("\(esc)[27;5;97;1~") == nothing)
  #expect(parse("\(esc)[27;5:1;97~") == nothing)
  #expect(parse("\(esc)[27;;~") == nothing)
  #expect(parse("\(esc)[" + String(repeating: "1;", count: 40) + "u") == nothing)
}

@Test func aTruncatedExtendedKeyWaitsThenIsNotAKey() {
  var p = InputParser()
  #expect(p.parse(Array("\(esc)[13;".utf8)[...]) == [])
  #expect(p.parse(Array("5u".utf8)[...]) == [.character(13, .control)])
  #expect(p.parse(Array("\(esc)[97;".utf8)[...]) == [])
  #expect(p.flushPending() == [text("\(esc)[97;")])
}

@Test func randomBytesNeverTrap() {
  var rng = SystemRandomNumberGenerator()
  let alphabet = Array("0123456789;:u~[<>=?\u{1B}27".utf8)
  var p = InputParser()
  for _ in 0..<2_000 {
    let chunk = (0..<Int.random(in: 1...24, using: &rng)).map { _ in
      alphabet.randomElement(using: &rng)!
    }
    for event in p.parse(chunk[...]) {
      if case .character(let code, _) = event { #expect(KeyEncoder.isKeyCode(code)) }
    }
  }
  _ = p.flushPending()
}

// MARK: The bytes the program gets

private func character(
  _ code: UInt32, _ mods: KeyModifiers, _ configure: (Terminal) -> Void = { _ in }
) -> String {
  let t = Terminal(20, 4)
  configure(t)
  var out: [UInt8] = []
  KeyEncoder.encodeCharacter(code, mods, modes: t.modes, into: &out)
  return String(decoding: out, as: UTF8.self)
}

private func typed(_ s: String, _ setup: String) -> String {
  let t = Terminal(20, 4)
  t.feed(setup)
  var out: [UInt8] = []
  KeyEncoder.encodeTyped(Array(s.utf8), modes: t.modes, into: &out)
  return String(decoding: out, as: UTF8.self)
}

@Test func keysWithoutLegacyFormsForAProgramThatAskedNothing() {
  #expect(character(13, .control) == "\r")
  #expect(character(13, .shift) == "\r")
  #expect(character(59, .control) == ";")
  #expect(character(97, [.control, .shift]) == "\u{01}")
  #expect(character(13, [.control, .alt]) == "\(esc)\r")
  #expect(character(97, .meta) == "a")
}

@Test func keysForKittyPrograms() {
  let kitty: (Terminal) -> Void = { $0.feed("\(esc)[>1u") }
  #expect(character(13, .control, kitty) == "\(esc)[13;5u")
  #expect(character(13, .shift, kitty) == "\(esc)[13;2u")
  #expect(character(59, .control, kitty) == "\(esc)[59;5u")
  #expect(character(65, [.control, .shift], kitty) == "\(esc)[97;6u")
}

@Test func keysForModifyOtherKeysPrograms() {
  #expect(character(13, .control) { $0.feed("\(esc)[>4;2m") } == "\(esc)[27;5;13~")
  #expect(character(59, .control) { $0.feed("\(esc)[>4;1m") } == "\(esc)[27;5;59~")
}

@Test func typedTextForKittyFlagOne() {
  let kitty = "\(esc)[>1u"
  #expect(typed("\u{01}", kitty) == "\(esc)[97;5u")
  #expect(typed("\(esc)", kitty) == "\(esc)[27u")
  #expect(typed("\(esc)x", kitty) == "\(esc)[120;3u")
  #expect(typed("\(esc)\u{01}", kitty) == "\(esc)[97;7u")
  #expect(typed("\(esc)\(esc)", kitty) == "\(esc)[27u\(esc)[27u")
  #expect(typed("\u{00}", kitty) == "\(esc)[32;5u")
  // Text, Enter, Tab and Backspace stay as kitty leaves them.
  #expect(typed("aB é\r\t\u{7F}\u{08}", kitty) == "aB é\r\t\u{7F}\u{08}")
  // A sequence the client did not know passes as it was.
  #expect(typed("\(esc)[99z", kitty) == "\(esc)[99z")
}

@Test func typedTextForKittyFlagEight() {
  #expect(typed("aB\r", "\(esc)[>8u") == "\(esc)[97u\(esc)[98;2u\(esc)[13u")
  #expect(typed("é", "\(esc)[>9u") == "\(esc)[233u")
  // Bad UTF-8 passes as it was, never as a key.
  let t = Terminal(20, 4)
  t.feed("\(esc)[>9u")
  var out: [UInt8] = []
  KeyEncoder.encodeTyped([0xFF, 0xC3], modes: t.modes, into: &out)
  #expect(out == [0xFF, 0xC3])
}

@Test func typedTextForModifyOtherKeys() {
  #expect(typed("\u{01}x\(esc)", "\(esc)[>4;2m") == "\(esc)[27;5;97~x\(esc)")
  #expect(typed("\(esc)x", "\(esc)[>4;2m") == "\(esc)[27;3;120~")
  #expect(typed("\u{01}", "\(esc)[>4;1m") == "\u{01}")
  #expect(typed("\u{01}", "") == "\u{01}")
}
