// The client's view of the user's terminal: the tty in raw mode, its
// terminfo entry read once (ncurses serves only as the terminfo database),
// the window's rows handed to a ScreenWriter as they change, and one write
// of the difference per flush. Messages cover the last line; the row
// beneath is kept and put back afterwards.

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

  private var writer: ScreenWriter
  private var message: String?
  /// The terminal's modes before berth took it, put back by end().
  private var shellModes = termios()
  private let haveShellModes: Bool
  /// The terminal is given back (end()); the next flush takes it again.
  private var ended = false
  /// smcup and enacs are due before the next frame.
  private var entering = true

  /// Takes over the controlling terminal on stdin and stdout.
  public init() throws {
    guard isatty(STDIN_FILENO) == 1 else { throw RendererError("standard input is not a terminal") }
    guard isatty(STDOUT_FILENO) == 1 else {
      throw RendererError("standard output is not a terminal")
    }
    // Wide characters are written in the user's locale.
    setlocale(LC_ALL, "")
    guard let term = getenv("TERM"), term.pointee != 0 else {
      throw RendererError("TERM is not set: cannot tell how to drive this terminal")
    }
    // ncurses is only the terminfo database here: berth writes its own output.
    var status: Int32 = 0
    guard setupterm(nil, STDOUT_FILENO, &status) == OK else {
      throw RendererError(
        "cannot use terminal type '\(String(cString: term))': no terminfo entry for it")
    }
    let caps = TerminalCapabilities.load()
    // A terminal that cannot move the cursor (TERM=dumb) cannot show a screen.
    guard !caps.cursorAddress.isEmpty else {
      throw RendererError("terminal type '\(String(cString: term))' cannot address the cursor")
    }
    let size = Self.terminalSize()
    rows = size.rows
    columns = size.columns
    let utf8 = berth_locale_is_utf8() != 0
    writer = ScreenWriter(
      caps: caps, glyphs: Self.localeGlyphs(utf8: utf8), utf8: utf8, columns: columns,
      rows: rows, features: TerminalQueries.knowledge(caps).features)
    haveShellModes = tcgetattr(STDOUT_FILENO, &shellModes) == 0
    setProgramModes()
  }

  deinit {
    end()
  }

  /// The window size of the terminal, else the entry's, else 80x24.
  private static func terminalSize() -> (columns: Int, rows: Int) {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
      return (Int(size.ws_col), Int(size.ws_row))
    }
    let lines = Int("lines".withCString { tigetnum($0) })
    let cols = Int("cols".withCString { tigetnum($0) })
    return (cols > 0 ? cols : 80, lines > 0 ? lines : 24)
  }

  /// Raw input, no echo, no CR/NL translation (as ncurses' raw, noecho and
  /// nonl set it): keys reach the client byte for byte, output goes as written.
  private func setProgramModes() {
    guard haveShellModes else { return }
    var modes = shellModes
    modes.c_lflag &= ~tcflag_t(ICANON | ISIG | IEXTEN | ECHO | ECHONL)
    modes.c_iflag &= ~tcflag_t(IXON | BRKINT | PARMRK | ICRNL | INLCR | IGNCR)
    modes.c_oflag &= ~tcflag_t(ONLCR)
    withUnsafeMutableBytes(of: &modes.c_cc) { cc in
      cc[Int(VMIN)] = 1
      cc[Int(VTIME)] = 0
    }
    _ = tcsetattr(STDOUT_FILENO, TCSADRAIN, &modes)
  }

  /// What the terminal takes beyond its terminfo entry's basics; a change
  /// repaints the whole screen on the next flush.
  /// What the terminfo entry says the terminal can do.
  var capabilities: TerminalCapabilities { writer.caps }

  public var features: TerminalFeatures {
    get { writer.features }
    set { if newValue != writer.features { writer.features = newValue } }
  }

  /// The server (re)defines a decoration key; cells that carry it are drawn
  /// with the new decoration from the next flush on.
  public func defineDecoration(_ key: UInt8, _ decoration: Decoration) {
    writer.define(key, decoration)
  }

  /// How colours are mapped on this terminal; nil when it has none.
  public var colorMapper: ColorMapper? { writer.mapper }

  /// Widths and encodability as the user's locale sees them.
  private static func localeGlyphs(utf8: Bool) -> GlyphMapper {
    let width: (UInt32) -> Int = { scalar in
      scalar > 0x10_FFFF ? -1 : Int(berth_wcwidth(scalar))
    }
    if utf8 {
      return GlyphMapper(
        localWidth: width, encodable: { $0 < 0xD800 || (0xE000...0x10_FFFF).contains($0) },
        keepsWideMarks: true)
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

  /// After SIGWINCH: reads the tty's size; true if it changed. The kept
  /// rows are drawn again at the new width.
  public func refreshSize() -> Bool {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0
    else {
      return false
    }
    let newRows = Int(size.ws_row)
    let newColumns = Int(size.ws_col)
    guard newRows != rows || newColumns != columns else { return false }
    rows = newRows
    columns = newColumns
    writer.resize(columns: columns, rows: rows)
    if let message { writer.setMessage(messageCells(message)) }
    return true
  }

  // MARK: - Drawing

  /// Row y of the window; `cells` is cropped or padded with blanks to the
  /// terminal's width. Rows at y >= rows are ignored.
  public func drawRow(_ y: Int, _ cells: UnsafeBufferPointer<Cell>, marks: (UInt32) -> [UInt32]) {
    writer.setRow(y, cells, marks: marks)
  }

  /// Clears the rows from y down, below the window's height.
  public func clearRows(from y: Int) {
    writer.clearRows(from: y)
  }

  public func setCursor(x: Int, y: Int, visible: Bool) {
    writer.cursor = (x, y, visible)
  }

  /// A message over the last line, in reverse video, until clearMessage().
  public func showMessage(_ text: String) {
    message = text
    writer.setMessage(messageCells(text))
  }

  /// Takes the message away and puts the window's row back.
  public func clearMessage() {
    guard message != nil else { return }
    message = nil
    writer.setMessage(nil)
  }

  /// The message line's cells: the text in reverse video, then blanks.
  private func messageCells(_ text: String) -> [Cell] {
    let style = Style(attributes: .reverse)
    var cells: [Cell] = []
    for scalar in text.unicodeScalars {
      var s = scalar.value
      if s == 0x09 || s == 0x0A || s == 0x0D { s = 0x20 }
      var width = s >= 0x20 && s < 0x7F ? 1 : writer.glyphs.localWidth(s)
      if width == 0 { continue }  // marks are dropped from messages
      if width < 0 { (s, width) = (0x3F, 1) }
      guard cells.count + width <= columns else { break }
      cells.append(Cell(scalar: s, style: style, width: UInt8(width)))
      if width == 2 { cells.append(Cell(scalar: 0x20, style: style, width: 0)) }
    }
    return cells
  }

  /// Repaints the whole terminal on the next flush.
  public func redraw() {
    writer.redraw()
  }

  /// Sends everything changed since the last flush, in one write.
  public func flush() {
    if ended {
      // After C-a z: the terminal is taken over again.
      ended = false
      entering = true
      setProgramModes()
      writer.forgetTerminal()
    }
    if entering {
      entering = false
      writer.out.append(writer.caps.enterScreen)
      writer.out.append(writer.caps.enableACS)
    }
    writer.render()
    writer.out.write(to: STDOUT_FILENO)
  }

  public func bell() {
    writeNow(writer.caps.bell)
  }

  /// A visual bell (vbell on): the entry's flash, waiting out its delay
  /// (`$<100/>`) between the two halves, or the bell where it has none.
  public func flash() {
    let flash = writer.caps.flash
    guard !flash.isEmpty else { return bell() }
    var i = 0
    var part: [UInt8] = []
    while i < flash.count {
      if flash[i] == UInt8(ascii: "$"), i + 1 < flash.count, flash[i + 1] == UInt8(ascii: "<"),
        let end = flash[(i + 2)...].firstIndex(of: UInt8(ascii: ">"))
      {
        writeNow(part)
        part.removeAll()
        let digits = flash[(i + 2)..<end].prefix { $0 >= 0x30 && $0 <= 0x39 }.prefix(4)
        let ms = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        usleep(UInt32(min(ms, 1000)) * 1000)
        i = end + 1
        continue
      }
      part.append(flash[i])
      i += 1
    }
    writeNow(part)
  }

  private func writeNow(_ bytes: [UInt8]) {
    guard !bytes.isEmpty else { return }
    var out = OutputBuffer()
    out.append(bytes)
    out.write(to: STDOUT_FILENO)
  }

  /// Gives the terminal back as it was: cursor visible, cooked mode.
  public func end() {
    guard !ended else { return }
    ended = true
    if !entering {
      writer.renderEnd()
      writer.out.append(writer.caps.showCursor)
      writer.out.append(writer.caps.exitScreen)
      writer.out.write(to: STDOUT_FILENO)
    }
    if haveShellModes { _ = tcsetattr(STDOUT_FILENO, TCSADRAIN, &shellModes) }
  }
}
