/*
 * lisp_xtr.h - the LISP tunnel router engine: ITR and ETR of a site (RFC 9300, RFC 9301),
 * and, by configuration, the proxy roles of RFC 6832 (PITR: encapsulates traffic from
 * non-LISP sources; PETR: decapsulates traffic for non-LISP destinations).
 *
 *   lisp_xtr_config cfg;
 *   lisp_xtr_config_default(&cfg);
 *   ... cfg.eids, cfg.rlocs, cfg.map_resolvers, cfg.map_servers ...
 *   lisp_xtr *x = lisp_xtr_new(&cfg, &host, now);         // lisp_host.h
 *   lisp_xtr_start(x, now);                         // first Map-Register
 *   lisp_xtr_eid_packet(x, now, ip, len);           // from the site (or, PITR: the Internet)
 *   lisp_xtr_handle_udp(x, now, &src, &dst, p, n);  // from ports 4341 and 4342
 *   lisp_xtr_next_expiry(x) -> re-arm the host timer -> lisp_xtr_handle_expiry(x, now)
 *
 * ITR: a packet whose destination misses the map-cache triggers an ECM'd Map-Request to a
 * Map-Resolver (retried with exponential back-off, rotating resolvers) and is dropped or
 * held in a bounded queue (miss_policy). A Map-Reply fills the map-cache and releases the
 * held packets. Encapsulation: data header with a random 24-bit nonce, locator-status-bits
 * of the site's RLOCs and the instance-ID (I bit) when it is not 0; the outer UDP source
 * port is a hash of the inner 5-tuple (49152..65535); the locator is chosen among the
 * reachable ones of the best priority by weight, per flow. A negative entry whose action
 * is natively-forward sends the packet to a PETR (encapsulated) when one is configured,
 * else natively (io->forward_native).
 * ETR: decapsulates packets for its EID-prefixes and delivers them to the site; answers
 * Map-Requests (plain, RLOC-probes, or forwarded in an ECM by a Map-Server) for its
 * EID-prefixes with its locator set; sends authenticated Map-Registers to every Map-Server
 * every register_interval, asking for a Map-Notify, and verifies the Map-Notify.
 *
 * Addressing choices: an ECM'd Map-Request uses 4342 as inner UDP source port, so
 * Map-Replies come back to the control port; every control message is sent from 4342.
 *
 * Memory: message and packet buffers are the host's workspace (lisp_host.h), borrowed per
 * call; the hold queue and pending resolutions are allocated by lisp_xtr_new; the per-packet path allocates nothing. The map-cache allocates when a
 * Map-Reply adds an entry.
 */
#ifndef LISP_XTR_H
#define LISP_XTR_H

#include "lisp_engine.h"
#include "lisp_mapcache.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LISP_XTR_MAX_EIDS 8
#define LISP_XTR_MAX_RLOCS 8
#define LISP_XTR_MAX_SERVERS 4
#define LISP_XTR_KEY_MAX 64

typedef enum lisp_miss_policy {
    LISP_MISS_DROP = 0,  /* drop a packet that misses the map-cache */
    LISP_MISS_QUEUE = 1, /* hold it (bounded) until the Map-Reply arrives */
} lisp_miss_policy;

typedef struct lisp_xtr_map_server {
    lisp_endpoint addr; /* port 0 means 4342 */
    uint16_t key_id;    /* LISP_KEY_ID_HMAC_SHA1_96 or LISP_KEY_ID_HMAC_SHA256_128 */
    uint16_t key_len;
    uint8_t key[LISP_XTR_KEY_MAX];
} lisp_xtr_map_server;

typedef struct lisp_xtr_config {
    /* The site: its EID-prefixes (with their instance-ID) and its RLOCs (address, priority,
     * weight; port unused). A PITR or PETR has no EID-prefixes. */
    uint8_t n_eids;
    lisp_eid eids[LISP_XTR_MAX_EIDS];
    uint8_t n_rlocs;
    lisp_mapcache_loc rlocs[LISP_XTR_MAX_RLOCS];

    /* Mapping system. Ports 0 mean 4342 (and 4341 for PETRs). */
    uint8_t n_map_resolvers;
    lisp_endpoint map_resolvers[LISP_XTR_MAX_SERVERS];
    uint8_t n_map_servers;
    lisp_xtr_map_server map_servers[LISP_XTR_MAX_SERVERS];
    uint8_t n_petrs;
    lisp_endpoint petrs[LISP_XTR_MAX_SERVERS];

    /* Registration (ETR). */
    lisp_time_t register_interval; /* default 60 s */
    bool want_map_notify;          /* M bit; default true */
    bool proxy_reply;              /* P bit: ask the Map-Server to answer for us */
    bool use_xtr_id;               /* I bit with xtr_id and site_id */
    uint8_t xtr_id[16];
    uint8_t site_id[8];
    uint32_t record_ttl; /* minutes, in our Map-Replies and Map-Registers; default 1440 */

    /* Resolution (ITR). */
    lisp_miss_policy miss_policy;   /* default LISP_MISS_DROP */
    uint16_t queue_packets;         /* hold-queue slots (all destinations); default 64 */
    uint16_t max_pending;           /* destinations being resolved at once; default 64 */
    lisp_time_t request_timeout;    /* first retry after this, then doubling; default 1 s */
    uint8_t request_retries;        /* retransmissions before giving up; default 3 */
    uint32_t mapcache_max_entries;  /* default 100000; 0 = unbounded */
    uint32_t iid;                   /* instance-ID for packets from outside our EIDs */
    uint16_t max_packet;            /* largest EID packet handled, bytes; default 2048 */

    /* Proxy roles (RFC 6832). */
    bool pitr; /* Map-Requests carry the p bit and no source EID */
    bool petr; /* decapsulate packets for any destination and forward them natively */

} lisp_xtr_config;

typedef struct lisp_xtr_stats {
    uint64_t encapsulated;
    uint64_t decapsulated;
    uint64_t forwarded_native;
    uint64_t map_requests_sent;
    uint64_t map_replies_received;
    uint64_t map_replies_sent;
    uint64_t map_registers_sent;
    uint64_t map_notifies_received;
    lisp_common_stats common; /* drops by reason, send failures, internal errors */
} lisp_xtr_stats;

typedef struct lisp_xtr lisp_xtr;

/* Defaults as documented on each field; everything else zero. */
void lisp_xtr_config_default(lisp_xtr_config *cfg);

/* NULL on a bad config (no send/random callback, a prefix that is not canonical, an
 * unsupported key-id) or allocation failure. The config is copied. */
lisp_xtr *lisp_xtr_new(const lisp_xtr_config *cfg, const lisp_host *host, lisp_time_t now);
void lisp_xtr_free(lisp_xtr *x);

/* Begin registering (the first Map-Register goes out now). An xTR without Map-Servers or
 * EID-prefixes never registers. */
void lisp_xtr_start(lisp_xtr *x, lisp_time_t now);

/* An IP packet from the EID side that the site routes through this ITR. Returns LISP_OK
 * when it was sent, queued or deliberately dropped (see the trace), or a LISP_ERR_* when
 * it is not an IP packet. */
int lisp_xtr_eid_packet(lisp_xtr *x, lisp_time_t now, const uint8_t *pkt, size_t len);

/* A UDP payload that arrived at local port dst->port (4341: data, 4342: control). */
int lisp_xtr_handle_udp(lisp_xtr *x, lisp_time_t now, const lisp_endpoint *src,
                        const lisp_endpoint *dst, const uint8_t *payload, size_t len);

/* When lisp_xtr_handle_expiry must next run (LISP_TIME_NEVER: nothing scheduled). */
lisp_time_t lisp_xtr_next_expiry(const lisp_xtr *x);
void lisp_xtr_handle_expiry(lisp_xtr *x, lisp_time_t now);

const lisp_xtr_stats *lisp_xtr_get_stats(const lisp_xtr *x);
/* The counters of s by name: writes up to cap, returns how many there are. */
size_t lisp_xtr_stats_list(const lisp_xtr_stats *s, lisp_stat *out, size_t cap);

/* The engine as the generic interface sees it (lisp_engine_free frees it). */
lisp_engine *lisp_xtr_engine(lisp_xtr *x);
/* The xTR behind a generic engine; NULL when e is no xTR. */
lisp_xtr *lisp_xtr_from_engine(lisp_engine *e);
/* The role "xtr" (config lisp_xtr_config): xTR, PITR or PETR by configuration. */
extern const lisp_role_desc lisp_xtr_role;
const lisp_mapcache *lisp_xtr_mapcache(const lisp_xtr *x);

/* True once a Map-Notify from every Map-Server acknowledged our latest registration. */
bool lisp_xtr_registered(const lisp_xtr *x);

#ifdef __cplusplus
}
#endif

#endif /* LISP_XTR_H */
