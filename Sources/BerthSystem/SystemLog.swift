// The system log (syslog(3)), for what a session server must record with no
// terminal to print to: connections it refused. Without a running syslog
// daemon the line is dropped, which is what every daemon gets there.
import Glibc

public enum SystemLog {
  /// Logs `line` at warning level under the authpriv facility, as "berth".
  public static func warning(_ line: String) {
    "berth".withCString { ident in
      openlog(ident, LOG_PID, LOG_AUTHPRIV)
      line.withCString { text in
        withVaList([text]) { vsyslog(LOG_WARNING, "%s", $0) }
      }
      closelog()
    }
  }
}
