// What the user's terminal can show beyond what its terminfo entry's basics
// say. Found from the environment (COLORTERM), the terminfo entry (RGB, Tc,
// smxx, Smulx, Setulc), the `truecolor` setting and the terminal's own
// answers to queries (XTVERSION, DA2, DA1, DECRQM); the renderer draws by it.

/// The extras a terminal takes; every one is off until something says so.
public struct TerminalFeatures: Equatable, Sendable {
  /// RGB colours go out as RGB (`38;2;r;g;b`), not the nearest palette entry.
  public var trueColor = false
  /// Frames are wrapped in synchronized output (mode 2026).
  public var synchronizedOutput = false
  /// SGR 9 (or the entry's `smxx`).
  public var strikethrough = false
  /// Double, curly, dotted and dashed underlines (`4:x`, the entry's `Smulx`).
  public var styledUnderlines = false
  /// Underline colours (SGR 58, the entry's `Setulc`).
  public var underlineColor = false
  /// OSC 8 hyperlinks.
  public var hyperlinks = false

  public init() {}
}
