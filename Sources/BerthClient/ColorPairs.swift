// Colour pairs allocated on demand. ncurses draws a cell's colours through a
// numbered pair and a terminal has a limited number of them (64 on xterm,
// 65536 on xterm-256color), so pairs are made as colour combinations first
// appear and cached; when they run out the renderer starts over and repaints.

import BerthTerminal
@preconcurrency import CNcurses

struct ColorPairs {
  /// A cell's colours as ncurses draws them: a pair, and bold for a bright
  /// foreground on an 8-colour terminal.
  struct Entry: Equatable {
    var pair: Int32
    var bold: Bool
    static let plain = Entry(pair: 0, bold: false)
  }

  /// nil on a terminal without colours: everything uses pair 0.
  let mapper: ColorMapper?
  /// ncurses' COLOR_PAIRS; pair 0 is the terminal's default colours.
  let capacity: Int32

  private var byStyle: [UInt64: Entry] = [:]
  private var byColors: [Int64: Int32] = [:]
  private var next: Int32 = 1
  // Neighbouring cells mostly share colours; key 0 is default on default.
  private var lastKey: UInt64 = 0
  private var lastEntry = Entry.plain

  /// A pair was needed and none was left; it was drawn in default colours.
  private(set) var exhausted = false

  init(mapper: ColorMapper?, capacity: Int32) {
    self.mapper = mapper
    self.capacity = capacity
  }

  /// The pair for a cell's foreground and background.
  @inline(__always)
  mutating func entry(_ foreground: Color, _ background: Color) -> Entry {
    let key = UInt64(foreground.rawValue) << 32 | UInt64(background.rawValue)
    if key == lastKey { return lastEntry }
    let entry = byStyle[key] ?? allocate(key, foreground, background)
    (lastKey, lastEntry) = (key, entry)
    return entry
  }

  private mutating func allocate(_ key: UInt64, _ foreground: Color, _ background: Color) -> Entry {
    guard let mapper else { return .plain }
    let f = mapper.foreground(foreground)
    let b = mapper.background(background)
    let bold = mapper.foregroundNeedsBold(foreground)
    if f == -1 && b == -1 { return remember(key, Entry(pair: 0, bold: bold)) }
    // Different colours may map to the same pair on a small terminal.
    let colorKey = Int64(f) << 32 | Int64(UInt32(bitPattern: b))
    if let pair = byColors[colorKey] { return remember(key, Entry(pair: pair, bold: bold)) }
    guard next < capacity else {
      exhausted = true  // not cached: after the reset it gets a pair of its own
      return Entry(pair: 0, bold: bold)
    }
    // A colour the terminal refuses is shown in default colours, not retried.
    guard init_extended_pair(next, f, b) != ERR else {
      return remember(key, Entry(pair: 0, bold: bold))
    }
    let pair = next
    next += 1
    byColors[colorKey] = pair
    return remember(key, Entry(pair: pair, bold: bold))
  }

  private mutating func remember(_ key: UInt64, _ entry: Entry) -> Entry {
    byStyle[key] = entry
    return entry
  }

  /// Forgets every pair, so that the next ones reuse the numbers from 1.
  mutating func reset() {
    byStyle.removeAll(keepingCapacity: true)
    byColors.removeAll(keepingCapacity: true)
    next = 1
    exhausted = false
    (lastKey, lastEntry) = (0, .plain)
  }
}
