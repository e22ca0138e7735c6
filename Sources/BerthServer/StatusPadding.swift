// Padding and truncation in status strings, as screen 4.9 does them:
//   %=      a pad: the room left on the line is shared among the plain pads
//           (each at least one blank; the one furthest right gets the most)
//   %N=     pad to N per cent of the line, %0N= to column N, %-N= to N
//           columns before the right edge, %+N= N per cent of what follows
//           the last pad; what is already past that point is cut (%L= does
//           not cut)
//   %N<     cut only (no padding) to N per cent, 100 without a number
//   %N>     where to cut: text is taken away so that this point lands N per
//           cent into the room between the last pad and the cut; %L> marks
//           each side that lost text with "..."
// Positions are columns on the line (or, in backtick output, where the
// output began).
import BerthTerminal

extension StatusExpansion {
  /// %> : remembers where truncation should keep the text.
  mutating func markTruncation(_ q: StatusQualifiers) {
    truncateAt = cells.count
    truncatePercent = min(q.number, 100)
    ellipsis = q.long
  }

  /// %= or %< with their qualifiers.
  mutating func pad(_ e: Unicode.Scalar, _ q: StatusQualifiers) {
    guard q.number != 0 || q.zero || q.plus || q.long || e == "<" else {
      // A plain %=: shared out at the end (or when a numbered one comes);
      // without a width to share, a blank.
      if padTo > 0 {
        cells.append(Cell(scalar: Self.padMark, style: pen.style))
        padMarks += 1
      } else {
        put(" ")
      }
      return
    }
    var plus = q.plus
    var target = q.number
    if q.minus {
      target = (plus ? lastPad : padTo) - q.number
      if !plus && padTo == 0 { target = cells.count }
      plus = false
    } else if !q.zero {
      var percent = q.number
      if e != "=" && percent == 0 && !plus { percent = 100 }
      percent = min(percent, 100)
      target = padTo == 0 ? cells.count : (padTo - (plus ? lastPad : 0)) * percent / 100
    }
    target = max(target, 0)
    if plus { target += lastPad }
    target = min(target, Self.cellLimit - 1)
    if padMarks > 0 { sharePads(to: target) }
    if cells.count > target && !q.long { truncate(to: target) }
    if e == "=" {
      if cells.count < target {
        cells += repeatElement(Cell.blank(pen.style), count: target - cells.count)
      }
      lastPad = cells.count
      truncateAt = -1
      ellipsis = false
    }
  }

  /// Turns the plain pads into blanks so that the line is `width` long:
  /// each pad is a blank and the room left over is shared out from the
  /// right, the rightmost pad taking the larger share.
  mutating func sharePads(to width: Int) {
    let marks = cells.reduce(0) { $0 + ($1.scalar == Self.padMark && $1.width == 1 ? 1 : 0) }
    padMarks = 0
    guard marks > 0 else { return }
    var room = max(0, width - cells.count)
    var left = marks
    var out: [Cell] = []
    out.reserveCapacity(cells.count + room)
    for cell in cells.reversed() {
      guard cell.scalar == Self.padMark && cell.width == 1 else {
        out.append(cell)
        continue
      }
      let share = (room + left - 1) / left
      room -= share
      left -= 1
      out += repeatElement(Cell.blank(cell.style), count: share + 1)
    }
    cells = out.reversed()
  }

  /// Cuts the line to `width` columns: first text just after the last pad
  /// goes (so that the %> mark moves to its place), then the end.
  mutating func truncate(to width: Int) {
    lastPad = min(lastPad, cells.count)
    if truncateAt == -1 {
      truncateAt = lastPad
      truncatePercent = 0
    }
    let keep = min(max(lastPad + truncatePercent * (width - lastPad) / 100, lastPad), width)
    var remove = min(truncateAt - keep, cells.count - width)
    if remove > 0 {
      remove = min(remove, cells.count - lastPad)
      cells.removeSubrange(lastPad..<(lastPad + remove))
      if ellipsis {
        for i in lastPad..<min(lastPad + 3, cells.count) { dot(i) }
      }
    }
    if cells.count > width {
      cells.removeSubrange(width...)
      let from = max(lastPad, width - 3, 0)
      if ellipsis && from < width {
        for i in from..<width { dot(i) }
      }
    }
    truncateAt = -1
    ellipsis = false
    lastPad = min(lastPad, cells.count)
  }

  private mutating func dot(_ i: Int) {
    cells[i].scalar = 0x2E
    cells[i].width = 1
  }
}
