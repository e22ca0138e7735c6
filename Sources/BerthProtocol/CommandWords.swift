// screen's word splitting for command lines: the C-a : prompt, `-X`
// (already split by the shell) and berthrc lines all end up as argv here.
// Blanks separate words; double or single quotes keep blanks in one word;
// a backslash outside single quotes keeps the next character as it is;
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
        // Kept with its backslash: the command decides (stuff's \n, bind's \033).
        current.append("\\")
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
}
