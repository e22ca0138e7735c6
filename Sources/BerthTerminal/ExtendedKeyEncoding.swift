// Keys for a program that asked for extended keys (KeyboardModes.swift):
// the kitty protocol's `CSI code ; mods u` when it pushed kitty flags,
// xterm's `CSI 27 ; mods ; code ~` under modifyOtherKeys, else the legacy
// bytes xterm sends without either (C-Enter is `\r`, C-; is `;`).
//
// Two kinds of input reach here. `.character` keys (C-Enter, C-S-a) that
// the user's terminal sent as extended keys, and typed text: under kitty's
// flag 1 or modifyOtherKeys 2 the control keys, Esc and M-x in it are
// re-encoded (kitty's flag 8 re-encodes every key). Enter, Tab and
// Backspace stay as they are under flag 1, as kitty leaves them, and so
// does 0x08, which is C-h on some terminals and Backspace on others.

extension KeyEncoder {
  /// A code a key can have: a Unicode scalar, not a control character
  /// other than Tab, Enter, Esc and Backspace, and not in the private use
  /// area kitty keeps for its functional keys.
  public static func isKeyCode(_ code: UInt32) -> Bool {
    switch code {
    case 9, 13, 27, 127: return true
    case 0..<0x20, 0x80..<0xA0, 0xD800..<0xE000, 57344..<63744: return false
    default: return code <= 0x10FFFF
    }
  }

  static func utf8(_ code: UInt32) -> [UInt8] {
    guard let scalar = Unicode.Scalar(code) else { return [] }
    return Array(String(Character(scalar)).utf8)
  }

  /// The legacy bytes that say exactly this key, or nil when they cannot
  /// (C-Enter, C-;, C-S-a, anything with meta).
  public static func exactLegacyBytes(_ code: UInt32, _ mods: KeyModifiers) -> [UInt8]? {
    guard !mods.contains(.meta), isKeyCode(code) else { return nil }
    var base = mods
    let alt = base.remove(.alt) != nil
    var bytes: [UInt8]
    switch (base, code) {
    case ([], _): bytes = utf8(code)
    case (.shift, 0x61...0x7A): bytes = [UInt8(code - 0x20)]
    case (.shift, 0x41...0x5A): bytes = [UInt8(code)]
    case (.control, 0x61...0x7A): bytes = [UInt8(code - 0x60)]
    case (.control, 0x40...0x5F): bytes = [UInt8(code - 0x40)]  // C-@ C-[ C-\ C-] C-^ C-_
    case (.control, 0x20): bytes = [0]
    case (.control, 0x3F): bytes = [0x7F]
    default: return nil
    }
    if alt { bytes.insert(0x1B, at: 0) }
    return bytes
  }

  /// What xterm sends for the key without modifyOtherKeys: the legacy
  /// bytes, with the modifiers they cannot say left out.
  public static func legacyBytes(_ code: UInt32, _ mods: KeyModifiers) -> [UInt8] {
    var m = mods
    m.remove(.meta)
    if m.contains(.control) && m.contains(.shift) { m.remove(.shift) }  // C-S-a is C-a
    if let exact = exactLegacyBytes(code, m) { return exact }
    m.remove(.control)
    if let exact = exactLegacyBytes(code, m) { return exact }
    m.remove(.shift)
    return exactLegacyBytes(code, m) ?? []
  }

  /// kitty's key code: letters unshifted, the shift in the modifiers.
  private static func kittyCode(_ code: UInt32) -> UInt32 {
    (0x41...0x5A).contains(code) ? code + 0x20 : code
  }

  private static func csiU(_ code: UInt32, _ mods: KeyModifiers, into out: inout [UInt8]) {
    let m = Int(mods.rawValue) + 1
    out += Array((m == 1 ? "\u{1B}[\(code)u" : "\u{1B}[\(code);\(m)u").utf8)
  }

  private static func csi27(_ code: UInt32, _ mods: KeyModifiers, into out: inout [UInt8]) {
    out += Array("\u{1B}[27;\(Int(mods.rawValue) + 1);\(code)~".utf8)
  }

  /// A key legacy bytes cannot say (C-Enter, S-Enter, C-;), for the program.
  public static func encodeCharacter(
    _ code: UInt32, _ mods: KeyModifiers, modes: Modes, into out: inout [UInt8]
  ) {
    guard isKeyCode(code) else { return }
    if modes.kittyFlags != 0 {
      csiU(kittyCode(code), mods, into: &out)
    } else if modes.keyboard.modifyOtherKeys != 0 && !mods.isEmpty {
      csi27(code, mods, into: &out)
    } else {
      out += legacyBytes(code, mods)
    }
  }

  /// Typed text for the program: as it is, unless its modes ask for keys
  /// as escape codes (see the header).
  public static func encodeTyped(_ bytes: [UInt8], modes: Modes, into out: inout [UInt8]) {
    let kitty = modes.kittyFlags
    guard kitty != 0 || modes.keyboard.modifyOtherKeys == 2 else {
      out += bytes
      return
    }
    var i = 0
    while i < bytes.count {
      guard let (code, mods, length) = typedKey(bytes, at: i) else {
        out.append(bytes[i])
        i += 1
        continue
      }
      let keyBytes = bytes[i..<i + length]
      i += length
      if kitty & KeyboardModes.allKeys != 0 {
        csiU(code, mods, into: &out)
      } else if kitty != 0 {
        // Text (shifted or not), Enter, Tab and Backspace stay as typed.
        let legacyKept = mods.subtracting(.shift).isEmpty && code != 27
        if legacyKept { out += keyBytes } else { csiU(code, mods, into: &out) }
      } else if mods.contains(.control) || mods.contains(.alt) {
        csi27(code, mods, into: &out)
      } else {
        out += keyBytes
      }
    }
  }

  /// The key that typed bytes at i are, its code as kitty names it, and how
  /// many bytes it took; nil for a byte to pass on as it is (0x08, C-^,
  /// C-_, an escape sequence berth did not know, bad UTF-8).
  static func typedKey(_ b: [UInt8], at i: Int) -> (UInt32, KeyModifiers, Int)? {
    let c = b[i]
    if c == 0x1B {
      guard i + 1 < b.count, b[i + 1] != 0x1B else { return (27, [], 1) }
      // ESC [ and ESC O begin sequences the client passed on unparsed.
      guard b[i + 1] != UInt8(ascii: "["), b[i + 1] != UInt8(ascii: "O"),
        let (code, mods, n) = typedKey(b, at: i + 1)
      else { return nil }
      return (code, mods.union(.alt), n + 1)
    }
    switch c {
    case 0x00: return (32, .control, 1)
    case 0x09, 0x0D, 0x7F: return (UInt32(c), [], 1)
    case 0x08, 0x1E, 0x1F: return nil
    case 0x01...0x1A: return (UInt32(c) + 0x60, .control, 1)
    case 0x1C, 0x1D: return (UInt32(c) + 0x40, .control, 1)
    case 0x41...0x5A: return (UInt32(c) + 0x20, .shift, 1)
    case 0x20..<0x7F: return (UInt32(c), [], 1)
    default:
      // A UTF-8 character: its scalar, or nil for a bad sequence.
      let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0
      guard length > 0, i + length <= b.count else { return nil }
      var code = UInt32(c) & (0xFF >> UInt32(length + 1))
      for k in 1..<length {
        let d = b[i + k]
        guard d & 0xC0 == 0x80 else { return nil }
        code = code << 6 | UInt32(d & 0x3F)
      }
      guard isKeyCode(code), utf8(code).count == length else { return nil }
      return (code, [], length)
    }
  }
}
