// The machine's name as screen shows it: in default session names
// ("pts-3.myhost") and in status lines (%H).
import Glibc

/// The host name up to its first dot, or nil when there is none.
public func shortHostName() -> String? {
  var buffer = [CChar](repeating: 0, count: 256)
  guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
  return String(cBuffer: buffer).split(separator: ".").first.map(String.init)
}
