// The client's view of the user's terminal: ncurses (wide-character build)
// set up once, the window's rows written into stdscr as they change, and one
// doupdate per flush, so ncurses sends only the difference. Messages cover
// the last line; the row beneath is kept and put back afterwards.

import BerthTerminal
@preconcurrency import CNcurses
@preconcurrency import Glibc

/// Why the terminal could not be taken over.
public struct RendererError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

public final class Renderer {
  /// The user's terminal size.
  public private(set) var columns: Int
  public private(set) var rows: Int

  private let screen: OpaquePointer
  private let window: UnsafeMutablePointer<WINDOW>
  private var painter: RowPainter
  private var saved: [SavedRow]
  private var message: String?
  private var cursor = (x: 0, y: 0, visible: true)
  private var cursorShown: Bool?
  private var ended = false
  /// The bottom-right cell has not changed since hideBottomRightBlank looked at it.
  private var bottomRightChecked = false

  /// Takes over the controlling terminal on stdin and stdout.
  public init() throws {
    guard isatty(STDIN_FILENO) == 1 else { throw RendererError("standard input is not a terminal") }
    guard isatty(STDOUT_FILENO) == 1 else {
      throw RendererError("standard output is not a terminal")
    }
    // Before newterm: in the C locale ncursesw drops wide characters.
    setlocale(LC_ALL, "")
    guard let term = getenv("TERM"), term.pointee != 0 else {
      throw RendererError("TERM is not set: cannot tell how to drive this terminal")
    }
    // A terminal that says it takes RGB colour (COLORTERM) but whose terminfo
    // entry has 256 colours is driven through the entry's direct-colour twin.
    let direct = Self.directColorTwin(of: String(cString: term))
    let opened = direct.flatMap { name in newterm(name, stdout, stdin) }
    guard let screen = opened ?? newterm(nil, stdout, stdin) else {
      throw RendererError(
        "cannot use terminal type '\(String(cString: term))': no terminfo entry for it")
    }
    // A terminal that cannot move the cursor (TERM=dumb) cannot show a screen.
    guard Self.hasCapability("cup") else {
      endwin()
      delscreen(screen)
      throw RendererError("terminal type '\(String(cString: term))' cannot address the cursor")
    }
    self.screen = screen
    window = berth_stdscr()
    raw()
    noecho()
    nonl()
    // ncurses would otherwise cut an update short while input is pending and
    // leave the screen stale until the next flush.
    typeahead(-1)
    intrflush(window, false)
    scrollok(window, false)
    leaveok(window, false)
    // No insert/delete-line scrolling: finding it hashes every line on every
    // update, which cost more than it saved (scrolled output measures the same).
    idlok(window, false)

    var mapper: ColorMapper?
    if has_colors() {
      start_color()
      let defaults = use_default_colors() != ERR
      let direct = berth_colors() >= 0x100_0000
      mapper = ColorMapper(colors: Int(berth_colors()), direct: direct, defaultColors: defaults)
    }
    var y: Int32 = 0
    var x: Int32 = 0
    berth_getmaxyx(window, &y, &x)
    rows = Int(max(y, 0))
    columns = Int(max(x, 0))
    saved = Array(repeating: SavedRow(), count: rows)
    painter = RowPainter(
      glyphs: Self.localeGlyphs(utf8: berth_locale_is_utf8() != 0),
      pairs: ColorPairs(mapper: mapper, capacity: mapper == nil ? 0 : berth_color_pairs()))
  }

  deinit {
    end()
    delscreen(screen)
  }

  /// "tmux-direct" for TERM=tmux-256color when COLORTERM is truecolor or
  /// 24bit and such an entry is installed; nil otherwise.
  static func directColorTwin(of term: String) -> String? {
    guard let colorterm = getenv("COLORTERM").map({ String(cString: $0) }),
      colorterm == "truecolor" || colorterm == "24bit", !term.hasSuffix("-direct"),
      let base = term.split(separator: "-").first
    else { return nil }
    let name = base + "-direct"
    var dirs = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]
    if let home = getenv("HOME") { dirs.insert(String(cString: home) + "/.terminfo", at: 0) }
    if let custom = getenv("TERMINFO") { dirs.insert(String(cString: custom), at: 0) }
    let found = dirs.contains { access("\($0)/\(name.prefix(1))/\(name)", R_OK) == 0 }
    return found ? String(name) : nil
  }

  /// Whether the terminfo entry has a string capability.
  private static func hasCapability(_ name: String) -> Bool {
    guard let value = name.withCString({ tigetstr($0) }) else { return false }
    return Int(bitPattern: value) != -1
  }

  /// What the terminal takes beyond its terminfo entry's basics; a change
  /// repaints the whole screen on the next flush.
  public var features = TerminalFeatures() {
    didSet { if features != oldValue { redraw() } }
  }

  /// Decorations (underline colour, hyperlink) by the key cells carry in
  /// `Style.decoration`, as the server defined them.
  private var decorations = [Decoration](repeating: .none, count: 256)

  /// The server (re)defines a decoration key; cells that carry it are drawn
  /// with the new decoration from the next flush on.
  public func defineDecoration(_ key: UInt8, _ decoration: Decoration) {
    guard decorations[Int(key)] != decoration else { return }
    decorations[Int(key)] = decoration
    redraw()
  }

  /// How colours are mapped on this terminal; nil when it has none.
  public var colorMapper: ColorMapper? { painter.pairs.mapper }

  /// Widths and encodability as the user's locale sees them.
  private static func localeGlyphs(utf8: Bool) -> GlyphMapper {
    let width: (UInt32) -> Int = { scalar in
      scalar > 0x10_FFFF ? -1 : Int(berth_wcwidth(scalar))
    }
    if utf8 {
      return GlyphMapper(localWidth: width) { $0 < 0xD800 || (0xE000...0x10_FFFF).contains($0) }
    }
    // Another charset (LANG=C, Latin-1): ask it whether it has the character.
    return GlyphMapper(localWidth: width) { scalar in
      guard scalar >= 0x80 else { return true }
      var state = mbstate_t()
      var bytes = [CChar](repeating: 0, count: 16)  // MB_LEN_MAX
      let n = bytes.withUnsafeMutableBufferPointer {
        wcrtomb($0.baseAddress, wchar_t(bitPattern: scalar), &state)
      }
      return n != size_t.max && n > 0
    }
  }

  // MARK: - Size

  /// After SIGWINCH: reads the tty's size and resizes ncurses to it; true if
  /// the size changed. The kept rows are painted again at the new width.
  public func refreshSize() -> Bool {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0
    else {
      return false
    }
    let newRows = Int(size.ws_row)
    let newColumns = Int(size.ws_col)
    var y: Int32 = 0
    var x: Int32 = 0
    berth_getmaxyx(window, &y, &x)
    // ncurses may have resized itself already, from its own SIGWINCH handler.
    if Int(y) != newRows || Int(x) != newColumns { resizeterm(Int32(newRows), Int32(newColumns)) }
    guard newRows != rows || newColumns != columns else { return false }
    rows = newRows
    columns = newColumns
    if saved.count > rows {
      saved.removeLast(saved.count - rows)
    } else {
      saved.append(contentsOf: repeatElement(SavedRow(), count: rows - saved.count))
    }
    repaintAll()
    clearok(window, true)
    return true
  }

  // MARK: - Drawing

  /// Row y of the window; `cells` is cropped or padded with blanks to the
  /// terminal's width. Rows at y >= rows are ignored.
  public func drawRow(_ y: Int, _ cells: UnsafeBufferPointer<Cell>, marks: (UInt32) -> [UInt32]) {
    guard y >= 0, y < rows else { return }
    var marked: [Int: [UInt32]] = [:]
    for x in cells.indices where cells[x].combining != 0 {
      marked[x] = marks(cells[x].combining)
    }
    // Most rows of a frame are unchanged but for a cell or two: compare in
    // place, and copy into the kept row's storage rather than a new array.
    let span: ClosedRange<Int>?
    if marked.isEmpty && saved[y].marks.isEmpty && saved[y].cells.count == cells.count {
      guard let changed = Self.changedSpan(cells, saved[y].cells) else { return }
      span = changed
      saved[y].cells.withUnsafeMutableBufferPointer { kept in
        for x in changed { kept[x] = cells[x] }
      }
    } else {
      let row = SavedRow(cells: Array(cells), marks: marked)
      guard row != saved[y] else { return }
      span = nil
      saved[y] = row
    }
    if y == rows - 1 { bottomRightChecked = false }
    if !isMessageRow(y) {
      painter.paint(saved[y], y: y, columns: columns, window: window, span: span)
    }
  }

  /// The columns where two versions of a row of the same width differ (nil: none).
  static func changedSpan(_ new: UnsafeBufferPointer<Cell>, _ old: [Cell]) -> ClosedRange<Int>? {
    old.withUnsafeBufferPointer { old in
      guard new.count == old.count,
        let first = new.indices.first(where: { new[$0] != old[$0] }),
        let last = new.indices.last(where: { new[$0] != old[$0] })
      else { return nil }
      // A wide character's right half changes with its left: take both.
      return first...min(last + 1, new.count - 1)
    }
  }

  /// Clears the rows from y down, below the window's height.
  public func clearRows(from y: Int) {
    for row in max(0, y)..<max(max(0, y), rows) {
      saved[row] = SavedRow()
      if row == rows - 1 { bottomRightChecked = false }
      if !isMessageRow(row) {
        wmove(window, Int32(row), 0)
        wclrtoeol(window)
      }
    }
  }

  public func setCursor(x: Int, y: Int, visible: Bool) {
    cursor = (x, y, visible)
  }

  /// A message over the last line, in reverse video, until clearMessage().
  public func showMessage(_ text: String) {
    message = text
    paintMessage()
  }

  /// Takes the message away and puts the window's row back.
  public func clearMessage() {
    guard message != nil else { return }
    message = nil
    bottomRightChecked = false
    if rows > 0 { painter.paint(saved[rows - 1], y: rows - 1, columns: columns, window: window) }
  }

  /// Repaints the whole terminal on the next flush.
  public func redraw() {
    clearok(window, true)
  }

  /// Sends everything changed since the last flush in one doupdate.
  public func flush() {
    if ended {
      // doupdate after endwin takes the terminal over again (after C-a z).
      ended = false
      cursorShown = nil
      clearok(window, true)
    }
    if painter.pairs.exhausted { recolor() }
    if !cursor.visible && cursorShown != false {
      curs_set(0)
      cursorShown = false
    }
    hideBottomRightBlank()
    if rows > 0 && columns > 0 {
      let y = min(max(cursor.y, 0), rows - 1)
      let x = min(max(cursor.x, 0), columns - 1)
      wmove(window, Int32(y), Int32(x))
    }
    wnoutrefresh(window)
    doupdate()
    // Shown after the update, so that it does not flicker across the screen.
    if cursor.visible && cursorShown != true {
      curs_set(1)
      cursorShown = true
    }
  }

  /// ncurses' doupdate looks, on every update, for blank rows at the bottom
  /// that one clear-to-end-of-screen could do, comparing every cell of both
  /// its screens from the bottom up while they equal the bottom-right cell
  /// and that cell is a clearable blank: about 35 us for a mostly empty
  /// screen, most of the cost of echoing a key. A plain blank there is
  /// drawn with the invisible attribute instead, which looks the same and
  /// is not clearable, so the scan stops at once.
  private func hideBottomRightBlank() {
    guard rows > 0 && columns > 0, !bottomRightChecked else { return }
    bottomRightChecked = true
    var cell = cchar_t()
    guard mvwin_wch(window, Int32(rows - 1), Int32(columns - 1), &cell) != ERR else { return }
    withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: Int(CCHARW_MAX) + 1) { chars in
      guard let text = chars.baseAddress else { return }
      text.initialize(repeating: 0, count: chars.count)
      var attributes: attr_t = 0
      var pair: Int16 = 0
      guard getcchar(&cell, text, &attributes, &pair, nil) != ERR,
        text[0] == 0x20 && text[1] == 0 && attributes == BERTH_WA_NORMAL && pair == 0
      else { return }
      var hidden = cchar_t()
      _ = setcchar(&hidden, text, BERTH_WA_INVIS, 0, nil)
      // wadd_wchnstr: neither moves the cursor nor scrolls at the corner.
      _ = wadd_wchnstr(window, &hidden, 1)
    }
  }

  public func bell() {
    beep()
  }

  /// A visual bell (vbell on).
  public func flash() {
    CNcurses.flash()
  }

  /// Gives the terminal back as it was: cursor visible, cooked mode.
  public func end() {
    guard !ended else { return }
    ended = true
    curs_set(1)
    endwin()
  }

  // MARK: - Internals

  private func isMessageRow(_ y: Int) -> Bool {
    message != nil && y == rows - 1
  }

  private func paintMessage() {
    guard let message, rows > 0 else { return }
    bottomRightChecked = false
    painter.paintMessage(message, y: rows - 1, columns: columns, window: window)
  }

  /// Paints every kept row (and the message) into stdscr again.
  private func repaintAll() {
    bottomRightChecked = false
    for y in 0..<rows where !isMessageRow(y) {
      painter.paint(saved[y], y: y, columns: columns, window: window)
    }
    paintMessage()
  }

  /// The colour pairs ran out: number them again from 1 for what is on the
  /// screen now. ncurses repaints the cells whose pair changed meaning. If
  /// one screen needs more pairs than there are, the rest show in default
  /// colours (and the next flush that needs a new one tries again).
  private func recolor() {
    painter.pairs.reset()
    repaintAll()
  }
}
