// What the client learns of the user's terminal by itself: its terminfo
// entry (read through ncurses once the renderer has set the entry up), its
// environment, and the queries it writes to the terminal, whose answers
// TerminalReplies.swift cuts from the input.
import BerthSystem
@preconcurrency import CNcurses
import Glibc

enum TerminalQueries {
  /// XTVERSION, DA2, DECRQM for synchronized output (2026), then DA1: nearly
  /// every terminal answers DA1, and in order, so its answer is the last.
  static let bytes: [UInt8] = Array("\u{1B}[>q\u{1B}[>c\u{1B}[?2026$p\u{1B}[c".utf8)

  /// What is known before the terminal answers anything.
  static func knowledge() -> TerminalKnowledge {
    TerminalKnowledge(colorTerm: environment("COLORTERM"), terminfo: terminfo())
  }

  /// The entry's capabilities beyond the basics.
  static func terminfo() -> TerminfoFacts {
    TerminfoFacts(
      rgb: flag("RGB") || number("RGB") > 0 || string("RGB") != nil || flag("Tc")
        || berth_colors() >= 0x100_0000,
      strikethrough: string("smxx") != nil, styledUnderlines: string("Smulx") != nil,
      underlineColor: string("Setulc") != nil, synchronizedOutput: string("Sync") != nil)
  }

  /// Whether the terminal is one of DEC's family, which answers these
  /// queries: the entry's `XT` flag, or a `clear` that starts with CSI (as
  /// tmux decides). Others might show the queries as text.
  static func understood() -> Bool {
    flag("XT") || string("clear")?.hasPrefix("\u{1B}[") == true
  }

  /// Writes the queries; true if they went out.
  static func ask() -> Bool {
    guard understood() else { return false }
    return (try? FD.writeAll(1, bytes)) != nil
  }

  private static func flag(_ name: String) -> Bool {
    name.withCString { tigetflag($0) } == 1
  }

  /// A numeric capability; -1 absent, -2 not a number.
  private static func number(_ name: String) -> Int {
    Int(name.withCString { tigetnum($0) })
  }

  private static func string(_ name: String) -> String? {
    guard let p = name.withCString({ tigetstr($0) }), Int(bitPattern: p) != -1 else { return nil }
    return String(cString: p)
  }
}
