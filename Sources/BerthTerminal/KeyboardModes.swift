// The keys a program asks for beyond the legacy bytes: xterm's
// modifyOtherKeys (`CSI > 4 ; Pv m`, queried with `CSI ? 4 m`) and the
// kitty keyboard protocol's flags (`CSI > flags u` push, `CSI < n u` pop,
// `CSI = flags ; mode u` set, `CSI ? u` query), with a stack for each
// screen as kitty specifies, so that a full-screen program's flags end
// with its alternate screen. KeyEncoder reads them to encode keys.
//
// Only the kitty flags berth honours are kept (1, disambiguate, and 8,
// every key as an escape code): a program that asks for more learns from
// `CSI ? u` what it got, as the protocol intends.

/// What a program asked of the keyboard (part of Modes).
public struct KeyboardModes: Equatable, Sendable {
  /// modifyOtherKeys: 0 off, 1 keys without a legacy meaning, 2 every modified key.
  public var modifyOtherKeys: UInt8 = 0
  var main = KittyStack()
  var alternate = KittyStack()

  public init() {}

  /// kitty's flag 1: keys legacy bytes cannot tell apart come as `CSI u`.
  public static let disambiguate: UInt8 = 1
  /// kitty's flag 8: every key comes as an escape code, text included.
  public static let allKeys: UInt8 = 8
  static let honoured: UInt8 = disambiguate | allKeys
  /// Entries a stack keeps; a push onto a full one drops the oldest, as kitty does.
  static let stackDepth = 16

  /// The kitty flags in force on the main or the alternate screen.
  public func kittyFlags(alternateScreen: Bool) -> UInt8 {
    alternateScreen ? alternate.current : main.current
  }

  /// Whether the program asked for anything but legacy keys: the client
  /// then asks the user's terminal for extended keys.
  public func wantsExtendedKeys(alternateScreen: Bool) -> Bool {
    modifyOtherKeys != 0 || kittyFlags(alternateScreen: alternateScreen) != 0
  }

  /// Typed text needs encoding (control keys and Esc as escape codes), so
  /// it cannot go to the program as it is.
  public func encodesTypedText(alternateScreen: Bool) -> Bool {
    modifyOtherKeys == 2 || kittyFlags(alternateScreen: alternateScreen) != 0
  }
}

extension Modes {
  /// The kitty keyboard flags in force on the screen shown.
  public var kittyFlags: UInt8 { keyboard.kittyFlags(alternateScreen: alternateScreen) }

  /// The program asked for extended keys on the screen shown.
  public var wantsExtendedKeys: Bool {
    keyboard.wantsExtendedKeys(alternateScreen: alternateScreen)
  }

  /// Typed text must be encoded for the program (see KeyboardModes).
  public var encodesTypedText: Bool { keyboard.encodesTypedText(alternateScreen: alternateScreen) }
}

/// One screen's kitty flags: the pushed entries, or the base value when none is.
struct KittyStack: Equatable, Sendable {
  var entries: [UInt8] = []
  var base: UInt8 = 0

  var current: UInt8 { entries.last ?? base }

  mutating func push(_ flags: UInt8) {
    if entries.count >= KeyboardModes.stackDepth { entries.removeFirst() }
    entries.append(flags & KeyboardModes.honoured)
  }

  /// Pops n entries; popping them all resets the flags, as kitty specifies.
  mutating func pop(_ n: Int) {
    if n >= entries.count {
      entries.removeAll()
      base = 0
    } else {
      entries.removeLast(n)
    }
  }

  /// `CSI = flags ; mode u`: 1 sets the flags, 2 adds them, 3 removes them.
  mutating func set(_ flags: UInt8, mode: Int) {
    let old = current
    let new: UInt8
    switch mode {
    case 1: new = flags
    case 2: new = old | flags
    case 3: new = old & ~flags
    default: return
    }
    if entries.isEmpty {
      base = new & KeyboardModes.honoured
    } else {
      entries[entries.count - 1] = new & KeyboardModes.honoured
    }
  }
}

extension TerminalCore {
  /// The keyboard sequences: true when `CSI marker ... final` was one.
  mutating func keyboardSequence(_ marker: UInt8, _ final: UInt8) -> Bool {
    let alt = modeState.alternateScreen
    var stack = alt ? modeState.keyboard.alternate : modeState.keyboard.main
    let flags = UInt8(truncatingIfNeeded: min(sequence.raw(0), 255))
    switch (marker, final) {
    case (UInt8(ascii: ">"), UInt8(ascii: "u")):
      stack.push(flags)
    case (UInt8(ascii: "<"), UInt8(ascii: "u")):
      stack.pop(sequence.param(0, default: 1))
    case (UInt8(ascii: "="), UInt8(ascii: "u")):
      stack.set(flags, mode: sequence.param(1, default: 1))
    case (UInt8(ascii: "?"), UInt8(ascii: "u")):
      reply("\u{1B}[?\(stack.current)u")
    case (UInt8(ascii: ">"), UInt8(ascii: "m")):
      // XTMODKEYS: only resource 4 (modifyOtherKeys) is kept; no value
      // resets it, and no parameter at all resets every resource.
      if sequence.paramCount == 0 { modeState.keyboard.modifyOtherKeys = 0 }
      guard sequence.paramCount >= 1, sequence.raw(0) == 4 else { return true }
      let value = sequence.paramCount >= 2 ? sequence.raw(1) : 0
      modeState.keyboard.modifyOtherKeys = UInt8(min(value, 2))
      return true
    case (UInt8(ascii: ">"), UInt8(ascii: "n")):
      // XTMODKEYS off: for resource 4, modifyOtherKeys off.
      if sequence.raw(0) == 4 { modeState.keyboard.modifyOtherKeys = 0 }
      return true
    case (UInt8(ascii: "?"), UInt8(ascii: "m")):
      // XTQMODKEYS: answered for modifyOtherKeys only.
      if sequence.raw(0) == 4 { reply("\u{1B}[>4;\(modeState.keyboard.modifyOtherKeys)m") }
      return true
    default:
      return false
    }
    if alt { modeState.keyboard.alternate = stack } else { modeState.keyboard.main = stack }
    return true
  }
}

// In a terminal snapshot, after the other modes: modifyOtherKeys, then each
// screen's stack as its base, its count and its entries.
extension SnapshotWriter {
  mutating func keyboard(_ k: KeyboardModes) {
    byte(k.modifyOtherKeys)
    for stack in [k.main, k.alternate] {
      byte(stack.base)
      byte(UInt8(stack.entries.count))
      for flags in stack.entries { byte(flags) }
    }
  }
}

extension SnapshotReader {
  mutating func keyboard(_ what: StaticString) throws(SnapshotError) -> KeyboardModes {
    var k = KeyboardModes()
    k.modifyOtherKeys = try byte(what)
    guard k.modifyOtherKeys <= 2 else { throw failure(what, "modifyOtherKeys above 2") }
    func flags() throws(SnapshotError) -> UInt8 {
      let f = try byte(what)
      guard f & ~KeyboardModes.honoured == 0 else { throw failure(what, "unknown kitty flags") }
      return f
    }
    for alternate in [false, true] {
      var stack = KittyStack()
      stack.base = try flags()
      let n = Int(try byte(what))
      guard n <= KeyboardModes.stackDepth else { throw failure(what, "kitty stack too deep") }
      for _ in 0..<n { stack.entries.append(try flags()) }
      if alternate { k.alternate = stack } else { k.main = stack }
    }
    return k
  }
}
