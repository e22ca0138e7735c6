// OSC strings (`ESC ] Ps ; text BEL` or `... ESC \`): titles (0, 1, 2) and
// the clipboard (52, kept as sent for the server to pass on) and hyperlinks
// (8, Decorations.swift). Palette changes and colour queries are ignored:
// berth answers none of them.

extension TerminalCore {
  mutating func oscDispatch() {
    let data = sequence.osc
    var i = 0
    var number = 0
    while i < data.count && data[i] >= 0x30 && data[i] <= 0x39 {
      number = min(number * 10 + Int(data[i] - 0x30), 100_000)
      i += 1
    }
    guard i > 0 else { return }
    if i < data.count {
      guard data[i] == UInt8(ascii: ";") else { return }
      i += 1
    }
    let payload = data[i...]
    switch number {
    case 0:
      titleValue = String(decoding: payload, as: UTF8.self)
      iconName = titleValue
    case 1:
      iconName = String(decoding: payload, as: UTF8.self)
    case 2:
      titleValue = String(decoding: payload, as: UTF8.self)
    case 8:
      setHyperlink(payload, overflowed: sequence.oscOverflow)
    case 52:
      // A truncated clipboard would be garbage: dropped whole when too long.
      if !sequence.oscOverflow { clipboard = Array(payload) }
    default:
      break
    }
  }
}
