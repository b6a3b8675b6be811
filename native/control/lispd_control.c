/* lispd_control.c - the control socket (lispd_control.h): listening, one bounded exchange
 * per connection, and the table of commands. The answers are rendered by lispd_show_*.c. */
#define _GNU_SOURCE /* accept4 */
#include "lispd_control.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lispd_control_internal.h"

#define CTL_LINE_MAX 512       /* longest command line */
#define CTL_READ_MS 1000       /* a client has this long to send its line */
#define CTL_WRITE_MS 5000      /* ... and this long to take the whole answer */
#define CTL_ACCEPT_PER_CALL 16 /* connections served per readiness, then back to the loop */

struct lispd_control {
    int fd;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    dev_t dev; /* of the socket file we bound: close removes only that one */
    ino_t ino;
    const lispd_control_ops *ops;
    void *user;
};

/* ---------------------------------------------------------------------------------------- */
/* Commands                                                                                 */
/* ---------------------------------------------------------------------------------------- */

int ctl_fail(ctl_req *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    return -1;
}

typedef struct ctl_command {
    const char *words[2]; /* the command's own words; the second may be NULL */
    int min_args, max_args;
    bool needs_engine;
    int (*run)(ctl_req *r);
} ctl_command;

static const ctl_command commands[] = {
    {{"help", NULL}, 0, 0, false, ctl_cmd_help},
    {{"show", "map-cache"}, 0, 0, true, ctl_cmd_show_map_cache},
    {{"show", "registrations"}, 0, 0, true, ctl_cmd_show_registrations},
    {{"show", "sites"}, 0, 0, true, ctl_cmd_show_sites},
    {{"show", "locators"}, 0, 0, true, ctl_cmd_show_locators},
    {{"show", "stats"}, 0, 0, true, ctl_cmd_show_stats},
    {{"show", "nat"}, 0, 1, true, ctl_cmd_show_nat},
    {{"clear", "map-cache"}, 0, 0, true, ctl_cmd_clear_map_cache},
    {{"log", "level"}, 1, 1, false, ctl_cmd_log_level},
};

static const ctl_command *find_command(int argc, char **argv, int *used)
{
    size_t i;

    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const ctl_command *c = &commands[i];
        int n = c->words[1] ? 2 : 1;
        if (argc < n || strcmp(argv[0], c->words[0]) != 0 ||
            (n == 2 && strcmp(argv[1], c->words[1]) != 0))
            continue;
        *used = n;
        return c;
    }
    return NULL;
}

/* Split line into words (spaces and tabs); false when there are too many. */
static bool split(char *line, int *argc, char **argv)
{
    char *save = NULL, *w;

    *argc = 0;
    for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
        if (*argc == CTL_MAX_WORDS)
            return false;
        argv[(*argc)++] = w;
    }
    return true;
}

/* Run one command line: 0 with the answer's body in r->out, or -1 with the reason in
 * r->error (r is zeroed here; the caller frees r->out). */
static int run_line(lispd_control *c, char *line, ctl_req *r)
{
    char *argv[CTL_MAX_WORDS];
    const ctl_command *cmd;
    int argc, used = 0;

    memset(r, 0, sizeof *r);
    r->ops = c->ops;
    r->user = c->user;
    if (!split(line, &argc, argv))
        return ctl_fail(r, "too many words (try help)");
    if (argc > 0 && strcmp(argv[argc - 1], "--json") == 0) {
        r->json = true;
        argc--;
    }
    if (argc == 0)
        return ctl_fail(r, "empty command (try help)");
    cmd = find_command(argc, argv, &used);
    if (!cmd)
        return ctl_fail(r, "unknown command '%s%s%s' (try help)", argv[0], argc > 1 ? " " : "",
                        argc > 1 ? argv[1] : "");
    r->argc = argc - used;
    r->argv = argv + used;
    if (r->argc < cmd->min_args || r->argc > cmd->max_args)
        return ctl_fail(r, "%s%s%s: wrong number of arguments (try help)", cmd->words[0],
                        cmd->words[1] ? " " : "", cmd->words[1] ? cmd->words[1] : "");
    r->engine = c->ops->engine(c->user);
    r->role = c->ops->role(c->user);
    if (!r->role)
        r->role = "?";
    r->now = c->ops->now(c->user);
    if (!r->engine && cmd->needs_engine)
        return ctl_fail(r, "no engine is running");
    if (cmd->run(r) < 0)
        return -1;
    if (r->out.failed)
        return ctl_fail(r, "out of memory");
    if (r->out.depth != 0) /* a renderer bug: never half a document */
        return ctl_fail(r, "internal error: unbalanced JSON");
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* The socket                                                                               */
/* ---------------------------------------------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for events or the deadline passes; false on timeout or error. */
static bool wait_for(int fd, short events, int64_t deadline)
{
    struct pollfd p = {.fd = fd, .events = events};
    int64_t left;
    int rc;

    for (;;) {
        left = deadline - now_ms();
        if (left <= 0)
            return false;
        rc = poll(&p, 1, (int)left);
        if (rc > 0)
            return true;
        if (rc == 0 || errno != EINTR)
            return false;
    }
}

typedef enum {
    LINE_OK,
    LINE_NONE,
    LINE_TOO_LONG
} line_status;

/* Read the command line (up to '\n' or the end of the stream) within CTL_READ_MS. NONE
 * when the client sent nothing usable in time (it is dropped without an answer). */
static line_status read_line(int fd, char *line, size_t cap)
{
    int64_t deadline = now_ms() + CTL_READ_MS;
    size_t len = 0;
    ssize_t n;
    char *nl;

    for (;;) {
        if (!wait_for(fd, POLLIN, deadline))
            return LINE_NONE;
        n = read(fd, line + len, cap - 1 - len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return LINE_NONE;
        len += (size_t)n;
        line[len] = '\0';
        nl = memchr(line, '\n', len);
        if (nl) {
            *nl = '\0';
            return LINE_OK;
        }
        if (n == 0) /* the client closed its side: the line is what it sent */
            return len > 0 ? LINE_OK : LINE_NONE;
        if (len == cap - 1)
            return LINE_TOO_LONG;
    }
}

/* Write all of buf by the deadline; false when the client did not take it in time (it is
 * dropped: a slow reader must not hold the daemon) or went away. */
static bool write_all(int fd, const char *buf, size_t len, int64_t deadline)
{
    ssize_t n;

    while (len > 0) {
        if (!wait_for(fd, POLLOUT, deadline))
            return false;
        n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* One exchange: the line, then "ok" and the body, or the one line "error: <why>". */
static void serve(lispd_control *c, int fd)
{
    char line[CTL_LINE_MAX], status[sizeof((ctl_req *)0)->error + 16];
    int64_t deadline;
    ctl_req r;
    int n;

    switch (read_line(fd, line, sizeof line)) {
    case LINE_NONE:
        return;
    case LINE_TOO_LONG:
        n = snprintf(status, sizeof status, "error: command longer than %d bytes\n",
                     CTL_LINE_MAX - 1);
        write_all(fd, status, (size_t)n, now_ms() + CTL_WRITE_MS);
        return;
    case LINE_OK:
        break;
    }
    n = run_line(c, line, &r);
    deadline = now_ms() + CTL_WRITE_MS;
    if (n < 0) {
        n = snprintf(status, sizeof status, "error: %s\n", r.error);
        write_all(fd, status, n < (int)sizeof status ? (size_t)n : sizeof status - 1, deadline);
    } else if (write_all(fd, "ok\n", 3, deadline) &&
               write_all(fd, r.out.buf, r.out.len, deadline) && r.out.len > 0 &&
               r.out.buf[r.out.len - 1] != '\n') {
        write_all(fd, "\n", 1, deadline);
    }
    ctl_out_free(&r.out);
}

void lispd_control_ready(lispd_control *c)
{
    int i, fd;

    for (i = 0; i < CTL_ACCEPT_PER_CALL; i++) {
        fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return; /* EAGAIN: no more; anything else: the next readiness tries again */
        serve(c, fd);
        close(fd);
    }
}

int lispd_control_fd(const lispd_control *c)
{
    return c->fd;
}

static lispd_control *fail_open(lispd_control *c, char *err, size_t errlen, const char *fmt,
                                const char *path, int e)
{
    if (err && errlen) {
        int n = snprintf(err, errlen, fmt, path);
        if (e && n >= 0 && (size_t)n < errlen)
            snprintf(err + n, errlen - (size_t)n, ": %s", strerror(e));
    }
    if (c && c->fd >= 0)
        close(c->fd);
    free(c);
    return NULL;
}

/* An existing file at the path: a socket nobody answers on is stale and goes; a live one
 * (another lispd) or anything that is not a socket stays, and we fail. */
static lispd_control *clear_path(lispd_control *c, const struct sockaddr_un *sa, char *err,
                                 size_t errlen)
{
    struct stat st;
    int probe, rc, e;

    if (lstat(sa->sun_path, &st) < 0)
        return errno == ENOENT ? c : fail_open(c, err, errlen, "%s", sa->sun_path, errno);
    if (!S_ISSOCK(st.st_mode))
        return fail_open(c, err, errlen, "%s exists and is not a socket", sa->sun_path, 0);
    probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0)
        return fail_open(c, err, errlen, "socket for %s", sa->sun_path, errno);
    rc = connect(probe, (const struct sockaddr *)sa, sizeof *sa);
    e = errno;
    close(probe);
    if (rc == 0)
        return fail_open(c, err, errlen, "another daemon answers on %s", sa->sun_path, 0);
    if (e != ECONNREFUSED)
        return fail_open(c, err, errlen, "cannot check %s", sa->sun_path, e);
    if (unlink(sa->sun_path) < 0 && errno != ENOENT)
        return fail_open(c, err, errlen, "cannot remove stale %s", sa->sun_path, errno);
    return c;
}

lispd_control *lispd_control_open(const char *path, mode_t mode, const lispd_control_ops *ops,
                                  void *user, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    struct stat st;
    lispd_control *c;
    mode_t old_mask;
    int rc, e;

    if (!path || !ops || !ops->engine || !ops->role || !ops->now)
        return fail_open(NULL, err, errlen, "control socket: %s", "missing path or ops", 0);
    if (strlen(path) >= sizeof sa.sun_path)
        return fail_open(NULL, err, errlen, "control socket path too long: %s", path, 0);
    c = calloc(1, sizeof *c);
    if (!c)
        return fail_open(NULL, err, errlen, "control socket %s", path, ENOMEM);
    c->fd = -1;
    c->ops = ops;
    c->user = user;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    memcpy(c->path, sa.sun_path, sizeof c->path);
    if (!clear_path(c, &sa, err, errlen))
        return NULL;
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return fail_open(c, err, errlen, "socket for %s", path, errno);
    /* The file is created with the umask's bits: create it no more open than asked, and
     * set the exact bits once it exists. */
    old_mask = umask((mode_t)(~mode & 0777));
    rc = bind(c->fd, (const struct sockaddr *)&sa, sizeof sa);
    e = errno;
    umask(old_mask);
    if (rc < 0)
        return fail_open(c, err, errlen, "bind %s", path, e);
    if (chmod(path, mode) < 0 || stat(path, &st) < 0) {
        e = errno;
        unlink(path);
        return fail_open(c, err, errlen, "chmod %s", path, e);
    }
    c->dev = st.st_dev;
    c->ino = st.st_ino;
    if (listen(c->fd, 16) < 0) {
        e = errno;
        unlink(path);
        return fail_open(c, err, errlen, "listen %s", path, e);
    }
    return c;
}

void lispd_control_close(lispd_control *c)
{
    struct stat st;

    if (!c)
        return;
    /* Only our own file: it may have been removed and the path bound again since. */
    if (stat(c->path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino)
        unlink(c->path);
    close(c->fd);
    free(c);
}
