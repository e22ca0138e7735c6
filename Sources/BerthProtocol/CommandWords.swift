// screen's word splitting for command lines: the C-a : prompt, `-X`
// (already split by the shell) and berthrc lines all end up as argv here.
// Blanks separate words; double or single quotes keep blanks in one word;
// a backslash outside single quotes makes a blank, quote or # part of the
// word (and is kept before anything else, for escapes such as \n);
// an unquoted # at the start of a word begins a comment.

public enum CommandWords {
  public static func split(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    var escaped = false
    for ch in line {
      if escaped {
        // A blank, quote or # is just itself; anything else keeps its
        // backslash for the command to read (stuff's \n, bind's \033).
        if !(ch == " " || ch == "\t" || ch == "\"" || ch == "'" || ch == "#") {
          current.append("\\")
        }
        current.append(ch)
        escaped = false
        inWord = true
      } else if ch == "\\" && quote != "'" {
        escaped = true
      } else if let q = quote {
        if ch == q { quote = nil } else { current.append(ch) }
      } else if ch == "\"" || ch == "'" {
        quote = ch
        inWord = true
      } else if ch == " " || ch == "\t" {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else if ch == "#" && !inWord {
        break
      } else {
        current.append(ch)
        inWord = true
      }
    }
    if escaped { current.append("\\") }
    if inWord || escaped { words.append(current) }
    return words
  }

  /// A startup-file line with its environment variables put in, as screen
  /// does before it splits the line: `$NAME` and `${NAME}` outside single
  /// quotes take `lookup`'s value (nothing when unset); `\$` is a plain `$`,
  /// and so is a `$` that starts no name. nil when a `${` is never closed.
  public static func expandingVariables(_ line: String, lookup: (String) -> String?) -> String? {
    var out = ""
    var chars = line[...]
    var single = false
    var double = false
    func isNameCharacter(_ c: Character) -> Bool {
      c.isASCII && (c.isLetter || c.isNumber || c == "_")
    }
    while let ch = chars.popFirst() {
      if ch == "\\" && !single, let next = chars.first {
        chars = chars.dropFirst()
        // \$ is a dollar, not a variable; other escapes are the splitter's.
        if next != "$" { out.append("\\") }
        out.append(next)
        continue
      }
      if ch == "'" && !double {
        single.toggle()
      } else if ch == "\"" && !single {
        double.toggle()
      } else if ch == "$" && !single {
        if chars.first == "{" {
          guard let close = chars.firstIndex(of: "}") else { return nil }
          let name = chars[chars.index(after: chars.startIndex)..<close]
          out += lookup(String(name)) ?? ""
          chars = chars[chars.index(after: close)...]
          continue
        }
        let name = chars.prefix(while: isNameCharacter)
        if !name.isEmpty {
          out += lookup(String(name)) ?? ""
          chars = chars.dropFirst(name.count)
          continue
        }
      }
      out.append(ch)
    }
    return out
  }
}
