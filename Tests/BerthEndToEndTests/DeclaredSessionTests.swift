// Declared sessions (berth --up/--down, $XDG_CONFIG_HOME/berth/sessions),
// Procfiles with their .env, and the systemd user unit the repository ships.
import Foundation
import Glibc
import Testing

extension EndToEnd {
  private func write(_ path: String, _ text: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// The windows of the session NAME as --status --json reports them.
  private func windows(_ s: Sandbox, _ name: String) -> [[String: Any]] {
    let r = s.berth(["--status", "--json", name])
    guard let data = r.stdout.data(using: .utf8),
      let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let sessions = doc["sessions"] as? [[String: Any]],
      let session = sessions.first(where: { $0["name"] as? String == name })
    else { return [] }
    return session["windows"] as? [[String: Any]] ?? []
  }

  @Test func declaredSessionsComeUpOnceAndGoDown() throws {
    try withSandbox { s in
      let config = s.root + "/config"
      let env = ["XDG_CONFIG_HOME": config]
      try write(
        config + "/berth/sessions/web.berthrc",
        """
        chdir \(s.root)
        screen -t server --restart=always sleep 300
        screen -t watcher sh -c 'trap "echo TERM > \(s.root)/term.out; exit 0" TERM; while :; do sleep 0.1; done'

        """)
      try write(
        config + "/berth/sessions/jobs.berthrc",
        """
        nosuchcommand here
        chdir /tmp
        screen -t queue --restart=on-failure sleep 302
        stopwait 1
        screen -t stubborn sh -c 'trap "" TERM; while :; do sleep 0.1; done'

        """)
      let first = s.berth(["--up"], environment: env)
      #expect(first.status == 0, "\(first)")
      #expect(first.stdout == "jobs: started\nweb: started\n", "\(first)")
      let web = windows(s, "web")
      #expect(web.map { $0["title"] as? String } == ["server", "watcher"], "\(web)")
      #expect(web.map { $0["restart"] as? String } == ["always", "no"], "\(web)")
      #expect(web.map { $0["cwd"] as? String } == [s.root, s.root], "\(web)")
      let jobs = windows(s, "jobs")
      #expect(jobs.map { $0["title"] as? String } == ["queue", "stubborn"], "\(jobs)")
      #expect(jobs.first?["restart"] as? String == "on-failure", "\(jobs)")
      #expect(jobs.first?["cwd"] as? String == "/tmp", "\(jobs)")

      // Again: nothing new starts.
      let second = s.berth(["--up"], environment: env)
      #expect(second.stdout == "jobs: already running\nweb: already running\n", "\(second)")
      #expect(s.socketNames().count == 2, "\(s.socketNames())")

      // The bad line of a declared file is reported by file and line, as a startup file's.
      let client = try s.terminal(["-r", "jobs"], columns: 200, environment: env)
      #expect(
        client.waitForOutput("jobs.berthrc:1: unknown command 'nosuchcommand'"),
        "\(client.output.debugDescription)")

      // A name not declared is an error.
      let unknown = s.berth(["--up", "nosuch"], environment: env)
      #expect(unknown.status == 1, "\(unknown)")
      #expect(unknown.stderr.contains("nosuch is not a declared session"), "\(unknown)")

      let programs = (web + jobs).compactMap { ($0["pid"] as? NSNumber)?.int32Value }
      #expect(programs.count == 4)
      let down = s.berth(["--down"], environment: env)
      #expect(down.status == 0, "\(down)")
      #expect(down.stdout == "jobs: stopped\nweb: stopped\n", "\(down)")
      #expect(eventually { s.socketNames().isEmpty }, "\(s.socketNames())")
      #expect(eventually { programs.allSatisfy(processIsGone) }, "\(programs)")
      // Stopped gracefully: SIGTERM first (SIGKILL after stopwait for the stubborn one).
      let term = (try? String(contentsOfFile: s.root + "/term.out", encoding: .utf8)) ?? ""
      #expect(term == "TERM\n", "\(term)")
      let again = s.berth(["--down", "web"], environment: env)
      #expect(again.stdout == "web: not running\n", "\(again)")
    }
  }

  @Test func aProcfileIsOneSessionWithTitledWindowsAndItsEnv() throws {
    try withSandbox { s in
      let app = s.root + "/myapp"
      try write(
        app + "/Procfile",
        """
        # the app
        web: echo "$GREETING" > web.out; sleep 300

        worker: echo "$QUOTED|$PLAIN" > worker.out; sleep 301
        clock: pwd > clock.out; sleep 302

        """)
      try write(
        app + "/.env",
        """
        # settings
        GREETING=hello world
        export QUOTED="two\\nlines"
        PLAIN='$HOME stays'

        """)
      let up = s.berth(["--up", "-f", app + "/Procfile"])
      #expect(up.status == 0, "\(up)")
      #expect(up.stdout == "myapp: started\n", "\(up)")
      let list = s.berth(["-S", "myapp", "-X", "windows"]).stdout
      #expect(list.contains("0 web  1 worker  2 clock"), "\(list)")
      let ws = windows(s, "myapp")
      #expect(ws.allSatisfy { $0["restart"] as? String == "on-failure" }, "\(ws)")
      #expect(ws.allSatisfy { $0["cwd"] as? String == app }, "\(ws)")
      let read = { (file: String) in
        (try? String(contentsOfFile: app + "/" + file, encoding: .utf8)) ?? ""
      }
      #expect(eventually { read("web.out") == "hello world\n" }, "\(read("web.out"))")
      #expect(
        eventually { read("worker.out") == "two\nlines|$HOME stays\n" }, "\(read("worker.out"))")
      #expect(eventually { read("clock.out") == app + "\n" }, "\(read("clock.out"))")
      #expect(s.berth(["--up", "-f", app + "/Procfile"]).stdout == "myapp: already running\n")

      let down = s.berth(["--down", "-f", app + "/Procfile"])
      #expect(down.stdout == "myapp: stopped\n", "\(down)")
      #expect(eventually { s.socketNames().isEmpty }, "\(s.socketNames())")

      // -S names it.
      let named = s.berth(["--up", "-f", app + "/Procfile", "-S", "other"])
      #expect(named.stdout == "other: started\n", "\(named)")
    }
  }

  @Test func aMalformedProcfileLineIsReportedByNumber() throws {
    try withSandbox { s in
      try write(s.work + "/Procfile", "web: sleep 300\n\nthis line has no colon\n")
      let r = s.berth(["--up", "-f", "Procfile"])
      #expect(r.status == 1, "\(r)")
      #expect(r.stderr == "berth: Procfile:3: not `name: command`\n", "\(r)")
      #expect(s.socketNames().isEmpty)
      try write(s.work + "/Procfile", "we b: sleep 300\n")
      let bad = s.berth(["--up", "-f", "Procfile"])
      #expect(bad.stderr.contains("Procfile:1: a name is letters"), "\(bad)")
    }
  }

  /// Every unit file in contrib/systemd passes `systemd-analyze verify`,
  /// naming the berth under test (as install.sh names the installed one).
  @Test func theSystemdUnitsVerify() throws {
    let analyze = try #require(
      installedProgram("systemd-analyze"),
      "systemd-analyze is not installed (apt-get install systemd; .ci/run installs it)")
    let root = "/" + "\(#filePath)".split(separator: "/").dropLast(3).joined(separator: "/")
    let dir = root + "/contrib/systemd"
    let units = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
      $0.hasSuffix(".service")
    }
    #expect(!units.isEmpty)
    try withSandbox { s in
      for unit in units {
        let text = try String(contentsOfFile: dir + "/" + unit, encoding: .utf8)
        #expect(text.contains("/usr/local/bin/berth"), "\(unit)")
        let copy = s.root + "/" + unit
        try text.replacingOccurrences(of: "/usr/local/bin/berth", with: berthBinary)
          .write(toFile: copy, atomically: true, encoding: .utf8)
        let r = s.berth(["verify", copy], timeout: 60, program: analyze)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(unit): \(r)")
      }
    }
  }
}
