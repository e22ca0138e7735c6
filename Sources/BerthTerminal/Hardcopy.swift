// The screen (and optionally the history before it) as plain UTF-8 text, as
// screen's `hardcopy` writes it: one line per row, trailing blanks trimmed,
// wide characters once, combining marks after their base.

extension TerminalCore {
  func hardcopy(includeHistory: Bool) -> [UInt8] {
    var out: [UInt8] = []
    if includeHistory {
      for i in 0..<scrollback.count {
        scrollback.withLine(i) { cells, _ in appendText(of: cells, to: &out) }
      }
    }
    for r in 0..<rows {
      appendText(of: UnsafeBufferPointer(start: grid.row(r), count: columns), to: &out)
    }
    return out
  }

  /// The text of one row of cells, without trailing blanks, and a newline.
  func appendText(of cells: UnsafeBufferPointer<Cell>, to out: inout [UInt8]) {
    let start = out.count
    for cell in cells where cell.width != 0 {
      appendUTF8(cell.scalar, to: &out)
      if cell.combining != 0 {
        for mark in combining.marks(cell.combining) { appendUTF8(mark, to: &out) }
      }
    }
    while out.count > start && out[out.count - 1] == 0x20 { out.removeLast() }
    out.append(0x0A)
  }
}

/// Appends `scalar` in UTF-8; anything that is not a scalar becomes U+FFFD.
/// (Also the protocol's and the benchmark's encoder.)
@inlinable public func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
  let v = scalar > 0x10_FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) ? 0xFFFD : scalar
  if v < 0x80 {
    out.append(UInt8(v))
  } else if v < 0x800 {
    out.append(0xC0 | UInt8(v >> 6))
    out.append(0x80 | UInt8(v & 0x3F))
  } else if v < 0x10000 {
    out.append(0xE0 | UInt8(v >> 12))
    out.append(0x80 | UInt8((v >> 6) & 0x3F))
    out.append(0x80 | UInt8(v & 0x3F))
  } else {
    out.append(0xF0 | UInt8(v >> 18))
    out.append(0x80 | UInt8((v >> 12) & 0x3F))
    out.append(0x80 | UInt8((v >> 6) & 0x3F))
    out.append(0x80 | UInt8(v & 0x3F))
  }
}
