// CSI sequences: what `csiDispatch` does with `CSI [marker] params
// [intermediate] final`. Cursor movement, erasing, modes, and the few
// queries berth answers (DA1, DA2, DSR, CPR, DECRQM, XTVERSION); anything not
// listed is ignored and nothing else is answered.

extension TerminalCore {
  mutating func csiDispatch(_ final: UInt8) {
    // REP repeats the graphic character right before it, so after any
    // control sequence (REP included) there is nothing left to repeat.
    defer { lastGraphic = 0 }
    guard sequence.intermediateCount <= 1 else { return }
    let marker = sequence.marker
    let intermediate = UInt8(truncatingIfNeeded: sequence.intermediates)
    if marker != 0 && intermediate == 0 && keyboardSequence(marker, final) { return }
    switch (marker, intermediate) {
    case (0, 0): csiPlain(final)
    case (UInt8(ascii: "?"), 0): csiPrivate(final)
    case (UInt8(ascii: ">"), 0): csiGreater(final)
    case (0, UInt8(ascii: " ")):
      if final == UInt8(ascii: "q") {  // DECSCUSR
        let shape = sequence.raw(0)
        if shape <= 6, let s = CursorShape(rawValue: UInt8(shape)) { cursorShapeValue = s }
      }
    case (0, UInt8(ascii: "!")):
      if final == UInt8(ascii: "p") { softReset() }  // DECSTR
    case (UInt8(ascii: "?"), UInt8(ascii: "$")):
      if final == UInt8(ascii: "p") {  // DECRQM, DEC private mode
        let mode = sequence.raw(0)
        let value = modeState.decrqmPrivate(mode, cursorVisible: cursorIsVisible)
        reply("\u{1B}[?\(mode);\(value)$y")
      }
    case (0, UInt8(ascii: "$")):
      if final == UInt8(ascii: "p") {  // DECRQM, ANSI mode
        let mode = sequence.raw(0)
        reply("\u{1B}[\(mode);\(modeState.decrqmANSI(mode))$y")
      }
    default:
      break
    }
  }

  /// Parameter `i` with 0 or absent read as 1, the usual count default.
  @inline(__always)
  private mutating func count(_ i: Int = 0) -> Int { sequence.param(i, default: 1) }

  private mutating func csiPlain(_ final: UInt8) {
    switch final {
    case UInt8(ascii: "@"): insertCharacters(count())  // ICH
    case UInt8(ascii: "A"): cursorUp(count())  // CUU
    case UInt8(ascii: "B"), UInt8(ascii: "e"): cursorDown(count())  // CUD, VPR
    case UInt8(ascii: "C"), UInt8(ascii: "a"): cursorForward(count())  // CUF, HPR
    case UInt8(ascii: "D"): cursorBackward(count())  // CUB
    case UInt8(ascii: "E"):  // CNL
      cursorDown(count())
      x = 0
    case UInt8(ascii: "F"):  // CPL
      cursorUp(count())
      x = 0
    case UInt8(ascii: "G"), UInt8(ascii: "`"):  // CHA, HPA
      x = min(count() - 1, columns - 1)
      pendingWrap = false
    case UInt8(ascii: "H"), UInt8(ascii: "f"):  // CUP, HVP
      moveCursor(column: count(1) - 1, row: count(0) - 1)
    case UInt8(ascii: "I"): tabForward(count())  // CHT
    case UInt8(ascii: "J"): eraseInDisplay(sequence.raw(0))  // ED
    case UInt8(ascii: "K"): eraseInLine(sequence.raw(0))  // EL
    case UInt8(ascii: "L"): insertLines(count())  // IL
    case UInt8(ascii: "M"): deleteLines(count())  // DL
    case UInt8(ascii: "P"): deleteCharacters(count())  // DCH
    case UInt8(ascii: "S"): scrollUp(count())  // SU
    case UInt8(ascii: "T"):  // SD; with more parameters it is mouse highlighting
      if sequence.paramCount <= 1 { scrollDown(count()) }
    case UInt8(ascii: "X"): eraseCharacters(count())  // ECH
    case UInt8(ascii: "Z"): tabBackward(count())  // CBT
    case UInt8(ascii: "b"):  // REP
      if lastGraphic != 0 {
        let scalar = lastGraphic
        for _ in 0..<min(count(), columns * rows) { printScalar(scalar) }
      }
    case UInt8(ascii: "c"):  // DA1
      if sequence.raw(0) == 0 { reply("\u{1B}[?1;2c") }
    case UInt8(ascii: "d"):  // VPA
      moveCursor(column: x, row: count() - 1)
    case UInt8(ascii: "g"):  // TBC
      switch sequence.raw(0) {
      case 0: if x < tabStops.count { tabStops[x] = false }
      case 3: tabStops = [Bool](repeating: false, count: columns)
      default: break
      }
    case UInt8(ascii: "h"), UInt8(ascii: "l"):  // SM, RM
      let on = final == UInt8(ascii: "h")
      for i in 0..<sequence.paramCount where sequence.raw(i) == 4 { modeState.insertMode = on }
    case UInt8(ascii: "m"): selectGraphicRendition()  // SGR
    case UInt8(ascii: "n"):  // DSR
      switch sequence.raw(0) {
      case 5: reply("\u{1B}[0n")
      case 6:
        let row = modeState.originMode ? y - scrollTop + 1 : y + 1
        reply("\u{1B}[\(row);\(x + 1)R")
      default: break
      }
    case UInt8(ascii: "r"):  // DECSTBM
      setScrollRegion(top: sequence.raw(0), bottom: sequence.raw(1))
    case UInt8(ascii: "s"):  // SCOSC (no left/right margins, so always this)
      saveCursor()
    case UInt8(ascii: "u"):  // SCORC
      restoreCursor()
    case UInt8(ascii: "t"): windowOperation()  // XTWINOPS: only the title stack
    default: break
    }
  }

  private mutating func csiPrivate(_ final: UInt8) {
    switch final {
    case UInt8(ascii: "h"), UInt8(ascii: "l"):
      let on = final == UInt8(ascii: "h")
      for i in 0..<sequence.paramCount where !sequence.isSubParam(i) {
        setPrivateMode(sequence.raw(i), on)
      }
    case UInt8(ascii: "J"): eraseInDisplay(sequence.raw(0))  // DECSED, no protection
    case UInt8(ascii: "K"): eraseInLine(sequence.raw(0))  // DECSEL
    default: break
    }
  }

  private mutating func csiGreater(_ final: UInt8) {
    switch final {
    case UInt8(ascii: "c"):  // DA2: as GNU screen 4.9.0 answers
      if sequence.raw(0) == 0 { reply("\u{1B}[>83;40900;0c") }
    case UInt8(ascii: "q"):  // XTVERSION
      if sequence.raw(0) == 0 { reply("\u{1B}P>|berth 0.1\u{1B}\\") }
    default: break
    }
  }

  /// DECSET / DECRST.
  mutating func setPrivateMode(_ mode: Int, _ on: Bool) {
    switch mode {
    case 1: modeState.applicationCursorKeys = on
    case 3:
      // DECCOLM: the width stays what the window is, but the screen is
      // cleared and the cursor homed, as a VT100 does (and tmux): programs
      // such as vttest rely on that clear.
      eraseInDisplay(2)
      moveCursor(column: 0, row: 0)
    case 6:
      modeState.originMode = on
      moveCursor(column: 0, row: 0)
    case 7:
      modeState.autowrap = on
      if !on { pendingWrap = false }
    case 9: modeState.mouseTracking = on ? .x10 : .none
    case 25: cursorIsVisible = on
    case 47, 1047: setAlternateScreen(on, saveCursor: false)
    case 1049: setAlternateScreen(on, saveCursor: true)
    case 1048:
      if on { saveCursor() } else { restoreCursor() }
    case 66: modeState.applicationKeypad = on
    case 1000: modeState.mouseTracking = on ? .normal : .none
    case 1002: modeState.mouseTracking = on ? .buttonEvent : .none
    case 1003: modeState.mouseTracking = on ? .anyEvent : .none
    case 1004: modeState.focusEvents = on
    case 1005: setMouseEncoding(.utf8, on)
    case 1006: setMouseEncoding(.sgr, on)
    case 1015: setMouseEncoding(.urxvt, on)
    case 2004: modeState.bracketedPaste = on
    case 2026: modeState.synchronizedOutput = on
    default: break
    }
  }

  private mutating func setMouseEncoding(_ encoding: MouseEncoding, _ on: Bool) {
    if on {
      modeState.mouseEncoding = encoding
    } else if modeState.mouseEncoding == encoding {
      modeState.mouseEncoding = .legacy
    }
  }

  /// XTWINOPS 18 (the text area's size in characters), 22 and 23 (push and
  /// pop the title); the rest, pixel sizes included, are not answered.
  private mutating func windowOperation() {
    let which = sequence.raw(1)
    switch sequence.raw(0) {
    case 18: reply("\u{1B}[8;\(rows);\(columns)t")
    case 22:
      guard which == 0 || which == 2 else { return }
      if titleStack.count >= 10 { titleStack.removeFirst() }
      titleStack.append(titleValue)
    case 23:
      guard which == 0 || which == 2 else { return }
      if let t = titleStack.popLast() { titleValue = t }
    default: break
    }
  }
}
