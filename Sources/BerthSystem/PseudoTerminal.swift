// Opening pseudo-terminals and setting their window size.
import CSupport
import Glibc

public enum PseudoTerminal {
  /// A new PTY: the master descriptor (close-on-exec, non-blocking) and the slave's path.
  public static func open(columns: Int, rows: Int) throws -> (master: Int32, slavePath: String) {
    var name = [CChar](repeating: 0, count: 128)
    let master = berth_open_pty(&name, name.count)
    guard master >= 0 else { throw SystemError("open a pseudo-terminal") }
    setWindowSize(master, columns: columns, rows: rows)
    FD.setNonBlocking(master)
    let path = String(
      decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return (master, path)
  }

  /// TIOCSWINSZ; the kernel sends SIGWINCH to the terminal's foreground process group.
  public static func setWindowSize(_ fd: Int32, columns: Int, rows: Int) {
    var ws = winsize(
      ws_row: UInt16(clamping: rows), ws_col: UInt16(clamping: columns), ws_xpixel: 0,
      ws_ypixel: 0)
    _ = ioctl(fd, UInt(TIOCSWINSZ), &ws)
  }

  /// TIOCGWINSZ of a terminal, nil when it is not one or reports 0x0.
  public static func windowSize(_ fd: Int32) -> (columns: Int, rows: Int)? {
    var ws = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
    return (Int(ws.ws_col), Int(ws.ws_row))
  }
}
