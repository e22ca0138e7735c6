// Lists shown over the focused region: the window list (C-a ") to pick a
// window from, and pages of text: the key bindings in force (C-a ?) and
// the attached clients (C-a *). Their keys come from
// the client like any other; the server answers them here.
import BerthTerminal

struct Overlay {
  enum Kind { case windowList, page }
  let kind: Kind
  /// The lines shown (for the window list, one per window after a heading).
  var lines: [String]
  /// For the window list: the window numbers, in the order of `lines` after the heading.
  var numbers: [Int] = []
  var selected = 0
  var top = 0

  enum Outcome: Equatable {
    case stay
    case close
    case select(Int)
  }

  mutating func type(_ b: UInt8, height: Int) -> Outcome {
    switch kind {
    case .page:
      // Space pages on; anything else closes, as in screen.
      guard b == UInt8(ascii: " "), top + height < lines.count else { return .close }
      top += max(1, height - 1)
      return .stay
    case .windowList:
      switch b {
      case UInt8(ascii: "j"), 0x0E: selected = min(numbers.count - 1, selected + 1)
      case UInt8(ascii: "k"), 0x10: selected = max(0, selected - 1)
      case 0x0D, 0x0A, UInt8(ascii: " "):
        return numbers.isEmpty ? .close : .select(numbers[selected])
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let n = Int(b - UInt8(ascii: "0"))
        return numbers.contains(n) ? .select(n) : .stay
      case 0x1B, 0x07, UInt8(ascii: "q"): return .close
      default: break
      }
      // The heading is the first line; keep the selected window in view.
      if selected + 1 < top { top = selected + 1 }
      if selected + 1 >= top + height { top = selected + 2 - height }
      return .stay
    }
  }

  mutating func press(_ key: Key, height: Int) -> Outcome {
    switch key {
    case .up: return type(UInt8(ascii: "k"), height: height)
    case .down: return type(UInt8(ascii: "j"), height: height)
    default: return .stay
    }
  }

  func draw(into canvas: inout Canvas, region r: Region) {
    let plain = Style()
    for y in 0..<r.height {
      let i = top + y
      var style = plain
      if kind == .windowList && i == selected + 1 { style.attributes = .reverse }
      if i == 0 && kind == .windowList { style.attributes = .bold }
      let text = i < lines.count ? lines[i] : ""
      canvas.put(
        Overlay.cells(text, style), y: r.y + y, x: r.x, width: r.width, fill: Cell.blank(style))
    }
  }

  static func cells(_ text: String, _ style: Style) -> [Cell] {
    var out: [Cell] = []
    for u in text.unicodeScalars {
      let w = TextWidth.of(u.value)
      if w == 0 { continue }
      out.append(Cell(scalar: u.value, style: style, width: UInt8(w)))
      if w == 2 { out.append(Cell(scalar: 0x20, style: style, width: 0)) }
    }
    return out
  }
}
