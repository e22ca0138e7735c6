// The session's keeper: a small process above the server that holds a copy
// of every PTY master, the listening socket and the memory file with the
// session's state, so that a server killed outright (kill -9, the OOM
// killer) loses no program: the kernel hangs a PTY up only when its last
// master closes, and the keeper starts a server again from the state.
//
// It is the server's parent and a child subreaper, so the programs a dead
// server leaves behind become its children: it reaps them and tells the
// server their statuses. Written in C and forked before Swift's runtime
// starts (a constructor, below), it shares with the server only what the C
// library set up and writes little of its own (no allocation in its loop):
// about 60 KiB of memory. It is not upgraded with the server (it keeps the
// binary it was started from), so what the two say to each other
// (CSupport.h's berth_keeper_message) must stay as it is.
#define _GNU_SOURCE
#include "CSupport.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

enum { keeper_max_fds = 4096, keeper_max_restarts = 10 };

// Descriptors kept, by the number the server has them at, plus one (0:
// none, so that the pages of numbers never used are never written).
static int kept[keeper_max_fds];
static int state_number = -1;
static char exec_path[4096];
static int generation;
static pid_t server;
// The control socket: the keeper's end and (a copy of) the server's.
static int own_end = -1, server_end = -1;
// The signals handed on to the server, as if sent to it.
static const int passed_on[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2};

static void forget(int number) {
  if (number < 0 || number >= keeper_max_fds || kept[number] == 0) return;
  close(kept[number] - 1);
  kept[number] = 0;
}

static void take(const struct berth_keeper_message *m, long length, int fd) {
  switch (m->op) {
  case BERTH_KEEP:
  case BERTH_KEEP_STATE:
    if (fd < 0 || m->number < 0 || m->number >= keeper_max_fds) break;
    if (m->op == BERTH_KEEP_STATE && state_number != m->number) forget(state_number);
    forget(m->number);
    kept[m->number] = fd + 1;
    if (m->op == BERTH_KEEP_STATE) state_number = m->number;
    return;
  case BERTH_DROP:
    forget(m->number);
    if (m->number == state_number) state_number = -1;
    break;
  case BERTH_EXEC: {
    long n = length - (long)offsetof(struct berth_keeper_message, path);
    if (n > 0 && n < (long)sizeof exec_path && memchr(m->path, 0, (size_t)n) == NULL) {
      memcpy(exec_path, m->path, (size_t)n);
      exec_path[n] = 0;
      generation = m->value;
    }
    break;
  }
  }
  if (fd >= 0) close(fd);
}

static void read_messages(void) {
  for (;;) {
    struct berth_keeper_message m;
    int fds[1], nfds = 0;
    long n = berth_recv_with_fds(own_end, &m, sizeof m, fds, 1, &nfds);
    if (n <= 0) return;  // EAGAIN: all read
    int fd = nfds == 1 ? fds[0] : -1;
    if (n < (long)offsetof(struct berth_keeper_message, path)) {
      if (fd >= 0) close(fd);
      continue;
    }
    take(&m, n, fd);
  }
}

static void tell_exit(pid_t pid, int status) {
  struct berth_keeper_message m;
  memset(&m, 0, sizeof m);
  m.op = BERTH_EXITED;
  m.number = pid;
  m.value = status;
  // The socket holds hundreds of these while no server reads them.
  send(own_end, &m, offsetof(struct berth_keeper_message, path), MSG_DONTWAIT | MSG_NOSIGNAL);
}

// In the child: the kept descriptors at the numbers the state names them
// by, the server's end of the control socket where it was, then the exec.
static void exec_server(int sig) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int top = server_end;
  for (int i = 0; i < keeper_max_fds; i++) {
    if (kept[i] == 0) continue;
    if (i > top) top = i;
    if (kept[i] - 1 > top) top = kept[i] - 1;
  }
  // Moved above every number first, so that no dup2 overwrites one still needed.
  int moved[keeper_max_fds];
  for (int i = 0; i < keeper_max_fds; i++) {
    moved[i] = kept[i] == 0 ? -1 : fcntl(kept[i] - 1, F_DUPFD_CLOEXEC, top + 1);
    if (kept[i] != 0 && moved[i] < 0) _exit(127);
  }
  int control = fcntl(server_end, F_DUPFD_CLOEXEC, top + 1);
  if (control < 0) _exit(127);
  for (int i = 0; i < keeper_max_fds; i++) {
    if (moved[i] >= 0 && dup2(moved[i], i) < 0) _exit(127);
  }
  if (dup2(control, server_end) < 0) _exit(127);
  char state[16], next[16], ctl[16], killed[16];
  snprintf(state, sizeof state, "%d", state_number);
  snprintf(next, sizeof next, "%d", generation);
  snprintf(ctl, sizeof ctl, "%d", server_end);
  snprintf(killed, sizeof killed, "%d", sig);
  setenv(BERTH_KEEPER_VARIABLE, ctl, 1);
  char *argv[] = {"berth", "--recover-server", state, next, killed, NULL};
  execv(exec_path, argv);
  _exit(127);
}

// The server ended. On its own (an exit status): so does the session. Killed:
// another one carries on from the state, as often as the limit allows.
static void server_ended(int status, int *restarts) {
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (state_number < 0 || exec_path[0] == 0 || *restarts >= keeper_max_restarts) {
    syslog(LOG_WARNING, "berth: a session's server was killed (signal %d); its programs are lost",
           sig);
    _exit(128 + sig);
  }
  (*restarts)++;
  if (generation < *restarts) generation = *restarts;
  pid_t pid = fork();
  if (pid == 0) exec_server(sig);
  if (pid < 0) {
    syslog(LOG_WARNING, "berth: a session's server was killed and cannot be restarted: %m");
    _exit(128 + sig);
  }
  server = pid;
  syslog(LOG_WARNING, "berth: a session's server was killed (signal %d); restarted as pid %d",
         sig, (int)pid);
}

static void reap(int *restarts) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == server) {
      server_ended(status, restarts);
    } else {
      tell_exit(pid, status);
    }
  }
}

static void keep_running(void) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  for (unsigned i = 0; i < sizeof passed_on / sizeof passed_on[0]; i++)
    sigaddset(&mask, passed_on[i]);
  int signals = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signals < 0) _exit(1);
  int restarts = 0;
  // A child that ended before the signalfd existed.
  reap(&restarts);
  for (;;) {
    struct pollfd p[2] = {{.fd = own_end, .events = POLLIN}, {.fd = signals, .events = POLLIN}};
    if (poll(p, 2, -1) < 0) continue;
    if (p[0].revents) read_messages();
    if (p[1].revents) {
      struct signalfd_siginfo info;
      while (read(signals, &info, sizeof info) == (ssize_t)sizeof info) {
        if (info.ssi_signo == SIGCHLD) {
          reap(&restarts);
        } else if (server > 0) {
          kill(server, (int)info.ssi_signo);
        }
      }
    }
  }
}

static int started_socket = -1;

int berth_keeper_socket(void) { return started_socket; }

int berth_keeper_start(void) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) return -1;
  // Blocked before the fork: a signal between it and the signalfd waits.
  sigset_t mask, old;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  for (unsigned i = 0; i < sizeof passed_on / sizeof passed_on[0]; i++)
    sigaddset(&mask, passed_on[i]);
  sigprocmask(SIG_BLOCK, &mask, &old);
  pid_t pid = fork();
  if (pid < 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(pair[0]);
    close(pair[1]);
    return -1;
  }
  if (pid == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(pair[0]);
    // Not in the environment yet: Swift finds the arguments from where the
    // environment starts, so it is not moved before they are read.
    started_socket = pair[1];
    return pair[1];
  }
  server = pid;
  own_end = pair[0];
  server_end = pair[1];
  fcntl(own_end, F_SETFL, O_NONBLOCK);
  // Nothing of the caller's is held: its terminal or pipe, the ready pipe.
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    for (int fd = 0; fd < 3; fd++) dup2(null, fd);
    if (null > 2) close(null);
  }
  int low = own_end < server_end ? own_end : server_end;
  int high = own_end < server_end ? server_end : own_end;
  if (low > 3) close_range(3, (unsigned)low - 1, 0);
  if (high > low + 1) close_range((unsigned)low + 1, (unsigned)high - 1, 0);
  close_range((unsigned)high + 1, ~0U, 0);
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  prctl(PR_SET_NAME, "berth-keeper", 0, 0, 0);
  keep_running();
  return -1;
}

int berth_keeper_send(int socket, int op, int number, int value, const char *path, int fd) {
  struct berth_keeper_message m;
  memset(&m, 0, offsetof(struct berth_keeper_message, path));
  m.op = op;
  m.number = number;
  m.value = value;
  size_t length = offsetof(struct berth_keeper_message, path);
  if (path) {
    size_t n = strlen(path);
    if (n >= sizeof m.path) return -1;
    memcpy(m.path, path, n);
    length += n;
  }
  if (fd >= 0) return berth_send_with_fd(socket, &m, length, fd) < 0 ? -1 : 0;
  return send(socket, &m, length, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -1 : 0;
}

int berth_keeper_receive(int socket, int *op, int *number, int *value) {
  struct berth_keeper_message m;
  ssize_t n;
  do {
    n = recv(socket, &m, sizeof m, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return 0;
  if (n < 0) return errno == EAGAIN ? -1 : 0;
  if (n < (ssize_t)offsetof(struct berth_keeper_message, path)) return -1;
  *op = m.op;
  *number = m.number;
  *value = m.value;
  return 1;
}

// A spawned server (berth's hidden server mode, ServerConfig.modeFlag)
// forks its keeper here, before Swift's runtime starts: the keeper then
// shares with the server only what the C library set up, and is copied
// little of what the server writes later. (-D -m starts its keeper from
// Swift, once the command line is read.)
__attribute__((constructor(101))) static void berth_keeper_early(int argc, char **argv, char **envp) {
  (void)envp;
  if (argc > 1 && strcmp(argv[1], "--berth-internal-server") == 0) berth_keeper_start();
}
