// %{...}: attribute and colour changes, each as real screen 4.9 drew it
// (captured from screen in a tmux pane, with `capture-pane -e`).
import BerthTerminal
import Testing

@testable import BerthServer

@Suite struct StatusStyleTests {
  let standout = Status.standout
  func p(_ n: UInt8) -> Color { .palette(n) }

  func style(_ format: String, base: Style = Status.standout) -> Style? {
    Status.style(of: "X", in: Status.cells(format, base: base))
  }

  @Test func twoColoursAreBackgroundThenForeground() {
    #expect(style("%{= kw}X") == Style(foreground: p(7), background: p(0)))
    #expect(style("%{= BW}X") == Style(foreground: p(15), background: p(12)))
    #expect(style("%{= yd}X") == Style(foreground: .default, background: p(3)))
    #expect(style("%{= 47}X") == Style(foreground: p(7), background: p(4)))
  }

  @Test func attributesAddRemoveToggleAndSet() {
    #expect(style("%{+b}X")?.attributes == [.standout, .bold])
    #expect(style("%{-s}X")?.attributes == [])
    #expect(style("%{!s}%{!u}X")?.attributes == [.underline])
    #expect(style("%{=B}X")?.attributes == [.blink])
    #expect(style("%{=}X")?.attributes == [])
    // Hexadecimal: 04 bold, 08 reverse, 12 underline and standout (no
    // change type: set).
    #expect(style("%{+04}X")?.attributes == [.standout, .bold])
    #expect(style("%{=08}X")?.attributes == [.reverse])
    #expect(style("%{12}X")?.attributes == [.underline, .standout])
    // The lone standout of a status line is not reverse.
    #expect(style("%{-r}X")?.attributes == [.standout])
  }

  @Test func oneColourGoesToTheBackgroundOfReversedText() {
    #expect(style("%{G}X") == Style(background: p(10), attributes: .standout))
    #expect(style("%{G}X", base: Style()) == Style(foreground: p(10)))
    #expect(style("%{= }%{+r}%{y}X") == Style(background: p(3), attributes: .reverse))
    // A dot first: the foreground whatever the attributes.
    #expect(style("%{.G}X") == Style(foreground: p(10), attributes: .standout))
    #expect(style("%{=r G}X") == Style(background: p(10), attributes: .reverse))
    // Three: a dot, then background and foreground (man screen's %{.R.}).
    #expect(style("%{= kw}%{.R.}X") == Style(foreground: p(7), background: p(9)))
  }

  @Test func brightnessPseudoColoursAndResets() {
    #expect(style("%{= bw}%{.I}X") == Style(foreground: p(15), background: p(4)))
    #expect(style("%{= bw}%{II}X") == Style(foreground: p(15), background: p(12)))
    #expect(style("%{= Gb}%{ii}X") == Style(foreground: p(4), background: p(2)))
    #expect(style("%{= dd}%{.I}X") == Style())
    #expect(style("%{= 9}X") == Style())
    // Setting the attributes takes brightness off both colours, as in
    // screen (which keeps it among the attributes); adding keeps it.
    #expect(style("%{= RK}%{=}X") == Style(foreground: p(0), background: p(1)))
    #expect(style("%{= RK}%{+b}X") == Style(foreground: p(8), background: p(9), attributes: .bold))
    #expect(style("%{= RK}%{12}X")?.background == p(1))
  }

  @Test func theStackPopsBackAndIgnoresWhatScreenIgnores() {
    let cells = Status.cells("A%{= kw}B%{+b}C%{-}D%{-}E%{-}F")
    #expect(Status.style(of: "B", in: cells) == Style(foreground: p(7), background: p(0)))
    #expect(Status.style(of: "C", in: cells)?.attributes == [.bold])
    #expect(Status.style(of: "D", in: cells) == Status.style(of: "B", in: cells))
    #expect(Status.style(of: "E", in: cells) == standout)
    #expect(Status.style(of: "F", in: cells) == standout)
    // Not changes, and not stacked: %{-} after them pops the one before.
    for bad in [
      "%{bu}", "%{x}", "%{+x}", "%{!i}", "%{= kw junk}", "%{1g}", "%{123}", "%{= D}", "%{= 8}",
      "%{.RGB}",
    ] {
      #expect(style("%{= kw}\(bad)X") == Style(foreground: p(7), background: p(0)), "\(bad)")
      #expect(style("%{+u}%{= kw}\(bad)%{-}X")?.attributes == [.standout, .underline], "\(bad)")
    }
    // An empty one is a change that changes nothing.
    #expect(style("%{= kw}%{}%{-}X") == Style(foreground: p(7), background: p(0)))
  }

  @Test func aLineKeepsAtMost256Changes() {
    let many = String(repeating: "%{+u}", count: 256) + "%{= kr}X"
    #expect(style(many) == Style(attributes: [.standout, .underline]))
  }

  @Test func attrcolorChangesTextWithTheAttribute() {
    var ctx = Status.context()
    #expect(ctx.attrColors.set(["b", ".I"]) == nil)
    let cells = Status.cells("%{= kw}a%{+b}B%{= kd}%{+b}C%{= Rk}%{+u}U", ctx)
    #expect(Status.style(of: "a", in: cells) == Style(foreground: p(7), background: p(0)))
    #expect(
      Status.style(of: "B", in: cells)
        == Style(foreground: p(15), background: p(0), attributes: .bold))
    #expect(
      Status.style(of: "C", in: cells)
        == Style(foreground: .default, background: p(0), attributes: .bold))
    // i: a bright foreground; dd: only where both colours are the default.
    #expect(ctx.attrColors.set(["i", "+u"]) == nil)
    #expect(ctx.attrColors.set(["udd", "=", "r"]) == nil)
    #expect(
      Status.style(of: "U", in: Status.cells("%{= Rk}%{+u}U", ctx))?.attributes == [.underline])
    #expect(
      Status.style(of: "U", in: Status.cells("%{= dd}%{+u}U", ctx)) == Style(foreground: p(1)))
    #expect(ctx.attrColors.set(["udd"]) == nil)
    #expect(
      Status.style(of: "U", in: Status.cells("%{= dd}%{+u}U", ctx))?.attributes == [.underline])
    #expect(ctx.attrColors.set(["q", "R"]) != nil)
    #expect(ctx.attrColors.set(["b", "xyz"]) != nil)
    #expect(ctx.attrColors.set([]) != nil)
  }
}
