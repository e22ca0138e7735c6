// What the user's terminfo entry says about driving the terminal, read once
// through ncurses' terminfo functions (setupterm, tigetstr, tigetflag,
// tigetnum, tiparm) into plain bytes: the client writes its own escape
// sequences from these, as tmux does. Parameterized strings the hot path
// needs (colours, underline styles) are expanded here, once.

@preconcurrency import CNcurses
import Glibc

struct TerminalCapabilities {
  var clearScreen: [UInt8] = []
  var clearToEndOfLine: [UInt8] = []
  var enterScreen: [UInt8] = []  // smcup
  var exitScreen: [UInt8] = []  // rmcup
  var hideCursor: [UInt8] = []
  var showCursor: [UInt8] = []
  var reset: [UInt8] = []  // sgr0
  var bold: [UInt8] = []
  var dim: [UInt8] = []
  var italic: [UInt8] = []
  var underline: [UInt8] = []
  var blink: [UInt8] = []
  var reverse: [UInt8] = []
  var invisible: [UInt8] = []
  var strikethrough: [UInt8] = []  // smxx
  /// `Smulx` expanded for underline styles 0 to 5; empty without it.
  var styledUnderline: [[UInt8]] = []
  var hasUnderlineColor = false  // Setulc
  var hasSynchronizedOutput = false  // Sync (tmux's extension)
  var enterACS: [UInt8] = []
  var exitACS: [UInt8] = []
  var enableACS: [UInt8] = []
  /// The terminal's character for each VT100 line-drawing letter (acsc),
  /// or an ASCII look-alike where it has none.
  var acs: [UInt8] = TerminalCapabilities.asciiLookalikes
  /// Whether `acs[letter]` is drawn in the alternate set (smacs); the
  /// look-alikes are plain ASCII.
  var acsAlternate = [Bool](repeating: false, count: 128)
  var bell: [UInt8] = [0x07]
  var flash: [UInt8] = []
  /// setaf/setab expanded for each palette index the entry has (up to 256).
  var foregrounds: [[UInt8]] = []
  var backgrounds: [[UInt8]] = []
  var defaultColors: [UInt8] = []  // op
  var colors = 0
  /// colors#0x1000000, `RGB` (a flag, a number or a string in ncurses) or
  /// `Tc`: the entry itself says RGB.
  var directColor = false
  /// A DEC-style terminal, which answers the client's queries: the `XT`
  /// flag, or a `clear` that starts with CSI (as tmux decides). Others might
  /// show the queries as text.
  var answersQueries = false
  var autoMargins = true  // am
  var lateWrap = true  // xenl
  /// The attribute and colour strings are the ANSI ones, so they can be
  /// joined into one SGR sequence (`ESC [ 0;1;38;5;208 m`).
  var ansi = true
  /// cup is `ESC [ row+1 ; col+1 H`, written without tiparm.
  var ansiCursor = true
  var cursorAddress: [UInt8] = []

  /// What an xterm-like terminal with `colors` colours takes, for tests and
  /// as the shape `load` fills in.
  static func xtermLike(colors: Int) -> TerminalCapabilities {
    var c = TerminalCapabilities()
    func b(_ s: String) -> [UInt8] { Array(s.utf8) }
    c.clearScreen = b("\u{1B}[H\u{1B}[2J")
    c.clearToEndOfLine = b("\u{1B}[K")
    c.enterScreen = b("\u{1B}[?1049h")
    c.exitScreen = b("\u{1B}[?1049l")
    c.hideCursor = b("\u{1B}[?25l")
    c.showCursor = b("\u{1B}[?12l\u{1B}[?25h")
    c.reset = b("\u{1B}(B\u{1B}[m")
    c.bold = b("\u{1B}[1m")
    c.dim = b("\u{1B}[2m")
    c.italic = b("\u{1B}[3m")
    c.underline = b("\u{1B}[4m")
    c.blink = b("\u{1B}[5m")
    c.reverse = b("\u{1B}[7m")
    c.invisible = b("\u{1B}[8m")
    c.enterACS = b("\u{1B}(0")
    c.exitACS = b("\u{1B}(B")
    c.setACS(Array("``aaffggiijjkkllmmnnooppqqrrssttuuvvwwxxyyzz{{||}}~~".utf8))
    c.defaultColors = b("\u{1B}[39;49m")
    c.colors = colors
    c.cursorAddress = b("\u{1B}[%i%p1%d;%p2%dH")
    for i in 0..<min(colors, 256) {
      let n = i < 8 ? "\(30 + i)" : i < 16 ? "\(90 + i - 8)" : "38;5;\(i)"
      let m = i < 8 ? "\(40 + i)" : i < 16 ? "\(100 + i - 8)" : "48;5;\(i)"
      c.foregrounds.append(b("\u{1B}[\(n)m"))
      c.backgrounds.append(b("\u{1B}[\(m)m"))
    }
    return c
  }

  /// Reads the entry of the terminal type `term` (setupterm must have
  /// succeeded for it).
  static func load() -> TerminalCapabilities {
    var c = TerminalCapabilities()
    c.clearScreen = string("clear")
    c.clearToEndOfLine = string("el")
    c.enterScreen = string("smcup")
    c.exitScreen = string("rmcup")
    c.hideCursor = string("civis")
    c.showCursor = string("cnorm")
    c.reset = string("sgr0")
    c.bold = string("bold")
    c.dim = string("dim")
    c.italic = string("sitm")
    c.underline = string("smul")
    c.blink = string("blink")
    c.reverse = string("rev")
    c.invisible = string("invis")
    c.strikethrough = string("smxx")
    c.enterACS = string("smacs")
    c.exitACS = string("rmacs")
    c.enableACS = string("enacs")
    let bell = string("bel")
    c.bell = bell.isEmpty ? [0x07] : bell
    c.flash = string("flash", keepPadding: true)
    c.defaultColors = string("op")
    c.cursorAddress = string("cup")
    c.ansiCursor = c.cursorAddress == Array("\u{1B}[%i%p1%d;%p2%dH".utf8)
    c.autoMargins = flag("am")
    c.lateWrap = flag("xenl")
    let colors = number("colors")
    c.colors = max(0, colors)
    c.directColor =
      colors >= 0x100_0000 || flag("RGB") || number("RGB") > 0 || raw("RGB") != nil || flag("Tc")
    c.answersQueries = flag("XT") || c.clearScreen.starts(with: [0x1B, 0x5B])
    if let acsc = raw("acsc"), !c.enterACS.isEmpty {
      c.setACS(acsc.map { UInt8(bitPattern: $0) })
    }
    if let smulx = raw("Smulx") {
      c.styledUnderline = (0...5).map { expand(smulx, $0) }
    }
    c.hasUnderlineColor = raw("Setulc") != nil
    c.hasSynchronizedOutput = raw("Sync") != nil
    // Direct-colour entries' setaf takes RGB above 7: indices are written
    // here as ANSI (9x, 38;5;n), as on the 256-colour twin.
    let palette = c.directColor ? 256 : min(c.colors, 256)
    let setaf = raw("setaf")
    let setab = raw("setab")
    for i in 0..<palette {
      if c.directColor || setaf == nil {
        let ansi = xtermLike(colors: 256)
        c.foregrounds.append(ansi.foregrounds[i])
        c.backgrounds.append(ansi.backgrounds[i])
      } else {
        c.foregrounds.append(setaf.map { expand($0, i) } ?? [])
        c.backgrounds.append(setab.map { expand($0, i) } ?? [])
      }
    }
    if c.directColor && c.colors < 256 { c.colors = 256 }
    let standard = xtermLike(colors: min(palette, 256))
    c.ansi =
      [
        Array("\u{1B}[m".utf8), Array("\u{1B}[0m".utf8), Array("\u{1B}(B\u{1B}[m".utf8),
        Array("\u{1B}[m\u{0F}".utf8), Array("\u{1B}[0m\u{0F}".utf8),
      ].contains(c.reset)
      && c.foregrounds == standard.foregrounds && c.backgrounds == standard.backgrounds
    return c
  }

  /// What the entry says beyond the basics, for the detection of features.
  var terminfoFacts: TerminfoFacts {
    TerminfoFacts(
      rgb: directColor, strikethrough: !strikethrough.isEmpty,
      styledUnderlines: !styledUnderline.isEmpty, underlineColor: hasUnderlineColor,
      synchronizedOutput: hasSynchronizedOutput)
  }

  /// The letters an acsc string maps go through smacs; the rest stay look-alikes.
  mutating func setACS(_ acsc: [UInt8]) {
    var i = 0
    while i + 1 < acsc.count {
      if acsc[i] < 128 {
        acs[Int(acsc[i])] = acsc[i + 1]
        acsAlternate[Int(acsc[i])] = true
      }
      i += 2
    }
  }

  private static func raw(_ name: String) -> [CChar]? {
    guard let p = name.withCString({ tigetstr($0) }), Int(bitPattern: p) != -1 else { return nil }
    return Array(UnsafeBufferPointer(start: p, count: strlen(p)))
  }

  /// A string capability's bytes without ncurses' padding (`$<5>`), which
  /// only a terminal at 9600 baud needs.
  static func string(_ name: String, keepPadding: Bool = false) -> [UInt8] {
    guard let chars = raw(name) else { return [] }
    let bytes = chars.map { UInt8(bitPattern: $0) }
    return keepPadding ? bytes : withoutPadding(bytes)
  }

  static func withoutPadding(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "<"),
        let end = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: ">"))
      {
        i = end + 1
        continue
      }
      out.append(bytes[i])
      i += 1
    }
    return out
  }

  private static func flag(_ name: String) -> Bool {
    name.withCString { tigetflag($0) } > 0
  }

  private static func number(_ name: String) -> Int {
    Int(name.withCString { tigetnum($0) })
  }

  private static func expand(_ cap: [CChar], _ a: Int) -> [UInt8] {
    let terminated = cap + [0]
    guard let p = terminated.withUnsafeBufferPointer({ berth_tiparm1($0.baseAddress, Int32(a)) })
    else { return [] }
    return withoutPadding(
      Array(UnsafeBufferPointer(start: p, count: strlen(p))).map {
        UInt8(bitPattern: $0)
      })
  }

  /// cup for row y, column x.
  func moveCursor(_ y: Int, _ x: Int) -> [UInt8] {
    let terminated = cursorAddress.map { CChar(bitPattern: $0) } + [0]
    guard
      let p = terminated.withUnsafeBufferPointer({
        berth_tiparm2($0.baseAddress, Int32(y), Int32(x))
      })
    else { return [] }
    return Self.withoutPadding(
      Array(UnsafeBufferPointer(start: p, count: strlen(p))).map { UInt8(bitPattern: $0) })
  }

  /// ncurses' fallbacks for line-drawing letters a terminal lacks.
  static let asciiLookalikes: [UInt8] = {
    var table = [UInt8](repeating: UInt8(ascii: "+"), count: 128)
    let pairs: [(Character, Character)] = [
      ("q", "-"), ("x", "|"), ("l", "+"), ("k", "+"), ("m", "+"), ("j", "+"), ("t", "+"),
      ("u", "+"), ("v", "+"), ("w", "+"), ("n", "+"), ("o", "~"), ("s", "_"), ("`", "+"),
      ("a", ":"), ("f", "'"), ("g", "#"), ("~", "o"), (",", "<"), ("+", ">"), (".", "v"),
      ("-", "^"), ("h", "#"), ("i", "#"), ("0", "#"), ("p", "-"), ("r", "-"), ("y", "<"),
      ("z", ">"), ("{", "*"), ("|", "!"), ("}", "f"),
    ]
    for (letter, look) in pairs {
      table[Int(letter.asciiValue ?? 0)] = look.asciiValue ?? UInt8(ascii: "+")
    }
    return table
  }()
}
