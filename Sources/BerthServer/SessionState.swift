// The server's state as one plain value, for a server that carries on as
// another binary (`berth --upgrade`): windows by number, not by object;
// each window's terminal as the engine's snapshot bytes; descriptors by
// their numbers, which an exec keeps. Encoded with StateCoding (versioned,
// keyed by field names: a field added later reads as absent in an older
// state, and never a trap on a bad one).
import BerthProtocol
import BerthSystem
import BerthTerminal

struct SessionState: Codable {
  static let kind = "berth session"
  static let version: UInt16 = 1

  var berthVersion: String
  var protocolVersion: UInt16
  var sessionName: String
  var socketPath: String
  var term: String
  var columns: Int
  var rows: Int
  var created: Int64
  var listener: Int32
  var programEnvironment: [String]
  var settings: Settings
  var windows: [WindowState]
  var currentWindow: Int?
  var windowBefore: Int?
  var pasteBuffer: [UInt8]
  var registers: [UInt8: [UInt8]]
  var backticks: [BacktickState]
  var layouts: [NamedLayoutState]
  var startupLayout: [[String]]
  var clients: [ClientState]
}

struct WindowState: Codable {
  var number: Int
  var name: String?
  var spec: ProgramSpec
  var pid: Int32
  /// The PTY's master, or -1 when the program's terminal is gone.
  var pty: Int32
  var started: UInt64
  var pendingInput: [UInt8]
  var lifecycle: Lifecycle
  var exit: ExitStatus?
  var zombie: Window.Zombie
  var closeWhenEnded: Bool
  /// The engine's snapshot; empty in the state kept for a crash (the
  /// screen is not saved at every change), which gives the size instead.
  var terminal: [UInt8]
  var columns: Int?
  var rows: Int?
  var monitorActivity: Bool
  var monitorSilence: Bool
  var activitySeen: Bool
  var bellSeen: Bool
  var logPath: String?
  /// The program's working directory when the session was saved (for
  /// `--resurrect`); absent in older states and in the upgrade's.
  var workingDirectory: String?
}

struct BacktickState: Codable {
  var id: Int
  var lifespan: Int
  var autorefresh: Int
  var argv: [String]
  var text: [UInt8]
}

/// Regions with window numbers: a client's, or a named layout's.
struct ArrangementState: Codable {
  indirect enum Part: Codable {
    case region(window: Int?)
    case split(vertical: Bool, weights: [Double], parts: [Part])
  }

  var root: Part
  var focusIndex: Int
}

struct NamedLayoutState: Codable {
  var number: Int
  var title: String
  var autosave: Bool
  var saved: ArrangementState
}

struct ClientState: Codable {
  enum Kind: Codable { case attached, following }

  var fd: Int32
  var kind: Kind
  var columns: Int
  var rows: Int
  var term: String
  var colors: Int
  var readOnly: Bool
  var layout: ArrangementState
  var previousWindow: Int?
  var namedLayout: Int?
  /// A follower's window.
  var following: Int?
}

extension ArrangementState {
  init(_ a: Arrangement) {
    func part(_ p: Arrangement.Part) -> Part {
      switch p {
      case .region(let shown): return .region(window: shown.window?.number)
      case .split(let vertical, let children):
        return .split(
          vertical: vertical, weights: children.map(\.weight), parts: children.map { part($0.part) }
        )
      }
    }
    self.init(root: part(a.root), focusIndex: a.focusIndex)
  }

  /// The arrangement, with the windows that `window(n)` finds.
  func arrangement(_ window: (Int) -> Window?) -> Arrangement {
    func part(_ p: Part, depth: Int) -> Arrangement.Part {
      switch p {
      case .region(let n): return .region(WindowReference(window: n.flatMap(window)))
      case .split(let vertical, let weights, let parts):
        // A state from outside is bounded: no split deeper than a display's rows.
        guard depth < 64, weights.count == parts.count, !parts.isEmpty else {
          return .region(WindowReference(window: nil))
        }
        return .split(
          vertical: vertical,
          zip(weights, parts).map { w, p in
            ((w.isFinite && w > 0 ? w : 1), part(p, depth: depth + 1))
          })
      }
    }
    return Arrangement(root: part(root, depth: 0), focusIndex: max(0, focusIndex))
  }
}
