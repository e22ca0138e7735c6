// Cursor keys rewritten for DECCKM; everything else untouched, across splits.

import Testing

@testable import BerthTerminal

@Suite struct InputTranslatorTests {
  private func run(_ chunks: [String], app: Bool) -> String {
    var tr = InputTranslator()
    var modes = Modes()
    modes.applicationCursorKeys = app
    var out: [UInt8] = []
    for c in chunks {
      Array(c.utf8).withUnsafeBytes { tr.translate($0, modes: modes, into: &out) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  @Test func cursorKeysFollowApplicationMode() {
    #expect(
      run(["\(csi)A\(esc)OB\(csi)H\(esc)OF"], app: true) == "\(esc)OA\(esc)OB\(esc)OH\(esc)OF")
    #expect(run(["\(csi)A\(esc)OB\(csi)H\(esc)OF"], app: false) == "\(csi)A\(csi)B\(csi)H\(csi)F")
  }

  @Test func modifiedKeysAndOthersPassThrough() {
    let keys = "\(csi)1;5A\(esc)OP\(csi)3~x\(esc)\(esc)a\(csi)200~"
    #expect(run([keys], app: true) == keys)
    #expect(run([keys], app: false) == keys)
  }

  @Test func splitSequencesAreTranslated() {
    #expect(run(["ab\(esc)", "[", "A"], app: true) == "ab\(esc)OA")
    #expect(run(["\(esc)O", "Dz"], app: false) == "\(csi)Dz")
  }

  @Test func loneEscapeIsNotHeld() {
    var tr = InputTranslator()
    var out: [UInt8] = []
    [UInt8(0x1B)].withUnsafeBytes { tr.translate($0, modes: Modes(), into: &out) }
    #expect(out == [0x1B])
  }
}
