// A window's latest output, for its followers (`berth --tail -f`): one
// ring of the bytes its program wrote, each follower reading at an offset
// of its own (tmux's pane buffer with per-reader offsets is the model). The
// ring never grows: a follower that falls a whole ring behind loses what
// the ring let go and is told how many lines that was. The window keeps a
// ring only while someone follows it.
import Glibc

final class OutputRing {
  /// Twice the most a window reads in one turn of the loop, so that a
  /// follower that keeps up never skips; small enough that a stopped one
  /// costs the server little.
  static let capacity = 512 << 10

  private let storage: UnsafeMutableBufferPointer<UInt8>
  /// Bytes written since the ring began: the offset of the next byte.
  private(set) var head: UInt64 = 0
  /// Those reading the ring. Only bytes one of them has not read yet are
  /// looked at as they are written over (their newlines counted, for the
  /// line count a skip reports): for readers that keep up, writing is a copy.
  private var readers: [Weak] = []

  /// No reader's offset was below this when they were last looked at.
  /// Offsets only grow, so while the ring's oldest byte stays at or under
  /// it nobody can fall behind, and a write skips the readers (whose weak
  /// references cost more to load than the copy of a small read).
  private var lowestReader: UInt64 = 0

  private struct Weak {
    weak var follower: Follower?
  }

  init() {
    storage = .allocate(capacity: Self.capacity)
  }

  deinit {
    storage.deallocate()
  }

  func add(_ f: Follower) {
    readers.removeAll { $0.follower == nil }
    readers.append(Weak(follower: f))
    lowestReader = min(lowestReader, f.offset)
  }

  /// The oldest offset still held.
  var oldest: UInt64 { head > UInt64(Self.capacity) ? head - UInt64(Self.capacity) : 0 }

  func append(_ bytes: UnsafeRawBufferPointer) {
    guard let base = storage.baseAddress, bytes.baseAddress != nil else { return }
    let end = head &+ UInt64(bytes.count)
    let oldestAfter = end > UInt64(Self.capacity) ? end - UInt64(Self.capacity) : 0
    countLost(before: oldestAfter, incoming: bytes)
    var source = bytes
    // Only the last capacity bytes can ever be read.
    if source.count > Self.capacity {
      head &+= UInt64(source.count - Self.capacity)
      source = UnsafeRawBufferPointer(rebasing: source[(source.count - Self.capacity)...])
    }
    var done = 0
    while done < source.count {
      let at = Int(head % UInt64(Self.capacity))
      let n = min(source.count - done, Self.capacity - at)
      guard let from = source.baseAddress else { return }
      UnsafeMutableRawPointer(base + at).copyMemory(from: from + done, byteCount: n)
      done += n
      head &+= UInt64(n)
    }
  }

  /// Counts, for each reader behind `oldestAfter`, the newlines it is about
  /// to lose: held bytes written over, and incoming ones never held.
  private func countLost(before oldestAfter: UInt64, incoming: UnsafeRawBufferPointer) {
    guard oldestAfter > lowestReader else { return }
    lowestReader = .max
    for r in readers {
      guard let f = r.follower else { continue }
      defer { lowestReader = min(lowestReader, f.offset) }
      guard f.offset < oldestAfter else { continue }
      let from = max(f.offset, oldest)
      let heldUpTo = min(oldestAfter, head)
      if from < heldUpTo {
        withBytes(from: from, limit: Int(heldUpTo - from)) { a, b in
          f.lostNewlines &+= Self.countNewlines(a) &+ Self.countNewlines(b)
        }
      }
      if oldestAfter > head {
        // Incoming bytes that go past before they are held.
        let skip = Int(max(f.offset, head) - head)
        let upTo = Int(oldestAfter - head)
        if skip < upTo {
          f.lostNewlines &+= Self.countNewlines(
            UnsafeRawBufferPointer(rebasing: incoming[skip..<min(upTo, incoming.count)]))
        }
      }
      // Counted: from here it reads as if from the oldest byte held.
      f.offset = max(f.offset, oldestAfter)
      f.behind = true
    }
  }

  /// The bytes from `offset` (which must be held) up to `limit` of them,
  /// in at most two pieces (the ring's end, then its start).
  func withBytes<R>(
    from offset: UInt64, limit: Int,
    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R
  ) -> R {
    guard offset >= oldest, offset < head, limit > 0 else {
      return body(
        UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0))
    }
    let at = Int(offset % UInt64(Self.capacity))
    let n = min(Int(head - offset), limit)
    let first = min(n, Self.capacity - at)
    let raw = UnsafeRawBufferPointer(storage)
    return body(
      UnsafeRawBufferPointer(rebasing: raw[at..<(at + first)]),
      UnsafeRawBufferPointer(rebasing: raw[0..<(n - first)]))
  }

  /// Where the oldest line wholly held begins: just after the first
  /// newline at or after `offset`; the head when none is held.
  func lineStart(from offset: UInt64) -> UInt64 {
    let from = max(offset, oldest)
    return withBytes(from: from, limit: Int(head - from)) { a, b in
      if let i = Self.firstNewline(a) { return from + UInt64(i + 1) }
      if let i = Self.firstNewline(b) { return from + UInt64(a.count + i + 1) }
      return head
    }
  }

  private static func firstNewline(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress, let hit = memchr(base, 0x0A, bytes.count) else {
      return nil
    }
    return UnsafeRawPointer(hit) - base
  }

  static func countNewlines(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    // memchr is glibc's vector search: far faster than a loop over bytes.
    guard var p = bytes.baseAddress else { return 0 }
    let end = p + bytes.count
    var n: UInt64 = 0
    while p < end, let hit = memchr(p, 0x0A, end - p) {
      n &+= 1
      p = UnsafeRawPointer(hit) + 1
    }
    return n
  }
}
/// A connection that follows a window's output instead of attaching.
final class Follower {
  weak var window: Window?
  let ring: OutputRing
  /// The next byte of the ring to send.
  /// Only ever grows (OutputRing.lowestReader counts on it).
  var offset: UInt64
  /// The ring wrote over bytes this follower had not read: it skips to the
  /// next whole line, and is told the lines it lost.
  var behind = false
  /// Newlines in the bytes it lost.
  var lostNewlines: UInt64 = 0
  /// When output was last sent (Clock.nanos()).
  var lastSent: UInt64 = 0
  /// Set when the program ended: the output up to `offset` is sent, then
  /// this line, and the connection closes. The offset is taken at `due`, a
  /// moment after the end: a PTY hands over what a program wrote just
  /// before it exited a little after the exit is known.
  var end: (offset: UInt64?, due: UInt64, text: String)?

  init(window: Window, ring: OutputRing) {
    self.window = window
    self.ring = ring
    offset = ring.head
    ring.add(self)
  }
}
