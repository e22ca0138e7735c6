// Framing: every message is an 8-byte header (type, three reserved zero
// bytes, little-endian payload length) and the payload. FrameAssembler
// cuts a byte stream into frames and rejects oversized ones before
// buffering them.

public enum Frame {
  public static let headerSize = 8
  /// Large enough for a full screen of a 1000x1000 terminal of wide colour cells.
  public static let maxPayload = 16 << 20

  public static func encode(type: UInt8, payload: [UInt8]) -> [UInt8] {
    var w = ByteWriter(capacity: headerSize + payload.count)
    w.u8(type)
    w.u8(0)
    w.u16(0)
    w.u32(UInt32(clamping: payload.count))
    w.bytes.append(contentsOf: payload)
    return w.bytes
  }
}

public struct FrameAssembler {
  private var buffer: [UInt8] = []
  private var start = 0

  public init() {}

  /// Bytes received and not yet returned as a frame.
  public var pendingCount: Int { buffer.count - start }

  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    if start > 0 && start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    buffer.append(contentsOf: bytes)
  }

  public mutating func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }

  /// The next complete frame, nil if more bytes are needed.
  public mutating func next() throws -> (type: UInt8, payload: [UInt8])? {
    guard pendingCount >= Frame.headerSize else { return nil }
    let h = start
    guard buffer[h + 1] == 0, buffer[h + 2] == 0, buffer[h + 3] == 0 else {
      throw ProtocolError.invalid("bad frame header")
    }
    let length =
      Int(buffer[h + 4]) | Int(buffer[h + 5]) << 8 | Int(buffer[h + 6]) << 16
      | Int(buffer[h + 7]) << 24
    guard length <= Frame.maxPayload else { throw ProtocolError.oversized(length) }
    guard pendingCount >= Frame.headerSize + length else { return nil }
    let type = buffer[h]
    let payload = Array(buffer[(h + Frame.headerSize)..<(h + Frame.headerSize + length)])
    start += Frame.headerSize + length
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
      start = 0
    } else if start > 1 << 16 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
    return (type, payload)
  }
}
