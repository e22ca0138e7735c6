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
