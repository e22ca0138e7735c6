// attrcolor: extra style changes for text drawn with an attribute, as
// screen's `attrcolor b ".I"` (byobu's) makes bold text bright. berth
// applies them to what it draws itself, the status line and captions;
// window text is drawn as the program asked.
import BerthTerminal

struct AttrColors: Codable {
  /// The attributes by screen's letters; i and I are pseudo-attributes:
  /// a bright foreground, a bright background.
  static let letters = Array("dubrsBiI".unicodeScalars)

  /// Per attribute, the change for any colours, then for a default
  /// background (`b d.`), a default foreground (`b .d`), both (`b dd`).
  private var rules = [[StatusStyleChange?]](repeating: [nil, nil, nil, nil], count: 8)
  private(set) var isEmpty = true

  /// `style` with the changes of the attributes it has.
  func apply(to style: Style) -> Style {
    guard !isEmpty else { return style }
    var out = style
    for (i, variants) in rules.enumerated() where Self.has(i, style) {
      let fgDefault = style.foreground.isDefault
      let bgDefault = style.background.isDefault
      let rule =
        (fgDefault && bgDefault ? variants[3] : nil) ?? (fgDefault ? variants[2] : nil)
        ?? (bgDefault ? variants[1] : nil) ?? variants[0]
      if let rule { out = rule.apply(to: out) }
    }
    return out
  }

  /// `attrcolor attribute [modifier]`: sets (or, without one, removes) the
  /// change; the error message when the arguments are wrong.
  mutating func set(_ args: [String]) -> String? {
    guard let first = args.first, args.count <= 3 else {
      return "attrcolor: usage: attrcolor attribute [modifier]"
    }
    var name = Array(first.unicodeScalars)[...]
    guard let letter = name.popFirst(), let index = Self.letters.firstIndex(of: letter) else {
      return "attrcolor: unknown attribute '\(first)'"
    }
    let variant: Int
    switch String(String.UnicodeScalarView(name)) {
    case "", "..": variant = 0
    case "d.": variant = 1
    case ".d": variant = 2
    case "dd": variant = 3
    default: return "attrcolor: unknown attribute '\(first)'"
    }
    guard args.count > 1 else {
      rules[index][variant] = nil
      isEmpty = rules.allSatisfy { $0.allSatisfy { $0 == nil } }
      return nil
    }
    let spec = args.dropFirst().joined(separator: " ")
    guard let change = StatusStyleChange.parse(Array(spec.unicodeScalars)[...]) else {
      return "attrcolor: '\(spec)' is not an attribute or colour change"
    }
    rules[index][variant] = change
    isEmpty = false
    return nil
  }

  private static func has(_ i: Int, _ s: Style) -> Bool {
    switch i {
    case 0: s.attributes.contains(.dim)
    case 1: s.attributes.contains(.underline)
    case 2: s.attributes.contains(.bold)
    case 3: s.attributes.contains(.reverse)
    case 4: s.attributes.contains(.standout)
    case 5: s.attributes.contains(.blink)
    case 6: (8..<16).contains(s.foreground.paletteIndex ?? 0)
    default: (8..<16).contains(s.background.paletteIndex ?? 0)
    }
  }
}

extension SessionServer {
  func executeAttrColor(_ args: [String]) -> (Int32, String) {
    if let error = settings.attrColors.set(args) { return (1, error) }
    sessionVersion &+= 1
    return (0, "")
  }
}
