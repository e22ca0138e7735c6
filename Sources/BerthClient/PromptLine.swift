// A question in the message line (C-a A, C-a ', C-a :, C-a k): the line the
// user edits, and what it turns into when they press Enter. Editing keys:
// Backspace, C-u (erase all), C-w (erase a word); Escape or C-g cancel.
import BerthProtocol

struct PromptLine {
  enum Outcome: Equatable {
    case editing
    case cancelled
    /// The command to send.
    case submit([String])
  }

  let prompt: Prompt
  private(set) var text: [Unicode.Scalar]
  private var utf8: [UInt8] = []

  init(_ prompt: Prompt) {
    self.prompt = prompt
    text = Array(prompt.initial.unicodeScalars)
  }

  /// What the message line shows; the cursor goes at its end.
  var display: String {
    var s = prompt.text
    s.unicodeScalars.append(contentsOf: text)
    return s
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
    case 0x1B, 0x07: return .cancelled
    case 0x7F, 0x08: if !text.isEmpty { text.removeLast() }
    case 0x15: text.removeAll()
    case 0x17:
      while text.last == " " { text.removeLast() }
      while let last = text.last, last != " " { text.removeLast() }
    case 0x20..<0x7F: text.append(Unicode.Scalar(b))
    case 0xC0...0xFF, 0x80..<0xC0:
      // UTF-8: gather a character's bytes, then decode it.
      utf8.append(b)
      var iterator = utf8.makeIterator()
      var decoder = UTF8()
      if case .scalarValue(let s) = decoder.decode(&iterator) {
        text.append(s)
        utf8.removeAll()
      } else if utf8.count >= 4 {
        utf8.removeAll()
      }
    default: break
    }
    return .editing
  }
}
