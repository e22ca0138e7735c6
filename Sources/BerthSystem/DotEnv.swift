// `.env` files as foreman and dotenv read them: KEY=VALUE lines, `#`
// comments, an optional `export `, values bare (to a ` #` comment),
// '...' taken literally, or "..." with \n, \t, \" and \\ escapes.

public enum DotEnv {
  /// The pairs of `text`, in order, or the first malformed line.
  public static func parse(_ text: String) -> Result<[(String, String)], ProcfileError> {
    var pairs: [(String, String)] = []
    for (i, raw) in Procfile.lines(of: text).enumerated() {
      var line = raw.hasSuffix("\r") ? raw.dropLast() : raw
      line = line.drop(while: { $0 == " " || $0 == "\t" })
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") { line = line.dropFirst(7).drop(while: { $0 == " " }) }
      guard let eq = line.firstIndex(of: "=") else {
        return .failure(ProcfileError(line: i + 1, message: "not KEY=VALUE"))
      }
      let key = String(line[..<eq]).trimmingBlanks()
      guard let first = key.first, !first.isNumber,
        key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
      else {
        return .failure(ProcfileError(line: i + 1, message: "a bad variable name"))
      }
      guard let value = self.value(line[line.index(after: eq)...]) else {
        return .failure(ProcfileError(line: i + 1, message: "a quote without its end"))
      }
      pairs.append((key, value))
    }
    return .success(pairs)
  }

  static func value(_ raw: Substring) -> String? {
    let text = raw.drop(while: { $0 == " " || $0 == "\t" })
    guard let quote = text.first, quote == "'" || quote == "\"" else {
      // Bare: up to a comment, blanks around it dropped.
      var out = ""
      var previous: Character = " "
      for c in text {
        if c == "#" && (previous == " " || previous == "\t") { break }
        out.append(c)
        previous = c
      }
      return out.trimmingBlanks()
    }
    var out = ""
    var escaped = false
    for c in text.dropFirst() {
      if escaped {
        switch c {
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "\"", "\\": out.append(c)
        default: out += "\\" + String(c)
        }
        escaped = false
      } else if c == "\\" && quote == "\"" {
        escaped = true
      } else if c == quote {
        return out
      } else {
        out.append(c)
      }
    }
    return nil
  }
}

extension String {
  func trimmingBlanks() -> String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    return String(self.drop(while: blank).reversed().drop(while: blank).reversed())
  }
}
