// Codable values as versioned bytes, for state that outlives one berth
// process: a session's state handed to a newly installed binary, or read
// back after its server died. The encoder is StateEncoder.swift, the
// decoder StateDecoder.swift; both go through ByteWriter and ByteReader, so
// bad or foreign bytes give a StateCodingError, never a trap.
//
// Layout:
//   "BRST"    magic
//   kind      u32 length + UTF-8, at most 255 bytes: what the bytes hold
//             ("session state"), so that one kind is never read as another
//   version   u16: the layout of that kind, chosen by its owner
//   value     the root value, as below
//
// Values carry no type tags: the reader's types say what comes next.
//   Int8...UInt64      fixed width, little-endian; Int and UInt as 64 bits
//   Bool               one byte, 0 or 1; anything else is an error
//   Float, Double      their bit patterns, 4 and 8 bytes
//   String             u32 length + UTF-8; invalid UTF-8 is an error
//   keyed container    u32 count, then per entry: the key (u32 length +
//                      UTF-8) and the value's length (u32) + the value, or
//                      0xFFFF_FFFF alone for a nil
//   unkeyed container  u32 count, then the elements one after another
//   Optional           in a keyed container: no entry, a nil entry, or the
//                      value itself; elsewhere a byte 0 (nil) or 1 and the
//                      value
//   [UInt8]            what an unkeyed container of UInt8 is anyway (u32
//                      count + the bytes), but written and read in one copy
//
// Versions. A reader skips entries whose keys it does not know, and
// `decodeIfPresent` (what synthesized Codable uses for an optional
// property) gives nil for a missing entry. So a field added later must be
// optional (or decoded by hand with a default); a field removed is skipped
// by newer readers; an integer in a keyed entry may change its width (the
// entry's length says how it was written) as long as its value fits.
// Anything else (a key renamed, a type changed) needs a new version, and
// the owner keeps the old layout's types to read it: `header(of:)` says
// which version the bytes hold before decoding. The rules of this file are
// part of every kind's layout: changing them means a new version of each.
//
// Limits: containers nest at most `maxDepth` deep; counts and lengths are
// checked against the bytes left before anything is allocated; a value
// that does not fit the type asked for is an error; a value of 4 GiB or
// more cannot be written.
//
// Hand-written Codable: a nil goes only where the reader can tell it from
// a value (an Optional coded through a container, `encodeIfPresent`,
// `encodeNil(forKey:)`, or a single-value container's `encodeNil()` inside
// a keyed entry); elsewhere `encodeNil()` throws, and `decodeNil()` says
// false. The elements of an unkeyed container are read in order, and each
// must write at least one byte. A keyed entry's value must be read whole:
// bytes left over mean it was written as another type.

/// Reads and writes Codable values as versioned, bounds-checked bytes.
public enum StateCoding {
  public static let magic: [UInt8] = Array("BRST".utf8)
  /// The deepest nesting of containers written or read.
  public static let maxDepth = 64
  /// The longest kind, in bytes of UTF-8.
  public static let maxKindLength = 255

  /// `value` as bytes, under a header naming its kind and version.
  public static func encode<T: Encodable>(_ value: T, kind: String, version: UInt16)
    throws(StateCodingError) -> [UInt8]
  {
    guard kind.utf8.count <= maxKindLength else {
      throw .unencodable(
        kind: kind, path: "", reason: "a kind is at most \(maxKindLength) bytes long")
    }
    var writer = ByteWriter(capacity: 256)
    writer.bytes.append(contentsOf: magic)
    writer.data(Array(kind.utf8))
    writer.u16(version)
    try StateEncoder.write(value, kind: kind, to: &writer)
    return writer.bytes
  }

  /// The value that `encode` wrote, if the bytes hold `kind` in one of the
  /// `versions` this reader knows, and the version they hold.
  public static func decode<T: Decodable>(
    _ type: T.Type, from bytes: [UInt8], kind: String, supporting versions: ClosedRange<UInt16>
  ) throws(StateCodingError) -> (value: T, version: UInt16) {
    var reader = ByteReader(bytes)
    let version = try readHeader(&reader, kind: kind)
    guard versions.contains(version) else {
      throw .unsupportedVersion(kind: kind, version: version, supported: versions)
    }
    let value = try StateDecoder.read(type, kind: kind, from: reader)
    return (value, version)
  }

  /// The kind and version that the bytes' header names.
  public static func header(of bytes: [UInt8]) throws(StateCodingError) -> (
    kind: String, version: UInt16
  ) {
    var reader = ByteReader(bytes)
    try readMagic(&reader)
    let kind = try readKind(&reader)
    return (kind, try readVersion(&reader, kind: kind))
  }

  private static func readHeader(_ reader: inout ByteReader, kind: String)
    throws(StateCodingError) -> UInt16
  {
    try readMagic(&reader)
    let found = try readKind(&reader)
    guard found == kind else { throw .wrongKind(expected: kind, found: found) }
    return try readVersion(&reader, kind: kind)
  }

  private static func readMagic(_ reader: inout ByteReader) throws(StateCodingError) {
    for byte in magic {
      guard let found = try? reader.u8(), found == byte else { throw .notAState }
    }
  }

  private static func readKind(_ reader: inout ByteReader) throws(StateCodingError) -> String {
    guard let bytes = try? reader.data("kind", max: maxKindLength),
      let kind = String(validating: bytes, as: UTF8.self)
    else { throw .notAState }
    return kind
  }

  private static func readVersion(_ reader: inout ByteReader, kind: String)
    throws(StateCodingError) -> UInt16
  {
    guard let version = try? reader.u16() else {
      throw .malformed(kind: kind, path: "", reason: "the header is truncated")
    }
    return version
  }
}

/// Why a state could not be written or read, in one line.
public enum StateCodingError: Error, Equatable, CustomStringConvertible {
  /// The bytes do not begin with a state's header.
  case notAState
  /// A state of another kind: a layout where a session state was expected.
  case wrongKind(expected: String, found: String)
  /// A version this reader does not know.
  case unsupportedVersion(kind: String, version: UInt16, supported: ClosedRange<UInt16>)
  /// Bytes that do not hold a value of the type asked for; `path` says
  /// where ("windows[2].title"), empty for the root.
  case malformed(kind: String, path: String, reason: String)
  /// A value that cannot be written.
  case unencodable(kind: String, path: String, reason: String)

  public var description: String {
    switch self {
    case .notAState:
      return "not a berth state"
    case .wrongKind(let expected, let found):
      return "not a \(expected): this berth state holds a \(printable(found))"
    case .unsupportedVersion(let kind, let version, let supported):
      let range =
        supported.count == 1
        ? "\(supported.lowerBound)" : "\(supported.lowerBound)...\(supported.upperBound)"
      return "a \(kind) of version \(version): this berth reads \(range)"
    case .malformed(let kind, let path, let reason):
      return "malformed \(kind)\(at(path)): \(printable(reason))"
    case .unencodable(let kind, let path, let reason):
      return "cannot write the \(kind)\(at(path)): \(printable(reason))"
    }
  }

  private func at(_ path: String) -> String { path.isEmpty ? "" : " at \(printable(path))" }
}

/// The text with control characters (from a file's keys, say) shown as
/// "?", so that an error stays one harmless line.
private func printable(_ text: String) -> String {
  String(
    String.UnicodeScalarView(
      text.unicodeScalars.map { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) ? "?" : $0 }))
}

/// A coding path as a reader would write it: "windows[2].title".
func describe(_ path: [any CodingKey]) -> String {
  var text = ""
  for key in path {
    if let index = key.intValue {
      text += "[\(index)]"
    } else {
      text += text.isEmpty ? key.stringValue : "." + key.stringValue
    }
  }
  return text
}

/// A key made by the coder itself: an element's index, or "super".
struct StateKey: CodingKey {
  let stringValue: String
  let intValue: Int?

  init(stringValue: String) {
    self.stringValue = stringValue
    intValue = nil
  }
  init(intValue: Int) {
    stringValue = "Index \(intValue)"
    self.intValue = intValue
  }
  static let superKey = StateKey(stringValue: "super")
}

/// The length written in place of a keyed entry's value when it is nil.
let nilEntryLength = UInt32.max
