// The truecolor setting (server to client) and a client's terminal colours
// found out after its hello (client to server) survive the wire, and bad
// payloads are refused.
import Testing

@testable import BerthProtocol

@Test(arguments: [Bool?.none, true, false])
func trueColorSettingRoundTrips(_ setting: Bool?) throws {
  let message = ServerMessage.trueColorSetting(setting)
  #expect(try decodeAll(message.encoded(), ServerMessage.decode) == [message])
}

@Test(arguments: [2, 256, 1 << 24])
func terminalColorsRoundTrip(_ colors: Int) throws {
  let message = ClientMessage.terminalColors(colors)
  #expect(try decodeAll(message.encoded(), ClientMessage.decode) == [message])
}

@Test func badTrueColorSettingIsRefused() {
  let type = ServerMessage.trueColorSetting(nil).encoded()[0]
  #expect(throws: ProtocolError.self) { try ServerMessage.decode(type: type, payload: [3]) }
  #expect(throws: ProtocolError.self) { try ServerMessage.decode(type: type, payload: []) }
  #expect(throws: ProtocolError.self) { try ServerMessage.decode(type: type, payload: [1, 0]) }
}

@Test func shortTerminalColorsIsRefused() {
  let type = ClientMessage.terminalColors(0).encoded()[0]
  #expect(throws: ProtocolError.self) { try ClientMessage.decode(type: type, payload: [1, 0]) }
}
