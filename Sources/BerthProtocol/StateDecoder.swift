// The reading half of StateCoding (the layout is in StateCoding.swift).
// Every read goes through ByteReader and every count is checked against
// the bytes left before anything is allocated; failures are thrown as
// DecodingError (what Codable code expects) and turned into a one-line
// StateCodingError at the top.

/// The bytes being read, shared by a value and the elements of its lists,
/// which follow one another with nothing between them.
final class StateCursor {
  var reader: ByteReader
  init(_ reader: ByteReader) { self.reader = reader }
}

/// A keyed container's entries, read in full when the container is first
/// asked for: keys map to where their values lie.
struct KeyedEntries {
  enum Entry {
    case null
    case value(Range<Int>)
  }
  var keys: [String] = []
  var entries: [String: Entry] = [:]
}

/// Lets the decoder see an Optional whatever the type it is asked for.
protocol DecodableOptional {
  static func decoded(from decoder: StateDecoder, present: Bool) throws -> Self
}

extension Optional: DecodableOptional where Wrapped: Decodable {
  static func decoded(from decoder: StateDecoder, present: Bool) throws -> Self {
    present ? .some(try decoder.decodeValue(Wrapped.self)) : .none
  }
}

final class StateDecoder: Decoder {
  let cursor: StateCursor
  let codingPath: [any CodingKey]
  /// True for a keyed entry's value, which has a length of its own: an
  /// integer takes all of it, whatever its width; a nil is a nil entry.
  let isEntry: Bool
  let isNil: Bool
  private var keyed: KeyedEntries?
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(cursor: StateCursor, codingPath: [any CodingKey], isEntry: Bool, isNil: Bool = false) {
    self.cursor = cursor
    self.codingPath = codingPath
    self.isEntry = isEntry
    self.isNil = isNil
  }

  /// Reads a `T` from what follows the header in `reader`.
  static func read<T: Decodable>(_ type: T.Type, kind: String, from reader: ByteReader)
    throws(StateCodingError) -> T
  {
    let root = StateDecoder(cursor: StateCursor(reader), codingPath: [], isEntry: false)
    do {
      let value = try root.decodeValue(type)
      try root.requireEnd("the state")
      return value
    } catch let error as DecodingError {
      throw .malformed(kind: kind, path: describe(error.statePath), reason: error.stateReason)
    } catch {
      throw .malformed(kind: kind, path: "", reason: "\(error)")
    }
  }

  /// Decodes a `T` here; Optionals and [UInt8] are handled here rather
  /// than by their own Codable code (see the layout).
  func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
    try checkDepth()
    if T.self == [UInt8].self {
      if let bytes = try readBlob("bytes") as? T { return bytes }
    } else if let optional = T.self as? any DecodableOptional.Type {
      let present: Bool
      if isEntry {
        present = !isNil
      } else {
        let flag = try read { try $0.u8("presence of an optional") }
        guard flag <= 1 else { throw corrupted("optional's presence byte is \(flag), not 0 or 1") }
        present = flag == 1
      }
      if let value = try optional.decoded(from: self, present: present) as? T { return value }
    }
    return try T(from: self)
  }

  func child(_ key: any CodingKey, isEntry: Bool, cursor: StateCursor? = nil, isNil: Bool = false)
    -> StateDecoder
  {
    StateDecoder(
      cursor: cursor ?? self.cursor, codingPath: codingPath + [key], isEntry: isEntry,
      isNil: isNil)
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    try checkDepth()
    try checkNotNil("a keyed container")
    let entries = try keyed ?? readEntries()
    keyed = entries
    return KeyedDecodingContainer(StateKeyedDecodingContainer<Key>(decoder: self, entries: entries))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try checkDepth()
    try checkNotNil("a list")
    let count = try readCount("list")
    // Each element takes a byte at least (the encoder makes sure of it).
    guard count <= cursor.reader.remaining else {
      throw corrupted("a list of \(count) elements in \(cursor.reader.remaining) bytes")
    }
    return StateUnkeyedDecodingContainer(decoder: self, count: count)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    StateSingleValueDecodingContainer(decoder: self)
  }

  private func readEntries() throws -> KeyedEntries {
    let count = try readCount("keyed container")
    // Each entry takes 8 bytes at least: a key's length and a value's.
    guard count <= cursor.reader.remaining / 8 else {
      throw corrupted("\(count) keys in \(cursor.reader.remaining) bytes")
    }
    var result = KeyedEntries()
    result.keys.reserveCapacity(count)
    for _ in 0..<count {
      let key = try readString("key")
      let length = try read { try $0.u32("length of the value of \"\(key)\"") }
      let entry: KeyedEntries.Entry
      if length == nilEntryLength {
        entry = .null
      } else {
        let start = cursor.reader.offset
        let size = try asLength(length)
        try read { try $0.skip(size, "value of \"\(key)\"") }
        entry = .value(start..<cursor.reader.offset)
      }
      guard result.entries.updateValue(entry, forKey: key) == nil else {
        throw corrupted("the key \"\(key)\" appears twice")
      }
      result.keys.append(key)
    }
    return result
  }

  // MARK: Reading

  /// Runs a read, turning the reader's error into a DecodingError here.
  func read<R>(_ body: (inout ByteReader) throws -> R) throws -> R {
    do {
      return try body(&cursor.reader)
    } catch let error as ProtocolError {
      switch error {
      case .truncated(let what): throw corrupted("\(what) is cut short")
      case .invalid(let what): throw corrupted(what)
      default: throw corrupted(error.description)
      }
    }
  }

  func readCount(_ what: String) throws -> Int {
    try asLength(try read { try $0.u32("length of \(what)") })
  }

  /// A length as an Int, where Int is narrower than 64 bits too.
  func asLength(_ length: UInt32) throws -> Int {
    guard let count = Int(exactly: length) else { throw corrupted("a length of \(length)") }
    return count
  }

  func readBlob(_ what: String) throws -> [UInt8] {
    try checkNotNil(what)
    return try read { try $0.data(what, max: Int(UInt32.max)) }
  }

  func readString(_ what: String = "string") throws -> String {
    guard let text = String(validating: try readBlob(what), as: UTF8.self) else {
      throw corrupted("\(what) is not valid UTF-8")
    }
    return text
  }

  func readBool() throws -> Bool {
    try checkNotNil("Bool")
    let byte = try read { try $0.u8("Bool") }
    guard byte <= 1 else { throw corrupted("Bool of \(byte), not 0 or 1") }
    return byte == 1
  }

  /// An integer of `I`; in a keyed entry of whatever width it was written
  /// in (1, 2, 4 or 8 bytes), as long as its value fits.
  func readInteger<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
    try checkNotNil("\(I.self)")
    let written = I.self == Int.self || I.self == UInt.self ? 8 : I.bitWidth / 8
    let width = isEntry ? cursor.reader.remaining : written
    guard [1, 2, 4, 8].contains(width) else {
      throw corrupted("a value of \(width) bytes is not an integer")
    }
    let bits = try read { reader in
      var bits: UInt64 = 0
      for i in 0..<width { bits |= UInt64(try reader.u8("integer")) << (8 * i) }
      return bits
    }
    // Sign-extended from its width when the type is signed.
    let shift = UInt64(64 - 8 * width)
    let signed = Int64(bitPattern: bits << shift) >> shift
    guard let value = I.isSigned ? I(exactly: signed) : I(exactly: bits) else {
      throw corrupted("\(I.isSigned ? "\(signed)" : "\(bits)") does not fit in \(I.self)")
    }
    return value
  }

  func readFloat() throws -> Float {
    try checkNotNil("Float")
    return Float(bitPattern: try read { try $0.u32("Float") })
  }

  func readDouble() throws -> Double {
    try checkNotNil("Double")
    return Double(bitPattern: try read { try $0.u64("Double") })
  }

  /// Rejects bytes that the value's type did not read: written as another
  /// type, or not a state at all.
  func requireEnd(_ what: String) throws {
    let left = cursor.reader.remaining
    guard left == 0 else { throw corrupted("\(left) bytes of \(what) were not read") }
  }

  // MARK: Errors

  func corrupted(_ reason: String) -> DecodingError {
    .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: reason))
  }

  private func checkDepth() throws {
    guard codingPath.count <= StateCoding.maxDepth else {
      throw corrupted("nested more than \(StateCoding.maxDepth) deep")
    }
  }

  private func checkNotNil(_ what: @autoclosure () -> String) throws {
    guard !isNil else {
      throw DecodingError.valueNotFound(
        Any.self,
        DecodingError.Context(codingPath: codingPath, debugDescription: "\(what()) is nil"))
    }
  }
}

extension DecodingError {
  var statePath: [any CodingKey] {
    switch self {
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      return context.codingPath
    case .keyNotFound(let key, let context):
      return context.codingPath + [key]
    @unknown default:
      return []
    }
  }

  var stateReason: String {
    switch self {
    case .keyNotFound:
      return "missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      return context.debugDescription
    @unknown default:
      return "\(self)"
    }
  }
}

struct StateKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let decoder: StateDecoder
  let entries: KeyedEntries
  var codingPath: [any CodingKey] { decoder.codingPath }
  var allKeys: [Key] { entries.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { entries.entries[key.stringValue] != nil }

  /// A decoder of the key's value, which lies between its own bounds.
  private func entry(_ key: any CodingKey) throws -> StateDecoder {
    switch entries.entries[key.stringValue] {
    case nil:
      throw DecodingError.keyNotFound(
        key, DecodingError.Context(codingPath: codingPath, debugDescription: "missing"))
    case .null:
      return decoder.child(
        key, isEntry: true, cursor: StateCursor(ByteReader([])), isNil: true)
    case .value(let range):
      let reader = ByteReader(decoder.cursor.reader.bytes, in: range)
      return decoder.child(key, isEntry: true, cursor: StateCursor(reader))
    }
  }

  private func value<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
    let entry = try entry(key)
    let value = try entry.decodeValue(type)
    try entry.requireEnd("this value")
    return value
  }

  func decodeNil(forKey key: Key) throws -> Bool { try entry(key).isNil }
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, key) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, key) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, key) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, key) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, key) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, key) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, key) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, key) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, key) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, key) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, key) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, key) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, key) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, key) }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(type, key) }

  /// nil for a missing key as for a nil entry: how fields added in a later
  /// version read from an older state.
  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    switch entries.entries[key.stringValue] {
    case nil, .null: return nil
    case .value: return try value(type, key)
    }
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key)
    throws -> KeyedDecodingContainer<NestedKey>
  {
    try entry(key).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try entry(key).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder { try entry(StateKey.superKey) }
  func superDecoder(forKey key: Key) throws -> any Decoder { try entry(key) }
}

struct StateUnkeyedDecodingContainer: UnkeyedDecodingContainer {
  let decoder: StateDecoder
  let total: Int
  private(set) var currentIndex = 0
  var codingPath: [any CodingKey] { decoder.codingPath }
  var count: Int? { total }
  var isAtEnd: Bool { currentIndex >= total }

  init(decoder: StateDecoder, count: Int) {
    self.decoder = decoder
    total = count
  }

  /// A decoder of the next element, which starts where the last one ended.
  private mutating func nextElement() throws -> StateDecoder {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any.self,
        DecodingError.Context(
          codingPath: codingPath + [StateKey(intValue: currentIndex)],
          debugDescription: "the list has only \(total) elements"))
    }
    defer { currentIndex += 1 }
    return decoder.child(StateKey(intValue: currentIndex), isEntry: false)
  }

  private mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
    try nextElement().decodeValue(type)
  }

  /// Optionals in a list carry a presence byte; `decodeIfPresent` reads one.
  private mutating func nextIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
    isAtEnd ? nil : try next(T?.self)
  }

  /// False: a nil in a list is read as an Optional (see the layout).
  mutating func decodeNil() throws -> Bool { false }
  mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
  mutating func decode(_ type: String.Type) throws -> String { try next(type) }
  mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
  mutating func decode(_ type: Float.Type) throws -> Float { try next(type) }
  mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }

  mutating func decodeIfPresent(_ type: Bool.Type) throws -> Bool? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: String.Type) throws -> String? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: Double.Type) throws -> Double? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: Float.Type) throws -> Float? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: Int.Type) throws -> Int? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: Int8.Type) throws -> Int8? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: Int16.Type) throws -> Int16? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: Int32.Type) throws -> Int32? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: Int64.Type) throws -> Int64? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: UInt.Type) throws -> UInt? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: UInt8.Type) throws -> UInt8? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: UInt16.Type) throws -> UInt16? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: UInt32.Type) throws -> UInt32? { try nextIfPresent(type) }
  mutating func decodeIfPresent(_ type: UInt64.Type) throws -> UInt64? { try nextIfPresent(type) }
  mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
    try nextIfPresent(type)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type)
    throws -> KeyedDecodingContainer<NestedKey>
  {
    try nextElement().container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try nextElement().unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder { try nextElement() }
}

struct StateSingleValueDecodingContainer: SingleValueDecodingContainer {
  let decoder: StateDecoder
  var codingPath: [any CodingKey] { decoder.codingPath }

  /// True only for a nil entry of a keyed container (see the layout).
  func decodeNil() -> Bool { decoder.isNil }
  func decode(_ type: Bool.Type) throws -> Bool { try decoder.readBool() }
  func decode(_ type: String.Type) throws -> String { try decoder.readString() }
  func decode(_ type: Double.Type) throws -> Double { try decoder.readDouble() }
  func decode(_ type: Float.Type) throws -> Float { try decoder.readFloat() }
  func decode(_ type: Int.Type) throws -> Int { try decoder.readInteger(type) }
  func decode(_ type: Int8.Type) throws -> Int8 { try decoder.readInteger(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { try decoder.readInteger(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { try decoder.readInteger(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { try decoder.readInteger(type) }
  func decode(_ type: UInt.Type) throws -> UInt { try decoder.readInteger(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.readInteger(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.readInteger(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.readInteger(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.readInteger(type) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}
