// Names from outside: what a session name may hold, since it becomes part
// of the socket's file name; what a terminal type may be, since programs
// look it up as a terminfo file; and how such text is shown on a terminal.

/// Checks a session name (-S, sessionname): it becomes part of a file name.
public func validateSessionName(_ name: String, directory: String) throws {
  guard !name.isEmpty else { throw BerthError("a session name cannot be empty") }
  guard !name.contains("/") else {
    throw BerthError(
      "session name '\(visible(name))' contains '/'; a name cannot hold a slash")
  }
  guard name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
    throw BerthError("session name contains a control character")
  }
  guard name != "." && name != ".." else { throw BerthError("'\(name)' is not a session name") }
  // The socket is DIR/PID.NAME; a pid has at most 7 digits on Linux.
  let length = directory.utf8.count + 1 + 7 + 1 + name.utf8.count
  guard length <= UnixSocket.maxPathLength else {
    throw BerthError(
      "session name '\(visible(String(name.prefix(40))))…' is too long: its socket path would be over the limit of \(UnixSocket.maxPathLength) bytes"
    )
  }
}

/// `text` as it may be printed on a terminal: control characters (C0, DEL,
/// C1) shown as ^X or \u{XX}, so that a hostile name cannot move the
/// cursor or send escape sequences, and the message stays one line.
public func visible(_ text: String) -> String {
  var out = ""
  for scalar in text.unicodeScalars {
    let v = scalar.value
    if v < 0x20 {
      out += "^" + String(UnicodeScalar(UInt8(v) + 0x40))
    } else if v == 0x7F {
      out += "^?"
    } else if v >= 0x80 && v < 0xA0 {
      out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
    } else {
      out.unicodeScalars.append(scalar)
    }
  }
  return out
}

/// A terminal type as -T and `term` take it: a terminfo entry's name, one
/// short word without a slash.
public func isTerminalTypeName(_ name: String) -> Bool {
  !name.isEmpty && name.utf8.count <= 64
    && name.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "/" && $0.asciiValue ?? 0 >= 0x20 }
}
