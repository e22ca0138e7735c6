// screen's `exec [[fdpat] command [args...]]`: a command run beside a
// window's program, whose output goes where its file-descriptor pattern
// says: `.` shown in the window as if the program had printed it, `!`
// typed into the program, `:` both (for stdout, then stderr; stdin comes
// third-hand, below). `exec .!! echo CMD` types CMD into the window, which
// is how byobu and screenrc snippets run a line in a shell.
import BerthSystem
import Glibc

/// A running `exec` command and where its output goes.
final class WindowExec {
  enum Target: Equatable {
    case window, program, both
  }

  weak var window: Window?
  let argv: [String]
  let pid: pid_t
  /// Read ends of its stdout and stderr; -1 once each has ended.
  var output: Int32
  var errors: Int32
  let outputTarget: Target
  let errorsTarget: Target

  init(
    window: Window, argv: [String], pid: pid_t, output: Int32, errors: Int32,
    targets: (Target, Target)
  ) {
    self.window = window
    self.argv = argv
    self.pid = pid
    self.output = output
    self.errors = errors
    (outputTarget, errorsTarget) = targets
  }

  var isRunning: Bool { output >= 0 || errors >= 0 }

  /// A file-descriptor pattern: up to three of `.`, `!`, `:` (stdin,
  /// stdout, stderr; missing ones are `.`), and a `|` after them; a lone
  /// `|` is `!..|`. Returns the stdin character and the two output targets.
  static func parsePattern(_ text: String) -> (stdin: Character, Target, Target)? {
    var chars = Array(text == "|" ? "!..|" : text)
    if chars.last == "|" { chars.removeLast() }
    guard chars.count <= 3, chars.allSatisfy({ ".!:".contains($0) }) else { return nil }
    while chars.count < 3 { chars.append(".") }
    func target(_ c: Character) -> Target { c == "." ? .window : c == "!" ? .program : .both }
    return (chars[0], target(chars[1]), target(chars[2]))
  }
}

extension SessionServer {
  /// `exec`: shows the running command, or starts one in window w.
  func executeExec(_ args: [String], window w: Window?) -> (Int32, String) {
    guard let w else { return (1, "exec: there is no window") }
    let running = execs.first { $0.window === w && $0.isRunning }
    guard var first = args.first else {
      guard let running else { return (0, "No subprocess running in this window.") }
      return (0, "exec: " + running.argv.joined(separator: " "))
    }
    var rest = args.dropFirst()
    // The pattern: a word of its own, or glued to the command (`!!stty`),
    // but not the dot of `./script`.
    let patternCharacters: Set<Character> = [".", "!", ":", "|"]
    let lead = first.prefix(while: { patternCharacters.contains($0) })
    var pattern = ""
    if !lead.isEmpty && !first.dropFirst(lead.count).hasPrefix("/") {
      pattern = String(lead)
      first = String(first.dropFirst(lead.count))
    }
    let argv = (first.isEmpty ? [] : [first]) + Array(rest)
    rest = []
    guard let (stdin, outputTarget, errorsTarget) = WindowExec.parsePattern(pattern) else {
      return (1, "exec: '\(visible(pattern))' is not a pattern of . ! : and |")
    }
    guard !argv.isEmpty else { return (1, "exec: usage: exec [[fdpat] command [args...]]") }
    guard stdin == "." else {
      return (
        1, "exec: giving the window's output to a command (\(stdin) for stdin) is not supported"
      )
    }
    guard running == nil else {
      return (1, "exec: a subprocess already runs in this window (\(running?.argv.first ?? ""))")
    }
    do {
      let started = try Spawn.piped(argv, environment: programEnvironment)
      execs.append(
        WindowExec(
          window: w, argv: argv, pid: started.pid, output: started.output,
          errors: started.errors, targets: (outputTarget, errorsTarget)))
    } catch {
      return (1, "exec: \(error)")
    }
    return (0, "")
  }

  /// Reads what e printed (at most 64 KiB a turn from each pipe) and sends
  /// it where its pattern says.
  func readExec(_ e: WindowExec) {
    let chunk = UnsafeMutableRawBufferPointer(rebasing: readBuffer[..<4096])
    for stream in 0..<2 {
      let fd = stream == 0 ? e.output : e.errors
      let target = stream == 0 ? e.outputTarget : e.errorsTarget
      guard fd >= 0 else { continue }
      for _ in 0..<16 {
        let n = FD.read(fd, into: chunk)
        if n < 0 && (errno == EAGAIN || errno == EINTR) { break }
        guard n > 0 else {
          FD.close(fd)
          if stream == 0 { e.output = -1 } else { e.errors = -1 }
          break
        }
        guard let w = e.window, w.isOpen else { continue }
        let bytes = Array(chunk[..<n])
        if target != .program {
          w.showOutput(bytes)
          noteOutput(of: w, now: Clock.nanos())
        }
        if target != .window { w.queueRaw(bytes) }
      }
    }
    if !e.isRunning { execs.removeAll { $0 === e } }
  }

  /// Ends the exec'd commands whose window is gone (all of them, when the
  /// session ends): their output has nowhere to go.
  func stopExecs(all: Bool = true) {
    execs.removeAll { e in
      guard all || e.window?.isOpen != true else { return false }
      kill(-e.pid, SIGHUP)
      if e.output >= 0 { FD.close(e.output) }
      if e.errors >= 0 { FD.close(e.errors) }
      return true
    }
  }
}
