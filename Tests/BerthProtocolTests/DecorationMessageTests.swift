// The decoration message and the decoration key of screen-update runs:
// round trips, and every malformed payload refused with an error.
import BerthTerminal
import Testing

@testable import BerthProtocol

private let link = Hyperlink(uri: Array("https://example.com/a?b=c".utf8), id: Array("k1".utf8))

@Test(arguments: [
  ServerMessage.decoration(key: 1, Decoration(underlineColor: .rgb(255, 0, 7))),
  .decoration(key: 255, Decoration(link: link)),
  .decoration(key: 9, Decoration(underlineColor: .palette(5), link: Hyperlink(uri: [0x78]))),
  .decoration(
    key: 3,
    Decoration(
      link: Hyperlink(
        uri: [UInt8](repeating: 0x61, count: Hyperlink.maxURI),
        id: [UInt8](repeating: 0x62, count: Hyperlink.maxID)))),
])
func decorationRoundTrips(_ message: ServerMessage) throws {
  #expect(try decodeAll(message.encoded(), ServerMessage.decode) == [message])
}

@Test func screenRunsCarryTheDecorationKey() throws {
  let linked = Style(attributes: .underline, decoration: 200)
  let update = ScreenUpdate(
    columns: 3, rows: 1,
    rowUpdates: [
      RowUpdate(
        y: 0, cells: [Cell(scalar: 0x61, style: linked), Cell(scalar: 0x62, style: linked), Cell()])
    ])
  let decoded = try decodeAll(ServerMessage.screen(update).encoded(), ServerMessage.decode)
  #expect(decoded == [.screen(update)])
}

@Test func theEncoderMapsDecorationKeys() throws {
  let cells = [Cell(scalar: 0x61, style: Style(decoration: 7)), Cell(scalar: 0x62)]
  var encoder = ScreenUpdateEncoder(header: ScreenUpdate(columns: 2, rows: 1))
  cells.withUnsafeBufferPointer { encoder.appendRow(0, $0, marks: { _ in [] }) { $0 + 1 } }
  let decoded = try decodeAll(encoder.finish(), ServerMessage.decode)
  guard case .screen(let u) = decoded.first else {
    Issue.record("not a screen update")
    return
  }
  #expect(u.rowUpdates[0].cells.map(\.style.decoration) == [8, 0])
}

/// A decoration payload from its parts, any of them wrong.
private func payload(
  key: UInt8 = 1, color: UInt32 = 0, uri: [UInt8] = Array("http://a".utf8),
  uriLength: UInt32? = nil,
  id: [UInt8] = [], trailing: [UInt8] = []
) -> [UInt8] {
  var w = ByteWriter()
  w.u8(key)
  w.u32(color)
  w.u32(uriLength ?? UInt32(uri.count))
  w.bytes += uri
  w.data(id)
  return w.bytes + trailing
}

@Test func malformedDecorationsAreRefused() throws {
  let type = ServerMessage.decoration(key: 1, .none).encoded()[0]
  #expect(try ServerMessage.decode(type: type, payload: payload()) != .bell)
  let bad: [(String, [UInt8])] = [
    ("key 0", payload(key: 0)),
    ("unknown colour kind", payload(color: 0x0300_0000)),
    ("palette index past 255", payload(color: 0x0100_0100)),
    ("URI too long", payload(uri: [UInt8](repeating: 0x61, count: Hyperlink.maxURI + 1))),
    ("id too long", payload(id: [UInt8](repeating: 0x61, count: Hyperlink.maxID + 1))),
    ("control in URI", payload(uri: Array("http://a\u{1B}]8;;".utf8))),
    ("space in URI", payload(uri: Array("http://a b".utf8))),
    ("byte above ASCII", payload(uri: [0x68, 0xC3, 0xA9])),
    ("id without a link", payload(uri: [], id: [0x61])),
    ("length past the end", payload(uriLength: 100)),
    ("huge length", payload(uriLength: 0xFFFF_FFFF)),
    ("trailing bytes", payload(trailing: [0])),
    ("empty", []),
  ]
  for (what, bytes) in bad {
    #expect(throws: ProtocolError.self, "\(what)") {
      try ServerMessage.decode(type: type, payload: bytes)
    }
  }
  let good = payload()
  for cut in 0..<good.count {
    #expect(throws: ProtocolError.self) {
      try ServerMessage.decode(type: type, payload: Array(good[..<cut]))
    }
  }
}
