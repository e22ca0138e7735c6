// Moving over a terminal's text as screen's copy mode moves: word by word
// (w, e, b and vi's WORD motions E, B), to a character in the line (f, F,
// t, T), to a line's first or last character. Lines are numbered as copy
// mode numbers them: the history first (0 = the oldest line), then the
// screen's rows. Pure reads of the cells, so the motions are tested here.
//
// Words are screen's: letters, digits and `_ . @ : % ! - +` make one kind
// (an e-mail address is one word), other characters another, blanks
// separate; past the end of a line is a blank too. Deviations from screen
// 4.9: E and B stop on the WORD's last or first character as vi does and
// the manual says (screen's own stop one blank beyond it), and characters
// beyond ASCII are word characters when Unicode calls them letters or digits.

/// A place in a terminal's text: a column, and a line counted from the
/// oldest line of history.
public struct TextPosition: Hashable, Sendable {
  public var x: Int
  public var line: Int

  public init(x: Int, line: Int) {
    self.x = x
    self.line = line
  }

  /// Whether self comes before p in reading order.
  public func precedes(_ p: TextPosition) -> Bool { (line, x) < (p.line, p.x) }
}

/// How a word motion moves (screen's nextword flags).
public struct WordMotion: OptionSet, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Towards the start of the text.
  public static let backward = WordMotion(rawValue: 1)
  /// Stops on a word's last character (its first, going backward).
  public static let toEnd = WordMotion(rawValue: 2)
  /// With toEnd: leaves the word the cursor is at the end of.
  public static let mustMove = WordMotion(rawValue: 4)
  /// WORDs: anything between blanks.
  public static let big = WordMotion(rawValue: 8)

  public static let nextStart: WordMotion = []  // w
  public static let nextEnd: WordMotion = [.toEnd, .mustMove]  // e
  public static let previousStart: WordMotion = [.backward, .toEnd, .mustMove]  // b
}

extension Terminal {
  /// History lines and then the screen's rows.
  public var textLineCount: Int { historyCount + rows }

  /// Text line i's cells (a history line keeps the width it was stored with).
  public func withTextLine<R>(_ i: Int, _ body: (UnsafeBufferPointer<Cell>) -> R) -> R {
    i < historyCount ? withHistoryRow(i, body) : withRow(i - historyCount, body)
  }

  /// Text line i continues on the next one (it wrapped at the right margin).
  public func textLineIsWrapped(_ i: Int) -> Bool {
    i < historyCount ? historyRowIsWrapped(i) : rowIsWrapped(i - historyCount)
  }

  // MARK: - Words

  /// The position `count` words away from p (at least one), moving as
  /// `motion` says; where the text ends first, the last word boundary passed.
  public func position(after motion: WordMotion, from p: TextPosition, count: Int = 1)
    -> TextPosition
  {
    let lines = textLineCount
    guard p.line >= 0, p.line < lines else { return p }
    let step = motion.contains(.backward) ? -1 : 1
    let toEnd = motion.contains(.toEnd)
    var remaining = max(count, 1)
    var result = p
    var y = p.line
    var kinds = wordKinds(y, big: motion.contains(.big))
    var x = min(p.x, kinds.count)
    if toEnd && motion.contains(.mustMove) { x += step }
    var previous: UInt8?
    while true {
      let kind = x >= 0 && x < kinds.count ? kinds[x] : 0
      if let before = previous, before != kind {
        result = TextPosition(x: before == 0 || !toEnd ? x : x - step, line: y)
        // A word starts (w) or ends (e, b) here.
        if (toEnd ? before : kind) != 0 {
          remaining -= 1
          if remaining == 0 { return onCharacter(result) }
        }
      }
      if step > 0 && x >= kinds.count {
        y += 1
        guard y < lines else { return onCharacter(result) }
        kinds = wordKinds(y, big: motion.contains(.big))
        x = -1
      } else if step < 0 && x < 0 {
        y -= 1
        guard y >= 0 else { return onCharacter(result) }
        kinds = wordKinds(y, big: motion.contains(.big))
        x = kinds.count
      }
      x += step
      previous = kind
    }
  }

  /// W's stretch: from the start of the word at (or else before) p through
  /// the end of the count-th word from there.
  public func wordSpan(at p: TextPosition, count: Int = 1) -> (TextPosition, TextPosition) {
    let start = position(after: [.backward, .toEnd], from: p)
    return (start, position(after: .toEnd, from: start, count: count))
  }

  /// Each cell's kind of character for word motions: 0 a blank, 1 a word
  /// character, 2 any other (for WORDs, 1 anything not blank). The right
  /// half of a wide character is of its left half's kind.
  func wordKinds(_ line: Int, big: Bool) -> [UInt8] {
    withTextLine(line) { cells in
      var kinds = [UInt8](repeating: 0, count: cells.count)
      for (i, c) in cells.enumerated() {
        if c.width == 0 {
          kinds[i] = i > 0 ? kinds[i - 1] : 0
        } else if c.scalar != 0x20 && c.scalar != 0 {
          kinds[i] = big || Self.isWordCharacter(c.scalar) ? 1 : 2
        }
      }
      return kinds
    }
  }

  static func isWordCharacter(_ v: UInt32) -> Bool {
    switch v {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    case 0x5F, 0x2E, 0x40, 0x3A, 0x25, 0x21, 0x2D, 0x2B: return true  // _ . @ : % ! - +
    case 0..<0x80: return false
    default:
      guard let s = Unicode.Scalar(v) else { return false }
      return s.properties.isAlphabetic || s.properties.numericType != nil
    }
  }

  /// p, or the wide character's left half when p is on its right half.
  func onCharacter(_ p: TextPosition) -> TextPosition {
    guard p.x > 0, p.line >= 0, p.line < textLineCount else { return p }
    let isRightHalf = withTextLine(p.line) { p.x < $0.count && $0[p.x].width == 0 }
    return isRightHalf ? TextPosition(x: p.x - 1, line: p.line) : p
  }

  // MARK: - Within a line

  /// f, F, t and T: the column of the count-th `target` after (or before)
  /// column x in line `line`, or just short of it (`till`); nil when the
  /// line has fewer.
  public func column(
    of target: UInt32, from x: Int, line: Int, forward: Bool, till: Bool, count: Int = 1
  ) -> Int? {
    guard line >= 0, line < textLineCount else { return nil }
    return withTextLine(line) { cells in
      let step = forward ? 1 : -1
      var remaining = max(count, 1)
      var i = x + step
      while i >= 0 && i < cells.count {
        if cells[i].width != 0 && cells[i].scalar == target {
          remaining -= 1
          if remaining == 0 { return till ? i - step : i }
        }
        i += step
      }
      return nil
    }
  }

  /// The first column at or after `left` that is not blank.
  public func firstNonBlank(line: Int, from left: Int = 0) -> Int? {
    guard line >= 0, line < textLineCount else { return nil }
    return withTextLine(line) { cells in
      guard left < cells.count else { return nil }
      return (max(left, 0)..<cells.count).first { cells[$0].width != 0 && !Self.isBlank(cells[$0]) }
    }
  }

  /// The last column at or before `right` that is not blank (a wide
  /// character's left half).
  public func lastNonBlank(line: Int, upTo right: Int = .max) -> Int? {
    guard line >= 0, line < textLineCount, right >= 0 else { return nil }
    return withTextLine(line) { cells in
      guard !cells.isEmpty else { return nil }
      guard let i = (0...min(right, cells.count - 1)).last(where: { !Self.isBlank(cells[$0]) })
      else { return nil }
      return cells[i].width == 0 && i > 0 ? i - 1 : i
    }
  }

  /// An empty cell or a space (the right half of a wide character is not).
  static func isBlank(_ c: Cell) -> Bool { c.width != 0 && (c.scalar == 0x20 || c.scalar == 0) }
}
