// The default TERM: tmux-256color where a terminfo directory has its entry.
import Glibc
import Testing

@testable import BerthServer

@Test func tmuxTermWhereItsEntryIsFound() throws {
  var template = Array("/tmp/berth-terminfo-XXXXXX".utf8CString)
  let made = template.withUnsafeMutableBufferPointer { buffer in
    mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
  }
  let dir = try #require(made)
  defer { _ = rmdir(dir) }
  #expect(!DefaultTerm.hasEntry("tmux-256color", directories: [dir, "", "/nonexistent"]))
  // The letter directory as on Linux, and the hex one as on macOS.
  for sub in ["t", "74"] {
    let path = "\(dir)/\(sub)"
    #expect(mkdir(path, 0o700) == 0)
    let fd = open(path + "/tmux-256color", O_CREAT | O_WRONLY, 0o600)
    #expect(fd >= 0)
    close(fd)
    #expect(DefaultTerm.hasEntry("tmux-256color", directories: ["/nonexistent", dir]))
    #expect(!DefaultTerm.hasEntry("../t/tmux-256color", directories: [dir]))
    unlink(path + "/tmux-256color")
    rmdir(path)
  }
}

@Test func theChoiceIsOneOfTheTwo() {
  #expect([DefaultTerm.preferred, DefaultTerm.fallback].contains(DefaultTerm.choose()))
}
