// A small JSON value, written and read by hand (no Foundation): what
// `status-json` answers, what ended-session records hold and what
// `berth --status --json` prints. Only what those need: integers (no
// fractions), strings, arrays, objects with their keys in order. Reading
// refuses anything else, and anything nested deeper than `maxDepth`, with
// nil: its input comes from files and sockets.

public enum JSON: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int64)
  case string(String)
  case array([JSON])
  case object([(String, JSON)])

  public static func == (a: JSON, b: JSON) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The member `key` of an object, or nil.
  public subscript(key: String) -> JSON? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var int: Int64? {
    if case .int(let n) = self { return n }
    return nil
  }

  public var array: [JSON]? {
    if case .array(let a) = self { return a }
    return nil
  }

  // MARK: - Writing

  /// The value as JSON text; `indent` > 0 puts each member on its own line.
  public func text(indent: Int = 0) -> String {
    var out = ""
    write(into: &out, indent: indent, level: 0)
    return out
  }

  private func write(into out: inout String, indent: Int, level: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let n): out += String(n)
    case .string(let s): JSON.quote(s, into: &out)
    case .array(let items):
      writeList(items.map { (nil, $0) }, open: "[", close: "]", into: &out, indent, level)
    case .object(let members):
      writeList(members.map { ($0.0, $0.1) }, open: "{", close: "}", into: &out, indent, level)
    }
  }

  private func writeList(
    _ items: [(String?, JSON)], open: String, close: String, into out: inout String,
    _ indent: Int, _ level: Int
  ) {
    out += open
    guard !items.isEmpty else {
      out += close
      return
    }
    let inner = indent > 0 ? "\n" + String(repeating: " ", count: indent * (level + 1)) : ""
    for (i, (key, value)) in items.enumerated() {
      if i > 0 { out += "," }
      out += inner
      if let key {
        JSON.quote(key, into: &out)
        out += indent > 0 ? ": " : ":"
      }
      value.write(into: &out, indent: indent, level: level + 1)
    }
    if indent > 0 { out += "\n" + String(repeating: " ", count: indent * level) }
    out += close
  }

  /// A string in quotes, with quotes, backslashes and control characters escaped.
  static func quote(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where u.value < 0x20 || u.value == 0x7F:
        let hex = String(u.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(u)
      }
    }
    out += "\""
  }

  // MARK: - Reading

  public static let maxDepth = 32

  /// The value `text` holds, or nil when it is not JSON this type reads.
  public init?(parsing text: String) {
    var reader = Reader(bytes: Array(text.utf8))
    guard let value = reader.value(depth: 0) else { return nil }
    reader.skipSpace()
    guard reader.at == reader.bytes.count else { return nil }
    self = value
  }

  private struct Reader {
    let bytes: [UInt8]
    var at = 0

    mutating func skipSpace() {
      while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    mutating func take(_ word: String) -> Bool {
      let w = Array(word.utf8)
      guard bytes.count - at >= w.count, Array(bytes[at..<at + w.count]) == w else { return false }
      at += w.count
      return true
    }

    mutating func value(depth: Int) -> JSON? {
      guard depth < JSON.maxDepth else { return nil }
      skipSpace()
      guard at < bytes.count else { return nil }
      switch bytes[at] {
      case UInt8(ascii: "n"): return take("null") ? .null : nil
      case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
      case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
      case UInt8(ascii: "\""): return string().map(JSON.string)
      case UInt8(ascii: "["):
        at += 1
        var items: [JSON] = []
        skipSpace()
        if take("]") { return .array(items) }
        while true {
          guard let v = value(depth: depth + 1) else { return nil }
          items.append(v)
          skipSpace()
          if take("]") { return .array(items) }
          guard take(",") else { return nil }
        }
      case UInt8(ascii: "{"):
        at += 1
        var members: [(String, JSON)] = []
        skipSpace()
        if take("}") { return .object(members) }
        while true {
          skipSpace()
          guard at < bytes.count, bytes[at] == UInt8(ascii: "\""), let key = string() else {
            return nil
          }
          skipSpace()
          guard take(":"), let v = value(depth: depth + 1) else { return nil }
          members.append((key, v))
          skipSpace()
          if take("}") { return .object(members) }
          guard take(",") else { return nil }
        }
      default:
        return number()
      }
    }

    /// An integer, as this type writes them (at most 18 digits).
    mutating func number() -> JSON? {
      var negative = false
      if at < bytes.count, bytes[at] == UInt8(ascii: "-") {
        negative = true
        at += 1
      }
      var n: Int64 = 0
      var digits = 0
      while at < bytes.count, (0x30...0x39).contains(bytes[at]), digits < 18 {
        n = n * 10 + Int64(bytes[at] - 0x30)
        at += 1
        digits += 1
      }
      guard digits > 0, at >= bytes.count || !(0x30...0x39).contains(bytes[at]) else { return nil }
      return .int(negative ? -n : n)
    }

    /// A quoted string; the reader is at its opening quote.
    mutating func string() -> String? {
      at += 1
      var out: [UInt8] = []
      while at < bytes.count {
        let b = bytes[at]
        at += 1
        switch b {
        case UInt8(ascii: "\""):
          return String(validating: out, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard at < bytes.count else { return nil }
          let e = bytes[at]
          at += 1
          switch e {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "u"):
            guard let unit = hex4() else { return nil }
            var scalar = unit
            if (0xD800..<0xDC00).contains(unit) {
              // A surrogate pair: the low half must follow.
              guard take("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else {
                return nil
              }
              scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let u = Unicode.Scalar(scalar) else { return nil }
            out.append(contentsOf: Array(String(Character(u)).utf8))
          default: return nil
          }
        case 0..<0x20:
          return nil
        default:
          out.append(b)
        }
      }
      return nil
    }

    mutating func hex4() -> UInt32? {
      guard bytes.count - at >= 4 else { return nil }
      var v: UInt32 = 0
      for _ in 0..<4 {
        guard let d = hexDigit(bytes[at]) else { return nil }
        v = v << 4 | d
        at += 1
      }
      return v
    }

    func hexDigit(_ b: UInt8) -> UInt32? {
      switch b {
      case 0x30...0x39: return UInt32(b - 0x30)
      case 0x41...0x46: return UInt32(b - 0x41 + 10)
      case 0x61...0x66: return UInt32(b - 0x61 + 10)
      default: return nil
      }
    }
  }
}
