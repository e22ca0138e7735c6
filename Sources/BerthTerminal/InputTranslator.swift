// Keys typed by the user, rewritten for the window's modes before they reach
// the program: unmodified cursor keys and Home/End are `CSI A`...`CSI F` in
// normal mode and `SS3 A`...`SS3 F` in application cursor mode (DECCKM),
// whichever form the user's terminal sent. Everything else passes unchanged.
//
// A key may arrive split between reads. ESC is passed on at once (a lone
// Escape key must not wait for the next key); only the byte after it, '[' or
// 'O', is held back until the final byte shows whether it needs rewriting.

public struct InputTranslator: Sendable {
  /// 0: plain bytes; 1: after ESC; 2: after ESC and '[' or 'O' (held).
  private var state: UInt8 = 0
  private var held: UInt8 = 0

  public init() {}

  public mutating func translate(
    _ input: UnsafeRawBufferPointer, modes: Modes, into output: inout [UInt8]
  ) {
    output.reserveCapacity(output.count + input.count + 1)
    for byte in input {
      var b = byte
      var again = true
      while again {
        again = false
        switch state {
        case 1:
          if b == UInt8(ascii: "[") || b == UInt8(ascii: "O") {
            held = b
            state = 2
          } else {
            state = 0
            again = true
          }
        case 2:
          state = 0
          switch b {
          case UInt8(ascii: "A"), UInt8(ascii: "B"), UInt8(ascii: "C"), UInt8(ascii: "D"),
            UInt8(ascii: "H"), UInt8(ascii: "F"):
            output.append(modes.applicationCursorKeys ? UInt8(ascii: "O") : UInt8(ascii: "["))
            output.append(b)
          default:
            output.append(held)
            again = true
          }
        default:
          output.append(b)
          if b == 0x1B { state = 1 }
        }
        if again { b = byte }
      }
    }
  }

  /// The byte held back at the end of a read, if any; a caller that knows
  /// no more input is coming (say, after a timeout) can send it on.
  public mutating func flush(into output: inout [UInt8]) {
    if state == 2 { output.append(held) }
    state = 0
  }
}
