/*
 * lispd.h - the daemon's state: one configuration, one engine (any role of the table in
 * lispd_role.c), and the OS resources that carry its inputs and outputs. OS code only:
 * every protocol decision is the engine's.
 *
 *   lispd_main.c       options, daemonizing, pidfile, exit status
 *   lispd_lifecycle.c  start, reload (SIGHUP), stop: engine, sockets, TUN, routes, control
 *   lispd_loop.c       the epoll loop: signals, engine timer, sockets, TUN, netlink
 *   lispd_host.c       the engine's host contract (send, deliver, forward, log, random)
 *   lispd_config.c     the file;  lispd_sock.c, lispd_tun.c, lispd_netlink.c  the OS
 *   lispd_nfq.c        the NAT role's packets (NFQUEUE), lispd_nfq_rules.c its rules
 *
 * Engine calls never nest: every one starts from the loop, and the engine's callbacks
 * (lispd_host.c) only write to the OS; `busy` checks it. So the engines can share one
 * workspace (lisp_workspace_new), as under ns-3.
 */
#ifndef LISPD_H
#define LISPD_H

#include <stdbool.h>

#include "lisp_engine.h"
#include "lisp_workspace.h"
#include "lispd_config.h"
#include "lispd_control.h"
#include "lispd_netlink.h"
#include "lispd_nfq.h"
#include "lispd_sock.h"
#include "lispd_tun.h"

/* Command-line settings, which win over the file's at start and at every reload. */
typedef struct lispd_overrides {
    int log_level; /* -1: the file's */
    int log_to;    /* -1: the file's */
    const char *control_socket;
    const char *pidfile;
} lispd_overrides;

/* 64-bit random numbers drawn from one getrandom() call (lispd_host.c). */
#define LISPD_RANDOM_POOL 512

typedef struct lispd {
    lispd_config cfg; /* the running configuration, overrides applied */
    lispd_overrides overrides;
    lisp_engine *engine;
    lisp_workspace *ws;
    unsigned busy; /* engine calls in progress: 0 or 1 */

    lispd_socks socks;
    lispd_tun tun;
    lispd_nfq nfq; /* role nat: its two queues */
    lispd_nl nl;
    lispd_control *control;
    char control_path[sizeof(((lispd_config *)0)->control_socket)]; /* the open one */
    unsigned control_mode;                                          /* and its bits */
    /* The EID routes lispd added (and deletes on exit or reload). */
    size_t n_routes;
    lisp_eid routes[LISPD_MAX_EID_ROUTES];

    /* getrandom() output handed out 64 bits at a time: one system call per
     * LISPD_RANDOM_POOL numbers, not one per number (the ITR draws a nonce per packet). */
    uint64_t random_pool[LISPD_RANDOM_POOL];
    unsigned random_left; /* numbers not handed out yet (0: refill) */

    int epfd, sigfd, timerfd;
    lisp_time_t armed; /* the timerfd's deadline; LISP_TIME_NEVER: disarmed */
    bool stop;         /* SIGINT/SIGTERM: leave the loop */
    int exit_status;
} lispd;

/* CLOCK_MONOTONIC in nanoseconds: the engines' `now`. */
lisp_time_t lispd_now(void);

/* lispd_host.c: the host handed to engines; user data is d. */
lisp_host lispd_host_make(lispd *d);
/* A host for checking a configuration (--check-config, and the port probe before a
 * start or reload): it sends nothing (send fails) and logs nothing. */
lisp_host lispd_host_check(void);
/* A decapsulated packet the raw socket refused as too long for the site's link: into the
 * TUN (lispd_sock.h, too_big). */
void lispd_host_deliver_tun(void *user, const uint8_t *packet, size_t len);

/* lispd_lifecycle.c */
/* Put the command line's settings into c. -1 when a path is too long. */
int lispd_apply_overrides(const lispd_overrides *o, lispd_config *c);
/* Open everything for d->cfg (already loaded) and create the engine. 0, or -1 with the
 * reason logged (everything opened is closed again). */
int lispd_start(lispd *d);
/* Re-read d->cfg.path and apply it (see docs/native.md, "Reload"). */
void lispd_reload(lispd *d);
/* Log the final counters, free the engine, delete routes, close everything. */
void lispd_stop(lispd *d);
/* Create an engine for c (with the RLOCs now on its rloc-interfaces); NULL on refusal. */
lisp_engine *lispd_engine_create(lispd *d, const lispd_config *c, const lisp_host *host);
/* No engine yet because no RLOC was there: create it if one is now. */
void lispd_engine_pending(lispd *d);
/* Locator event from netlink or a reload: to the engine, logged. */
void lispd_locator_event(void *user, const lisp_locator_event *ev);

/* lispd_loop.c */
/* Run until SIGINT/SIGTERM. 0, or -1 when the loop could not be set up. */
int lispd_loop(lispd *d);
/* After any engine call: re-arm the timer for the engine's next expiry. */
void lispd_rearm(lispd *d);
/* Epoll registration of a descriptor with a tag (lispd_loop.c's LISPD_EV_*). */
int lispd_loop_add(lispd *d, int fd, uint64_t tag);
void lispd_loop_del(lispd *d, int fd);

#endif /* LISPD_H */
