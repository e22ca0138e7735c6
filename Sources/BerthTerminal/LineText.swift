// The screen's lines as a program wrote them, for `berth --tail`: rows that
// wrapped at the right margin joined back into one line, trailing blanks
// left out, as plain UTF-8 or with SGR sequences for colours and
// attributes.

extension Terminal {
  /// Lines pushed into history since the terminal began (never goes back).
  public var historyLinesAdded: UInt64 { core.scrollback.added }

  /// The pen: the style the next printed character gets.
  public var currentStyle: Style { core.style }

  /// The last `count` lines of history and the screen's rows before
  /// `endRow` (all of them when nil: up to the last that is not blank),
  /// rows that wrapped joined; each line ends with a newline.
  public func recentLines(_ count: Int, beforeRow endRow: Int? = nil, color: Bool) -> [UInt8] {
    var end = historyCount + min(max(endRow ?? rows, 0), rows)
    if endRow == nil {
      while end > historyCount && rowIsBlank(end - historyCount - 1) { end -= 1 }
    }
    // Back from the end, to where the count-th last line begins: a line
    // begins after a row that did not wrap.
    var start = end
    var lines = 0
    while start > 0 && lines < count {
      start -= 1
      while start > 0 && textLineIsWrapped(start - 1) { start -= 1 }
      lines += 1
    }
    var out: [UInt8] = []
    appendLines(from: start, to: end, color: color, into: &out)
    return out
  }

  /// Lines from history line `index` to the end of history, rows that
  /// wrapped joined, each ending with a newline. A last row that wrapped
  /// (its line goes on, on the screen) is left out: `used` says how many
  /// history lines the text covers.
  public func historyText(from index: Int, color: Bool) -> (text: [UInt8], used: Int) {
    let start = min(max(index, 0), historyCount)
    var end = historyCount
    while end > start && historyRowIsWrapped(end - 1) { end -= 1 }
    var out: [UInt8] = []
    appendLines(from: start, to: end, color: color, into: &out)
    return (out, end - start)
  }

  /// The line the cursor is on, from where it began (rows above that it
  /// wrapped from included), as the bytes that draw it: text, SGR when
  /// `color`, and no newline.
  public func cursorLineText(color: Bool) -> [UInt8] {
    var first = historyCount + cursorY
    while first > 0 && textLineIsWrapped(first - 1) { first -= 1 }
    var out: [UInt8] = []
    appendLines(from: first, to: historyCount + cursorY + 1, color: color, into: &out)
    if out.last == 0x0A { out.removeLast() }
    return out
  }

  /// Text lines [start, end) as lines: a wrapped row runs on into the next.
  private func appendLines(from start: Int, to end: Int, color: Bool, into out: inout [UInt8]) {
    var i = start
    var style = Style.plain
    while i < end {
      let wrapped = textLineIsWrapped(i) && i + 1 < end
      withTextLine(i) { cells in
        appendText(of: cells, color: color, trim: !wrapped, style: &style, into: &out)
      }
      if !wrapped {
        if style != .plain { out.append(contentsOf: Self.sgrReset) }
        style = .plain
        out.append(0x0A)
      }
      i += 1
    }
  }

  private func rowIsBlank(_ y: Int) -> Bool {
    withRow(y) { cells in cells.allSatisfy { $0.scalar == 0x20 && $0.style == .plain } }
  }

  static let sgrReset: [UInt8] = [0x1B, 0x5B, 0x6D]

  /// A row's characters (wide ones once, combining marks after their
  /// base), trailing plain blanks left out when `trim`; with `color`, SGR
  /// sequences where the style changes from `style`, which ends as the last.
  private func appendText(
    of cells: UnsafeBufferPointer<Cell>, color: Bool, trim: Bool, style: inout Style,
    into out: inout [UInt8]
  ) {
    var end = cells.count
    if trim {
      while end > 0 && cells[end - 1].scalar == 0x20
        && (!color
          || cells[end - 1].style.background.isDefault
            && !cells[end - 1].style.attributes.contains(.reverse))
      {
        end -= 1
      }
    }
    for cell in cells[..<end] where cell.width != 0 {
      if color && cell.style != style {
        style = cell.style
        style.appendSGR(to: &out)
      }
      appendUTF8(cell.scalar, to: &out)
      if cell.combining != 0 {
        for mark in combiningMarks(cell.combining) { appendUTF8(mark, to: &out) }
      }
    }
  }
}

extension Style {
  /// The SGR sequence that sets exactly this style from any other: a reset,
  /// then its attributes and colours (`CSI 0;1;38;5;208m`).
  public func appendSGR(to out: inout [UInt8]) {
    var codes: [String] = ["0"]
    if attributes.contains(.bold) { codes.append("1") }
    if attributes.contains(.dim) { codes.append("2") }
    if attributes.contains(.italic) { codes.append("3") }
    if attributes.contains(.underline) {
      let u = attributes.underlineStyle
      codes.append(u <= 1 ? "4" : "4:\(u)")
    }
    if attributes.contains(.blink) { codes.append("5") }
    if attributes.contains(.reverse) || attributes.contains(.standout) { codes.append("7") }
    if attributes.contains(.hidden) { codes.append("8") }
    if attributes.contains(.strikethrough) { codes.append("9") }
    Self.colorCodes(foreground, base: 30, into: &codes)
    Self.colorCodes(background, base: 40, into: &codes)
    out.append(contentsOf: [0x1B, 0x5B])
    out.append(contentsOf: codes.joined(separator: ";").utf8)
    out.append(0x6D)
  }

  private static func colorCodes(_ color: Color, base: Int, into codes: inout [String]) {
    if let i = color.paletteIndex {
      if i < 8 {
        codes.append(String(base + Int(i)))
      } else if i < 16 {
        codes.append(String(base + 60 + Int(i) - 8))
      } else {
        codes.append("\(base + 8);5;\(i)")
      }
    } else if let (r, g, b) = color.rgbComponents {
      codes.append("\(base + 8);2;\(r);\(g);\(b)")
    }
  }
}
