// TerminalKnowledge: what the client decides the user's terminal takes, in
// the order the man page gives: the truecolor setting, COLORTERM, the
// terminfo entry, then the terminal's own answers.

import Testing

@testable import BerthClient

@Suite struct TerminalDetectionTests {
  func answered(_ replies: TerminalReply...) -> TerminalKnowledge {
    var k = TerminalKnowledge()
    for r in replies { k.answers.learn(r) }
    return k
  }

  @Test func nothingKnownTakesNothing() {
    #expect(TerminalKnowledge().features == TerminalFeatures())
  }

  @Test func colortermTruecolorOr24bitTakesRGB() {
    #expect(TerminalKnowledge(colorTerm: "truecolor").features.trueColor)
    #expect(TerminalKnowledge(colorTerm: "24bit").features.trueColor)
    #expect(!TerminalKnowledge(colorTerm: "256").features.trueColor)
    #expect(!TerminalKnowledge(colorTerm: "").features.trueColor)
  }

  @Test func terminfoRGBOrTcTakesRGB() {
    #expect(TerminalKnowledge(terminfo: TerminfoFacts(rgb: true)).features.trueColor)
  }

  @Test func settingOffWinsOverEverything() {
    var k = answered(.version("kitty(0.35.0)"))
    k.colorTerm = "truecolor"
    k.terminfo.rgb = true
    k.trueColorSetting = false
    #expect(!k.features.trueColor)
    // Only the colours: kitty's other extras stay.
    #expect(k.features.strikethrough && k.features.hyperlinks)
  }

  @Test func settingOnWinsOverAnUnknownTerminal() {
    var k = answered(.version("SomeTerm 1.0"), .secondary([1, 95, 0]))
    #expect(!k.features.trueColor)
    k.trueColorSetting = true
    #expect(k.features.trueColor)
  }

  @Test func xtversionNamesKnownTerminals() {
    for name in [
      "kitty(0.35.0)", "WezTerm 20240203-110809-5046fc22", "foot(1.16.2)", "ghostty 1.1.3",
      "iTerm2 3.5.0", "Rio 0.1.9",
    ] {
      let f = answered(.version(name)).features
      #expect(f.trueColor && f.strikethrough && f.styledUnderlines, "\(name)")
      #expect(f.underlineColor && f.hyperlinks, "\(name)")
    }
  }

  @Test func xtermTakesRGBAndStrikethroughOnly() {
    let f = answered(.version("XTerm(390)")).features
    #expect(f.trueColor && f.strikethrough)
    #expect(!f.styledUnderlines && !f.underlineColor && !f.hyperlinks)
  }

  @Test func tmuxPassesHyperlinksFrom34() {
    #expect(!answered(.version("tmux 3.3a")).features.hyperlinks)
    #expect(answered(.version("tmux 3.3a")).features.trueColor)
    #expect(answered(.version("tmux 3.4")).features.hyperlinks)
    #expect(answered(.version("tmux 3.10")).features.hyperlinks)
    #expect(!answered(.version("tmux next-3.4")).features.hyperlinks)
  }

  @Test func minttyByNameOrDA2() {
    #expect(answered(.version("mintty 3.7.0")).features.trueColor)
    #expect(answered(.secondary([77, 30700, 0])).features.trueColor)
  }

  @Test func da2NamesTmuxAndVTE() {
    #expect(answered(.secondary([84, 0, 0])).features.trueColor)
    let vte = answered(.secondary([65, 6003, 1])).features
    #expect(vte.trueColor && vte.hyperlinks && vte.underlineColor)
    // An older VTE, xterm's and the many terminals that answer 0 or 1.
    #expect(!answered(.secondary([65, 5200, 1])).features.trueColor)
    #expect(!answered(.secondary([0, 10, 1])).features.trueColor)
    #expect(!answered(.secondary([1, 95, 0])).features.trueColor)
    #expect(!answered(.secondary([41, 353, 0])).features.trueColor)
  }

  @Test func xtversionWinsOverDA2() {
    // tmux answers DA2 as 'T' and XTVERSION with its name: one terminal.
    let k = answered(.secondary([65, 6003, 1]), .version("XTerm(390)"))
    #expect(k.known?.name == "XTerm")
    #expect(!k.features.hyperlinks)
  }

  @Test func unknownNamesTakeNothing() {
    for text in ["", "(", " ", "xtermish(3)", "kittyx(1)", "\u{1B}"] {
      #expect(answered(.version(text)).features == TerminalFeatures(), "\(text)")
    }
  }

  @Test func synchronizedOutputFromDECRQM() {
    #expect(answered(.mode(2026, 1)).features.synchronizedOutput)
    #expect(answered(.mode(2026, 2)).features.synchronizedOutput)
    #expect(!answered(.mode(2026, 0)).features.synchronizedOutput)
    #expect(!answered(.mode(2026, 4)).features.synchronizedOutput)
    #expect(!answered(.mode(2004, 1)).features.synchronizedOutput)
    #expect(
      TerminalKnowledge(terminfo: TerminfoFacts(synchronizedOutput: true)).features
        .synchronizedOutput)
  }

  @Test func terminfoCapabilitiesTurnOnTheirExtras() {
    let f = TerminalKnowledge(
      terminfo: TerminfoFacts(strikethrough: true, styledUnderlines: true, underlineColor: true)
    ).features
    #expect(f.strikethrough && f.styledUnderlines && f.underlineColor)
    #expect(!f.trueColor && !f.hyperlinks)
  }

  @Test func da1AloneSaysNothing() {
    #expect(answered(.primary([64, 1, 2, 6, 9, 15, 18, 21, 22])).features == TerminalFeatures())
  }
}
