// Command lines split into words as screen splits them, for the prompt,
// -X and berthrc lines alike.
import BerthProtocol
import Testing

@Test func blanksSeparateWordsAndQuotesKeepThem() {
  #expect(CommandWords.split("  title 'two words'  ") == ["title", "two words"])
  #expect(CommandWords.split("hardstatus string \"%w %h\"") == ["hardstatus", "string", "%w %h"])
  #expect(
    CommandWords.split("bind ^T  screen -t top\ttop") == [
      "bind", "^T", "screen", "-t", "top", "top",
    ])
  #expect(CommandWords.split("") == [])
  #expect(CommandWords.split("'' x") == ["", "x"])
}

@Test func aHashStartingAWordBeginsAComment() {
  #expect(CommandWords.split("# a comment") == [])
  #expect(CommandWords.split("defscrollback 5000 # lines") == ["defscrollback", "5000"])
  #expect(CommandWords.split("stuff a#b") == ["stuff", "a#b"])
}

@Test func backslashesQuoteBlanksAndAreKeptBeforeEscapes() {
  #expect(CommandWords.split("stuff \"ls\\n\"") == ["stuff", "ls\\n"])
  #expect(CommandWords.split("title a\\ b\\\"c") == ["title", "a b\"c"])
  #expect(CommandWords.split("stuff \\\\") == ["stuff", "\\\\"])
  #expect(CommandWords.split("'\\n'") == ["\\n"])
}

@Test func startupFileLinesTakeVariablesAsAScreenrcDoes() {
  let env = ["HOME": "/home/ann", "EMPTY": "", "SPACED": "a b"]
  func expand(_ line: String) -> String? {
    CommandWords.expandingVariables(line, lookup: { env[$0] })
  }
  #expect(expand("logfile $HOME/logs/%n.log") == "logfile /home/ann/logs/%n.log")
  #expect(expand("setenv A \"${HOME}x\"") == "setenv A \"/home/annx\"")
  // Unset is nothing; single quotes and a backslash keep the dollar.
  #expect(expand("setenv A $NOPE-${NOPE}y") == "setenv A -y")
  #expect(expand("setenv B '$HOME'") == "setenv B '$HOME'")
  #expect(expand("setenv C \\$HOME") == "setenv C $HOME")
  // A dollar that starts no name is itself; other escapes are left for the splitter.
  #expect(expand("stuff \"a$ $\"") == "stuff \"a$ $\"")
  #expect(expand("stuff \"ls\\n\" \\\\$HOME") == "stuff \"ls\\n\" \\\\/home/ann")
  // The value is put in before the line is split, as screen does.
  #expect(CommandWords.split(expand("title $SPACED") ?? "") == ["title", "a", "b"])
  #expect(CommandWords.split(expand("title \"$SPACED\"") ?? "") == ["title", "a b"])
  #expect(expand("setenv I ${HOME") == nil)
}
