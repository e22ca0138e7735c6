// Text from the fixed buffers C calls fill in (getcwd, gethostname, readlink,
// strftime): they leave a NUL after the text in a zero-filled buffer.

extension String {
  /// The text before the first NUL of `buffer` (all of it without one),
  /// with invalid UTF-8 repaired.
  public init(cBuffer buffer: [CChar]) {
    let end = buffer.firstIndex(of: 0) ?? buffer.count
    self.init(decoding: buffer[..<end].lazy.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
