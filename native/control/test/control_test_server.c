/*
 * control_test_server - the control socket over the engines of control_world.h, for the
 * lispctl test (test_lispctl.py): a daemon without a network.
 *
 *   control_test_server SOCKET ROLE      ROLE: xtr | ms | ms+mr
 *
 * Prints "ready" once the socket listens, serves until its standard input closes (so it
 * ends with the test that started it), at most two minutes. Its clock stands still at
 * CW_NOW, so every answer is the same on every run.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "control_world.h"
#include "lispd_control.h"

typedef struct server {
    lisp_engine *engine;
    const char *role;
} server;

static lisp_engine *s_engine(void *user)
{
    return ((server *)user)->engine;
}

static const char *s_role(void *user)
{
    return ((server *)user)->role;
}

static lisp_time_t s_now(void *user)
{
    (void)user;
    return CW_NOW;
}

static int s_set_log_level(void *user, int level)
{
    (void)user;
    fprintf(stderr, "control_test_server: log level %d\n", level);
    return 0;
}

int main(int argc, char **argv)
{
    static const lispd_control_ops ops = {s_engine, s_role, s_now, s_set_log_level};
    struct pollfd p[2];
    lispd_control *c;
    char err[256], buf[64];
    cw_world w;
    server s;
    int i;

    if (argc != 3 ||
        (strcmp(argv[2], "xtr") && strcmp(argv[2], "ms") && strcmp(argv[2], "ms+mr"))) {
        fprintf(stderr, "usage: control_test_server SOCKET xtr|ms|ms+mr\n");
        return 2;
    }
    cw_build(&w, strcmp(argv[2], "xtr") == 0 ? "ms+mr" : argv[2]);
    s.role = argv[2];
    s.engine = strcmp(argv[2], "xtr") == 0 ? w.xtr : w.ms;
    c = lispd_control_open(argv[1], 0600, &ops, &s, err, sizeof err);
    if (!c) {
        fprintf(stderr, "control_test_server: %s\n", err);
        cw_free(&w);
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    p[0].fd = lispd_control_fd(c);
    p[0].events = POLLIN;
    p[1].fd = STDIN_FILENO;
    p[1].events = POLLIN;
    for (i = 0; i < 1200; i++) {
        if (poll(p, 2, 100) < 0)
            break;
        if (p[0].revents & POLLIN)
            lispd_control_ready(c);
        if (p[1].revents && read(STDIN_FILENO, buf, sizeof buf) <= 0)
            break;
    }
    lispd_control_close(c);
    cw_free(&w);
    return 0;
}
