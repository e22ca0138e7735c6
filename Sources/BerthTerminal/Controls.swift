// C0 controls and ESC sequences: what `execute` and `escDispatch` of the
// parser do. Anything not listed is ignored, as tmux ignores it.

extension TerminalCore {
  /// A C0 control byte. REP repeats only a graphic character that comes
  /// right before it (ECMA-48, and tmux): any control in between forgets it.
  mutating func execute(_ byte: UInt8) {
    lastGraphic = 0
    switch byte {
    case 0x07: bells &+= 1  // BEL
    case 0x08: backspace()  // BS
    case 0x09: tabForward(1)  // HT
    case 0x0A, 0x0B, 0x0C: lineFeed()  // LF, VT, FF
    case 0x0D: carriageReturn()  // CR
    case 0x0E: charsets.shiftOut = true  // SO: G1
    case 0x0F: charsets.shiftOut = false  // SI: G0
    default: break
    }
  }

  /// The final byte of `ESC [intermediates] final`.
  mutating func escDispatch(_ final: UInt8) {
    lastGraphic = 0  // nothing for REP to repeat after an escape sequence
    let seq = sequence
    if seq.intermediateCount > 1 { return }
    let intermediate = UInt8(truncatingIfNeeded: seq.intermediates)
    switch (intermediate, final) {
    case (0, UInt8(ascii: "7")): saveCursor()  // DECSC
    case (0, UInt8(ascii: "8")): restoreCursor()  // DECRC
    case (0, UInt8(ascii: "D")): lineFeed()  // IND
    case (0, UInt8(ascii: "E")):  // NEL
      carriageReturn()
      lineFeed()
    case (0, UInt8(ascii: "H")):  // HTS
      if x < tabStops.count { tabStops[x] = true }
    case (0, UInt8(ascii: "M")): reverseIndex()  // RI
    case (0, UInt8(ascii: "=")): modeState.applicationKeypad = true  // DECKPAM
    case (0, UInt8(ascii: ">")): modeState.applicationKeypad = false  // DECKPNM
    case (0, UInt8(ascii: "c")): fullReset()  // RIS
    case (UInt8(ascii: "("), _): charsets.g0 = Charset(designator: final)
    case (UInt8(ascii: ")"), _): charsets.g1 = Charset(designator: final)
    case (UInt8(ascii: "#"), UInt8(ascii: "8")): screenAlignment()  // DECALN
    default: break
    }
  }

  /// RIS: back to the state of a new terminal; history and title stay.
  mutating func fullReset() {
    mainGrid.clearRows(0, rows, with: .blank())
    altGrid = TerminalCore.noAltGrid()
    grid = mainGrid
    x = 0
    y = 0
    pendingWrap = false
    style = .plain
    charsets = CharsetState()
    savedMain = SavedCursor()
    savedAlt = SavedCursor()
    savedForAltScreen = SavedCursor()
    hasSavedForAltScreen = false
    // Nothing refers to a decoration any more.
    decorations = DecorationTable()
    scrollTop = 0
    scrollBottom = rows - 1
    tabStops = TerminalCore.defaultTabStops(columns)
    modeState = Modes()
    cursorIsVisible = true
    cursorShapeValue = .default
    lastGraphic = 0
    joinNext = false
    touchAll()
  }

  /// DECSTR: a soft reset of modes, margins, attributes and the saved cursor.
  mutating func softReset() {
    cursorIsVisible = true
    modeState.insertMode = false
    modeState.originMode = false
    modeState.autowrap = true
    modeState.applicationCursorKeys = false
    modeState.applicationKeypad = false
    scrollTop = 0
    scrollBottom = rows - 1
    style = .plain
    charsets = CharsetState()
    savedMain = SavedCursor()
    savedAlt = SavedCursor()
    pendingWrap = false
  }
}
