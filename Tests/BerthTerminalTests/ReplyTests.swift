// What goes back to the program (only the listed queries are answered), and
// what goes to the user: bells, titles, clipboard.

import Testing

@testable import BerthTerminal

@Suite struct ReplyTests {
  @Test func deviceAttributes() {
    let t = Terminal(10, 3)
    t.feed("\(csi)c\(csi)0c")
    #expect(t.replyText == "\(csi)?1;2c\(csi)?1;2c")
    t.feed("\(csi)>c")
    #expect(t.replyText == "\(csi)>83;40900;0c")
    t.feed("\(csi)=c")  // DA3 is not answered
    #expect(t.replyText == "")
  }

  @Test func statusAndCursorPosition() {
    let t = Terminal(10, 5)
    t.feed("\(csi)5n\(csi)3;7H\(csi)6n")
    #expect(t.replyText == "\(csi)0n\(csi)3;7R")
    #expect(t.takeReplies().isEmpty)
  }

  @Test func modeReports() {
    let t = Terminal(10, 3)
    t.feed("\(csi)?2004h\(csi)?2004$p\(csi)?1$p\(csi)?12345$p\(csi)4$p")
    #expect(t.replyText == "\(csi)?2004;1$y\(csi)?1;2$y\(csi)?12345;0$y\(csi)4;2$y")
  }

  @Test func terminalVersion() {
    let t = Terminal(10, 3)
    t.feed("\(csi)>q")
    #expect(t.replyText == "\(esc)P>|berth 0.1\(esc)\\")
  }

  @Test func otherQueriesAreNotAnswered() {
    let t = Terminal(10, 3)
    t.feed("\(csi)14t\(esc)]10;?\u{07}\(esc)P$qm\(esc)\\\(csi)?6n")
    #expect(t.takeReplies().isEmpty)
  }

  @Test func bellsAreCounted() {
    let t = Terminal(10, 3)
    t.feed("a\u{07}b\u{07}\u{07}")
    #expect(t.takeBells() == 3)
    #expect(t.takeBells() == 0)
    #expect(t.line(0) == "ab")
  }

  @Test func titlesAndTitleStack() {
    let t = Terminal(10, 3)
    t.feed("\(esc)]0;first\u{07}")
    #expect(t.title == "first")
    t.feed("\(csi)22;0t\(esc)]2;second\(esc)\\")
    #expect(t.title == "second")
    t.feed("\(esc)]1;icon\u{07}")
    #expect(t.title == "second")
    t.feed("\(csi)23;0t")
    #expect(t.title == "first")
    t.feed("\(csi)23;0t")
    #expect(t.title == "first")
    t.feed("\(esc)]2;caf\u{E9} \u{FF}\u{07}")
    #expect(t.title == "café \u{FF}")
    t.feed([0x1B, 0x5D, 0x32, 0x3B, 0xFF, 0x07])
    #expect(t.title == "\u{FFFD}")
  }

  @Test func clipboardIsStoredOnce() {
    let t = Terminal(10, 3)
    t.feed("\(esc)]52;c;aGVsbG8=\u{07}")
    #expect(t.takeClipboard() == Array("c;aGVsbG8=".utf8))
    #expect(t.takeClipboard() == nil)
  }

  @Test func hyperlinksAreIgnored() {
    let t = Terminal(20, 3)
    t.feed("\(esc)]8;;http://example.com\(esc)\\link\(esc)]8;;\(esc)\\")
    #expect(t.line(0) == "link")
  }
}
