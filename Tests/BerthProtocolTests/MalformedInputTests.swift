// Garbage, truncated and oversized input is rejected with an error, never a trap.
import BerthTerminal
import Testing

@testable import BerthProtocol

@Test func oversizedLengthIsRejectedBeforeBuffering() {
  var assembler = FrameAssembler()
  assembler.append([3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
  #expect(throws: ProtocolError.oversized(0xFFFF_FFFF)) { try assembler.next() }
}

@Test func nonZeroReservedHeaderBytesAreRejected() {
  var assembler = FrameAssembler()
  assembler.append(Array("GET / HTTP/1.1\r\n".utf8))
  #expect(throws: ProtocolError.self) { try assembler.next() }
}

@Test func unknownTypesAreRejected() {
  #expect(throws: ProtocolError.unknownType(99)) { try ClientMessage.decode(type: 99, payload: []) }
  #expect(throws: ProtocolError.unknownType(1)) { try ServerMessage.decode(type: 1, payload: []) }
}

@Test func otherProtocolVersionNamesBoth() throws {
  var hello = ClientHello(columns: 80, rows: 24, term: "xterm", colors: 8)
  hello.version = 9
  let bytes = ClientMessage.hello(hello).encoded()
  #expect(throws: ProtocolError.versionMismatch(ours: protocolVersion, theirs: 9)) {
    _ = try decodeAll(bytes, ClientMessage.decode)
  }
  #expect(ProtocolError.versionMismatch(ours: 1, theirs: 9).description.contains("version 1"))
}

@Test func everyTruncationOfEveryMessageThrows() throws {
  let messages: [[UInt8]] = [
    ClientMessage.hello(ClientHello(columns: 80, rows: 24, term: "xterm", colors: 8)).encoded(),
    ClientMessage.attach(AttachRequest()).encoded(),
    ClientMessage.resize(columns: 1, rows: 2).encoded(),
    ClientMessage.command(window: "w", ["a", "b"]).encoded(),
  ]
  for bytes in messages {
    let type = bytes[0]
    let payload = Array(bytes[Frame.headerSize...])
    for cut in 0..<payload.count {
      #expect(throws: ProtocolError.self) {
        _ = try ClientMessage.decode(type: type, payload: Array(payload[..<cut]))
      }
    }
  }
  let screen = ServerMessage.screen(
    ScreenUpdate(
      columns: 4, rows: 1, title: "t",
      rowUpdates: [
        RowUpdate(y: 0, cells: [Cell(scalar: 0x65E5, width: 2), Cell(width: 0), Cell(), Cell()])
      ])
  ).encoded()
  let payload = Array(screen[Frame.headerSize...])
  for cut in 0..<payload.count {
    #expect(throws: ProtocolError.self) {
      _ = try ServerMessage.decode(type: screen[0], payload: Array(payload[..<cut]))
    }
  }
}

@Test func randomPayloadsNeverTrap() {
  var rng = SplitMix(seed: 42)
  for _ in 0..<20_000 {
    let n = Int(rng.next() % 64)
    let payload = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let type = UInt8(truncatingIfNeeded: rng.next() % 80)
    _ = try? ClientMessage.decode(type: type, payload: payload)
    _ = try? ServerMessage.decode(type: type, payload: payload)
  }
}

@Test func mutatedScreenUpdatesNeverTrap() {
  let base = ServerMessage.screen(
    ScreenUpdate(
      columns: 6, rows: 2, title: "x",
      rowUpdates: [
        RowUpdate(
          y: 1,
          cells: [
            Cell(scalar: 0x41), Cell(scalar: 0x65E5, width: 2), Cell(width: 0),
            Cell(scalar: 0x65, combining: 1), Cell(), Cell(),
          ], marks: [[0x301]])
      ])
  ).encoded()
  var rng = SplitMix(seed: 7)
  for _ in 0..<20_000 {
    var payload = Array(base[Frame.headerSize...])
    for _ in 0..<(1 + rng.next() % 4) {
      let i = Int(rng.next() % UInt64(payload.count))
      payload[i] = UInt8(truncatingIfNeeded: rng.next())
    }
    _ = try? ServerMessage.decode(type: base[0], payload: payload)
  }
}

/// A small deterministic generator, so that failures reproduce.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
