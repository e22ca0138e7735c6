// The message for keys legacy bytes cannot say (C-Enter, C-;): it round
// trips, and a code that is no key is refused, never passed on.
import BerthTerminal
import Testing

@testable import BerthProtocol

@Test(arguments: [
  ClientMessage.character(13, .control), .character(59, [.control, .alt]),
  .character(0x1F600, .meta),
])
func characterKeyRoundTrips(_ message: ClientMessage) throws {
  #expect(try decodeAll(message.encoded(), ClientMessage.decode) == [message])
}

@Test func characterKeyWithABadCodeIsRefused() {
  for code: UInt32 in [0, 5, 0xD800, 57441, 0x11_0000, .max] {
    let bytes = ClientMessage.character(code, .control).encoded()
    #expect(throws: ProtocolError.self) { _ = try decodeAll(bytes, ClientMessage.decode) }
  }
}
