/*
 * lisp_etr_internal.h - the ETR core (internal): what an xTR, a PETR, an RTR and a mobile
 * node share to take packets out of the overlay and to answer for their EID-prefixes
 * (RFC 9300 section 5, RFC 9301 section 5.4).
 *
 *   lisp_etr_init(&etr, &cfg, ctx, &locators, &eids, &stats);
 *   lisp_etr_data(&etr, now, &dgram, payload, len);            // port 4341
 *   lisp_etr_map_request(&etr, now, &reply_to, &local, &req);  // plain or from an ECM
 *
 * Decapsulation: a packet for one of our EID-prefixes (the data header's instance-ID, or 0)
 * is delivered into the site; with cfg.petr any other destination is forwarded natively;
 * anything else is LISP_DROP_NOT_OUR_EID. On the way out the inner TTL becomes
 * min(inner, outer) (RFC 9300 5.3: a packet must not gain hops by being tunnelled; an
 * outer TTL of 0 means the host does not know it) and an outer ECN "congestion
 * experienced" mark is copied to an ECN-capable inner header (RFC 6040 normal mode). The
 * inner DSCP is kept: a host that does not report the outer TOS reports 0. A packet that
 * needs such a change is copied into the workspace first (the input is const); one that
 * does not is delivered from the input as is.
 *
 * Locator-status-bits: a data packet with the L bit reports the sending site's locators;
 * they go to cfg.on_lsb (the ITR core's lisp_itr_remote_lsb in an xTR) with the inner
 * source EID and the outer source RLOC, before the packet is delivered.
 *
 * Map-Requests (plain, RLOC-probes, or forwarded in an ECM by a Map-Server): every EID-record
 * of the request that one of our EID-prefixes covers gets a record in the one Map-Reply:
 * the prefix with every local RLOC, R when up, L always, and, for an RLOC-probe, P on the
 * locator the probe reached. The reply goes to the first ITR-RLOC of a family we have a
 * usable RLOC in, at the request's source port. With the D bit (RFC 9301: don't send a
 * Map-Reply) nothing is sent; the request is traced as received.
 */
#ifndef LISP_ETR_INTERNAL_H
#define LISP_ETR_INTERNAL_H

#include "lisp_locators_internal.h"
#include "lisp_msg.h"

/* Locator-status-bits from a remote ITR (nbits of lsb valid). */
typedef void lisp_etr_lsb_fn(void *user, lisp_time_t now, const lisp_eid *src_eid,
                             const lisp_endpoint *rloc, uint32_t lsb, unsigned nbits);

typedef struct lisp_etr_config {
    bool petr;               /* decapsulate for any destination, forward natively */
    lisp_time_t record_ttl;  /* of our Map-Reply records; sent in whole minutes */
    lisp_etr_lsb_fn *on_lsb; /* NULL: received LSBs are ignored */
    void *lsb_user;
} lisp_etr_config;

typedef struct lisp_etr {
    lisp_etr_config cfg;
    lisp_ctx *ctx;
    lisp_xtr_stats *stats;
    const lisp_locators *locs;
    const lisp_eid_set *eids;
} lisp_etr;

void lisp_etr_init(lisp_etr *etr, const lisp_etr_config *cfg, lisp_ctx *ctx,
                   const lisp_locators *locs, const lisp_eid_set *eids, lisp_xtr_stats *stats);

/* A datagram on the data port (d: its metadata, outer TTL and TOS included). */
void lisp_etr_data(lisp_etr *etr, lisp_time_t now, const lisp_dgram *d, const uint8_t *payload,
                   size_t len);
/* A decoded Map-Request; reply_to: where it came from (address and port to answer);
 * local: the local address it reached (the probed locator). */
void lisp_etr_map_request(lisp_etr *etr, lisp_time_t now, const lisp_endpoint *reply_to,
                          const lisp_endpoint *local, const lisp_map_request *req);

#endif /* LISP_ETR_INTERNAL_H */
