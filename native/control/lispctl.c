/*
 * lispctl - the operator's client of lispd's control socket (lispd_control.h).
 *
 *   lispctl [-s SOCKET] [-t SECONDS] [--json] COMMAND...
 *
 * Sends the command as one line, prints the answer without its status line, and exits 0
 * when the daemon said "ok", 1 when it said "error: ..." (the message goes to stderr), 2
 * when the daemon cannot be reached or does not answer in time, and for usage errors.
 */
#define _GNU_SOURCE /* MSG_NOSIGNAL with glibc's strict C11 headers */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/lispd/lispd.sock"
#define DEFAULT_TIMEOUT_S 5
#define MAX_LINE 512       /* of a command, its newline included (lispd_control.c) */
#define EXIT_ERROR 1       /* the daemon answered "error: ..." */
#define EXIT_UNREACHABLE 2 /* no daemon, or no answer in time */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lispctl [-s SOCKET] [-t SECONDS] [--json] COMMAND...\n"
            "\n"
            "Options:\n"
            "  -s SOCKET   lispd's control socket (default " DEFAULT_SOCKET ";\n"
            "              the daemon's control-socket setting)\n"
            "  -t SECONDS  give up on a daemon that does not answer (default %d)\n"
            "  --json      ask for one JSON document instead of text\n"
            "  -h, --help  this help\n"
            "\n"
            "Commands:\n"
            "  show map-cache          xTR/PITR: mappings with locators, expiry, negative entries\n"
            "  show registrations      xTR: Map-Servers and registration state; MS: registered\n"
            "                          prefixes with site, xTRs, locators and expiry\n"
            "  show sites              MS: configured sites, their prefixes, registered or not\n"
            "  show locators           xTR: local RLOCs (interface, up/down, priority, weight)\n"
            "  show stats              every counter of the engine, by group\n"
            "  clear map-cache         xTR/PITR: drop every map-cache entry\n"
            "  log level LEVEL         debug | info | warn | error\n"
            "  help                    the daemon's own list of commands\n"
            "\n"
            "Exit status: 0 ok, 1 the daemon answered with an error, 2 no daemon, no answer\n"
            "or a usage error.\n",
            DEFAULT_TIMEOUT_S);
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connected to the daemon, or -1 (reported). A daemon whose queue of connections is full
 * (it is stuck) makes connect fail with EAGAIN: tried again until the deadline. */
static int connect_to(const char *path, long long deadline, int timeout_s)
{
    struct timespec pause = {0, 20 * 1000 * 1000};
    struct sockaddr_un sa;
    int fd;

    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "lispctl: socket path too long: %s\n", path);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "lispctl: socket: %s\n", strerror(errno));
        return -1;
    }
    while (connect(fd, (const struct sockaddr *)&sa, sizeof sa) < 0) {
        if (errno == EAGAIN && now_ms() < deadline) {
            nanosleep(&pause, NULL);
            continue;
        }
        if (errno == EAGAIN)
            fprintf(stderr, "lispctl: %s accepts no connection within %d s\n", path, timeout_s);
        else
            fprintf(stderr,
                    "lispctl: cannot connect to %s: %s\n"
                    "(is lispd running? its control-socket setting names the path; use -s "
                    "PATH)\n",
                    path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* The whole answer until the daemon closes, or NULL on a timeout or error. */
static char *read_answer(int fd, const char *path, long long deadline, int timeout_s,
                         size_t *out_len)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap), *p;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    ssize_t n;
    int rc;

    while (buf) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            fprintf(stderr, "lispctl: no answer from %s within %d s\n", path, timeout_s);
            break;
        }
        rc = poll(&pfd, 1, (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            fprintf(stderr, "lispctl: poll: %s\n", strerror(errno));
            break;
        }
        if (rc == 0)
            continue; /* the deadline check above reports it */
        if (len + 1 == cap) {
            p = realloc(buf, cap * 2);
            if (!p) {
                fprintf(stderr, "lispctl: out of memory\n");
                break;
            }
            buf = p;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0) {
            fprintf(stderr, "lispctl: read from %s: %s\n", path, strerror(errno));
            break;
        }
        if (n == 0) {
            buf[len] = '\0';
            *out_len = len;
            return buf;
        }
        len += (size_t)n;
    }
    free(buf);
    return NULL;
}

/* The command line: the words joined by spaces, "--json" last when asked for. */
static char *command_line(int argc, char **argv, int json)
{
    size_t len = 16;
    char *line;
    int i;

    for (i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    line = malloc(len);
    if (!line)
        return NULL;
    line[0] = '\0';
    for (i = 0; i < argc; i++) {
        if (strchr(argv[i], '\n'))
            argv[i][strcspn(argv[i], "\n")] = '\0'; /* one command, one line */
        strcat(line, argv[i]);
        strcat(line, i + 1 < argc ? " " : "");
    }
    if (json)
        strcat(line, " --json");
    strcat(line, "\n");
    return line;
}

int main(int argc, char **argv)
{
    const char *path = DEFAULT_SOCKET;
    int timeout_s = DEFAULT_TIMEOUT_S, json = 0, i, fd, status;
    char *line, *answer, *body;
    size_t len = 0, off;
    long long deadline;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0) {
            timeout_s = atoi(argv[++i]);
        } else {
            fprintf(stderr, "lispctl: unknown or incomplete option %s\n", argv[i]);
            usage(stderr);
            return EXIT_UNREACHABLE;
        }
    }
    if (i == argc) {
        usage(stderr);
        return EXIT_UNREACHABLE;
    }
    /* "lispctl show map-cache --json" works as well as "lispctl --json show map-cache". */
    if (strcmp(argv[argc - 1], "--json") == 0 && argc - 1 > i) {
        json = 1;
        argc--;
    }
    line = command_line(argc - i, argv + i, json);
    if (!line) {
        fprintf(stderr, "lispctl: out of memory\n");
        return EXIT_UNREACHABLE;
    }
    if (strlen(line) > MAX_LINE) { /* the daemon would refuse it anyway */
        fprintf(stderr, "lispctl: command longer than %d bytes\n", MAX_LINE - 1);
        free(line);
        return EXIT_UNREACHABLE;
    }
    deadline = now_ms() + (long long)timeout_s * 1000;
    fd = connect_to(path, deadline, timeout_s);
    if (fd < 0) {
        free(line);
        return EXIT_UNREACHABLE;
    }
    if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0) {
        fprintf(stderr, "lispctl: write to %s: %s\n", path, strerror(errno));
        free(line);
        close(fd);
        return EXIT_UNREACHABLE;
    }
    free(line);
    shutdown(fd, SHUT_WR);
    answer = read_answer(fd, path, deadline, timeout_s, &len);
    close(fd);
    if (!answer)
        return EXIT_UNREACHABLE;
    off = strcspn(answer, "\n");
    body = answer + off + (off < len);
    if (off == 2 && strncmp(answer, "ok", 2) == 0) {
        fwrite(body, 1, len - (size_t)(body - answer), stdout);
        status = 0;
    } else if (strncmp(answer, "error: ", 7) == 0) {
        fprintf(stderr, "lispctl: %.*s\n", (int)(off - 7), answer + 7);
        status = EXIT_ERROR;
    } else {
        fprintf(stderr, "lispctl: %s answered something that is not lispd's protocol\n", path);
        status = EXIT_UNREACHABLE;
    }
    free(answer);
    return status;
}
