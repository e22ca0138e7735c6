// What the session's commands and its berthrc set: the status line and
// captions, messages, scrollback for new windows, the command key and the
// key bindings. Plain data, one value per session.

struct Settings: Codable {
  /// `hardstatus alwayslastline`: the last row of every display is a status line.
  var hardstatusShown = false
  var hardstatus = "%H  %w"
  /// `caption always`, else `caption splitonly` (captions only under split regions).
  var captionAlways = false
  var caption = "%3n %t"
  /// attrcolor: style changes for attributes in status lines and captions.
  var attrColors = AttrColors()
  /// Seconds a message stays in the message line (msgwait).
  var messageSeconds = 5
  /// Flash instead of beeping (vbell).
  var visualBell = false
  var bellMessage = "Bell in window %n"
  var activityMessage = "Activity in window %n"
  var silenceMessage = "Window %n: silence for %s seconds"
  /// Seconds of quiet that silence monitoring waits for (silencewait).
  var silenceSeconds = 30
  /// Where `log on` writes; %n is the window's number (screen's default).
  var logFile = "screenlog.%n"
  /// logtstamp: a logged window quiet for `after` seconds gets a time stamp in its log.
  var logTimestamps = false
  var logTimestampAfter = 120
  var logTimestampFormat = "-- %n:%t -- time-stamp -- %M/%d/%y %c:%s --\n"
  /// deflog: new windows log their output from the start.
  var logNewWindows = false
  /// logsize: a log rotates before it would pass this many bytes (0: never).
  var logSize = 10 << 20
  /// logkeep: rotated logs kept, FILE.1 (newest) to FILE.N.
  var logKeep = 5
  /// The program of windows opened without one (`shell`, -s); nil for
  /// $SHELL. A leading "-" starts it as a login shell.
  var shell: String?
  /// defmonitor, defsilence: new windows are monitored for activity, silence.
  var monitorNewWindows = false
  var silenceNewWindows = false
  /// defwrap: new windows wrap at the right margin.
  var wrapNewWindows = true
  /// maxwin: window numbers stay below this.
  var maxWindows = 10_000
  /// ignorecase: copy mode's searches ignore case.
  var ignoreCase = false
  /// hardcopy_append: hardcopies are added to their file, not written over it.
  var hardcopyAppend = false
  /// hardcopydir: where hardcopy.N files go (else the session's directory).
  var hardcopyDirectory: String?
  /// bufferfile: the file readbuf and writebuf use; nil for /tmp/screen-exchange.
  var bufferFile: String?
  /// Lines of history for new windows (defscrollback).
  var historyLimit: Int
  /// The command key and the key that sends it literally (escape).
  var commandKey: UInt8 = 0x01
  var literalKey: UInt8 = UInt8(ascii: "a")
  var startupMessage = true
  /// zombie: windows whose program ended stay until one of these keys is typed.
  var zombieKeys: ZombieKeys?
  /// Watch the mouse (mousetrack): clicks focus regions, the wheel scrolls into copy mode.
  var mouseTrack = false
  /// truecolor on|off: clients draw RGB colours as RGB (or never); nil:
  /// each client finds out what its terminal takes.
  var trueColor: Bool?
  var bindings: [UInt8: Binding] = SessionServer.defaultBindings
  /// bindkey: special keys of the user's terminal that run a command.
  var keyBindings: [KeyStroke: Binding] = [:]
  /// bindkey's byte strings that are not one special key ("^[O1;2P", "^A").
  var sequenceBindings: [[UInt8]: Binding] = [:]
  /// bind -k: special keys after the command key.
  var specialBindings: [KeyStroke: Binding] = [:]
  /// bind -c: command classes, entered with `command -c class`.
  var classBindings: [String: [UInt8: Binding]] = [:]
  /// bindkey -m: keys of copy mode.
  var copyBindings: [UInt8: Binding] = [:]
  var copyKeyBindings: [KeyStroke: Binding] = [:]
  /// markkeys: copy-mode keys that do what another key does.
  var markKeys: [UInt8: UInt8] = [:]
  /// defrestart, defrestartlimit, stopwait (ProcessCommands.swift).
  var care = CareSettings()

  init(historyLimit: Int) {
    self.historyLimit = historyLimit
  }
}

/// zombie's keys: one closes an ended window, the other starts it again.
struct ZombieKeys: Codable, Equatable {
  var kill: UInt8
  var resurrect: UInt8
}

extension String {
  /// The string with each `%n` replaced by a window number (log file names).
  func replacingPercentN(with number: Int) -> String {
    var out = ""
    var afterPercent = false
    for c in self {
      if afterPercent {
        afterPercent = false
        if c == "n" {
          out += String(number)
          continue
        }
        out.append("%")
        if c == "%" { continue }
      } else if c == "%" {
        afterPercent = true
        continue
      }
      out.append(c)
    }
    if afterPercent { out.append("%") }
    return out
  }
}
