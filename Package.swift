// swift-tools-version:6.0
import PackageDescription

// No package dependencies: the engine and protocol are pure Swift, the rest
// talks to the system through Glibc and two tiny C targets. Keeping
// Foundation (and anything that pulls it in) out keeps each session's server
// small: one server process runs per session.
let package = Package(
  name: "berth",
  products: [
    .executable(name: "berth", targets: ["berth"])
  ],
  targets: [
    .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw"),
    .target(name: "CSupport"),
    .target(name: "BerthTerminal"),
    .target(name: "BerthProtocol", dependencies: ["BerthTerminal"]),
    .target(name: "BerthSystem", dependencies: ["CSupport"]),
    .target(
      name: "BerthServer",
      dependencies: ["BerthTerminal", "BerthProtocol", "BerthSystem", "CSupport"]),
    .target(
      name: "BerthClient",
      dependencies: ["BerthTerminal", "BerthProtocol", "BerthSystem", "CNcurses", "CSupport"]),
    .executableTarget(
      name: "berth",
      dependencies: ["BerthServer", "BerthClient", "BerthProtocol", "BerthSystem", "CSupport"]),
    // Feeds corpora to the engine alone and prints MB/s (release builds only).
    .executableTarget(
      name: "EngineBench", dependencies: ["BerthTerminal"], path: "Benchmarks/EngineBench"),
    .testTarget(name: "BerthTerminalTests", dependencies: ["BerthTerminal"]),
    .testTarget(name: "BerthProtocolTests", dependencies: ["BerthProtocol"]),
    .testTarget(name: "BerthClientTests", dependencies: ["BerthClient"]),
    .testTarget(name: "BerthServerTests", dependencies: ["BerthServer", "BerthTerminal"]),
    .testTarget(
      name: "BerthEndToEndTests", dependencies: ["BerthSystem", "BerthProtocol", "BerthTerminal"]),
  ],
  swiftLanguageModes: [.v6]
)
