/*
 * lisp_locators_internal.h - the local identity of a tunnel router (internal): its RLOCs
 * with their run-time state, and its EID-prefixes.
 *
 * Locator table. Each local RLOC has an address, a family, the interface it lives on, its
 * priority and weight, and whether it is up. The order of the table is the order in which
 * the registration client lists the RLOCs in Map-Registers and the ETR in Map-Replies, so
 * locator-status-bit i (RFC 9300 section 5.3) is locator i: 1 when it is up, 0 when down.
 * A removed locator leaves the table and the ones after it move up one place; that is why
 * every change re-registers at once (lisp_reg_locators_changed): the Map-Server and the
 * ITRs that ask it learn the new order together with the new bits.
 *
 * Events (lisp_locator_event, lisp_host.h) change the table:
 *   ADDED    a new RLOC (up); an address already present is updated (interface,
 *            priority, weight) and marked up
 *   REMOVED  the RLOC leaves the table
 *   UP/DOWN  by address, or, when ev->addr.afi is LISP_AFI_NONE, every RLOC on interface
 *            ev->ifindex
 *   CHANGED  renumbered: old_addr becomes addr, keeping its place, priority and weight
 * Each applied event emits LISP_TRACE_LOCATOR_CHANGE (u.locator, with the new bits).
 *
 * Source choice: the outer source of a packet to a remote RLOC of family F is one of the
 * usable local RLOCs of family F (up, priority < 255) with the best priority, chosen by
 * weight with the flow hash, so one flow keeps one source (control messages use hash 0).
 *
 * EID set: the site's EID-prefixes (with instance-IDs), fixed at creation.
 */
#ifndef LISP_LOCATORS_INTERNAL_H
#define LISP_LOCATORS_INTERNAL_H

#include "lisp_ctx_internal.h"
#include "lisp_xtr_types.h"

#define LISP_LOCATOR_UNUSABLE 255 /* priority: never used for unicast (RFC 9301) */

typedef struct lisp_local_rloc {
    uint8_t addr[16]; /* network byte order; IPv4 in addr[0..3] */
    uint16_t afi;     /* LISP_AFI_IPV4 or LISP_AFI_IPV6 */
    uint8_t priority;
    uint8_t weight;
    uint32_t ifindex; /* host numbering; 0 unknown */
    bool up;
} lisp_local_rloc;

typedef struct lisp_locators {
    uint8_t n;
    lisp_local_rloc rloc[LISP_XTR_MAX_RLOCS];
} lisp_locators;

void lisp_locators_init(lisp_locators *t);
/* Append an RLOC (up). LISP_ERR_INVALID_ARG for a family other than IPv4/IPv6 or an address
 * already present, LISP_ERR_TOO_MANY when the table is full. No trace: configuration. */
int lisp_locators_add(lisp_locators *t, uint16_t afi, const uint8_t *addr, uint32_t ifindex,
                      uint8_t priority, uint8_t weight);
/* Apply a host event and trace it. LISP_OK when it changed the table; LISP_ERR_INVALID_ARG
 * when it names no RLOC of the table (or an unknown kind or family), LISP_ERR_TOO_MANY when
 * an ADDED finds the table full: the table is then unchanged and nothing is traced. */
int lisp_locators_apply(lisp_locators *t, lisp_ctx *ctx, lisp_time_t now,
                        const lisp_locator_event *ev);

/* The index of the RLOC at address a (port ignored), or -1. */
int lisp_locators_find(const lisp_locators *t, uint16_t afi, const uint8_t *addr);
/* Up and usable for unicast. */
bool lisp_locators_usable(const lisp_local_rloc *r);
/* Whether some RLOC of family afi is usable. */
bool lisp_locators_have(const lisp_locators *t, uint16_t afi);
/* The locator-status-bits we send: bit i set when RLOC i is up. */
uint32_t lisp_locators_lsb(const lisp_locators *t);
/* The source RLOC for a destination of family afi (see above), or NULL when none is usable. */
const lisp_local_rloc *lisp_locators_source(const lisp_locators *t, uint16_t afi, uint32_t hash);
/* The endpoint of source RLOC for family afi with port; afi LISP_AFI_NONE (the host picks)
 * when none is usable. */
lisp_endpoint lisp_locators_source_endpoint(const lisp_locators *t, uint16_t afi, uint32_t hash,
                                            uint16_t port);
/* RLOC i as a locator of our records: R (reachable) when up, L (local) when asked for. */
lisp_locator lisp_local_rloc_to_wire(const lisp_local_rloc *r, uint16_t extra_flags);

typedef struct lisp_eid_set {
    uint8_t n;
    lisp_eid eid[LISP_XTR_MAX_EIDS];
} lisp_eid_set;

/* The prefix of s covering addr in instance iid, or NULL. */
const lisp_eid *lisp_eid_set_match(const lisp_eid_set *s, uint32_t iid, uint16_t afi,
                                   const uint8_t *addr);
/* The prefix of s equal to p, or NULL. */
const lisp_eid *lisp_eid_set_find(const lisp_eid_set *s, const lisp_eid *p);

#endif /* LISP_LOCATORS_INTERNAL_H */
