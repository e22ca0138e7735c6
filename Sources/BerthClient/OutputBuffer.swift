// The bytes of one frame for the user's terminal, gathered in one growable
// buffer (no String per cell) and sent with as few write() calls as the
// terminal takes: one, unless it is slow to drain.

import Glibc

struct OutputBuffer {
  private(set) var bytes: [UInt8] = []

  init() { bytes.reserveCapacity(64 << 10) }

  var count: Int { bytes.count }
  var isEmpty: Bool { bytes.isEmpty }

  @inline(__always) mutating func append(_ byte: UInt8) { bytes.append(byte) }

  @inline(__always) mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

  mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// A non-negative number in decimal.
  @inline(__always) mutating func append(decimal n: Int) {
    if n < 10 {
      bytes.append(0x30 &+ UInt8(truncatingIfNeeded: max(0, n)))
      return
    }
    if n < 100 {
      bytes.append(0x30 &+ UInt8(truncatingIfNeeded: n / 10))
      bytes.append(0x30 &+ UInt8(truncatingIfNeeded: n % 10))
      return
    }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    )
    var count = 0
    var v = n
    withUnsafeMutableBytes(of: &digits) { d in
      while v > 0 && count < d.count {
        d[count] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
        v /= 10
        count += 1
      }
      for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(d[i]) }
    }
  }

  /// A scalar in UTF-8.
  @inline(__always) mutating func append(utf8 s: UInt32) {
    if s < 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: s))
    } else if s < 0x800 {
      bytes.append(0xC0 | UInt8(truncatingIfNeeded: s >> 6))
      bytes.append(0x80 | UInt8(truncatingIfNeeded: s & 0x3F))
    } else if s < 0x1_0000 {
      bytes.append(0xE0 | UInt8(truncatingIfNeeded: s >> 12))
      bytes.append(0x80 | UInt8(truncatingIfNeeded: (s >> 6) & 0x3F))
      bytes.append(0x80 | UInt8(truncatingIfNeeded: s & 0x3F))
    } else {
      bytes.append(0xF0 | UInt8(truncatingIfNeeded: (s >> 18) & 0x7))
      bytes.append(0x80 | UInt8(truncatingIfNeeded: (s >> 12) & 0x3F))
      bytes.append(0x80 | UInt8(truncatingIfNeeded: (s >> 6) & 0x3F))
      bytes.append(0x80 | UInt8(truncatingIfNeeded: s & 0x3F))
    }
  }

  /// Drops everything from `count` on (a frame that turned out empty).
  mutating func truncate(to count: Int) {
    if count < bytes.count { bytes.removeSubrange(count...) }
  }

  mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  /// Writes everything to `fd` and empties the buffer. A write cut short
  /// (a signal, a full non-blocking terminal) goes on where it stopped; an
  /// error (the terminal is gone) drops the rest, which nobody can see.
  mutating func write(to fd: Int32) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0 && errno == EINTR {
          continue
        } else if n < 0 && errno == EAGAIN {
          var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
          _ = poll(&p, 1, 1000)
        } else {
          break
        }
      }
    }
    removeAll()
  }
}
