/*
 * lisp_itr_internal.h - the ITR core (internal): what an xTR, a PITR, an RTR and a mobile
 * node share to send EID packets into the overlay (RFC 9300, RFC 9301).
 *
 *   lisp_itr_init(&itr, &cfg, ctx, mem, &locators, &eids, &stats);
 *   lisp_itr_packet(&itr, now, ip, len);          // an EID packet to send
 *   lisp_itr_map_reply(&itr, now, &src, &reply);  // a decoded Map-Reply
 *   lisp_itr_remote_lsb(&itr, now, ...);          // LSBs the ETR read from a remote ITR
 *   lisp_itr_next_expiry / lisp_itr_expiry;  lisp_itr_release(&itr);
 *
 * Map-cache: longest-prefix match per instance-ID. A hit with locators encapsulates to one
 * of them; a negative entry forwards natively (to a PETR when configured, else through the
 * host), drops, or, with action send-map-request, is handled like a miss.
 *
 * Resolution: one FSM per destination being resolved (lisp_itr_res):
 *
 *     IDLE --miss / send Map-Request #1 to resolver 0, retry in T--> REQUESTING
 *     REQUESTING --timeout, attempts <= retries / resend to the next resolver,
 *                  retry in T * 2^attempts--> REQUESTING
 *     REQUESTING --timeout, attempts > retries ("give-up") / drop held packets--> IDLE
 *     REQUESTING --reply (nonce matches) / install, send held packets--> IDLE
 *     REQUESTING --covered (another reply's mapping covers it) / send held--> IDLE
 *
 * A slot that goes back to IDLE is free; the next MISS that takes it starts from attempt 0,
 * resolver 0 and a fresh nonce. Packets are dropped or held while REQUESTING (miss_policy);
 * the held packets of all destinations share one bounded queue.
 *
 * Map-Reply validation: a reply whose nonce matches no REQUESTING slot is unsolicited. Of a
 * matching one, only the most specific record that covers the requested EID (same
 * instance-ID, prefix containing the address) is installed: one EID was asked for, and a
 * broader or unrelated record (0.0.0.0/0 next to 10.2.0.0/16, another site's prefix) would
 * steer traffic nobody asked about. Every other record is a LISP_DROP_RECORD_NOT_REQUESTED.
 * TTLs are capped at cfg.mapcache_max_ttl (in whole minutes, rounded down).
 *
 * Encapsulation (RFC 9300 5.3): data header with a random 24-bit nonce, the instance-ID
 * (I bit) when not 0, and our locator-status-bits (L bit) when a site is behind us
 * (cfg.send_lsb; 8 bits with an instance-ID). The outer TTL and TOS (DSCP and ECN) are
 * copied from the inner header. Outer source: a usable local RLOC of the remote locator's
 * family (lisp_locators_source, by flow hash); source port 4341 with cfg.fixed_data_port,
 * else 49152 + 14 bits of the flow hash. Remote locator: among those reachable (R) with a
 * usable local RLOC of their family, the best priority (< 255), by weight per flow.
 *
 * Remote locator reachability: lisp_itr_remote_lsb applies the locator-status-bits an ETR
 * read from a remote ITR's packet to the map-cache entry of the packet's source EID, when
 * the packet's outer source is one of that entry's locators: bit i switches locator i's R
 * flag (REMOTE_LOCATOR_STATUS), so a locator reported down is not used until a bit says
 * it is up again.
 *
 * Memory: the resolution table and the hold queue (queue_packets * max_packet bytes) are
 * allocated on the first miss that needs them, not at creation: an idle ITR holds neither.
 */
#ifndef LISP_ITR_INTERNAL_H
#define LISP_ITR_INTERNAL_H

#include "lisp_locators_internal.h"
#include "lisp_mapcache.h"
#include "lisp_workspace.h"

#define LISP_ITR_NO_SLOT UINT16_MAX

typedef struct lisp_itr_config {
    uint8_t n_map_resolvers;
    uint8_t n_petrs;
    uint8_t miss_policy;     /* lisp_miss_policy */
    uint8_t request_retries; /* retransmissions before giving up */
    uint16_t queue_packets;  /* hold-queue slots, all destinations together */
    uint16_t max_pending;    /* destinations resolved at once (>= 1) */
    uint16_t max_packet;     /* largest EID packet held, bytes */
    bool pitr;               /* Map-Requests with the p bit and no source EID */
    bool send_lsb;           /* a site is behind us: send our LSBs */
    bool fixed_data_port;    /* outer source port 4341 instead of the flow hash */
    uint32_t iid;            /* instance-ID of packets from outside our EID-prefixes */
    uint32_t mapcache_max_entries;
    lisp_time_t request_timeout;                       /* first retry; doubles per attempt */
    lisp_time_t mapcache_max_ttl;                      /* LISP_TIME_NEVER: no cap */
    lisp_endpoint map_resolvers[LISP_XTR_MAX_SERVERS]; /* ports set */
    lisp_endpoint petrs[LISP_XTR_MAX_SERVERS];         /* ports set */
} lisp_itr_config;

typedef enum lisp_res_state {
    LISP_RES_IDLE = 0,
    LISP_RES_REQUESTING = 1
} lisp_res_state;
typedef enum lisp_res_event {
    LISP_RES_EV_MISS,
    LISP_RES_EV_TIMEOUT,
    LISP_RES_EV_REPLY,
    LISP_RES_EV_COVERED,
} lisp_res_event;

/* One destination being resolved. */
typedef struct lisp_itr_res {
    uint8_t state;    /* lisp_res_state */
    uint8_t attempts; /* Map-Requests sent in this resolution */
    uint16_t afi;
    uint32_t iid;
    uint8_t dst[16]; /* the destination EID asked for */
    uint8_t src[16]; /* the first packet's source: the Map-Request's source EID */
    uint64_t nonce;
    lisp_time_t retry_at;
    uint16_t head, tail; /* held packets (hold-queue slots), LISP_ITR_NO_SLOT when none */
} lisp_itr_res;

typedef struct lisp_itr_slot {
    uint16_t next;
    uint16_t len;
} lisp_itr_slot;

typedef struct lisp_itr {
    lisp_itr_config cfg;
    lisp_ctx *ctx;
    lisp_mem *mem;
    lisp_xtr_stats *stats;
    const lisp_locators *locs;
    const lisp_eid_set *eids;
    lisp_mapcache *mc;
    lisp_itr_res *res;     /* cfg.max_pending slots, NULL until the first miss */
    uint16_t n_requesting; /* slots not IDLE: no scan when 0 */
    uint16_t free_slot;    /* hold queue free list */
    lisp_itr_slot *slots;  /* cfg.queue_packets, NULL until the first packet held */
    uint8_t *slab;         /* their bytes, cfg.queue_packets * cfg.max_packet */
} lisp_itr;

/* LISP_ERR_NOMEM when the map-cache cannot be created. The pointers must outlive itr. */
int lisp_itr_init(lisp_itr *itr, const lisp_itr_config *cfg, lisp_ctx *ctx, lisp_mem *mem,
                  const lisp_locators *locs, const lisp_eid_set *eids, lisp_xtr_stats *stats);
void lisp_itr_release(lisp_itr *itr);
/* Drop every map-cache entry (no traces: nothing expired); resolutions in progress go on.
 * The number dropped, or LISP_ERR_NOMEM with the cache unchanged. */
int lisp_itr_clear_mapcache(lisp_itr *itr);

/* An IP packet to send into the overlay. LISP_OK when sent, held or dropped on purpose; a
 * LISP_ERR_* packet error when it is not an IP packet. */
int lisp_itr_packet(lisp_itr *itr, lisp_time_t now, const uint8_t *pkt, size_t len);
/* A decoded Map-Reply from src. */
void lisp_itr_map_reply(lisp_itr *itr, lisp_time_t now, const lisp_endpoint *src,
                        const lisp_map_reply *r);
/* Locator-status-bits (nbits of them valid) received from rloc in a packet whose inner
 * source is src_eid (a host EID). */
void lisp_itr_remote_lsb(lisp_itr *itr, lisp_time_t now, const lisp_eid *src_eid,
                         const lisp_endpoint *rloc, uint32_t lsb, unsigned nbits);

lisp_time_t lisp_itr_next_expiry(const lisp_itr *itr);
void lisp_itr_expiry(lisp_itr *itr, lisp_time_t now);

/* lisp_itr_resolve.c: the resolution FSM (used by lisp_itr.c). */
/* A packet for (iid, f->dst) that has no usable mapping: resolve it, and hold or drop it. */
void lisp_itr_miss(lisp_itr *itr, lisp_time_t now, const lisp_ip_flow *f, uint32_t iid,
                   const uint8_t *pkt, size_t len);
/* Send one parsed packet according to the map-cache; false when it has no mapping yet. */
bool lisp_itr_forward(lisp_itr *itr, lisp_time_t now, const lisp_ip_flow *f, uint32_t iid,
                      const uint8_t *pkt, size_t len);
/* Timeouts of the resolutions due at now, and the next one. */
void lisp_itr_res_expiry(lisp_itr *itr, lisp_time_t now);
lisp_time_t lisp_itr_res_next_expiry(const lisp_itr *itr);
const char *lisp_res_state_name(int state);

#endif /* LISP_ITR_INTERNAL_H */
