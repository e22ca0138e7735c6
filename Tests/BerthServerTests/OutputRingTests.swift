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
  // A read across the ring's end comes in two pieces, in order.
  let text = read(ring, from: ring.head - 250)
  #expect(text == String(line.suffix(50)) + line + line)
  #expect(read(ring, from: ring.oldest - 1).isEmpty)
  #expect(read(ring, from: ring.head).isEmpty)
}

@Test func aReaderThatFellBehindIsToldTheLinesItLost() {
  let ring = OutputRing()
  let window = try? Window(
    number: 0, spec: ProgramSpec(argv: ["/bin/true"], environment: []), term: "screen",
    columns: 80, rows: 24, historyLimit: 10)
  guard let window else { return }
  let follower = Follower(window: window, ring: ring)
  append(ring, "a")
  // Lines of 8 bytes, far more than the ring holds: the follower read none.
  let lines = OutputRing.capacity / 8 + 1000
  for i in 0..<lines { append(ring, format7(i) + "\n") }
  #expect(follower.behind)
  #expect(follower.offset >= ring.oldest)
  let start = ring.lineStart(from: follower.offset)
  #expect(read(ring, from: start, limit: 8).hasSuffix("\n"))
  // The lost lines and those the held part begins with, up to its first whole one.
  let partial = UInt64(
    read(ring, from: follower.offset, limit: Int(start - follower.offset)).filter { $0 == "\n" }
      .count)
  let held = UInt64(read(ring, from: start).filter { $0 == "\n" }.count)
  // "a" ran into the first line: lines + 1 newlines-ended lines in all.
  #expect(follower.lostNewlines + partial + held == UInt64(lines))
  // A reader that keeps up costs no counting and loses nothing.
  let ring2 = OutputRing()
  let keeping = Follower(window: window, ring: ring2)
  for i in 0..<1000 {
    append(ring2, format7(i) + "\n")
    keeping.offset = ring2.head
  }
  #expect(!keeping.behind && keeping.lostNewlines == 0)
  // No newline held at all: the head.
  let empty = OutputRing()
  append(empty, String(repeating: "y", count: OutputRing.capacity + 10))
  #expect(empty.lineStart(from: 0) == empty.head)
  window.close()
}

@Test func aReaderThatKeptUpThenStoppedIsToldExactlyTheLinesItLost() {
  let ring = OutputRing()
  let window = try? Window(
    number: 0, spec: ProgramSpec(argv: ["/bin/true"], environment: []), term: "screen",
    columns: 80, rows: 24, historyLimit: 10)
  guard let window else { return }
  let follower = Follower(window: window, ring: ring)
  let line = String(repeating: "z", count: 63) + "\n"
  // Reading a little behind the head, across several turns of the ring:
  // writes skip the readers then, and it must lose nothing.
  for _ in 0..<(3 * OutputRing.capacity / 64) {
    append(ring, line)
    if ring.head - follower.offset >= 128 << 10 { follower.offset = ring.head }
  }
  #expect(!follower.behind && follower.lostNewlines == 0)
  // It stops: twice the ring goes past it.
  let unread = (ring.head - follower.offset) / 64
  let more = 2 * OutputRing.capacity / 64
  for _ in 0..<more { append(ring, line) }
  #expect(follower.behind)
  let start = ring.lineStart(from: follower.offset)
  let partial = UInt64(
    read(ring, from: follower.offset, limit: Int(start - follower.offset)).filter { $0 == "\n" }
      .count)
  let held = UInt64(read(ring, from: start).filter { $0 == "\n" }.count)
  #expect(follower.lostNewlines + partial + held == unread + UInt64(more))
  window.close()
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
