// The restart options of berth's command line and of the `screen` command:
// --restart=no|on-failure|always and --restart-limit=N, each one word.
// Parsed here so that both read them alike and reject the same bad input.

/// A window's restart policy and limit, as given; nil: the session's default.
public struct RestartOptions: Sendable, Equatable {
  /// A policy's name: no, on-failure, always.
  public var policy: String?
  /// Consecutive quick ends before `fatal`; 0: never give up.
  public var limit: Int?

  public init() {}

  /// The policy names, as the options and `defrestart` take them.
  public static let policyNames = RestartPolicy.allCases.map(\.rawValue)
  /// The largest restart limit taken.
  public static let maxLimit = 1_000_000

  /// Whether `word` is one of the restart options (it may still be bad).
  public static func isOption(_ word: String) -> Bool {
    word.hasPrefix("--restart=") || word.hasPrefix("--restart-limit=")
  }

  /// Takes a restart option word; a bad value is a one-line error.
  public mutating func take(_ word: String) -> String? {
    if word.hasPrefix("--restart=") {
      let value = String(word.dropFirst("--restart=".count))
      guard RestartPolicy(rawValue: value) != nil else {
        return "--restart wants \(Self.policyNames.joined(separator: ", ")), not '\(value)'"
      }
      policy = value
      return nil
    }
    if word.hasPrefix("--restart-limit=") {
      let value = String(word.dropFirst("--restart-limit=".count))
      guard let n = Self.parseLimit(value) else {
        return
          "--restart-limit wants a number from 0 (never give up) to \(Self.maxLimit), not '\(value)'"
      }
      limit = n
      return nil
    }
    return "unknown option \(word)"
  }

  /// A restart limit: 0 to maxLimit, `off` for 0.
  static func parseLimit(_ text: String) -> Int? {
    if text == "off" { return 0 }
    guard text.utf8.count <= 8, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let n = Int(text), n <= maxLimit
    else { return nil }
    return n
  }
}

/// What windows opened from now on start with (`defrestart`,
/// `defrestartlimit`), and how long `stop` waits (`stopwait`).
struct CareSettings: Codable {
  var policy = RestartPolicy.no
  /// nil: never give up.
  var limit: Int?
  var stopWaitSeconds = 10

  /// These defaults with a window's own options applied.
  func applying(_ options: RestartOptions) -> (RestartPolicy, Int?) {
    let policy = options.policy.flatMap(RestartPolicy.init(rawValue:)) ?? policy
    let limit = options.limit.map { $0 == 0 ? nil : $0 } ?? limit
    return (policy, limit)
  }
}
