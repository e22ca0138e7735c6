// Time stamps in window logs (logtstamp), as screen writes them: when a
// logged window has been quiet for a while, its log gets a line saying
// when, so that a log read later shows where the gaps were. One timer
// per quiet spell, armed only while logging and stamping are on.
import BerthSystem
import BerthTerminal

extension SessionServer {
  /// `logtstamp [on|off]`, `logtstamp after [seconds]`, `logtstamp string [format]`.
  func executeLogStamp(_ args: [String]) -> (Int32, String) {
    let usage = (
      Int32(1), "logtstamp: usage: logtstamp [on|off] | after [seconds] | string [format]"
    )
    switch args.first {
    case nil:
      settings.logTimestamps.toggle()
    case "on", "off":
      guard args.count == 1 else { return usage }
      settings.logTimestamps = args[0] == "on"
    case "after":
      guard args.count <= 2 else { return usage }
      guard let text = args.dropFirst().first else {
        return (0, "timestamps after \(settings.logTimestampAfter) seconds")
      }
      guard let seconds = Int(text), seconds > 0, seconds <= 86_400 * 365 else {
        return (1, "logtstamp after: \(visible(text)) is not a number of seconds from 1 on")
      }
      settings.logTimestampAfter = seconds
    case "string":
      guard args.count <= 2 else { return usage }
      guard let format = args.dropFirst().first else {
        return (0, "logtstamp string is '\(visible(settings.logTimestampFormat))'")
      }
      settings.logTimestampFormat = String(decoding: StringEscapes.decode(format), as: UTF8.self)
    default:
      return usage
    }
    return (0, "")
  }

  /// Writes the stamp of each logged window whose quiet is due one; `wait`
  /// is told when the next is due.
  func stampLogs(now: UInt64, wait: (UInt64) -> Void) {
    guard settings.logTimestamps else { return }
    let quiet = UInt64(settings.logTimestampAfter) * 1_000_000_000
    for w in windows where w.log != nil && !w.logStamped && !w.hasEnded {
      let due = w.lastOutputNanos &+ quiet
      guard now >= due else {
        wait(due - now)
        continue
      }
      w.logStamped = true
      let text = plainText(settings.logTimestampFormat, w)
      w.log?.append(Array(text.utf8))
      reportLogFailure(of: w)
    }
  }

  /// A status-string format (%n, %t, the time's escapes) as plain text.
  func plainText(_ format: String, _ w: Window?) -> String {
    let cells = StatusString.expand(
      format, statusContext(w, focused: true), base: Style(), keepingControls: true)
    var text = ""
    for c in cells where c.width != 0 {
      if let scalar = Unicode.Scalar(c.scalar) { text.unicodeScalars.append(scalar) }
    }
    return text
  }
}
