// screen's backtick commands: a program whose last line of output shows in
// status lines at %N` (N its id). One that runs for good (lifespan and
// autorefresh 0) is started at once and each new line it prints replaces the
// text. Others are run again every autorefresh (else lifespan) seconds, but
// only while a client is attached: a detached session runs nothing. Their
// text changes when they end, to their last line, so that a command printing
// several lines does not flicker through them.
import BerthSystem
import Glibc

final class Backtick {
  let id: Int
  let lifespan: Int
  let autorefresh: Int
  let argv: [String]
  /// The last line the program printed, what %N` shows: its bytes as
  /// screen keeps them (tabs as blanks, other control characters dropped
  /// but ^E, which starts escapes in it), expanded when a line is drawn.
  var text: [UInt8] = [] {
    didSet {
      clockStep =
        StatusString.uses(text, escape: 0x05, escapes: "s")
        ? 1 : StatusString.uses(text, escape: 0x05, escapes: "cCaAdDmMyYl") ? 60 : nil
    }
  }
  /// Seconds between redraws for the time its text shows (^Ec, ^Es...), nil: none.
  private(set) var clockStep: UInt64?
  /// The line it is printing, until its newline.
  var partial: [UInt8] = []
  /// The last complete line of a run not yet ended.
  var lastLine: [UInt8]?
  /// Its program's run, while its output is open.
  var run: Program?
  var lastRun: UInt64 = 0

  init(id: Int, lifespan: Int, autorefresh: Int, argv: [String]) {
    self.id = id
    self.lifespan = lifespan
    self.autorefresh = autorefresh
    self.argv = argv
  }

  /// Runs for good, printing now and then.
  var persistent: Bool { lifespan == 0 && autorefresh == 0 }

  /// Seconds between runs (0: never again).
  var period: Int { autorefresh > 0 ? autorefresh : lifespan }

  /// Longest line kept: a program printing without newlines cannot grow the server.
  static let lineLimit = 4096
  /// Ids go as far as screen's (byobu's start at 1001).
  static let idLimit = Int(Int32.max)
}

extension SessionServer {
  /// `backtick id [lifespan autorefresh command [args...]]`; with the id
  /// alone, removes that command.
  func executeBacktick(_ args: [String]) -> (Int32, String) {
    let usage = (Int32(1), "backtick: usage: backtick id [lifespan autorefresh command [args...]]")
    guard let first = args.first else { return usage }
    guard let id = Int(first), id >= 0, id <= Backtick.idLimit else {
      return (1, "backtick: \(visible(first)) is not an id from 0 to \(Backtick.idLimit)")
    }
    if args.count == 1 {
      if let old = backticks.removeValue(forKey: id) { stopBacktick(old) }
      sessionVersion &+= 1
      return (0, "")
    }
    guard args.count >= 4 else { return usage }
    var seconds: [Int] = []
    for text in args[1...2] {
      guard let n = Int(text), n >= 0, n <= 86_400 * 365 else {
        return (1, "backtick: \(visible(text)) is not a number of seconds")
      }
      seconds.append(n)
    }
    let b = Backtick(
      id: id, lifespan: seconds[0], autorefresh: seconds[1], argv: Array(args[3...]))
    if let old = backticks[id] { stopBacktick(old) }
    backticks[id] = b
    sessionVersion &+= 1
    if let error = startBacktick(b) { return (1, "backtick: \(error)") }
    return (0, "")
  }

  /// Starts b's program (unless it is still running); the error, if it cannot.
  @discardableResult
  func startBacktick(_ b: Backtick, now: UInt64 = Clock.nanos()) -> String? {
    guard b.run == nil else { return nil }
    b.lastRun = now
    do {
      b.run = try Program.onPipe(ProgramSpec(argv: b.argv, environment: programEnvironment))
      b.partial.removeAll()
      b.lastLine = nil
      return nil
    } catch {
      b.text = []
      return "\(error)"
    }
  }

  /// Ends b's program, if it runs.
  func stopBacktick(_ b: Backtick) {
    guard let run = b.run else { return }
    run.signal(SIGTERM)
    run.close()
    b.run = nil
  }

  /// Reads what b printed; a complete line replaces the text shown. At most
  /// 64 KiB a turn: a command that never stops printing (`yes`) must not
  /// keep the server from its windows and clients.
  func readBacktick(_ b: Backtick) {
    let chunk = UnsafeMutableRawBufferPointer(rebasing: readBuffer[..<4096])
    for _ in 0..<16 {
      guard let run = b.run else { return }
      let n = run.read(into: chunk)
      if n < 0 && errno == EAGAIN { return }
      guard n > 0 else {
        // The end: a last line without its newline counts too.
        run.close()
        b.run = nil
        if let line = b.partial.isEmpty ? b.lastLine : b.partial { show(line, in: b) }
        b.partial.removeAll()
        b.lastLine = nil
        return
      }
      for byte in chunk[..<n] {
        if byte == UInt8(ascii: "\n") {
          if b.persistent { show(b.partial, in: b) } else { b.lastLine = b.partial }
          b.partial.removeAll(keepingCapacity: true)
        } else if byte != UInt8(ascii: "\r") && b.partial.count < Backtick.lineLimit {
          b.partial.append(byte)
        }
      }
    }
  }

  private func show(_ line: [UInt8], in b: Backtick) {
    // As screen filters it: tabs are blanks; other control characters
    // (which would be drawn into the status line as they are) go, but ^E,
    // the escape character of a backtick's output.
    let text = line.compactMap { byte -> UInt8? in
      byte == 0x09 ? 0x20 : byte < 0x20 && byte != 0x05 || byte == 0x7F ? nil : byte
    }
    guard text != b.text else { return }
    b.text = text
    sessionVersion &+= 1
  }

  /// Starts the backticks that are due while a client is attached; `wait`
  /// is told when the next one is.
  func runBackticks(now: UInt64, wait: (UInt64) -> Void) {
    guard !backticks.isEmpty, ending == nil, clients.contains(where: \.isAttached) else { return }
    for b in backticks.values where b.period > 0 && b.run == nil {
      let due = b.lastRun &+ UInt64(b.period) * 1_000_000_000
      if now >= due {
        startBacktick(b, now: now)
      } else {
        wait(due - now)
      }
    }
  }

  /// Ends every backtick program (the session ends).
  func stopBackticks() {
    for b in backticks.values { stopBacktick(b) }
  }
}
