// StateCoding: Codable values round-trip through versioned bytes, older
// layouts read into newer types, and bad bytes throw, never trap.
import BerthProtocol
import Testing

private let kind = "session state"

private func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
  let bytes = try StateCoding.encode(value, kind: kind, version: 1)
  let (decoded, version) = try StateCoding.decode(
    T.self, from: bytes, kind: kind, supporting: 1...1)
  #expect(version == 1)
  return decoded
}

/// The error that decoding `bytes` as a `T` throws, if any.
private func decodingError<T: Decodable>(
  _ type: T.Type, _ bytes: [UInt8], versions: ClosedRange<UInt16> = 1...1
) -> StateCodingError? {
  do throws(StateCodingError) {
    _ = try StateCoding.decode(type, from: bytes, kind: kind, supporting: versions)
    return nil
  } catch {
    return error
  }
}

private struct Primitives: Codable, Equatable {
  var bool = true
  var string = "héllo, 世界 🎉"
  var double = -1.5e300
  var float: Float = 3.25
  var int = Int.min
  var int8 = Int8.min
  var int16 = Int16.min
  var int32 = Int32.min
  var int64 = Int64.max
  var uint = UInt.max
  var uint8 = UInt8.max
  var uint16 = UInt16.max
  var uint32 = UInt32.max
  var uint64 = UInt64.max
  var empty = ""
  var negativeZero = -0.0
  var infinity = Double.infinity
}

private struct Point: Codable, Hashable {
  var x: Int
  var y: Int
}

private enum Shape: Codable, Equatable {
  case dot
  case circle(center: Point, radius: Double)
  case polygon([Point], closed: Bool)
  case named(String, tag: Int8?)
}

private enum Mode: String, Codable {
  case insert, overwrite
}

private struct Everything: Codable, Equatable {
  var primitives = Primitives()
  var some: Int? = 7
  var none: Int? = nil
  var noneString: String? = nil
  var origin = Point(x: -1, y: 2)
  var maybePoint: Point? = Point(x: 3, y: 4)
  var numbers = [1, -2, 3]
  var nested = [[1], [], [2, 3]]
  var optionals: [Int?] = [1, nil, 3]
  var optionalList: [String]? = ["a"]
  var doubleOptional: Int?? = .some(5)
  var byName = ["one": 1, "two": 2]
  var byInt = [1: "one", -2: "minus two"]
  var byByte: [UInt8: String] = [0: "zero", 255: "max"]
  var byPoint = [Point(x: 1, y: 1): "a", Point(x: 0, y: 9): "b"]
  var shapes: [Shape] = [
    .dot, .circle(center: Point(x: 0, y: 0), radius: 2.5),
    .polygon([Point(x: 1, y: 2), Point(x: 3, y: 4)], closed: true), .named("n", tag: nil),
    .named("m", tag: -3),
  ]
  var mode = Mode.overwrite
  var modes: Set<Mode> = [.insert]
  var blob: [UInt8] = [0, 1, 2, 255]
  var blobs: [[UInt8]] = [[], [9]]
  var maybeBlob: [UInt8]? = [7, 7]
}

@Test func everyKindOfValueRoundTrips() throws {
  #expect(try roundTrip(Everything()) == Everything())
  var other = Everything()
  other.some = nil
  other.none = 0
  other.maybePoint = nil
  other.optionalList = nil
  other.doubleOptional = nil
  other.maybeBlob = nil
  other.byName = [:]
  #expect(try roundTrip(other) == other)
}

@Test func nanKeepsItsBits() throws {
  let nan = Double(bitPattern: 0x7FF8_0000_0000_1234)
  #expect(try roundTrip([nan.bitPattern]) == [nan.bitPattern])
  let back = try StateCoding.decode(
    Double.self, from: StateCoding.encode(nan, kind: kind, version: 1), kind: kind,
    supporting: 1...1)
  #expect(back.value.bitPattern == nan.bitPattern)
}

@Test func optionalsRoundTripAtTheTopAndInLists() throws {
  #expect(try roundTrip(Int?.none) == nil)
  #expect(try roundTrip(Int?.some(0)) == 0)
  #expect(try roundTrip([[Int]?]([nil, [], [0]])) == [nil, [], [0]])
  #expect(try roundTrip([String?]([nil, ""])) == [nil, ""])
  let byInt: [Int: Int?] = [1: nil, 2: 3]
  #expect(try roundTrip(byInt) == byInt)
}

/// One plausible piece of the server's state: windows by number.
private struct Window: Codable, Equatable {
  var number: Int
  var title: String
  var snapshot: [UInt8]
}

@Test func bytesAreOneBlobAndFast() throws {
  let count = 8 << 20
  var bytes = [UInt8](repeating: 0, count: count)
  for i in stride(from: 0, to: count, by: 4096) { bytes[i] = UInt8(truncatingIfNeeded: i >> 12) }
  let value = [Window(number: 0, title: "sh", snapshot: bytes)]
  var best = Duration.seconds(60)
  var size = 0
  for _ in 0..<3 {
    let start = ContinuousClock.now
    let encoded = try StateCoding.encode(value, kind: kind, version: 1)
    let decoded = try StateCoding.decode(
      [Window].self, from: encoded, kind: kind, supporting: 1...1)
    best = min(best, ContinuousClock.now - start)
    size = encoded.count
    #expect(decoded.value == value)
  }
  print("StateCoding: 8 MiB of bytes encoded and decoded in \(best), \(size - count) bytes over")
  #expect(size < count + 100)
  #expect(best < .milliseconds(100))
}

private struct WindowV1: Codable {
  var number: Int32
  var title: String
  var oldFlag: Bool
  var note: String
  var history: [String]
  var level: Int64
}

private struct WindowV2: Codable, Equatable {
  var number: Int64
  var title: String
  var history: [String]
  var level: Int8
  var note: String?
  var addedLater: String?
  var addedPoint: Point?
}

@Test func olderLayoutReadsIntoNewerType() throws {
  let v1 = WindowV1(
    number: -3, title: "t", oldFlag: true, note: "n", history: ["a", "b"], level: 100)
  let bytes = try StateCoding.encode([v1, v1], kind: kind, version: 1)
  let (v2, version) = try StateCoding.decode(
    [WindowV2].self, from: bytes, kind: kind, supporting: 1...2)
  #expect(version == 1)
  let expected = WindowV2(
    number: -3, title: "t", history: ["a", "b"], level: 100, note: "n", addedLater: nil,
    addedPoint: nil)
  #expect(v2 == [expected, expected])
}

/// A field that became optional, and back: in a keyed container a value
/// is written the same whether its type is optional or not.
@Test func optionalAndPlainFieldsReadEachOther() throws {
  struct Plain: Codable, Equatable { var a: String }
  struct Maybe: Codable, Equatable { var a: String? }
  let plain = try StateCoding.encode(Plain(a: "x"), kind: kind, version: 1)
  #expect(
    try StateCoding.decode(Maybe.self, from: plain, kind: kind, supporting: 1...1).value
      == Maybe(a: "x"))
  let optional = try StateCoding.encode(Maybe(a: "y"), kind: kind, version: 1)
  #expect(
    try StateCoding.decode(Plain.self, from: optional, kind: kind, supporting: 1...1).value
      == Plain(a: "y"))
  let missing = try StateCoding.encode(Maybe(a: nil), kind: kind, version: 1)
  #expect(
    decodingError(Plain.self, missing)?.description == "malformed session state at a: missing")
}

/// [UInt8] is written as any list of UInt8 is, only faster.
@Test func byteArraysAreListsOfBytes() throws {
  let bytes: [UInt8] = [1, 2, 255]
  let fast = try StateCoding.encode(bytes, kind: kind, version: 1)
  #expect(fast == (try StateCoding.encode(ContiguousArray(bytes), kind: kind, version: 1)))
  let back = try StateCoding.decode(
    ContiguousArray<UInt8>.self, from: fast, kind: kind, supporting: 1...1)
  #expect(Array(back.value) == bytes)
}

@Test func integerThatDoesNotFitThrows() throws {
  var v1 = WindowV1(number: 1, title: "", oldFlag: false, note: "", history: [], level: 1000)
  let error = decodingError(WindowV2.self, try StateCoding.encode(v1, kind: kind, version: 1))
  #expect(error?.description == "malformed session state at level: 1000 does not fit in Int8")
  v1.level = -129
  #expect(
    decodingError(WindowV2.self, try StateCoding.encode(v1, kind: kind, version: 1)) != nil)
  struct Small: Codable { var level: UInt8 }
  v1.level = -1
  #expect(decodingError(Small.self, try StateCoding.encode(v1, kind: kind, version: 1)) != nil)
  // In a list an element has no length of its own: the widths must agree.
  let list = try StateCoding.encode([Int64(1), 2], kind: kind, version: 1)
  #expect(decodingError([Int8].self, list) != nil)
}

@Test func headerNamesKindAndVersion() throws {
  let bytes = try StateCoding.encode(Point(x: 1, y: 2), kind: kind, version: 9)
  #expect(try StateCoding.header(of: bytes) == (kind: kind, version: 9))
  #expect(
    decodingError(Point.self, bytes, versions: 1...2)?.description
      == "a session state of version 9: this berth reads 1...2")
  #expect(
    decodingError(Point.self, bytes, versions: 3...3)?.description
      == "a session state of version 9: this berth reads 3")
  let layout = try StateCoding.encode(Point(x: 1, y: 2), kind: "layout", version: 1)
  #expect(
    decodingError(Point.self, layout)?.description
      == "not a session state: this berth state holds a layout")
  #expect(decodingError(Point.self, Array("GET / HTTP/1.1".utf8)) == .notAState)
  #expect(decodingError(Point.self, []) == .notAState)
  #expect(StateCodingError.notAState.description == "not a berth state")
  #expect(throws: StateCodingError.notAState) { try StateCoding.header(of: [0x42]) }
}

@Test func everyTruncationThrows() throws {
  let value = Everything()
  let bytes = try StateCoding.encode(value, kind: kind, version: 1)
  for cut in 0..<bytes.count {
    #expect(decodingError(Everything.self, Array(bytes[..<cut])) != nil, "cut at \(cut)")
  }
  #expect(decodingError(Everything.self, bytes + [0])?.description.contains("not read") == true)
}

@Test func randomAndMutatedBytesNeverTrap() throws {
  let header = try StateCoding.encode([UInt8](), kind: kind, version: 1).dropLast(4)
  let valid = try StateCoding.encode(Everything(), kind: kind, version: 1)
  var rng = SplitMix(seed: 22)
  var decoded = 0
  for _ in 0..<5_000 {
    let tail = (0..<Int(rng.next() % 96)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    if decodingError(Everything.self, header + tail) == nil { decoded += 1 }
    if decodingError([Shape].self, header + tail) == nil { decoded += 1 }
    var mutated = valid
    for _ in 0..<(1 + rng.next() % 4) {
      mutated[Int(rng.next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: rng.next())
    }
    if decodingError(Everything.self, mutated) == nil { decoded += 1 }
  }
  print("StateCoding: \(decoded) of 15000 random or mutated inputs decoded")
}

/// A state's header followed by `body`.
private func state(_ body: (inout ByteWriter) -> Void) -> [UInt8] {
  var w = ByteWriter()
  w.bytes.append(contentsOf: StateCoding.magic)
  w.data(Array(kind.utf8))
  w.u16(1)
  body(&w)
  return w.bytes
}

@Test func hugeCountsThrowAtOnce() {
  let start = ContinuousClock.now
  let huge = state { $0.u32(.max) }
  #expect(decodingError([Int].self, huge) != nil)
  #expect(decodingError([UInt8].self, huge) != nil)
  #expect(decodingError(String.self, huge) != nil)
  #expect(decodingError(Point.self, huge) != nil)
  #expect(decodingError([String: Int].self, huge) != nil)
  #expect(decodingError([Point: Int].self, huge) != nil)
  let entry = state {
    $0.u32(1)
    $0.data(Array("x".utf8))
    $0.u32(.max - 1)
  }
  #expect(decodingError(Point.self, entry)?.description.contains("x") == true)
  #expect(ContinuousClock.now - start < .milliseconds(100))
}

@Test func boolOtherThanZeroOrOneThrows() {
  #expect(decodingError(Bool.self, state { $0.u8(1) }) == nil)
  #expect(
    decodingError(Bool.self, state { $0.u8(2) })?.description
      == "malformed session state: Bool of 2, not 0 or 1")
  #expect(decodingError(Int?.self, state { $0.u8(2) }) != nil)
}

@Test func invalidUTF8AndDuplicateKeysThrow() {
  #expect(decodingError(String.self, state { $0.data([0x61, 0xFF]) }) != nil)
  let twice = state { w in
    w.u32(2)
    for _ in 0..<2 {
      w.data(Array("x".utf8))
      w.u32(8)
      w.u64(1)
    }
  }
  #expect(decodingError([String: Int].self, twice)?.description.contains("twice") == true)
}

@Test func errorsNameWhereTheyHappened() throws {
  struct State: Codable { var windows: [Window] }
  var bytes = try StateCoding.encode(
    State(windows: [
      Window(number: 0, title: "a", snapshot: []), .init(number: 1, title: "b", snapshot: []),
    ]),
    kind: kind, version: 1)
  // The last window's title is the byte before its empty snapshot's entry.
  let title = bytes.lastIndex(of: UInt8(ascii: "b"))
  #expect(title != nil)
  bytes[title ?? 0] = 0xFF
  #expect(
    decodingError(State.self, bytes)?.description
      == "malformed session state at windows[1].title: string is not valid UTF-8")
  struct Missing: Codable { var windows: [Point] }
  #expect(
    decodingError(Missing.self, bytes)?.description
      == "malformed session state at windows[0].x: missing")
}

private final class Tree: Codable {
  var children: [Tree]
  init(depth: Int) { children = depth > 0 ? [Tree(depth: depth - 1)] : [] }
}

@Test func nestingDeeperThanTheLimitThrows() throws {
  // Each level is two steps of the coding path: "children" and "[0]".
  _ = try StateCoding.encode(Tree(depth: 31), kind: kind, version: 1)
  let deep = StateCoding.maxDepth
  #expect(throws: StateCodingError.self) {
    try StateCoding.encode(Tree(depth: deep), kind: kind, version: 1)
  }
  // Bytes of a far deeper tree, made by hand: a reader stops at the limit.
  func tree(_ w: inout ByteWriter, depth: Int) {
    w.u32(1)
    w.data(Array("children".utf8))
    var inner = ByteWriter()
    inner.u32(depth > 0 ? 1 : 0)
    if depth > 0 { tree(&inner, depth: depth - 1) }
    w.data(inner.bytes)
  }
  let bytes = state { tree(&$0, depth: 1000) }
  #expect(decodingError(Tree.self, bytes)?.description.contains("nested more than") == true)
}

/// Forwards to the wrapped value's own Codable, as a property wrapper does.
private struct Forwarding<T: Codable & Equatable>: Codable, Equatable {
  var value: T
  init(_ value: T) { self.value = value }
  init(from decoder: any Decoder) throws { value = try T(from: decoder) }
  func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

@Test func handWrittenNilsWorkWhereTheyCanBeTold() throws {
  struct Fields: Codable, Equatable { var a: Forwarding<Int?>, b: Forwarding<Int?> }
  let fields = Fields(a: Forwarding(nil), b: Forwarding(0))
  #expect(try roundTrip(fields) == fields)
  #expect(try roundTrip([Forwarding<Int?>(5)]) == [Forwarding(5)])
  // A nil in a list, written by hand, could not be told from a value.
  #expect(throws: StateCodingError.self) {
    try StateCoding.encode([Forwarding<Int?>(nil)], kind: kind, version: 1)
  }
}

private class Base: Codable {
  var name = "base"
  init() {}
}

private final class Derived: Base {
  var extra = 1
  enum Keys: CodingKey { case extra }
  override init() { super.init() }
  required init(from decoder: any Decoder) throws {
    extra = try decoder.container(keyedBy: Keys.self).decode(Int.self, forKey: .extra)
    try super.init(from: decoder)
  }
  override func encode(to encoder: any Encoder) throws {
    try super.encode(to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(extra, forKey: .extra)
  }
}

@Test func subclassesShareTheirContainer() throws {
  let value = Derived()
  value.name = "n"
  value.extra = 42
  let bytes = try StateCoding.encode(value, kind: kind, version: 1)
  let back = try StateCoding.decode(Derived.self, from: bytes, kind: kind, supporting: 1...1)
  #expect(back.value.name == "n")
  #expect(back.value.extra == 42)
}
