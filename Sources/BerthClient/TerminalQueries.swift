// What the client learns of the user's terminal by itself: its terminfo
// entry (TerminalCapabilities, read once by the renderer), its environment,
// and the queries it writes to the terminal, whose answers
// TerminalReplies.swift cuts from the input.
import BerthSystem
import Glibc

enum TerminalQueries {
  /// XTVERSION, DA2, DECRQM for synchronized output (2026), then DA1: nearly
  /// every terminal answers DA1, and in order, so its answer is the last.
  static let bytes: [UInt8] = Array("\u{1B}[>q\u{1B}[>c\u{1B}[?2026$p\u{1B}[c".utf8)

  /// What is known before the terminal answers anything.
  static func knowledge(_ caps: TerminalCapabilities) -> TerminalKnowledge {
    TerminalKnowledge(colorTerm: environment("COLORTERM"), terminfo: caps.terminfoFacts)
  }

  /// Writes the queries to a terminal that answers them; true if they went out.
  static func ask(_ caps: TerminalCapabilities) -> Bool {
    guard caps.answersQueries else { return false }
    return (try? FD.writeAll(1, bytes)) != nil
  }
}
