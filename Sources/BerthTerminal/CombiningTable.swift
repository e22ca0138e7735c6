// Combining marks and joined scalars (ZWJ sequences, emoji modifiers) that
// belong to one cell. A cell keeps only a key; the marks live here once,
// de-duplicated, so a screen full of the same accent costs one entry.
// Programs can invent endless combinations, so the table is bounded: past the
// bound a new combination is dropped (the base character stays), never a trap.

struct CombiningTable {
  /// At most this many distinct combinations are kept.
  static let maxEntries = 16_384
  /// At most this many scalars join one base character; the excess is dropped.
  static let maxMarksPerCell = 16

  private var entries: [[UInt32]] = []
  private var keys: [[UInt32]: UInt32] = [:]
  /// Recent (key, mark) -> key answers, direct-mapped: text repeats the same
  /// accents, and hashing an array per mark would dominate.
  private var cachePairs: [UInt64] = []
  private var cacheResults: [UInt32] = []
  private static let cacheSize = 256

  init() {}

  /// A table holding `entries` under keys 1, 2, ... in order (a snapshot's);
  /// nil if they break a bound or one repeats.
  init?(entries list: [[UInt32]]) {
    guard list.count <= CombiningTable.maxEntries else { return nil }
    for marks in list {
      guard !marks.isEmpty && marks.count <= CombiningTable.maxMarksPerCell, keys[marks] == nil
      else { return nil }
      keys[marks] = UInt32(entries.count + 1)
      entries.append(marks)
    }
  }

  /// Every combination, the one of key k at index k - 1.
  var allEntries: [[UInt32]] { entries }

  /// The marks for `key`, or none for 0 or an unknown key.
  func marks(_ key: UInt32) -> [UInt32] {
    let index = Int(key) &- 1
    guard index >= 0 && index < entries.count else { return [] }
    return entries[index]
  }

  /// The key for the marks of `key` followed by `mark`; `key` itself when the
  /// result would exceed a bound.
  mutating func appending(_ mark: UInt32, to key: UInt32) -> UInt32 {
    let pair = UInt64(key) << 32 | UInt64(mark)
    let slot = Int(truncatingIfNeeded: (pair &* 0x9E37_79B9_7F4A_7C15) >> 56)
    if cachePairs.isEmpty {
      cachePairs = [UInt64](repeating: .max, count: CombiningTable.cacheSize)
      cacheResults = [UInt32](repeating: 0, count: CombiningTable.cacheSize)
    }
    if cachePairs[slot] == pair { return cacheResults[slot] }
    let result = lookUp(mark, after: key)
    cachePairs[slot] = pair
    cacheResults[slot] = result
    return result
  }

  private mutating func lookUp(_ mark: UInt32, after key: UInt32) -> UInt32 {
    var list = marks(key)
    guard list.count < CombiningTable.maxMarksPerCell else { return key }
    list.append(mark)
    if let found = keys[list] { return found }
    guard entries.count < CombiningTable.maxEntries else { return key }
    entries.append(list)
    let newKey = UInt32(entries.count)
    keys[list] = newKey
    return newKey
  }

  /// The last scalar joined to `key`, or nil for none.
  func lastMark(_ key: UInt32) -> UInt32? {
    let index = Int(key) &- 1
    guard index >= 0 && index < entries.count else { return nil }
    return entries[index].last
  }
}
