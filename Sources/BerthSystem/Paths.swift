// Paths through the kernel: the current directory and symbolic links.
import Glibc

/// `path` made absolute against the current directory; as it is when it is
/// absolute already or the current directory cannot be read.
public func absolutePath(_ path: String) -> String {
  var buffer = [CChar](repeating: 0, count: 4096)
  guard !path.hasPrefix("/"), getcwd(&buffer, buffer.count) != nil else { return path }
  return String(cBuffer: buffer) + "/" + path
}

/// What the symbolic link at `path` points to ("/proc/self/exe", a
/// process's "/proc/PID/fd/0"), or nil when it cannot be read.
public func readLink(_ path: String) -> String? {
  var buffer = [CChar](repeating: 0, count: 4096)
  guard readlink(path, &buffer, buffer.count - 1) > 0 else { return nil }
  return String(cBuffer: buffer)
}

/// The path the process `pid` (nil: this one) was started from. When that
/// file has since been replaced (a package upgrade renames a new one over
/// it), the kernel marks the link " (deleted)": the path is where the new
/// one is now.
public func installedExecutable(of pid: Int32? = nil) -> String? {
  guard var path = readLink("/proc/\(pid.map(String.init) ?? "self")/exe") else { return nil }
  if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
  return path
}
