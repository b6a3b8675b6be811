/*
 * lispd_config.h - lispd's configuration file (libconfuse syntax), parsed into the
 * daemon's settings and the engines' role configurations. docs/native.md lists every
 * key with its default; native/examples/ has a commented file per role.
 *
 * Every error names the file, the line and the problem ("xtr.conf:12: ..."). Keys of
 * another role are errors too (a Map-Server key in an xTR's file is a mistake, not
 * something to ignore).
 */
#ifndef LISPD_CONFIG_H
#define LISPD_CONFIG_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/un.h>

#include "lisp_mr.h"
#include "lisp_ms.h"
#include "lisp_nat.h"
#include "lisp_xtr.h"

#define LISPD_MAX_EID_ROUTES 64
#define LISPD_CONTROL_SOCKET_DEFAULT "/run/lispd/lispd.sock"
#define LISPD_RUN_DIR "/run/lispd"

typedef struct lispd_role lispd_role;

/* A local RLOC: a fixed address (rloc "ADDR"), or the addresses of an interface
 * (rloc-interface "NAME"), with the priority and weight it is announced with. */
typedef struct lispd_rloc_conf {
    lisp_endpoint addr; /* rloc: the address; rloc-interface: unused */
    char ifname[IF_NAMESIZE];
    uint8_t priority;
    uint8_t weight;
} lispd_rloc_conf;

typedef struct lispd_config {
    char path[PATH_MAX]; /* the file it came from */
    const lispd_role *role;
    int log_level; /* LISP_LOG_* */
    int log_to;    /* LISPD_LOG_TO_* */
    char control_socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
    unsigned control_mode;  /* permission bits of the control socket; default 0600 */
    char pidfile[PATH_MAX]; /* "" when none is configured */

    /* The EID side (tun section): a TUN device and the EID routes into it. */
    bool has_tun;
    char tun_name[IF_NAMESIZE];
    unsigned tun_mtu;
    size_t n_eid_routes;
    lisp_eid eid_routes[LISPD_MAX_EID_ROUTES];

    /* Local RLOCs (xTR roles): fixed ones and interfaces; the engine gets both. */
    size_t n_rlocs;
    lispd_rloc_conf rlocs[LISP_XTR_MAX_RLOCS];
    size_t n_rloc_ifs;
    lispd_rloc_conf rloc_ifs[LISP_XTR_MAX_RLOCS];

    /* The xTR roles' engine settings; its RLOCs (n_rlocs) stay empty here: they are the
     * lists above, resolved when the engine is created. */
    lisp_xtr_config xtr;

    /* Map-Server: settings, and the sites (owned: names, keys, prefixes). */
    lisp_ms_config ms;
    lisp_ms_site_config *sites;
    size_t n_sites;
    /* Map-Resolver: settings and its delegations (owned). */
    lisp_mr_config mr;
    lisp_mr_entry *delegations;
    size_t n_delegations;

    /* NAT (role nat): the interfaces it sits between, its two NFQUEUE numbers (nat_queue
     * for inside -> outside, nat_queue + 1 for outside -> inside) and the engine's
     * settings (public addresses, behaviours, timeouts). */
    char nat_inside[IF_NAMESIZE];
    char nat_outside[IF_NAMESIZE];
    uint16_t nat_queue;
    lisp_nat_config nat;
} lispd_config;

/* Parse path into out (which the caller later frees with lispd_config_free, also after
 * a failure). 0, or -1 with "file:line: problem" in err. */
int lispd_config_load(const char *path, lispd_config *out, char *err, size_t errlen);
void lispd_config_free(lispd_config *c);

/* Whether two configurations create the same engine (role, EID-prefixes, mapping
 * system, keys, timers, sites, delegations, the NAT's settings): everything but the log
 * settings, the control socket, the pidfile, the TUN's routes and MTU, the RLOCs and the
 * NAT's interfaces and queues, which a reload applies to the running engine. */
bool lispd_config_same_engine(const lispd_config *a, const lispd_config *b);

#endif /* LISPD_CONFIG_H */
