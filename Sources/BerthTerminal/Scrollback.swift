// History of the main screen: a bounded ring of lines that scrolled off the
// top, stored compactly and decoded on demand.
//
// A line is not kept as cells (20 bytes each) but encoded into bytes: its
// width, its wrap flag, the cells as UTF-8 up to the last non-blank one, and a
// style only where it changes. A 100-column line of plain text costs about 104
// bytes plus an 8-byte record. Lines live in byte chunks that are allocated
// as history fills (the first one small and growing), and a chunk is freed
// once every line in it has been evicted.
//
// Encoding of one line (bytes 0xF8-0xFF never occur in UTF-8, so they mark):
//   flags (bit 0: wrapped), varint width, varint cell count, style, cells...
//   (the flags first: a line's first byte is never 0xFB, see below)
//   style: tag (bit 0 fg, bit 1 bg, bit 2 attributes), then those present:
//          colours in 4 bytes, attributes in 2, little-endian
//   0xFE style   the style changes here
//   0xF9 varint  the next cell carries this combining key
//   0xF8         the next scalar is wide: two cells
//   0xFA         a lone right half (width 0) cell
//   0xFB varint  the cell before carries this combining key instead (the
//                order in which printing learns of marks: see Grid's text);
//                it may follow the line's last cell
//   otherwise    a scalar in UTF-8: one cell

struct Scrollback {
  /// At most this many lines are kept; lowering it evicts the oldest.
  var limit: Int {
    didSet {
      limit = max(0, limit)
      while count > limit { evictOldest() }
    }
  }
  private(set) var count = 0
  /// Lines pushed since the scrollback began: evictions and clearing do not
  /// lower it, so a reader can tell how many lines came since it last looked.
  private(set) var added: UInt64 = 0

  /// Ring of line records: chunk sequence number << 24 | offset in chunk.
  private var records: [UInt64] = []
  private var head = 0
  private var chunks: [Chunk] = []
  /// Sequence number of `chunks[0]`.
  private var firstChunkSeq = 0
  /// Where a line is encoded before it is copied into a chunk (HistoryEncoder.swift).
  var scratch = Scratch()
  /// Cells can be read as raw words (see CellWords).
  private let rawCellWords = RawCellWords.layoutMatches

  private static let firstChunkSize = 4096
  private static let chunkSize = 65536

  private final class Chunk {
    var base: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var used = 0
    var lines = 0
    init(capacity: Int) {
      self.capacity = capacity
      base = .allocate(capacity: capacity)
    }
    func grow(to newCapacity: Int) {
      let b = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      b.update(from: base, count: used)
      base.deallocate()
      base = b
      capacity = newCapacity
    }
    deinit { base.deallocate() }
  }

  /// Where a line is encoded before it is copied into a chunk.
  final class Scratch {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity = 256
    init() { base = .allocate(capacity: capacity) }
    func reserve(_ n: Int) {
      guard n > capacity else { return }
      base.deallocate()
      capacity = n
      base = .allocate(capacity: n)
    }
    deinit { base.deallocate() }
  }

  init(limit: Int) {
    self.limit = max(0, limit)
  }

  /// Bytes held by history, records and chunks together (for tests and stats).
  var memoryFootprint: Int {
    records.count * 8 + chunks.reduce(0) { $0 + $1.capacity }
  }

  mutating func removeAll() {
    records = []
    head = 0
    count = 0
    chunks = []
    firstChunkSeq = 0
  }

  // MARK: Adding and removing lines

  /// Appends a line; the oldest goes when the limit is reached.
  /// Appends a line of `columns` cells of which only the first `used` may
  /// be other than plain blanks.
  /// `uniform`: every one of those is a narrow, unmarked ASCII character in
  /// this style (Grid.uniformStyle), so the cells need no checking.
  /// `oneStyle`: every one of those is in this style (Grid.oneStyle), so
  /// styles need no comparing. `text`, with `oneStyle`: the encoded cells
  /// of the first `textCells` of them (Grid.text), copied as they are.
  mutating func push(
    _ cells: UnsafePointer<Cell>, columns: Int, used: Int, wrapped: Bool, uniform: Style? = nil,
    oneStyle: Style? = nil, text: UnsafeBufferPointer<UInt8>? = nil, textCells: Int = 0
  ) {
    guard limit > 0 && columns > 0 else { return }
    let u = min(max(used, 0), columns)
    let length =
      if let style = oneStyle, let text, textCells == u {
        encodeText(text, columns: columns, cells: u, wrapped: wrapped, style: style)
      } else if let style = uniform {
        encodeUniform(cells, columns: columns, used: u, wrapped: wrapped, style: style)
      } else if let style = oneStyle {
        encodeOneStyle(cells, columns: columns, used: u, wrapped: wrapped, style: style)
      } else if rawCellWords {
        encode(cells, columns: columns, used: u, wrapped: wrapped, words: RawCellWords.self)
      } else {
        encode(cells, columns: columns, used: u, wrapped: wrapped, words: FieldCellWords.self)
      }
    if count >= limit { evictOldest() }
    added &+= 1
    let (seq, offset) = store(length)
    appendRecord(UInt64(seq) << 24 | UInt64(offset))
  }

  private mutating func evictOldest() {
    guard count > 0 else { return }
    let seq = Int(records[head] >> 24)
    head = head &+ 1 == records.count ? 0 : head &+ 1
    count -= 1
    if let chunk = chunk(seq) { chunk.lines -= 1 }
    while let first = chunks.first, first.lines <= 0, chunks.count > 1 {
      chunks.removeFirst()
      firstChunkSeq += 1
    }
    if count == 0, let only = chunks.first { only.used = 0 }
  }

  /// Removes the newest line after handing its cells to `body` (resize pulls
  /// lines back onto a taller screen).
  mutating func popNewest(_ body: (UnsafeBufferPointer<Cell>, Bool) -> Void) {
    guard count > 0 else { return }
    withLine(count - 1) { cells, wrapped in body(cells, wrapped) }
    let index = (head + count - 1) % records.count
    let seq = Int(records[index] >> 24)
    let offset = Int(records[index] & 0xFF_FFFF)
    count -= 1
    if let chunk = chunk(seq) {
      chunk.lines -= 1
      if seq == firstChunkSeq + chunks.count - 1 { chunk.used = min(chunk.used, offset) }
    }
  }

  private func chunk(_ seq: Int) -> Chunk? {
    let i = seq - firstChunkSeq
    return i >= 0 && i < chunks.count ? chunks[i] : nil
  }

  private mutating func appendRecord(_ record: UInt64) {
    if count == records.count {
      // Grow lazily, doubling, up to the limit.
      let newCapacity = min(max(limit, 1), max(64, records.count * 2))
      var grown = [UInt64](repeating: 0, count: max(newCapacity, count + 1))
      for i in 0..<count { grown[i] = records[(head + i) % records.count] }
      records = grown
      head = 0
    }
    // head < records.count and count < records.count here: no division.
    var index = head &+ count
    if index >= records.count { index &-= records.count }
    records[index] = record
    count += 1
  }

  /// Copies the encoded line from scratch into the newest chunk.
  private mutating func store(_ length: Int) -> (Int, Int) {
    if let last = chunks.last, last.used + length > last.capacity,
      last.capacity < Scrollback.chunkSize,
      last.used + length <= Scrollback.chunkSize
    {
      last.grow(to: min(Scrollback.chunkSize, max(last.capacity * 2, last.used + length)))
    }
    if chunks.last.map({ $0.used + length > $0.capacity }) ?? true {
      let size = chunks.isEmpty ? Scrollback.firstChunkSize : Scrollback.chunkSize
      chunks.append(Chunk(capacity: max(size, length)))
    }
    let chunk = chunks[chunks.count - 1]
    let offset = chunk.used
    (chunk.base + offset).update(from: scratch.base, count: length)
    chunk.used += length
    chunk.lines += 1
    return (firstChunkSeq + chunks.count - 1, offset)
  }

  // MARK: Reading lines

  /// Decodes line `index` (0 = oldest) and passes its cells (of the width it
  /// was stored with) and wrap flag to `body`.
  func withLine<R>(_ index: Int, _ body: (UnsafeBufferPointer<Cell>, Bool) throws -> R) rethrows
    -> R
  {
    guard index >= 0 && index < count, let (chunk, offset) = locate(index) else {
      return try body(UnsafeBufferPointer(start: nil, count: 0), false)
    }
    var reader = Reader(base: chunk.base + offset, end: chunk.used - offset)
    let wrapped = reader.byte() & 1 != 0
    let width = min(reader.varint(), 65536)
    let cellCount = min(reader.varint(), width)
    return try withUnsafeTemporaryAllocation(of: Cell.self, capacity: max(width, 1)) { buffer in
      guard let out = buffer.baseAddress else {
        return try body(UnsafeBufferPointer(start: nil, count: 0), false)
      }
      out.initialize(repeating: .blank(), count: max(width, 1))
      decodeCells(&reader, into: out, count: cellCount)
      return try body(UnsafeBufferPointer(start: out, count: width), wrapped)
    }
  }

  // MARK: Snapshots (Snapshot.swift)

  /// Line `index`'s bytes as stored, in the encoding above. A line that
  /// was the newest of its chunk when a newer one was popped may carry
  /// that line's dead bytes after its own: decoding never reads them (a
  /// line starts with its flags, never 0xFB).
  func withEncodedLine<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows
    -> R
  {
    guard index >= 0 && index < count, let (chunk, offset) = locate(index) else {
      return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
    var end = chunk.used
    if index + 1 < count {
      let next = records[(head + index + 1) % records.count]
      if self.chunk(Int(next >> 24)) === chunk { end = min(end, Int(next & 0xFF_FFFF)) }
    }
    return try body(UnsafeRawBufferPointer(start: chunk.base + offset, count: max(0, end - offset)))
  }

  /// Appends a line already encoded (withEncodedLine's bytes from a
  /// snapshot) without counting it as added; the caller checks what it decodes to.
  mutating func pushEncoded(_ bytes: UnsafeRawBufferPointer) {
    guard limit > 0, let source = bytes.baseAddress, bytes.count > 0 else { return }
    scratch.reserve(bytes.count)
    UnsafeMutableRawPointer(scratch.base).copyMemory(from: source, byteCount: bytes.count)
    if count >= limit { evictOldest() }
    let (seq, offset) = store(bytes.count)
    appendRecord(UInt64(seq) << 24 | UInt64(offset))
  }

  /// Lines pushed since the scrollback began, as a snapshot recorded it.
  mutating func restoreAdded(_ lines: UInt64) { added = lines }

  private func locate(_ index: Int) -> (Chunk, Int)? {
    let record = records[(head + index) % records.count]
    guard let c = chunk(Int(record >> 24)) else { return nil }
    let offset = Int(record & 0xFF_FFFF)
    return offset < c.used ? (c, offset) : nil
  }

  private func decodeCells(_ reader: inout Reader, into out: UnsafeMutablePointer<Cell>, count: Int)
  {
    var style = reader.style()
    var x = 0
    var combining: UInt32 = 0
    var wide = false
    /// The cell the last scalar went into, for 0xFB.
    var last = -1
    while !reader.atEnd {
      // Past the last cell only a mark for it may follow.
      if x >= count && reader.peek() != 0xFB { break }
      let b = reader.byte()
      switch b {
      case 0xFB:
        let key = UInt32(truncatingIfNeeded: reader.varint())
        if last >= 0 { out[last].combining = key }
        continue
      case 0xFE:
        style = reader.style()
        continue
      case 0xF9:
        combining = UInt32(truncatingIfNeeded: reader.varint())
        continue
      case 0xF8:
        wide = true
        continue
      case 0xFA:
        out[x] = Cell(scalar: 0x20, combining: 0, style: style, width: 0)
        x += 1
        continue
      default:
        break
      }
      let scalar = reader.scalar(first: b)
      last = x
      if wide && x + 1 < count {
        out[x] = Cell(scalar: scalar, combining: combining, style: style, width: 2)
        out[x + 1] = Cell(scalar: 0x20, combining: 0, style: style, width: 0)
        x += 2
      } else {
        out[x] = Cell(scalar: scalar, combining: combining, style: style, width: 1)
        x += 1
      }
      wide = false
      combining = 0
    }
  }

  private struct Reader {
    let base: UnsafeMutablePointer<UInt8>
    let end: Int
    var i = 0

    init(base: UnsafeMutablePointer<UInt8>, end: Int) {
      self.base = base
      self.end = end
    }

    var atEnd: Bool { i >= end }

    @inline(__always) func peek() -> UInt8 { i < end ? base[i] : 0 }

    @inline(__always) mutating func byte() -> UInt8 {
      guard i < end else { return 0 }
      let b = base[i]
      i += 1
      return b
    }

    mutating func varint() -> Int {
      var v = 0
      var shift = 0
      while shift < 63 {
        let b = byte()
        v |= Int(b & 0x7F) << shift
        if b < 0x80 { break }
        shift += 7
      }
      return v
    }

    mutating func style() -> Style {
      let tag = byte()
      var s = Style.plain
      if tag & 1 != 0 { s.foreground = Color(rawValue: UInt32(truncatingIfNeeded: little(4))) }
      if tag & 2 != 0 { s.background = Color(rawValue: UInt32(truncatingIfNeeded: little(4))) }
      if tag & 4 != 0 { s.attributes = Attributes(rawValue: UInt16(truncatingIfNeeded: little(2))) }
      return s
    }

    /// `n` bytes as a little-endian number.
    mutating func little(_ n: Int) -> UInt64 {
      var v: UInt64 = 0
      for k in 0..<n { v |= UInt64(byte()) << (8 * UInt64(k)) }
      return v
    }

    mutating func scalar(first b: UInt8) -> UInt32 {
      if b < 0x80 { return UInt32(b) }
      let extra: Int
      var v: UInt32
      if b >= 0xF0 {
        extra = 3
        v = UInt32(b & 0x07)
      } else if b >= 0xE0 {
        extra = 2
        v = UInt32(b & 0x0F)
      } else {
        extra = 1
        v = UInt32(b & 0x1F)
      }
      for _ in 0..<extra { v = v << 6 | UInt32(byte() & 0x3F) }
      return v
    }
  }
}
