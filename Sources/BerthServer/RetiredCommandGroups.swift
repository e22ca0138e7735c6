// The group functions that CommandTable.swift's group handlers (core,
// script, buffer, process, control) still call. No row of the table uses
// those handlers any more: each row calls its command's own function. These
// stay only so that the handlers compile until they are deleted; delete this
// file with them. Reached by a slip, they answer as an unknown name does.

extension SessionServer {
  func executeCore(_ call: CommandCall) -> (Int32, String) {
    (1, "unknown command '\(call.name)'")
  }

  func executeScript(_ name: String, _ args: [String], from c: ClientConnection, window w: Window?)
    -> (Int32, String)?
  { nil }

  func executeBuffer(_ name: String, _ args: [String], window w: Window?) -> (Int32, String)? {
    nil
  }

  func executeProcess(_ name: String, _ args: [String], window w: Window?) -> (Int32, String)? {
    nil
  }

  func control(_ name: String, _ args: [String], _ w: Window) -> (Int32, String) {
    (1, "unknown command '\(name)'")
  }
}
