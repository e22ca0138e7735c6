// A client's decoration keys: one per distinct decoration, defined once
// before use, and a clean start when all 255 are given.
import BerthProtocol
import BerthTerminal
import Testing

@testable import BerthServer

private func linked(_ t: Terminal, _ uris: [String]) {
  for u in uris { t.feed(Array("\u{1B}]8;;\(u)\u{1B}\\x".utf8)) }
}

@Test func sameDecorationGetsOneKeyAcrossTerminals() throws {
  let a = Terminal(columns: 20, rows: 1)
  let b = Terminal(columns: 20, rows: 1)
  linked(a, ["http://one", "http://two"])
  linked(b, ["http://two"])
  let d = ClientDecorations()
  let keyA = a.withRow(0) { d.key($0[1].style.decoration, of: a) }
  let keyB = b.withRow(0) { d.key($0[0].style.decoration, of: b) }
  #expect(keyA == keyB && keyA != 0)
  #expect(d.key(0, of: a) == 0)
  // One definition for "two": it was defined the first time only.
  let defs = try decodeFrames(d.takeDefinitions())
  #expect(
    defs == [.decoration(key: keyA, Decoration(link: Hyperlink(uri: Array("http://two".utf8))))])
  #expect(d.takeDefinitions().isEmpty)
}

@Test func runningOutOfKeysOverflowsAndResetStartsAgain() {
  let t = Terminal(columns: 300, rows: 1)
  linked(t, (0..<255).map { "http://x/\($0)" })
  let d = ClientDecorations()
  var keys = Set<UInt8>()
  t.withRow(0) { cells in
    for x in 0..<255 { keys.insert(d.key(cells[x].style.decoration, of: t)) }
  }
  #expect(keys.count == 255 && !keys.contains(0))
  #expect(!d.overflowed)
  let u = Terminal(columns: 5, rows: 1)
  linked(u, ["http://more"])
  #expect(u.withRow(0) { d.key($0[0].style.decoration, of: u) } == 0)
  #expect(d.overflowed)
  d.reset()
  #expect(!d.overflowed && d.takeDefinitions().isEmpty)
  #expect(u.withRow(0) { d.key($0[0].style.decoration, of: u) } == 1)
}

private func decodeFrames(_ bytes: [UInt8]) throws -> [ServerMessage] {
  var assembler = FrameAssembler()
  assembler.append(bytes)
  var out: [ServerMessage] = []
  while let f = try assembler.next() {
    out.append(try ServerMessage.decode(type: f.type, payload: f.payload))
  }
  return out
}
