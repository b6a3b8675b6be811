/*
 * lisp_engine.h - the generic engine interface: one host (one ns-3 application class, one
 * native event loop) runs any role, or a bundle of roles, through these calls alone.
 *
 *   const lisp_role_desc *r = lisp_role_find("xtr");
 *   void *cfg = ...;  r->config_default(cfg);  ... fill the role's config ...
 *   lisp_engine *e = r->create(cfg, &host, now);       // NULL: bad config (logged)
 *   lisp_engine_input(e, now, &dgram, payload, len);   // a datagram on one of its ports
 *   lisp_engine_eid_input(e, now, &info, ip, len);     // a packet from the EID side
 *   lisp_engine_locator_event(e, now, &ev);            // a local RLOC changed
 *   lisp_engine_next_expiry(e) -> re-arm one timer -> lisp_engine_handle_expiry(e, now)
 *   lisp_engine_stats(e, ...);  lisp_engine_free(e);
 *
 * Every engine struct begins with a lisp_engine (its ops); the role's own header has
 * typed accessors (lisp_xtr_*, lisp_ms_*) for what is specific to it. A new role is one
 * row of the role table (lisp_engine.c) and an ops table of its own: no host code.
 */
#ifndef LISP_ENGINE_H
#define LISP_ENGINE_H

#include "lisp_host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ports an engine listens on; the host opens them for IPv4 and IPv6. */
#define LISP_ENGINE_PORT_CONTROL 0x1u /* 4342 */
#define LISP_ENGINE_PORT_DATA 0x2u    /* 4341 */

/* One named counter of an engine ("map_requests_sent", "drop.queue-full"). */
typedef struct lisp_stat {
    const char *group; /* the engine's role name ("xtr", "map-server"); static */
    const char *name;  /* static string */
    uint64_t value;
} lisp_stat;

typedef struct lisp_engine lisp_engine;

typedef struct lisp_engine_ops {
    uint8_t role;    /* lisp_role */
    unsigned ports;  /* LISP_ENGINE_PORT_* */
    bool eid_side;   /* takes EID-side packets and delivers decapsulated ones */
    /* A datagram that arrived on local port d->dst.port. LISP_OK when handled or
     * dropped deliberately (see stats and traces), a LISP_ERR_* packet error when it did
     * not decode, LISP_ERR_NOMEM and other caller errors when the engine failed. */
    int (*input)(lisp_engine *e, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                 size_t len);
    /* An IP packet from the EID side; NULL for roles without one. */
    int (*eid_input)(lisp_engine *e, lisp_time_t now, const lisp_packet_info *info,
                     const uint8_t *packet, size_t len);
    /* A local locator event; NULL for roles without locators. */
    int (*locator_event)(lisp_engine *e, lisp_time_t now, const lisp_locator_event *ev);
    lisp_time_t (*next_expiry)(const lisp_engine *e);
    void (*handle_expiry)(lisp_engine *e, lisp_time_t now);
    /* Write up to cap counters into out; returns how many the engine has in all. */
    size_t (*stats)(const lisp_engine *e, lisp_stat *out, size_t cap);
    void (*free)(lisp_engine *e);
} lisp_engine_ops;

struct lisp_engine {
    const lisp_engine_ops *ops;
};

/* A role the hosts can create by name. config points to the role's config struct. */
typedef struct lisp_role_desc {
    const char *name; /* "xtr", "ms", "mr", "ms+mr" */
    uint8_t role;     /* lisp_role of the (first) engine */
    size_t config_size;
    void (*config_default)(void *config);
    lisp_engine *(*create)(const void *config, const lisp_host *host, lisp_time_t now);
} lisp_role_desc;

/* The role called name, or NULL. */
const lisp_role_desc *lisp_role_find(const char *name);
/* The i-th role of the table (0 ..), or NULL past the end. */
const lisp_role_desc *lisp_role_at(size_t i);

static inline int lisp_engine_input(lisp_engine *e, lisp_time_t now, const lisp_dgram *d,
                                    const uint8_t *payload, size_t len)
{
    return e->ops->input(e, now, d, payload, len);
}

/* LISP_ERR_INVALID_ARG for a role without an EID side. */
int lisp_engine_eid_input(lisp_engine *e, lisp_time_t now, const lisp_packet_info *info,
                          const uint8_t *packet, size_t len);
/* LISP_ERR_INVALID_ARG for a role without locators. */
int lisp_engine_locator_event(lisp_engine *e, lisp_time_t now, const lisp_locator_event *ev);

static inline lisp_time_t lisp_engine_next_expiry(const lisp_engine *e)
{
    return e->ops->next_expiry(e);
}

static inline void lisp_engine_handle_expiry(lisp_engine *e, lisp_time_t now)
{
    e->ops->handle_expiry(e, now);
}

static inline size_t lisp_engine_stats(const lisp_engine *e, lisp_stat *out, size_t cap)
{
    return e->ops->stats(e, out, cap);
}

/* Frees everything the engine holds; NULL is ignored. */
void lisp_engine_free(lisp_engine *e);

#ifdef __cplusplus
}
#endif

#endif /* LISP_ENGINE_H */
