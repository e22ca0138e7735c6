// The bytes of a terminal snapshot (Snapshot.swift): a writer that appends
// fields, and a reader that takes them back and turns anything short, too
// large or out of range into a SnapshotError naming the field and the byte,
// never a trap. The engine keeps its own pair rather than the protocol
// module's: it depends on nothing.
//
// Fields: single bytes, flags (a byte 0 or 1), varints (LEB128, at most ten
// bytes), fixed little-endian words, and blobs (a varint length, then bytes).

/// Why a snapshot could not be read: one line, naming the field and where.
public struct SnapshotError: Error, Equatable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

struct SnapshotWriter {
  var bytes: [UInt8]

  init(appendingTo bytes: [UInt8] = []) { self.bytes = bytes }

  @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

  @inline(__always) mutating func flag(_ on: Bool) { bytes.append(on ? 1 : 0) }

  @inline(__always) mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// A count or coordinate; the engine's are never negative (0 if one were).
  @inline(__always) mutating func int(_ value: Int) { varint(UInt64(max(0, value))) }

  mutating func u16(_ v: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: v))
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
  }

  mutating func u32(_ v: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: v >> shift))
    }
  }

  /// A length, then the bytes.
  mutating func blob(_ data: UnsafeRawBufferPointer) {
    int(data.count)
    bytes.append(contentsOf: data)
  }

  mutating func blob(_ data: [UInt8]) {
    data.withUnsafeBytes { blob($0) }
  }

  mutating func string(_ s: String) {
    var copy = s
    copy.withUTF8 { blob(UnsafeRawBufferPointer($0)) }
  }
}

struct SnapshotReader {
  private let data: UnsafeRawBufferPointer
  private(set) var offset = 0
  /// By key, whether the snapshot's decoration table has it: styles may
  /// only refer to those (none before the table is read, or in version 1).
  var decorationKeys = [Bool](repeating: false, count: 256)

  init(_ data: UnsafeRawBufferPointer) { self.data = data }

  var remaining: Int { data.count - offset }

  /// The error for `problem` in field `what` at the current byte.
  func failure(_ what: StaticString, _ problem: String) -> SnapshotError {
    SnapshotError("terminal snapshot: \(problem) in \(what) at byte \(offset)")
  }

  func truncated(_ what: StaticString) -> SnapshotError {
    failure(what, "data ends early")
  }

  mutating func byte(_ what: StaticString) throws(SnapshotError) -> UInt8 {
    guard offset < data.count else { throw truncated(what) }
    let b = data[offset]
    offset += 1
    return b
  }

  mutating func flag(_ what: StaticString) throws(SnapshotError) -> Bool {
    let b = try byte(what)
    guard b <= 1 else { throw failure(what, "flag \(b) is not 0 or 1") }
    return b == 1
  }

  /// A byte whose bits outside `mask` must be clear.
  mutating func bits(_ what: StaticString, mask: UInt8) throws(SnapshotError) -> UInt8 {
    let b = try byte(what)
    guard b & ~mask == 0 else { throw failure(what, "unknown bits in \(b)") }
    return b
  }

  mutating func varint(_ what: StaticString) throws(SnapshotError) -> UInt64 {
    var v: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try byte(what)
      let part = UInt64(b & 0x7F)
      // The tenth byte may only hold the top bit of 64.
      guard shift < 63 || part <= 1 else { throw failure(what, "number too large") }
      v |= part << shift
      if b < 0x80 { return v }
      shift += 7
      guard shift < 64 else { throw failure(what, "number too long") }
    }
  }

  /// A varint in `0...max`.
  mutating func int(_ what: StaticString, max limit: Int) throws(SnapshotError) -> Int {
    let v = try varint(what)
    guard v <= UInt64(Swift.max(0, limit)) else {
      throw failure(what, "\(v) is out of range (at most \(limit))")
    }
    return Int(v)
  }

  /// A count of items that take at least `bytesEach` bytes each: at most
  /// `max`, and no more than the bytes left could hold (so nothing is
  /// allocated for a count the data cannot back).
  mutating func count(_ what: StaticString, max limit: Int, bytesEach: Int) throws(SnapshotError)
    -> Int
  {
    let n = try int(what, max: limit)
    guard n <= remaining / Swift.max(bytesEach, 1) else {
      throw failure(what, "count \(n) is more than the data holds")
    }
    return n
  }

  mutating func u16(_ what: StaticString) throws(SnapshotError) -> UInt16 {
    guard remaining >= 2 else { throw truncated(what) }
    let v = UInt16(data[offset]) | UInt16(data[offset + 1]) << 8
    offset += 2
    return v
  }

  mutating func u32(_ what: StaticString) throws(SnapshotError) -> UInt32 {
    guard remaining >= 4 else { throw truncated(what) }
    var v: UInt32 = 0
    for k in 0..<4 { v |= UInt32(data[offset + k]) << (8 * UInt32(k)) }
    offset += 4
    return v
  }

  /// `n` bytes (a view into the data, valid while it is).
  mutating func bytes(_ n: Int, _ what: StaticString) throws(SnapshotError)
    -> UnsafeRawBufferPointer
  {
    guard n >= 0 && n <= remaining else { throw truncated(what) }
    let slice = UnsafeRawBufferPointer(rebasing: data[offset..<(offset + n)])
    offset += n
    return slice
  }

  /// A length of at most `max`, then that many bytes.
  mutating func blob(_ what: StaticString, max limit: Int) throws(SnapshotError)
    -> UnsafeRawBufferPointer
  {
    let n = try count(what, max: limit, bytesEach: 1)
    return try bytes(n, what)
  }

  mutating func string(_ what: StaticString, max limit: Int) throws(SnapshotError) -> String {
    String(decoding: try blob(what, max: limit), as: UTF8.self)
  }
}
