// The pen's decoration: its underline colour (SGR 58 and 59, in SGR.swift)
// and its hyperlink (OSC 8, here), kept in the pen's style as a key of the
// terminal's DecorationTable. Keys in use are those on the visible grids
// (main and alternate), the pen's and the saved cursors'; history keeps no
// decorations (HistoryEncoder writes styles without them), so those are all
// a collection has to look at.

extension TerminalCore {
  /// The pen's current decoration.
  var penDecoration: Decoration {
    decorations[style.decoration] ?? .none
  }

  /// The key for `d`: its own, a new one, or one freed by a collection when
  /// the table is full; 0 (not kept) when every key is still in use.
  mutating func decorationKey(for d: Decoration) -> UInt8 {
    if let k = decorations.key(of: d) { return k }
    if decorations.isFull { collectDecorations() }
    return decorations.insert(d) ?? 0
  }

  /// Frees the keys nothing refers to. After a collection that freed
  /// nothing the next few are skipped: a program flooding links over a
  /// screen full of them costs a scan every `collectionPause` links, not one
  /// each.
  mutating func collectDecorations() {
    if decorationCollectionPause > 0 {
      decorationCollectionPause -= 1
      return
    }
    var used = [Bool](repeating: false, count: 256)
    for g in [mainGrid, altGrid] {
      for y in 0..<g.rows {
        let r = g.readRow(y)
        for x in 0..<min(g.extent(y), g.columns) { used[Int(r[x].style.decoration)] = true }
      }
    }
    for s in [style, savedMain.style, savedAlt.style, savedForAltScreen.style] {
      used[Int(s.decoration)] = true
    }
    if decorations.collect(keeping: used) == 0 {
      decorationCollectionPause = TerminalCore.collectionPause
    }
  }

  static let collectionPause = 64

  /// OSC 8 `params ; URI`: starts a link (params holds `id=...` among
  /// `:`-separated key=value pairs), or ends it when the URI is empty. A
  /// link that is too long, or whose URI or id is not printable ASCII (what
  /// the user's terminal will be sent), ends the link instead.
  mutating func setHyperlink(_ payload: ArraySlice<UInt8>, overflowed: Bool) {
    var link: Hyperlink? = nil
    if !overflowed, let semicolon = payload.firstIndex(of: UInt8(ascii: ";")) {
      let params = payload[payload.startIndex..<semicolon]
      let uri = payload[(semicolon + 1)...]
      if !uri.isEmpty && uri.count <= Hyperlink.maxURI && TerminalCore.isLinkText(uri) {
        var id: ArraySlice<UInt8> = []
        for pair in params.split(separator: UInt8(ascii: ":")) {
          if pair.starts(with: "id=".utf8) { id = pair.dropFirst(3) }
        }
        if id.count <= Hyperlink.maxID && TerminalCore.isLinkText(id) {
          link = Hyperlink(uri: Array(uri), id: Array(id))
        }
      }
    }
    var d = penDecoration
    guard d.link != link else { return }
    d.link = link
    style.decoration = decorationKey(for: d)
  }

  /// Bytes 0x21...0x7E only, as OSC 8 asks of URIs.
  private static func isLinkText(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F }
  }
}
