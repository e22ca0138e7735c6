// Every message survives encoding and decoding unchanged.
import BerthTerminal
import Testing

@testable import BerthProtocol

func decodeAll<M>(_ bytes: [UInt8], _ decode: (UInt8, [UInt8]) throws -> M) throws -> [M] {
  var assembler = FrameAssembler()
  assembler.append(bytes)
  var out: [M] = []
  while let f = try assembler.next() { out.append(try decode(f.type, f.payload)) }
  return out
}

@Test(arguments: [
  ClientMessage.hello(ClientHello(columns: 132, rows: 43, term: "xterm-256color", colors: 256)),
  .attach(AttachRequest(readOnly: true, detachOthers: false)),
  .attach(AttachRequest(readOnly: false, detachOthers: true, window: "vim")),
  .input(Array("ls -l\r".utf8) + [0x1B, 0x5B, 0x41, 0x00, 0xFF]),
  .input([]),
  .resize(columns: 200, rows: 60),
  .command(window: nil, ["stuff", "echo hi\\n"]),
  .command(window: "2", ["hardcopy", "-h", "/tmp/x y"]),
  .boundKey(0x63),
  .boundSpecialKey(.f5, [.shift]),
  .boundSequence(Array("\u{1B}O1;2P".utf8)),
  .detach, .info, .redraw,
])
func clientMessageRoundTrips(_ message: ClientMessage) throws {
  let decoded = try decodeAll(message.encoded(), ClientMessage.decode)
  #expect(decoded == [message])
}

@Test(arguments: [
  ServerMessage.hello(ServerHello(pid: 4242, name: "4242.web")),
  .bell,
  .message("window 1 changed"),
  .exit(
    ExitNotice(reason: .terminated, status: 143, text: "[1.x terminated: killed by SIGTERM (143)]")),
  .exit(ExitNotice(reason: .detached, status: 0, text: "[detached from 1.x]")),
  .info(SessionInfo(pid: 7, name: "7.a", created: 1_800_000_000, attachedClients: 2, windows: 1)),
  .commandResult(status: 1, output: Array("unknown command 'x'".utf8)),
  .error("malformed message"),
  .settings(
    ClientSettings(
      commandKey: 0x14, literalKey: 0x74, messageSeconds: 2, visualBell: true, mouseTrack: true)),
  .directInput(serial: 0),
  .directInput(serial: 0xFFFF_FFFF),
  .directInput(serial: nil),
  .settings(ClientSettings(boundSequences: [Array("\u{1B}O1;2P".utf8), [0x01]])),
  .prompt(Prompt(kind: .commandKey, text: "")),
  .typeKeys(Array("\u{01}:title x\r".utf8)),
  .lines(Array("one\ntwo\n".utf8)),
  .follow(columns: 132, seed: Array("$ ls\r\u{1B}[5G\u{1B}[0m".utf8)),
  .output([0x0A, 0x1B, 0xFF, 0x00]),
  .skipped(lines: 1 << 40),
  .upgrading,
])
func serverMessageRoundTrips(_ message: ServerMessage) throws {
  let decoded = try decodeAll(message.encoded(), ServerMessage.decode)
  #expect(decoded == [message])
}

@Test func anOutputFrameIsTheOutputMessageFromPieces() throws {
  let a: [UInt8] = Array("hello ".utf8)
  let b: [UInt8] = Array("world\n".utf8)
  let frame = a.withUnsafeBytes { pa in
    b.withUnsafeBytes { pb in ServerMessage.outputFrame(pa, pb) }
  }
  #expect(frame == ServerMessage.output(a + b).encoded())
}

@Test func aFollowRequestRoundTripsAndTooManyLinesAreRefused() throws {
  let request = ClientMessage.follow(
    FollowRequest(window: "web", lines: 500, follow: true, color: true))
  #expect(try decodeAll(request.encoded(), ClientMessage.decode) == [request])
  let tooMany = ClientMessage.follow(FollowRequest(lines: FollowRequest.maxLines + 1)).encoded()
  #expect(throws: ProtocolError.self) { try decodeAll(tooMany, ClientMessage.decode) }
}

@Test func screenUpdateRoundTripsStylesWideAndCombiningCells() throws {
  let red = Style(foreground: .palette(1), background: .rgb(1, 2, 3), attributes: [.bold, .italic])
  var underline = Attributes.underline
  underline.underlineStyle = 3
  let curly = Style(foreground: .default, background: .palette(200), attributes: underline)
  let cells: [Cell] = [
    Cell(scalar: 0x61), Cell(scalar: 0x62, style: red), Cell(scalar: 0x65E5, style: red, width: 2),
    Cell(scalar: 0x20, style: red, width: 0), Cell(scalar: 0x65, combining: 1, style: curly),
    Cell(scalar: 0x1F600, combining: 2, style: curly, width: 2),
    Cell(scalar: 0x20, style: curly, width: 0), Cell(scalar: 0x20),
  ]
  let update = ScreenUpdate(
    columns: 8, rows: 3, cursorX: 7, cursorY: 2, cursorVisible: false, cursorShape: 5, full: true,
    title: "vim — 日本", modeFlags: ModeFlags.bracketedPaste,
    rowUpdates: [
      RowUpdate(y: 1, cells: cells, marks: [[0x301], [0x200D, 0x1F525]]),
      RowUpdate(y: 2, cells: Array(repeating: Cell(), count: 8)),
    ])
  let decoded = try decodeAll(ServerMessage.screen(update).encoded(), ServerMessage.decode)
  #expect(decoded == [.screen(update)])
}

@Test func framesSplitAcrossReadsAreReassembled() throws {
  let bytes =
    ClientMessage.command(window: nil, ["stuff", "x"]).encoded() + ClientMessage.detach.encoded()
  var assembler = FrameAssembler()
  var got: [ClientMessage] = []
  for b in bytes {
    assembler.append([b])
    while let f = try assembler.next() {
      got.append(try ClientMessage.decode(type: f.type, payload: f.payload))
    }
  }
  #expect(got == [.command(window: nil, ["stuff", "x"]), .detach])
}
