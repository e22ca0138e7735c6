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
