// A window's output ring for its followers: offsets across the wrap, what
// it still holds, and where a follower that fell behind goes on.
import Testing

@testable import BerthServer

private func append(_ ring: OutputRing, _ text: String) {
  Array(text.utf8).withUnsafeBytes { ring.append($0) }
}

private func read(_ ring: OutputRing, from offset: UInt64, limit: Int = .max) -> String {
  ring.withBytes(from: offset, limit: limit) { a, b in
    String(decoding: Array(a) + Array(b), as: UTF8.self)
  }
}

@Test func theRingKeepsTheLastCapacityBytesAcrossItsEnd() {
  let ring = OutputRing()
  let line = String(repeating: "x", count: 99) + "\n"
  for _ in 0..<(OutputRing.capacity / 100 + 7) { append(ring, line) }
  #expect(ring.head == UInt64(OutputRing.capacity / 100 + 7) * 100)
  #expect(ring.oldest == ring.head - UInt64(OutputRing.capacity))
  #expect(ring.newlines == UInt64(OutputRing.capacity / 100 + 7))
  // A read across the ring's end comes in two pieces, in order.
  let text = read(ring, from: ring.head - 250)
  #expect(text == String(line.suffix(50)) + line + line)
  #expect(read(ring, from: ring.oldest - 1).isEmpty)
  #expect(read(ring, from: ring.head).isEmpty)
}

@Test func aFollowerThatFellBehindGoesOnAtTheOldestWholeLine() {
  let ring = OutputRing()
  append(ring, "a")
  for i in 0..<(OutputRing.capacity / 8) { append(ring, String(format7(i)) + "\n") }
  let (start, after) = ring.firstWholeLine
  #expect(start > ring.oldest && start - ring.oldest <= 8)
  #expect(read(ring, from: start, limit: 8).hasSuffix("\n"))
  #expect(after == UInt64(read(ring, from: start).filter { $0 == "\n" }.count))
  // No newline held at all: the head.
  let empty = OutputRing()
  append(empty, String(repeating: "y", count: OutputRing.capacity + 10))
  #expect(empty.firstWholeLine.offset == empty.head)
}

@Test func newlinesAreCounted() {
  let bytes: [UInt8] = Array("a\nb\n\nc".utf8)
  #expect(bytes.withUnsafeBytes { OutputRing.countNewlines($0) } == 3)
  #expect(([] as [UInt8]).withUnsafeBytes { OutputRing.countNewlines($0) } == 0)
}

private func format7(_ i: Int) -> String {
  let s = String(i)
  return String(repeating: "0", count: max(0, 7 - s.count)) + s
}
