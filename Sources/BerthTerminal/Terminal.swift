// The public face of the engine: a terminal that takes a program's output
// bytes and keeps the screen they describe (main and alternate grids,
// scrollback, cursor, modes, title) plus what must go back to the program
// (replies) or to the user (bells, clipboard). The state and the work are in
// TerminalCore; this class only hands out views of it.

public final class Terminal {
  /// The largest width or height accepted; larger requests are clamped.
  public static let maxDimension = 10_000
  /// The most cells a screen may have (rows are reduced to fit): 20 MB a grid.
  public static let maxCells = 1_000_000

  var core: TerminalCore

  /// Sizes are clamped to 1...maxDimension, and rows to keep within maxCells.
  public init(columns: Int, rows: Int, historyLimit: Int = 10_000) {
    core = TerminalCore(columns: columns, rows: rows, historyLimit: historyLimit)
  }

  /// Whether SGR 3 means standout (TERM=screen*, as GNU screen reads it)
  /// rather than italic (xterm, tmux). The server sets it from the TERM it
  /// gives programs, so that what they mean is what is shown.
  public var sgr3IsStandout: Bool {
    get { core.sgr3IsStandout }
    set { core.sgr3IsStandout = newValue }
  }

  /// DECAWM, as screen's `wrap` sets it from outside: whether printing past
  /// the right margin goes on at the next line.
  public var autowrap: Bool {
    get { core.modeState.autowrap }
    set { core.modeState.autowrap = newValue }
  }

  public var columns: Int { core.columns }
  public var rows: Int { core.rows }

  /// Lines of history kept for the main screen; lowering it drops the oldest.
  public var historyLimit: Int {
    get { core.historyLimit }
    set { core.historyLimit = newValue }
  }

  // MARK: Input

  /// Program output: any bytes at all, in any split.
  public func feed(_ bytes: UnsafeRawBufferPointer) {
    core.feed(bytes)
  }

  public func feed(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { core.feed($0) }
  }

  /// Clamps to at least 1; keeps the top-left content, the cursor's row in
  /// view, and moves rows to and from history as the height changes.
  public func resize(columns: Int, rows: Int) {
    core.resize(columns: columns, rows: rows)
  }

  // MARK: State

  /// 0-based column, 0..<columns.
  public var cursorX: Int { core.x }
  /// 0-based row of the visible screen.
  public var cursorY: Int { core.y }
  /// DECTCEM.
  public var cursorVisible: Bool { core.cursorIsVisible }
  public var cursorShape: CursorShape { core.cursorShapeValue }
  public var modes: Modes { core.modeState }
  /// Set by OSC 0 and 2.
  public var title: String { core.titleValue }

  /// Bytes to write back to the program (answers to its queries); empties the queue.
  public func takeReplies() -> [UInt8] {
    defer { core.replies = [] }
    return core.replies
  }

  /// BELs received since the last call.
  public func takeBells() -> Int {
    defer { core.bells = 0 }
    return core.bells
  }

  /// The last OSC 52 payload as sent (e.g. "c;BASE64"), once.
  public func takeClipboard() -> [UInt8]? {
    defer { core.clipboard = nil }
    return core.clipboard
  }

  // MARK: Screen

  /// Visible row `y` of the screen shown: exactly `columns` cells. A row out
  /// of range reads as the nearest one.
  public func withRow<R>(_ y: Int, _ body: (UnsafeBufferPointer<Cell>) throws -> R) rethrows -> R {
    let row = min(max(y, 0), core.rows - 1)
    return try body(UnsafeBufferPointer(start: core.grid.readRow(row), count: core.columns))
  }

  /// Changes whenever anything in visible row `y` changes; never goes back.
  public func rowVersion(_ y: Int) -> UInt64 {
    core.versions[y]
  }

  /// Row `y` continues on the next row (it wrapped at the right margin).
  public func rowIsWrapped(_ y: Int) -> Bool {
    core.grid.isWrapped(y)
  }

  /// The scalars joined to a cell whose `combining` is `key`.
  public func combiningMarks(_ key: UInt32) -> [UInt32] {
    core.combining.marks(key)
  }

  /// The underline colour and hyperlink of cells whose `style.decoration`
  /// is `key`; nil for 0 and keys not in use.
  public func decoration(_ key: UInt8) -> Decoration? {
    core.decorations[key]
  }

  // MARK: History

  /// Lines of scrollback (main screen only).
  public var historyCount: Int { core.scrollback.count }

  /// History line `index` (0 = oldest), in the width it was stored with.
  public func withHistoryRow<R>(_ index: Int, _ body: (UnsafeBufferPointer<Cell>) throws -> R)
    rethrows -> R
  {
    try core.scrollback.withLine(index) { cells, _ in try body(cells) }
  }

  /// History line `index` continues on the next line.
  public func historyRowIsWrapped(_ index: Int) -> Bool {
    core.scrollback.withLine(index) { _, wrapped in wrapped }
  }

  /// The screen (history first if asked) as UTF-8 text, one line per row,
  /// trailing blanks trimmed, wide characters once, combining marks included.
  public func hardcopy(includeHistory: Bool) -> [UInt8] {
    core.hardcopy(includeHistory: includeHistory)
  }
}
