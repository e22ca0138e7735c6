// The restart options as berth's command line and the screen command take
// them, and their way to the session server through ServerConfig.
import Testing

@testable import BerthServer

@Test func restartOptionsTakeTheirValuesAndRefuseBadOnes() {
  var o = RestartOptions()
  #expect(o.take("--restart=on-failure") == nil)
  #expect(o.take("--restart-limit=3") == nil)
  #expect(
    o
      == {
        var e = RestartOptions()
        e.policy = "on-failure"
        e.limit = 3
        return e
      }())
  #expect(o.take("--restart-limit=off") == nil)
  #expect(o.limit == 0)
  for bad in [
    "--restart=sometimes", "--restart=", "--restart-limit=-1", "--restart-limit=x",
    "--restart-limit=", "--restart-limit=99999999999999999999", "--restart-limit=1000001",
  ] {
    var before = o
    #expect(before.take(bad) != nil, "\(bad)")
    #expect(before == o, "a bad value changes nothing: \(bad)")
  }
}

@Test func windowsTakeTheSessionDefaultsUnlessTheirOptionsSayOtherwise() {
  var care = CareSettings()
  care.policy = .always
  care.limit = 5
  #expect(care.applying(RestartOptions()) == (.always, 5))
  var o = RestartOptions()
  o.policy = "no"
  o.limit = 0
  #expect(care.applying(o) == (.no, nil))
}

@Test func serverConfigCarriesTheRestartOptions() {
  var config = ServerConfig(
    socketPath: "", sessionName: "", columns: 80, rows: 24, historyLimit: 100, term: "screen",
    argv: ["sh", "-c", "exit 3"], readyFd: nil)
  config.restart.policy = "always"
  config.restart.limit = 3
  let back = ServerConfig(arguments: config.arguments(socketDirectory: "/d", name: "web"), pid: 7)
  #expect(back?.restart == config.restart)
  #expect(back?.argv == ["sh", "-c", "exit 3"])
  let plain = ServerConfig(
    arguments: ServerConfig(
      socketPath: "", sessionName: "", columns: 80, rows: 24, historyLimit: 100, term: "screen",
      argv: ["sh"], readyFd: nil
    ).arguments(socketDirectory: "/d", name: "web"), pid: 7)
  #expect(plain?.restart == RestartOptions())
  // A forged bad value is refused, not trusted.
  var forged = config.arguments(socketDirectory: "/d", name: "web")
  forged[15] = "=sometimes"
  #expect(ServerConfig(arguments: forged, pid: 7) == nil)
}
