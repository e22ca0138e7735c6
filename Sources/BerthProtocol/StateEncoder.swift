// The writing half of StateCoding (the layout is in StateCoding.swift).
// Codable lets a value take a nested container and fill it after its
// parent went on, so values are first gathered as a tree of nodes, then
// written in one pass; a keyed entry's length is patched in after its
// value.

/// One value on its way to bytes.
indirect enum StateNode {
  /// A value that asked for no container: no bytes.
  case empty
  /// A nil in a keyed entry.
  case null
  /// An integer, Bool or float: the low `width` bytes of the bits.
  case fixed(UInt64, width: Int)
  /// A String's UTF-8 or a [UInt8]: a u32 count and the bytes.
  case blob([UInt8])
  /// A non-nil Optional outside a keyed entry.
  case present(StateNode)
  case slot(StateSlot)
  case keyed(KeyedStorage)
  case unkeyed(UnkeyedStorage)

  static func integer<I: FixedWidthInteger>(_ value: I) -> StateNode {
    .fixed(UInt64(truncatingIfNeeded: value), width: I.bitWidth / 8)
  }
  static func int(_ value: Int) -> StateNode { integer(Int64(value)) }
  static func uint(_ value: UInt) -> StateNode { integer(UInt64(value)) }
  static func bool(_ value: Bool) -> StateNode { .fixed(value ? 1 : 0, width: 1) }
  static func float(_ value: Float) -> StateNode { .fixed(UInt64(value.bitPattern), width: 4) }
  static func double(_ value: Double) -> StateNode { .fixed(value.bitPattern, width: 8) }
  static func string(_ value: String) -> StateNode { .blob(Array(value.utf8)) }
}

/// Where a value is gathered: filled after its parent took it in.
final class StateSlot {
  var node = StateNode.empty
}

final class KeyedStorage {
  var keys: [String] = []
  var nodes: [StateNode] = []
  private var index: [String: Int] = [:]

  /// Sets the key's value; a key written again keeps its first place.
  func set(_ node: StateNode, for key: String) {
    if let i = index[key] {
      nodes[i] = node
    } else {
      index[key] = keys.count
      keys.append(key)
      nodes.append(node)
    }
  }
}

final class UnkeyedStorage {
  var nodes: [StateNode] = []
}

/// The first misuse seen where Codable gives no way to throw (a second
/// container of another sort), reported when encoding ends.
final class EncodingProblems {
  var first: EncodingError?
}

/// Lets the encoder see an Optional whatever the type it is handed.
protocol EncodableOptional {
  var wrappedEncodable: (any Encodable)? { get }
}

extension Optional: EncodableOptional where Wrapped: Encodable {
  var wrappedEncodable: (any Encodable)? { self }
}

final class StateEncoder: Encoder {
  let slot: StateSlot
  let codingPath: [any CodingKey]
  /// True for a keyed entry's value, whose length is written before it: a
  /// nil there is the nil length, and an Optional needs no presence byte.
  let isEntry: Bool
  let problems: EncodingProblems
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(slot: StateSlot, codingPath: [any CodingKey], isEntry: Bool, problems: EncodingProblems) {
    self.slot = slot
    self.codingPath = codingPath
    self.isEntry = isEntry
    self.problems = problems
  }

  /// Writes `value` after the header in `writer`.
  static func write<T: Encodable>(_ value: T, kind: String, to writer: inout ByteWriter)
    throws(StateCodingError)
  {
    let root = StateEncoder(
      slot: StateSlot(), codingPath: [], isEntry: false, problems: EncodingProblems())
    do {
      try root.encodeValue(value)
      if let problem = root.problems.first { throw problem }
    } catch let error as EncodingError {
      guard case .invalidValue(_, let context) = error else {
        throw .unencodable(kind: kind, path: "", reason: "\(error)")
      }
      throw .unencodable(
        kind: kind, path: describe(context.codingPath), reason: context.debugDescription)
    } catch {
      throw .unencodable(kind: kind, path: "", reason: "\(error)")
    }
    do throws(WriteFailure) {
      try writeNode(root.slot.node, depth: 0, to: &writer)
    } catch {
      throw .unencodable(kind: kind, path: describe(error.path), reason: error.reason)
    }
  }

  /// Encodes `value` into this encoder's slot; Optionals and [UInt8] are
  /// handled here rather than by their own Codable code (see the layout).
  func encodeValue<T: Encodable>(_ value: T) throws {
    guard codingPath.count <= StateCoding.maxDepth else {
      throw failure(value, "nested more than \(StateCoding.maxDepth) deep")
    }
    if T.self == [UInt8].self, let bytes = value as? [UInt8] {
      try setSingle(.blob(bytes), value)
    } else if let optional = value as? any EncodableOptional {
      switch (optional.wrappedEncodable, isEntry) {
      case (nil, true): try setSingle(.null, value)
      case (nil, false): try setSingle(.fixed(0, width: 1), value)
      case (let wrapped?, true): try encodeValue(wrapped)
      case (let wrapped?, false):
        let inner = child(codingPath, isEntry: false)
        try inner.encodeValue(wrapped)
        try setSingle(.present(inner.slot.node), value)
      }
    } else {
      try value.encode(to: self)
    }
  }

  /// Sets the slot to a single value; Codable allows one per encoder.
  func setSingle(_ node: StateNode, _ value: Any) throws {
    guard case .empty = slot.node else {
      throw failure(value, "a value was already encoded here")
    }
    slot.node = node
  }

  func child(_ path: [any CodingKey], isEntry: Bool, slot: StateSlot = StateSlot())
    -> StateEncoder
  {
    StateEncoder(slot: slot, codingPath: path, isEntry: isEntry, problems: problems)
  }

  func failure(_ value: Any, _ reason: String) -> EncodingError {
    .invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription: reason))
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    let storage: KeyedStorage
    switch slot.node {
    case .keyed(let existing):
      storage = existing
    case .empty:
      storage = KeyedStorage()
      slot.node = .keyed(storage)
    default:
      storage = KeyedStorage()
      note("a keyed container asked for where another value was encoded")
    }
    return KeyedEncodingContainer(StateKeyedEncodingContainer(encoder: self, storage: storage))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    let storage: UnkeyedStorage
    switch slot.node {
    case .unkeyed(let existing):
      storage = existing
    case .empty:
      storage = UnkeyedStorage()
      slot.node = .unkeyed(storage)
    default:
      storage = UnkeyedStorage()
      note("an unkeyed container asked for where another value was encoded")
    }
    return StateUnkeyedEncodingContainer(encoder: self, storage: storage)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    StateSingleValueEncodingContainer(encoder: self)
  }

  private func note(_ reason: String) {
    if problems.first == nil { problems.first = failure((), reason) }
  }
}

struct StateKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let encoder: StateEncoder
  let storage: KeyedStorage
  var codingPath: [any CodingKey] { encoder.codingPath }

  private func put(_ node: StateNode, _ key: Key) { storage.set(node, for: key.stringValue) }

  mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
  mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
  mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
  mutating func encode(_ value: Float, forKey key: Key) throws { put(.float(value), key) }
  mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(value), key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { put(.integer(value), key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { put(.integer(value), key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { put(.integer(value), key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { put(.integer(value), key) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { put(.uint(value), key) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.integer(value), key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.integer(value), key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.integer(value), key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.integer(value), key) }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    let entry = encoder.child(codingPath + [key], isEntry: true)
    try entry.encodeValue(value)
    put(entry.slot.node, key)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    let nested = KeyedStorage()
    put(.keyed(nested), key)
    return KeyedEncodingContainer(
      StateKeyedEncodingContainer<NestedKey>(
        encoder: encoder.child(codingPath + [key], isEntry: true), storage: nested))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let nested = UnkeyedStorage()
    put(.unkeyed(nested), key)
    return StateUnkeyedEncodingContainer(
      encoder: encoder.child(codingPath + [key], isEntry: true), storage: nested)
  }

  mutating func superEncoder() -> any Encoder { superEncoder(named: StateKey.superKey) }
  mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

  private func superEncoder(named key: any CodingKey) -> any Encoder {
    let slot = StateSlot()
    storage.set(.slot(slot), for: key.stringValue)
    return encoder.child(codingPath + [key], isEntry: true, slot: slot)
  }
}

struct StateUnkeyedEncodingContainer: UnkeyedEncodingContainer {
  let encoder: StateEncoder
  let storage: UnkeyedStorage
  var codingPath: [any CodingKey] { encoder.codingPath }
  var count: Int { storage.nodes.count }

  private func append(_ node: StateNode) { storage.nodes.append(node) }
  private var nextPath: [any CodingKey] { codingPath + [StateKey(intValue: count)] }

  mutating func encodeNil() throws {
    throw encoder.failure(
      Optional<Int>.none as Any,
      "a nil in a list must be encoded as an Optional, with encode(_:)")
  }
  mutating func encode(_ value: Bool) throws { append(.bool(value)) }
  mutating func encode(_ value: String) throws { append(.string(value)) }
  mutating func encode(_ value: Double) throws { append(.double(value)) }
  mutating func encode(_ value: Float) throws { append(.float(value)) }
  mutating func encode(_ value: Int) throws { append(.int(value)) }
  mutating func encode(_ value: Int8) throws { append(.integer(value)) }
  mutating func encode(_ value: Int16) throws { append(.integer(value)) }
  mutating func encode(_ value: Int32) throws { append(.integer(value)) }
  mutating func encode(_ value: Int64) throws { append(.integer(value)) }
  mutating func encode(_ value: UInt) throws { append(.uint(value)) }
  mutating func encode(_ value: UInt8) throws { append(.integer(value)) }
  mutating func encode(_ value: UInt16) throws { append(.integer(value)) }
  mutating func encode(_ value: UInt32) throws { append(.integer(value)) }
  mutating func encode(_ value: UInt64) throws { append(.integer(value)) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    let element = encoder.child(nextPath, isEntry: false)
    try element.encodeValue(value)
    append(element.slot.node)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    let nested = KeyedStorage()
    let path = nextPath
    append(.keyed(nested))
    return KeyedEncodingContainer(
      StateKeyedEncodingContainer<NestedKey>(
        encoder: encoder.child(path, isEntry: false), storage: nested))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let nested = UnkeyedStorage()
    let path = nextPath
    append(.unkeyed(nested))
    return StateUnkeyedEncodingContainer(
      encoder: encoder.child(path, isEntry: false), storage: nested)
  }

  mutating func superEncoder() -> any Encoder {
    let slot = StateSlot()
    let path = nextPath
    append(.slot(slot))
    return encoder.child(path, isEntry: false, slot: slot)
  }
}

struct StateSingleValueEncodingContainer: SingleValueEncodingContainer {
  let encoder: StateEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  private func set(_ node: StateNode, _ value: Any) throws { try encoder.setSingle(node, value) }

  mutating func encodeNil() throws {
    guard encoder.isEntry else {
      throw encoder.failure(
        Optional<Int>.none as Any,
        "a nil outside a keyed container must be encoded as an Optional, with encode(_:)")
    }
    try set(.null, Optional<Int>.none as Any)
  }
  mutating func encode(_ value: Bool) throws { try set(.bool(value), value) }
  mutating func encode(_ value: String) throws { try set(.string(value), value) }
  mutating func encode(_ value: Double) throws { try set(.double(value), value) }
  mutating func encode(_ value: Float) throws { try set(.float(value), value) }
  mutating func encode(_ value: Int) throws { try set(.int(value), value) }
  mutating func encode(_ value: Int8) throws { try set(.integer(value), value) }
  mutating func encode(_ value: Int16) throws { try set(.integer(value), value) }
  mutating func encode(_ value: Int32) throws { try set(.integer(value), value) }
  mutating func encode(_ value: Int64) throws { try set(.integer(value), value) }
  mutating func encode(_ value: UInt) throws { try set(.uint(value), value) }
  mutating func encode(_ value: UInt8) throws { try set(.integer(value), value) }
  mutating func encode(_ value: UInt16) throws { try set(.integer(value), value) }
  mutating func encode(_ value: UInt32) throws { try set(.integer(value), value) }
  mutating func encode(_ value: UInt64) throws { try set(.integer(value), value) }
  mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}

/// Why the tree could not be written, and where: keys are added on the
/// way out, so a path is built only for a failure.
struct WriteFailure: Error {
  var path: [any CodingKey]
  let reason: String
}

/// Writes a node's bytes; `depth` is that of the coding path, which the
/// reader checks against the same limit.
func writeNode(_ node: StateNode, depth: Int, to writer: inout ByteWriter) throws(WriteFailure) {
  guard depth <= StateCoding.maxDepth else {
    throw WriteFailure(path: [], reason: "nested more than \(StateCoding.maxDepth) deep")
  }
  switch node {
  case .empty:
    break
  case .null:
    throw WriteFailure(path: [], reason: "a nil outside a keyed container")
  case .fixed(let bits, let width):
    for i in 0..<width { writer.u8(UInt8(truncatingIfNeeded: bits >> (8 * i))) }
  case .blob(let bytes):
    try writeCount(bytes.count, to: &writer)
    writer.bytes.append(contentsOf: bytes)
  case .present(let inner):
    writer.u8(1)
    try writeNode(inner, depth: depth, to: &writer)
  case .slot(let slot):
    try writeNode(slot.node, depth: depth, to: &writer)
  case .keyed(let storage):
    try writeCount(storage.keys.count, to: &writer)
    for (key, value) in zip(storage.keys, storage.nodes) {
      do throws(WriteFailure) {
        try writeEntry(key: key, value: value, depth: depth + 1, to: &writer)
      } catch {
        throw WriteFailure(path: [StateKey(stringValue: key)] + error.path, reason: error.reason)
      }
    }
  case .unkeyed(let storage):
    try writeCount(storage.nodes.count, to: &writer)
    for (i, element) in storage.nodes.enumerated() {
      let start = writer.bytes.count
      do throws(WriteFailure) {
        try writeNode(element, depth: depth + 1, to: &writer)
        // The reader checks a count against the bytes left, one at least each.
        guard writer.bytes.count > start else {
          throw WriteFailure(path: [], reason: "an element of a list encodes no bytes")
        }
      } catch {
        throw WriteFailure(path: [StateKey(intValue: i)] + error.path, reason: error.reason)
      }
    }
  }
}

private func writeEntry(key: String, value: StateNode, depth: Int, to writer: inout ByteWriter)
  throws(WriteFailure)
{
  let keyBytes = Array(key.utf8)
  try writeCount(keyBytes.count, to: &writer)
  writer.bytes.append(contentsOf: keyBytes)
  if case .null = resolved(value) {
    writer.u32(nilEntryLength)
    return
  }
  let lengthAt = writer.bytes.count
  writer.u32(0)
  try writeNode(value, depth: depth, to: &writer)
  let length = writer.bytes.count - lengthAt - 4
  guard length < Int(nilEntryLength) else {
    throw WriteFailure(path: [], reason: "a value of \(length) bytes is over the 4 GiB limit")
  }
  for i in 0..<4 {
    writer.bytes[lengthAt + i] = UInt8(truncatingIfNeeded: length >> (8 * i))
  }
}

/// The node a slot holds, or the node itself.
private func resolved(_ node: StateNode) -> StateNode {
  if case .slot(let slot) = node { return resolved(slot.node) }
  return node
}

private func writeCount(_ count: Int, to writer: inout ByteWriter) throws(WriteFailure) {
  guard let count32 = UInt32(exactly: count) else {
    throw WriteFailure(path: [], reason: "\(count) elements or bytes are over the 4 GiB limit")
  }
  writer.u32(count32)
}
