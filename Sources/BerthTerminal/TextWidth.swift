// The engine's character widths, for code outside the engine that lays out
// text of its own (the server's status lines and lists), so that it agrees
// with the cells the engine makes.

public enum TextWidth {
  /// Cells taken by `scalar`: 0 (joins the previous cell), 1 or 2.
  public static func of(_ scalar: UInt32) -> Int { CharWidth.of(scalar) }
}
