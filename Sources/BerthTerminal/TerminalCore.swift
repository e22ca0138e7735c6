// The state of a terminal and the byte loop that changes it. All of it is
// one struct, driven through a single `inout` access per feed: mutable state
// in a class would pay a dynamic exclusivity check on every field access.
//
// The loop runs the parser table of Parser.swift with the state in locals,
// prints runs of ASCII and of mixed text without the table, decoding UTF-8
// inline. Actions are carried out by the extensions in Printing.swift,
// Screen.swift, Controls.swift, CSI.swift, SGR.swift and OSC.swift.

struct TerminalCore {
  var columns: Int
  var rows: Int
  var historyLimit: Int {
    didSet {
      historyLimit = max(0, historyLimit)
      scrollback.limit = historyLimit
    }
  }

  // Screens. `grid` is the one shown; history only takes from `mainGrid`.
  var mainGrid: Grid
  var altGrid: Grid
  var grid: Grid
  var scrollback: Scrollback

  // Cursor and what DECSC saves with it.
  var x = 0
  var y = 0
  /// The last column was printed and autowrap is on: the next character wraps.
  var pendingWrap = false
  var style = Style.plain
  /// SGR 3 sets standout rather than italic, as GNU screen and its terminfo have it.
  var sgr3IsStandout = false
  var charsets = CharsetState()
  var savedMain = SavedCursor()
  var savedAlt = SavedCursor()
  var savedForAltScreen = SavedCursor()
  /// 1049 saved a cursor (tmux restores it on `CSI ? 1049 l` only then).
  var hasSavedForAltScreen = false

  var scrollTop = 0
  var scrollBottom: Int
  var tabStops: [Bool]

  var modeState = Modes()
  var cursorIsVisible = true
  var cursorShapeValue = CursorShape.default
  var titleValue = ""
  var iconName = ""
  var titleStack: [String] = []

  var replies: [UInt8] = []
  var bells = 0
  var clipboard: [UInt8]?
  var combining = CombiningTable()
  /// The decorations cells refer to by Style.decoration (Decorations.swift).
  var decorations = DecorationTable()
  var decorationCollectionPause = 0
  /// Cells can be stored as words (see CellWords); read once, not per print.
  let packedCells = RawCellWords.layoutMatches

  /// Version of each visible row, from a clock that only moves forward.
  var versions: RowVersions

  /// The last graphic character printed, for REP.
  var lastGraphic: UInt32 = 0
  /// The cell before the cursor ends in a ZWJ: the next character joins it.
  var joinNext = false

  // Parser state between feeds.
  var parserState = ParserState.ground
  var sequence = SequenceBuffer()
  var utf8Need = 0
  var utf8Value: UInt32 = 0
  var utf8Lower: UInt8 = 0x80
  var utf8Upper: UInt8 = 0xBF

  /// The alternate screen exists only while it is shown: it is cleared
  /// each time it is, so nothing in it outlives its use, and a window that
  /// never shows it keeps a screen's worth of cells less (about 40 KiB at
  /// 80x24).
  static func noAltGrid() -> Grid { Grid(columns: 0, rows: 0) }

  /// The alternate screen, made at this terminal's size.
  mutating func makeAltGrid() {
    if altGrid.rows != rows || altGrid.columns != columns {
      altGrid = Grid(columns: columns, rows: rows)
    }
  }

  init(columns: Int, rows: Int, historyLimit: Int) {
    let (c, r) = TerminalCore.clamp(columns, rows)
    self.columns = c
    self.rows = r
    self.historyLimit = max(0, historyLimit)
    mainGrid = Grid(columns: c, rows: r, keepsText: true)
    altGrid = TerminalCore.noAltGrid()
    grid = mainGrid
    scrollback = Scrollback(limit: max(0, historyLimit))
    scrollBottom = r - 1
    tabStops = TerminalCore.defaultTabStops(c)
    versions = RowVersions(rows: r)
  }

  /// Each side to 1...maxDimension, and the rows so that one grid holds at
  /// most maxCells (a hostile size must not allocate gigabytes).
  static func clamp(_ columns: Int, _ rows: Int) -> (Int, Int) {
    let c = min(max(columns, 1), Terminal.maxDimension)
    let r = min(max(rows, 1), Terminal.maxDimension, max(1, Terminal.maxCells / c))
    return (c, r)
  }

  static func defaultTabStops(_ columns: Int) -> [Bool] {
    (0..<columns).map { $0 % 8 == 0 && $0 != 0 }
  }

  // MARK: Versions

  @inline(__always)
  func touch(_ row: Int) {
    versions.touch(row)
  }

  func touch(_ from: Int, through to: Int) {
    versions.touch(from, through: to)
  }

  func touchAll() { versions.touch(0, through: rows - 1) }

  // MARK: Feeding

  /// Program output: any bytes at all, in any split.
  mutating func feed(_ bytes: UnsafeRawBufferPointer) {
    let n = bytes.count
    guard n > 0, let raw = bytes.baseAddress else { return }
    let p = raw.assumingMemoryBound(to: UInt8.self)
    var state = parserState.rawValue
    var need = utf8Need
    var value = utf8Value
    var lower = utf8Lower
    var upper = utf8Upper
    var i = 0
    ParserTable.table.withUnsafeBufferPointer { table in
      while i < n {
        let b = p[i]
        if state == 0 {
          if need != 0 {
            // Inside a UTF-8 sequence: a continuation in range, or U+FFFD
            // for what came so far and the byte is looked at again.
            if b >= lower && b <= upper {
              value = value << 6 | UInt32(b & 0x3F)
              need &-= 1
              lower = 0x80
              upper = 0xBF
              i &+= 1
              if need == 0 { printScalar(value) }
            } else {
              need = 0
              lower = 0x80
              upper = 0xBF
              printScalar(0xFFFD)
            }
            continue
          }
          if b >= 0x20 && b < 0x7F {
            var j = i &+ 1
            // Eight bytes at a time while all are printable ASCII: no byte
            // has its top bit set, borrows below 0x20, or carries at 0x7F.
            while j &+ 8 <= n {
              let v = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
              let bad =
                (v | (v &- 0x2020_2020_2020_2020) | (v &+ 0x0101_0101_0101_0101))
                & 0x8080_8080_8080_8080
              if bad != 0 { break }
              j &+= 8
            }
            while j < n {
              let c = p[j]
              if c < 0x20 || c >= 0x7F { break }
              j &+= 1
            }
            if j < n && p[j] >= 0x80 {
              // Text mixed with UTF-8: printed together in one loop.
              i &+= printText(p + i, n &- i)
            } else {
              printASCII(p + i, j &- i)
              i = j
            }
            continue
          }
          if b >= 0x80 {
            let used = printText(p + i, n &- i)
            if used > 0 {
              i &+= used
              continue
            }
            // Split across feeds, or a bad sequence: go byte by byte.
            lower = 0x80
            upper = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0:
              need = 2
              lower = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: need = 2
            case 0xED:
              need = 2
              upper = 0x9F
            case 0xF0:
              need = 3
              lower = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4:
              need = 3
              upper = 0x8F
            default:
              printScalar(0xFFFD)
              i &+= 1
              continue
            }
            value = UInt32(b) & (b >= 0xF0 ? 0x07 : b >= 0xE0 ? 0x0F : 0x1F)
            i &+= 1
            continue
          }
        }
        let entry = table[Int(state) << 8 | Int(b)]
        state = entry & 0x0F
        switch entry >> 4 {
        case ParserAction.none.rawValue:
          break
        case ParserAction.print.rawValue:
          printScalar(charsets.active.translate(b))
        case ParserAction.execute.rawValue:
          execute(b)
        case ParserAction.clear.rawValue:
          sequence.clear()
        case ParserAction.collect.rawValue:
          sequence.collect(b)
        case ParserAction.param.rawValue:
          // This and the rest of the parameter bytes in one go (dense SGR).
          i = sequence.params(p, from: i, to: n)
        case ParserAction.escDispatch.rawValue:
          escDispatch(b)
        case ParserAction.csiDispatch.rawValue:
          csiDispatch(b)
        case ParserAction.oscStart.rawValue:
          sequence.oscStart()
        case ParserAction.oscPut.rawValue:
          sequence.oscPut(b)
        case ParserAction.oscEnd.rawValue:
          oscDispatch()
          sequence.clear()
        default:
          break
        }
        i &+= 1
      }
    }
    parserState = ParserState(rawValue: state) ?? .ground
    utf8Need = need
    utf8Value = value
    utf8Lower = lower
    utf8Upper = upper
  }

  /// Decodes one complete, valid UTF-8 sequence of two to four bytes at
  /// `p`: the scalar in the low 32 bits, its length above; 0 when it is
  /// invalid or not all there.
  @inline(__always)
  static func decodeUTF8(_ p: UnsafePointer<UInt8>, _ available: Int) -> UInt64 {
    let b0 = p[0]
    if b0 >= 0xC2 && b0 <= 0xDF {
      guard available >= 2 else { return 0 }
      let b1 = p[1]
      guard b1 & 0xC0 == 0x80 else { return 0 }
      return 2 << 32 | UInt64(b0 & 0x1F) << 6 | UInt64(b1 & 0x3F)
    }
    if b0 >= 0xE0 && b0 <= 0xEF {
      guard available >= 3 else { return 0 }
      let b1 = p[1]
      let b2 = p[2]
      let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
      let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
      guard b1 >= lo && b1 <= hi && b2 & 0xC0 == 0x80 else { return 0 }
      return 3 << 32 | UInt64(b0 & 0x0F) << 12 | UInt64(b1 & 0x3F) << 6 | UInt64(b2 & 0x3F)
    }
    if b0 >= 0xF0 && b0 <= 0xF4 {
      guard available >= 4 else { return 0 }
      let b1 = p[1]
      let b2 = p[2]
      let b3 = p[3]
      let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
      let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
      guard b1 >= lo && b1 <= hi && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 else { return 0 }
      return 4 << 32 | UInt64(b0 & 0x07) << 18 | UInt64(b1 & 0x3F) << 12 | UInt64(b2 & 0x3F) << 6
        | UInt64(b3 & 0x3F)
    }
    return 0
  }

  /// Queues bytes for the program.
  mutating func reply(_ text: String) {
    replies.append(contentsOf: text.utf8)
  }
}

/// What DECSC saves and DECRC restores.
struct SavedCursor {
  var x = 0
  var y = 0
  var pendingWrap = false
  var style = Style.plain
  var charsets = CharsetState()
  var originMode = false
}

/// Row versions: one per visible row, stamped from a clock that only moves
/// forward. A class holding raw memory so stamping costs one store.
///
/// Touching a range (every scroll touches the whole region) is recorded once
/// instead of stamping each row: a row's version is the newer of its own
/// stamp and the range's, when it lies in the range. A new range that covers
/// the old one replaces it; otherwise the old one is written out first.
final class RowVersions {
  let count: Int
  private let stamps: UnsafeMutablePointer<UInt64>
  private var clock: UInt64
  private var rangeFrom = 0
  private var rangeTo = -1
  private var rangeStamp: UInt64 = 0

  init(rows: Int, clock: UInt64 = 1) {
    count = rows
    stamps = .allocate(capacity: rows)
    stamps.initialize(repeating: 0, count: rows)
    self.clock = clock
  }

  /// Fresh versions for a new height, all newer than any given out before.
  func resized(rows: Int) -> RowVersions {
    let v = RowVersions(rows: rows, clock: clock)
    v.touch(0, through: rows - 1)
    return v
  }

  deinit { stamps.deallocate() }

  subscript(_ row: Int) -> UInt64 {
    guard row >= 0 && row < count else { return 0 }
    let own = stamps[row]
    return row >= rangeFrom && row <= rangeTo && rangeStamp > own ? rangeStamp : own
  }

  @inline(__always)
  func touch(_ row: Int) {
    guard row >= 0 && row < count else { return }
    stamps[row] = clock
    clock &+= 1
  }

  func touch(_ from: Int, through to: Int) {
    let a = max(0, from)
    let b = min(count - 1, to)
    guard a <= b else { return }
    if a > rangeFrom || b < rangeTo {
      var r = rangeFrom
      while r <= rangeTo {
        if stamps[r] < rangeStamp { stamps[r] = rangeStamp }
        r &+= 1
      }
    }
    rangeFrom = a
    rangeTo = b
    rangeStamp = clock
    clock &+= 1
  }
}
