// The decoration keys one client was given. Engine keys belong to a window's
// terminal and are reused once collected, so the client gets keys of its own,
// one per distinct decoration (by value: a key never changes meaning while the
// client may still show it), with a definition message before the frame that
// first uses it. When all 255 are given, the map starts again and the frame
// is built anew, full, so nothing on the client's screen keeps an old key.
import BerthProtocol
import BerthTerminal

final class ClientDecorations {
  static let capacity = 255

  private var keys: [Decoration: UInt8] = [:]
  /// Definitions for keys given while the current frame was built.
  private var pending: [UInt8] = []
  /// A key was needed and none was left.
  private(set) var overflowed = false

  /// The client's key for cells of `t` whose decoration key is `key`; 0 for
  /// none, or when no key is left (`overflowed` then says so).
  func key(_ key: UInt8, of t: Terminal) -> UInt8 {
    guard key != 0, let d = t.decoration(key) else { return 0 }
    if let k = keys[d] { return k }
    guard keys.count < ClientDecorations.capacity else {
      overflowed = true
      return 0
    }
    let k = UInt8(keys.count + 1)
    keys[d] = k
    pending += ServerMessage.decoration(key: k, d).encoded()
    return k
  }

  /// Forgets every key given, and the definitions not yet sent.
  func reset() {
    keys = [:]
    pending = []
    overflowed = false
  }

  /// After a full frame built from a fresh map: whatever still did not fit
  /// (more than 255 distinct decorations on one display) is shown plain.
  func acceptOverflow() { overflowed = false }

  /// The definition messages to send before the frame, once.
  func takeDefinitions() -> [UInt8] {
    defer { pending = [] }
    return pending
  }
}
