// The session's layouts, as screen's `layout` command keeps them: named
// arrangements of regions, numbered 0 to 9, shared by every client. Each
// client shows its own copy of one (or none); the copy is written back
// when it leaves that layout, if the layout saves itself (autosave).

/// One layout: its number and title, and the regions last saved in it.
final class NamedLayout {
  var number: Int
  var title: String
  /// Whether a client leaving the layout (for another, or by detaching)
  /// saves its regions in it.
  var autosave = true
  var saved: Arrangement

  init(number: Int, title: String, saved: Arrangement) {
    self.number = number
    self.title = title
    self.saved = saved
  }

  /// "0 (main)", as screen's messages name a layout.
  var label: String { "\(number) (\(title))" }
}

struct NamedLayouts {
  /// screen's MAXLAY: layouts are numbered 0 to 9.
  static let limit = 10

  /// In the order they were made: `layout next` and `prev` follow it.
  private(set) var all: [NamedLayout] = []

  /// The layout a client loads as it attaches (`layout attach`).
  enum AttachChoice {
    case none
    /// The layout of the client that last left the session.
    case last
    case layout(NamedLayout)
  }
  var attach = AttachChoice.last
  /// The layout the last client to detach was on.
  var last: NamedLayout?

  var isEmpty: Bool { all.isEmpty }

  /// The layout `attach` names now, if any.
  var attaching: NamedLayout? {
    switch attach {
    case .none: return nil
    case .last: return last
    case .layout(let l): return l
    }
  }

  /// A new layout numbered `start` or the next free number after it
  /// (wrapping), nil when all ten are taken.
  mutating func make(title: String, from start: Int, saved: Arrangement) -> NamedLayout? {
    let first = (0..<Self.limit).contains(start) ? start : 0
    let free = (0..<Self.limit).lazy.map { (first + $0) % Self.limit }.first { n in
      !all.contains { $0.number == n }
    }
    guard let number = free else { return nil }
    let made = NamedLayout(number: number, title: title, saved: saved)
    all.append(made)
    return made
  }

  /// A layout by number (digits below the limit name a number only), else
  /// by title, as screen's FindLayout.
  func find(_ selector: String) -> NamedLayout? {
    if !selector.isEmpty, selector.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let n = Int(selector), n < Self.limit
    {
      return all.first { $0.number == n }
    }
    return titled(selector)
  }

  func titled(_ title: String) -> NamedLayout? {
    all.first { $0.title == title }
  }

  /// The layout after `current` in the order they were made, wrapping (the
  /// first when current is nil); nil when there is none.
  func after(_ current: NamedLayout?) -> NamedLayout? {
    guard let current, let i = all.firstIndex(where: { $0 === current }) else { return all.first }
    return all[(i + 1) % all.count]
  }

  func before(_ current: NamedLayout?) -> NamedLayout? {
    guard let current, let i = all.firstIndex(where: { $0 === current }) else { return all.first }
    return all[(i + all.count - 1) % all.count]
  }

  /// Removes a layout; returns the one that took its place in the order
  /// (the one after it, else the first), for the clients that were on it.
  mutating func remove(_ gone: NamedLayout) -> NamedLayout? {
    guard let i = all.firstIndex(where: { $0 === gone }) else { return nil }
    all.remove(at: i)
    if last === gone { last = nil }
    if case .layout(let l) = attach, l === gone { attach = .last }
    return i < all.count ? all[i] : all.first
  }

  /// Gives `l` number n; the layout that had n takes l's old number.
  func renumber(_ l: NamedLayout, to n: Int) {
    if let holder = all.first(where: { $0.number == n }) { holder.number = l.number }
    l.number = n
  }

  /// "0 main  1* other": each layout by number, `*` marking `current`,
  /// titles cut at 20 characters, as screen's `layout show`.
  func listing(marking current: NamedLayout?) -> String {
    all.sorted { $0.number < $1.number }.map { l in
      "\(l.number)\(l === current ? "*" : "") \(l.title.prefix(20))"
    }.joined(separator: "  ")
  }
}
