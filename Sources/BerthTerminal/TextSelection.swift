// The text copy mode marks between two positions, as screen takes it: each
// line's trailing blanks left out (unless the line wrapped: they are part
// of the text), optionally only the columns between a left and a right
// margin (a rectangle), lines that did not wrap ended with a separator.

public struct TextSelection: Sendable {
  /// The first and last positions marked, in reading order.
  public let start: TextPosition
  public let end: TextPosition
  /// The margins: columns left of `left` or right of `right` are not taken.
  public let left: Int
  public let right: Int

  /// The text between a and b (both included, in either order).
  public init(_ a: TextPosition, _ b: TextPosition, left: Int = 0, right: Int = .max) {
    (start, end) = b.precedes(a) ? (b, a) : (a, b)
    self.left = max(left, 0)
    self.right = right
  }

  /// The columns of line i that are taken, if any (a wide character whole).
  public func columns(ofLine i: Int, in t: Terminal) -> ClosedRange<Int>? {
    guard i >= start.line, i <= end.line, i >= 0, i < t.textLineCount else { return nil }
    let joined = joinsNext(i, in: t)
    return t.withTextLine(i) { cells -> ClosedRange<Int>? in
      let lineEnd = joined ? cells.count - 1 : Self.lastNonBlank(cells)
      var first = max(i == start.line ? start.x : 0, left)
      var last = min(lineEnd, right, i == end.line ? end.x : .max)
      guard first <= last, first < cells.count else { return nil }
      if first > 0 && cells[first].width == 0 { first -= 1 }
      if last + 1 < cells.count && cells[last].width == 2 { last += 1 }
      return first...last
    }
  }

  /// Line i wrapped into the next and the margins take its end: the two
  /// are one line of text (its trailing blanks are part of it).
  func joinsNext(_ i: Int, in t: Terminal) -> Bool {
    t.textLineIsWrapped(i) && t.withTextLine(i) { right >= $0.count - 1 }
  }

  /// The text, in UTF-8; each line taken that did not wrap into the next
  /// (or whose end is outside the margins) ends with `separator`, all but
  /// the last.
  public func text(in t: Terminal, separator: [UInt8] = [0x0A]) -> [UInt8] {
    var out: [UInt8] = []
    let (first, last) = (max(start.line, 0), min(end.line, t.textLineCount - 1))
    guard first <= last else { return out }
    for i in first...last {
      if let span = columns(ofLine: i, in: t) {
        t.withTextLine(i) { cells in
          for c in cells[span] where c.width != 0 {
            appendUTF8(c.scalar, to: &out)
            if c.combining != 0 {
              for m in t.combiningMarks(c.combining) { appendUTF8(m, to: &out) }
            }
          }
        }
      }
      if i != end.line && !joinsNext(i, in: t) { out += separator }
    }
    return out
  }

  /// The last cell that is not blank, -1 when there is none.
  static func lastNonBlank(_ cells: UnsafeBufferPointer<Cell>) -> Int {
    var i = cells.count - 1
    while i >= 0 && Terminal.isBlank(cells[i]) { i -= 1 }
    return i
  }
}
