// The decoration message's payload: a client key (1...255), the underline
// colour, and the link's target and id (an empty target: no link). The
// target and id are printable ASCII within Hyperlink's bounds, as the
// engine keeps them: the client writes them to the user's terminal, so
// nothing else is accepted.
import BerthTerminal

func encodeDecoration(_ key: UInt8, _ d: Decoration, into w: inout ByteWriter) {
  w.u8(key)
  w.u32(d.underlineColor.rawValue)
  w.data(Array((d.link?.uri ?? []).prefix(Hyperlink.maxURI)))
  w.data(Array((d.link?.id ?? []).prefix(Hyperlink.maxID)))
}

func decodeDecoration(_ r: inout ByteReader) throws -> (UInt8, Decoration) {
  let key = try r.u8("decoration key")
  guard key != 0 else { throw ProtocolError.invalid("decoration key 0") }
  let color = Color(rawValue: try r.u32("underline colour"))
  guard isKnownColor(color) else { throw ProtocolError.invalid("an unknown underline colour") }
  let uri = try r.data("link target", max: Hyperlink.maxURI)
  let id = try r.data("link id", max: Hyperlink.maxID)
  guard isLinkText(uri) && isLinkText(id) else {
    throw ProtocolError.invalid("a link with bytes other than printable ASCII")
  }
  guard !uri.isEmpty || id.isEmpty else { throw ProtocolError.invalid("a link id without a link") }
  return (
    key, Decoration(underlineColor: color, link: uri.isEmpty ? nil : Hyperlink(uri: uri, id: id))
  )
}

/// Default (0), a palette index, or RGB: the engine makes no other colour.
func isKnownColor(_ c: Color) -> Bool {
  switch c.rawValue >> 24 {
  case 0: return c.rawValue == 0
  case 1: return c.rawValue <= 0x0100_00FF
  case 2: return true
  default: return false
  }
}

private func isLinkText(_ bytes: [UInt8]) -> Bool {
  bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F }
}
