/*
 * lisp_ctx_internal.h - what every engine keeps of its host, and the one way engines
 * talk through it (internal): typed traces, drops, sends whose failure is counted,
 * internal errors, log lines, randomness and the workspace.
 */
#ifndef LISP_CTX_INTERNAL_H
#define LISP_CTX_INTERNAL_H

#include "lisp_addr.h"
#include "lisp_engine.h"
#include "lisp_mem_internal.h"

typedef struct lisp_ctx {
    lisp_host host;
    uint8_t role;                /* lisp_role, stamped on every trace */
    lisp_common_stats *stats;    /* inside the role's stats */
    lisp_workspace *own_ws;      /* allocated on first need when the host lends none */
    const lisp_allocator *alloc; /* host->env.alloc, for own_ws */
} lisp_ctx;

/* Keep the host (copied) and where the common counters go. */
void lisp_ctx_init(lisp_ctx *c, const lisp_host *host, lisp_role role, lisp_common_stats *stats);
/* Free what the context allocated (its own workspace). */
void lisp_ctx_release(lisp_ctx *c);

/* A trace event with everything else zero; fill in more fields before lisp_ctx_emit. */
lisp_trace lisp_trace_make(lisp_trace_kind kind, lisp_time_t now);
/* Stamp the role and hand ev to the trace callback, if any. */
void lisp_ctx_emit(const lisp_ctx *c, lisp_trace *ev);
/* Count and trace a drop (eid and peer may be NULL). */
void lisp_ctx_drop(lisp_ctx *c, lisp_time_t now, lisp_drop_reason reason, int err,
                   const lisp_eid *eid, const lisp_endpoint *peer);
/* Count, log and trace an internal error (the engine's failure, not the packet's). */
void lisp_ctx_internal_error(lisp_ctx *c, lisp_time_t now, int err, const lisp_eid *eid,
                             const lisp_endpoint *peer);
/* A STATE_CHANGE trace (and a debug log line) of machine going from -> to on event. */
void lisp_ctx_state_change(const lisp_ctx *c, lisp_time_t now, const char *machine,
                           const char *from, const char *to, const char *event,
                           const lisp_eid *eid, const lisp_endpoint *peer);

/* Send through the host; a failure is counted (send_failed) and traced as a
 * LISP_DROP_SEND_FAILED drop. Returns what the host returned. */
int lisp_ctx_send(lisp_ctx *c, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                  size_t len);
/* A datagram from src (address only; afi NONE lets the host choose) and sport to dst,
 * default TTL and TOS. */
lisp_dgram lisp_dgram_make(const lisp_endpoint *src, uint16_t sport, const lisp_endpoint *dst);

uint64_t lisp_ctx_random(const lisp_ctx *c);

/* The workspace for this call: the host's, or one of the engine's own (allocated on
 * first use). NULL when that allocation fails. */
lisp_workspace *lisp_ctx_workspace(lisp_ctx *c);

/* printf-style log line, formatted only when a log callback exists. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void lisp_ctx_logf(const lisp_ctx *c, int level, const char *fmt, ...);

/* Append the common counters to out (from index *n, at most cap); *n grows by all of them. */
void lisp_stats_common(const lisp_common_stats *s, lisp_stat *out, size_t cap, size_t *n);
/* Name the group (role) of the counters out[from .. *n) that fit. */
void lisp_stats_group(lisp_stat *out, size_t cap, size_t from, size_t n, lisp_role role);
/* Append one counter. */
void lisp_stats_add(lisp_stat *out, size_t cap, size_t *n, const char *name, uint64_t value);

/* The endpoint of an IP address (lisp_afi_addr of AFI 1 or 2) and a port. */
lisp_endpoint lisp_endpoint_from_afi(const lisp_afi_addr *a, uint16_t port);

/* Whether prefix (same instance-ID and AFI) covers the address addr. */
bool lisp_eid_covers(const lisp_eid *prefix, uint32_t iid, uint16_t afi, const uint8_t *addr);
/* Whether prefix covers the whole of prefix inner (same instance-ID and AFI). */
bool lisp_eid_covers_prefix(const lisp_eid *prefix, const lisp_eid *inner);

/* A /32 or /128 EID of an address in instance iid. */
lisp_eid lisp_eid_host(uint32_t iid, uint16_t afi, const uint8_t *addr);

#endif /* LISP_CTX_INTERNAL_H */
