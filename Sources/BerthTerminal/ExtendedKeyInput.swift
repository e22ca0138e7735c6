// Extended keys as the user's terminal sends them, once berth asked it to
// (or because it always does): the kitty keyboard protocol's
// `CSI code[:shifted[:base]] ; mods[:event] [; text] u` and xterm's
// modifyOtherKeys `CSI 27 ; mods ; code ~`.
//
// A key that legacy bytes can say (C-a, Enter, Esc, M-x, S-Tab) becomes
// exactly the event those bytes would have made, so the command key,
// bindkey, copy mode and the prompts work as they always did. Only keys
// legacy bytes cannot say (C-Enter, S-Enter, C-;, C-S-a) become
// `.character` events, which the server encodes for each program's modes.
// Releases, keys berth has no name for (media, lone modifiers) and
// malformed sequences give nothing at all: never bytes for the program.

extension InputParser {
  /// nil: not an extended key sequence; `.some(nil)`: one that gives no
  /// event; else the event.
  static func extendedKey(_ body: ArraySlice<UInt8>, _ final: UInt8) -> InputEvent?? {
    let isKitty = final == UInt8(ascii: "u")
    let isXterm = final == UInt8(ascii: "~") && body.starts(with: [0x32, 0x37, 0x3B])  // "27;"
    guard isKitty || isXterm else { return nil }
    if let first = body.first, first >= 0x3C && first <= 0x3F { return nil }  // a marker: a reply
    guard let fields = Self.keyFields(body) else { return .some(nil) }
    let code: UInt32
    var shifted: UInt32?
    let modifierField: [Int]
    if isKitty {
      guard let codes = fields.first, let c = codes.first else { return .some(nil) }
      code = UInt32(c)
      if codes.count > 1, codes[1] > 0 { shifted = UInt32(codes[1]) }
      modifierField = fields.count > 1 ? fields[1] : []
    } else {
      guard fields.count == 3, fields[1].count == 1, fields[2].count == 1 else { return .some(nil) }
      code = UInt32(fields[2][0])
      modifierField = fields[1]
    }
    // The event type: 1 press, 2 repeat, 3 release (reported only if asked).
    if modifierField.count > 1, modifierField[1] == 3 { return .some(nil) }
    guard let mods = Self.extendedModifiers(modifierField.first ?? 1) else { return .some(nil) }
    return .some(Self.normalizedKey(code, shifted: shifted, mods))
  }

  /// The fields between `;`, each its values between `:` (an empty value
  /// is 0). nil for anything but digits, `;` and `:`, or too much of it.
  private static func keyFields(_ body: ArraySlice<UInt8>) -> [[Int]]? {
    guard body.count <= 64 else { return nil }
    var fields: [[Int]] = [[0]]
    for c in body {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let v = fields[fields.count - 1].removeLast()
        fields[fields.count - 1].append(min(v * 10 + Int(c - 0x30), 0x10_FFFF + 1))
      case UInt8(ascii: ":"): fields[fields.count - 1].append(0)
      case UInt8(ascii: ";"): fields.append([0])
      default: return nil
      }
    }
    return fields
  }

  /// The modifier parameter (1 + bits): shift, alt and ctrl as they are;
  /// super, hyper and meta as meta; Caps Lock and Num Lock left out.
  private static func extendedModifiers(_ value: Int) -> KeyModifiers? {
    let v = max(value, 1) - 1
    guard v <= 255 else { return nil }
    var mods = KeyModifiers(rawValue: UInt8(v & 0b111))
    if v & 0b11_1000 != 0 { mods.insert(.meta) }
    return mods
  }

  /// kitty's codes for the keypad (in its private use area), as berth's keys.
  private static let kittyKeypad: [UInt32: Key] = [
    57399: .keypad0, 57400: .keypad1, 57401: .keypad2, 57402: .keypad3, 57403: .keypad4,
    57404: .keypad5, 57405: .keypad6, 57406: .keypad7, 57407: .keypad8, 57408: .keypad9,
    57409: .keypadDecimal, 57410: .keypadDivide, 57411: .keypadMultiply, 57412: .keypadMinus,
    57413: .keypadPlus, 57414: .keypadEnter, 57415: .keypadEqual, 57417: .left, 57418: .right,
    57419: .up, 57420: .down, 57421: .pageUp, 57422: .pageDown, 57423: .home, 57424: .end,
    57425: .insert, 57426: .delete,
  ]

  static func normalizedKey(_ code: UInt32, shifted: UInt32?, _ mods: KeyModifiers) -> InputEvent? {
    if let key = kittyKeypad[code] { return .key(key, mods) }
    guard KeyEncoder.isKeyCode(code) else { return nil }
    if code == 9 && mods == .shift { return .key(.backTab, []) }
    if mods == .shift, let shifted, KeyEncoder.isKeyCode(shifted), shifted >= 0x20 {
      return .text(KeyEncoder.utf8(shifted))
    }
    if let bytes = KeyEncoder.exactLegacyBytes(code, mods) { return .text(bytes) }
    return .character(code, mods)
  }
}
