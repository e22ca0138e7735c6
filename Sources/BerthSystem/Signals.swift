// Signals as a file descriptor (signalfd), so that the event loops see them
// as one more readable fd and no handler runs Swift code asynchronously.
import CSupport
import Glibc

public struct SignalDescriptor {
  public let fd: Int32

  /// Blocks `signals` for this process and returns a signalfd delivering them.
  public init(_ signals: [Int32]) throws {
    var mask = sigset_t()
    sigemptyset(&mask)
    for s in signals { sigaddset(&mask, s) }
    guard sigprocmask(SIG_BLOCK, &mask, nil) == 0 else { throw SystemError("sigprocmask") }
    let fd = berth_signalfd(&mask)
    guard fd >= 0 else { throw SystemError("signalfd") }
    self.fd = fd
  }

  /// The next pending signal, or nil when none is pending.
  public func next() -> Int32? {
    let s = berth_signalfd_read(fd)
    return s > 0 ? s : nil
  }

  public static func ignore(_ signal: Int32) {
    Glibc.signal(signal, SIG_IGN)
  }

  public static func restoreDefault(_ signal: Int32) {
    Glibc.signal(signal, SIG_DFL)
  }
}

/// How a process ended, as a shell reports it.
public enum ExitStatus: Equatable, Sendable, Codable, CustomStringConvertible {
  case exited(Int32)
  case signaled(Int32)

  /// Decodes a wait(2) status.
  public init(waitStatus s: Int32) {
    let sig = s & 0x7f
    self = sig == 0 ? .exited((s >> 8) & 0xff) : .signaled(sig)
  }

  /// The status a shell's `$?` would hold: the code, or 128 + the signal.
  public var shellStatus: Int32 {
    switch self {
    case .exited(let c): return c
    case .signaled(let s): return 128 + s
    }
  }

  public var description: String {
    switch self {
    case .exited(let c): return "exit status \(c)"
    case .signaled(let s): return "killed by \(signalName(s)) (\(128 + s))"
    }
  }
}

/// "SIGTERM" for 15; "signal 64" where glibc has no name.
public func signalName(_ s: Int32) -> String {
  guard let p = berth_signal_name(s) else { return "signal \(s)" }
  return "SIG" + String(cString: p)
}
