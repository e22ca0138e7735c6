// The pure parts of rotating logs: sizes as logsize takes and shows them,
// logkeep's counts, the renames of a rotation, where output is cut so that
// lines stay whole, and the gap line.
import Testing

@testable import BerthServer

@Test func logSizesTakeBytesOrKMGAndNothingElse() {
  #expect(LogRotation.parseSize("0") == 0)
  #expect(LogRotation.parseSize("4096") == 4096)
  #expect(LogRotation.parseSize("512K") == 512 << 10)
  #expect(LogRotation.parseSize("10M") == 10 << 20)
  #expect(LogRotation.parseSize("10m") == 10 << 20)
  #expect(LogRotation.parseSize("2G") == 2 << 30)
  for bad in ["", "-1", "+5", "10Q", "M", "1.5M", " 1M", "1M ", "1MB", "0x10", "1e6", "١٢"] {
    #expect(LogRotation.parseSize(bad) == nil, "\(bad)")
  }
  // Far past any file, and past Int: refused, never a trap.
  #expect(LogRotation.parseSize("2000000G") == nil)
  #expect(LogRotation.parseSize("99999999999999999999") == nil)
  #expect(LogRotation.parseSize("9999999999999999G") == nil)
}

@Test func logSizesAreShownInTheLargestUnitThatDividesThem() {
  #expect(LogRotation.describe(size: 10 << 20) == "10M")
  #expect(LogRotation.describe(size: 1536 << 10) == "1536K")
  #expect(LogRotation.describe(size: 3 << 30) == "3G")
  #expect(LogRotation.describe(size: 100) == "100")
  #expect(LogRotation.describe(size: 0) == "0")
  for size in [0, 1, 1023, 4096, 10 << 20, (1 << 30) + 1] {
    #expect(LogRotation.parseSize(LogRotation.describe(size: size)) == size)
  }
}

@Test func logKeepTakesACountFromNoneToTheMost() {
  #expect(LogRotation.parseKeep("0") == 0)
  #expect(LogRotation.parseKeep("5") == 5)
  #expect(LogRotation.parseKeep("999") == 999)
  for bad in ["", "-1", "x", "1000", "5K", "2.0", " 3"] {
    #expect(LogRotation.parseKeep(bad) == nil, "\(bad)")
  }
}

@Test func aRotationMovesEachFileOneUpOldestFirst() {
  let moves = LogRotation.renames(of: "/l/app.log", keep: 3).map { "\($0.from) > \($0.to)" }
  #expect(
    moves == [
      "/l/app.log.2 > /l/app.log.3", "/l/app.log.1 > /l/app.log.2", "/l/app.log > /l/app.log.1",
    ])
  #expect(LogRotation.renames(of: "x", keep: 1).map { "\($0.from) > \($0.to)" } == ["x > x.1"])
  #expect(LogRotation.renames(of: "x", keep: 0).isEmpty)
}

@Test func outputIsCutAtTheLastLineEndThatFits() {
  func cut(_ text: String, room: Int, empty: Bool = false) -> Int {
    Array(text.utf8).withUnsafeBytes { LogRotation.cut($0, room: room, fileIsEmpty: empty) }
  }
  #expect(cut("ab\ncd\n", room: 10) == 6)  // it fits
  #expect(cut("ab\ncd\n", room: 6) == 6)
  #expect(cut("ab\ncd\nef\n", room: 7) == 6)  // whole lines only
  #expect(cut("ab\ncd\nef\n", room: 5) == 3)
  #expect(cut("abcdef\n", room: 3) == 0)  // nothing whole fits: rotate first
  #expect(cut("abcdef\n", room: 3, empty: true) == 3)  // a line longer than a file is split
  #expect(cut("abc", room: 0, empty: true) == 1)  // always some progress
}

@Test func aGapLineSaysHowManyBytesAndWhyOnALineOfItsOwn() {
  let line = LogRotation.gapLine(bytes: 4096, reason: "No space left on device", atLineStart: true)
  #expect(
    String(decoding: line, as: UTF8.self)
      == "[berth: 4096 bytes not logged: No space left on device]\r\n")
  let mid = LogRotation.gapLine(bytes: 1, reason: "log writer behind", atLineStart: false)
  #expect(
    String(decoding: mid, as: UTF8.self) == "\r\n[berth: 1 bytes not logged: log writer behind]\r\n"
  )
}

@Test func aGapIsBlamedOnTheFailureNotOnTheBacklogItCaused() {
  let behind = LogRotation.writerBehind
  #expect(LogRotation.gapReason(nil, adding: behind) == behind)
  #expect(
    LogRotation.gapReason(behind, adding: "No space left on device") == "No space left on device")
  #expect(
    LogRotation.gapReason("No space left on device", adding: behind) == "No space left on device")
  #expect(
    LogRotation.gapReason("Input/output error", adding: "No space left on device")
      == "Input/output error")
}
