// Errors from system calls, carrying the call and errno, printed as
// "call: strerror" so that the command line can show them in one line.
import Glibc

public struct SystemError: Error, CustomStringConvertible, Equatable {
  public let call: String
  public let code: Int32

  public init(_ call: String, _ code: Int32 = errno) {
    self.call = call
    self.code = code
  }

  public var description: String { "\(call): \(SystemError.text(for: code))" }

  public static func text(for code: Int32) -> String {
    guard let s = strerror(code) else { return "error \(code)" }
    return String(cString: s)
  }
}

/// A plain message error: what the user reads after "berth: ".
public struct BerthError: Error, CustomStringConvertible {
  public let description: String
  /// The exit status the command line leaves with.
  public let status: Int32

  public init(_ description: String, status: Int32 = 1) {
    self.description = description
    self.status = status
  }
}

/// The value of an environment variable, nil when unset or empty.
public func environment(_ name: String) -> String? {
  guard let p = getenv(name) else { return nil }
  let s = String(cString: p)
  return s.isEmpty ? nil : s
}

/// Writes a line to standard error, unbuffered (so it is never lost at exit).
public func printError(_ line: String) {
  try? FD.writeAll(2, line + "\n")
}
