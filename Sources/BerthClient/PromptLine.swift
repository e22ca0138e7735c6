// A question in the message line (C-a A, C-a ', C-a :, C-a k): the line the
// user edits, and what it turns into when they press Enter. Editing keys,
// as screen's input line has them: Backspace, C-a/Home and C-e/End (start,
// end), C-b/Left and C-f/Right, C-d (delete), C-k (erase to the end), C-u
// (erase all), C-w (erase a word); Tab completes a command's name; Escape,
// C-g or C-c cancel.
import BerthProtocol
import BerthTerminal

struct PromptLine {
  enum Outcome: Equatable {
    case editing
    case cancelled
    /// The command to send.
    case submit([String])
  }

  let prompt: Prompt
  private(set) var text: [Unicode.Scalar]
  /// Where typed characters go, in `text`.
  private(set) var cursor: Int
  private var utf8: [UInt8] = []

  init(_ prompt: Prompt) {
    self.prompt = prompt
    text = Array(prompt.initial.unicodeScalars)
    cursor = text.count
  }

  /// What the message line shows.
  var display: String {
    var s = prompt.text
    s.unicodeScalars.append(contentsOf: text)
    return s
  }

  /// The cursor's column in `display` (in characters).
  var cursorColumn: Int { prompt.text.unicodeScalars.count + cursor }

  /// A special key, as its control key (screen reads Home as C-a...).
  mutating func press(_ key: Key) -> Outcome {
    switch key {
    case .home: return type(0x01)
    case .end: return type(0x05)
    case .left: return type(0x02)
    case .right: return type(0x06)
    case .delete: return type(0x04)
    default: return .editing
    }
  }

  private mutating func insert(_ scalar: Unicode.Scalar) {
    text.insert(scalar, at: cursor)
    cursor += 1
  }

  mutating func type(_ b: UInt8) -> Outcome {
    if prompt.kind == .confirm {
      return b == UInt8(ascii: "y") || b == UInt8(ascii: "Y") ? .submit(prompt.command) : .cancelled
    }
    switch b {
    case 0x0D, 0x0A:
      let line = String(String.UnicodeScalarView(text))
      if prompt.kind == .commandLine {
        let words = CommandWords.split(line)
        return words.isEmpty ? .cancelled : .submit(words)
      }
      return line.isEmpty ? .cancelled : .submit(prompt.command + [line])
    case 0x1B, 0x07, 0x03: return .cancelled
    case 0x7F, 0x08:
      if cursor > 0 {
        cursor -= 1
        text.remove(at: cursor)
      }
    case 0x15:
      text.removeAll()
      cursor = 0
    case 0x0B: text.removeSubrange(cursor...)
    case 0x04: if cursor < text.count { text.remove(at: cursor) }
    case 0x01: cursor = 0
    case 0x05: cursor = text.count
    case 0x02: cursor = max(0, cursor - 1)
    case 0x06: cursor = min(text.count, cursor + 1)
    case 0x17:
      var start = cursor
      while start > 0 && text[start - 1] == " " { start -= 1 }
      while start > 0 && text[start - 1] != " " { start -= 1 }
      text.removeSubrange(start..<cursor)
      cursor = start
    case 0x09: completeCommandName()
    case 0x20..<0x7F: insert(Unicode.Scalar(b))
    case 0xC0...0xFF, 0x80..<0xC0:
      // UTF-8: gather a character's bytes, then decode it.
      utf8.append(b)
      var iterator = utf8.makeIterator()
      var decoder = UTF8()
      if case .scalarValue(let s) = decoder.decode(&iterator) {
        insert(s)
        utf8.removeAll()
      } else if utf8.count >= 4 {
        utf8.removeAll()
      }
    default: break
    }
    return .editing
  }

  /// Tab on a command line: the first word, when it begins exactly one
  /// command's name, becomes that name and a blank, as screen's colon
  /// prompt does; otherwise nothing changes.
  private mutating func completeCommandName() {
    guard prompt.kind == .commandLine, cursor == text.count, !text.contains(" ") else { return }
    let typed = String(String.UnicodeScalarView(text))
    let matches = prompt.command.filter { $0.hasPrefix(typed) }
    guard matches.count == 1, let name = matches.first else { return }
    text = Array((name + " ").unicodeScalars)
    cursor = text.count
  }
}
