// The paste buffer and the registers, and moving them through files, as
// screen's commands do: paste, register, readreg, readbuf, writebuf,
// bufferfile and removebuf. Scripts use them to type text into a window
// (`berth -X readbuf file` then `berth -X paste .`); editors' plugins
// use the registers (`readreg p file`, `paste p`).
import BerthSystem
import Glibc

extension SessionServer {
  /// screen's exchange file, for readbuf and writebuf without a file name.
  static let defaultBufferFile = "/tmp/screen-exchange"
  /// The most a file read into a buffer or a register may hold.
  static let bufferFileLimit = 16 << 20

  /// register [-e encoding] key string: the string, escapes decoded, into
  /// the register.
  func registerCommand(_ args: [String]) -> (Int32, String) {
    var rest = args[...]
    if let problem = takeEncoding(&rest, "register") { return problem }
    guard rest.count == 2, let key = registerKey(rest.first) else {
      return (1, "register: usage: register [-e encoding] key string")
    }
    setRegister(key, StringEscapes.decode(rest.last ?? ""))
    return (0, "")
  }

  /// readreg [-e encoding] register [file]: the file into the register; or,
  /// without a file, a copy of the paste buffer.
  func readregCommand(_ args: [String]) -> (Int32, String) {
    var rest = args[...]
    if let problem = takeEncoding(&rest, "readreg") { return problem }
    guard (1...2).contains(rest.count), let key = registerKey(rest.first) else {
      return (1, "readreg: usage: readreg [-e encoding] register [file]")
    }
    guard rest.count == 2, let path = rest.last else {
      setRegister(key, pasteBuffer)
      return (0, "")
    }
    switch readBufferFile(path) {
    case .success(let bytes): setRegister(key, bytes)
    case .failure(let error): return (1, "readreg: \(error.text)")
    }
    return (0, "")
  }

  /// readbuf [-e encoding] [file]: the file (or the buffer file) into the
  /// paste buffer.
  func readbufCommand(_ args: [String]) -> (Int32, String) {
    var rest = args[...]
    if let problem = takeEncoding(&rest, "readbuf") { return problem }
    guard rest.count <= 1 else { return (1, "readbuf: usage: readbuf [-e encoding] [file]") }
    let path = rest.first ?? bufferFile
    switch readBufferFile(path) {
    case .success(let bytes):
      pasteBuffer = bytes
      return (0, "")
    case .failure(let error):
      return (1, "readbuf: \(error.text)")
    }
  }

  /// writebuf [-e encoding] [file]: the paste buffer into the file (or the
  /// buffer file).
  func writebufCommand(_ args: [String]) -> (Int32, String) {
    var rest = args[...]
    if let problem = takeEncoding(&rest, "writebuf") { return problem }
    guard rest.count <= 1 else { return (1, "writebuf: usage: writebuf [-e encoding] [file]") }
    let path = rest.first ?? bufferFile
    if let error = writeBufferFile(path, BufferText.filed(pasteBuffer)) {
      return (1, "writebuf: \(error.text)")
    }
    return (0, "")
  }

  func bufferfileCommand(_ args: [String]) -> (Int32, String) {
    guard args.count <= 1 else { return (1, "bufferfile: usage: bufferfile [file]") }
    // Without a file, screen's default again.
    settings.bufferFile = args.first.flatMap { $0.isEmpty ? nil : $0 }
    return (0, "")
  }

  func removebufCommand(_ args: [String]) -> (Int32, String) {
    guard args.isEmpty else { return (1, "removebuf: usage: removebuf") }
    guard unlink(bufferFile) == 0 || errno == ENOENT else {
      return (
        1, "removebuf: cannot remove \(visible(bufferFile)): \(SystemError.text(for: errno))"
      )
    }
    return (0, "")
  }

  var bufferFile: String { settings.bufferFile ?? Self.defaultBufferFile }

  /// `paste [registers [dest]]`: the registers' contents one after another
  /// ("." is the paste buffer, and the default), typed into the window, or
  /// kept in `dest`.
  func pasteCommand(_ args: [String], into w: Window?) -> (Int32, String) {
    let names = args.first ?? "."
    guard args.count <= 2, !names.isEmpty else {
      return (1, "paste: usage: paste [registers [destination]]")
    }
    var text: [UInt8] = []
    for name in names.utf8 {
      guard let key = registerKey(String(UnicodeScalar(name))) else {
        return (1, "paste: '\(visible(String(UnicodeScalar(name))))' is not a register")
      }
      text += register(key)
    }
    if args.count == 2 {
      guard let destination = registerKey(args[1]) else {
        return (1, "paste: '\(visible(args[1]))' is not a register")
      }
      setRegister(destination, text)
      return (0, "")
    }
    guard let w else { return (1, "paste: there is no window") }
    guard !text.isEmpty else { return (1, "empty buffer") }
    // Typed as screen types it: the bytes as they are, never inside
    // bracketed-paste codes (scripts such as vim-slime send lines that must
    // run, not sit in the shell's line editor). A user's own paste from
    // their terminal keeps its brackets: that goes through Window.paste.
    w.queueRaw(text)
    return (0, "")
  }

  /// A register's name: one printable ASCII character ("." is the paste buffer).
  private func registerKey(_ name: String?) -> UInt8? {
    guard let name, name.utf8.count == 1, let b = name.utf8.first, b > 0x20, b < 0x7F else {
      return nil
    }
    return b
  }

  private func register(_ key: UInt8) -> [UInt8] {
    key == UInt8(ascii: ".") ? pasteBuffer : registers[key] ?? []
  }

  private func setRegister(_ key: UInt8, _ bytes: [UInt8]) {
    if key == UInt8(ascii: ".") { pasteBuffer = bytes } else { registers[key] = bytes }
  }

  /// Takes `-e encoding` from the front: berth's buffers are UTF-8 and
  /// take no other.
  private func takeEncoding(_ rest: inout ArraySlice<String>, _ name: String) -> (Int32, String)? {
    guard rest.first == "-e" else { return nil }
    rest = rest.dropFirst()
    guard let encoding = rest.first else { return (1, "\(name): -e needs an encoding") }
    rest = rest.dropFirst()
    let plain = encoding.lowercased().filter { $0 != "-" }
    return plain == "utf8" ? nil : (1, "\(name): only utf8 is supported, not \(visible(encoding))")
  }

  /// A file's bytes, all of them or an error.
  private func readBufferFile(_ path: String) -> Result<[UInt8], BufferFileError> {
    guard let bytes = FD.readFile(path, limit: Self.bufferFileLimit) else {
      return .failure(BufferFileError("cannot read", path, errno))
    }
    guard bytes.count <= Self.bufferFileLimit else {
      return .failure(BufferFileError("\(visible(path)) is over 16 MiB"))
    }
    return .success(BufferText.typed(bytes))
  }

  /// Writes bytes over a file (created as hardcopy creates its files). A
  /// symlink is not followed: the default file is in /tmp, where anyone
  /// could plant one.
  private func writeBufferFile(_ path: String, _ bytes: [UInt8]) -> BufferFileError? {
    switch FD.writeFile(path, bytes, append: false, followLinks: false) {
    case .open(let code)?: return BufferFileError("cannot open", path, code)
    case .write(let code)?: return BufferFileError("cannot write", path, code)
    case nil: return nil
    }
  }
}

/// The paste buffer's and registers' convention, screen's: lines end in CR
/// inside, so that a pasted line is entered as Enter enters it; files (and
/// the user's clipboard) have them end in LF.
enum BufferText {
  /// Text from a file or copy mode, as the buffers keep it.
  static func typed(_ bytes: [UInt8]) -> [UInt8] { bytes.map { $0 == 0x0A ? 0x0D : $0 } }
  /// A buffer's text as a file holds it.
  static func filed(_ bytes: [UInt8]) -> [UInt8] { bytes.map { $0 == 0x0D ? 0x0A : $0 } }
}

/// Why a buffer's file could not be read or written, as one line.
struct BufferFileError: Error {
  let text: String
  init(_ text: String) { self.text = text }
  init(_ what: String, _ path: String, _ code: Int32) {
    text = "\(what) \(visible(path)): \(SystemError.text(for: code))"
  }
}
