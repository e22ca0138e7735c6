// The command table is the one place that knows every command: each name
// once, each documented in the man page's COMMANDS section, and the
// read-only rules where a client could type into a program.
import Glibc
import Testing

@testable import BerthServer

@Test func everyCommandIsInTheTableOnce() {
  #expect(CommandEntry.named.count == CommandEntry.all.count)
  for entry in CommandEntry.all {
    #expect(!entry.name.isEmpty && !entry.usage.contains("\\"), "\(entry.name)")
  }
}

@Test func aReadOnlyClientMayLookButNotTouch() {
  for name in ["stuff", "paste", "process", "exec", "kill", "quit", "screen", "bind", "title"] {
    #expect(CommandEntry.named[name]?.readOnlyAllowed == false, "\(name)")
  }
  for name in ["detach", "select", "windows", "copy", "split", "help", "commands", "echo"] {
    #expect(CommandEntry.named[name]?.readOnlyAllowed == true, "\(name)")
  }
}

@Test func theManPageDocumentsEveryCommand() throws {
  let documented = try commandsSectionHeads()
  #expect(documented.count > 50, "the man page's COMMANDS section was not found")
  for entry in CommandEntry.all {
    let isDocumented = documented.contains(entry.name)
    #expect(isDocumented, "\(entry.name) is not documented in man/berth.1")
  }
}

/// The words of the man page's COMMANDS entries' heads (the line after
/// each .TP), without roff's escapes.
private func commandsSectionHeads() throws -> Set<String> {
  let root = "\(#filePath)".split(separator: "/").dropLast(3).joined(separator: "/")
  let text = try #require(readWholeFile("/" + root + "/man/berth.1"))
  let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  guard let start = lines.firstIndex(of: ".SH COMMANDS") else { return [] }
  let section = lines[(start + 1)...].prefix { !$0.hasPrefix(".SH ") }
  var words: Set<String> = []
  var previous = ""
  for line in section {
    defer { previous = line }
    guard previous == ".TP" else { continue }
    var plain = line.replacingOccurrences(of: "\\-", with: "-")
    for font in ["\\fB", "\\fI", "\\fP", "\\fR"] {
      plain = plain.replacingOccurrences(of: font, with: " ")
    }
    let isWordCharacter: (Character) -> Bool = {
      $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-"
    }
    for word in plain.split(whereSeparator: { !isWordCharacter($0) }) { words.insert(String(word)) }
  }
  return words
}

private func readWholeFile(_ path: String) -> String? {
  guard let file = fopen(path, "r") else { return nil }
  defer { fclose(file) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = fread(&chunk, 1, chunk.count, file)
    if n <= 0 { break }
    bytes += chunk[0..<n]
  }
  return String(decoding: bytes, as: UTF8.self)
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
