// The client cuts what the terminal sends into keys, pastes, mouse and focus events.
import Testing

@testable import BerthTerminal

private func parse(_ s: String, _ parser: inout InputParser) -> [InputEvent] {
  parser.parse(Array(s.utf8)[...])
}

private func parse(_ s: String) -> [InputEvent] {
  var p = InputParser()
  return parse(s, &p)
}

@Test func plainTextAndControlsPassAsText() {
  #expect(parse("ls -l\r\u{01}") == [.text(Array("ls -l\r\u{01}".utf8))])
}

@Test func cursorKeysInBothFormsAndWithModifiers() {
  #expect(
    parse("\u{1B}[A\u{1B}OB\u{1B}[1;5C") == [
      .key(.up, []), .key(.down, []), .key(.right, .control),
    ])
  #expect(parse("\u{1B}[1;4D") == [.key(.left, [.shift, .alt])])
}

@Test func tildeKeysAndFunctionKeys() {
  #expect(
    parse("\u{1B}[3~\u{1B}[5;5~\u{1B}[24~\u{1B}OP\u{1B}[1;2Q\u{1B}[Z") == [
      .key(.delete, []), .key(.pageUp, .control), .key(.f12, []), .key(.f1, []), .key(.f2, .shift),
      .key(.backTab, []),
    ])
}

@Test func loneEscapeIsTheEscapeKeyAtOnce() {
  var p = InputParser()
  #expect(parse("\u{1B}", &p) == [.text([0x1B])])
  #expect(!p.hasPending)
}

@Test func altKeyIsEscapeAndTheKey() {
  #expect(parse("\u{1B}x") == [.text([0x1B, 0x78])])
}

@Test func sequenceSplitAcrossReadsIsJoined() {
  var p = InputParser()
  #expect(parse("a\u{1B}[1;", &p) == [.text([0x61])])
  #expect(p.hasPending)
  #expect(parse("5A", &p) == [.key(.up, .control)])
}

@Test func unfinishedSequenceIsFlushedAsText() {
  var p = InputParser()
  _ = parse("\u{1B}[", &p)
  #expect(p.flushPending() == [.text([0x1B, 0x5B])])
  #expect(!p.hasPending)
}

@Test func unknownSequencesPassUnchanged() {
  #expect(parse("\u{1B}[?65;1c") == [.text(Array("\u{1B}[?65;1c".utf8))])
}

@Test func bracketedPasteIsOneEventEvenAcrossReads() {
  var p = InputParser()
  #expect(parse("x\u{1B}[200~ab\u{01}", &p) == [.text([0x78])])
  #expect(parse("c\u{1B}[20", &p) == [])
  #expect(parse("1~y", &p) == [.paste(Array("ab\u{01}c".utf8)), .text([0x79])])
}

@Test func sgrAndLegacyMouseReports() {
  #expect(
    parse("\u{1B}[<0;5;3M\u{1B}[<0;5;3m\u{1B}[<34;7;8M\u{1B}[<64;1;1M") == [
      .mouse(MouseEvent(button: 0, kind: .press, x: 4, y: 2)),
      .mouse(MouseEvent(button: 0, kind: .release, x: 4, y: 2)),
      .mouse(MouseEvent(button: 2, kind: .motion, x: 6, y: 7)),
      .mouse(MouseEvent(button: 64, kind: .press, x: 0, y: 0)),
    ])
  #expect(
    parse("\u{1B}[M !!\u{1B}[M#!!") == [
      .mouse(MouseEvent(button: 0, kind: .press, x: 0, y: 0)),
      .mouse(MouseEvent(button: 3, kind: .release, x: 0, y: 0)),
    ])
}

@Test func focusReports() {
  #expect(parse("\u{1B}[I\u{1B}[O") == [.focus(true), .focus(false)])
}

@Test func keypadInApplicationMode() {
  #expect(
    parse("\u{1B}Op\u{1B}OM\u{1B}Ok") == [
      .key(.keypad0, []), .key(.keypadEnter, []), .key(.keypadPlus, []),
    ])
}

@Test func garbageNeverTraps() {
  var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
  var p = InputParser()
  for _ in 0..<20_000 {
    rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let n = Int(rng >> 60)
    var bytes: [UInt8] = []
    for i in 0..<n { bytes.append(UInt8(truncatingIfNeeded: rng >> UInt64(i * 4 % 56))) }
    if rng & 3 == 0 { bytes.insert(0x1B, at: 0) }
    _ = p.parse(bytes[...])
    if rng & 0xF0 == 0 { _ = p.flushPending() }
  }
}
