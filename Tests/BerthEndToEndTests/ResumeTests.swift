// `berth -r`: which session it picks, and what it says when it cannot pick one.
import Foundation
import Glibc
import Testing

/// A terminal's output with CR LF turned into LF.
func plain(_ output: String) -> String {
  output.replacingOccurrences(of: "\r\n", with: "\n")
}

extension EndToEnd {
  @Test func resumeWithOneDetachedSessionAttachesToIt() throws {
    try withSandbox { s in
      let id = try s.startDetached("only", ["sh", "-c", "echo only-$((2+2)); exec sleep 1000"])
      #expect(s.waitForLine(id, "only-4").ok)
      let client = try s.attach(["-r"], session: id)
      #expect(client.waitForOutput("only-4"), "\(client.output.debugDescription)")
    }
  }

  @Test func resumeWithTwoSessionsListsThemAndFails() throws {
    try withSandbox { s in
      let a = try s.startDetached("one", ["sleep", "1000"])
      let b = try s.startDetached("two", ["sleep", "1000"])
      let client = try s.terminal(["-r"])
      let status = client.waitForExit()
      #expect(
        status == 1, "status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(client.waitForOutput("to resume one of them."))
      let lines = plain(client.output).split(separator: "\n").map(String.init)
      #expect(lines.first == "There are several suitable screens on:", "\(lines)")
      for id in [a, b] {
        #expect(lines.contains { isListLine($0, id: id, state: "Detached") }, "\(id) in \(lines)")
      }
      #expect(
        lines.contains("Type \"berth [-d] -r [pid.]tty.host\" to resume one of them."), "\(lines)")
      #expect(s.state(of: a) == "Detached" && s.state(of: b) == "Detached")
    }
  }

  @Test func resumeWithNoSessionSaysThereIsNoneAndFails() throws {
    try withSandbox { s in
      let client = try s.terminal(["-r"])
      let status = client.waitForExit()
      #expect(
        status == 1, "status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(
        client.waitForOutput("There is no screen to be resumed."),
        "\(client.output.debugDescription)")
    }
  }

  @Test func resumeOfAnUnknownNameSaysSoAndFails() throws {
    try withSandbox { s in
      _ = try s.startDetached("web", ["sleep", "1000"])
      let client = try s.terminal(["-r", "nosuch"])
      let status = client.waitForExit()
      #expect(
        status == 1, "status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(
        client.waitForOutput("There is no screen to be resumed matching nosuch."),
        "\(client.output.debugDescription)")
    }
  }

  @Test(arguments: ["pid", "name", "pid.name", "prefix"])
  func resumeFindsASessionBy(_ how: String) throws {
    try withSandbox { s in
      let alpha = try s.startDetached(
        "alpha", ["sh", "-c", "echo alpha-$((1+2)); exec sleep 1000"])
      let beta = try s.startDetached("beta", ["sleep", "1000"])
      #expect(s.waitForLine(alpha, "alpha-3").ok)
      let query: String
      switch how {
      case "pid": query = String(alpha.split(separator: ".")[0])
      case "name": query = "alpha"
      case "pid.name": query = alpha
      default: query = "alp"
      }
      let client = try s.attach(["-r", query], session: alpha)
      #expect(client.waitForOutput("alpha-3"), "\(client.output.debugDescription)")
      #expect(s.state(of: beta) == "Detached")
    }
  }

  @Test func resumeWithAnAmbiguousPrefixListsTheCandidatesAndFails() throws {
    try withSandbox { s in
      let a = try s.startDetached("alpha", ["sleep", "1000"])
      let b = try s.startDetached("alps", ["sleep", "1000"])
      let client = try s.terminal(["-r", "al"])
      let status = client.waitForExit()
      #expect(
        status == 1, "status \(String(describing: status)): \(client.output.debugDescription)")
      #expect(client.waitForOutput("to resume one of them."), "\(client.output.debugDescription)")
      let lines = plain(client.output).split(separator: "\n").map(String.init)
      #expect(lines.first == "There are several suitable screens on:", "\(lines)")
      for id in [a, b] {
        #expect(lines.contains { isListLine($0, id: id, state: "Detached") }, "\(id) in \(lines)")
      }
    }
  }
}
