// The decorations (underline colour, hyperlink) a terminal's cells refer to
// by the one-byte key in Style.decoration. Keys are interned: one key per
// distinct decoration, 1...255 (0 is none). The table is bounded: when it is
// full, the terminal collects the keys nothing on its screens uses any more
// (Decorations.swift) and, if none are free, a new decoration is not kept.
// So a program flooding distinct links cannot grow memory past 255 entries
// of at most Hyperlink.maxURI + maxID bytes each.

struct DecorationTable {
  /// Keys 1...capacity.
  static let capacity = 255

  /// slots[key - 1]: the decoration of each key, nil where the key is free.
  private(set) var slots: [Decoration?] = []
  private var keys: [Decoration: UInt8] = [:]
  /// Keys freed by a collection, reused before the table grows.
  private var free: [UInt8] = []

  /// How many keys are taken.
  var count: Int { keys.count }

  var isFull: Bool { keys.count >= DecorationTable.capacity }

  /// The decoration of `key`, or nil for 0 and keys not in use.
  subscript(_ key: UInt8) -> Decoration? {
    let i = Int(key) - 1
    return i >= 0 && i < slots.count ? slots[i] : nil
  }

  /// The key of `d` if it has one already.
  func key(of d: Decoration) -> UInt8? {
    d == .none ? 0 : keys[d]
  }

  /// The key of `d`, taking a new one if there is room; nil when full.
  mutating func insert(_ d: Decoration) -> UInt8? {
    if d == .none { return 0 }
    if let k = keys[d] { return k }
    let k: UInt8
    if let reused = free.popLast() {
      k = reused
      slots[Int(k) - 1] = d
    } else if slots.count < DecorationTable.capacity {
      slots.append(d)
      k = UInt8(slots.count)
    } else {
      return nil
    }
    keys[d] = k
    return k
  }

  /// Frees every key whose entry in `used` (indexed by key) is false.
  /// Returns how many were freed.
  @discardableResult
  mutating func collect(keeping used: [Bool]) -> Int {
    var freed = 0
    for i in 0..<slots.count {
      guard let d = slots[i], !(i + 1 < used.count && used[i + 1]) else { continue }
      slots[i] = nil
      keys[d] = nil
      free.append(UInt8(i + 1))
      freed += 1
    }
    if keys.isEmpty {
      // Nothing left: give the memory back.
      slots = []
      free = []
    }
    return freed
  }

  /// A table holding exactly `entries` as keys 1...entries.count (a
  /// snapshot's); nil if there are too many or one repeats or is none.
  init?(entries: [Decoration?]) {
    guard entries.count <= DecorationTable.capacity else { return nil }
    for (i, d) in entries.enumerated() {
      guard let d else {
        free.append(UInt8(i + 1))
        slots.append(nil)
        continue
      }
      guard d != .none, keys[d] == nil else { return nil }
      slots.append(d)
      keys[d] = UInt8(i + 1)
    }
    // Lowest keys reused first, as a fresh table would hand them out.
    free.reverse()
  }

  init() {}
}
