/*
 * lispd_control.h - the operator's control socket of lispd (server side), which lispctl
 * talks to, in the spirit of birdc/bgpctl.
 *
 * Protocol (Unix stream socket, one command per connection): the client writes one line
 * of text ("show map-cache", "show map-cache --json", "clear map-cache", "log level debug")
 * ending in '\n'; the daemon writes the answer and closes the connection. The first line of
 * every answer is "ok" or "error: <why>"; the rest is text for a person, or one JSON
 * document when the command ended in --json.
 *
 * Commands: show map-cache | show registrations | show sites | show locators | show stats
 * | show nat (with a NAT engine) | clear map-cache | log level <debug|info|warn|error>
 * | help. A command the running role cannot answer says so ("error: ...").
 *
 * The daemon owns the event loop: it adds lispd_control_fd() to its epoll set (EPOLLIN)
 * and calls lispd_control_ready() when it is readable. Everything the control module
 * knows of the daemon comes through lispd_control_ops; it renders engine state through
 * the engines' public accessors (lisp_engine.h and the role headers) and decides nothing
 * about the protocol.
 */
#ifndef LISPD_CONTROL_H
#define LISPD_CONTROL_H

#include <stddef.h>
#include <sys/types.h>

#include "lisp_engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lispd_control_ops {
    /* The running engine and the role name it was created as ("xtr", "pitr", "ms+mr",
     * ...); both may change after a reload (SIGHUP). */
    lisp_engine *(*engine)(void *user);
    const char *(*role)(void *user);
    /* The daemon's clock (CLOCK_MONOTONIC as lisp_time_t), for "expires in" columns. */
    lisp_time_t (*now)(void *user);
    /* Set the daemon's log threshold (LISP_LOG_*). Returns 0, or -1 if refused. */
    int (*set_log_level)(void *user, int level);
} lispd_control_ops;

typedef struct lispd_control lispd_control;

/* Listen on the Unix socket at path (an existing socket file is replaced only if no
 * daemon answers on it), with the given permission bits (0600 by default in lispd).
 * NULL on failure, with the reason in err. ops and user are kept. */
lispd_control *lispd_control_open(const char *path, mode_t mode, const lispd_control_ops *ops,
                                  void *user, char *err, size_t errlen);
/* The listening socket, for the daemon's epoll set. */
int lispd_control_fd(const lispd_control *c);
/* The listening socket is readable: accept, read one command, answer, close. Bounded in
 * time (a client that does not send its line within a second is dropped); never exits
 * the daemon. */
void lispd_control_ready(lispd_control *c);
/* Stop listening and remove the socket file. NULL is ignored. */
void lispd_control_close(lispd_control *c);

#ifdef __cplusplus
}
#endif

#endif /* LISPD_CONTROL_H */
