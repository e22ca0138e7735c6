// The commands of window logs: `log` turns a window's on and off,
// `logsize` and `logkeep` say when logs rotate and how many rotated files
// stay. The writing itself is WindowLog's, off the server's thread.
import BerthSystem

extension SessionServer {
  /// `log [on|off]`: without an argument, toggle.
  func log(_ args: [String], _ w: Window) -> (Int32, String) {
    let on = args.isEmpty ? w.log == nil : Self.onOff(args)
    guard let on else { return (1, "log: usage: log [on|off]") }
    if !on {
      guard let log = w.log else { return (0, "") }
      log.close()
      w.log = nil
      sessionVersion &+= 1
      return (0, "Logfile \"\(log.path)\" closed.")
    }
    guard w.log == nil else { return (0, "") }
    let path = settings.logFile.replacingPercentN(with: w.number)
    do {
      w.log = try WindowLog(path: path, limits: logLimits)
    } catch {
      return (1, "log: cannot open \(path): \(SystemError.text(for: error.code))")
    }
    sessionVersion &+= 1
    return (0, "Creating logfile \"\(path)\".")
  }

  var logLimits: LogRotation.Limits {
    LogRotation.Limits(size: settings.logSize, keep: settings.logKeep)
  }

  /// `logsize [bytes[K|M|G]]`: without an argument, print it.
  func logSize(_ args: [String]) -> (Int32, String) {
    guard let text = args.first else {
      return (0, "logsize \(LogRotation.describe(size: settings.logSize))")
    }
    guard args.count == 1, let size = LogRotation.parseSize(text) else {
      return (
        1,
        "logsize: usage: logsize bytes, or a number with K, M or G (0: logs never rotate), not '\(visible(args.joined(separator: " ")))'"
      )
    }
    settings.logSize = size
    applyLogLimits()
    return (0, "")
  }

  /// `logkeep [n]`: without an argument, print it.
  func logKeep(_ args: [String]) -> (Int32, String) {
    guard let text = args.first else { return (0, "logkeep \(settings.logKeep)") }
    guard args.count == 1, let keep = LogRotation.parseKeep(text) else {
      return (
        1,
        "logkeep: usage: logkeep n, the rotated logs kept, 0 to \(LogRotation.mostKept), not '\(visible(args.joined(separator: " ")))'"
      )
    }
    settings.logKeep = keep
    applyLogLimits()
    return (0, "")
  }

  /// Logs already open rotate by the new limits from their next write on.
  private func applyLogLimits() {
    for w in windows { w.log?.setLimits(logLimits) }
  }

  /// A log whose writes began to fail (a full disk) is told once, where
  /// the user looks; it stays on, and marks the gap once writing works.
  func reportLogFailure(of w: Window) {
    guard let failure = w.log?.takeFailure() else { return }
    for c in attachedClients { c.send(.message(failure)) }
  }

  /// The log writer said some log has something to tell (its notice pipe).
  func reportLogFailures() {
    LogWriter.shared.takeNotices()
    for w in windows { reportLogFailure(of: w) }
  }
}
