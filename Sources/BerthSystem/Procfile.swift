// Procfiles as foreman and overmind read them: `name: command` a line,
// blank lines and `#` comments skipped, names of letters, digits, _ and -.
// A line that is none of these is an error naming its line number.

public struct ProcfileEntry: Equatable, Sendable {
  public let name: String
  public let command: String
  public let line: Int
}

public enum Procfile {
  /// The entries of `text`, or the first malformed line as "LINE: why".
  public static func parse(_ text: String) -> Result<[ProcfileEntry], ProcfileError> {
    var entries: [ProcfileEntry] = []
    for (i, raw) in lines(of: text).enumerated() {
      let number = i + 1
      let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
      let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      guard let colon = trimmed.firstIndex(of: ":") else {
        return .failure(ProcfileError(line: number, message: "not `name: command`"))
      }
      let name = String(trimmed[..<colon])
      guard !name.isEmpty, name.allSatisfy(isNameCharacter) else {
        return .failure(
          ProcfileError(line: number, message: "a name is letters, digits, _ and - only"))
      }
      let command = trimmed[trimmed.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
      guard !command.isEmpty else {
        return .failure(ProcfileError(line: number, message: "\(name) has no command"))
      }
      guard !entries.contains(where: { $0.name == name }) else {
        return .failure(ProcfileError(line: number, message: "\(name) is declared twice"))
      }
      entries.append(ProcfileEntry(name: name, command: String(command), line: number))
    }
    guard !entries.isEmpty else { return .failure(ProcfileError(line: 0, message: "no entries")) }
    return .success(entries)
  }

  /// The lines of `text`; a CRLF ends a line too (one Character in Swift).
  static func lines(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
  }

  static func isNameCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
  }
}

public struct ProcfileError: Error, Equatable, Sendable {
  /// 1-based; 0 for the file as a whole.
  public let line: Int
  public let message: String

  public init(line: Int, message: String) {
    self.line = line
    self.message = message
  }
}
