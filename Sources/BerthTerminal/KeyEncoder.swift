// Keys, pastes, mouse and focus events from the user, encoded for the
// window's program as its terminal modes ask (xterm's encodings, which the
// advertised screen-256color terminfo and every modern program expect):
// cursor keys in normal or application mode (DECCKM), the keypad in numeric
// or application mode (DECKPAM), modifiers as `CSI 1;m X`, bracketed paste,
// mouse reports in the program's tracking mode and encoding, focus events.

/// A special key the client recognised in what the user's terminal sent.
public enum Key: UInt8, Sendable, CaseIterable {
  case up, down, right, left, home, end, insert, delete, pageUp, pageDown, backTab
  case f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12
  case keypad0, keypad1, keypad2, keypad3, keypad4, keypad5, keypad6, keypad7, keypad8, keypad9
  case keypadEnter, keypadPlus, keypadMinus, keypadMultiply, keypadDivide, keypadDecimal
  case keypadEqual
}

/// Modifiers in xterm's numbering: the parameter sent is 1 + this value.
public struct KeyModifiers: OptionSet, Hashable, Sendable {
  public var rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let shift = KeyModifiers(rawValue: 1)
  public static let alt = KeyModifiers(rawValue: 2)
  public static let control = KeyModifiers(rawValue: 4)
  public static let meta = KeyModifiers(rawValue: 8)
}

/// A mouse event at window coordinates (0-based).
public struct MouseEvent: Equatable, Sendable {
  public enum Kind: UInt8, Sendable { case press, release, motion }
  /// 0 left, 1 middle, 2 right, 3 none (motion without a button),
  /// 64/65 wheel up/down, 66/67 wheel left/right.
  public var button: UInt8
  public var kind: Kind
  public var x: Int
  public var y: Int
  public var modifiers: KeyModifiers

  public init(button: UInt8, kind: Kind, x: Int, y: Int, modifiers: KeyModifiers = []) {
    self.button = button
    self.kind = kind
    self.x = x
    self.y = y
    self.modifiers = modifiers
  }
}

public enum KeyEncoder {
  /// The bytes the program gets for a special key.
  public static func encode(_ key: Key, _ mods: KeyModifiers, modes: Modes, into out: inout [UInt8])
  {
    let m = Int(mods.rawValue) + 1
    func csi(_ body: String) { out += [0x1B, 0x5B] + Array(body.utf8) }
    func ss3(_ final: Unicode.Scalar) { out += [0x1B, 0x4F, UInt8(ascii: final)] }
    // Cursor keys: SS3 in application mode, CSI otherwise, CSI 1;m with modifiers.
    func cursor(_ final: Unicode.Scalar) {
      if !mods.isEmpty {
        csi("1;\(m)\(final)")
      } else if modes.applicationCursorKeys {
        ss3(final)
      } else {
        csi("\(final)")
      }
    }
    // Editing and function keys of the `CSI n ~` kind.
    func tilde(_ n: Int) { csi(mods.isEmpty ? "\(n)~" : "\(n);\(m)~") }
    // F1-F4 are SS3 P-S, or CSI 1;m P-S with modifiers.
    func pf(_ final: Unicode.Scalar) { mods.isEmpty ? ss3(final) : csi("1;\(m)\(final)") }
    // The keypad sends its characters, or SS3 sequences in application mode.
    func keypad(_ char: Unicode.Scalar, _ final: Unicode.Scalar) {
      if modes.applicationKeypad { ss3(final) } else { out.append(UInt8(ascii: char)) }
    }
    switch key {
    case .up: cursor("A")
    case .down: cursor("B")
    case .right: cursor("C")
    case .left: cursor("D")
    // screen-256color's khome and kend.
    case .home: mods.isEmpty ? tilde(1) : csi("1;\(m)H")
    case .end: mods.isEmpty ? tilde(4) : csi("1;\(m)F")
    case .insert: tilde(2)
    case .delete: tilde(3)
    case .pageUp: tilde(5)
    case .pageDown: tilde(6)
    case .backTab: csi("Z")
    case .f1: pf("P")
    case .f2: pf("Q")
    case .f3: pf("R")
    case .f4: pf("S")
    case .f5: tilde(15)
    case .f6: tilde(17)
    case .f7: tilde(18)
    case .f8: tilde(19)
    case .f9: tilde(20)
    case .f10: tilde(21)
    case .f11: tilde(23)
    case .f12: tilde(24)
    case .keypad0: keypad("0", "p")
    case .keypad1: keypad("1", "q")
    case .keypad2: keypad("2", "r")
    case .keypad3: keypad("3", "s")
    case .keypad4: keypad("4", "t")
    case .keypad5: keypad("5", "u")
    case .keypad6: keypad("6", "v")
    case .keypad7: keypad("7", "w")
    case .keypad8: keypad("8", "x")
    case .keypad9: keypad("9", "y")
    case .keypadEnter: keypad("\r", "M")
    case .keypadPlus: keypad("+", "k")
    case .keypadMinus: keypad("-", "m")
    case .keypadMultiply: keypad("*", "j")
    case .keypadDivide: keypad("/", "o")
    case .keypadDecimal: keypad(".", "n")
    case .keypadEqual: keypad("=", "X")
    }
  }

  /// A paste: wrapped in `CSI 200 ~` / `CSI 201 ~` when the program asked
  /// for bracketed paste. An end marker inside the text is dropped, so a
  /// paste cannot end itself early and type the rest as commands.
  public static func encodePaste(_ text: [UInt8], modes: Modes, into out: inout [UInt8]) {
    guard modes.bracketedPaste else {
      out += text
      return
    }
    out += [0x1B, 0x5B, 0x32, 0x30, 0x30, 0x7E]
    let end: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]
    var i = 0
    while i < text.count {
      if text[i] == 0x1B, i + end.count <= text.count, Array(text[i..<i + end.count]) == end {
        i += end.count
        continue
      }
      out.append(text[i])
      i += 1
    }
    out += end
  }

  /// Focus in or out, when the program asked for focus events.
  public static func encodeFocus(_ focused: Bool, modes: Modes, into out: inout [UInt8]) {
    guard modes.focusEvents else { return }
    out += [0x1B, 0x5B, focused ? UInt8(ascii: "I") : UInt8(ascii: "O")]
  }

  /// A mouse event, if the program's tracking mode reports it, in its encoding.
  public static func encodeMouse(_ e: MouseEvent, modes: Modes, into out: inout [UInt8]) {
    switch modes.mouseTracking {
    case .none: return
    case .x10: guard e.kind == .press, e.button < 64 else { return }
    case .normal: guard e.kind != .motion else { return }
    case .buttonEvent: guard e.kind != .motion || e.button != 3 else { return }
    case .anyEvent: break
    }
    guard e.x >= 0, e.y >= 0 else { return }
    var code = Int(e.button)
    if modes.mouseTracking != .x10 {
      if e.modifiers.contains(.shift) { code += 4 }
      if e.modifiers.contains(.alt) || e.modifiers.contains(.meta) { code += 8 }
      if e.modifiers.contains(.control) { code += 16 }
    }
    if e.kind == .motion { code += 32 }
    let x = e.x + 1
    let y = e.y + 1
    switch modes.mouseEncoding {
    case .sgr:
      let final = e.kind == .release ? "m" : "M"
      out += Array("\u{1B}[<\(code);\(x);\(y)\(final)".utf8)
    case .urxvt:
      if e.kind == .release { code = 3 | (code & ~3 & ~64) }
      out += Array("\u{1B}[\(code + 32);\(x);\(y)M".utf8)
    case .legacy, .utf8:
      // Legacy reports cannot say which button was released.
      if e.kind == .release { code = 3 | (code & ~3 & ~64) }
      let limit = modes.mouseEncoding == .utf8 ? 2015 : 223
      guard x <= limit, y <= limit, code + 32 <= 255 else { return }
      out += [0x1B, 0x5B, 0x4D]
      for v in [code + 32, x + 32, y + 32] {
        if modes.mouseEncoding == .utf8 && v >= 0x80 {
          out += [UInt8(0xC0 | (v >> 6)), UInt8(0x80 | (v & 0x3F))]
        } else {
          out.append(UInt8(v))
        }
      }
    }
  }
}
