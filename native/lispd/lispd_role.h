/*
 * lispd_role.h - the roles lispd runs, as one table: each row names the engine role it
 * creates (lisp_role_find), the configuration keys it takes, whether it has an EID side
 * (TUN) and how its engine configuration is built from the file. A new role (the NAT
 * daemon, an RTR) is one more row.
 */
#ifndef LISPD_ROLE_H
#define LISPD_ROLE_H

#include <stdbool.h>
#include <stddef.h>

#include "lispd_config.h"

/* Groups of configuration keys (lispd_config.c names the keys of each). */
enum {
    LISPD_KEYS_XTR = 1u << 0,          /* tun, eid-prefix, rloc, rloc-interface, map-server, ... */
    LISPD_KEYS_MS = 1u << 1,           /* site, registration-ttl, ... */
    LISPD_KEYS_MR = 1u << 2,           /* delegate */
    LISPD_KEYS_NEGATIVE_TTL = 1u << 3, /* negative-ttl (Map-Server and Map-Resolver) */
    LISPD_KEYS_NAT = 1u << 4,          /* inside-interface, public-addresses, preset, ... */
};

/* Whether the role has a TUN section. */
enum {
    LISPD_TUN_NONE = 0,
    LISPD_TUN_OPTIONAL = 1,
    LISPD_TUN_REQUIRED = 2
};

struct lispd_role {
    const char *name;   /* the value of `role` in the file */
    const char *engine; /* lisp_role_find() name */
    unsigned keys;      /* LISPD_KEYS_* */
    int tun;            /* LISPD_TUN_* */
    bool pitr, petr;    /* xTR-role proxy flags (RFC 6832) */
    /* Fill out (the engine role's config_size bytes, already defaulted by its
     * config_default) from c, with the given local RLOCs (xTR roles). */
    void (*build)(const lispd_role *r, const lispd_config *c, const lisp_mapcache_loc *rlocs,
                  const uint32_t *rloc_ifindex, size_t n_rlocs, void *out);
};

/* The row called name, or NULL. */
const lispd_role *lispd_role_find(const char *name);
/* The names of every role, "xtr | pitr | ...", for messages and --help. */
const char *lispd_role_names(void);

#endif /* LISPD_ROLE_H */
