/*
 * lisp_xtr_types.h - the vocabulary shared by the tunnel-router components (locator table,
 * ITR core, ETR core, registration client) and the roles composed of them (xTR, PITR,
 * PETR; later RTR and mobile node): size limits, the miss policy, and one set of counters,
 * so that every composition reports the same names (lisp_xtr_stats_list).
 */
#ifndef LISP_XTR_TYPES_H
#define LISP_XTR_TYPES_H

#include "lisp_auth.h"
#include "lisp_host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LISP_XTR_MAX_EIDS 8
#define LISP_XTR_MAX_RLOCS                                                                         \
    8 /* local locators: the locator-status-bits of a data header                                  \
       * with an instance-ID have room for 8 */
#define LISP_XTR_MAX_SERVERS 4
#define LISP_XTR_KEY_MAX LISP_AUTH_KEY_MAX /* kept for old callers; one limit for all */

typedef enum lisp_miss_policy {
    LISP_MISS_DROP = 0,  /* drop a packet that misses the map-cache */
    LISP_MISS_QUEUE = 1, /* hold it (bounded) until the Map-Reply arrives */
} lisp_miss_policy;

/* Counters of a tunnel router; each component counts its own. */
typedef struct lisp_xtr_stats {
    uint64_t encapsulated;
    uint64_t decapsulated;
    uint64_t forwarded_native;
    uint64_t map_requests_sent;
    uint64_t map_replies_received;
    uint64_t map_replies_sent;
    uint64_t map_registers_sent;
    uint64_t map_notifies_received;
    uint64_t map_notify_acks_sent;   /* answers to unsolicited Map-Notifies */
    uint64_t registrations_failed;   /* a Map-Server's FSM entered "failed" */
    uint64_t locator_events;         /* local locator events applied */
    uint64_t remote_locator_changes; /* map-cache locators switched by received LSBs */
    lisp_common_stats common;        /* drops by reason, send failures, internal errors */
} lisp_xtr_stats;

#ifdef __cplusplus
}
#endif

#endif /* LISP_XTR_TYPES_H */
