// Inputs found by Fuzz/ProtocolFuzz.swift (scripts/fuzz.sh protocol), kept
// so that they stay fixed.
import BerthTerminal
import Testing

@testable import BerthProtocol

/// A client hello whose TERM is `term`, as raw bytes (any bytes, not a String).
private func helloFrame(term: [UInt8]) -> [UInt8] {
  var w = ByteWriter()
  w.bytes.append(contentsOf: Array("BRTH".utf8))
  w.u16(protocolVersion)
  w.u16(80)
  w.u16(24)
  w.data(term)
  w.u32(256)
  return Frame.encode(type: 1, payload: w.bytes)
}

/// Invalid UTF-8 in a string becomes U+FFFD, three bytes for one, so a TERM
/// of 100 bad bytes (accepted: the limit is 256) re-encodes as 300 bytes,
/// which the decoder refuses ("TERM of 300 bytes is too long"). The encoder
/// does not keep to the decoder's limits: ClientMessage.encoded() writes
/// h.term whole (Sources/BerthProtocol/Messages.swift, `.hello` case), while
/// decode reads it with `r.string("TERM", max: 256)`.
@Test func helloWithInvalidUTF8TermReencodes() throws {
  let decoded = try decodeAll(
    helloFrame(term: [UInt8](repeating: 0xFF, count: 100)), ClientMessage.decode)
  #expect(decoded.count == 1)
  let again = try decodeAll(decoded[0].encoded(), ClientMessage.decode)
  #expect(again == decoded)
}

/// The same limit reached with valid text: a client whose TERM is longer
/// than 256 bytes sends a hello that its server refuses.
@Test func helloWithLongTermIsAccepted() throws {
  let hello = ClientMessage.hello(
    ClientHello(columns: 80, rows: 24, term: String(repeating: "x", count: 300), colors: 256))
  _ = try decodeAll(hello.encoded(), ClientMessage.decode)
}

/// A screen update's title of 2000 invalid bytes (within the 4096-byte
/// limit) decodes as 2000 U+FFFD, 6000 bytes; the encoder cuts titles at
/// 4096 bytes (ScreenUpdateEncoder.init, `title.utf8.prefix(4096)`), in the
/// middle of a scalar, so the update comes back with another title.
@Test func screenTitleWithInvalidUTF8Reencodes() throws {
  var w = ByteWriter()
  w.u16(10)  // columns
  w.u16(2)  // rows
  w.u16(0)  // cursor x
  w.u16(0)  // cursor y
  w.u8(1 | 4)  // visible, has a title
  w.u8(0)  // cursor shape
  w.u32(0)  // modes
  w.data([UInt8](repeating: 0xFF, count: 2000))
  w.u16(0)  // no rows
  let decoded = try decodeAll(Frame.encode(type: 65, payload: w.bytes), ServerMessage.decode)
  #expect(decoded.count == 1)
  let again = try decodeAll(decoded[0].encoded(), ServerMessage.decode)
  #expect(again == decoded)
}
