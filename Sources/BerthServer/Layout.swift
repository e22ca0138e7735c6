// A client's regions, as screen's split/focus/only/remove make them: a tree
// whose leaves are regions (each showing a window, or nothing) and whose
// inner nodes stack their children (a horizontal split, C-a S) or set them
// side by side (a vertical split, C-a |). Geometry is computed here; the
// composer draws it. An Arrangement is the same regions apart from any
// client, as the session's named layouts keep them (`layout save`).

/// One region: where a window is shown on the client's display.
final class Region {
  /// The window shown, or nil (a new region starts empty, as in screen).
  var window: Window?
  /// The window's cells on the display: columns x..<x+width, rows y..<y+height.
  var x = 0, y = 0, width = 1, height = 1
  /// The display row of the region's caption, or nil when it has none.
  var captionRow: Int?

  init(window: Window?) {
    self.window = window
  }
}

/// A vertical separator column, from row `top` for `height` rows.
struct Separator: Equatable {
  var x: Int
  var top: Int
  var height: Int
}

final class Layout {
  final class Node {
    var region: Region?
    /// For an inner node: children side by side (true) or stacked (false).
    var vertical = false
    var children: [Node] = []
    weak var parent: Node?
    /// Its part of the parent's space, against its siblings' (resize sets
    /// them to cells; a terminal of another size scales them alike).
    var weight = 1.0
    /// Its cells along the parent's axis, at the last arrange.
    var size = 0

    init(region: Region?) {
      self.region = region
    }
  }

  private(set) var root: Node
  private(set) var focus: Region
  private(set) var separators: [Separator] = []

  init(window: Window?) {
    focus = Region(window: window)
    root = Node(region: focus)
  }

  /// The regions an arrangement keeps, with the windows it remembers that
  /// `isOpen` still accepts (the others leave their regions empty).
  init(restoring saved: Arrangement, isOpen: (Window) -> Bool) {
    var made: [Region] = []
    func build(_ part: Arrangement.Part) -> Node {
      switch part {
      case .region(let shown):
        let region = Region(window: shown.window.flatMap { isOpen($0) ? $0 : nil })
        made.append(region)
        return Node(region: region)
      case .split(let vertical, let parts):
        let node = Node(region: nil)
        node.vertical = vertical
        node.children = parts.map { weight, part in
          let child = build(part)
          child.weight = weight
          child.parent = node
          return child
        }
        return node
      }
    }
    let built = build(saved.root)
    if made.isEmpty {
      // Not made by arrangement(); one region rather than none.
      focus = Region(window: nil)
      root = Node(region: focus)
    } else {
      root = built
      focus = made[max(0, min(saved.focusIndex, made.count - 1))]
    }
  }

  /// The regions as a named layout keeps them, apart from this display.
  func arrangement() -> Arrangement {
    func part(_ n: Node) -> Arrangement.Part {
      if let r = n.region { return .region(WindowReference(window: r.window)) }
      return .split(vertical: n.vertical, n.children.map { ($0.weight, part($0)) })
    }
    return Arrangement(
      root: part(root), focusIndex: regions.firstIndex { $0 === focus } ?? 0)
  }

  /// Commands that make these regions again, as screen's `layout dump`
  /// writes them: each split's `split` (or `split -v`) lines, then a
  /// `focus` past each of its regions, depth first. Sizes and windows are
  /// left out, as in screen.
  var dumpCommands: [String] {
    var out: [String] = []
    func dump(_ n: Node) {
      for _ in n.children.dropLast() { out.append(n.vertical ? "split -v" : "split") }
      for c in n.children {
        if c.region == nil { dump(c) } else { out.append("focus") }
      }
    }
    if isSingle { return ["focus"] }
    dump(root)
    return out
  }

  /// Regions in screen order (top to bottom, left to right).
  var regions: [Region] {
    var out: [Region] = []
    func walk(_ n: Node) {
      if let r = n.region { out.append(r) } else { n.children.forEach(walk) }
    }
    walk(root)
    return out
  }

  var isSingle: Bool { root.region != nil }

  /// Splits the focused region in two halves; the new (empty) region comes
  /// after it.
  func split(vertical: Bool) {
    guard let leaf = node(of: focus) else { return }
    let fresh = Node(region: Region(window: nil))
    if let parent = leaf.parent, parent.vertical == vertical,
      let i = parent.children.firstIndex(where: { $0 === leaf })
    {
      leaf.weight /= 2
      fresh.weight = leaf.weight
      fresh.parent = parent
      parent.children.insert(fresh, at: i + 1)
      return
    }
    // The leaf becomes an inner node holding its old region and the new one.
    let old = Node(region: leaf.region)
    leaf.region = nil
    leaf.vertical = vertical
    leaf.children = [old, fresh]
    old.parent = leaf
    fresh.parent = leaf
  }

  /// Moves the focus to the next region (or the previous, or the first/last).
  func moveFocus(_ step: Int) {
    let all = regions
    guard let i = all.firstIndex(where: { $0 === focus }) else { return }
    focus = all[(i + step % all.count + all.count) % all.count]
  }

  func focus(on region: Region) {
    if regions.contains(where: { $0 === region }) { focus = region }
  }

  /// Removes the focused region; its space goes to its neighbours.
  func removeFocused() {
    guard !isSingle, let leaf = node(of: focus), let parent = leaf.parent else { return }
    let all = regions
    let i = all.firstIndex(where: { $0 === focus }) ?? 0
    parent.children.removeAll { $0 === leaf }
    if parent.children.count == 1 {
      // A split of one is no split: the remaining child takes its place.
      let only = parent.children[0]
      parent.region = only.region
      parent.vertical = only.vertical
      parent.children = only.children
      for c in parent.children { c.parent = parent }
    }
    let left = regions
    focus = left[max(0, min(i, left.count - 1))]
  }

  /// Keeps only the focused region.
  func keepOnlyFocused() {
    root = Node(region: focus)
  }

  private func node(of region: Region) -> Node? {
    func find(_ n: Node) -> Node? {
      if n.region === region { return n }
      for c in n.children { if let f = find(c) { return f } }
      return nil
    }
    return find(root)
  }

  /// The display the regions were last laid out over.
  private var arranged = (columns: 1, rows: 1, captions: false)

  /// Lays the regions out over `columns` x `rows` display cells. Each
  /// region gets a caption row beneath it when `captions` is set.
  func arrange(columns: Int, rows: Int, captions: Bool) {
    arranged = (max(1, columns), max(1, rows), captions)
    separators.removeAll()
    place(root, x: 0, y: 0, width: arranged.columns, height: arranged.rows, captions: captions)
  }

  /// What `resize` changes: a region's width, its height, or whichever its
  /// last split divides (screen's -l) or the other one (-p).
  enum ResizeAxis { case width, height, local, perpendicular }

  /// How `resize` changes it, in cells or in percent of the split's space.
  enum ResizeAmount: Equatable {
    case set(Int)
    case by(Int)
    case setPercent(Int)
    case byPercent(Int)
    case equal, max, min
  }

  /// Resizes the focused region along `axis`, as screen's resize: the space
  /// comes from (or goes to) the regions after it in that split, then
  /// those before it. False when no split divides that axis.
  func resizeFocused(_ axis: ResizeAxis, _ amount: ResizeAmount) -> Bool {
    guard var n = node(of: focus), let parent = n.parent else { return false }
    let sideBySide: Bool
    switch axis {
    case .width: sideBySide = true
    case .height: sideBySide = false
    case .local: sideBySide = parent.vertical
    case .perpendicular: sideBySide = !parent.vertical
    }
    // The region, or the part of the display holding it, in the nearest
    // split along that axis.
    while let p = n.parent, p.vertical != sideBySide { n = p }
    guard let split = n.parent, let i = split.children.firstIndex(where: { $0 === n }) else {
      return false
    }
    if amount == .equal {
      for c in split.children { c.weight = 1 }
      return true
    }
    arrange(columns: arranged.columns, rows: arranged.rows, captions: arranged.captions)
    var sizes = split.children.map(\.size)
    let total = sizes.reduce(0, +)
    let largest = Swift.max(1, total - (sizes.count - 1))
    var target: Int
    switch amount {
    case .set(let v): target = v
    case .by(let d): target = sizes[i] + d
    case .setPercent(let p): target = total * p / 100
    case .byPercent(let p): target = sizes[i] + total * p / 100
    case .max: target = largest
    case .min, .equal: target = 1
    }
    target = Swift.min(Swift.max(target, 1), largest)
    var change = target - sizes[i]
    sizes[i] = target
    let others = Array(sizes.indices.dropFirst(i + 1)) + Array(sizes.indices.prefix(i).reversed())
    if change > 0 {
      for j in others where change > 0 {
        let taken = Swift.min(change, sizes[j] - 1)
        sizes[j] -= taken
        change -= taken
      }
    } else if let j = others.first {
      sizes[j] -= change
    }
    for (c, size) in zip(split.children, sizes) { c.weight = Double(Swift.max(1, size)) }
    return true
  }

  /// Cells along a split for children of these weights: in proportion,
  /// the rounding left to the last; at least one each.
  static func shares(of total: Int, weights: [Double]) -> [Int] {
    let sum = weights.reduce(0, +)
    guard sum > 0, total >= weights.count else { return weights.map { _ in 1 } }
    var out = weights.map { Swift.max(1, Int(Double(total) * $0 / sum)) }
    out[out.count - 1] = 0
    out[out.count - 1] = Swift.max(1, total - out.reduce(0, +))
    // Each child's minimum may have overdrawn the space: take it back from
    // the largest.
    var excess = out.reduce(0, +) - total
    while excess > 0, let j = out.indices.max(by: { out[$0] < out[$1] }), out[j] > 1 {
      out[j] -= 1
      excess -= 1
    }
    return out
  }

  private func place(_ n: Node, x: Int, y: Int, width: Int, height: Int, captions: Bool) {
    if let r = n.region {
      r.x = x
      r.y = y
      r.width = width
      let caption = captions && height > 1
      r.height = caption ? height - 1 : height
      r.captionRow = caption ? y + height - 1 : nil
      return
    }
    let count = n.children.count
    // Vertical splits spend a column between neighbours on a separator.
    let total = n.vertical ? width - (count - 1) : height
    let shares = Self.shares(of: total, weights: n.children.map(\.weight))
    var offset = 0
    for (i, child) in n.children.enumerated() {
      let share = shares[i]
      child.size = share
      if n.vertical {
        place(child, x: x + offset, y: y, width: share, height: height, captions: captions)
        offset += share
        if i < count - 1 {
          separators.append(Separator(x: x + offset, top: y, height: height))
          offset += 1
        }
      } else {
        place(child, x: x, y: y + offset, width: width, height: share, captions: captions)
        offset += share
      }
    }
  }
}

/// A window remembered without keeping it alive: one that ends is let go.
struct WindowReference {
  weak var window: Window?
}

/// Regions apart from any display, as a named layout keeps them: the
/// splits with their weights, the window each region showed, and which
/// region had the focus.
struct Arrangement {
  indirect enum Part {
    case region(WindowReference)
    case split(vertical: Bool, [(weight: Double, part: Part)])
  }

  var root: Part
  /// The focused region's place among the regions in screen order.
  var focusIndex: Int

  /// One region showing `window`.
  static func single(_ window: Window?) -> Arrangement {
    Arrangement(root: .region(WindowReference(window: window)), focusIndex: 0)
  }
}
