/*
 * lisp_host.h - the host contract: what every LISP engine (xTR, PxTR, Map-Server,
 * Map-Resolver, and later RTR and NAT) gets from and gives to the program that runs it
 * (the ns-3 adapter, the native daemon, a unit test).
 *
 * Engines never open sockets, read clocks, draw random numbers or allocate scratch
 * buffers of their own. A host hands an engine one lisp_host at creation:
 *   - the environment (lisp_env): user data, allocator, randomness, trace and log sinks,
 *     and an optional workspace (scratch buffers the host lends for the duration of each
 *     call, so that an idle engine holds no packet-sized buffer);
 *   - the outputs (lisp_outputs): send a datagram, deliver a decapsulated packet into the
 *     site, forward a packet natively. A role uses the outputs it needs (lisp_engine.h).
 * Inputs come through the generic engine interface (lisp_engine.h) with `now`; timers are
 * not callbacks: after each call the host asks the engine for its next expiry and re-arms
 * one timer.
 *
 * Datagrams carry their metadata both ways (lisp_dgram, as ngtcp2_path + ngtcp2_pkt_info):
 * received source, destination (the local address and port it arrived on), incoming
 * interface, TTL / hop limit and TOS / traffic class; and for sending the same fields as
 * the engine wants them. send() returns a status; the engine counts what the host could
 * not send (stats "send_failed", drop reason LISP_DROP_SEND_FAILED).
 *
 * Callbacks run synchronously inside the engine call that triggered them and must not
 * call back into any engine that shares the workspace (the host queues such inputs until
 * the call returns). Buffers passed to callbacks are valid only for the call.
 */
#ifndef LISP_HOST_H
#define LISP_HOST_H

#include "lisp_trace.h"
#include "lisp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { LISP_LOG_DEBUG = 0, LISP_LOG_INFO = 1, LISP_LOG_WARN = 2, LISP_LOG_ERROR = 3 };

/* One UDP datagram's addressing and IP metadata. */
typedef struct lisp_dgram {
    lisp_endpoint src; /* sending: afi LISP_AFI_NONE lets the host pick the address */
    lisp_endpoint dst; /* received: the local address and port it arrived on */
    uint32_t ifindex;  /* received: the interface it arrived on (host numbering, 0 unknown);
                        * sending: 0 (the host routes) */
    uint8_t ttl;       /* TTL / hop limit: as received (0 unknown); to send with (0: the
                        * host's default) */
    uint8_t tos;       /* TOS / traffic class byte (DSCP and ECN), both ways */
} lisp_dgram;

/* An IP packet crossing the EID side (into or out of a site), with its metadata. */
typedef struct lisp_packet_info {
    uint32_t ifindex; /* received: the EID-side interface (0 unknown) */
} lisp_packet_info;

/* Scratch lent by the host (lisp_workspace.h); opaque here. */
typedef struct lisp_workspace lisp_workspace;

typedef struct lisp_env {
    void *user_data; /* passed to every callback, outputs included */
    /* NULL: the C library. Every allocation of the engine goes through it. */
    const lisp_allocator *alloc;
    /* 64 uniformly random bits (nonces, jitter). Required. */
    uint64_t (*random)(void *user_data);
    /* Optional observers. */
    void (*trace)(void *user_data, const lisp_trace *ev);
    void (*log)(void *user_data, int level, const char *message);
    /* Optional: scratch the engine uses during a call (lisp_workspace_new). Several
     * engines of one host may share one workspace, as no two engine calls nest. NULL:
     * the engine allocates its own when it first needs one. Not owned. */
    lisp_workspace *workspace;
} lisp_env;

typedef struct lisp_outputs {
    /* Send one UDP datagram (d->src.port is the source port). Returns LISP_OK, or a
     * negative LISP_ERR_* when the host could not (no route, no socket). Required. */
    int (*send)(void *user_data, const lisp_dgram *d, const uint8_t *payload, size_t len);

    /* Hand a decapsulated IP packet to the EID side (into the site). Required for roles
     * that decapsulate to a site; returns LISP_OK or a negative LISP_ERR_*. */
    int (*deliver)(void *user_data, const lisp_packet_info *info, const uint8_t *ip_packet,
                   size_t len);

    /* Send an IP packet into the underlay without encapsulation (PETR, and the
     * natively-forward action). Returns LISP_OK, or a negative value when the host could
     * not (no route, or a route back into the overlay): the engine then counts a
     * LISP_DROP_NO_ROUTE. NULL: such packets are dropped. */
    int (*forward_native)(void *user_data, const uint8_t *ip_packet, size_t len);
} lisp_outputs;

typedef struct lisp_host {
    lisp_env env;
    lisp_outputs out;
} lisp_host;

/* Counters every engine keeps the same way (inside each role's stats struct). */
typedef struct lisp_common_stats {
    uint64_t send_failed;     /* datagrams the host could not send */
    uint64_t internal_errors; /* the engine's own failures (allocation, encoding) */
    uint64_t drops[LISP_DROP_REASON_COUNT]; /* by lisp_drop_reason */
} lisp_common_stats;

/* A local locator event (lisp_engine_locator_event). */
typedef struct lisp_locator_event {
    uint8_t kind;           /* lisp_locator_event_kind */
    uint32_t ifindex;       /* the interface (host numbering); 0 unknown */
    lisp_endpoint addr;     /* the locator (port ignored) */
    lisp_endpoint old_addr; /* LISP_LOCATOR_CHANGED: the address it had */
    uint8_t priority;       /* LISP_LOCATOR_ADDED */
    uint8_t weight;         /* LISP_LOCATOR_ADDED */
} lisp_locator_event;

#ifdef __cplusplus
}
#endif

#endif /* LISP_HOST_H */
