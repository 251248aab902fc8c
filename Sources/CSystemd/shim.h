#ifndef VIGIL_CSYSTEMD_SHIM_H
#define VIGIL_CSYSTEMD_SHIM_H
#include <systemd/sd-journal.h>
#include <systemd/sd-daemon.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <sys/resource.h>

/* No core dumps: a crash must not write a record-level extract's rows to disk. */
static inline int vigil_disable_core_dumps(void) {
    struct rlimit none = {0, 0};
    return setrlimit(RLIMIT_CORE, &none);
}
static inline int vigil_o_excl(void) { return O_EXCL; }

/* Swift cannot see these as constants through macros in every libc; expose them as functions. */
static inline int vigil_o_directory(void) { return O_DIRECTORY; }
static inline int vigil_o_nofollow(void) { return O_NOFOLLOW; }
static inline int vigil_o_cloexec(void) { return O_CLOEXEC; }
static inline int vigil_o_nonblock(void) { return O_NONBLOCK; }
static inline int vigil_s_isreg(mode_t m) { return S_ISREG(m); }
static inline int vigil_s_isdir(mode_t m) { return S_ISDIR(m); }
/* lseek's SEEK_HOLE (Linux 3.1; needs _GNU_SOURCE in glibc's headers, so spelled out). */
static inline int vigil_seek_hole(void) { return 4; }
#include <errno.h>
#include <string.h>

/* SIGHUP → self-pipe. A handler (not a mask) works whatever threads already exist. */
static int vigil_hup_pipe[2] = {-1, -1};
static void vigil_hup_handler(int sig) {
    (void)sig;
    int saved = errno;
    char c = 1;
    if (vigil_hup_pipe[1] >= 0) { ssize_t ignored = write(vigil_hup_pipe[1], &c, 1); (void)ignored; }
    errno = saved;
}
/* Installs the handler once; returns the read end of the pipe (non-blocking), or -1. */
static inline int vigil_install_hangup_pipe(void) {
    if (vigil_hup_pipe[0] >= 0) return vigil_hup_pipe[0];
    if (pipe(vigil_hup_pipe) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(vigil_hup_pipe[i], F_SETFL, fcntl(vigil_hup_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(vigil_hup_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = vigil_hup_handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGHUP, &sa, NULL) != 0) return -1;
    return vigil_hup_pipe[0];
}

static inline unsigned long long vigil_monotonic_usec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000ULL;
}
#endif
