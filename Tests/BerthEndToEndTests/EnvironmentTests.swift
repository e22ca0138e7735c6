// The program runs where berth was started, in its environment, with TERM
// and BERTH set; and it is a real, reachable program (a web server).
import Foundation
import Glibc
import Testing

extension EndToEnd {
  static let showEnvironment = [
    "sh", "-c", "echo \"T=$TERM B=$BERTH X=$MYVAR\"; pwd; exec sleep 1000",
  ]

  @Test func programRunsInBerthsDirectoryAndEnvironmentWithTermAndBerthSet() throws {
    try withSandbox { s in
      let here = s.root + "/started-here"
      #expect(mkdir(here, 0o700) == 0)
      let r = s.berth(
        ["-dmS", "env"] + Self.showEnvironment, directory: here,
        environment: ["MYVAR": "from-berth"])
      #expect(r.status == 0, "\(r)")
      let id = try #require(s.sessionID("env"))
      let socket = s.socketDir + "/" + id
      let shown = s.waitForScreen(id) { $0.count >= 2 }
      let lines = screenLines(shown.screen)
      let term = Self.machineHasTmuxTerminfo ? "tmux-256color" : "screen-256color"
      #expect(lines.first == "T=\(term) B=\(socket) X=from-berth", "\(shown.screen)")
      #expect(lines.dropFirst().first == here, "\(shown.screen)")
    }
  }

  /// The default TERM is tmux-256color where the system's terminfo has it.
  static var machineHasTmuxTerminfo: Bool {
    ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"].contains {
      FileManager.default.isReadableFile(atPath: $0 + "/t/tmux-256color")
    }
  }

  @Test func defaultTermHasItalics() throws {
    try #require(Self.machineHasTmuxTerminfo)
    try withSandbox { s in
      let show = "printf 'S=%s\\n' \"$(tput sitm | od -An -c | tr -d ' ')\"; exec sleep 1000"
      let r = s.berth(["-dmS", "it", "sh", "-c", show])
      #expect(r.status == 0, "\(r)")
      let id = try #require(s.sessionID("it"))
      let shown = s.waitForScreen(id) { $0.count >= 1 }
      #expect(screenLines(shown.screen).first == "S=033[3m", "\(shown.screen)")
    }
  }

  @Test func termOptionChangesTheProgramsTerm() throws {
    try withSandbox { s in
      let r = s.berth(["-T", "xterm", "-dmS", "env"] + Self.showEnvironment)
      #expect(r.status == 0, "\(r)")
      let id = try #require(s.sessionID("env"))
      let shown = s.waitForScreen(id) { $0.count >= 2 }
      let first = screenLines(shown.screen).first ?? ""
      #expect(first.hasPrefix("T=xterm B=\(s.socketDir)/\(id) "), "\(shown.screen)")
    }
  }

  @Test func webServerInASessionAnswersHTTP() throws {
    try withSandbox { s in
      #expect(
        FileManager.default.createFile(
          atPath: s.work + "/index.html", contents: Data("berth-e2e-page\n".utf8)))
      let port = try freeTCPPort()
      let id = try s.startDetached(
        "web", ["/usr/bin/python3", "-m", "http.server", String(port), "--bind", "127.0.0.1"])
      var reply: String?
      let answered = eventually(timeout: 15, every: 0.05) {
        reply = httpGet(port: port, path: "/index.html")
        return reply != nil
      }
      #expect(answered, "nothing answered on 127.0.0.1:\(port); screen: \(s.screen(id) ?? "?")")
      #expect(reply?.hasPrefix("HTTP/1.0 200") == true, "\(reply ?? "")")
      #expect(reply?.contains("berth-e2e-page") == true, "\(reply ?? "")")
      // The server logs the request on its terminal.
      let logged = s.waitForScreen(id) { $0.contains { $0.contains("GET /index.html") } }
      #expect(logged.ok, "\(logged.screen)")
    }
  }
}
