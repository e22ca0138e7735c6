// Encoding history lines: a row of cells into the compact bytes the
// scrollback keeps (runs of one style, UTF-8 characters), with fast paths
// for rows known to be plain ASCII or text in one style. Decoding is in
// Scrollback.swift.

extension Scrollback {
  // MARK: Encoding

  /// Encodes a line into `scratch`; returns its length.
  /// Encodes a uniform line (narrow, unmarked ASCII in `style`): the same
  /// bytes `encode` would write, taking only the scalars.
  func encodeUniform(
    _ r: UnsafePointer<Cell>, columns: Int, used: Int, wrapped: Bool, style: Style
  ) -> Int {
    scratch.reserve(40 + columns * 30)
    var t = used
    if style == .plain {
      while t > 0 && r[t &- 1].scalar == 0x20 { t &-= 1 }
    }
    var w = Writer(p: scratch.base)
    w.byte(wrapped ? 1 : 0)
    w.varint(columns)
    w.varint(t)
    w.style(t > 0 ? style : .plain)
    let o = w.p
    var x = 0
    while x < t {
      o[x] = UInt8(truncatingIfNeeded: r[x].scalar)
      x &+= 1
    }
    return o + t - scratch.base
  }

  /// Encodes a line from its text (Grid.text): the header, then the text
  /// as it is. Trailing blanks are kept; they decode to the same cells.
  func encodeText(
    _ text: UnsafeBufferPointer<UInt8>, columns: Int, cells: Int, wrapped: Bool, style: Style
  ) -> Int {
    scratch.reserve(40 + text.count)
    var w = Writer(p: scratch.base)
    w.byte(wrapped ? 1 : 0)
    w.varint(columns)
    w.varint(cells)
    w.style(cells > 0 ? style : .plain)
    if let base = text.baseAddress, text.count > 0 { w.p.update(from: base, count: text.count) }
    return w.p + text.count - scratch.base
  }

  /// Encodes a line whose cells are all in `style`: the same bytes `encode`
  /// would write, reading only each cell's scalar, marks and width.
  func encodeOneStyle(
    _ r: UnsafePointer<Cell>, columns: Int, used: Int, wrapped: Bool, style: Style
  ) -> Int {
    scratch.reserve(40 + columns * 30)  // at most 24 bytes a cell, and slack
    var t = used
    if style == .plain {
      while t > 0 && r[t &- 1].scalar == 0x20 && r[t &- 1].width == 1
        && r[t &- 1].combining == 0
      {
        t &-= 1
      }
    }
    var w = Writer(p: scratch.base)
    w.byte(wrapped ? 1 : 0)
    w.varint(columns)
    w.varint(t)
    w.style(t > 0 ? style : .plain)
    var x = 0
    while x < t {
      let c = r + x
      let scalar = c.pointee.scalar
      let combining = c.pointee.combining
      let width = c.pointee.width
      if (scalar & ~0x7F) | combining == 0 && width == 1 {
        w.byte(UInt8(truncatingIfNeeded: scalar))
        x &+= 1
        continue
      }
      w.cell(r, at: &x, count: t, scalar: scalar, combining: combining, width: width)
    }
    return w.p - scratch.base
  }

  /// Generic over how cells are read, so each way gets a loop of its own.
  func encode<Words: CellWords>(
    _ r: UnsafePointer<Cell>, columns: Int, used: Int, wrapped: Bool, words: Words.Type
  ) -> Int {
    scratch.reserve(40 + columns * 30)  // at most 24 bytes a cell, and slack
    let out = scratch.base
    let blankKey = cellKey(Style.plain, width: 1)
    var t = used
    while t > 0 {
      let (w1, w2) = Words.load(r + (t &- 1))
      guard r[t &- 1].scalar == 0x20 && w1 == blankKey.0 && w2 == blankKey.1 else { break }
      t &-= 1
    }

    var w = Writer(p: out)
    w.byte(wrapped ? 1 : 0)
    w.varint(columns)
    w.varint(t)
    var current = t > 0 ? r[0].style : .plain
    w.style(current)
    // The words of a narrow, unmarked cell in the current style; the width
    // is the top byte of the second word.
    var (k1, k2) = cellKey(current, width: 1)
    /// The second word's difference for a wide cell in the current style.
    let wideBits: UInt64 = (1 ^ 2) << 56
    var x = 0
    // One loop for every kind of cell, so mixed text does not hop between
    // loops: ASCII in the current style costs three loads and one test.
    while x < t {
      let c = r + x
      let scalar = c.pointee.scalar
      let (w1, w2) = Words.load(c)
      let d1 = w1 ^ k1
      if UInt64(scalar & ~0x7F) | d1 | (w2 ^ k2) == 0 {
        w.byte(UInt8(truncatingIfNeeded: scalar))
        x &+= 1
        continue
      }
      // A wide character's left half, unmarked, in the current style.
      if d1 | (w2 ^ k2 ^ wideBits) == 0 && x &+ 1 < t && r[x &+ 1].width == 0 {
        w.wide(scalar)
        x &+= 2
        continue
      }
      if d1 >> 32 | ((w2 ^ k2) & cellStyleMask) != 0 {
        let style = c.pointee.style
        w.byte(0xFE)
        w.style(style)
        current = style
        (k1, k2) = cellKey(current, width: 1)
        continue
      }
      let width = UInt8(truncatingIfNeeded: w2 >> 56)
      // d1 is the combining key here: the style matched, so only it differs.
      w.cell(
        r, at: &x, count: t, scalar: scalar, combining: UInt32(truncatingIfNeeded: d1), width: width
      )
    }
    return w.p - out
  }

  struct Writer {
    var p: UnsafeMutablePointer<UInt8>

    @inline(__always) mutating func byte(_ b: UInt8) {
      p.pointee = b
      p += 1
    }

    /// Cell `x` of `r` (of `t` written), when it is not plain ASCII: a lone
    /// right half (0xFA), or its marks' key (0xF9) and its scalar, wide
    /// (0xF8, two cells) when its right half follows. Advances `x`.
    @inline(__always) mutating func cell(
      _ r: UnsafePointer<Cell>, at x: inout Int, count t: Int, scalar: UInt32, combining: UInt32,
      width: UInt8
    ) {
      if width == 0 {
        byte(0xFA)
        x &+= 1
        return
      }
      if combining != 0 {
        byte(0xF9)
        varint(Int(combining))
      }
      if width == 2 && x &+ 1 < t && r[x &+ 1].width == 0 {
        wide(scalar)
        x &+= 2
      } else {
        self.scalar(scalar)
        x &+= 1
      }
    }

    @inline(__always) mutating func varint(_ value: Int) {
      var v = UInt(bitPattern: value)
      while v >= 0x80 {
        byte(UInt8(truncatingIfNeeded: v) | 0x80)
        v >>= 7
      }
      byte(UInt8(v))
    }

    @inline(__always) mutating func style(_ s: Style) {
      let tag: UInt8 =
        (s.foreground.isDefault ? 0 : 1) | (s.background.isDefault ? 0 : 2)
        | (s.attributes.rawValue == 0 ? 0 : 4)
      byte(tag)
      if tag & 1 != 0 { word(s.foreground.rawValue) }
      if tag & 2 != 0 { word(s.background.rawValue) }
      if tag & 4 != 0 {
        UnsafeMutableRawPointer(p).storeBytes(
          of: s.attributes.rawValue.littleEndian, as: UInt16.self)
        p += 2
      }
    }

    /// Four bytes, little-endian: a colour (as short as its varint would be).
    @inline(__always) mutating func word(_ v: UInt32) {
      UnsafeMutableRawPointer(p).storeBytes(of: v.littleEndian, as: UInt32.self)
      p += 4
    }

    /// A scalar in UTF-8 (anything that is not one becomes U+FFFD). Writes
    /// up to four bytes in one store, so bytes past the sequence may be
    /// overwritten: the scratch buffer has room to spare.
    @inline(__always) mutating func scalar(_ value: UInt32) {
      let (bytes, length) = Writer.utf8(value)
      UnsafeMutableRawPointer(p).storeBytes(of: bytes.littleEndian, as: UInt32.self)
      p += length
    }

    /// 0xF8 and the scalar: a wide character, in one store.
    @inline(__always) mutating func wide(_ value: UInt32) {
      // Wide characters start at U+1100: three or four bytes, tried first.
      let (bytes, length) = value >= 0x800 ? Writer.utf8Long(value) : Writer.utf8(value)
      let marked = 0xF8 | UInt64(bytes) << 8
      UnsafeMutableRawPointer(p).storeBytes(of: marked.littleEndian, as: UInt64.self)
      p += 1 &+ length
    }

    /// The UTF-8 bytes of a scalar, first in the low byte, and their count.
    @inline(__always) static func utf8(_ value: UInt32) -> (UInt32, Int) {
      let v = value
      if v < 0x80 { return (v, 1) }
      if v < 0x800 { return ((0xC0 | v >> 6) | (0x80 | v & 0x3F) << 8, 2) }
      return utf8Long(v)
    }

    /// `utf8` for a value of at least U+0800. Surrogates and values past
    /// U+10FFFF, never printed, are checked only on the way to their
    /// length's encoding.
    @inline(__always) static func utf8Long(_ value: UInt32) -> (UInt32, Int) {
      var v = value
      if v < 0x10000 {
        if v & 0xF800 == 0xD800 { v = 0xFFFD }
        return ((0xE0 | v >> 12) | (0x80 | (v >> 6) & 0x3F) << 8 | (0x80 | v & 0x3F) << 16, 3)
      }
      if v > 0x10_FFFF { return (0xBD_BFEF, 3) }  // U+FFFD
      return (
        (0xF0 | v >> 18) | (0x80 | (v >> 12) & 0x3F) << 8 | (0x80 | (v >> 6) & 0x3F) << 16
          | (0x80 | v & 0x3F) << 24, 4
      )
    }
  }

  /// Reads an encoded line; every read is bounds-checked and yields 0 past the end.
}
