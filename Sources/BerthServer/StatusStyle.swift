// `%{spec}` in status strings: a change of attributes and colours, read as
// screen 4.9 reads it (man screen, STRING ESCAPES, and what screen draws):
//   - an attribute part, when the spec has two words or starts with other
//     than a letter or '.': a change type (+ add, - remove, ! toggle,
//     = or none: set exactly) then letters (d dim, u underline, b bold,
//     r reverse, s standout, B blink) or a hexadecimal number (01 dim, 02
//     underline, 04 bold, 08 reverse, 10 standout, 20 blink);
//   - a colour part: two colours are background then foreground; one is the
//     foreground, or the background when the text is reversed (or in
//     standout), unless a '.' comes first. Colours: k r g y b m c w (upper
//     case bright), 0-7, d or 9 default, . unchanged, i and I brightness
//     off and on.
// Setting the attributes exactly also takes the brightness off both
// colours (screen keeps bright colours as attribute bits). A spec with
// anything else in it changes nothing and is not stacked, as in screen.
import BerthTerminal

struct StatusStyleChange: Equatable, Codable {
  enum Mode: Equatable, Codable { case set, add, remove, toggle }
  enum Colour: Equatable, Codable {
    case keep
    case set(Color)
    /// i and I: the colour's brightness off or on.
    case bright(Bool)
  }

  var mode: Mode?
  var attributes: Attributes = []
  var background = Colour.keep
  var foreground = Colour.keep
  /// One colour alone: the foreground, or the background of reversed text.
  var single: Colour?

  /// The change `spec` describes, nil when screen would ignore it.
  static func parse(_ spec: ArraySlice<Unicode.Scalar>) -> StatusStyleChange? {
    let words = spec.split(separator: " ", omittingEmptySubsequences: true)
    guard words.count <= 2 else { return nil }
    var change = StatusStyleChange()
    var colourWord = words.first
    if let first = words.first, let lead = first.first,
      words.count == 2 || !(isLetter(lead) || lead == ".")
    {
      guard let parsed = attributeChange(first) else { return nil }
      (change.mode, change.attributes) = parsed
      colourWord = words.count == 2 ? words[1] : nil
    }
    if let word = colourWord {
      var letters = word[...]
      let dotFirst = letters.first == "."
      if dotFirst { letters = letters.dropFirst() }
      guard letters.count <= 2 else { return nil }
      var colours: [Colour] = []
      for u in letters {
        guard let c = colour(u) else { return nil }
        colours.append(c)
      }
      if colours.count == 2 {
        change.background = colours[0]
        change.foreground = colours[1]
      } else if let c = colours.first {
        if dotFirst { change.foreground = c } else { change.single = c }
      }
    }
    return change
  }

  /// `style` after this change.
  func apply(to style: Style) -> Style {
    var s = style
    switch mode {
    case .set?:
      s.attributes = attributes
      s.foreground = Self.brightened(s.foreground, false)
      s.background = Self.brightened(s.background, false)
    case .add?: s.attributes.formUnion(attributes)
    case .remove?: s.attributes.subtract(attributes)
    case .toggle?: s.attributes.formSymmetricDifference(attributes)
    case nil: break
    }
    s.background = Self.applied(background, to: s.background)
    s.foreground = Self.applied(foreground, to: s.foreground)
    if let single {
      if s.attributes.contains(.reverse) || s.attributes.contains(.standout) {
        s.background = Self.applied(single, to: s.background)
      } else {
        s.foreground = Self.applied(single, to: s.foreground)
      }
    }
    return s
  }

  private static func isLetter(_ u: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(u) || ("A"..."Z").contains(u)
  }

  /// The attribute word: a change type, then letters or a hex number.
  private static func attributeChange(_ word: ArraySlice<Unicode.Scalar>) -> (Mode, Attributes)? {
    var rest = word[...]
    var mode = Mode.set
    switch rest.first {
    case "+": mode = .add
    case "-": mode = .remove
    case "!": mode = .toggle
    case "=": mode = .set
    default: break
    }
    if "+-!=".unicodeScalars.contains(where: { $0 == rest.first }) { rest = rest.dropFirst() }
    guard let first = rest.first else { return (mode, []) }
    if ("0"..."9").contains(first) {
      var text = ""
      text.unicodeScalars.append(contentsOf: rest)
      guard rest.count <= 2, let bits = UInt8(text, radix: 16)
      else { return nil }
      let names: [Attributes] = [.dim, .underline, .bold, .reverse, .standout, .blink]
      var set: Attributes = []
      for (i, a) in names.enumerated() where bits & (1 << i) != 0 { set.insert(a) }
      return (mode, set)
    }
    var set: Attributes = []
    for u in rest {
      switch u {
      case "d": set.insert(.dim)
      case "u": set.insert(.underline)
      case "b": set.insert(.bold)
      case "r": set.insert(.reverse)
      case "s": set.insert(.standout)
      case "B": set.insert(.blink)
      default: return nil
      }
    }
    return (mode, set)
  }

  private static func colour(_ u: Unicode.Scalar) -> Colour? {
    switch u {
    case ".": return .keep
    case "d", "9": return .set(.default)
    case "i": return .bright(false)
    case "I": return .bright(true)
    case "0"..."7": return .set(.palette(UInt8(u.value - 0x30)))
    default:
      let lower = Array("krgybmcw".unicodeScalars)
      let upper = Array("KRGYBMCW".unicodeScalars)
      if let n = lower.firstIndex(of: u) { return .set(.palette(UInt8(n))) }
      if let n = upper.firstIndex(of: u) { return .set(.palette(UInt8(n + 8))) }
      return nil
    }
  }

  private static func applied(_ change: Colour, to colour: Color) -> Color {
    switch change {
    case .keep: colour
    case .set(let c): c
    case .bright(let on): brightened(colour, on)
    }
  }

  /// The 16-colour palette's bright twin (on) or plain one (off); other colours stay.
  private static func brightened(_ colour: Color, _ on: Bool) -> Color {
    guard let n = colour.paletteIndex, n < 16 else { return colour }
    return .palette(on ? n | 8 : n & 7)
  }
}
