// Implementations of CSupport.h: thin calls into glibc's GNU extensions.
#define _GNU_SOURCE
#include "CSupport.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

int berth_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
  return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int berth_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
  return posix_spawn_file_actions_addchdir_np(actions, path);
}

int berth_signalfd(const sigset_t *mask) {
  return signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

int berth_signalfd_read(int fd) {
  struct signalfd_siginfo info;
  ssize_t n = read(fd, &info, sizeof info);
  if (n == (ssize_t)sizeof info) return (int)info.ssi_signo;
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
  return -1;
}

int berth_peer_credentials(int fd, long *pid, long *uid) {
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
  *pid = (long)cred.pid;
  *uid = (long)cred.uid;
  return 0;
}

const char *berth_signal_name(int sig) {
  return sigabbrev_np(sig);
}

int berth_set_child_subreaper(void) {
  return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

int berth_open_pty(char *name, size_t size) {
  int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -1;
  if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name, size) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

int berth_pipe_cloexec(int fds[2]) {
  return pipe2(fds, O_CLOEXEC);
}

int berth_accept(int fd) {
  return accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
}

long berth_send_with_fd(int sock, const void *buf, unsigned long len, int fd) {
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE(sizeof(int))];
  } control;
  memset(&control, 0, sizeof control);
  struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
  msg.msg_control = control.space;
  msg.msg_controllen = sizeof control.space;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t n;
  do {
    n = sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  return (long)n;
}

long berth_recv_with_fds(int sock, void *buf, unsigned long len, int *fds, int maxfds, int *nfds) {
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE(8 * sizeof(int))];
  } control;
  struct iovec iov = {.iov_base = buf, .iov_len = len};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
  msg.msg_control = control.space;
  msg.msg_controllen = sizeof control.space;
  ssize_t n;
  do {
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  int count = 0, lost = (msg.msg_flags & MSG_CTRUNC) != 0;
  if (n >= 0) {
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < k; i++) {
        int fd;
        memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        if (count < maxfds) {
          fds[count++] = fd;
        } else {
          close(fd);
          lost = 1;
        }
      }
    }
  }
  *nfds = lost ? -1 : count;
  if (lost) {
    for (int i = 0; i < count; i++) close(fds[i]);
  }
  return (long)n;
}

int berth_memfd(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

void berth_release_free_memory(void) { malloc_trim(0); }

// The crash exec. Set up ahead, read by the handler only.
static char *crash_path;
static char *crash_argv[16];
static int crash_fds[4096];
static volatile sig_atomic_t crash_nfds;
static char crash_stack[65536];
extern char **environ;

static char crash_signal[12];
static int crash_argc;

static void crash_handler(int sig) {
  for (int i = 0; i < crash_nfds; i++) fcntl(crash_fds[i], F_SETFD, 0);
  // The signal, last among the arguments: the new server says what it was.
  char digits[12];
  int n = 0, k = 0;
  for (int v = sig; n < 10 && (v > 0 || n == 0); v /= 10) digits[n++] = (char)('0' + v % 10);
  while (n > 0) crash_signal[k++] = digits[--n];
  crash_signal[k] = 0;
  crash_argv[crash_argc] = crash_signal;
  crash_argv[crash_argc + 1] = NULL;
  // The new process starts with the signal unblocked, whatever happened here.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  execve(crash_path, crash_argv, environ);
  // No exec: the default action, as without this handler.
  signal(sig, SIG_DFL);
  raise(sig);
}

int berth_crash_exec_install(const char *path, const char *const *argv) {
  int n = 0;
  while (argv[n] && n < 14) n++;
  char *p = strdup(path);
  if (!p) return -1;
  for (int i = 0; i < n; i++) {
    crash_argv[i] = strdup(argv[i]);
    if (!crash_argv[i]) return -1;
  }
  crash_argv[n] = NULL;
  crash_argc = n;
  crash_path = p;
  // Its own stack: a stack overflow is a crash too.
  stack_t ss = {.ss_sp = crash_stack, .ss_size = sizeof crash_stack, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) return -1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = crash_handler;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    if (sigaction(signals[i], &sa, NULL) != 0) return -1;
  }
  return 0;
}

void berth_keep_only_descriptor(int fd) {
  if (fd < 3) {
    close_range(3, ~0U, 0);
    return;
  }
  if (fd > 3) close_range(3, (unsigned)fd - 1, 0);
  close_range((unsigned)fd + 1, ~0U, 0);
}

void berth_crash_exec_uninstall(void) {
  int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
}

void berth_crash_keep(const int *fds, int count) {
  if (count > 4096) count = 4096;
  crash_nfds = 0;
  for (int i = 0; i < count; i++) crash_fds[i] = fds[i];
  crash_nfds = count;
}
