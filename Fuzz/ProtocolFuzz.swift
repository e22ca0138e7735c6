// libFuzzer entry point over the wire protocol (BerthProtocol), built by
// scripts/fuzz.sh. The input is a byte stream as a peer might send it.
//
// 1. It is cut into frames by a FrameAssembler twice: appended whole, and
//    appended in pieces split at points derived from the input. Both must
//    give the same frames, and the same error at the same place.
// 2. Every frame is decoded as a ClientMessage and as a ServerMessage. What
//    decodes is encoded again, and that must frame to exactly one frame of
//    the same type and decode to the same value.
// 3. The input is also fed to a small terminal as program output, and its
//    rows go through ScreenUpdateEncoder (the server's hot path) and
//    ServerMessage.decode (the client's): the client must see the cells the
//    engine holds.
// Any error thrown is fine (a peer sent garbage); a trap or a mismatch is not.

import BerthProtocol
import BerthTerminal

#if canImport(Glibc)
  import Glibc
#endif

private func fail(_ message: String) -> Never {
  print("ProtocolFuzz invariant broken: \(message)")
  fatalError(message)
}

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
  if !condition() { fail(message()) }
}

private struct Frame: Equatable {
  var type: UInt8
  var payload: [UInt8]
}

/// Frames until the stream needs more bytes, and the error that ended it.
private func frames(
  of input: UnsafeRawBufferPointer, splits: [Int]
) -> ([Frame], ProtocolError?, Int) {
  var assembler = FrameAssembler()
  var out: [Frame] = []
  var start = 0
  for end in splits + [input.count] where end > start || end == input.count {
    assembler.append(UnsafeRawBufferPointer(rebasing: input[start..<max(start, end)]))
    start = max(start, end)
    do {
      while let f = try assembler.next() { out.append(Frame(type: f.type, payload: f.payload)) }
    } catch let e as ProtocolError {
      return (out, e, assembler.pendingCount)
    } catch {
      fail("FrameAssembler threw \(error), not a ProtocolError")
    }
  }
  return (out, nil, assembler.pendingCount)
}

/// FNV-1a, to derive split points from the input without taking bytes of it.
private func hash(_ input: UnsafeRawBufferPointer) -> UInt64 {
  var h: UInt64 = 0xCBF2_9CE4_8422_2325
  for b in input { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
  return h
}

private func reframe(_ bytes: [UInt8]) -> Frame {
  var assembler = FrameAssembler()
  assembler.append(bytes)
  do {
    guard let f = try assembler.next() else { fail("re-encoded message is not a whole frame") }
    check(assembler.pendingCount == 0, "re-encoded message leaves \(assembler.pendingCount) bytes")
    return Frame(type: f.type, payload: f.payload)
  } catch {
    fail("re-encoded message does not frame: \(error)")
  }
}

private func roundTrip(_ frame: Frame) {
  if let m = try? ClientMessage.decode(type: frame.type, payload: frame.payload) {
    let again = reframe(m.encoded())
    check(again.type == frame.type, "client message \(m) re-encoded as type \(again.type)")
    do {
      let m2 = try ClientMessage.decode(type: again.type, payload: again.payload)
      check(m2 == m, "client message \(m) came back as \(m2)")
    } catch {
      fail("client message \(m) re-encoded does not decode: \(error)")
    }
  }
  if let m = try? ServerMessage.decode(type: frame.type, payload: frame.payload) {
    let again = reframe(m.encoded())
    check(again.type == frame.type, "server message re-encoded as type \(again.type)")
    do {
      let m2 = try ServerMessage.decode(type: again.type, payload: again.payload)
      check(m2 == m, "server message \(m) came back as \(m2)")
    } catch {
      fail("server message \(m) re-encoded does not decode: \(error)")
    }
  }
}

/// The engine's rows, encoded as the server does and decoded as the client
/// does, keep their characters, widths, styles and marks.
private func screenPath(_ input: UnsafeRawBufferPointer) {
  let t = Terminal(columns: 23, rows: 4, historyLimit: 4)
  t.feed(input)
  var encoder = ScreenUpdateEncoder(
    header: ScreenUpdate(
      columns: t.columns, rows: t.rows, cursorX: t.cursorX, cursorY: t.cursorY,
      cursorVisible: t.cursorVisible, cursorShape: t.cursorShape.rawValue, full: true,
      title: t.title.isEmpty ? nil : t.title))
  for y in 0..<t.rows {
    t.withRow(y) { encoder.appendRow(y, $0, marks: t.combiningMarks) }
  }
  let frame = reframe(encoder.finish())
  let update: ScreenUpdate
  do {
    guard case .screen(let u) = try ServerMessage.decode(type: frame.type, payload: frame.payload)
    else { fail("screen update decodes as another message") }
    update = u
  } catch {
    fail("screen update from the engine does not decode: \(error)")
  }
  check(update.columns == t.columns && update.rows == t.rows, "screen size")
  check(update.cursorX == t.cursorX && update.cursorY == t.cursorY, "cursor")
  if !t.title.isEmpty {
    // Titles are cut at 4096 bytes of UTF-8 on the wire.
    let title = Array(t.title.utf8)
    check(
      title.count > 4096 || update.title == t.title,
      "title \(t.title.debugDescription) came back as \(String(describing: update.title))")
  }
  check(update.rowUpdates.count == t.rows, "\(update.rowUpdates.count) rows for \(t.rows)")
  for (y, row) in update.rowUpdates.enumerated() {
    check(row.y == y, "row \(row.y) in place of \(y)")
    check(row.cells.count == t.columns, "row \(y): \(row.cells.count) cells")
    t.withRow(y) { cells in
      for x in 0..<t.columns {
        let a = cells[x]
        let b = row.cells[x]
        check(a.width == b.width, "row \(y) column \(x): width \(a.width) came back as \(b.width)")
        // The right half of a wide character travels with its left half.
        if a.width == 0 { continue }
        check(a.style == b.style, "row \(y) column \(x): style \(a.style) came back as \(b.style)")
        let scalar =
          a.scalar > 0x10FFFF || (a.scalar >= 0xD800 && a.scalar <= 0xDFFF) ? 0xFFFD : a.scalar
        check(
          scalar == b.scalar, "row \(y) column \(x): scalar \(a.scalar) came back as \(b.scalar)")
        let marks = a.combining == 0 ? [] : Array(t.combiningMarks(a.combining).prefix(63))
        let marks2 = b.combining == 0 ? [] : row.marks[Int(b.combining) - 1]
        check(marks == marks2, "row \(y) column \(x): marks \(marks) came back as \(marks2)")
      }
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func protocolFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeRawBufferPointer(start: data, count: size)

  var rng = hash(input)
  var splits: [Int] = []
  var at = 0
  while true {
    rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    at += 1 + Int((rng >> 33) % 24)
    if at >= size { break }
    splits.append(at)
  }
  let whole = frames(of: input, splits: [])
  let pieces = frames(of: input, splits: splits)
  check(whole.0 == pieces.0, "split stream gives other frames")
  check(
    whole.1 == pieces.1,
    "split stream gives error \(String(describing: pieces.1)), whole \(String(describing: whole.1))"
  )
  if whole.1 == nil {
    // Everything not returned as a frame is still pending.
    let framed = whole.0.reduce(0) { $0 + 8 + $1.payload.count }
    check(framed + whole.2 == size, "\(framed) bytes framed and \(whole.2) pending of \(size)")
  }

  for frame in whole.0 { roundTrip(frame) }
  // A stream that is not framed at all (say, a header with bad reserved
  // bytes) still exercises the decoders: its first byte is the type.
  if size > 0 {
    roundTrip(Frame(type: input[0], payload: Array(input.dropFirst())))
  }

  screenPath(input)
  return 0
}
