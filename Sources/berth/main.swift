// berth's entry point: the hidden server mode, or the command line.
import BerthServer
import BerthSystem
import Glibc

let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == ServerConfig.modeFlag {
  // The process started is the session's keeper (forked before this, see
  // CSupport's Keeper.c); the server is its child and names the session by
  // its own pid.
  guard let config = ServerConfig(arguments: arguments, pid: getpid()) else {
    printError("berth: bad server arguments")
    exit(2)
  }
  exit(SessionServer.main(config: config))
}

// A server carrying on after `berth --upgrade`, and the check before it.
if arguments.first == SessionServer.resumeFlag, arguments.count == 2, let fd = Int32(arguments[1]) {
  exit(SessionServer.resume(stateFd: fd))
}
if arguments.first == SessionServer.recoverFlag, arguments.count == 4, let fd = Int32(arguments[1]),
  let generation = Int(arguments[2]), let signal = Int32(arguments[3])
{
  exit(SessionServer.recover(stateFd: fd, generation: generation, signal: signal))
}
if arguments == [SessionServer.checkFlag] {
  exit(SessionServer.checkState())
}

do {
  exit(try CommandLineTool(options: try Options(arguments)).run())
} catch let error as BerthError {
  printError("berth: \(error.description)")
  exit(error.status)
} catch let error as SpawnError {
  printError("berth: \(error.description)")
  exit(error.status)
} catch {
  printError("berth: \(error)")
  exit(1)
}
