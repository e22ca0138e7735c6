// Monitoring, as screen does it: activity (output in a window no client
// shows) and silence (no output for `silencewait` seconds) are announced in
// the message line and flagged in window lists (@ activity, ! bell). The
// timers here are armed only while something needs them: silence
// monitoring, or a status line that shows the time.
import BerthProtocol
import BerthSystem

extension SessionServer {
  /// Whether any attached client shows w in one of its regions.
  func isShown(_ w: Window) -> Bool {
    clients.contains { c in
      c.isAttached && c.layout.regions.contains { $0.window === w }
    }
  }

  var attachedClients: [ClientConnection] {
    clients.filter(\.isAttached)
  }

  /// Program output arrived in w.
  func noteOutput(of w: Window, now: UInt64) {
    w.lastOutputNanos = now
    w.silenceAnnounced = false
    w.logStamped = false
    guard w.monitorActivity, !w.activitySeen, !isShown(w) else { return }
    w.activitySeen = true
    sessionVersion &+= 1
    announce(settings.activityMessage, w)
  }

  /// Sends every attached client a message about w.
  func announce(_ format: String, _ w: Window, seconds: Int = 0) {
    let text = expand(format, w, seconds: seconds)
    for c in attachedClients { c.send(.message(text)) }
  }

  /// A message format with %n (the window's number), %t (its title) and %s (seconds).
  func expand(_ format: String, _ w: Window, seconds: Int = 0) -> String {
    var text = ""
    var percent = false
    for ch in format {
      if percent {
        switch ch {
        case "n": text += String(w.number)
        case "t": text += w.title
        case "s": text += String(seconds)
        default: text.append(ch)
        }
        percent = false
      } else if ch == "%" {
        percent = true
      } else {
        text.append(ch)
      }
    }
    return text
  }

  /// screen's flags after a window's number in lists: * current, - previous,
  /// ! bell, @ activity, $ logged.
  func flags(of w: Window, current: Window? = nil, previous: Window? = nil) -> String {
    var f = w === current ? "*" : w === previous ? "-" : ""
    if w.bellSeen { f += "!" }
    if w.activitySeen { f += "@" }
    if w.log != nil { f += "$" }
    f += w.careMark
    return f
  }

  /// A window shown to someone has nothing left to announce.
  func clearFlags(of w: Window) {
    guard w.activitySeen || w.bellSeen else { return }
    w.activitySeen = false
    w.bellSeen = false
    sessionVersion &+= 1
  }

  /// Fires what is due; returns the ms until the next timer (-1: none armed).
  func runTimers(now: UInt64) -> Int32 {
    var timeout: Int32 = -1
    func wait(_ nanos: UInt64) {
      let ms = Int32(min(nanos / 1_000_000 + 1, 3_600_000))
      timeout = timeout < 0 ? ms : min(timeout, ms)
    }
    let quiet = UInt64(settings.silenceSeconds) * 1_000_000_000
    for w in windows where w.monitorSilence && !w.silenceAnnounced && !w.hasEnded {
      let due = w.lastOutputNanos &+ quiet
      if now >= due {
        w.silenceAnnounced = true
        announce(settings.silenceMessage, w, seconds: settings.silenceSeconds)
      } else {
        wait(due - now)
      }
    }
    stampLogs(now: now, wait: wait)
    runBackticks(now: now, wait: wait)
    runLifecycleTimers(now: now, wait: wait)
    if let step = statusClockStep, !attachedClients.isEmpty {
      let seconds = UInt64(Clock.wallSeconds())
      clockMinute = seconds / step
      wait((step - seconds % step) * 1_000_000_000)
    }
    return timeout
  }
}
