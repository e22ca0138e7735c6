// The few declarations Swift cannot reach through Glibc: GNU-only spawn
// extensions, signalfd, and small helpers around them. Kept tiny on purpose.
#ifndef BERTH_CSUPPORT_H
#define BERTH_CSUPPORT_H

#include <signal.h>
#include <spawn.h>
#include <sys/types.h>

/// POSIX_SPAWN_SETSID: glibc's flag for setsid() in the child (GNU-only).
static const short berth_POSIX_SPAWN_SETSID = 0x80;

/// The GNU spawn file actions glibc has but does not declare without _GNU_SOURCE.
int berth_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
int berth_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// signalfd(2) for the given signals (which the caller has blocked); returns
/// the descriptor (non-blocking, close-on-exec) or -1 with errno set.
int berth_signalfd(const sigset_t *mask);

/// Reads one pending signal from a signalfd: its number, or 0 if none, -1 on error.
int berth_signalfd_read(int fd);

/// The pid and uid of the process at the other end of a Unix socket
/// (SO_PEERCRED, as it connected); 0, or -1 with errno set.
int berth_peer_credentials(int fd, long *pid, long *uid);

/// The signal's name without "SIG" ("TERM"), or NULL.
const char *berth_signal_name(int sig);

/// Marks this process a child subreaper: orphaned descendants are re-parented to it.
int berth_set_child_subreaper(void);

/// A new PTY master (O_RDWR|O_NOCTTY|O_CLOEXEC), granted and unlocked, with
/// the slave's path in `name`; -1 with errno set on failure.
int berth_open_pty(char *name, size_t size);

/// pipe2(fds, O_CLOEXEC).
int berth_pipe_cloexec(int fds[2]);

/// accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK).
int berth_accept(int fd);

/// Sends len bytes on a stream socket with descriptor fd attached to the first
/// (SCM_RIGHTS), without blocking or SIGPIPE. Returns the count sent or -1.
long berth_send_with_fd(int sock, const void *buf, unsigned long len, int fd);

/// Reads from a stream socket like read(2), collecting descriptors sent with
/// the bytes (close-on-exec) into fds, at most maxfds; any beyond are closed.
/// *nfds is their count, or -1 if some were cut off (and closed).
long berth_recv_with_fds(int sock, void *buf, unsigned long len, int *fds, int maxfds, int *nfds);

/// memfd_create(name, MFD_CLOEXEC): an anonymous file in memory, or -1.
int berth_memfd(const char *name);

/// malloc_trim(0): the heap's free pages back to the system.
void berth_release_free_memory(void);

/// After a crash (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE), the
/// process executes `path` with `argv` (a NULL-terminated list), keeping
/// the descriptors last given to berth_crash_keep open: a server that dies
/// of a bug carries on as a new one in the same process, its programs still
/// its children. Everything here is copied now; the handler only calls
/// async-signal-safe functions. Returns 0, or -1 when it cannot be set up.
int berth_crash_exec_install(const char *path, const char *const *argv);

/// No crash exec in this process (a child forked to do one thing).
void berth_crash_exec_uninstall(void);

/// Closes every descriptor from 3 up but fd (all of them when fd < 3): a
/// forked child holds none of its parent's terminals and connections.
void berth_keep_only_descriptor(int fd);

/// The descriptors a crash exec keeps (at most 4096; the rest are closed).
void berth_crash_keep(const int *fds, int count);

/// The keeper (Keeper.c): what the server and it tell each other over
/// their control socket (SOCK_SEQPACKET, one message a packet).
enum berth_keeper_op {
  /// Server to keeper: hold the descriptor sent with this, as the server's `number`.
  BERTH_KEEP = 1,
  /// The same for the memory file a new server reads the session from.
  BERTH_KEEP_STATE = 2,
  /// Let go of what is held as `number`.
  BERTH_DROP = 3,
  /// Start a new server from `path`, as recovery `value` (the generation).
  BERTH_EXEC = 4,
  /// Keeper to server: process `number` ended with wait status `value`.
  BERTH_EXITED = 5,
};
struct berth_keeper_message {
  int op, number, value;
  char path[4096];
};
/// The environment variable that gives a server its control socket's number.
#define BERTH_KEEPER_VARIABLE "BERTH_KEEPER_FD"

/// Forks the session's keeper. In the child, the server, returns its end
/// of the control socket (close-on-exec; berth_keeper_socket() gives it
/// later); the parent becomes the keeper and never returns. -1: no keeper
/// could be started (the caller goes on as the server without one).
int berth_keeper_start(void);

/// The control socket berth_keeper_start returned in this process, or -1.
int berth_keeper_socket(void);

/// Sends one message (path may be NULL, fd -1), without blocking. 0 or -1.
int berth_keeper_send(int socket, int op, int number, int value, const char *path, int fd);

/// Reads one message without blocking: 1, -1 when none is waiting (or a
/// short one was dropped), 0 when the keeper is gone.
int berth_keeper_receive(int socket, int *op, int *number, int *value);

#endif
