// The message line's questions: what typing makes of them.
import BerthProtocol
import Testing

@testable import BerthClient

private func typing(_ text: String, into prompt: Prompt) -> PromptLine.Outcome {
  var line = PromptLine(prompt)
  var outcome = PromptLine.Outcome.editing
  for b in text.utf8 { outcome = line.type(b) }
  return outcome
}

@Test func aCommandLineIsSplitAsBerthrcLinesAre() {
  let colon = Prompt(kind: .commandLine, text: ":")
  #expect(
    typing("hardstatus alwayslastline \"%n %t\"\r", into: colon)
      == .submit(["hardstatus", "alwayslastline", "%n %t"]))
  #expect(
    typing("bind v split -v # side by side\r", into: colon)
      == .submit(["bind", "v", "split", "-v"]))
  #expect(typing("   \r", into: colon) == .cancelled)
  #expect(typing("split\u{1B}", into: colon) == .cancelled)
}

@Test func aLineAnswerIsAppendedToItsCommandAndEditable() {
  let title = Prompt(
    kind: .line, text: "Set window's title to: ", initial: "bash", command: ["title"])
  #expect(typing("\u{15}two words\r", into: title) == .submit(["title", "two words"]))
  #expect(typing("\u{7F}\u{7F}\u{7F}\u{7F}vim\r", into: title) == .submit(["title", "vim"]))
  let kill = Prompt(kind: .confirm, text: "Really kill this window [y/n]", command: ["kill"])
  #expect(typing("y", into: kill) == .submit(["kill"]))
  #expect(typing("n", into: kill) == .cancelled)
}

@Test func theLineEditsAtItsCursorAsScreensInputLine() {
  let title = Prompt(
    kind: .line, text: "Set window's title to: ", initial: "byobu-shell", command: ["title"])
  // byobu's F8: Home, C-k, Backspace leave an empty line to type into.
  var line = PromptLine(title)
  #expect(line.press(.home) == .editing)
  for b in "\u{0B}\u{08}new".utf8 { _ = line.type(b) }
  #expect(line.type(0x0D) == .submit(["title", "new"]))
  // C-a, C-f, C-d, C-e and C-b move and delete where the cursor is.
  #expect(
    typing("\u{01}\u{06}\u{04}X\u{05}\u{02}Y\r", into: title) == .submit(["title", "bXobu-shelYl"]))
  // C-w erases the word before the cursor; the cursor column follows.
  var words = PromptLine(Prompt(kind: .commandLine, text: ":", initial: "select two"))
  _ = words.type(0x17)
  #expect(words.display == ":select ")
  #expect(words.cursorColumn == 8)
  _ = words.press(.left)
  #expect(words.cursorColumn == 7)
  #expect(typing("\u{03}", into: title) == .cancelled)
}

@Test func tabCompletesACommandNameThatOnlyOneBeginsWith() {
  let colon = Prompt(
    kind: .commandLine, text: ":",
    command: ["hardcopy", "hardcopy_append", "hardcopydir", "hardstatus", "sessionname"])
  var line = PromptLine(colon)
  for b in "sessi\t".utf8 { _ = line.type(b) }
  #expect(line.display == ":sessionname ")
  // Several names begin so: nothing changes, as in screen.
  line = PromptLine(colon)
  for b in "hardc\t".utf8 { _ = line.type(b) }
  #expect(line.display == ":hardc")
  // Only the command's own name is completed, not its arguments.
  line = PromptLine(colon)
  for b in "echo hards\t".utf8 { _ = line.type(b) }
  #expect(line.display == ":echo hards")
  #expect(typing("hards\tlastline\r", into: colon) == .submit(["hardstatus", "lastline"]))
}
