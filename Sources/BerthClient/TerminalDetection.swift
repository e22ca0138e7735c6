// Which extras the user's terminal takes, decided from what is known of it.
// RGB colour, in this order: the session's `truecolor` setting (on, off, or
// unset), COLORTERM (truecolor or 24bit), the terminfo entry (RGB, Tc, or
// 2^24 colours), and the terminal's own answers to the client's queries
// (XTVERSION, then DA2) when they name a terminal known to take it. The
// other extras come from the entry's capabilities (smxx, Smulx, Setulc,
// Sync), the same known terminals, and DECRQM's answer for mode 2026.
// Pure: the terminfo entry is read, and the queries written, in
// TerminalQueries.swift; the answers are cut from the input in
// TerminalReplies.swift.

/// What the terminfo entry says beyond the basics.
public struct TerminfoFacts: Equatable, Sendable {
  /// `RGB` (a flag, a number or a string in ncurses), `Tc`, or 2^24 colours.
  public var rgb = false
  /// `smxx`.
  public var strikethrough = false
  /// `Smulx`.
  public var styledUnderlines = false
  /// `Setulc`.
  public var underlineColor = false
  /// `Sync` (tmux's extension).
  public var synchronizedOutput = false

  public init(
    rgb: Bool = false, strikethrough: Bool = false, styledUnderlines: Bool = false,
    underlineColor: Bool = false, synchronizedOutput: Bool = false
  ) {
    self.rgb = rgb
    self.strikethrough = strikethrough
    self.styledUnderlines = styledUnderlines
    self.underlineColor = underlineColor
    self.synchronizedOutput = synchronizedOutput
  }
}

/// What the terminal answered so far (nil: no answer yet, or none).
public struct TerminalAnswers: Equatable, Sendable {
  /// XTVERSION's text: "kitty(0.35.0)", "tmux 3.3a", "XTerm(390)".
  public var version: String?
  /// DA2's parameters: terminal type, version, ROM cartridge.
  public var secondary: [Int]?
  /// DA1's parameters.
  public var primary: [Int]?
  /// DECRQM for mode 2026: recognized (set or reset) or not.
  public var synchronizedOutput: Bool?

  public init() {}

  /// Takes one answer in.
  public mutating func learn(_ reply: TerminalReply) {
    switch reply {
    case .version(let text): version = text
    case .secondary(let p): secondary = p
    case .primary(let p): primary = p
    case .mode(let mode, let value):
      // 1 set, 2 reset: the terminal knows the mode; 0 (unknown) and the
      // permanent 3 and 4 say it cannot be switched.
      if mode == 2026 { synchronizedOutput = value == 1 || value == 2 }
    }
  }
}

/// Everything known of the user's terminal, and what follows from it.
public struct TerminalKnowledge: Equatable, Sendable {
  /// The session's `truecolor` setting: on, off, or nil to detect.
  public var trueColorSetting: Bool?
  /// COLORTERM in the client's environment.
  public var colorTerm: String?
  public var terminfo: TerminfoFacts
  public var answers = TerminalAnswers()

  public init(
    trueColorSetting: Bool? = nil, colorTerm: String? = nil, terminfo: TerminfoFacts = .init()
  ) {
    self.trueColorSetting = trueColorSetting
    self.colorTerm = colorTerm
    self.terminfo = terminfo
  }

  /// The terminal its answers name, if it is one of the known ones.
  public var known: KnownTerminal? {
    KnownTerminal.identify(version: answers.version, secondary: answers.secondary)
  }

  public var features: TerminalFeatures {
    let known = self.known
    var f = TerminalFeatures()
    if let setting = trueColorSetting {
      f.trueColor = setting
    } else if let c = colorTerm, c == "truecolor" || c == "24bit" {
      f.trueColor = true
    } else {
      f.trueColor = terminfo.rgb || known?.trueColor == true
    }
    f.strikethrough = terminfo.strikethrough || known?.strikethrough == true
    f.styledUnderlines = terminfo.styledUnderlines || known?.styledUnderlines == true
    f.underlineColor = terminfo.underlineColor || known?.underlineColor == true
    f.hyperlinks = known?.hyperlinks == true
    f.synchronizedOutput = terminfo.synchronizedOutput || answers.synchronizedOutput == true
    return f
  }
}

/// A terminal known by its answers, and what it takes.
public struct KnownTerminal: Equatable, Sendable {
  public var name: String
  public var trueColor = true
  public var strikethrough = true
  public var styledUnderlines = true
  public var underlineColor = true
  public var hyperlinks = true

  /// The terminal XTVERSION's text names, else the one DA2's type says.
  public static func identify(version: String?, secondary: [Int]?) -> KnownTerminal? {
    if let version, let t = byVersion(version) { return t }
    if let secondary { return bySecondary(secondary) }
    return nil
  }

  /// XTVERSION: a name, then its version in parentheses or after a space.
  static func byVersion(_ text: String) -> KnownTerminal? {
    let name = String(text.prefix { $0 != "(" && $0 != " " })
    let rest = text.dropFirst(name.count)
    switch name.lowercased() {
    case "xterm":
      // Underline styles and colours, and OSC 8, are not xterm's.
      return KnownTerminal(
        name: "XTerm", styledUnderlines: false, underlineColor: false, hyperlinks: false)
    case "kitty", "wezterm", "foot", "ghostty", "rio", "iterm2":
      return KnownTerminal(name: name)
    case "mintty":
      return KnownTerminal(name: name, hyperlinks: false)
    case "tmux":
      // tmux passes hyperlinks on from 3.4.
      return KnownTerminal(name: name, hyperlinks: tmuxVersion(rest) >= 304)
    default:
      return nil
    }
  }

  /// DA2's first parameter: 84 ('T') is tmux, 77 ('M') mintty, 65 with a
  /// version of 5400 or more GNOME's VTE (0.54 and later). Others (0, 1,
  /// 41) are shared by too many terminals to tell them apart.
  static func bySecondary(_ p: [Int]) -> KnownTerminal? {
    switch p.first {
    case 84: return KnownTerminal(name: "tmux", hyperlinks: false)
    case 77: return KnownTerminal(name: "mintty", hyperlinks: false)
    case 65 where p.count > 1 && p[1] >= 5400: return KnownTerminal(name: "VTE")
    default: return nil
    }
  }

  /// " 3.3a" as 303; 0 when it cannot be read.
  static func tmuxVersion(_ text: Substring) -> Int {
    let parts = text.drop { $0 == " " }.split(separator: ".", maxSplits: 1)
    guard parts.count == 2, let major = Int(parts[0].prefix(3)),
      let minor = Int(parts[1].prefix { $0.isASCII && $0.isNumber }.prefix(3))
    else { return 0 }
    return major * 100 + minor
  }
}
