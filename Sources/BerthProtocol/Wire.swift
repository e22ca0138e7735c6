// Little-endian byte writing and bounds-checked reading: the only place
// where message bytes are touched, so that a malformed payload becomes a
// thrown ProtocolError, never a trap.

import BerthTerminal

/// Why a peer's bytes were rejected; the connection is closed with this text.
public enum ProtocolError: Error, Equatable, CustomStringConvertible {
  case truncated(String)
  case oversized(Int)
  case unknownType(UInt8)
  case invalid(String)
  case versionMismatch(ours: UInt16, theirs: UInt16)

  public var description: String {
    switch self {
    case .truncated(let what): return "malformed message: \(what) is truncated"
    case .oversized(let n): return "message of \(n) bytes is over the limit of \(Frame.maxPayload)"
    case .unknownType(let t): return "unknown message type \(t)"
    case .invalid(let what): return "malformed message: \(what)"
    case .versionMismatch(let ours, let theirs):
      return "protocol version mismatch: this berth speaks version \(ours), the peer \(theirs)"
    }
  }
}

/// The longest strings each field takes, in bytes of UTF-8.
public enum Limits {
  public static let string = 1 << 16
  public static let term = 256
  public static let version = 64
  public static let windowName = 256
  public static let title = 4096
  public static let promptText = 1024
  public static let promptInitial = 4096
}

/// The longest prefix of s with at most maxBytes bytes of UTF-8 that ends at
/// a character (scalar) boundary.
public func utf8Prefix(_ s: String, maxBytes: Int) -> String {
  guard s.utf8.count > maxBytes else { return s }
  var scalars = String.UnicodeScalarView()
  var used = 0
  for scalar in s.unicodeScalars {
    let n = UTF8.width(scalar)
    guard used + n <= maxBytes else { break }
    scalars.append(scalar)
    used += n
  }
  return String(scalars)
}

public struct ByteWriter {
  public var bytes: [UInt8]

  public init(capacity: Int = 64) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  @inlinable public mutating func u8(_ v: UInt8) { bytes.append(v) }
  @inlinable public mutating func u16(_ v: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: v))
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
  }
  @inlinable public mutating func u32(_ v: UInt32) {
    bytes.append(UInt8(truncatingIfNeeded: v))
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    bytes.append(UInt8(truncatingIfNeeded: v >> 16))
    bytes.append(UInt8(truncatingIfNeeded: v >> 24))
  }
  @inlinable public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
  @inlinable public mutating func u64(_ v: UInt64) {
    u32(UInt32(truncatingIfNeeded: v))
    u32(UInt32(truncatingIfNeeded: v >> 32))
  }
  /// A count-prefixed byte string.
  public mutating func data(_ v: [UInt8]) {
    u32(UInt32(clamping: v.count))
    bytes.append(contentsOf: v)
  }
  /// A string of at most `max` bytes of UTF-8, cut at a character boundary,
  /// as the decoder reads it back (so that what one side writes, the other
  /// always accepts).
  public mutating func string(_ s: String, max: Int = Limits.string) {
    data(Array(utf8Prefix(s, maxBytes: max).utf8))
  }
  public mutating func strings(_ list: [String]) {
    u32(UInt32(clamping: list.count))
    for s in list { string(s) }
  }
  public mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }

  /// UTF-8 of a scalar; invalid ones are written as U+FFFD.
  @inlinable public mutating func scalar(_ value: UInt32) {
    appendUTF8(value, to: &bytes)
  }
}

public struct ByteReader {
  public let bytes: [UInt8]
  public private(set) var offset: Int
  /// Where reading stops: the end of `bytes`, or of the range given.
  public let end: Int

  public init(_ bytes: [UInt8]) {
    self.bytes = bytes
    offset = 0
    end = bytes.count
  }

  /// A reader of `bytes[range]` alone, sharing the array rather than
  /// copying it; offsets still count from the start of `bytes`.
  public init(_ bytes: [UInt8], in range: Range<Int>) {
    self.bytes = bytes
    end = min(max(range.upperBound, 0), bytes.count)
    offset = min(max(range.lowerBound, 0), end)
  }

  public var remaining: Int { end - offset }
  public var atEnd: Bool { offset >= end }

  /// Passes over `n` bytes without reading them.
  public mutating func skip(_ n: Int, _ what: String = "field") throws {
    try need(n, what)
    offset += n
  }

  private mutating func need(_ n: Int, _ what: String) throws {
    guard n >= 0, remaining >= n else { throw ProtocolError.truncated(what) }
  }

  /// The next byte, without consuming it.
  public func peek(_ what: String = "field") throws -> UInt8 {
    guard remaining >= 1 else { throw ProtocolError.truncated(what) }
    return bytes[offset]
  }

  public mutating func u8(_ what: String = "field") throws -> UInt8 {
    try need(1, what)
    defer { offset += 1 }
    return bytes[offset]
  }
  public mutating func u16(_ what: String = "field") throws -> UInt16 {
    try need(2, what)
    defer { offset += 2 }
    return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }
  public mutating func u32(_ what: String = "field") throws -> UInt32 {
    try need(4, what)
    defer { offset += 4 }
    return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
      | UInt32(bytes[offset + 3]) << 24
  }
  public mutating func i32(_ what: String = "field") throws -> Int32 {
    Int32(bitPattern: try u32(what))
  }
  public mutating func u64(_ what: String = "field") throws -> UInt64 {
    let lo = try u32(what)
    let hi = try u32(what)
    return UInt64(lo) | UInt64(hi) << 32
  }
  public mutating func bool(_ what: String = "flag") throws -> Bool { try u8(what) != 0 }

  public mutating func data(_ what: String = "bytes", max: Int = Frame.maxPayload) throws -> [UInt8]
  {
    let n = Int(try u32(what))
    guard n <= max else { throw ProtocolError.invalid("\(what) of \(n) bytes is too long") }
    try need(n, what)
    defer { offset += n }
    return Array(bytes[offset..<offset + n])
  }
  /// A string of at most `max` bytes. Invalid UTF-8 becomes U+FFFD (three
  /// bytes for one), and the result is cut back to `max` bytes, so that it
  /// encodes again within the limit.
  public mutating func string(_ what: String = "string", max: Int = Limits.string) throws -> String
  {
    utf8Prefix(String(decoding: try data(what, max: max), as: UTF8.self), maxBytes: max)
  }
  public mutating func strings(_ what: String = "strings", maxCount: Int = 4096) throws -> [String]
  {
    let n = Int(try u32(what))
    guard n <= maxCount, n <= remaining / 4 else {
      throw ProtocolError.invalid("\(what): \(n) strings is too many")
    }
    var result: [String] = []
    result.reserveCapacity(n)
    for _ in 0..<n { result.append(try string(what)) }
    return result
  }

  /// One UTF-8 encoded scalar; malformed input becomes U+FFFD (one byte consumed).
  public mutating func scalar(_ what: String = "character") throws -> UInt32 {
    let b0 = try u8(what)
    if b0 < 0x80 { return UInt32(b0) }
    let count: Int
    var value: UInt32
    switch b0 {
    case 0xC2...0xDF: (count, value) = (1, UInt32(b0 & 0x1F))
    case 0xE0...0xEF: (count, value) = (2, UInt32(b0 & 0x0F))
    case 0xF0...0xF4: (count, value) = (3, UInt32(b0 & 0x07))
    default: return 0xFFFD
    }
    try need(count, what)
    for i in 0..<count {
      let b = bytes[offset + i]
      guard b & 0xC0 == 0x80 else { return 0xFFFD }
      value = value << 6 | UInt32(b & 0x3F)
    }
    offset += count
    if value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) { return 0xFFFD }
    return value
  }

  /// Rejects bytes left over after a message was read.
  public func finish(_ what: @autoclosure () -> String) throws {
    guard atEnd else { throw ProtocolError.invalid("\(remaining) extra bytes after \(what())") }
  }
}
