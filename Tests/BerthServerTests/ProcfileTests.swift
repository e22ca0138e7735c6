// Procfile and .env parsing, as foreman and overmind read them.
import BerthSystem
import Testing

@Suite struct ProcfileTests {
  @Test func entriesCommentsAndBlankLines() throws {
    let text = "# c\nweb: bundle exec puma -p $PORT\n\n  worker_1:sleep 1\r\n"
    let entries = try Procfile.parse(text).get()
    #expect(entries.map(\.name) == ["web", "worker_1"])
    #expect(entries.map(\.command) == ["bundle exec puma -p $PORT", "sleep 1"])
    #expect(entries.map(\.line) == [2, 4])
  }

  @Test func malformedLinesNameTheirNumber() {
    #expect(
      Procfile.parse("web: a\nno colon\n")
        == .failure(.init(line: 2, message: "not `name: command`")))
    #expect(
      Procfile.parse("w b: a\n")
        == .failure(.init(line: 1, message: "a name is letters, digits, _ and - only")))
    #expect(Procfile.parse("web:\n") == .failure(.init(line: 1, message: "web has no command")))
    #expect(
      Procfile.parse("a: x\na: y\n") == .failure(.init(line: 2, message: "a is declared twice")))
    #expect(Procfile.parse("# only\n") == .failure(.init(line: 0, message: "no entries")))
  }

  @Test func dotEnvValues() throws {
    let text = """
      # comment
      A=plain value # comment
      export B="x\\ny \\"q\\""
      C='$HOME #not'
      D=
      E=a#b

      """
    let pairs = try DotEnv.parse(text).get()
    #expect(pairs.map(\.0) == ["A", "B", "C", "D", "E"])
    #expect(pairs.map(\.1) == ["plain value", "x\ny \"q\"", "$HOME #not", "", "a#b"])
  }

  @Test func badDotEnvLines() {
    #expect(throws: ProcfileError.self) { try DotEnv.parse("NOEQUALS\n").get() }
    #expect(throws: ProcfileError.self) { try DotEnv.parse("1A=x\n").get() }
    #expect(throws: ProcfileError.self) { try DotEnv.parse("A=\"open\n").get() }
  }
}
