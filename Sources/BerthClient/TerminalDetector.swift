// What one client has found out about the user's terminal, kept across its
// attachments (after a server restart or an upgrade, after C-a z), so that
// the terminal is asked once and its answers are not forgotten.

/// The knowledge and the filter for the answers still to come. Used only on
/// the client's one thread (hence unchecked).
public final class TerminalDetector: @unchecked Sendable {
  /// nil until the first attachment reads the entry and the environment.
  var knowledge: TerminalKnowledge?
  var replies = ReplyFilter()
  private var asked = false

  public init() {}

  /// On each attachment: what is known, read the first time, when the
  /// queries are written too. Nothing waits for their answers.
  func start(now: UInt64, capabilities caps: TerminalCapabilities) {
    if knowledge == nil { knowledge = TerminalQueries.knowledge(caps) }
    guard !asked else { return }
    asked = true
    if TerminalQueries.ask(caps) { replies.asked(now: now) }
  }
}
