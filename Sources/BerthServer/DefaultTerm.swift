// The TERM windows get when neither `-T` nor the startup file's `term` says:
// tmux-256color where this machine's terminfo has it (italics, strikethrough,
// bracketed paste in vim, and 139 key entries against screen-256color's 26),
// else screen-256color, which every ncurses has. Looked up once per session
// start, where ncurses looks: $TERMINFO, ~/.terminfo, $TERMINFO_DIRS, then
// the system's directories.
@preconcurrency import Glibc

public enum DefaultTerm {
  public static let preferred = "tmux-256color"
  public static let fallback = "screen-256color"

  /// `preferred` if its terminfo entry is found, else `fallback`.
  public static func choose() -> String {
    hasEntry(preferred) ? preferred : fallback
  }

  /// Whether a compiled terminfo entry for `name` is readable in one of the
  /// directories ncurses searches (letter or, as on macOS, hex subdirectory).
  static func hasEntry(_ name: String, directories: [String] = searchPath()) -> Bool {
    guard let first = name.utf8.first, !name.contains("/") else { return false }
    let letter = String(UnicodeScalar(first))
    let hex = String(first, radix: 16)
    for dir in directories where !dir.isEmpty {
      for sub in [letter, hex] where access("\(dir)/\(sub)/\(name)", R_OK) == 0 {
        return true
      }
    }
    return false
  }

  static func searchPath() -> [String] {
    func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
    var dirs: [String] = []
    if let t = env("TERMINFO") { dirs.append(t) }
    if let home = env("HOME") { dirs.append(home + "/.terminfo") }
    if let list = env("TERMINFO_DIRS") {
      // An empty element stands for the system's default directory.
      dirs += list.split(separator: ":", omittingEmptySubsequences: false).map {
        $0.isEmpty ? "/usr/share/terminfo" : String($0)
      }
    }
    return dirs + ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]
  }
}
